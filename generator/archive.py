"""Build the site model from loaded articles: ordering, taxonomies, date archives."""

from __future__ import annotations

import functools
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable

from slugify import slugify

from generator.config import KNOWN_TAXONOMIES
from generator.model import (
    MONTH_NAMES,
    Archive,
    Article,
    MonthArchive,
    Related,
    Taxonomy,
    Term,
    TermLink,
    YearArchive,
)

#: How many names an "often appears with" list shows.
RELATED_SIZE = 10


#: Each name's slug, made once per name: slugify costs about 10 µs a name, and an archive lists a name per
#: article or two. A build keeps the table in its state (`slug_table`, `learn_slugs`), so a new process does
#: not slugify the whole archive's names again.
_SLUGS: dict[str, str] = {}

#: Apostrophes as web pages and word processors type them (’ ‘ ʼ ´ ` ′), read as the plain one before a name is
#: slugified: slugify drops a curly one ("omalley") but makes a plain one a hyphen ("o-malley"), so "Tavi O’Kessel"
#: and "Tavi O'Kessel", one person typed two ways, would get two pages.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4\u0060\u2032", "'"))
#: Changes whenever term_slug makes other slugs from the same slugify, so that kept tables are not taken in.
_SLUG_RULES = "apostrophes-1"


def term_slug(name: str) -> str:
    """URL slug of a term; names that differ only in case, punctuation or the apostrophe typed share one page."""
    found = _SLUGS.get(name)
    if found is None:
        found = _SLUGS[name] = slugify(name.translate(_APOSTROPHES)) or "term"
    return found


def slug_table() -> tuple[str, dict[str, str]]:
    """The slugs made so far, with the version of the slugify library (and of the rules above) that made them."""
    return _slugify_version(), _SLUGS


def learn_slugs(table: object) -> bool:
    """Take in the slugs of `slug_table` (kept by an earlier process) when the same slugify made them; whether it did."""
    if isinstance(table, tuple) and len(table) == 2 and table[0] == _slugify_version() and isinstance(table[1], dict):
        for name, slug in table[1].items():
            _SLUGS.setdefault(name, slug)
        return True
    return False


@functools.cache
def _slugify_version() -> str:
    from importlib.metadata import version

    return f"{version('python-slugify')}+{_SLUG_RULES}"


