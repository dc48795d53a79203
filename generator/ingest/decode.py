"""Seed bytes to text: BOMs, UTF-8 with a Windows-1252 fallback per byte, newlines, binary rejected."""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

#: Byte-order marks and the codec each announces, longest first (UTF-32 LE starts like UTF-16 LE).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of control characters above which a file is taken for binary rather than text.
_MAX_CONTROL_SHARE = 0.01
#: Control characters left in a text file (a few, under the share above) are leftovers of a
#: wrong decoding ("\x9d" of a curly quote): dropped. Tab, newlines and form feed stay.
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


#: A character reference: "&amp;", "&#163;", "&#x2019;". A bare "&" (AT&T) is not one.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: Formatting tags a scraper leaves in text. Only these names count as tags, so "a < b" and
#: an article quoting "<script>" keep their text.
_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|center|cite|div|em|figcaption|figure|font|h[1-6]|hr|i|img|li|mark|"
    r"ol|p|q|s|section|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul)"
    r"(?:\s+[^<>]*)?/?>",
    re.IGNORECASE,
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def decode_entities(text: str) -> str:
    """HTML character references as the characters they stand for: "&#163;1.8m" is "£1.8m"."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def strip_tags(text: str) -> str:
    """Formatting tags removed ("<b>x</b>" is "x"), a line break tag kept as a newline."""
    return _TAG.sub("", _BREAK.sub("\n", text))


class UnreadableSeed(ValueError):
    """A seed that cannot be turned into text; the message says why, for the warning."""


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode a byte that is not UTF-8 as Windows-1252 (Latin-1 for its five unused bytes).

    Legacy newsroom files are mostly Windows-1252; a file that mixes in a few stray
    Windows-1252 bytes (curly quotes pasted into UTF-8) keeps its UTF-8 characters too.
    """
    bad = error.object[error.start : error.start + 1]
    try:
        return bad.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return bad.decode("latin-1"), error.start + 1


codecs.register_error("broadsheet-cp1252", _cp1252_fallback)


def decode_seed(data: bytes) -> str:
    """Return the text of a seed with `\\n` newlines, or raise UnreadableSeed saying why."""
    if not data.strip():
        raise UnreadableSeed("the file is empty")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableSeed(f"the file announces {codec.upper()} but is not valid {codec.upper()} ({exc.reason} at byte {exc.start})") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise UnreadableSeed("the file is binary (it contains NUL bytes), not text")
        text = data.decode("utf-8", errors="broadsheet-cp1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise UnreadableSeed("the file is binary (too many control characters), not text")
    if not text.strip():
        raise UnreadableSeed("the file has no text")
    return unicodedata.normalize("NFC", decode_entities(_STRAY_CONTROLS.sub("", text)))
