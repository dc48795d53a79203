"""How well related coverage finds stories on the same subject, for a few weightings of
persons and places against tags.

    python benchmarks/eval_related.py ROOT [--label-prefix]

ROOT is a site root whose `content/articles/*.md` carry a label for each article: with
`--label-prefix`, the part of the front matter's `seed:` file name before the first "-" or
"_" (an archive whose seeds are named `<section>-<n>.txt`, as labelled corpora often are);
otherwise the first tag. For every article, the related stories are worked out as the build
does, and we count how many carry the article's own label (precision at 5), how many
articles get a full list, and how close the bodies of the article and its related stories
are (mean cosine of word TF-IDF vectors: ranking never reads bodies, so this is an
independent sign of the same subject; a section label is coarse, a body is not). Figures are
printed per weighting (persons, places, tags).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import generator.related as related  # noqa: E402
from generator.archive import build_archive  # noqa: E402
from generator.content import split_front_matter  # noqa: E402
from generator.model import Article  # noqa: E402

WEIGHTINGS = ((1.0, 1.0, 1.0), (1.25, 1.25, 1.0), (1.5, 1.25, 1.0), (2.0, 1.5, 1.0), (2.0, 2.0, 1.0), (3.0, 3.0, 1.0),
              (1.0, 1.0, 1.5))


def vectors(bodies: dict[str, str]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF vectors of the bodies' lower-cased words."""
    words = {slug: re.findall(r"[a-z]{3,}", body.lower()) for slug, body in bodies.items()}
    df: dict[str, int] = {}
    for found in words.values():
        for word in set(found):
            df[word] = df.get(word, 0) + 1
    n = len(words)
    out = {}
    for slug, found in words.items():
        tf: dict[str, int] = {}
        for word in found:
            tf[word] = tf.get(word, 0) + 1
        vec = {w: c * math.log(n / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out[slug] = {w: v / norm for w, v in vec.items()}
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def load(root: Path, label_prefix: bool) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    articles, labels, bodies = [], {}, {}
    for path in sorted((root / "content" / "articles").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        slug = str(meta.get("slug") or path.stem)
        date = meta.get("date")
        article = Article(slug=slug, title=str(meta.get("title", slug)), summary="", body_html="",
                          date=date if hasattr(date, "toordinal") else None,
                          tags=tuple(meta.get("tags") or ()), locations=tuple(meta.get("locations") or ()),
                          persons=tuple(meta.get("persons") or ()))
        if label_prefix:
            label = re.split(r"[-_]", Path(str(meta.get("seed", ""))).name, maxsplit=1)[0]
        else:
            label = article.tags[0] if article.tags else ""
        if label:
            articles.append(article)
            labels[slug] = label
            bodies[slug] = body
    return articles, labels, bodies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision of related coverage against article labels.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--label-prefix", action="store_true", help="label = seed file name before the first - or _")
    args = parser.parse_args(argv)
    articles, labels, bodies = load(args.root, args.label_prefix)
    vec = vectors(bodies)
    archive = build_archive(articles, ("tags", "locations", "persons"))
    dated = sum(1 for a in articles if a.date)
    print(f"{len(articles)} labelled articles ({dated} dated), {len(set(labels.values()))} labels")
    print("persons places tags | precision@5 | full lists | stories shown | body cosine")
    for persons, places, tags in WEIGHTINGS:
        weights = {"persons": persons, "locations": places, "tags": tags}
        with mock.patch.dict(related.TAXONOMY_WEIGHTS, weights):
            index = related.RelatedIndex(archive, 5)
            same = shown = full = 0
            similar = 0.0
            for article in archive.articles:
                found = index.related(article)
                shown += len(found)
                full += len(found) == 5
                same += sum(labels[b.slug] == labels[article.slug] for b in found)
                similar += sum(cosine(vec[article.slug], vec[b.slug]) for b in found)
        print(f"{persons:7.2f} {places:6.2f} {tags:4.2f} | {same / max(shown, 1):11.1%} | {full / len(articles):10.1%} | "
              f"{shown:13d} | {similar / max(shown, 1):11.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
