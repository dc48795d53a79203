"""The review queue: the index entries the build is least sure of, each with the alias line that settles it.

The build never waits for an editor: what it doubts it leaves off the index. This queue
says what those doubts were, most covered first, so an editor's few minutes go where
readers look most. Each entry carries one line for `content/aliases.toml`; once it is
there, the build follows it and the entry leaves the queue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.decisions.kinds import LOCATIONS, PERSONS, Judgement, KnownPlace
from generator.decisions.names import Aliases, _one_edit_apart, name_fold, person_key
from generator.decisions.pages import PageDecisions
from generator.model import Article

#: The queue's sections, in the order an editor reads them.
LEFT_OFF, KIND, SURNAME, SPELLING, ONE_ARTICLE_TAG = (
    "Left off the index: not sure this is a person or a place",
    "Moved to another kind: the articles disagree what this is",
    "A surname alone, shared by several people",
    "Two pages, one letter or one initial apart",
    "Tags on one article only",
)
SECTIONS = (LEFT_OFF, KIND, SURNAME, SPELLING, ONE_ARTICLE_TAG)
_ONE = {PERSONS: "person", LOCATIONS: "place", "organizations": "organization"}


@dataclass(frozen=True)
class ReviewItem:
    section: str
    taxonomy: str
    name: str
    articles: int
    why: str
    #: The `content/aliases.toml` entry that settles it, with its table.
    alias: str


def _line(taxonomy: str, name: str, target: str | None) -> str:
    value = "false" if target is None else '"' + target.replace('"', '\\"') + '"'
    return f'[{taxonomy}] "{name}" = {value}'


def review_queue(decisions: PageDecisions, aliases: Aliases, tags_from: Sequence[Article] = (),
                 known_place: KnownPlace | None = None) -> list[ReviewItem]:
    """Every doubt, most covered first within each section."""
    items: list[ReviewItem] = []
    for j in decisions.judgements:
        if j.kind is None:
            items.append(ReviewItem(LEFT_OFF, j.listed, j.name, j.articles, j.reason, _line(j.listed, j.name, None)))
        elif j.changed and j.votes.get(j.listed, 0) > 0 and _close(j):
            items.append(ReviewItem(KIND, j.listed, j.name, j.articles,
                                    f"shown as {_ONE.get(j.kind, j.kind)}: {j.reason}", _line(j.listed, j.name, None)))
    items += _shared_surnames(decisions.articles, aliases)
    items += _near_twins(decisions.articles, aliases, known_place or (lambda name: None))
    items += _lonely_tags(tags_from or decisions.articles, aliases)
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(items, key=lambda i: (order[i.section], -i.articles, i.name.casefold()))


def _close(j: Judgement) -> bool:
    """A kind decided by the names' shape or a vote its own index nearly won."""
    top = max(j.votes.values(), default=0)
    return j.votes.get(j.listed, 0) * 2 >= top or "ends in" in j.reason


def _shared_surnames(articles: Sequence[Article], aliases: Aliases) -> list[ReviewItem]:
    counts = Counter(n for a in articles for n in dict.fromkeys(a.persons))
    fulls: dict[str, Counter[str]] = defaultdict(Counter)
    for name, n in counts.items():
        key = person_key(name)
        if key is not None:
            fulls[key.last][name] += n
    out = []
    for name, n in counts.items():
        people = fulls.get(name_fold(name)) if len(name.split()) == 1 and not aliases.lookup(PERSONS, name)[0] else None
        if people:
            top = people.most_common(2)
            others = ", ".join(f"{p} ({c})" for p, c in top)
            out.append(ReviewItem(SURNAME, PERSONS, name, n, f"could be {others}", _line(PERSONS, name, top[0][0])))
    return out


