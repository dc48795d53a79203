"""The entity rules: named steps that turn the model's entity spans into index names.

spaCy's small English model finds the entity spans; each rule below corrects one kind of
mistake it makes on news text, in the order listed. A rule reads and changes the
article's mentions through a `Context`. `benchmarks/eval_entities.py --ablate` measures
what each rule gains by running the evaluation without it; the README lists the figures.
The last step, `settle`, is no rule: it gives every mention its kind and the one name an
index lists it under.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from generator.ingest.rules import names, places, sports

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from generator.ingest.gazetteer import PlaceNames
    from generator.ingest.mentions import Mention


@dataclass
class Context:
    """One article while the rules run."""

    doc: Doc  # the text with its all-capitals lines in normal case (same offsets)
    text: str  # the text as written
    places: PlaceNames
    mentions: list[Mention]
    sports: bool = False  # a sports report: the sports rules run
    words: frozenset[str] = frozenset()  # the model's dictionary of ordinary words (lower case)

    # spaCy builds `doc.text` and every Token object anew on each access: the rules share one copy.
    @cached_property
    def normal(self) -> str:
        """`doc.text`: the text with its all-capitals lines in normal case."""
        return self.doc.text

    @cached_property
    def token_at(self) -> dict[int, Token]:
        """The model's tokens by character offset."""
        return {t.idx: t for t in self.doc}

    @cached_property
    def lower_words(self) -> frozenset[str]:
        """Words the article writes in lower case."""
        return frozenset(t.text for t in self.token_at.values() if t.is_lower)


@dataclass(frozen=True)
class Rule:
    name: str
    apply: Callable[[Context], None]
    sports_only: bool = False


RULES: tuple[Rule, ...] = (
    Rule("plain-words", names.plain_words),
    Rule("opening-words", names.opening_words),
    Rule("headline-openers", names.headline_openers),
    Rule("quoted-names", names.quoted_names),
    Rule("lone-words", names.lone_words),
    Rule("owned-names", names.owned_names),
    Rule("families", names.families),
    Rule("run-ons", names.run_ons),
    Rule("joining-words", names.joining_words),
    Rule("headline-names", names.headline_names),
    Rule("headline-runs", names.headline_runs),
    Rule("list-lines", names.list_lines),
    Rule("question-openers", names.question_openers),
    Rule("unlabelled-places", places.unlabelled_places),
    Rule("streets", places.streets),
    Rule("dateline-places", places.dateline_places),
    Rule("place-ends", places.place_ends),
    Rule("place-words", places.place_words),
    Rule("athletes", names.athletes),
    Rule("initialled", names.initialled),
    Rule("lineup-players", names.lineup_players),
    Rule("regnal-numbers", names.regnal_numbers),
    Rule("known-by-title", names.known_by_title),
    Rule("full-names", names.full_names),
    Rule("table-teams", sports.table_teams, sports_only=True),
    Rule("teams", sports.teams, sports_only=True),
    Rule("venues", sports.venues, sports_only=True),
    Rule("grounds", sports.grounds, sports_only=True),
)


def run_rules(ctx: Context, skip: frozenset[str] = frozenset()) -> None:
    """Apply every rule not named in `skip`, in order."""
    for rule in RULES:
        if rule.name not in skip and (ctx.sports or not rule.sports_only):
            rule.apply(ctx)
