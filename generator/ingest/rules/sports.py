"""Rules for sports reports: teams, results tables, grounds."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.ingest.lexicon import CLUB_WORDS, SPORTS, SPORTS_WORDS
from generator.ingest.mentions import (
    DATELINE,
    LOCATION,
    ORGANIZATION,
    PERSON,
    Mention,
    is_fragment,
    line_of,
    whole_line,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from generator.ingest.rules import Context

def is_sports(doc: Doc) -> bool:
    """A sports report: the headline names a sport, or the text uses sports words a lot."""
    first = next((t.lower_ for t in doc if not t.is_space), "")
    if first in SPORTS:
        return True
    found = {t.lower_ for t in doc if t.lower_ in SPORTS_WORDS}
    return len(found) >= 5


#: A team's name in a results table: "Bristol City", "Queen of South", "Rad (B)".
_TEAM = r"[A-Z][\w'’.&-]*(?: (?:of|de|du|la|[A-Z][\w'’.&-]*))*?(?: \([A-Z]{1,3}\))?"
#: "Bury 4 Bristol City 0", "Milwaukee 5 Minnesota 4 (in 12)".
_SCORE_LINE = re.compile(rf"(?P<a>{_TEAM}) \d{{1,3}} (?P<b>{_TEAM}) \d{{1,3}}(?: \(.*\))?\.?")
#: "Stoke 4 3 1 0 7 4 10", "New York 75 59 .560 -": a standings row.
_STANDINGS_LINE = re.compile(rf"(?P<a>{_TEAM})(?: (?:\d+|\d*\.\d+|\d+/\d+|-)){{3,}}")
#: "Birmingham v Barnsley": one fixture of a list.
_FIXTURE = re.compile(rf"(?P<a>{_TEAM}) v (?P<b>{_TEAM})")


def table_teams(ctx: Context) -> None:
    """The names in a sports report's score lines, standings rows and fixture lists are
    teams: "Bury 4 Bristol City 0", "Stoke 4 3 1 0 7 4 10", "Postponed: Bury v Hull".

    Whatever the model made of them (often a person, a place or nothing), each becomes
    one organization mention; mentions overlapping it are dropped.
    """
    text, mentions = ctx.normal, ctx.mentions
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        stripped = line.strip()
        base = at + (line.find(stripped) if stripped else 0)
        at += len(line) + 1
        if not stripped or not any(c.isdigit() or c == "v" for c in stripped):
            continue
        match = _SCORE_LINE.fullmatch(stripped) or _STANDINGS_LINE.fullmatch(stripped)
        if match is not None:
            spans += [(base + match.start(g), base + match.end(g))
                      for g, v in match.groupdict().items() if v is not None]
            continue
        label, colon, rest = stripped.partition(": ")
        if colon and " " not in label:  # "Postponed: Birmingham v Barnsley"
            base, stripped = base + len(label) + 2, rest
        for part in stripped.rstrip(".").split(", "):
            fixture = _FIXTURE.fullmatch(part)
            if fixture is None:
                break
        else:
            pos = base
            for part in stripped.rstrip(".").split(", "):
                fixture = _FIXTURE.fullmatch(part)
                assert fixture is not None
                spans += [(pos + fixture.start(g), pos + fixture.end(g)) for g in ("a", "b")]
                pos += len(part) + 2
    if not spans:
        return
    kept = [m for m in mentions if not any(m.start < e and s < m.end for s, e in spans)]
    for s, e in spans:
        name = text[s:e]
        line = whole_line(text, s)
        if name.isupper() and len(name) > 3 and any(c.islower() for c in line):
            name = name.title()  # "ST LOUIS 7 Colorado 4": the home team in capitals
        if not is_fragment(tuple(name.split())):
            kept.append(Mention(ORGANIZATION, tuple(name.split()), s, e, team=True))
    ctx.mentions = kept


#: "Leicester: ...", "At The Oval (London): ...": the ground a match report line is from.
_VENUE = re.compile(r"(?:At )?(?:The )?(?P<name>[A-Z][^:()\n]{1,40}?)(?: \((?P<town>[^()\n]{1,30})\))?: ")

#: A team and its score or result: "Sussex 363", "Derbyshire beat".
_TEAM_RESULT = re.compile(rf"{_TEAM} (?:\d|beat |drew |lost )")


def venues(ctx: Context) -> None:
    """In a sports report, a name heading a line before a colon and a team is where the
    match was played ("Hove: Sussex 363 ...", "At Chesterfield: Derbyshire beat ..."):
    a place."""
    text = ctx.normal
    for m in ctx.mentions:
        line_start = text.rfind("\n", 0, m.start) + 1
        match = _VENUE.match(text, line_start)
        if match is None or not _TEAM_RESULT.match(text, match.end()):
            continue  # "Scorer: Rebrov (70)", "Attendance: 12,000"
        if (match.start("name"), match.end("name")) == (m.start, m.end) or (
                match.start("town"), match.end("town")) == (m.start, m.end):
            m.kind, m.team, m.place_context = LOCATION, False, True


def teams(ctx: Context) -> None:
    """In a sports report, a town, county or state is its team unless written as a place.

    "Leicestershire beat Somerset", "Boston 5 Detroit 3": organizations. "in Leicester",
    and a dateline line ("LONDON 1996-08-30") are places; a country is a place too
    (national sides are listed under their country).
    """
    gaz, text, mentions = ctx.places, ctx.normal, ctx.mentions
    person_starts = {m.start for m in mentions if m.kind == PERSON}
    for m in mentions:
        if len(m.tokens) > 1 and not m.titled and not m.place_context and (
                gaz.place(m.name) is None) and (
                m.tokens[-1].lower() in CLUB_WORDS or (m.kind != PERSON and any(
                    gaz.is_local_place(w) for w in m.tokens if w[:1].isupper()))):
            m.kind, m.team = ORGANIZATION, True  # "Harnfield United", "Ostrow St Germain"
            continue
        if m.kind == PERSON and (m.titled or len(m.tokens) > 1):
            continue
        if not gaz.is_local_place(m.name) or m.place_context:
            continue
        line = line_of(text, m.start, m.end)
        if m.kind == LOCATION and not any(c.isdigit() for c in line) and not _as_team(
                text, m.start, m.end, person_starts):
            continue  # the model read a place, and this is no results table
        if DATELINE.fullmatch(whole_line(text, m.start).strip()):
            continue
        m.kind, m.team = ORGANIZATION, True


def grounds(ctx: Context) -> None:
    """In a sports report, "at" and a name that is no known town is a ground: "at
    Old Trafford", "at Tunbridge Wells" (towns after "at" are left to the team rule)."""
    gaz, text = ctx.places, ctx.normal
    for m in ctx.mentions:
        if ((m.kind != PERSON or len(m.tokens) == 1 and not m.titled)
                and text[max(0, m.start - 3):m.start] == "at "
                and gaz.place(m.name) is None and not gaz.is_local_place(m.name)
                and m.tokens[-1].lower() not in CLUB_WORDS):
            m.kind, m.team, m.place_context = LOCATION, False, True


#: Words after a town that make it its team: "Newcastle striker", "the Volgograd side".
TEAM_NOUNS = frozenset("""
    side team skipper striker manager coach club fans player players midfielder defender
    goalkeeper captain team-mate teammate squad outfit supporters
""".split())
#: Words before a town that make it its team: "played for Atlanta", "beat Rotor".
_TEAM_BEFORE = re.compile(r"(?:\bfor|\bagainst|\bbeat|\bbeating|\bformer|\bjoined|\bjoin|\bover) $")

#: The word after a name, or after "and" and a second name ("Blackburn and Southampton").
_NEXT_WORD = re.compile(r"(?: and [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)? ([\w-]+)")


def _as_team(text: str, start: int, end: int, person_starts: set[int]) -> bool:
    """A town written as its team in a sports report's prose: "the Volgograd side",
    "Atlanta's Tom Glavine", "former Blackburn and Southampton skipper", "for Atlanta"."""
    after = text[end:end + 40]
    if after.startswith(("'s ", "’s ")) and end + 3 in person_starts:
        return True
    word = _NEXT_WORD.match(after)
    if word is not None and word.group(1).lower() in TEAM_NOUNS:
        return True
    return _TEAM_BEFORE.search(text[max(0, start - 12):start]) is not None
