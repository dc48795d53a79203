"""How right the persons and places indexes are: page precision on gold names, and a look at real archives.

    python benchmarks/eval_pages.py gold CONLL_FILE --root SCRATCH [--names FILE]
    python benchmarks/eval_pages.py look SEEDS... --root SCRATCH [--names FILE] [--top 30]

`gold` rebuilds each document of a CoNLL-2003 style file as a seed (as `eval_entities.py`
does), ingests them once into SCRATCH with `python build.py ingest`, then builds the site
model the way a build does (load the content, then the archive-wide name decisions) and
reports:

* page precision: the share of person pages (place pages) whose name is a gold person
  (place) name somewhere in the archive, each page weighted by its article count; names
  are compared case-insensitively, without full stops or a final "'s", country variants
  read as the country;
* page recall: the share of gold persons named in two documents or more that have a page (a
  scorecard's initial and surname, "A. Quell", has one when the archive's one person page of that
  initial and surname is there: the build gives them that page).

`look` ingests seed files (folders or files) once into SCRATCH and prints the most covered
person and place pages, and persons that have two pages (a surname page beside a full-name
page, or two full names that differ only in a middle name or initial).

`--names FILE` uses an older `names.py` instead (e.g. one taken from git) with its
`canonicalise(articles, aliases, known_place)` and no kind decisions: the "before" figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.eval_entities import detokenise, fold_gold_persons, gold_mentions, read_conll, rebuild  # noqa: E402
from generator.archive import term_slug  # noqa: E402
from generator.content import load_articles  # noqa: E402
from generator.decisions.names import COUNTRY_VARIANTS, Aliases, person_key  # noqa: E402
from generator.decisions.pages import decide_pages  # noqa: E402
from generator.errors import Warnings  # noqa: E402
from generator.model import Article  # noqa: E402
from generator.places import Gazetteer  # noqa: E402


def ingest_once(root: Path, seeds: dict[str, str] | Sequence[Path]) -> None:
    """Write the seeds and ingest them, unless ROOT already holds ingested content."""
    if (root / "content" / "articles").is_dir():
        return
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    if isinstance(seeds, dict):
        for name, text in seeds.items():
            (root / "seeds" / name).write_text(text, encoding="utf-8")
    else:
        for path in seeds:
            # Folders of one archive may repeat file names ("business/001.txt"): keep the folder in the name.
            (root / "seeds" / f"{path.parent.name}-{path.name}").write_bytes(path.read_bytes())
    subprocess.run([sys.executable, str(REPO / "build.py"), "ingest", "--root", str(root), "-q"], check=True)


def site_model(root: Path, names_file: Path | None) -> list[Article]:
    """The articles as the built site's index pages list them."""
    articles = load_articles(root / "content" / "articles", root, Warnings())
    gazetteer = Gazetteer()
    if names_file is None:
        return decide_pages(articles, Aliases(), gazetteer.lookup).articles
    spec = importlib.util.spec_from_file_location("names_before", names_file)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["names_before"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.canonicalise(articles, module.Aliases(), gazetteer.lookup)


def pages(articles: Sequence[Article], taxonomy: str) -> list[tuple[str, int]]:
    """(page name, articles) as the index shows them: names sharing a slug share a page."""
    members: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in article.terms(taxonomy):
            members[term_slug(name)].add(article.slug)
            spellings[term_slug(name)][name] += 1
    out = [(spellings[s].most_common(1)[0][0], len(m)) for s, m in members.items()]
    return sorted(out, key=lambda p: (-p[1], p[0]))


def key(name: str) -> str:
    folded = re.sub(r"\s*['’]s?$", "", " ".join(name.split()).casefold()).replace(".", "")
    return COUNTRY_VARIANTS.get(folded, COUNTRY_VARIANTS.get(folded + ".", folded)).casefold()


def gold(path: Path, root: Path, names_file: Path | None) -> None:
    docs = read_conll(path)
    ingest_once(root, {f"doc-{i:03d}.txt": rebuild(doc)[0] for i, doc in enumerate(docs)})
    gold_names: dict[str, set[str]] = {"PER": set(), "LOC": set()}
    persons_in: Counter[str] = Counter()
    for doc in docs:
        tokens = [t for t, _ in doc.tokens]
        found: dict[str, list[str]] = {"PER": [], "LOC": [], "ORG": []}
        for first, end, kind in gold_mentions(doc):
            found[kind].append(detokenise(tokens[first:end])[0])
        for kind in ("PER", "LOC"):
            gold_names[kind].update(key(n) for n in found[kind])
        persons_in.update({key(n) for n in fold_gold_persons(found["PER"])})
    articles = site_model(root, names_file)
    print(f"{len(docs)} documents, {len(articles)} articles")
    for taxonomy, kind in (("persons", "PER"), ("locations", "LOC")):
        listed = pages(articles, taxonomy)
        total = sum(n for _, n in listed)
        right = sum(n for name, n in listed if key(name) in gold_names[kind])
        wrong = [(name, n) for name, n in listed if key(name) not in gold_names[kind]]
        print(f"{taxonomy}: {len(listed)} pages, precision (article-weighted) {right / max(total, 1):.3f}; "
              f"unweighted {sum(key(n) in gold_names[kind] for n, _ in listed) / max(len(listed), 1):.3f}")
        print("   wrong, most covered:", ", ".join(f"{n} ({c})" for n, c in wrong[:15]))
    have = {key(name) for name, _ in pages(articles, "persons")}
    # A scorecard's "A. Quell" has a page when the archive's one person of that initial and surname has one.
    initials = Counter((k.split()[0][0], k.split()[-1]) for k in have if len(k.split()) >= 2)
    found = {p for p in persons_in if p in have or (
        len(p.split()) == 2 and len(p.split()[0]) == 1 and initials[p.split()[0], p.split()[1]] == 1)}
    often = [p for p, n in persons_in.items() if n >= 2]
    print(f"gold persons in 2+ documents with a page: {sum(p in found for p in often)}/{len(often)} "
          f"= {sum(p in found for p in often) / max(len(often), 1):.3f}")
    print("   missing:", ", ".join(sorted(p for p in often if p not in found)[:25]))


def two_pages(listed: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    """Persons on two pages: a surname page beside the full name, middle-name and initial variants, or an initial
    and a surname beside the one full name of that initial and surname."""
    fulls: dict[str, list[str]] = defaultdict(list)
    by_first_last: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, _ in listed:
        k = person_key(name)
        if k is not None:
            fulls[k.last].append(name)
            by_first_last[k.first, k.last].append(name)
    pairs = [(name, fulls[name.casefold()][0]) for name, _ in listed
             if len(name.split()) == 1 and len(fulls.get(name.casefold(), ())) == 1]
    pairs += [(names[0], other) for names in by_first_last.values() for other in names[1:]]
    by_initial: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (first, last), names in by_first_last.items():
        by_initial[first[0], last] += names
    for name, _ in listed:  # "A. Quell" beside the one full name of that initial and surname
        words = name.replace(".", " ").casefold().split()
        fulls_of = by_initial.get((words[0], words[1]), []) if len(words) == 2 and len(words[0]) == 1 else []
        if len(fulls_of) == 1:
            pairs.append((name, fulls_of[0]))
    return pairs


def look(seeds: Sequence[Path], root: Path, names_file: Path | None, top: int) -> None:
    files = [p for s in seeds for p in (sorted(s.rglob("*.txt")) if s.is_dir() else [s])]
    ingest_once(root, files)
    articles = site_model(root, names_file)
    print(f"{len(articles)} articles")
    for taxonomy in ("persons", "locations"):
        listed = pages(articles, taxonomy)
        single = sum(1 for _, n in listed if n == 1)
        print(f"\n{taxonomy}: {len(listed)} pages, {single} with one article. Most covered:")
        print("   " + ", ".join(f"{name} ({n})" for name, n in listed[:top]))
    pairs = two_pages(pages(articles, "persons"))
    print(f"\npersons with two pages: {len(pairs)}")
    print("   " + "; ".join(f"{a} / {b}" for a, b in pairs[:20]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("gold", "look"))
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--root", type=Path, required=True, help="scratch site root (ingested once, then reused)")
    parser.add_argument("--names", type=Path, help="an older names.py to compare with (no kind decisions)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    if args.mode == "gold":
        gold(args.paths[0], args.root, args.names)
    else:
        look(args.paths, args.root, args.names, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
