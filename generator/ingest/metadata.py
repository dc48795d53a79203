"""Metadata from cleaned text: dateline, source, byline, date and summary.

Byline, dateline and "Published:" lines are taken out of the body so they do not repeat.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.ingest.clean import CleanText

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # March 4, 2019
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 4 March 2019
    re.compile(rf"\b{_YEAR}-(?P<nmonth>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2019-03-04
]
_PUBLISHED = re.compile(r"^(?:published|posted|first published|date|updated|last updated)\s*(?:on|:|-)?\s*(?P<rest>.{4,80})$", re.IGNORECASE)
#: "By Jane Doe", "By JANE DOE and JOHN ROE, Reuters", "By Jane Doe | Staff writer".
_BYLINE = re.compile(
    r"^by\s+(?P<names>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|la|le|bin|al|and|&))*?)"
    r"(?:\s*(?:,|\||-|–|—)\s*(?P<role>[^.]{0,60}))?\.?$",
    re.IGNORECASE,
)
#: "NAIROBI, Kenya (Reuters) – …", "LISBON (AP) -- …", "Rotterdam (Reuters) - …", "LONDON — …".
_DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Za-z.'’-]*\s?){1,4}(?:,\s*(?:[A-Z][A-Za-z.'’-]*\s?){1,3}?)?)\s*"
    r"(?:,\s*(?P<date>(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})|(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}))\s*)?"
    r"(?:\((?P<agency>[A-Za-z][\w .&/-]{0,40})\)\s*)?"
    r"(?:--|[-–—:])\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
#: A date opening a paragraph, followed by a dash: "March 4, 2019 — …".
_LEADING_DATE = re.compile(
    r"^(?:(?:[A-Z][a-z]+day),?\s+)?(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|\d{4}-\d\d-\d\d)\s*(?:--|[-–—:])\s+"
)
#: Agencies as datelines abbreviate them, with the name a reader knows.
AGENCIES = {
    "ap": "Associated Press",
    "afp": "Agence France-Presse",
    "upi": "United Press International",
    "dpa": "Deutsche Presse-Agentur",
    "ians": "Indo-Asian News Service",
    "pti": "Press Trust of India",
    "cp": "The Canadian Press",
    "aap": "Australian Associated Press",
}
SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class Metadata:
    title: str
    body: tuple[str, ...]
    summary: str
    date: dt.date | None = None
    dateline: str | None = None
    source: str | None = None
    author: str | None = None


def find_date(text: str) -> dt.date | None:
    """The first explicit, valid calendar date in the text, or None."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["nmonth"]) if parts.get("nmonth") else _MONTHS[parts["month"].lower()]
            try:
                found.append((match.start(), dt.date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None


def _date_line(paragraph: str) -> dt.date | None:
    """The date of a paragraph that is nothing but a date ("Monday, 4 March 2019"), else None."""
    if len(paragraph) > 40:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(paragraph)
        if match:
            left = (paragraph[: match.start()] + paragraph[match.end() :]).strip(" ,.-–—|").lower()
            if left in _WEEKDAYS or not left:
                return find_date(match.group(0))
    return None


def _name_case(text: str) -> str:
    """'NAIROBI' -> 'Nairobi'; text already in mixed case is kept as written."""
    return text.title() if text.isupper() else text


def _parse_dateline(paragraph: str) -> tuple[str, str | None, dt.date | None, str] | None:
    """(place, agency, date, rest of paragraph) when the paragraph opens with a dateline."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place, agency = match.group("place").strip(), match.group("agency")
    city = place.split(",")[0]
    # Without an agency, only an all-capitals place is a dateline ("LONDON —"), not "Officials said - …".
    if not agency and not (city.isupper() and len(city) > 2):
        return None
    if agency and not (city.isupper() or len(place.split()) <= 4):
        return None
    place = ", ".join(_name_case(part.strip()) for part in place.split(","))
    rest = match.group("rest").strip()
    date = find_date(match.group("date")) if match.group("date") else None
    # "WASHINGTON (AP) — March 4, 2019 — The …": a date right after the dateline stamps the story.
    stamped = _LEADING_DATE.match(rest)
    if stamped and date is None and (date := find_date(stamped.group(0))):
        rest = rest[stamped.end() :].strip()
    return place, agency.strip() if agency else None, date, rest


#: At most this many words make a line a label (a kicker or section name), not a sentence.
LABEL_WORDS = 6


def _is_label(paragraph: str) -> bool:
    """A short line that is no sentence: a section name or kicker above the story ("World, Europe")."""
    return len(paragraph.split()) <= LABEL_WORDS and not paragraph.rstrip().endswith((".", "!", "?", ":", "”", '"'))


def _agency_name(agency: str) -> str:
    return AGENCIES.get(agency.strip().lower(), agency.strip())


def summarise(paragraphs: tuple[str, ...], limit: int = SUMMARY_LENGTH) -> str:
    """The lead, cut at a sentence boundary (or a word boundary, with an ellipsis) within `limit`."""
    lead = next((p for p in paragraphs if len(p.split()) > 3), paragraphs[0] if paragraphs else "")
    if len(lead) <= limit:
        return lead
    sentences = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])", lead)
    summary = ""
    for sentence in sentences:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    if summary:
        return summary
    cut = lead[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def extract_metadata(clean: CleanText) -> Metadata:
    body = list(clean.paragraphs)
    author = dateline = source = None
    published: dt.date | None = None
    # Bylines and "Published:" lines sit at the top, before the lead (or right after the title).
    for index in range(min(4, len(body))):
        paragraph = body[index]
        if len(paragraph) > 120:
            break
        byline = _BYLINE.match(paragraph)
        if byline and author is None and len(byline.group("names").split()) <= 8:
            names = re.split(r"\s+(?:and|&)\s+", byline.group("names"), flags=re.IGNORECASE)
            author = ", ".join(_name_case(n.strip()) for n in names)
            role = (byline.group("role") or "").strip()
            if role and (role.lower() in AGENCIES or role in AGENCIES.values() or role.lower() == "reuters"):
                source = source or _agency_name(role)
            body[index] = ""
            continue
        stamp = _PUBLISHED.match(paragraph)
        if stamp and find_date(stamp.group("rest")):
            published = published or find_date(stamp.group("rest"))
            body[index] = ""
        elif (alone := _date_line(paragraph)) is not None:
            # A line that is only a date ("Monday, 4 March 2019") stamps the story.
            published = published or alone
            body[index] = ""
    body = [p for p in body if p]
    if body:
        parsed = _parse_dateline(body[0])
        if parsed is None and len(body) > 1 and _is_label(body[0]):
            # A section label above the lead ("News, Politics"): the dateline opens the paragraph after it,
            # and the label, the page's furniture, goes with it.
            parsed = _parse_dateline(body[1])
            if parsed is not None:
                del body[0]
        if parsed:
            dateline, agency, stamped, rest = parsed
            if agency:
                source = _agency_name(agency)
            published = published or stamped
            body[0] = rest
    source = source or clean.boilerplate_source
    # A stamp (a "Published:" line, a date line, a dated dateline) is the article's date; failing
    # that, a date the lead gives. Dates deeper in the story are events it mentions, not its date.
    date = published or (find_date(body[0]) if body else None)
    return Metadata(
        title=clean.title,
        body=tuple(body),
        summary=summarise(tuple(body)),
        date=date,
        dateline=dateline,
        source=source,
        author=author,
    )
