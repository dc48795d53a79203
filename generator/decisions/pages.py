"""Which names get a page on the persons and places indexes: one name each, of the right kind.

Two passes over the whole archive: `names` makes each person and place one name, then
`kinds` puts each name on the index of its kind and leaves off what it doubts. The build
and the review queue both start here, so what an editor reviews is what the build did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.decisions.kinds import (
    CueCache,
    Judgement,
    KindJudge,
    KnownPlace,
    apply_kinds,
)
from generator.decisions.names import Aliases, Canonicaliser, NameLexicon
from generator.model import Article


@dataclass(frozen=True)
class PageDecisions:
    """The articles as the index pages list them, and the judgement behind each person and place."""

    articles: list[Article]
    judgements: list[Judgement]


def decide_pages(articles: Sequence[Article], aliases: Aliases, known_place: KnownPlace | None = None,
                 lexicon: NameLexicon | None = None, cues: CueCache | None = None) -> PageDecisions:
    """`cues`: what earlier builds read of how the articles write each name (kept up to date here)."""
    canonical = Canonicaliser(aliases, known_place, lexicon).apply(list(articles))
    judgements = KindJudge(aliases, known_place, lexicon, cues).judge(canonical)
    return PageDecisions(apply_kinds(canonical, judgements), judgements)
