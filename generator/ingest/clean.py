"""Text to title and paragraphs: hard wraps joined, boilerplate removed (what it names kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Lines that are site furniture, not reporting. Matched against a whole paragraph.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(please\s+)?subscribe\b",
        r"^sign up\b.*\b(newsletter|updates|alerts|email)",
        r".*\bnewsletter\b.{0,60}$",
        r"^(read|see|watch|click)\s+(more|also|here|full|the full|next)\b.{0,80}$",
        r"^(related|more on this story|recommended|most read|trending)\s*:?.{0,80}$",
        r"^(share|follow|like)(\s+(us|me|this|the|article|story|page))*(\s+(on|via|at))?\s*:?\s*(facebook|twitter|x|instagram|linkedin|whatsapp|telegram|email|youtube|tiktok|threads|bluesky|mastodon)\b.{0,120}$",
        r"^(share|tweet|email|print|comments?)(\s+(this|article|story|page))*\s*[!.:]?$",
        r"^advertisement\s*[:.]?$",
        r"^(©|\(c\)|copyright\b).{0,200}$",
        r".*\ball rights reserved\b.{0,40}$",
        r".*\bmay not be (re)?published, broadcast, rewritten,? (and|or) redistributed\b.*",
        r"^(this (material|article|story) may not be)\b.*",
    )
]
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


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lines inside a wrapped paragraph joined."""
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
            paragraphs.extend(lines)
    return paragraphs


def boilerplate_source(paragraph: str) -> str | None:
    """The publisher a boilerplate line names, if it names one."""
    for pattern in (_SUBSCRIBE_SOURCE, _COPYRIGHT_SOURCE):
        match = pattern.match(paragraph)
        if match:
            source = match.group("source").strip(" .,")
            if source and not source.isdigit() and source.lower() not in {"all", "rights", "the", "our", "us"}:
                return source
    return None


def is_boilerplate(paragraph: str) -> bool:
    return any(p.match(paragraph) for p in _BOILERPLATE)


def clean_text(text: str) -> CleanText:
    """Split decoded seed text into title and cleaned paragraphs."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("the file has no text")
    first, _, remainder = stripped.partition("\n")
    title, rest = _normalise_spaces(first), split_paragraphs(remainder)
    kept: list[str] = []
    source: str | None = None
    for paragraph in rest:
        if is_boilerplate(paragraph):
            source = source or boilerplate_source(paragraph)
        else:
            kept.append(paragraph)
    return CleanText(title=title, paragraphs=tuple(kept), boilerplate_source=source)
