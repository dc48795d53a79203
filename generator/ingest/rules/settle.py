"""The last step: each mention's kind and the one name an index lists it under."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from generator.ingest.lexicon import (
    AMBIGUOUS_COUNTRIES,
    CLUB_PREFIXES,
    GENERIC_ORGS,
    NAME_PARTICLES,
    OCCUPATIONS,
    ORG_HEAD_WORDS,
    PARTY_NAMES,
    STREET_WORDS,
)
from generator.ingest.mentions import LOCATION, ORGANIZATION, PERSON, Mention, is_title

if TYPE_CHECKING:
    from generator.ingest.gazetteer import PlaceNames
    from generator.ingest.rules import Context

def settle(ctx: Context) -> None:
    """Settle each mention's kind and the canonical name it is listed under."""
    gaz, mentions = ctx.places, ctx.mentions
    for m in mentions:
        if m.team:
            continue
        if len(m.tokens) >= 2 and m.tokens[-1].lower() in STREET_WORDS:
            m.kind = LOCATION  # "Wall Street", "Grace Road" labelled ORG or PERSON
        if m.kind == PERSON and len(m.tokens) > 1 and not m.titled and (
                (gaz.place(m.name) or "").lower() in gaz.nations):
            m.kind = LOCATION  # "N. Korea", "Sri Lanka" labelled PERSON
        if m.kind == LOCATION or (m.kind == ORGANIZATION and len(m.tokens) <= 2):
            place = gaz.place(m.name)
            if place is not None:
                m.kind, m.tokens = LOCATION, tuple(place.split())
        if m.kind == PERSON and (m.tokens[-1].lower() in ORG_HEAD_WORDS
                                 or m.name.lower() in PARTY_NAMES
                                 or (len(m.tokens) > 1 and not m.titled
                                     and m.tokens[0].lower() in CLUB_PREFIXES)
                                 or (len(m.tokens) > 1 and not m.titled and any(
                                     w.lower() in gaz.nations
                                     and w.lower() not in AMBIGUOUS_COUNTRIES
                                     for w in m.tokens))
                                 or (len(m.tokens) == 1 and m.name.isupper()
                                     and len(m.name) > 2)):
            m.kind = ORGANIZATION  # "Edhi Foundation", "JURI"

    # "the city of Arbil" labelled ORG: that name is a place wherever it is an
    # organization (not a town's team).
    of_places = {m.name for m in mentions if m.kind == ORGANIZATION and not m.team
                 and len(m.tokens) <= 2 and m.place_of}
    for m in mentions:
        if m.kind == ORGANIZATION and not m.team and m.name in of_places:
            m.kind = LOCATION
    # "Luli Popescu" labelled ORG where "Popescu" alone is a person: a person too.
    surnames = {m.tokens[-1] for m in mentions if m.kind == PERSON and not m.team}
    for m in mentions:
        if (m.kind != PERSON and not m.team and 2 <= len(m.tokens) <= 3
                and m.tokens[-1] in surnames and m.tokens[-1].lower() not in ORG_HEAD_WORDS
                and all(w[:1].isupper() or w in NAME_PARTICLES for w in m.tokens)
                and gaz.place(m.name) is None):
            m.kind = PERSON
    _vote_kinds(mentions)
    # "Pirelli" labelled PERSON beside the organization "Pirelli SpA", with no person
    # whose name it is part of: the organization's short name.
    org_heads = {m.tokens[0] for m in mentions if m.kind == ORGANIZATION and len(m.tokens) >= 2}
    longer = {w for m in mentions if m.kind == PERSON and len(m.tokens) >= 2 for w in m.tokens}
    for m in mentions:
        if (m.kind == PERSON and not m.titled and len(m.tokens) == 1
                and m.name in org_heads and m.name not in longer):
            m.kind = ORGANIZATION
    people = [m for m in mentions if m.kind == PERSON]
    roots = _fold_names(people)  # name -> full name, or None when ambiguous

    for m in mentions:
        if m.kind == PERSON:
            continue
        # "Ghazi" labelled GPE or ORG, in an article about Abdul Rashid Ghazi.
        if len(m.tokens) <= 3 and gaz.place(m.name) is None:
            target = _fold_target(m.tokens, [p for p, r in roots.items() if r == p])
            if target is not None:
                m.kind, m.tokens = PERSON, tuple(target.split())
                roots.setdefault(m.name, target)

    # "the town of Tavildara" once: every untitled "Tavildara" is that place.
    placed = {m.name for m in mentions if m.kind == PERSON and m.place_context
              and len(m.tokens) == 1}
    kept: list[Mention] = []
    for m in mentions:
        if m.kind == PERSON:
            root = roots.get(m.name)
            m.canonical = root  # None: an ambiguous surname, one of the listed full names
            if root == m.name and not m.titled and len(m.tokens) == 1:
                if _looks_like_place(m, gaz) or m.name in placed:
                    m.kind, m.canonical = LOCATION, gaz.place(m.name) or m.name
        elif m.kind == LOCATION:
            m.canonical = m.name
        elif m.name.lower() not in GENERIC_ORGS and (not is_title(m.name) or m.name.lower() in OCCUPATIONS):
            m.canonical = m.name
        else:
            continue
        kept.append(m)
    ctx.mentions = kept


def _vote_kinds(mentions: list[Mention]) -> None:
    """Give every mention of a name the kind most of its mentions have (ties: first seen).

    NER labels the same name differently from sentence to sentence ("England" once PERSON,
    nine times GPE); the article's majority is the better guess. A town's name for its
    team takes no part: a sports report has both the team and the town.
    """
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        if not m.team:
            kinds = votes.setdefault(m.name, {})
            kinds[m.kind] = kinds.get(m.kind, 0) + 1 + (m.kind == PERSON and m.titled)
    for m in mentions:
        if not m.team:
            kinds = votes[m.name]
            m.kind = max(kinds, key=kinds.__getitem__)


def _fold_target(tokens: Sequence[str], full_names: Iterable[str]) -> str | None:
    """The one full name whose words contain `tokens` in order; None if none or several."""
    found = {name for name in full_names
             if len(name.split()) > len(tokens) and _is_subsequence(tokens, name.split())}
    return found.pop() if len(found) == 1 else None


def _fold_names(people: list[Mention]) -> dict[str, str | None]:
    """Map each person name to its canonical full name (None: ambiguous surname).

    Longer names are settled first, so "Bush" folds into "George W. Bush" through
    "George Bush"; a surname shared by two different full names is ambiguous.
    """
    names = sorted({m.name for m in people}, key=lambda n: -len(n.split()))
    roots: dict[str, str | None] = {}
    for name in names:
        words = name.split()
        candidates = {roots[other] for other in roots
                      if len(other.split()) > len(words)
                      and _is_subsequence(words, other.split())}
        candidates.discard(None)
        if not candidates:
            roots[name] = name
        elif len(candidates) == 1:
            roots[name] = candidates.pop()
        else:
            roots[name] = None
    return roots


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(w.lower() for w in long)
    return all(w.lower() in it for w in short)


def _looks_like_place(m: Mention, gaz: PlaceNames) -> bool:
    """A lone, untitled "person" that is a known place or is written where places go."""
    return gaz.place(m.name) is not None or m.place_context
