"""Speed and memory of the related-coverage computation alone, on synthetic archives.

    python benchmarks/bench_related.py --articles 10000 100000 [--runs 5] [--seed 1]

For each size, the articles come from `synth.py` (the same pools, Zipf popularity and
dates as the build benchmark's archives; bodies are not generated, since ranking never
reads them) and are made into the site model in memory with `build_archive`, as a build
does after loading content. Then, `--runs` times, a fresh `RelatedIndex` works out every
article's coverage (up to 5 related stories and the previous/next on its main subject),
as the fingerprint pass of a build does. Printed: the median time for all articles (with
min and max), the median time per article, and the peak memory the computation allocates
on top of the archive (tracemalloc, in a separate untimed run, keeping every answer as a
build does).

    python benchmarks/bench_related.py --builds 10000 [--runs 3]

times whole builds instead: the build benchmark's archive in two site roots, one with
`related = 5` and one with `related = 0`, built alternately (so both see the same machine
load) as fresh processes: a cold build, then a build after one article's body is edited.
Printed: the medians of each, and the median of the paired differences (on minus off), in
wall time and in CPU time of the build and its workers (os.wait4): on a shared machine the
wall time swings with other work, the CPU time much less.

    python benchmarks/bench_related.py --agreement 8 16 32 48 --articles 10000

compares caps: how many of the stories an uncapped walk ranks top 5 each cap finds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(HERE), str(REPO)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import synth  # noqa: E402

from generator.archive import build_archive  # noqa: E402
from generator.model import Archive, Article  # noqa: E402
from generator.related import POSTING_CAP, RelatedIndex  # noqa: E402


def synthetic_archive(articles: int, seed: int) -> Archive:
    """The site model of a synthetic archive, without article bodies."""
    real_body = synth._body
    synth._body = lambda rng, names: ("", "")  # ranking never reads bodies; skipping them saves time and memory
    try:
        made = synth.generate(articles, seed)
    finally:
        synth._body = real_body
    loaded = [Article(slug=slug, title=meta["title"], summary="", body_html="", date=meta["date"],
                      tags=tuple(meta["tags"]), locations=tuple(meta["locations"]), persons=tuple(meta["persons"]),
                      organizations=tuple(meta["organizations"]))
              for slug, meta, _ in made]
    return build_archive(loaded, ("tags", "locations", "persons"))


def compute_all(archive: Archive, size: int, cap: int = POSTING_CAP) -> list:
    index = RelatedIndex(archive, size, cap)
    return [index.coverage(article) for article in archive.articles]


def measure(articles: int, runs: int, seed: int, size: int) -> None:
    started = time.perf_counter()
    archive = synthetic_archive(articles, seed)
    made = time.perf_counter() - started
    capped = sum(1 for key in ("tags", "locations", "persons") for t in archive.taxonomies[key].terms
                 if len(t.articles) > POSTING_CAP)
    largest = max(len(t.articles) for key in ("tags", "locations", "persons") for t in archive.taxonomies[key].terms)
    print(f"{articles} articles (seed {seed}): archive made in {made:.1f} s; "
          f"{capped} terms have more than {POSTING_CAP} articles (largest: {largest})", flush=True)
    seconds = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        answers = compute_all(archive, size)
        seconds.append(time.perf_counter() - started)
        del answers
    gc.collect()
    tracemalloc.start()
    answers = compute_all(archive, size)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    shown = sum(len(a.related) for a in answers) / len(answers)
    median = statistics.median(seconds)
    print(f"  all articles: median {median:.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}, {runs} runs); "
          f"per article {median / articles * 1e6:.0f} µs; peak memory {peak / 2**20:.0f} MB; "
          f"{shown:.2f} related stories per article", flush=True)


def agreement(archive: Archive, caps: list[int], sample: int, size: int) -> None:
    """How many of the uncapped ranking's stories each cap finds, on a sample of articles."""
    exact = RelatedIndex(archive, size, cap=len(archive.articles))
    step = max(1, len(archive.articles) // sample)
    chosen = archive.articles[::step][:sample]
    truth = {a.slug: {b.slug for b in exact.related(a)} for a in chosen}
    for cap in caps:
        index = RelatedIndex(archive, size, cap=cap)
        found = sum(len(truth[a.slug] & {b.slug for b in index.related(a)}) for a in chosen)
        wanted = sum(len(t) for t in truth.values())
        started = time.perf_counter()
        compute_all(archive, size, cap)
        print(f"  cap {cap}: finds {found / wanted:.1%} of the uncapped top {size} ({len(chosen)} articles); "
              f"all articles in {time.perf_counter() - started:.2f} s", flush=True)


def timed_build(build_py: Path, root: Path) -> tuple[float, float, float]:
    """(wall, user CPU, system CPU) seconds of `build.py --root ROOT -q` and its worker processes."""
    import os
    import subprocess

    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(build_py), "--root", str(root), "-q"], stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build of {root} failed")
    return time.perf_counter() - started, usage.ru_utime, usage.ru_stime


