"""Rules that find places the model missed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.ingest.lexicon import AMBIGUOUS_COUNTRIES, PLACE_SIGNS
from generator.ingest.mentions import LOCATION, PERSON, Mention, is_fragment, is_title, line_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from generator.ingest.rules import Context

def unlabelled_places(ctx: Context) -> None:
    """Countries, and the place of a dateline line ("COLOMBO 1996-08-30"), NER missed.

    The model often leaves a country in a list or a lone place before a date
    unlabelled; the gazetteer knows them. Ambiguous country names ("Jordan", "Chad")
    are left to the model.
    """
    doc, gaz = ctx.doc, ctx.places
    found: list[Mention] = []
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        if token.ent_type_ or not token.text[:1].isupper():
            i += 1
            continue
        for size in (3, 2, 1):
            span = doc[i:i + size]
            if len(span) < size or any(t.ent_type_ or t.is_space for t in span):
                continue
            place = gaz.place(span.text)
            if place is None or span.text.lower() in AMBIGUOUS_COUNTRIES:
                continue
            line = line_of(ctx.normal, span.start_char, span.end_char)
            if place.lower() in gaz.nations or not any(c.isalpha() for c in line):
                found.append(Mention(LOCATION, tuple(place.split()), span.start_char,
                                      span.end_char, canonical=place))
                i += size - 1
                break
        i += 1
    ctx.mentions += found


#: "Wall Street", "Grace Road", "Tiananmen Square".
_STREET = re.compile(r"(?<![\w.'’-])(?:[A-Z][\w'’-]+ ){1,3}(?:Street|Road|Avenue|Square|Boulevard|Lane)(?![\w'’-])")


def streets(ctx: Context) -> None:
    """Street names the model left unlabelled: places."""
    from spacy.lang.en.stop_words import STOP_WORDS

    found: list[Mention] = []
    mentions = ctx.mentions
    for match in _STREET.finditer(ctx.normal):
        words = match.group(0).split()
        while len(words) > 1 and (words[0].lower() in STOP_WORDS or is_title(words[0])):
            words.pop(0)
        if len(words) < 2:
            continue
        start, end = match.end() - len(" ".join(words)), match.end()
        if not any(o.start < end and start < o.end for o in mentions):
            found.append(Mention(LOCATION, tuple(words), start, end))
    mentions += found


#: A dateline: "IRVINE, Calif. 1996-08-30", "NABLUS, West Bank 1996-08-31".
_DATED_LINE = re.compile(r"(?P<places>[A-Z][\w.'’ -]*(?:, [A-Z][\w.'’ -]*){0,2}) \d{4}-\d{2}-\d{2}")


def dateline_places(ctx: Context) -> None:
    """The parts of a dated dateline the model left unlabelled ("Calif."): places."""
    text, mentions = ctx.normal, ctx.mentions
    found: list[Mention] = []
    at = 0
    for line in text.split("\n"):
        base, at = at, at + len(line) + 1
        match = _DATED_LINE.fullmatch(line.strip())
        if match is None:
            continue
        base += line.find(line.strip())
        pos = base
        for part in match.group("places").split(", "):
            name = part.rstrip(".")
            start, end = pos, pos + len(name)
            pos += len(part) + 2
            words = tuple((name.title() if name.isupper() and len(name) > 3 else name).split())
            if not any(o.start < end and start < o.end for o in mentions) and not is_fragment(
                    words):
                found.append(Mention(LOCATION, words, start, end, place_context=True))
    mentions += found


def place_ends(ctx: Context) -> None:
    """"Vegas" beside "Las Vegas": a lone word the model calls a person, which ends a longer place of the
    article the gazetteer knows and no longer name of its people, is that place."""
    people_ends = {m.tokens[-1] for m in ctx.mentions if m.kind == PERSON and len(m.tokens) > 1}
    places: dict[str, tuple[str, ...]] = {}
    for m in ctx.mentions:
        if m.kind == LOCATION and len(m.tokens) > 1 and ctx.places.place(m.name) is not None:
            places.setdefault(m.tokens[-1], m.tokens)
    for m in ctx.mentions:
        if (m.kind == PERSON and len(m.tokens) == 1 and not m.titled and m.tokens[0] in places
                and m.tokens[0] not in people_ends):
            m.kind, m.tokens = LOCATION, places[m.tokens[0]]



def _written_as_place(ctx: Context, token: Token) -> bool:
    """A sign that a word is a place: a preposition of place before it ("in Bikoro", "in the Caribbean"), or a
    comma and a place the gazetteer knows after it ("Parkland, Florida")."""
    doc = ctx.doc
    if token.i and doc[token.i - 1].lower_ in PLACE_SIGNS:
        return True
    if token.i > 1 and doc[token.i - 1].lower_ == "the" and doc[token.i - 2].lower_ in PLACE_SIGNS:
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None  # "in the Caribbean", not "at the Olympic Games"
        return after is None or not after.tag_.startswith("NN")
    if token.i + 2 < len(doc) and doc[token.i + 1].text == ",":
        return ctx.places.place(doc[token.i + 2].text) is not None
    return False


def place_words(ctx: Context) -> None:
    """"the Quran", "coming face to face with Satan", "the bacterium Yersinia": a lone word the model calls a place,
    that the gazetteer does not know and that is an ordinary word (the model's dictionary has it, or its tagger
    reads it as no proper noun), is a place only when the article writes it as one somewhere: after "in", "from",
    "to"..., or before a comma and a known place. Sports reports are left alone (grounds, towns as teams).
    """
    if ctx.sports:
        return
    suspects: set[str] = set()
    for m in ctx.mentions:
        if m.kind != LOCATION or len(m.tokens) > 1 or m.name.isupper():
            continue
        if ctx.places.place(m.name) is not None:
            continue
        token = ctx.token_at.get(m.start)
        if token is not None and token.tag_ not in ("NNP", "NNPS"):
            suspects.add(m.name)
    suspects -= {m.name for m in ctx.mentions if m.kind == LOCATION and m.place_context}
    if not suspects:
        return
    placed = {t.text for t in ctx.token_at.values() if t.text in suspects and _written_as_place(ctx, t)}
    gone = suspects - placed
    if gone:
        ctx.mentions = [m for m in ctx.mentions if not (m.kind == LOCATION and m.name in gone)]
