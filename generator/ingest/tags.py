"""Tags, first half: each article's candidate phrases, scored within the article.

A candidate is an adjective-noun phrase whose head noun is lemmatised, or one of its nouns
alone (a broader subject: "film" from "film festival"); people and places the article
names, generic nouns ("year", "official"), weak adjectives ("several") and units (a noun
the article mostly writes right after a number: "mln", "pct", "tonnes") are left out;
phrases in the headline and repeated phrases weigh more. Which candidates become an
article's tags is an archive-wide decision (generator/decisions/tags.py): a phrase is a
good tag when it recurs across the archive without being everywhere. `ArticleTags.chosen`
is the article's own best guess, for an analysis made without an archive in view.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Token

MIN_TAGS, MAX_TAGS = 3, 8
#: Candidates kept per article for the archive-wide choice (best first).
MAX_CANDIDATES = 40
#: A single noun taken out of a longer phrase weighs this much of the phrase.
SUBJECT_WEIGHT = 0.5

#: Nouns too general to be a tag on their own (or, for the time words, as a head).
STOP_NOUNS = frozenset("""
    people person thing year time official report day week way month hour minute second
    number lot part area percent cent mr mrs ms man men woman women child world place point
    case fact kind sort end side term word thing group member others one ones something
    anything everything nothing someone anyone everyone life problem issue question reason
    result level rate deal plan move decision statement comment claim story detail
    bit couple dozen hundred thousand million billion today yesterday tomorrow morning
    evening night afternoon weekend spokesman spokeswoman source information interview
    think idea example chance matter view use need lead step stage start show top line
    series list set form kind type way company firm country money service event win net
    director leader analyst minister chief region move effort
""".split())
_TIME_HEADS = frozenset("""
    year time day week month hour minute second today morning evening night afternoon
    weekend percent cent number lot
""".split())

#: Adjectives that carry no topic ("several", "former"): dropped from the front of a tag.
WEAK_ADJECTIVES = frozenset("""
    other many several such same own certain more most less least last next first second
    third few further various much additional former recent unknown immediate big good bad
    great new old high low little large small whole full only real top latest early late
    previous current possible likely different similar particular general specific key
    main important extra overall total long short best better worst able available
    clear strong hard right wrong sure free open final past present due likely older
    younger bigger smaller larger higher lower
