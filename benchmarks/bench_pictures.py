"""What the pictures cost in the build itself, without the noise of whole builds on a busy machine.

    python benchmarks/bench_pictures.py --articles 10000 [--runs 5]

Writes a synthetic archive (`synth.py`) into a scratch folder, loads it into the site
model once, then times, in this process, the median of `--runs` rounds of:

- charts: every term's articles-per-month chart and the archive's, worked out in Python;
- drawing: rendering every page that shows one (term pages' first pages, /archive/,
  /locations/), with the switch on and off; the difference is what the pictures add
  to a cold build's rendering (an edit re-renders only the pages that changed).

Whole-build figures come from `bench_build.py` run twice, with `charts = false` added to
the scratch root's site.toml for the second run.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import synth  # noqa: E402

from generator.archive import build_archive  # noqa: E402
from generator.charts import archive_chart, term_chart  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.content import load_articles  # noqa: E402
from generator.errors import Warnings  # noqa: E402
from generator.render import make_environment, site_jobs  # noqa: E402


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    root = Path(tempfile.gettempdir()) / "broadsheet-bench" / f"pictures-a{args.articles}-s{args.seed}"
    if not (root / "content" / "articles").is_dir():
        synth.write_archive(root, args.articles, args.seed)
    config = load_config(root)
    articles = load_articles(config.articles_dir, root, Warnings())
    archive = build_archive(articles, config.taxonomies)
    terms = [t for tax in archive.taxonomies.values() for t in tax.terms]

    def charts() -> None:
        for term in terms:
            term_chart(term)
        archive_chart(archive.years)

    def render(settings) -> callable:
        env = make_environment(settings, archive.taxonomies)
        jobs = [j for j in site_jobs(archive, settings)
                if (j.template == "term.html" and "/page/" not in j.path) or j.path in ("archive/index.html", "locations/index.html")]
        return lambda: [env.get_template(j.template).render(j.context) for j in jobs], len(jobs)

    on, pages = render(config)
    off, _ = render(dataclasses.replace(config, charts=False))
    compute = median_seconds(charts, args.runs)
    with_pictures = median_seconds(on, args.runs)
    without = median_seconds(off, args.runs)
    print(f"{len(articles)} articles, {len(terms)} terms, {pages} pages with a picture; median of {args.runs} runs")
    print(f"  charts worked out:        {compute:6.2f} s")
    print(f"  those pages, charts on:   {with_pictures:6.2f} s")
    print(f"  those pages, charts off:  {without:6.2f} s")
    print(f"  pictures add:             {with_pictures - without:6.2f} s to rendering them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