def listing_key(article: Article) -> tuple[int, int, str, str]:
    """Where an article sorts in every listing: dated ones newest first, then undated ones; ties by title and slug."""
    if article.date is None:
        return (1, 0, article.title.casefold(), article.slug)
    return (0, -article.date.toordinal(), article.title.casefold(), article.slug)


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Dated articles newest first, then undated ones; ties broken by title and slug."""
    return tuple(sorted(articles, key=listing_key))


def build_taxonomy(key: str, articles: tuple[Article, ...]) -> Taxonomy:
    """Group articles (already newest first) by each term they list under `key`."""
    # Each name's articles first (one dictionary lookup a name an article lists), then the names into terms
    # by slug: most terms have one spelling. An article listing a name twice counts it twice (`again`).
    by_name: dict[str, list[Article]] = {}
    again: Counter[str] = Counter()
    terms_of = operator.attrgetter(key)
    for article in articles:
        for name in terms_of(article):
            listed = by_name.get(name)
            if listed is None:
                by_name[name] = [article]
            elif listed[-1] is not article:
                listed.append(article)
            else:
                again[name] += 1
    by_slug: dict[str, list[str]] = {}
    for name in by_name:
        slug = term_slug(name)
        spelled = by_slug.get(slug)
        if spelled is None:
            by_slug[slug] = [name]
        else:
            spelled.append(name)
    position: dict[int, int] | None = None
    terms = []
    for slug, names in by_slug.items():
        if len(names) == 1:
            name = names[0]
            members = by_name[name]
        else:
            # The spelling most articles use names the page; ties go to the alphabetically first.
            name = min(names, key=lambda n: (-len(by_name[n]) - again[n], n))
            if position is None:
                position = {id(article): i for i, article in enumerate(articles)}
            found = {id(article): article for n in names for article in by_name[n]}  # an article once
            members = sorted(found.values(), key=lambda article: position[id(article)])
        terms.append(Term(name=name, slug=slug, taxonomy=key, articles=tuple(members)))
    terms.sort(key=lambda t: (t.name.casefold(), t.slug))
    title, singular = KNOWN_TAXONOMIES[key]
    return Taxonomy(key=key, title=title, singular=singular, terms=tuple(terms))


def build_years(articles: tuple[Article, ...]) -> tuple[YearArchive, ...]:
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        if article.date is not None:
            months[(article.date.year, article.date.month)].append(article)
    years: dict[int, list[MonthArchive]] = defaultdict(list)
    for (year, month) in sorted(months, reverse=True):
        years[year].append(MonthArchive(year=year, month=month, articles=tuple(months[(year, month)])))
    return tuple(YearArchive(year=y, months=tuple(ms)) for y, ms in sorted(years.items(), reverse=True))


class RelatedFinder:
    """Works out a person's or place's "often appears with" lists when a page asks for them.

    Only the term pages being rendered need them, so nothing is counted up front; the
    page's fingerprint is the content hashes of the term's articles, which cover every
    name those articles list.
    """

    def __init__(self, taxonomies: dict[str, Taxonomy]) -> None:
        self.subjects = [key for key in ("persons", "locations") if key in taxonomies]
        self._taxonomies = taxonomies
        self._terms: dict[str, dict[str, Term]] | None = None

    def terms(self) -> dict[str, dict[str, Term]]:
        """Each subject taxonomy's terms by slug (made once: a page links a few of them)."""
        if self._terms is None:
            self._terms = {key: self._taxonomies[key].by_slug for key in self.subjects}
        return self._terms

    def for_term(self, term: Term) -> Related:
        terms = self.terms()
        counts: dict[str, Counter[str]] = {k: Counter() for k in self.subjects}
        orgs: Counter[str] = Counter()
        for article in term.articles:
            for key in self.subjects:
                counts[key].update({term_slug(n) for n in article.terms(key)})
            orgs.update(set(article.organizations))
        if term.taxonomy in counts:
            counts[term.taxonomy].pop(term.slug, None)

        def top(key: str) -> tuple[tuple[TermLink, int], ...]:
            if key not in counts:
                return ()
            known = terms[key]
            ranked = sorted(((known[slug].link, n) for slug, n in counts[key].items() if slug in known),
                            key=lambda item: (-item[1], item[0].name.casefold(), item[0].name))
            return tuple(ranked[:RELATED_SIZE])

        dates = [a.date for a in term.articles if a.date is not None]
        return Related(
            persons=top("persons"),
            locations=top("locations"),
            organizations=tuple(sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))[:RELATED_SIZE]),
            first=min(dates, default=None),
            last=max(dates, default=None),
            dated=len(dates),
        )


class LazyRelated:
    """A term's Related, computed on first use (see RelatedFinder)."""

    __slots__ = ("finder", "term", "_value")

    def __init__(self, finder: RelatedFinder, term: Term) -> None:
        self.finder, self.term, self._value = finder, term, None

    def __getattr__(self, name: str) -> object:
        if self._value is None:
            self._value = self.finder.for_term(self.term)
        return getattr(self._value, name)

    def forget(self) -> None:
        """Let go of the lists worked out (a first build renders a term's page once, then never needs them)."""
        self._value = None


def build_related(taxonomies: dict[str, Taxonomy]) -> dict[tuple[str, str], LazyRelated]:
    """For each person and place: who and what else its articles mention most, and when."""
    finder = RelatedFinder(taxonomies)
    return {(key, term.slug): LazyRelated(finder, term) for key in finder.subjects for term in taxonomies[key].terms}


def build_archive(articles: Iterable[Article], taxonomies: Iterable[str], places: dict[str, object] | None = None,
                  descriptions: dict[tuple[str, str], str] | None = None) -> Archive:
    ordered = newest_first(articles)
    built = {key: build_taxonomy(key, ordered) for key in taxonomies}
    return Archive(
        articles=ordered,
        taxonomies=built,
        years=build_years(ordered),
        undated=tuple(a for a in ordered if a.date is None),
        related=build_related(built),
        places=dict(places or {}),
        descriptions=dict(descriptions or {}),
    )


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]