""".split())


@dataclass(frozen=True)
class ArticleTags:
    """An article's scored candidates and, from them alone, its own best tags.

    Iterating gives the chosen tags, so an analysis that never sees the archive still
    has 3 to 8 tags.
    """

    chosen: tuple[str, ...]
    #: (phrase, salience in the article), best first; the head noun of a phrase is
    #: lemmatised unless the article only writes it in the plural ("politics").
    candidates: tuple[tuple[str, float], ...]

    def __iter__(self) -> Iterator[str]:
        return iter(self.chosen)

    def __len__(self) -> int:
        return len(self.chosen)


def find_tags(doc: Doc, matcher: Matcher, persons: Sequence[str], locations: Sequence[str],
              tokens: Sequence[Token] | None = None) -> ArticleTags:
    """The article's candidate phrases scored within it, and its 3 to 8 best.

    `tokens` is `list(doc)` if the caller has it (spaCy makes each Token anew per pass).
    """
    tokens = list(doc) if tokens is None else tokens
    banned = {n.lower() for n in [*persons, *locations]}
    banned |= {w.lower() for n in [*persons, *locations] for w in n.split()}
    text = doc.text  # built anew on every access
    title_end = text.find("\n\n")
    title_end = len(text) if title_end < 0 else title_end
    length = max(len(text), 1)
    units = _units(tokens)
    written = _Written.of(tokens, title_end)

    scores: dict[str, float] = {}
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    subjects: dict[str, float] = {}
    for _, start, end in matcher(doc):
        found = _tag_words(doc, start, end, written)
        if not found:
            continue
        words, nouns = found
        key = " ".join(words)
        if any(w in banned or w in units for w in words) or key in banned:
            continue
        pos = doc[start].idx
        weight = 2.0 - pos / length
        if pos < title_end:
            weight *= 3
        scores[key] = scores.get(key, 0.0) + weight
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, pos)
        if len(words) > 1:
            for noun in nouns:
                if noun not in STOP_NOUNS and noun not in _TIME_HEADS and noun not in banned:
                    subjects[noun] = subjects.get(noun, 0.0) + weight * SUBJECT_WEIGHT
    for key in scores:
        if " " in key and counts[key] >= 2:
            scores[key] *= 1.5

    # Headlines confuse the tagger ("toolbar sparks concern"): a phrase seen only in
    # the title must be made of words that the body uses too, or it is a last resort.
    body = {w for t in tokens if t.idx >= title_end for w in (t.lower_, t.lemma_.lower())}
    doubtful = {key for key in scores if counts[key] == 1 and first[key] < title_end
                and not all(part in body for w in key.split() for part in w.split("-"))}
    ranked = sorted(scores, key=lambda k: (k in doubtful, -scores[k], first[k]))
    candidates = {k: scores[k] for k in ranked if k not in doubtful}
    for noun, weight in subjects.items():
        candidates[noun] = candidates.get(noun, 0.0) + weight
    best = sorted(candidates.items(), key=lambda kv: -kv[1])[:MAX_CANDIDATES]
    return ArticleTags(tuple(_choose_alone(ranked, doubtful, counts, first, title_end)),
                       tuple((k, round(v, 3)) for k, v in best))


def _choose_alone(ranked: list[str], doubtful: set[str], counts: dict[str, int],
                  first: dict[str, int], title_end: int) -> list[str]:
    """3 to 8 tags from the article alone: the best phrases that do not overlap."""
    chosen: list[str] = []
    for key in ranked:
        if len(chosen) == MAX_TAGS:
            break
        if key in doubtful or (counts[key] < 2 and first[key] >= title_end
                               and len(chosen) >= MIN_TAGS):
            continue
        if not any(_contains(key, c) or _contains(c, key) for c in chosen):
            chosen.append(key)
    # Short texts: fill up to the minimum from what is left, never inventing.
    for overlapping in (False, True):
        for key in ranked:
            if len(chosen) >= MIN_TAGS:
                break
            if key not in chosen and (overlapping or not any(
                    _contains(key, c) or _contains(c, key) for c in chosen)):
                chosen.append(key)
    return chosen


def _units(tokens: Sequence[Token]) -> set[str]:
    """Nouns the article writes right after a number at least half the time: units of measure."""
    after_number: dict[str, int] = {}
    total: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.pos_ != "NOUN":
            continue
        word = token.lower_
        total[word] = total.get(word, 0) + 1
        prev = tokens[i - 1] if i else None
        if prev is not None and (prev.like_num or prev.ent_type_ in _AMOUNTS or any(c.isdigit() for c in prev.text)):
            after_number[word] = after_number.get(word, 0) + 1
    units = {w for w, n in after_number.items() if 2 * n >= total[w]}
    return units | {t.lemma_.lower() for t in tokens if t.lower_ in units}


@dataclass(frozen=True)
class _Written:
    """How the article writes its words: what lemmatising a head noun needs to know."""

    lower: frozenset[str]  # words it writes in lower case
    singular: frozenset[str]  # nouns it writes in their lemma's form
    title_end: int  # where the headline ends

    @classmethod
    def of(cls, tokens: Sequence[Token], title_end: int) -> _Written:
        return cls(frozenset(t.text for t in tokens if t.is_lower),
                   frozenset(t.lower_ for t in tokens if t.pos_ == "NOUN" and t.lower_ == t.lemma_.lower()),
                   title_end)


_AMOUNTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})


def _lemma(token: Token, written: _Written) -> str:
    """The head's lemma; a capitalised or plural-only word keeps its written form.

    The lemmatiser strips a plural "s" from words that have no singular ("politics" ->
    "politic"): when the article never writes the lemma itself, the written word is kept. It
    reads "taxes" as the plural of "taxis": the article's own "tax" is kept instead.
    A noun the article only ever writes capitalised is name-like ("Oscars"), kept as
    written but for the plural of an acronym ("CDs").
    """
    text, lemma = token.lower_, token.lemma_.lower()
    if token.text[:1].isupper() and text not in written.lower and not _starts_sentence(token, written):
        if token.text[:-1].isupper() and token.text.endswith("s"):
            return text[:-1]
        return text
    if lemma != text and text == lemma + "s" and lemma not in written.singular and _plural_only(text):
        return text
    if lemma.endswith("is") and text == lemma[:-2] + "es" and text[:-2] in written.singular:
        return text[:-2]  # "taxes" beside "tax" is tax, not "taxis"; "crises" is crisis
    return lemma


def _starts_sentence(token: Token, written: _Written) -> bool:
    """A capital that says nothing about the word: the headline, or a sentence's first word."""
    if token.idx < written.title_end or token.i == 0:
        return True
    before = token.doc[token.i - 1]
    return before.is_space or before.text in _SENTENCE_ENDS


