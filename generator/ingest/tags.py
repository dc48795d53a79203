"""Tags: an article's salient noun phrases, found with the tagger and a POS Matcher.

A candidate is an adjective-noun phrase whose head noun is lemmatised; people and places
the article names, generic nouns ("year", "official") and weak adjectives ("several")
are left out; phrases in the headline and repeated phrases weigh more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Token

MIN_TAGS, MAX_TAGS = 3, 8

#: Nouns too general to be a tag on their own (or, for the time words, as a head).
STOP_NOUNS = frozenset("""
    people person thing year time official report day week way month hour minute second
    number lot part area percent cent mr mrs ms man men woman women child world place point
    case fact kind sort end side term word thing group member others one ones something
    anything everything nothing someone anyone everyone life problem issue question reason
    result level rate deal plan move decision statement comment claim news story detail
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


def find_tags(doc: Doc, matcher: Matcher, persons: Sequence[str], locations: Sequence[str]) -> list[str]:
    """The article's 3 to 8 salient noun phrases, people and places left out."""
    banned = {n.lower() for n in [*persons, *locations]}
    banned |= {w.lower() for n in [*persons, *locations] for w in n.split()}
    title_end = doc.text.find("\n\n")
    title_end = len(doc.text) if title_end < 0 else title_end
    length = max(len(doc.text), 1)

    scores: dict[str, float] = {}
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for _, start, end in matcher(doc):
        words = _tag_words(doc, start, end)
        if not words:
            continue
        key = " ".join(words)
        if any(w in banned for w in words) or key in banned:
            continue
        pos = doc[start].idx
        weight = 2.0 - pos / length
        if pos < title_end:
            weight *= 3
        scores[key] = scores.get(key, 0.0) + weight
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, pos)
    for key in scores:
        if " " in key and counts[key] >= 2:
            scores[key] *= 1.5

    # Headlines confuse the tagger ("toolbar sparks concern"): a phrase seen only in
    # the title must be made of words that the body uses too, or it is a last resort.
    body = {w for t in doc if t.idx >= title_end for w in (t.lower_, t.lemma_.lower())}
    doubtful = {key for key in scores if counts[key] == 1 and first[key] < title_end
                and not all(part in body for w in key.split() for part in w.split("-"))}
    ranked = sorted(scores, key=lambda k: (k in doubtful, -scores[k], first[k]))
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


def _tag_words(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    """Lowercase words of a candidate phrase, head noun lemmatised; () if not a topic."""
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
        return ()
    last = groups[-1][-1]
    if last.pos_ != "NOUN":
        return ()
    head = "".join(t.lower_ for t in groups[-1][:-1]) + last.lemma_.lower()
    words = tuple("".join(t.lower_ for t in g) for g in groups[:-1]) + (head,)
    if last.lemma_.lower() in _TIME_HEADS or (len(words) == 1 and head in STOP_NOUNS):
        return ()
    return words


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
