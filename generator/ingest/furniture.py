"""What the archive repeats: line statistics across all seeds, learned at ingest time.

Site furniture (poll widgets, sign-up forms, credits, "story continues below") is text a
site prints around many articles. One article alone cannot tell it from reporting; the
whole `seeds/` folder can. As in CCNet's line deduplication, each line is normalised
(lower case, digits to 0, punctuation folded) and we count in how many seeds it appears;
a second, coarser key (its *shape*) also folds capitalised words, so "Completing this poll
grants you access to <Site> updates" counts as one line across sites. The counts are a
plain dict of 64-bit hashes, cheap to build and to cache per seed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
#: A capitalised word that is not the line's first: names, sites, headline words.
_NAME = re.compile(r"(?<=\s)[A-Z0-9][\w'’.&-]*")
_NAME_RUN = re.compile(r"\bn(?:\s+n)+\b")
#: "Read more: <headline>", "Related - <headline>": a short lead-in, then a link's text.
_LEAD_IN = re.compile(r"^(?P<lead>[^:|–—-]{2,30}?)\s*(?::|\||\s[–—-])\s+(?P<rest>\S.*)$")
_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*$""")


def normalise(line: str) -> str:
    """A line as CCNet compares lines: lower case, digits as 0, punctuation folded."""
    text = _DIGITS.sub("0", line.lower())
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


def shape(line: str) -> str:
    """The line with its capitalised words (names, linked headlines) folded to one mark."""
    text = _NAME.sub("N", line.strip())
    text = normalise(text)
    return _NAME_RUN.sub("n", text)


def lead_in(line: str) -> str | None:
    """The lead-in of a line that introduces a link ("read more"), if it looks like one.

    Only lines that do not end a sentence qualify: "He added: ..." quotes end with one.
    """
    match = _LEAD_IN.match(line.strip())
    if not match or _SENTENCE_END.search(line.strip()):
        return None
    lead = normalise(match.group("lead"))
    return lead if lead and len(lead.split()) <= 4 else None


def _hash(kind: str, text: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{kind}\0{text}".encode(), digest_size=8).digest(), "big")


def tail(line: str) -> str | None:
    """The last words of a line that does not end a sentence: a widget's fixed ending."""
    if _SENTENCE_END.search(line.strip()):
        return None
    words = normalise(line).split()
    return " ".join(words[-4:]) if len(words) >= 6 else None


def line_keys(line: str) -> tuple[int, ...]:
    """The hashes a whole line is counted under: its normal form and its shape."""
    norm = normalise(line)
    if not norm:
        norm = line.strip()  # separators such as "———" still count as themselves
    keys = [_hash("line", norm)]
    shaped = shape(line)
    # A shape needs some fixed words: Title Case headings all fold to "0 n" otherwise.
    fixed = [w for w in shaped.split() if w != "n" and w.strip("0")]
    if len(fixed) >= 2 and shaped != norm:
        keys.append(_hash("shape", shaped))
    return tuple(keys)


def partial_keys(line: str) -> tuple[int, ...]:
    """Hashes of a link line's lead-in and a widget line's ending; weaker evidence than a whole line."""
    keys = []
    lead = lead_in(line)
    if lead:
        keys.append(_hash("lead", lead))
    ending = tail(line)
    if ending:
        keys.append(_hash("tail", ending))
    return tuple(keys)


def seed_keys(lines: Iterable[str]) -> frozenset[int]:
    """All keys of one seed's body lines; a line repeated inside one seed counts once."""
    return frozenset(key for line in lines for key in (*line_keys(line), *partial_keys(line)))


@dataclass
class FurnitureModel:
    """In how many seeds each line key occurs, over the whole archive."""

    seeds: int = 0
    counts: Counter[int] = field(default_factory=Counter)

    @classmethod
    def from_key_sets(cls, key_sets: Iterable[frozenset[int]]) -> FurnitureModel:
        model = cls()
        for keys in key_sets:
            model.add(keys)
        return model

    def add(self, keys: frozenset[int]) -> None:
        self.seeds += 1
        self.counts.update(keys)

    def repeats(self, line: str) -> int:
        """In how many seeds this line, or a line of the same shape, appears."""
        return max((self.counts.get(key, 0) for key in line_keys(line)), default=0)

    def partial_repeats(self, line: str) -> int:
        """In how many seeds this line's lead-in ("Read more:") or fixed ending appears."""
        return max((self.counts.get(key, 0) for key in partial_keys(line)), default=0)

    @property
    def low(self) -> int:
        """Seeds a line must appear in before it may be furniture, if it also looks like it."""
        return max(3, round(0.005 * self.seeds))

    @property
    def high(self) -> int:
        """Seeds a line must appear in to be furniture however much it reads like prose.

        A quote repeated in a few follow-up stories stays well below this.
        """
        return max(8, round(0.02 * self.seeds))
