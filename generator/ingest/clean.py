"""Text to title and paragraphs: hard wraps joined, boilerplate removed (what it names kept).

Two kinds of evidence decide what is furniture. Per document: a few generic cues (subscribe
and share prompts, copyright and syndication credits, "story continues below"). Across the
archive, when a `FurnitureModel` is given: a line that many seeds repeat, word for word or
in shape, and that reads like furniture (few stopwords, no sentence, a form mark, an
imperative), as in CCNet and trafilatura. Short lines are then judged by their neighbours,
as jusText does: between furniture they are furniture, between prose they are prose.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from generator.ingest.decode import strip_tags
from generator.ingest.furniture import FurnitureModel, seed_keys

#: Lines that are site furniture, not reporting. Matched against a whole paragraph.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(please\s+)?subscribe\b",
        r"^sign up\b.*\b(newsletter|updates|alerts|email)",
        r".*\bnewsletters?\b.{0,60}$",
        r".*\bby (signing up|subscribing)\b.{0,40}\byou agree\b.*",  # a sign-up form's small print
        r"^(read|see|watch|click)\s+(more|also|here|full|the full|next)\b.{0,80}$",
        r"^(related|more on this story|recommended|most read|trending)\s*:?.{0,80}$",
        r"^(share|follow|like)(\s+(us|me|him|her|them|this|the|article|story|page))*(\s+(on|via|at))?\s*:?\s*(facebook|twitter|x|instagram|linkedin|whatsapp|telegram|email|youtube|tiktok|threads|bluesky|mastodon)\b.{0,120}$",
        r"^(share|tweet|email|print|comments?)(\s+(this|article|story|page))*\s*[!.:]?$",
        r"^advertisement\s*[:.]?$",
        r"^(©|\(c\)|copyright\b).{0,200}$",
        r".*\ball rights reserved\b.{0,40}$",
        r".*\bmay not be (re)?published, broadcast, rewritten,? (and|or) redistributed\b.*",
        r"^(this (material|article|story) may not be)\b.*",
        r"^.{0,40}\b(story|article|text) continues (below|after)\b.{0,120}$",
        r"^(photo|image|picture|illustration|video|graphic)s?\s*(credit|courtesy|source)s?\b.{0,100}$",
        r"^\((additional\s+)?(reporting|writing|editing)\s+by\b.{0,200}\)$",
        r"^(https?://|www\.)\S+$",
        r"^[^\w]*$",
        r"^\[\d{1,3}\]$",  # a footnote mark on its own line: "[1]"
    )
]
#: Syndication credits: "Article posted with permission from X", "Reprinted with permission from X",
#: "This report was originally published by X". The name after the last from/by/at is the source.
_CREDIT = re.compile(
    r"^(?i:(?:this\s+(?:article|report|story|piece|post)\s+(?:was\s+|is\s+)?|article\s+|originally\s+)?"
    r"(?:originally\s+)?(?:posted|published|reprinted|republished|reproduced|syndicated|distributed|cross-posted)"
    r"(?:\s+(?:here\s+)?with\s+(?:the\s+)?(?:kind\s+)?permission)?\s+(?:from|by|at|on|of)\b)(?P<rest>.{1,120})$"
)
#: Publishers named by boilerplate: "Subscribe to Pravda.Ru Telegram channel…", "© 2007 Reuters".
_NAME_WORD = r"[A-Z0-9][\w&'-]*(?:\.\w[\w&'-]*)*"
_SUBSCRIBE_SOURCE = re.compile(
    r"^(?i:(?:please\s+)?subscribe\s+to\s+(?:the\s+)?(?:our\s+)?)"
    rf"(?P<source>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}?)(?:'s)?"
    r"(?=\s+(?i:telegram|channel|newsletter|on|for|daily|weekly|news|and|at)\b|\s*[,!.:]|$)",
)
_COPYRIGHT_SOURCE = re.compile(
    r"^(?i:(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?)"
    rf"(?P<source>(?:The\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})",
)
_CREDIT_NAME = re.compile(rf"(?:^|\s(?i:from|by|at|on|of)\s+)(?P<source>(?:The\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})")
_DISTRIBUTED = re.compile(rf"^(?P<source>(?:The\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),?\s+(?i:distributed\s+by)\b.{{0,80}}$")
_SENTENCE_END = re.compile(r"""[.!?:;]["'”’)\]]*$""")
#: Short lines that stand alone even inside a block: bylines and time stamps.
_STANDALONE = re.compile(r"^(?:(?i:by)\s+[A-Z]|(?i:published|posted|updated|first published|last updated)\b)")
#: Hard-wrapped text keeps its lines under about this many characters.
_WRAP_WIDTH = 100


