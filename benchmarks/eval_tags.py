"""Tag quality on a categorised corpus: do tag pages hold one topic, whole?

    python benchmarks/eval_tags.py PATH_TO_CORPUS [--limit N] [--workers W] [--root DIR]

PATH holds one sub-folder per category, each with plain-text articles (`*.txt`). The
articles are copied into a scratch site root's `seeds/` and run through the real ingest
path (`generator.ingest.stage.ingest`, the build's own analyser, W worker processes); the
`tags:` of the content files written are then scored against the categories, which the
ingest never sees:

- purity: over tag pages with 3 or more articles, the share of a page's articles that are
  in the page's majority category, micro-averaged (all such pages' majority articles over
  all their articles, so a big page weighs by its size);
- coverage: for each category, the best tag page's F1 against the category's articles
  (precision: share of the page in the category; recall: share of the category on the
  page); the mean over categories;
- shared: the share of articles with at least 3 tags that some other article also has
  (3 or more of its tags each appear on at least one other article);
- the number of tags, the share of tags with one article, the 30 most used tags, tags
  per article and ingest speed (articles per second, model loading included).

With `--no-categories` any folder of articles is read (its top tags are printed, for a
look at what a reader would browse). Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class TagScores:
    purity: float
    pages: int  # tag pages with 3+ articles
    coverage: float
    best_pages: dict[str, tuple[str, float]]  # category -> (tag, F1)
    shared: float
    tags: int
    singletons: float
    per_article: float
    top: list[tuple[str, int]]


def score_tags(tags: Sequence[Sequence[str]], categories: Sequence[str]) -> TagScores:
    """Score each article's tags (in the same order as `categories`)."""
    pages: dict[str, set[int]] = defaultdict(set)
    for i, article_tags in enumerate(tags):
        for tag in article_tags:
            pages[tag].add(i)
    size = {cat: n for cat, n in Counter(categories).items()}
    majority = total = big = 0
    best: dict[str, tuple[str, float]] = {cat: ("", 0.0) for cat in size}
    for tag, members in pages.items():
        by_cat = Counter(categories[i] for i in members)
        if len(members) >= 3:
            big += 1
            majority += by_cat.most_common(1)[0][1]
            total += len(members)
        for cat, hits in by_cat.items():
            f1 = 2 * hits / (len(members) + size[cat])
            if f1 > best[cat][1]:
                best[cat] = (tag, f1)
    eligible = [t for t in tags if len(t) >= 3]
    shared = sum(1 for t in eligible if sum(len(pages[x]) > 1 for x in t) >= 3)
    counts = Counter({tag: len(m) for tag, m in pages.items()})
    return TagScores(
        purity=majority / total if total else 0.0,
        pages=big,
        coverage=sum(f for _, f in best.values()) / len(best) if best else 0.0,
        best_pages=best,
        shared=shared / len(eligible) if eligible else 0.0,
        tags=len(pages),
        singletons=sum(1 for m in pages.values() if len(m) == 1) / len(pages) if pages else 0.0,
        per_article=sum(map(len, tags)) / len(tags) if tags else 0.0,
        top=counts.most_common(30),
    )


def report(scores: TagScores, articles: int, seconds: float | None, categories: bool = True) -> str:
    lines = []
    if categories:
        lines += [
            f"purity (pages with 3+ articles, micro-averaged): {scores.purity:.3f} over {scores.pages} pages",
            f"coverage (mean best-page F1 per category):       {scores.coverage:.3f}",
            "  " + ", ".join(f"{c}: {t} {f:.2f}" for c, (t, f) in sorted(scores.best_pages.items())),
            f"articles with 3+ tags shared with another:       {scores.shared:.3f}",
        ]
    lines += [
        f"tags: {scores.tags}, with one article: {scores.singletons:.1%}, per article: {scores.per_article:.1f}",
        "top 30: " + ", ".join(f"{t} ({n})" for t, n in scores.top),
    ]
    if seconds is not None:
        lines.append(f"ingest: {articles} articles in {seconds:.1f} s = {articles / seconds:.1f} articles/s")
    return "\n".join(lines)


def find_articles(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt") if p.is_file() and not p.stem.lower().startswith("readme"))


def spread(paths: list[Path], limit: int | None) -> list[Path]:
    if limit is None or limit >= len(paths):
        return paths
    return [paths[i * len(paths) // limit] for i in range(limit)]


def ingest_tags(paths: Sequence[Path], corpus: Path, root: Path, workers: int) -> tuple[dict[Path, list[str]], float]:
    """Run the real ingest on `paths`; each source file's front matter tags, and the time taken."""
    from generator.content import ContentStore
    from generator.errors import Warnings
    from generator.ingest.stage import ingest
    from generator.pipeline import default_analyzer

    shutil.rmtree(root, ignore_errors=True)
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    names: dict[str, Path] = {}
    for path in paths:
        name = "-".join(path.relative_to(corpus).parts)
        shutil.copyfile(path, seeds / name)
        names[f"seeds/{name}"] = path
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    start = time.perf_counter()
    ingest(seeds, articles, root, default_analyzer, Warnings(), workers=workers)
    seconds = time.perf_counter() - start
    store = ContentStore(articles, root)
    store.refresh()
    found: dict[Path, list[str]] = {}
    for meta in store.front_matter().values():
        source = names.get(str(meta.get("seed")))
        if source is not None:
            found[source] = [str(t) for t in meta.get("tags") or []]
    return found, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the tags ingest gives a categorised corpus.")
    parser.add_argument("corpus", type=Path, metavar="PATH_TO_CORPUS")
    parser.add_argument("--limit", type=int, metavar="N", help="only N articles, spread over the corpus")
    parser.add_argument("--workers", type=int, default=2, metavar="W", help="analyser processes (default 2)")
    parser.add_argument("--root", type=Path, metavar="DIR", help="scratch site root, emptied first")
    parser.add_argument("--no-categories", action="store_true", help="the folder is not split by category")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    paths = spread(find_articles(args.corpus), args.limit)
    root = args.root or Path(tempfile.gettempdir()) / "broadsheet-bench" / "eval-tags"
    found, seconds = ingest_tags(paths, args.corpus, root, args.workers)
    kept = [p for p in paths if p in found]
    categories = [p.relative_to(args.corpus).parts[0] if not args.no_categories else "" for p in kept]
    scores = score_tags([found[p] for p in kept], categories)
    print(report(scores, len(paths), seconds, categories=not args.no_categories))
    return 0


if __name__ == "__main__":
    sys.exit(main())
