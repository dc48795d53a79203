"""Ingest speed on real articles: seeds in, content files out, cold.

    python benchmarks/bench_ingest.py PATH_TO_CORPUS [--limit N] [--runs K] [--root DIR]

Finds the plain-text articles under PATH (`*.txt`, recursively, README files skipped),
copies N of them (default all; spread evenly over the sorted list, so every sub-folder of
a corpus is represented) into a scratch site root's `seeds/` with unique names, and times
`python build.py ingest --root ROOT -q` in a fresh process (by default from a snapshot of the
code taken at the start, as bench_build.py does; `--live` runs the working tree) with no content and no build
cache, so every seed is read, cleaned and run through the entity model. The time includes
starting Python and loading the model, as a real cold ingest does. Prints articles per
second (median of `--runs`), the elapsed time, the peak RSS of the ingest process and
the peak PSS summed over it and its worker processes (sampled; see bench_build.py).

The corpus is copied only into the scratch root (default:
`<temp dir>/broadsheet-bench/ingest-<N>`), never into the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(HERE), str(REPO)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from bench_build import CACHE_DIR_NAME, code_digest, run_timed, snapshot_code, source_state  # noqa: E402


def find_articles(corpus: Path) -> list[Path]:
    """Plain-text articles under `corpus`, sorted; README files are not articles."""
    return sorted(
        p for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() == ".txt" and not p.stem.lower().startswith("readme")
    )


def spread(paths: list[Path], limit: int | None) -> list[Path]:
    """`limit` paths spread evenly over `paths` (all of them without a limit)."""
    if limit is None or limit >= len(paths):
        return paths
    return [paths[i * len(paths) // limit] for i in range(limit)]


def seed_name(path: Path, corpus: Path) -> str:
    """A unique, readable file name: the path under the corpus with '/' as '-'."""
    return "-".join(path.relative_to(corpus).parts)


def prepare_root(root: Path, seeds: list[Path], corpus: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "seeds").mkdir(parents=True)
    shutil.copyfile(REPO / "site.toml", root / "site.toml")
    for path in seeds:
        shutil.copyfile(path, root / "seeds" / seed_name(path, corpus))


def reset(root: Path) -> None:
    """Forget every earlier ingest: no content files, no build state, no output."""
    for name in ("content", CACHE_DIR_NAME, "public"):
        shutil.rmtree(root / name, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time a cold `build.py ingest` of real plain-text articles.")
    parser.add_argument("corpus", type=Path, metavar="PATH_TO_CORPUS", help="folder searched recursively for *.txt articles")
    parser.add_argument("--limit", type=int, metavar="N", help="ingest only N articles (default: all)")
    parser.add_argument("--runs", type=int, default=1, metavar="K", help="cold ingests to time; the median is shown (default 1)")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="scratch site root, emptied first (default: <temp dir>/broadsheet-bench/ingest-<N>)")
    parser.add_argument("--live", action="store_true",
                        help="run the working tree's build.py rather than a snapshot of the code taken at the start")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: not a folder")
    if args.runs < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--runs and --limit must be at least 1")
    corpus = args.corpus.resolve()
    seeds = spread(find_articles(corpus), args.limit)
    if not seeds:
        parser.error(f"{corpus}: no *.txt articles found")
    root = (args.root or Path(tempfile.gettempdir()) / "broadsheet-bench" / f"ingest-{len(seeds)}").resolve()
    if root == REPO or REPO in root.parents:
        parser.error("--root must be outside the repository")
    prepare_root(root, seeds, corpus)
    if args.live:
        build_py, code = REPO / "build.py", f"{code_digest()} (live working tree)"
    else:
        build_py, digest = snapshot_code(root.parent)
        code = f"{digest} (snapshot in {build_py.parent})"

    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{now}: cold ingest of {len(seeds)} articles, {args.runs} run(s), Broadsheet at {source_state()}, "
          f"code {code}, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)", flush=True)
    samples = []
    for run in range(args.runs):
        reset(root)
        sample = run_timed([sys.executable, str(build_py), "ingest", "--root", str(root), "-q"])
        written = len(list((root / "content" / "articles").glob("*.md")))
        samples.append(sample)
        print(f"  run {run + 1}: {sample.seconds:.1f} s, {written} content files, {len(seeds) / sample.seconds:.1f} articles/s, "
              f"peak RSS {sample.max_rss_mb:.0f} MB (with workers, PSS {sample.tree_pss_mb:.0f} MB)", flush=True)
    seconds = statistics.median(s.seconds for s in samples)
    print("\narticles | median s | min s | max s | articles/s | peak RSS MB | tree PSS MB")
    print(f"{len(seeds):>8} | {seconds:>8.1f} | {min(s.seconds for s in samples):>5.1f} | {max(s.seconds for s in samples):>5.1f} | "
          f"{len(seeds) / seconds:>10.1f} | {max(s.max_rss_mb for s in samples):>11.0f} | "
          f"{max(s.tree_pss_mb for s in samples):>11.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
