"""Stable fingerprints of page data, so a page whose inputs did not change is not rendered again.

A fingerprint covers what a page can show. Articles are identified by the hash of their
content file. A term is identified by its name and membership (which articles, with their
titles, dates and summaries), not by the articles' bodies: editing one article's text
re-renders the pages that show that article, not every page that links one of its terms.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from generator.model import Article, Taxonomy, TaxonomyLabel, Term, TermLink

_SEP = b"\x1f"


def _hashed(fields: tuple) -> bytes:
    """The digest of an article's fields, each a string, a date, None or a sequence of strings: their `repr`
    tells every value from every other (it quotes and escapes strings) and costs half of `Fingerprinter._of`,
    which a term's fingerprint runs once for each of its articles."""
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Fingerprinter:
    """Hashes page contexts; memoises shared objects (articles, terms) for one build."""

    def __init__(self) -> None:
        self._memo: dict[object, bytes] = {}
        self._alive: list[Any] = []  # keeps memoised objects alive so their ids stay unique
        #: Long lists and tuples by id, apart: most are made for one page, and `forget_sequences` lets them go.
        self._sequences: dict[int, bytes] = {}
        self._sequences_alive: list[Any] = []
        #: Listing fingerprints by content hash: valid across builds, so a warm process keeps them.
        self._listings: dict[str, bytes] = {}
        self._keys: dict[Any, bytes] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._handlers: dict[type, Callable[[Any], bytes]] = {
            str: lambda v: b"s" + v.encode("utf-8", "surrogatepass") + _SEP,
            int: lambda v: b"i%d" % v + _SEP,
            bool: lambda v: b"b1" if v else b"b0",
            float: lambda v: b"f" + repr(v).encode() + _SEP,
            type(None): lambda v: b"n",
            dt.date: lambda v: b"d" + v.isoformat().encode() + _SEP,
            Article: lambda v: self._memoised(v, self._article),
            Term: lambda v: self._memoised(v, self._term),
            Taxonomy: lambda v: self._memoised(v, self._taxonomy),
            TermLink: lambda v: b"k" + f"{v.taxonomy}\x1f{v.slug}\x1f{v.name}".encode() + _SEP,
            TaxonomyLabel: lambda v: b"t" + f"{v.key}\x1f{v.title}\x1f{v.singular}".encode() + _SEP,
            tuple: self._sequence,
            list: self._sequence,
            dict: self._mapping,
        }

    def register(self, kind: type, handler: Callable[[Any], bytes]) -> None:
        """Teach the fingerprinter a type that pages carry (the renderer's own helpers)."""
        self._handlers[kind] = handler

    def new_build(self, articles: int) -> None:
        """Forget objects of the last build; keep content-hash keyed entries unless they pile up."""
        self._memo.clear()
        self._alive.clear()
        self.forget_sequences()
        if len(self._listings) > 3 * articles + 1000:  # a listing and a membership entry each
            self._listings.clear()

    def forget_sequences(self) -> None:
        """Let go of the long lists and tuples hashed so far (kept alive so that their ids stay their own).

        A pass that makes its pages one at a time calls it now and then: the lists a page was made with
        would otherwise live as long as the build. The articles and terms, which outlive their pages,
        stay memoised."""
        self._sequences.clear()
        self._sequences_alive.clear()

    def digest(self, *values: Any) -> str:
        return hashlib.blake2b(b"".join(self._of(v) for v in values), digest_size=16).hexdigest()

    def _of(self, value: Any) -> bytes:
        handler = self._handlers.get(type(value))
        if handler is not None:
            return handler(value)
        if isinstance(value, Mapping):
            return self._mapping(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._dataclass(value)
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context")

    def _memoised(self, value: Any, make: Callable[[Any], bytes], memo: dict | None = None,
                  alive: list[Any] | None = None) -> bytes:
        memo = self._memo if memo is None else memo
        key = id(value)
        found = memo.get(key)
        if found is None:
            found = b"m" + hashlib.blake2b(make(value), digest_size=16).digest()
            memo[key] = found
            (self._alive if alive is None else alive).append(value)
        return found

    def _sequence(self, value: tuple[Any, ...] | list[Any]) -> bytes:
        if len(value) > 32:
            return self._memoised(value, lambda v: b"".join(map(self._of, v)), self._sequences, self._sequences_alive)
        return b"(" + b"".join(map(self._of, value)) + b")"

    def _mapping(self, value: Mapping[Any, Any]) -> bytes:
        # Page contexts are built in a fixed order by the code, whose version is part of every digest.
        keys = self._keys
        parts = [b"{"]
        for k, v in value.items():
            encoded = keys.get(k)
            if encoded is None:
                encoded = keys[k] = self._of(str(k))
            parts.append(encoded)
            parts.append(self._of(v))
        parts.append(b"}")
        return b"".join(parts)

    def _dataclass(self, value: Any) -> bytes:
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(value))
        return kind.__name__.encode() + self._sequence(tuple(getattr(value, n) for n in names))

    def _article(self, article: Article) -> bytes:
        if article.digest:
            return f"{article.slug}:{article.digest}".encode()
        return self._dataclass(article)

    def _listing(self, article: Article) -> bytes:
        """What a term's pages show of an article: its address, title, date and summary in
        listings, and the people, places and organizations it names ("appears with")."""
        key = article.digest
        found = self._listings.get(key) if key else None
        if found is None:
            shown = (article.slug, article.title, article.date, article.summary,
                     article.persons, article.locations, article.organizations)
            found = _hashed(shown)
            if key:
                self._listings[key] = found
        return found

    def membership(self, term: Term) -> bytes:
        """What a term's "appears with" lists read of it: its articles' addresses, dates and names, not their
        headlines or summaries, nor their order (the lists count them)."""
        key = ("membership", id(term))
        found = self._memo.get(key)
        if found is None:
            members = b"".join(sorted(map(self._member, term.articles)))  # counted, not listed: order is no input
            found = b"M" + hashlib.blake2b(self._of((term.name, term.slug, term.taxonomy)) + members, digest_size=16).digest()
            self._memo[key] = found
            self._alive.append(term)
        return found

    def dates(self, term: Term) -> bytes:
        """What a term's chart reads of it: its articles' dates (None for an undated one)."""
        key = ("dates", id(term))
        found = self._memo.get(key)
        if found is None:
            days = ",".join(str(a.date.toordinal()) if a.date is not None else "-" for a in term.articles)
            found = b"D" + hashlib.blake2b(days.encode(), digest_size=16).digest()
            self._memo[key] = found
            self._alive.append(term)
        return found

    def _member(self, article: Article) -> bytes:
        key = "member:" + article.digest if article.digest else ""
        found = self._listings.get(key) if key else None
        if found is None:
            shown = (article.slug, article.date, article.persons, article.locations, article.organizations)
            found = _hashed(shown)
            if key:
                self._listings[key] = found
        return found

    def _term(self, term: Term) -> bytes:
        members = b"".join(map(self._listing, term.articles))
        return self._of((term.name, term.slug, term.taxonomy)) + members

    def _taxonomy(self, taxonomy: Taxonomy) -> bytes:
        return self._of((taxonomy.key, taxonomy.title, taxonomy.singular)) + b"".join(map(self._of, taxonomy.terms))
