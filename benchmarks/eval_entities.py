"""Entity extraction quality on a CoNLL-2003 style file, through the real ingest path.

    python benchmarks/eval_entities.py PATH [--limit N] [--show N]

PATH holds documents separated by `-DOCSTART-` lines, one token a line
("token POS chunk NER-IOB"), blank lines between sentences. Each document is rebuilt as a
seed would arrive: its first sentence is the title line, then a blank line, then one
paragraph per sentence (Reuters wires are mostly one sentence a paragraph, and result
tables are one row a line). Tokens are joined with spaces, except that punctuation,
quotes, brackets and clitics ("'s", "n't") are attached the way they are written.

The text then goes through what `python build.py` does to a seed -- `clean_text`,
`extract_metadata`, `analysis_text` -- and `Analyzer.analyse` (the names an index page
lists) and `Analyzer.mentions` (the character spans behind them, after the same filtering
and relabelling). Gold tokens are found in the analysed text in order, so text that
cleaning dropped counts as missed.

Two levels are scored, per type (PER, LOC, ORG; MISC is not extracted):

* mentions: exact character span and type;
* documents: the set of distinct names per document. Gold names are the mention strings,
  compared case-insensitively with full stops, a final "'s" and a quoted nickname
  ('Roberto "Hands of Stone" Duran') ignored, and with the
  country abbreviations the analyser expands ("U.S.", "Britain") read as the country
  name on both sides. A gold PER name whose words all occur, in order, in exactly one
  longer gold PER name of the same document is that person ("Simmons" -> "Phil
  Simmons"); if they occur in several it is dropped, since it is one of those already
  counted.

"prose" leaves out result tables and lists: documents where at least 8% of the tokens
contain a digit, or the mean sentence is shorter than 12 tokens. Articles per second is
`Analyzer.analyse` alone on all documents, model loaded, one process. Prints a Markdown
table for the README.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.ingest import analysis_text  # noqa: E402
from generator.ingest.clean import clean_text  # noqa: E402
from generator.ingest.entities import (  # noqa: E402
    COUNTRY_ABBREVIATIONS,
    LOCATION,
    ORGANIZATION,
    PERSON,
    Analyzer,
)
from generator.ingest.metadata import extract_metadata  # noqa: E402
from generator.ingest.rules import RULES  # noqa: E402

TYPES = ("PER", "LOC", "ORG")
KIND_TYPE = {PERSON: "PER", LOCATION: "LOC", ORGANIZATION: "ORG"}

#: Tokens written without a space before them, or after them.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "N'T",
                    "'re", "'ve", "'ll", "'d", "'m", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}
#: A table or list rather than prose.
DIGIT_SHARE, MIN_MEAN_SENTENCE = 0.08, 12


@dataclass
class Document:
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)  # (token, IOB tag)

    @property
    def tokens(self) -> list[tuple[str, str]]:
        return [t for s in self.sentences for t in s]

    @property
    def is_prose(self) -> bool:
        tokens = [t for t, _ in self.tokens]
        digits = sum(any(c.isdigit() for c in t) for t in tokens) / max(len(tokens), 1)
        mean = len(tokens) / max(len(self.sentences), 1)
        return digits < DIGIT_SHARE and mean >= MIN_MEAN_SENTENCE


def read_conll(path: Path) -> list[Document]:
    docs: list[Document] = []
    sentence: list[tuple[str, str]] = []

    def close() -> None:
        if sentence and docs:
            docs[-1].sentences.append(list(sentence))
        sentence.clear()

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            close()
        elif parts[0] == "-DOCSTART-":
            close()
            docs.append(Document())
        else:
            if len(parts) < 2:
                raise SystemExit(f"{path}:{number}: expected 'token ... NER-tag', got {line!r}")
            if not docs:
                docs.append(Document())
            sentence.append((parts[0], parts[-1]))
    close()
    return [d for d in docs if d.sentences]


def detokenise(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens as written, and each token's (start, end) in that text."""
    text, spans, open_quote, glue = "", [], False, True
    for token in tokens:
        space = not glue
        if token in _NO_SPACE_BEFORE or token.lower() in _NO_SPACE_BEFORE:
            space = False
        if token == '"':
            space = space and not open_quote
            glue = not open_quote  # an opening quote sticks to what follows
            open_quote = not open_quote
        else:
            glue = token in _NO_SPACE_AFTER
        text += " " if space and text else ""
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


