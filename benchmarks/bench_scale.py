"""How build times and memory grow with the archive: `bench_build.py` at several sizes, one table, one plot.

    python benchmarks/bench_scale.py --sizes 1000 10000 100000 [--runs 3] [--cases cold,no-op,...] [--root DIR]
                                     [--results benchmarks/scaling.json] [--plot docs/scaling.png]
    python benchmarks/bench_scale.py --table-only      # the table and plot again from the results file

For every size N of `--sizes`, in the order given, runs `bench_build.py --articles N --runs K
--cases ... --json ...` as a fresh process (its output shown as it runs), with the archive root
`DIR/a<N>-s<seed>`: the same root `bench_build.py` uses by default when `--root` is left out,
so archives written by either script are reused. After each size its figures are merged into
the results file (JSON) at once: keyed by size and then case, so sizes measured another day
(say 1,000,000 articles, run on its own) are kept, and measuring a size again replaces the
cases measured now at that size and nothing else. Every entry keeps its own date, commit and
number of runs.

Then prints a Markdown table (a row per case and two rows of peak memory; a column per size;
median seconds, memory in MB) and draws a log-log plot as a PNG: build seconds against
articles, a line per case, beside a second panel with peak memory in MB. `--table-only` does
only that, from the results file, without building anything. The plot needs matplotlib:
`python -m pip install -r benchmarks/requirements.txt`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_build import CASES  # noqa: E402

DEFAULT_RESULTS = REPO / "benchmarks" / "scaling.json"
DEFAULT_PLOT = REPO / "docs" / "scaling.png"
DEFAULT_CASES = CASES
#: Rows of the table below the cases: (label, the case field whose largest value over the cases it shows).
MEMORY_ROWS = (
    ("peak memory MB, largest process", "peak_rss_mb"),
    ("peak memory MB, all processes", "tree_pss_mb"),
)
#: Their lines in the plot.
MEMORY_LEGEND = (
    "largest process (peak RSS of the build or a child)",
    "all processes at once (summed PSS of the build and its workers)",
)
#: Colour, marker and line of each case in the plot, the same in every plot; the edit cases, which often
#: lie close together, differ in line style as well.
CASE_STYLES = {
    "cold": ("tab:blue", "o", "-"),
    "no-op": ("tab:orange", "s", "-"),
    "body edit": ("tab:green", "D", "--"),
    "title edit": ("tab:red", "^", "-."),
    "date edit": ("tab:olive", "v", (0, (5, 1.5, 1, 1.5, 1, 1.5))),
    "persons edit": ("tab:cyan", "P", (0, (2, 1.5))),
    "new name edit": ("tab:purple", "X", (0, (4, 1, 1, 1))),
    "new story": ("tab:brown", "h", (0, (1, 1))),
    "story taken out": ("tab:gray", "p", (0, (3, 1, 1, 1, 1, 1))),
    "template edit": ("tab:pink", "*", "-"),
}
#: Kept with every case of a size: what was measured, when, on which code.
META_KEYS = ("runs", "seed", "commit", "uncommitted_changes", "code", "live", "date", "settings", "python", "cpus")

# --------------------------------------------------------------------------- results file


def load_results(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"sizes": {}}
    if not isinstance(data.get("sizes"), dict):
        raise SystemExit(f"{path}: not a results file of bench_scale.py (no 'sizes')")
    return data


def merge(results: dict, measured: dict) -> dict:
    """Put one bench_build.py --json output into `results`: its cases at its size replace what was there."""
    size = str(measured["articles"])
    meta = {key: measured.get(key) for key in META_KEYS}
    cases = results["sizes"].setdefault(size, {})
    for case, figures in measured["cases"].items():
        cases[case] = {**figures, **meta}
    results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda item: int(item[0])))
    return results


def save_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    results["about"] = ("bench_scale.py results: sizes -> case -> bench_build.py figures (seconds are wall time of a "
                        "fresh `python build.py`, median/min/max of `runs`; peak_rss_mb the largest process, tree_pss_mb "
                        "the build with all its processes) and when and on which commit they were measured")
    text = json.dumps({"about": results["about"], "sizes": results["sizes"]}, indent=2) + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- table


def ordered_cases(results: dict) -> list[str]:
    seen = {case for cases in results["sizes"].values() for case in cases}
    return [c for c in CASES if c in seen] + sorted(seen - set(CASES))


def peak(cases: dict, key: str) -> float | None:
    values = [figures[key] for figures in cases.values() if figures.get(key)]
    return max(values) if values else None


def size_label(size: int) -> str:
    return f"{size:,}"


def markdown_table(results: dict) -> str:
    sizes = sorted(results["sizes"], key=int)
    rows = [["case (median s)"] + [size_label(int(s)) for s in sizes], ["---"] + ["---:"] * len(sizes)]
    for case in ordered_cases(results):
        cells = []
        for size in sizes:
            figures = results["sizes"][size].get(case)
            cells.append("–" if figures is None else f"{figures['median_s']:.2f}")
        rows.append([case] + cells)
    for label, key in MEMORY_ROWS:
        cells = []
        for size in sizes:
            value = peak(results["sizes"][size], key)
            cells.append("–" if value is None else f"{value:.0f}")
        rows.append([label] + cells)
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def provenance(results: dict) -> list[str]:
    """One line per size: when, on which commit and with how many runs its cases were measured."""
    lines = []
    for size, cases in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        groups: dict[tuple, list[str]] = {}
        for case, f in cases.items():
            commit = f"{f.get('commit')}{' + uncommitted changes' if f.get('uncommitted_changes') else ''}"
            settings = " ".join(f.get("settings") or [])
            key = ((f.get("date") or "?")[:10], commit, f.get("runs"), settings)
            groups.setdefault(key, []).append(case)
        parts = []
        for (date, commit, runs, settings), names in groups.items():
            where = "" if len(groups) == 1 else f" ({', '.join(names)})"
            parts.append(f"{date}, commit {commit}, median of {runs} run(s)"
                         + (f", settings {settings}" if settings else "") + where)
        lines.append(f"{size_label(int(size))} articles: " + "; ".join(parts))
    return lines


# --------------------------------------------------------------------------- plot


def draw_plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    sizes = sorted(int(s) for s in results["sizes"])
    if not sizes:
        raise SystemExit("no results to plot")
    fig, (times, memory) = plt.subplots(1, 2, figsize=(13, 6.6), gridspec_kw={"width_ratios": [3, 2]})
    extra_styles = [("tab:gray", m, "-") for m in "Xhp<>"]

    all_seconds: list[float] = []
    for n, case in enumerate(ordered_cases(results)):
        points = [(int(s), results["sizes"][s][case]["median_s"]) for s in results["sizes"] if case in results["sizes"][s]]
        points.sort()
        if not points:
            continue
        xs, ys = zip(*points)
        all_seconds += ys
        colour, marker, line = CASE_STYLES.get(case) or extra_styles[n % len(extra_styles)]
        times.plot(xs, ys, color=colour, marker=marker, linestyle=line, linewidth=1.8, markersize=7 if marker != "*" else 9,
                   label=case)
    all_mb: list[float] = []
    for (_, key), label, colour, marker in zip(MEMORY_ROWS, MEMORY_LEGEND, ("tab:purple", "tab:brown"), ("o", "s")):
        points = [(int(s), v) for s, cases in results["sizes"].items() if (v := peak(cases, key)) is not None]
        points.sort()
        if points:
            xs, ys = zip(*points)
            all_mb += ys
            memory.plot(xs, ys, marker=marker, color=colour, linewidth=1.8, markersize=6,
                        label=label)

    # A faint line proportional to the archive through the first point of the slowest case, for reading slopes.
    if len(sizes) > 1 and all_seconds:
        first = max(results["sizes"][str(sizes[0])].values(), key=lambda f: f["median_s"])["median_s"]
        times.plot([sizes[0], sizes[-1]], [first, first * sizes[-1] / sizes[0]], linestyle=":", color="black",
                   linewidth=1.0, alpha=0.6, label="proportional to articles (for the slope)")

    for ax, values, ylabel, title in ((times, all_seconds, "seconds (median of the runs)", "Build time"),
                                      (memory, all_mb, "MB (largest of the cases and runs)", "Peak memory")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles in the archive")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.xaxis.set_major_locator(ticker.FixedLocator(sizes))
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _: size_label(int(round(x)))))
        ax.xaxis.set_minor_locator(ticker.NullLocator())
        if len(sizes) == 1:
            ax.set_xlim(sizes[0] / 2, sizes[0] * 2)
        else:
            ax.set_xlim(sizes[0] / 1.3, sizes[-1] * 1.3)
        if values:
            low, high = min(values), max(values)
            ax.set_ylim(low / 1.6, high * 1.6)
            ratio = high / low  # more labelled ticks on a short axis, so every panel has a few
            subs = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0) if ratio < 10 else (1.0, 2.0, 5.0) if ratio < 1000 else (1.0,)
            ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
            ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _: f"{y:g}"))
            ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=tuple(range(1, 10))))
            ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.grid(True, which="major", color="#cccccc", linewidth=0.8)
        if values and max(values) / min(values) < 1000:  # over more decades the minor lines only crowd the panel
            ax.grid(True, which="minor", axis="y", color="#eeeeee", linewidth=0.6)
        handles = len(ax.get_legend_handles_labels()[0])
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=min(4, handles) if ax is times else 1,
                  fontsize=9, frameon=False)

    commits = sorted({f.get("commit") or "?" for cases in results["sizes"].values() for f in cases.values()})
    dates = sorted({(f.get("date") or "?")[:10] for cases in results["sizes"].values() for f in cases.values()})
    runs = sorted({f.get("runs") for cases in results["sizes"].values() for f in cases.values() if f.get("runs")})
    fig.suptitle("Broadsheet builds of synthetic archives: time and memory against archive size", fontsize=13)
    fig.text(0.5, 0.905, f"each `python build.py` a fresh process; median of {'/'.join(map(str, runs))} run(s) per point; "
             f"commit {', '.join(commits)}; measured {dates[0] if len(dates) == 1 else dates[0] + ' to ' + dates[-1]}",
             ha="center", fontsize=9, color="#444444")
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- measuring


def measure(size: int, args: argparse.Namespace, cases: list[str]) -> dict:
    """One bench_build.py run at `size`; returns its --json output."""
    root = args.root / f"a{size}-s{args.seed}"
    args.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.root, prefix="scale-") as scratch:
        out = Path(scratch) / "figures.json"
        command = [sys.executable, str(HERE / "bench_build.py"), "--articles", str(size), "--runs", str(args.runs),
                   "--seed", str(args.seed), "--root", str(root), "--cases", ",".join(cases), "--json", str(out)]
        if args.live:
            command.append("--live")
        for setting in args.settings:
            command += ["--set", setting]
        print(f"\n== {size_label(size)} articles: {' '.join(command[1:])}", flush=True)
        result = subprocess.run(command, check=False)
        if result.returncode != 0:
            raise SystemExit(f"bench_build.py exited with {result.returncode} at {size_label(size)} articles; "
                             f"sizes measured before it are in {args.results}")
        return json.loads(out.read_text(encoding="utf-8"))


def parse_cases(values: list[str]) -> list[str]:
    """`--cases cold,no-op,body edit` works with or without quotes: words are joined back, then split at commas."""
    return [c.strip() for c in " ".join(values).split(",") if c.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run bench_build.py at several archive sizes; print a table and draw a plot.")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N", help="archive sizes in articles, e.g. 1000 10000 100000")
    parser.add_argument("--runs", type=int, default=3, metavar="K", help="builds per case and size (default 3)")
    parser.add_argument("--cases", nargs="+", default=[",".join(DEFAULT_CASES)], metavar="CASE,...",
                        help=f"comma-separated cases (default all: {', '.join(DEFAULT_CASES)})")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic archives (default 1)")
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench", metavar="DIR",
                        help="folder holding an archive root per size, a<N>-s<seed>, reused between runs "
                             "(default: <temp dir>/broadsheet-bench, where bench_build.py keeps its own)")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, metavar="FILE",
                        help="JSON file the figures are merged into (default benchmarks/scaling.json)")
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT, metavar="PNG", help="the plot to draw (default docs/scaling.png)")
    parser.add_argument("--no-plot", action="store_true", help="print the table but draw no plot")
    parser.add_argument("--table-only", action="store_true", help="measure nothing: print the table and draw the plot from --results")
    parser.add_argument("--live", action="store_true", help="passed to bench_build.py: run the working tree's code, not a snapshot")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                        help="passed to bench_build.py: a site.toml setting for the runs; repeatable")
    args = parser.parse_args(argv)

    cases = parse_cases(args.cases)
    if unknown := [c for c in cases if c not in CASES]:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    if args.table_only and args.sizes:
        parser.error("--table-only measures nothing; leave out --sizes")
    if not args.table_only and not args.sizes:
        parser.error("give --sizes (or --table-only)")
    if args.sizes and (min(args.sizes) < 1 or args.runs < 1):
        parser.error("sizes and --runs must be at least 1")
    if not args.no_plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("the plot needs matplotlib: python -m pip install -r benchmarks/requirements.txt (or --no-plot)")
    args.root = args.root.resolve()
    if args.root == REPO or REPO in args.root.parents:
        parser.error("--root must be outside the repository")

    results = load_results(args.results)
    for size in args.sizes or []:
        results = merge(results, measure(size, args, cases))
        save_results(args.results, results)
        print(f"merged {size_label(size)} articles into {args.results}", flush=True)

    if not results["sizes"]:
        raise SystemExit(f"{args.results}: no results yet; run with --sizes first")
    print()
    print(markdown_table(results))
    print()
    for line in provenance(results):
        print(line)
    print("Seconds: wall time of a fresh `python build.py`, median of the runs. Peak memory: the largest of the cases "
          "and runs at that size; largest process = peak RSS of the build or a child it waited for, all processes = "
          "summed PSS of the build and its workers.")
    if not args.no_plot:
        draw_plot(results, args.plot)
        print(f"drew {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