_SENTENCE_ENDS = frozenset({".", "!", "?", ":", ";", "\"", "'", "“", "‘", "(", "-", "–", "—"})


def _plural_only(word: str) -> bool:
    """Words such as "politics", "economics", "athletics": the -ics plurals have no singular."""
    return word.endswith("ics")


def _tag_words(doc: Doc, start: int, end: int, written: _Written) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Lowercase words of a candidate phrase (head noun lemmatised) and its nouns alone; None if not a topic."""
    # "anti-vice campaign", "e-mail": take in the front of a hyphenated word.
    while (start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
           and not doc[start - 2].whitespace_):
        start -= 2
    groups: list[list[Token]] = []  # one per written word, hyphenated ones whole
    for token in doc[start:end]:
        if groups and not groups[-1][-1].whitespace_ and (
                token.text == "-" or groups[-1][-1].text == "-"):
            groups[-1].append(token)
        else:
            groups.append([token])
    while groups and (groups[0][-1].lower_ in WEAK_ADJECTIVES or not _tag_word_ok(groups[0])
                      or any(t.ent_type_ in _NOT_TOPICS for t in groups[0])):
        groups.pop(0)
    if not groups or len(groups) > 3 or not all(_tag_word_ok(g) for g in groups):
        return None
    last = groups[-1][-1]
    if last.pos_ != "NOUN":
        return None
    head_lemma = _lemma(last, written)
    head = "".join(t.lower_ for t in groups[-1][:-1]) + head_lemma
    words = tuple("".join(t.lower_ for t in g) for g in groups[:-1]) + (head,)
    if last.lemma_.lower() in _TIME_HEADS or (len(words) == 1 and head in STOP_NOUNS):
        return None
    nouns = tuple(_lemma(g[0], written) for g in groups
                  if len(g) == 1 and g[0].pos_ == "NOUN" and g[0].ent_type_ not in _NOT_TOPICS)
    return words, nouns


_NOT_TOPICS = frozenset({"PERSON", "GPE", "LOC", "NORP", "ORG", "FAC", "DATE", "TIME",
                         "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def _tag_word_ok(group: list[Token]) -> bool:
    parts = [t for t in group if t.text != "-"]
    if not parts or group[-1].text == "-":
        return False
    if len(parts) == 1:
        t = parts[0]
        return len(t.text) > 1 and t.is_alpha and not t.is_stop and not t.like_num
    return all(t.is_alpha for t in parts)


def _contains(longer: str, shorter: str) -> bool:
    a, b = longer.split(), shorter.split()
    return len(a) > len(b) and any(a[i:i + len(b)] == b for i in range(len(a) - len(b) + 1))