def _near_twins(articles: Sequence[Article], aliases: Aliases, known_place: KnownPlace) -> list[ReviewItem]:
    """Two pages whose names differ by one letter or an initial; two places the gazetteer knows are two places."""
    out = []
    for taxonomy in (PERSONS, LOCATIONS):
        counts = Counter(n for a in articles for n in dict.fromkeys(a.terms(taxonomy)))
        by_shape: dict[tuple, list[str]] = defaultdict(list)
        for name in counts:
            key = person_key(name) if taxonomy == PERSONS else None
            if key is not None:
                by_shape["initials", key.first[:1], key.last].append(name)
            folded = name.casefold()
            for i in range(len(folded)):
                by_shape["edit", folded[:i] + folded[i + 1:]].append(name)
            by_shape["edit", folded].append(name)
        seen: set[tuple[str, str]] = set()
        for shape, names in by_shape.items():
            for a in names:
                for b in names:
                    if a >= b or (a, b) in seen:
                        continue
                    near = _one_edit_apart(a.casefold(), b.casefold()) and len(a) >= 5 and _same_initials(a, b) \
                        if shape[0] == "edit" else _initial_of(a, b)
                    if not near or aliases.lookup(taxonomy, a)[0] or aliases.lookup(taxonomy, b)[0]:
                        continue
                    if taxonomy == LOCATIONS and known_place(a) is not None and known_place(b) is not None:
                        continue
                    seen.add((a, b))
                    less, more = sorted((a, b), key=lambda n: (counts[n], n))
                    out.append(ReviewItem(SPELLING, taxonomy, less, counts[less],
                                          f'beside "{more}" ({counts[more]} articles; this one {counts[less]})',
                                          _line(taxonomy, less, more)))
    return out


def _same_initials(a: str, b: str) -> bool:
    """"Kerry" and "Terry" are two people; a slip of the pen rarely changes a word's first letter."""
    return [w[0].casefold() for w in a.split()] == [w[0].casefold() for w in b.split()]


def _initial_of(a: str, b: str) -> bool:
    """"J. Smith" beside "John Smith": one writes the first name as its initial."""
    ka, kb = person_key(a), person_key(b)
    words_a, words_b = a.replace(".", " ").split(), b.replace(".", " ").split()
    if ka is None or kb is None or ka.last != kb.last:
        return False
    return (len(words_a[0]) == 1) != (len(words_b[0]) == 1) and words_a[0][0].casefold() == words_b[0][0].casefold()


def _lonely_tags(articles: Sequence[Article], aliases: Aliases) -> list[ReviewItem]:
    counts = Counter(t for a in articles for t in dict.fromkeys(a.tags))
    return [ReviewItem(ONE_ARTICLE_TAG, "tags", tag, 1, "no other article has this tag", _line("tags", tag, None))
            for tag, n in counts.items() if n == 1 and not aliases.lookup("tags", tag)[0]]


def format_queue(items: Sequence[ReviewItem], limit: int = 25) -> str:
    """The queue as an editor reads it in a terminal: sections, most covered first, the line to add."""
    if not items:
        return "Nothing to review: every person, place and tag on the indexes is settled.\n"
    lines = [f"Review queue: {len(items)} entries the build is least sure of, most covered first.",
             "To settle one, copy its line into content/aliases.toml under its [table] (one table each):",
             '  = false      means "not one of these": the name leaves that index',
             '  = "Name"     means "this is Name": the pages join',
             '  = the same name, in quotes, keeps it as it is (and takes it off this queue)',
             "Then build again; no re-ingest is needed.", ""]
    by_section: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in items:
        by_section[item.section].append(item)
    for section in SECTIONS:
        group = by_section.get(section, [])
        if not group:
            continue
        lines.append(f"{section} ({len(group)})")
        for item in group[:limit]:
            noun = "article" if item.articles == 1 else "articles"
            lines.append(f"  {item.name}  ·  {item.taxonomy}, {item.articles} {noun}  ·  {item.why}")
            lines.append(f"      {item.alias}")
        if len(group) > limit:
            lines.append(f"  … and {len(group) - limit} more (use --limit)")
        lines.append("")
    return "\n".join(lines)