@dataclass(frozen=True)
class CleanText:
    """A seed's text split into its parts, before metadata extraction."""

    title: str
    paragraphs: tuple[str, ...]
    #: Publisher named by a boilerplate line that was removed ("Pravda.Ru"), if any.
    boilerplate_source: str | None = None


def _normalise_spaces(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text).strip()


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when a block's lines are one paragraph wrapped at a fixed width.

    A file with one paragraph per line has long lines that mostly end a sentence;
    wrapped text has short lines that mostly break mid-sentence.
    """
    if len(lines) < 2:
        return True
    body = lines[:-1]
    if any(len(line) > _WRAP_WIDTH for line in body):
        return False
    ends = sum(1 for line in body if _SENTENCE_END.search(line))
    return ends < 0.6 * len(body)


#: A line that ends with a name's initials ("... nominated by President George H.W."): a scraper that split the
#: text at every full stop broke the name there.
_ENDS_IN_INITIALS = re.compile(r"\b[A-Z][\w'’-]* (?:[A-Z]\.){1,3}$")
_FIRST_WORD = re.compile(r"[A-Z][\w'’-]*")


def _join_broken_names(lines: list[str]) -> list[str]:
    """Lines broken inside a name after its initials joined again: "George H.W." / "Bush, the crusades ...", but
    not "in Washington D.C." / "In doing so ...", where the next line opens a sentence with a common word."""
    joined: list[str] = []
    for line in lines:
        first = _FIRST_WORD.match(line)
        if (joined and first is not None and _ENDS_IN_INITIALS.search(joined[-1])
                and re.sub(r"['’]s$", "", first.group()).lower() not in _stopwords()):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return joined


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lines inside a wrapped paragraph joined, and so are the pieces of a
    name broken after its initials."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [_normalise_spaces(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        while lines and _STANDALONE.match(lines[0]) and len(lines[0]) <= 80:
            paragraphs.append(lines.pop(0))
        if not lines:
            continue
        if _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(_join_broken_names(lines))
    return paragraphs


def _credit(paragraph: str) -> re.Match[str] | None:
    """A syndication credit; bare "Published on <date>" stamps are left to metadata."""
    match = _CREDIT.match(paragraph)
    if match is None:
        return None
    lead = paragraph[: match.start("rest")].lower()
    return match if any(cue in lead for cue in _CREDIT_CUES) else None


_CREDIT_CUES = ("permission", "originally", "this ", "article", "reprinted", "republished", "reproduced", "syndicated", "cross-posted")


def boilerplate_source(paragraph: str) -> str | None:
    """The publisher a boilerplate line names, if it names one."""
    candidates: list[str] = []
    for pattern in (_SUBSCRIBE_SOURCE, _COPYRIGHT_SOURCE, _DISTRIBUTED):
        match = pattern.match(paragraph)
        if match:
            candidates.append(match.group("source"))
    if _credit(paragraph):
        names = list(_CREDIT_NAME.finditer(_credit(paragraph).group("rest").strip()))  # type: ignore[union-attr]
        if names:
            candidates.append(names[-1].group("source"))
    for candidate in candidates:
        source = candidate.strip(" .,")
        if source and not source.isdigit() and source.lower() not in {"all", "rights", "the", "our", "us"}:
            return source
    return None


def is_boilerplate(paragraph: str) -> bool:
    """Furniture by the paragraph's own words, without looking at the rest of the archive."""
    return (any(p.match(paragraph) for p in _BOILERPLATE) or _credit(paragraph) is not None
            or bool(_DISTRIBUTED.match(paragraph)) or is_call_to_action(paragraph))


@functools.cache
def _stopwords() -> frozenset[str]:
    # Loaded on first use: importing the language data costs half a second.
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_PROSE_END = re.compile(r"""[.!?]["'”’)\]]*$""")
#: Calls to action that open a widget: "Sign up…", "Click here…", "Take our poll…".
_IMPERATIVE = re.compile(
    r"^(?:please\s+)?(?:sign\s+up|subscribe|click|tap|share|follow|join|download|register|donate|"
    r"take\s+our|enter\s+your|get\s+(?:our|the\s+latest|updates|breaking)|like\s+us|read|watch|listen|"
    r"shop|buy|order|visit|check\s+out|learn\s+more|find\s+out\s+more|see\s+(?:more|also|the|our))\b",
    re.IGNORECASE,
)
#: Form marks: a required-field star ("Email *") or an option bullet ("* Yes").
_FORM_MARK = re.compile(r"(?:^\*\s|\s\*$|^\*$)")
#: At most this many words (or fewer characters) makes a line short: its neighbours decide.
_SHORT_WORDS = 4
_SHORT_CHARS = 25


class Kind(Enum):
    PROSE = "prose"
    FURNITURE = "furniture"
    SHORT = "short"


