"""Which names get a page on the persons and places indexes: one name each, of the right kind.

Two passes over the whole archive: `names` makes each person and place one name, then
`kinds` puts each name on the index of its kind and leaves off what it doubts. The build
and the review queue both start here, so what an editor reviews is what the build did.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.decisions.kinds import (
    CueCache,
    Judgement,
    KindJudge,
    KnownPlace,
    apply_kinds,
    plain_text,
)
from generator.decisions.names import Aliases, Canonicaliser, NameLexicon, stamped_digest
from generator.bodies import body_of
from generator.model import Article, with_fields


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
                 lexicon: NameLexicon | None = None, cues: CueCache | None = None, workers: int = 1) -> PageDecisions:
    """`cues`: what earlier builds read of how the articles write each name (kept up to date here);
    `workers`: the processes the cues not yet read are read with."""
    canonicaliser = Canonicaliser(aliases, known_place, lexicon)
    canonical = canonicaliser.apply(list(articles))
    judgements = KindJudge(aliases, known_place, lexicon, cues, workers).judge(canonical)
    return PageDecisions(apply_kinds(canonical, judgements), judgements, canonical, dict(canonicaliser.probes))


#: How much of the text before each mention of a name the signature below keeps: more than `read_cues`
#: looks at (the two words before a mention, within 30 characters).
BEFORE_CHARS = 32
#: After a mention, `read_cues` looks at a suffix ("s", "-winning"), at most two characters that are not
#: word characters, and the word after them; the signature keeps just that much, so a sentence added after
#: a paragraph that ends with a name keeps it unchanged. (Past what this matches comes a character that is
#: not a word character, or the end, and `read_cues` tells those apart no more than this does.)
AFTER_READ = re.compile(r"(?:s|-[a-z])?\W{0,2}\w*")


def _mentions(text: str, name: str, before: int, after: int | None) -> list[str]:
    """The text around every occurrence of `name`, in order; `after` None: as much after it as `read_cues` reads."""
    found, at = [], text.find(name)
    while at != -1:
        end = at + len(name)
        found.append(text[max(0, at - before):end + (after if after is not None else
                                                       len(AFTER_READ.match(text, end).group()))])
        at = text.find(name, at + 1)
    return found


def body_signature(article: Article, names: Sequence[str], probes: Sequence[str]) -> str:
    """All that the decisions above read of an article's body, as a hash.

    The kinds count how the body writes each person and place it lists (`read_cues`, by the
    canonical name: `names`), from the words around each mention and the times it is written
    in lower case (a longer name: after a lower-case word); the names pass looks for longer names in the body
    (`probes`). The signature keeps the text around every mention (wider than the cues read)
    and every lower-case occurrence, and whether each probe is there. A body edit that leaves
    it unchanged changes no decision: the quick build (generator/quick.py) relies on that, and
    leaves to the full build an edit that changes it.
    """
    text = plain_text(article)
    parts: list[object] = []
    for name in names:
        parts.append((name, _mentions(text, name, BEFORE_CHARS, None)))
        if name[:1].isupper() and " " not in name:
            parts.append(_mentions(text, name.lower(), 1, 1))
        elif name.lower() != name:  # a longer name in lower case counts after a lower-case word
            parts.append(_mentions(text, name.lower(), BEFORE_CHARS, 1))
    body = body_of(article) if probes else ""
    parts.extend((probe, probe in body) for probe in probes)
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


#: The names an article lists, which the decisions may change.
NAMES = ("tags", "locations", "persons", "organizations")
#: What the decisions give each article: its names, and the stamps of what they changed.
DECIDED = NAMES + ("stamps",)


def _names(article: Article) -> tuple:
    return (article.slug, article.tags, article.locations, article.persons, article.organizations)


@dataclass
class DecisionCache:
    """The decisions of the last build, per article, and what they depended on.

    The decisions depend on every article's names, on what `body_signature` covers of its
    body, and on the editors' aliases. While the set of articles, their names, their body
    signatures and the aliases are as they were, the decisions are too: `apply` gives each
    article the names they gave it (and its stamps folded into its new hash) without making
    them again, which at 100,000 articles saves some fifteen seconds of every build.
    """

    aliases: str
    #: Per content file: (its hash, its names as written, its body signature, the decided fields, the reads).
    entries: dict[str, tuple[str, tuple, str, dict, tuple]]
    #: How many new hashes `apply` took in (articles edited since the cache was saved, their names and
    #: decisive text as they were): each costs the next build a look at its body until the cache is saved.
    refreshed: int = 0
    #: Names these decisions, new each time they are made again: the build database records the one its
    #: pages were rendered with, so a build can tell whether the pages and the cached decisions agree.
    token: str = ""

    @classmethod
    def of(cls, decisions: PageDecisions, written: Sequence[Article], aliases: str,
           previous: DecisionCache | None = None) -> DecisionCache:
        """The cache of these decisions; signatures the `previous` cache made of the same text and reads are kept."""
        reads = decisions.body_reads()
        known = previous.entries if previous is not None else {}
        entries = {}
        for original, final in zip(written, decisions.articles):
            entry_reads = reads.get(original.path, ((), ()))
            old = known.get(original.path)
            if old is not None and old[0] == original.digest and old[4] == entry_reads:
                signature = old[2]
            else:
                signature = body_signature(original, *entry_reads)
            entries[original.path] = (original.digest, _names(original), signature,
                                      {key: getattr(final, key) for key in DECIDED}, entry_reads)
        return cls(aliases, entries, token=uuid.uuid4().hex)

    @classmethod
    def load(cls, data: object, aliases: str | None) -> DecisionCache | None:
        """The cache `dump` gave; None when it is not one, or (with `aliases`) was made with other aliases."""
        if not isinstance(data, tuple) or len(data) != 3 or (aliases is not None and data[0] != aliases):
            return None
        return cls(data[0], data[1], token=data[2])

    def dump(self) -> tuple:
        return (self.aliases, self.entries, self.token)

    def decided(self, path: str) -> dict | None:
        """The names (and stamps) these decisions gave the content file at `path`."""
        entry = self.entries.get(path)
        return None if entry is None else entry[3]

    def apply(self, articles: Sequence[Article]) -> list[Article] | None:
        """The articles as the cached decisions left them; None when something they depend on changed."""
        if len(articles) != len(self.entries):
            return None
        out = []
        for article in articles:
            entry = self.entries.get(article.path)
            if entry is None:
                return None
            digest, names, signature, decided, reads = entry
            if digest != article.digest:
                if names != _names(article) or signature != body_signature(article, *reads):
                    return None
                self.entries[article.path] = (article.digest, names, signature, decided, reads)
                self.refreshed += 1
            # A list the decisions left as the file has it stays the article's own (not a second copy of it).
            changes = {key: value for key, value in decided.items() if value != getattr(article, key)}
            out.append(with_fields(article, **changes, digest=stamped_digest(article.digest, decided["stamps"])))
        return out

    def reads(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        return {path: entry[4] for path, entry in self.entries.items()}
