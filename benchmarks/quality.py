"""Every extraction-quality measure in one command: names, pages, cleaning and tags.

    python benchmarks/quality.py --conll CONLL_FILE --scraped SEEDS_DIR --categorised CORPUS [--scratch DIR]

Runs, one after the other, each with the real ingest and build code:

1. `eval_entities.py CONLL_FILE --ablate`: per-document person, place and organization F1
   on a gold-labelled set, and what each entity rule gains;
2. `eval_pages.py gold CONLL_FILE`: page precision of the persons and places indexes;
3. `eval_cleaning.py SEEDS_DIR`: furniture lines removed and prose lines kept, against the
   hand-labelled lines in `benchmarks/labels/`;
4. `eval_pages.py look SEEDS_DIR`: the 30 most covered person and place pages of a scraped
   archive, and persons with two pages, for a human look;
5. `eval_tags.py CORPUS`: tag purity, topic coverage and shared tags on a corpus split into
   one folder per topic.

Any of the three inputs may be left out; its measures are skipped. Scratch site roots go
under `--scratch` (a new temporary folder by default) and are reused on a second run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(title: str, args: list[str]) -> int:
    print(f"\n## {title}\n", flush=True)
    began = time.perf_counter()
    code = subprocess.call([sys.executable, *args])
    print(f"\n({time.perf_counter() - began:.0f} s, exit {code})", flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every extraction-quality measure.")
    parser.add_argument("--conll", type=Path, help="CoNLL-2003 style gold file")
    parser.add_argument("--scraped", type=Path, help="folder of scraped seeds (furniture left in)")
    parser.add_argument("--categorised", type=Path, help="corpus with one sub-folder of articles per topic")
    parser.add_argument("--scratch", type=Path, help="where scratch site roots go (default: a new temporary folder)")
    args = parser.parse_args(argv)
    if not (args.conll or args.scraped or args.categorised):
        parser.error("give at least one of --conll, --scraped, --categorised")
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="quality-"))
    codes = []
    if args.conll:
        codes.append(run("Entities: per-document F1 and each rule's gain",
                         [str(HERE / "eval_entities.py"), str(args.conll), "--ablate"]))
        codes.append(run("Index pages: page precision",
                         [str(HERE / "eval_pages.py"), "gold", str(args.conll), "--root", str(scratch / "gold")]))
    if args.scraped:
        codes.append(run("Cleaning: furniture removed, prose kept", [str(HERE / "eval_cleaning.py"), str(args.scraped)]))
        codes.append(run("Index pages of a scraped archive: most covered",
                         [str(HERE / "eval_pages.py"), "look", str(args.scraped), "--root", str(scratch / "scraped")]))
    if args.categorised:
        codes.append(run("Tags: purity, topic coverage, shared tags",
                         [str(HERE / "eval_tags.py"), str(args.categorised), "--root", str(scratch / "tags")]))
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