def is_call_to_action(paragraph: str) -> bool:
    """A short imperative that leads to a link or an embed: "Watch:", "Read the whole article"."""
    if not _IMPERATIVE.match(paragraph) or len(_WORD.findall(paragraph)) > 8:
        return False
    return paragraph.endswith(":") or not _PROSE_END.search(paragraph) or bool(re.search(r"\bhere\b", paragraph, re.I))


def looks_like_furniture(paragraph: str) -> bool:
    """Generic signs that a line is a widget rather than a sentence of reporting."""
    if not _LETTER.search(paragraph):
        return True
    words = _WORD.findall(paragraph)
    stop = sum(1 for w in words if w.lower() in _stopwords())
    ends_sentence = bool(_PROSE_END.search(paragraph))
    if len(words) >= 3 and stop / len(words) < (0.2 if ends_sentence else 0.3):
        return True  # lists of names, links or product blurbs
    if _FORM_MARK.search(paragraph) or _IMPERATIVE.match(paragraph):
        return True
    return not ends_sentence and len(words) <= 12


def _is_short(paragraph: str) -> bool:
    return len(_WORD.findall(paragraph)) <= _SHORT_WORDS or len(paragraph) < _SHORT_CHARS


def classify(paragraphs: Sequence[str], model: FurnitureModel | None = None) -> list[Kind]:
    """Furniture or prose for each paragraph of one seed (see the module docstring)."""
    repeats = [model.repeats(p) if model is not None else 0 for p in paragraphs]
    low = model.low if model is not None else None
    high = model.high if model is not None else None
    kinds: list[Kind] = []
    for paragraph, seen in zip(paragraphs, repeats, strict=True):
        if is_boilerplate(paragraph):
            kinds.append(Kind.FURNITURE)
        elif _is_short(paragraph):
            kinds.append(Kind.SHORT)
        elif high is not None and seen >= high:
            kinds.append(Kind.FURNITURE)
        elif low is not None and model is not None and looks_like_furniture(paragraph) and (
                seen >= low or model.partial_repeats(paragraph) >= low):
            kinds.append(Kind.FURNITURE)
        else:
            kinds.append(Kind.PROSE)
    decided = list(kinds)
    for i, kind in enumerate(kinds):
        if kind is not Kind.SHORT:
            continue
        before = next((k for k in reversed(kinds[:i]) if k is not Kind.SHORT), None)
        after = next((k for k in kinds[i + 1 :] if k is not Kind.SHORT), None)
        sides = {k for k in (before, after) if k is not None}
        if sides == {Kind.FURNITURE} and before is after:
            decided[i] = Kind.FURNITURE
        elif Kind.FURNITURE in sides:
            repeated = low is not None and repeats[i] >= low
            decided[i] = Kind.FURNITURE if repeated and looks_like_furniture(paragraphs[i]) else Kind.PROSE
        else:
            decided[i] = Kind.PROSE
    # A line that sits inside a widget block (a poll question a few seeds share) goes with it.
    for i in range(1, len(decided) - 1):
        if decided[i] is Kind.PROSE and decided[i - 1] is decided[i + 1] is Kind.FURNITURE:
            paragraph = paragraphs[i]
            if model is not None and (repeats[i] >= 2 or paragraph.endswith("?")):
                decided[i] = Kind.FURNITURE
    return decided


def body_lines(text: str) -> list[str]:
    """The paragraphs of a decoded seed after its title, as cleaning and learning see them."""
    _, _, remainder = text.strip().partition("\n")
    return split_paragraphs(strip_tags(remainder))


def seed_line_keys(text: str) -> frozenset[int]:
    """The line keys one seed adds to the archive's `FurnitureModel`."""
    return seed_keys(body_lines(text))


def learn_furniture(texts: Iterable[str]) -> FurnitureModel:
    """The archive's line statistics from the decoded text of all its seeds."""
    return FurnitureModel.from_key_sets(seed_line_keys(text) for text in texts)


def clean_text(text: str, model: FurnitureModel | None = None) -> CleanText:
    """Split decoded seed text into title and cleaned paragraphs.

    Without `model` only the per-document cues apply; with the archive's model, lines
    the archive repeats as furniture go too.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError("the file has no text")
    first, _, remainder = stripped.partition("\n")
    # Tags go from the body; the title keeps its text as written (its slug is derived from it).
    title, rest = _normalise_spaces(first), split_paragraphs(strip_tags(remainder))
    kept: list[str] = []
    source: str | None = None
    for paragraph, kind in zip(rest, classify(rest, model), strict=True):
        if kind is Kind.FURNITURE:
            source = source or boilerplate_source(paragraph)
        else:
            kept.append(paragraph)
    return CleanText(title=title, paragraphs=tuple(kept), boilerplate_source=source)
