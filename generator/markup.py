"""Markdown both ways: plain text escaped so it renders literally, and Markdown rendered to safe HTML."""

from __future__ import annotations

import re

import markdown

#: Characters that mean something inline wherever they stand.
_INLINE = re.compile(r"([\\`*_\[\]])")
#: Openings that would make a paragraph a heading, quote, list or rule.
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|-+\s*$|(\d+)([.)])(?=\s|$))")


def escape_paragraph(text: str) -> str:
    """Escape one paragraph of plain text so Markdown shows exactly these characters."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)

    def block(match: re.Match[str]) -> str:
        indent, token, number, punct = match.group(1), match.group(2), match.group(3), match.group(4)
        if number:
            return f"{indent}{number}\\{punct}"
        return f"{indent}\\{token}"

    return _BLOCK_START.sub(block, text, count=1)


def escape_body(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Paragraphs as Markdown: escaped, one per block, separated by blank lines."""
    return "\n\n".join(escape_paragraph(p) for p in paragraphs) + "\n"


#: Control characters HTML does not allow in text (C0 but tab and newlines, DEL, the C1 range):
#: in news text they are leftovers of a wrong decoding ("\x9d" of a curly quote), never content.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class MarkdownRenderer:
    """Markdown to HTML with raw HTML switched off: any tag in content shows as text."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def render(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(_CONTROLS.sub("", text))