def build_ab(articles: int, runs: int, seed: int) -> None:
    """Cold and one-edit builds with related coverage on and off, interleaved."""
    import tempfile

    import bench_build

    scratch = Path(tempfile.gettempdir()) / "broadsheet-bench"
    build_py, digest = bench_build.snapshot_code(scratch)
    sites = {}
    for label, value in (("on", 5), ("off", 0)):
        root = scratch / f"related-{label}-a{articles}-s{seed}"
        bench_build.prepare_archive(root, articles, seed)
        (root / "site.toml").write_text(synth.site_toml() + f"related = {value}\n", encoding="utf-8")
        sites[label] = bench_build.BroadsheetSite(root, build_py)
    paths = sorted((sites["on"].root / "content" / "articles").glob("*.md"))
    slug = paths[len(paths) // 2].stem
    print(f"{articles} articles (seed {seed}), code {digest}, {runs} runs, editing {slug}", flush=True)
    times: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    originals = {label: site.article(slug).read_text(encoding="utf-8") for label, site in sites.items()}
    try:
        for run in range(runs):
            order = ("on", "off") if run % 2 == 0 else ("off", "on")
            for label in order:
                site = sites[label]
                site.clean()
                times.setdefault((label, "cold"), []).append(timed_build(build_py, site.root))
                site.article(slug).write_text(originals[label].rstrip("\n") + f" Edited in run {run + 1}.\n", encoding="utf-8")
                times.setdefault((label, "edit"), []).append(timed_build(build_py, site.root))
            print(f"  run {run + 1} (wall/user/sys s):", "; ".join(f"{label} {case} " + "/".join(f"{x:.2f}" for x in times[(label, case)][-1])
                                            for label in order for case in ("cold", "edit")), flush=True)
    finally:
        for label, site in sites.items():
            site.article(slug).write_text(originals[label], encoding="utf-8")
    for case in ("cold", "edit"):
        for what, pick in (("wall", lambda t: t[0]), ("CPU user+sys", lambda t: t[1] + t[2]), ("CPU user", lambda t: t[1])):
            on, off = [pick(t) for t in times[("on", case)]], [pick(t) for t in times[("off", case)]]
            paired = statistics.median(a - b for a, b in zip(on, off))
            print(f"  {case}, {what}: related on {statistics.median(on):.2f} s, off {statistics.median(off):.2f} s, "
                  f"paired difference {paired:+.2f} s (median of {runs})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the related-coverage computation on synthetic archives.")
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000], metavar="N")
    parser.add_argument("--runs", type=int, default=5, metavar="K", help="timed runs per size (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=5, help="related stories per article (default 5)")
    parser.add_argument("--agreement", type=int, nargs="*", metavar="CAP",
                        help="instead of timing: how much of the uncapped ranking each of these caps finds")
    parser.add_argument("--builds", type=int, metavar="N",
                        help="instead: time cold and one-edit builds of N articles with the switch on and off")
    parser.add_argument("--sample", type=int, default=200, help="articles sampled for --agreement (default 200)")
    args = parser.parse_args(argv)
    if args.runs < 1 or min(args.articles) < 2:
        parser.error("--runs must be at least 1 and --articles at least 2")
    print(f"Python {sys.version.split()[0]}", flush=True)
    if args.builds:
        build_ab(args.builds, args.runs, args.seed)
        return 0
    for articles in args.articles:
        if args.agreement:
            print(f"{articles} articles (seed {args.seed}):", flush=True)
            agreement(synthetic_archive(articles, args.seed), args.agreement, args.sample, args.size)
        else:
            measure(articles, args.runs, args.seed, args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
