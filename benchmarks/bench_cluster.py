"""Ingest on a Dask cluster: articles per second with one worker against two.

    python benchmarks/bench_cluster.py PATH_TO_CORPUS [--limit N] [--runs K] [--workers 1,2] [--root DIR]

Copies N plain-text articles from the corpus (spread over it, as bench_ingest.py does) into a
scratch site root's `seeds/`, starts a LocalCluster of W worker processes (one thread each)
for each W of `--workers`, loads the entity model on every worker once (as a long-lived
cluster has it loaded), then times K cold ingests (`ingest --engine dask`: no content files,
no build cache) through each, the runs alternating between the clusters so that other load on
the machine falls on each alike. Prints, per cluster size, the median articles per second of the
whole ingest (reading, cleaning, analysis on the cluster, writing) and of the analysis alone
(first batch sent to last result back), then each size's ratio to the first.

The corpus is copied only into the scratch root (default: `<temp dir>/broadsheet-bench/cluster-<N>`),
never into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(HERE), str(REPO)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from bench_ingest import find_articles, prepare_root, reset, spread  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time cold ingests through a local Dask cluster of 1, 2, ... workers.")
    parser.add_argument("corpus", type=Path, metavar="PATH_TO_CORPUS", help="folder searched recursively for *.txt articles")
    parser.add_argument("--limit", type=int, default=300, metavar="N", help="articles to ingest (default 300)")
    parser.add_argument("--runs", type=int, default=3, metavar="K", help="cold ingests per cluster size; medians shown (default 3)")
    parser.add_argument("--workers", default="1,2", metavar="W,W", help="cluster sizes to compare (default 1,2)")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="scratch site root, emptied first (default: <temp dir>/broadsheet-bench/cluster-<N>)")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("broadsheet").setLevel(logging.ERROR)  # the corpus's duplicate-story warnings, once per run

    from distributed import Client, LocalCluster

    from generator.config import load_config
    from generator.errors import Warnings
    from generator.ingest.cluster import DaskEngine, _analyse_batch
    from generator.pipeline import default_analyzer, run_ingest

    articles = spread(find_articles(args.corpus), args.limit)
    root = args.root or Path(tempfile.gettempdir()) / "broadsheet-bench" / f"cluster-{len(articles)}"
    prepare_root(root, articles, args.corpus)
    sizes = [int(w) for w in args.workers.split(",")]
    print(f"{len(articles)} articles from {args.corpus}, {args.runs} cold ingest(s) per cluster size; scratch root {root}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before")

    # Every cluster is up (models loaded) before the first run, and the runs alternate between them,
    # so a burst of other load on the machine falls on every size alike.
    with contextlib.ExitStack() as stack:
        engines, totals, analysis_seconds = {}, {w: [] for w in sizes}, {w: [] for w in sizes}
        for workers in sizes:
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0"))
            client = stack.enter_context(Client(cluster, set_as_default=False))
            client.run(_analyse_batch, default_analyzer, ["Warm-up: the model loads once per worker."])
            engines[workers] = DaskEngine(cluster.scheduler_address)
        written = 0
        for run in range(args.runs):
            for workers in sizes:
                engine, seconds = engines[workers], analysis_seconds[workers]

                def timed(texts, factory, progress, _engine=engine, _out=seconds):
                    started = time.perf_counter()
                    found = _engine(texts, factory, progress)
                    _out.append(time.perf_counter() - started)
                    return found

                reset(root)
                started = time.perf_counter()
                result = run_ingest(load_config(root), Warnings(), engine=timed)
                totals[workers].append(time.perf_counter() - started)
                written = len(result.written)
                print(f"run {run + 1}, {workers} worker(s): {totals[workers][-1]:.1f} s", flush=True)
    rows = []
    for workers in sizes:
        median = statistics.median(totals[workers])
        whole, analysis = written / median, written / statistics.median(analysis_seconds[workers])
        rows.append((workers, written, median, whole, analysis))
        print(f"{workers} worker(s): {written} articles, median {median:.1f} s, "
              f"{whole:.1f} articles/s whole ingest, {analysis:.1f} articles/s analysis "
              f"(runs: {', '.join(f'{t:.1f}' for t in totals[workers])} s)", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} after (other processes on the machine slow the larger cluster most)")
    base = rows[0]
    for workers, _, _, whole, analysis in rows[1:]:
        print(f"{workers} workers / {base[0]}: {whole / base[3]:.2f}x whole ingest, {analysis / base[4]:.2f}x analysis")
    return 0


if __name__ == "__main__":
    sys.exit(main())
