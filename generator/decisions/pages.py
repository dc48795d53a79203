"""Which names get a page on the persons and places indexes: one name each, of the right kind.

Two passes over the whole archive: `names` makes each person and place one name, then
`kinds` puts each name on the index of its kind and leaves off what it doubts. The build
and the review queue both start here, so what an editor reviews is what the build did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, field

from generator.decisions.kinds import (
    CueCache,
    Judgement,
    KindJudge,
    KnownPlace,
    apply_kinds,
    plain_text,
    read_cues,
)
from generator.decisions.names import Aliases, Canonicaliser, NameLexicon
from generator.model import Article


@dataclass(frozen=True)
class PageDecisions:
    """The articles as the index pages list them, and the judgement behind each person and place."""

    articles: list[Article]
    judgements: list[Judgement]
    #: The articles with one name per person and place, before the kinds moved or left any off.
    canonical: list[Article] = field(default_factory=list)
    #: Per article (by slug): the texts the names pass looked for in its body.
    probes: Mapping[str, list[str]] = field(default_factory=dict)

    def body_reads(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Per article (by content file): the names whose cues its body gives, and the texts looked for in it."""
        return {a.path: ((*a.persons, *a.locations), tuple(self.probes.get(a.slug, ()))) for a in self.canonical}


def decide_pages(articles: Sequence[Article], aliases: Aliases, known_place: KnownPlace | None = None,
                 lexicon: NameLexicon | None = None, cues: CueCache | None = None) -> PageDecisions:
    """`cues`: what earlier builds read of how the articles write each name (kept up to date here)."""
    canonicaliser = Canonicaliser(aliases, known_place, lexicon)
    canonical = canonicaliser.apply(list(articles))
    judgements = KindJudge(aliases, known_place, lexicon, cues).judge(canonical)
    return PageDecisions(apply_kinds(canonical, judgements), judgements, canonical, dict(canonicaliser.probes))


def body_signature(article: Article, names: Sequence[str], probes: Sequence[str]) -> str:
    """All that the decisions above read of an article's body, as a hash.

    The kinds count how the body writes each person and place it lists (`read_cues`, by the
    canonical name: `names`); the names pass looks for longer names in it (`probes`). A body
    edit that leaves this unchanged changes no decision: the quick build (generator/quick.py)
    relies on that, and leaves to the full build an edit that changes it.
    """
    text = plain_text(article)
    parts = [(name, astuple(read_cues(name, [text]))) for name in names]
    parts.extend((probe, probe in article.body_html) for probe in probes)
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
