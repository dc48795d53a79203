"""A mention: one name as the article writes it, with its kind and where it stands.

Also the text helpers every rule uses: lines, headline case, titles and fragments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.ingest.lexicon import (
    ACRONYMS,
    NAME_PARTICLES,
    NOT_ENTITIES,
    OCCUPATIONS,
    ORG_HEAD_WORDS,
    PEOPLES,
    PERSONAL_HONORIFICS,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    PLATFORM_NAMES,
    SPORTS,
    SURNAME_TITLES,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PERSON, LOCATION, ORGANIZATION = "person", "location", "organization"
KIND_BY_LABEL = {"PERSON": PERSON, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION,
                 "ORG": ORGANIZATION}

POSSESSIVE = re.compile(r"['’]s?$")  # "Musharraf's", "Jones'"
WS = re.compile(r"\s+")
#: A dateline line: "MILWAUKEE, Wisconsin 1996-08-29", "LONDON".
DATELINE = re.compile(r"[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4},?(?: [\d/.-]+)?")
DASHES = frozenset({"-", "--", "–", "—"})
CAPS_WORD = re.compile(r"[^\W\d_][\w'’.]*")


@dataclass
class Mention:
    kind: str
    tokens: tuple[str, ...]
    start: int  # character offsets of the name as written (title and possessive left out)
    end: int
    titled: bool = False  # a title was stripped: certainly a person
    title: str | None = None  # the title word just before the name, as written ("Pope")
    place_context: bool = False  # written where places go: "in X", "the region of X"
    team: bool = False  # a town's name for its sports team ("Surrey beat Kent")
    place_of: bool = False  # after a place noun and "of": "the city of X"
    #: The name an index page lists for it; None: not listed (an ambiguous surname).
    canonical: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.tokens)


def mention_from_span(ent: Span) -> Mention | None:
    """The mention behind an entity span: title, "the", possessive and figures cut off; None if no name is left."""
    kind = KIND_BY_LABEL.get(ent.label_)
    if kind is None:
        return None
    tokens = [t for t in ent if not t.is_space]
    if len(tokens) > 1 and tokens[0].lower_.rstrip(".") in PERSONAL_HONORIFICS:
        kind = PERSON
    # Possessives and trailing punctuation: "Islamabad's", "Musharraf'".
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in {"'s", "’s"}):
        tokens.pop()
    while tokens and (tokens[0].is_punct or tokens[0].lower_ == "the"):
        tokens.pop(0)
    # A score or figure run into the name: "Leicestershire 296", "Kent 108-3"; not
    # a heading and its figure ("Attendance: 5,000").
    if kind in (PERSON, ORGANIZATION) and len(tokens) > 1:
        while len(tokens) > 1 and (any(c.isdigit() for c in tokens[-1].text)
                                   or tokens[-1].text in DASHES):
            tokens.pop()
        if tokens[-1].is_punct:
            return None
    if not tokens:
        return None
    if kind == LOCATION and is_modifier(ent):
        return None  # "the New York-based group", "pro-Moscow leaders"
    titled, title, skip = False, None, 0
    if kind == PERSON:
        tokens, skip = _after_owner(tokens)
        if not tokens:
            return None
        before = ent.doc[ent.start - 1] if ent.start > 0 else None
        titled = (before is not None and before.text[:1].isupper()
                  and is_title(before.text))
        texts = [t.text for t in tokens]
        texts[0] = texts[0][skip:]  # "fight”—Ingrid": the name starts inside its first token
        cut = max((i for i, (t, text) in enumerate(zip(tokens[:-1], texts)) if is_title(text)
                   or (text[:1].islower() and t.lower_ not in NAME_PARTICLES)), default=-1)
        title = before.text if titled and before is not None else None
        if cut >= 0:
            titled = titled or any(is_title(t.text) for t in tokens[:cut + 1])
            title = tokens[cut].text if is_title(tokens[cut].text) else title
            tokens, skip = tokens[cut + 1:], 0
        if is_title(tokens[-1].text) and not (
                len(tokens) > 1 and tokens[-1].lower_ in SURNAME_TITLES
                and not is_title(tokens[-2].text)) and not (len(tokens) == 1 and tokens[0].lower_ in OCCUPATIONS):
            return None  # "Tory Treasurer Lord": no name left; "John Major" is one; a band may be named by the word
    words = join_words(tokens)
    if kind == PERSON:  # "[Mike] Pompeo": a word the writer added in brackets is still the name's
        words = tuple(w for w in (w.replace("[", "").replace("]", "") for w in (words[0][skip:], *words[1:])) if w)
        if not words:
            return None
    words = words[:-1] + (POSSESSIVE.sub("", words[-1]),)
    if is_fragment(words):
        return None
    if kind == LOCATION and ent.label_ == "FAC" and words[-1].lower() in ORG_HEAD_WORDS:
        kind = ORGANIZATION  # "the Robert Kilroy-Silk Party"
    end = tokens[-1].idx + len(tokens[-1].text)
    if tokens[-1].text != words[-1] and tokens[-1].text.endswith(("'", "’", "'s", "’s")):
        end -= len(tokens[-1].text) - len(POSSESSIVE.sub("", tokens[-1].text))
    i = ent.start
    place_of = i > 1 and ent.doc[i - 1].lower_ == "of" and ent.doc[i - 2].lemma_.lower() in PLACE_NOUNS
    return Mention(kind, words, tokens[0].idx + skip, end, titled, title if kind == PERSON else None,
                   in_place_context(ent), place_of=place_of)


#: Inside a person's span, what ends the text before the name: a closing bracket or quote, a dash between words,
#: an owner's "'s" ("Recode's Kara Swisher", "Fight”—Pat Buchanan", "Campos) Paddock").
_ENDS_BEFORE = frozenset({")", "—", "–", "”", "'s", "’s"})
#: The same written inside one token: a dash or closing quote between words ("Fight”—Pat").
_GLUED_BREAK = re.compile(r"(?:[”)]?[—–]|”)(?=[A-Z])")


def _after_owner(tokens: list[Token]) -> tuple[list[Token], int]:
    """A person's span without what the model ran into its name, and how many characters of its
    first token are no part of the name.

    An opening bracket starts an aside ("Mirco Bergamasco (Stade Francais"): the name is
    before it. What ends before one of `_ENDS_BEFORE` is the end of other text or the
    name's owner, and the name is after it; after an owner it is a name of two words or
    more, or none ("Saviour's Day", "Pandora's Box"). A nickname in quotes stays
    ("Ted “Chappaquiddick” Kennedy").
    """
    opening = next((i for i, t in enumerate(tokens) if i and t.text == "("), None)
    if opening is not None:
        tokens = tokens[:opening]
    cut = max((i for i, t in enumerate(tokens[:-1]) if t.lower_ in _ENDS_BEFORE
               and not (t.text == "”" and any(u.text == "“" for u in tokens[:i]))), default=-1)
    if cut >= 0:
        owner = tokens[cut].lower_ in {"'s", "’s"}
        tokens = tokens[cut + 1:]
        if owner and len(tokens) < 2:
            return [], 0
    glued = max((i for i, t in enumerate(tokens) if _GLUED_BREAK.search(t.text)), default=-1)
    if glued < 0:
        return tokens, 0
    after = _GLUED_BREAK.split(tokens[glued].text)[-1]  # "fight”—Ingrid Solberg": one token holds the dash
    return tokens[glued:], len(tokens[glued].text) - len(after)


def normal_case(text: str) -> str:
    """Text with its all-capitals lines (wire headlines, datelines) in normal case.

    "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN" reads to the model as a string of
    acronyms. Each word is written the way the rest of the article writes it ("named",
    "captain" in lower case, "Shearer" capitalised); a word the article does not use is
    capitalised unless it is a stop word. Only letters change case, so every character
    offset stays the same.
    """
    lines = text.split("\n")
    caps = [n for n, line in enumerate(lines) if is_caps(line)]
    if not caps:
        return text
    from spacy.lang.en.stop_words import STOP_WORDS

    seen: dict[str, int] = {}  # lowercase word -> (times lower) - (times capitalised)
    for n, line in enumerate(lines):
        if n not in caps:
            for m in CAPS_WORD.finditer(line):
                w = m.group(0)
                if m.start() > 0 and line[m.start() - 2:m.start() - 1] not in ".!?\"":
                    key = w.rstrip(".").lower()
                    seen[key] = seen.get(key, 0) + (1 if w.islower() else -1)

    def case(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.rstrip(".") in ACRONYMS or "." in word.rstrip("."):
            return word  # "U.S.", "NATO"
        lower = word.lower()
        vote = seen.get(lower.rstrip("."))
        if m.start() > 0 and (vote is not None and vote > 0 or vote is None and lower in STOP_WORDS):
            out = lower
        elif m.start() > 0 and vote is None and len(word) <= 3 and lower not in STOP_WORDS:
            return word  # "KDP", "PM": more often an abbreviation than a word
        else:
            out = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
        return out if len(out) == len(word) else word

    for n in caps:
        lines[n] = CAPS_WORD.sub(case, lines[n])
    out = "\n".join(lines)
    return out if len(out) == len(text) else text


def is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters if c.isupper() or c.islower())


def split_lines(ent: Span) -> list[Span]:
    """The parts of an entity span on separate lines or either side of a spaced dash.

    A name never runs across a paragraph, nor across the dash of "CRICKET - SURREY WIN".
    """
    doc = ent.doc
    cuts = [t.i for t in ent if (t.is_space and "\n" in t.text) or (
        t.text in DASHES and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_)]
    if not cuts:
        return [ent]
    from spacy.tokens import Span

    bounds = [ent.start, *cuts, ent.end]
    starts = [a + (a in cuts) for a in bounds[:-1]]
    return [Span(doc, a, b, label=ent.label) for a, b in zip(starts, bounds[1:]) if a < b]


def whole_line(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1:len(text) if end < 0 else end]


def line_of(text: str, start: int, end: int) -> str:
    """The rest of the line that text[start:end] is on."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:start] + text[end:len(text) if line_end < 0 else line_end]