def rebuild(doc: Document) -> tuple[str, list[str]]:
    """The seed text (title line, blank line, paragraphs) and the tokens in text order."""
    lines = [detokenise([t for t, _ in s])[0] for s in doc.sentences]
    return "\n\n".join(lines) + "\n", [t for t, _ in doc.tokens]


def align(text: str, tokens: list[str], window: int = 200) -> list[tuple[int, int] | None]:
    """Each token's span in `text`, found in order; None for tokens the cleaning dropped."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for token in tokens:
        at = text.find(token, pos, pos + window + len(token))
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(token)))
        pos = at + len(token)
    return spans


def gold_mentions(doc: Document) -> list[tuple[int, int, str]]:
    """(first token, end token, type) of each PER/LOC/ORG mention; IOB1 or IOB2."""
    found: list[tuple[int, int, str]] = []
    start, kind = None, None
    tags = [tag for _, tag in doc.tokens] + ["O"]
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and label != kind) or prefix == "O"
        if begins and start is not None:
            found.append((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and start is None:
            start, kind = i, label
    return [m for m in found if m[2] in TYPES]


class NameKey:
    """How names are compared at the document level (see the module docstring)."""

    def __init__(self, analyzer: Analyzer):
        countries = analyzer.gazetteer.countries_by_iso
        self.aliases = {k.replace(".", ""): countries[iso].lower() for k, iso in COUNTRY_ABBREVIATIONS.items()}

    def __call__(self, name: str) -> str:
        key = re.sub(r"\s+", " ", re.sub(r'"[^"]*"', " ", name)).strip().lower()
        key = re.sub(r"\s*['’]s?$", "", key).replace(".", "")
        return self.aliases.get(key, key)


def fold_gold_persons(names: list[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        words = name.lower().split()
        longer = {o.lower() for o in names if len(o.split()) > len(words) and _subsequence(words, o.lower().split())}
        if not longer:
            out.add(name)
        elif len(longer) == 1:
            out.add(next(o for o in names if o.lower() in longer))
    return out


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, kind: str, gold: set, predicted: set) -> None:
        self.tp[kind] += len(gold & predicted)
        self.fp[kind] += len(predicted - gold)
        self.fn[kind] += len(gold - predicted)

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def prepare(docs: list[Document]) -> tuple[list[str], list[list[tuple[int, int] | None]]]:
    """Each document as the analyser reads it after ingest, and its tokens' spans in that text."""
    texts, token_spans = [], []
    for doc in docs:
        seed, tokens = rebuild(doc)
        text = analysis_text(extract_metadata(clean_text(seed)))
        texts.append(text)
        token_spans.append(align(text, tokens))
    return texts, token_spans


def evaluate(docs: list[Document], analyzer: Analyzer, show: int = 0) -> tuple[dict, float]:
    texts, token_spans = prepare(docs)
    analyzer.analyse(texts[:2])  # load the model outside the timing
    began = time.perf_counter()
    analyses = analyzer.analyse(texts)
    rate = len(texts) / (time.perf_counter() - began)
    mentions = analyzer.mentions(texts)
    return score(docs, texts, token_spans, analyses, mentions, NameKey(analyzer), show), rate


