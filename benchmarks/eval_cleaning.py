"""How well cleaning removes site furniture and keeps prose, against hand-labelled lines.

    python benchmarks/eval_cleaning.py SEEDS_DIR [--labels TSV] [--impl current|before|justext] [--show]
    python benchmarks/eval_cleaning.py SEEDS_DIR --unlabelled [--limit N]

Runs the real cleaning on every labelled seed, with the archive model learned from the whole
folder (every `*.txt` under SEEDS_DIR, as ingest learns from `seeds/`), and reports the share
of furniture lines removed and of prose lines kept. Labels are a TSV of `sha1(stripped line)`,
seed file name and `furniture`/`prose`, so no seed text is stored with the project.

`--impl before` runs the cleaning as it was at git tag `issue8-before` (per-document rules
only); `--impl justext` runs jusText's own classifier (the optional `justext` package) on the
lines wrapped in `<p>`. `--unlabelled` cleans a folder with no labels and reports the share of
lines kept (for clean news nearly all lines are prose). `--show` lists misclassified lines.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import importlib.util
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.ingest.clean import clean_text, learn_furniture  # noqa: E402
from generator.ingest.decode import decode_seed  # noqa: E402

DEFAULT_LABELS = Path(__file__).resolve().parent / "labels" / "ptc_furniture.tsv"
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")

#: Cleans one decoded seed, returning the kept body paragraphs.
Cleaner = Callable[[str], list[str]]


def _norm(text: str) -> str:
    """Compare lines without whitespace, case, entities or tags (cleaning may decode those)."""
    return re.sub(r"\s+", "", html.unescape(_TAG.sub("", text))).lower()


def kept_lines(lines: list[str], paragraphs: list[str]) -> list[bool]:
    """Which of a seed's body lines survive in its cleaned paragraphs, matched in order."""
    joined = "".join(_norm(p) for p in paragraphs)
    pos, kept = 0, []
    for line in lines:
        n = _norm(line)
        if n and joined.startswith(n, pos):
            kept.append(True)
            pos += len(n)
        else:
            kept.append(False)
    return kept


def seed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt") if not p.stem.lower().startswith("readme"))


def current_cleaner(texts: dict[Path, str]) -> Cleaner:
    model = learn_furniture(texts.values())
    return lambda text: list(clean_text(text, model).paragraphs)


def before_cleaner(texts: dict[Path, str]) -> Cleaner:
    source = subprocess.run(["git", "-C", str(REPO), "show", "issue8-before:generator/ingest/clean.py"],
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "clean_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("clean_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return lambda text: list(module.clean_text(text).paragraphs)


def justext_cleaner(texts: dict[Path, str]) -> Cleaner:
    import justext  # optional: only this comparison needs it

    stoplist = justext.get_stoplist("English")

    def clean(text: str) -> list[str]:
        lines = [line.strip() for line in text.strip().split("\n")[1:] if line.strip()]
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
        return [p.text for p in justext.justext(page.encode("utf-8"), stoplist, encoding="utf-8") if not p.is_boilerplate]

    return clean


CLEANERS: dict[str, Callable[[dict[Path, str]], Cleaner]] = {
    "current": current_cleaner, "before": before_cleaner, "justext": justext_cleaner,
}


@dataclass
class Score:
    furniture: int = 0
    furniture_removed: int = 0
    prose: int = 0
    prose_kept: int = 0
    wrong: list[tuple[str, str, str]] = field(default_factory=list)


def body_of(text: str) -> list[str]:
    return [line for line in text.strip().split("\n")[1:] if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="folder of seed files (the archive the model learns from)")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--impl", choices=sorted(CLEANERS), default="current")
    parser.add_argument("--unlabelled", action="store_true", help="no labels: report the share of lines kept")
    parser.add_argument("--limit", type=int, help="with --unlabelled: clean only this many seeds (spread evenly)")
    parser.add_argument("--show", action="store_true", help="list misclassified lines")
    args = parser.parse_args(argv)

    files = seed_files(args.seeds)
    started = time.perf_counter()
    texts = {path: decode_seed(path.read_bytes()) for path in files}
    clean = CLEANERS[args.impl](texts)
    learned = time.perf_counter() - started
    print(f"{args.impl}: {len(files)} seeds read and model learned in {learned:.2f} s")

    if args.unlabelled:
        chosen = files if not args.limit else files[:: max(1, len(files) // args.limit)][: args.limit]
        total = kept = 0
        for path in chosen:
            lines = body_of(texts[path])
            flags = kept_lines(lines, clean(texts[path]))
            total, kept = total + len(flags), kept + sum(flags)
            if args.show:
                for line, ok in zip(lines, flags, strict=True):
                    if not ok:
                        print(f"  removed  {path.name}: {line[:120]}")
        print(f"lines kept: {kept}/{total} = {100 * kept / max(total, 1):.2f}% over {len(chosen)} seeds")
        return 0

    labels: dict[tuple[str, str], str] = {}
    for row in args.labels.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            digest, name, label = row.split("\t")
            labels[(name, digest)] = label
    by_name = {path.name: path for path in files}
    score = Score()
    for name in sorted({name for name, _ in labels}):
        text = texts[by_name[name]]
        lines = body_of(text)
        for line, ok in zip(lines, kept_lines(lines, clean(text)), strict=True):
            label = labels.get((name, hashlib.sha1(line.strip().encode("utf-8")).hexdigest()))
            if label == "furniture":
                score.furniture += 1
                score.furniture_removed += not ok
                if ok:
                    score.wrong.append(("furniture kept", name, line))
            elif label == "prose":
                score.prose += 1
                score.prose_kept += ok
                if not ok:
                    score.wrong.append(("prose removed", name, line))
    seeds = len({name for name, _ in labels})
    print(f"labelled lines: {score.furniture + score.prose} in {seeds} seeds")
    print(f"furniture removed: {score.furniture_removed}/{score.furniture} = {100 * score.furniture_removed / max(score.furniture, 1):.1f}%")
    print(f"prose kept:        {score.prose_kept}/{score.prose} = {100 * score.prose_kept / max(score.prose, 1):.2f}%")
    if args.show:
        for what, name, line in score.wrong:
            print(f"  {what:15} {name}: {line[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