def is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLE_WORDS


def join_words(tokens: Iterable[Token]) -> tuple[str, ...]:
    """Words of a span as written, with whitespace normalised ("U.S.-ally" stays whole)."""
    text = "".join(t.text_with_ws for t in tokens)
    return tuple(WS.sub(" ", text).strip().split(" "))


def is_fragment(words: tuple[str, ...]) -> bool:
    name = " ".join(words)
    if not name or not name[0].isupper():
        return True
    if any(c.isdigit() for c in name) or sum(c.isalpha() for c in name) <= 1:
        return True
    if name.lower() in PLATFORM_NAMES or name.lower() in NOT_ENTITIES:
        return True
    if not words[-1][:1].isupper():  # cut short: "St Kitts and"
        return True
    if name.lower() in PEOPLES or name.lower() in SPORTS:
        return True
    return any(w.lower() in PLATFORM_NAMES for w in words) and len(words) <= 2


def in_place_context(ent: Span) -> bool:
    doc, i = ent.doc, ent.start
    before = doc[i - 1].lower_ if i > 0 else ""
    if before in PLACE_PREPOSITIONS:
        return True
    return before == "of" and i > 1 and doc[i - 2].lemma_.lower() in PLACE_NOUNS


def is_modifier(ent: Span) -> bool:
    """A name hyphenated to a lowercase word, as part of a modifier: "Vienna-based",
    "Moscow-backed", "pro-Moscow". It describes something else; the article is not
    about the place."""
    doc = ent.doc
    end, start = ent.end, ent.start
    if (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
            and not doc[end].whitespace_ and doc[end + 1].is_lower):
        return True
    return (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_ and doc[start - 2].is_lower)