def score(docs: list[Document], texts: list[str], token_spans: list, analyses: list, mentions: list,
          key: NameKey, show: int = 0) -> dict:
    scores = {(subset, level): Score() for subset in ("all", "prose") for level in ("mentions", "documents")}
    shown = 0
    for doc, text, spans, analysis, predicted in zip(docs, texts, token_spans, analyses, mentions):
        subsets = ["all"] + (["prose"] if doc.is_prose else [])
        gold_spans: dict[str, set] = {t: set() for t in TYPES}
        gold_names: dict[str, list[str]] = {t: [] for t in TYPES}
        for first, end, kind in gold_mentions(doc):
            found = [s for s in spans[first:end] if s is not None]
            if len(found) != end - first:
                gold_spans[kind].add(("missing", first))  # cleaning dropped it: a miss
                continue
            gold_spans[kind].add((found[0][0], found[-1][1]))
            gold_names[kind].append(text[found[0][0]:found[-1][1]])
        gold_names["PER"] = list(fold_gold_persons(gold_names["PER"]))
        pred_spans = {t: {(s, e) for s, e, k in predicted if KIND_TYPE[k] == t} for t in TYPES}
        pred_names = {"PER": analysis.persons, "LOC": analysis.locations, "ORG": analysis.organizations}
        for t in TYPES:
            g, p = {key(n) for n in gold_names[t]}, {key(n) for n in pred_names[t]}
            for subset in subsets:
                scores[subset, "mentions"].add(t, gold_spans[t], pred_spans[t])
                scores[subset, "documents"].add(t, g, p)
            if shown < show and (g != p):
                print(f"[{t}] {text[:60]!r}\n   missed {sorted(g - p)}\n   extra  {sorted(p - g)}")
        shown += 1 if show else 0
    return scores


def ablate(docs: list[Document], analyzer: Analyzer) -> str:
    """What each rule gains: document-level F1 with every rule, then without each one.

    The model reads each document once; only the rules run again.
    """
    texts, token_spans = prepare(docs)
    parsed = analyzer.docs(texts)
    key = NameKey(analyzer)

    def f1s(skip: frozenset[str]) -> dict[tuple[str, str], float]:
        analyzer.skip = skip
        results = [analyzer.analyse_doc(d, t) for d, t in zip(parsed, texts)]
        found = [[(m.start, m.end, m.kind) for m in ms] for _, ms in results]
        scores = score(docs, texts, token_spans, [a for a, _ in results], found, key)
        return {(subset, t): scores[subset, "documents"].prf(t)[2] for subset in ("all", "prose") for t in TYPES}

    full = f1s(frozenset())
    cols = [(subset, t) for t in TYPES for subset in ("all", "prose")]
    rows = ["| Rule | " + " | ".join(f"{t} {subset}" for subset, t in cols) + " |",
            "|" + " --- |" * (1 + len(cols)),
            "| all rules (F1) | " + " | ".join(f"{full[c]:.3f}" for c in cols) + " |"]
    for rule in RULES:
        without = f1s(frozenset({rule.name}))
        rows.append(f"| {rule.name} (gain) | " + " | ".join(f"{full[c] - without[c]:+.3f}" for c in cols) + " |")
    analyzer.skip = frozenset()
    return "\n".join(rows)


def table(scores: dict, docs: list[Document], rate: float) -> str:
    prose = sum(d.is_prose for d in docs)
    head = "| Documents | Level | " + " | ".join(f"{t} P | {t} R | {t} F1" for t in TYPES) + " |"
    rows = [head, "|" + " --- |" * (2 + 3 * len(TYPES))]
    for subset, count in (("all", len(docs)), ("prose", prose)):
        for level in ("mentions", "documents"):
            s = scores[subset, level]
            cells = " | ".join(f"{v:.2f}" for t in TYPES for v in s.prf(t))
            rows.append(f"| {subset} ({count}) | {level} | {cells} |")
    rows.append("")
    rows.append(f"`Analyzer.analyse`: {rate:.1f} articles/s (one process, {len(docs)} documents, "
                f"{sum(len(d.tokens) for d in docs) / len(docs):.0f} tokens each on average).")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score person/location/organization extraction on a CoNLL-2003 file.")
    parser.add_argument("path", type=Path, metavar="PATH", help="CoNLL-2003 style file (token POS chunk NER)")
    parser.add_argument("--limit", type=int, metavar="N", help="score only the first N documents")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print the name differences of the first N documents")
    parser.add_argument("--ablate", action="store_true", help="also print what each entity rule gains (F1 with it minus without it)")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path}: no such file")
    docs = read_conll(args.path)[: args.limit]
    if not docs:
        parser.error(f"{args.path}: no documents")
    analyzer = Analyzer()
    scores, rate = evaluate(docs, analyzer, show=args.show)
    print(table(scores, docs, rate))
    if args.ablate:
        print()
        print(ablate(docs, analyzer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
