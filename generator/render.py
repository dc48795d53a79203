"""Render the site model into `public/`: HTML pages, Atom feeds, sitemap, robots.txt.

`page_jobs` says *what* to write (a path, a template and the data it shows); `render_site`
hashes each job's inputs, renders only the jobs whose hash changed since the last build
(spread over worker processes when there are many) into a staging folder beside the output,
completes it with hard links to the unchanged files, and swaps it in only when every page
rendered: a failed or killed build leaves the old site or the new one, never a mix.
"""

from __future__ import annotations

import bisect
import ctypes
import datetime as dt
import errno
import functools
import hashlib
import itertools
import logging
import math
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import jinja2.meta
import markupsafe

from generator import jsonld, search
from generator.api import (API_DIR, DATA_RENDERERS, api_pages, file_numbers, files_for, taxonomy_file, term_file,
                           year_file)
from generator.archive import LazyRelated, listing_key, month_name, term_slug
from generator.bodies import with_body
from generator.builddb import SEARCH_WANTED, ArticleRow, BuildDB, dumps_page, shown_key
from generator.builddb import manifest_name as _manifest_name
from generator.builddb import spare_path as _spare_path
from generator.charts import LazyChart, archive_chart, local_map, world_map
from generator.check import page_url
from generator.config import SiteConfig
from generator.decisions.pages import body_signature
from generator.errors import BuildError
from generator.fingerprint import Fingerprinter
from generator.model import (
    MONTH_NAMES,
    Archive,
    Article,
    LetterSummary,
    Taxonomy,
    TaxonomyLabel,
    Term,
    TermLink,
    TermSummary,
)
from generator.parallel import Forked, fork_map, release_memory
from generator.related import (SUBJECT_TAXONOMIES, TAXONOMY_WEIGHTS, ArticleCoverage, RelatedIndex, archive_scale,
                               rarity)
from generator.state import BuildState, code_version

log = logging.getLogger(__name__)

#: Atom needs an `updated` timestamp; with no dated article we use this, never "now".
EPOCH = dt.date(1970, 1, 1)

#: The date archive's pages of the stories that have no date.
UNDATED_URL = "/archive/undated/"

#: Names tried, in order, for a taxonomy's "most covered" view; the first that no term uses wins.
POPULAR_SLUGS = ("popular", "most-covered", "_popular")

#: Likewise for the folder of a long taxonomy's pages by letter (see `SiteConfig.names_per_page`).
LETTER_SLUGS = ("letters", "a-z", "_letters")

#: A long taxonomy's A–Z index shows this many of each letter's most covered terms, with a link to them all.
LETTER_TOP = 10


@dataclass(frozen=True)
class PageJob:
    """One file to write: where, with which template, from what data."""

    #: Relative POSIX path inside the output directory, e.g. "articles/x/index.html".
    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Root-relative URL the file is served at ("/articles/x/" for ".../index.html")."""
        return page_url(self.path)


def listed_in_sitemap(path: str) -> bool:
    """Whether the page at `path` is listed in sitemap.xml: HTML pages except 404."""
    return path.endswith(".html") and path != "404.html"


@dataclass(frozen=True)
class Page:
    """One page of a paginated listing."""

    number: int
    total: int
    items: tuple[Article, ...]
    #: URL of the first page; page N lives at `<base_url>page/N/`.
    base_url: str

    def url_for(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_for(self.number)

    @property
    def prev_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.total else None

    @property
    def path(self) -> str:
        return self.url.lstrip("/") + "index.html"


@dataclass(frozen=True)
class TermGroup:
    """The terms of one taxonomy that an article lists, resolved to their pages."""

    taxonomy: TaxonomyLabel
    terms: tuple[TermLink, ...]


# --------------------------------------------------------------------------- helpers


def paginate(articles: Sequence[Article], per_page: int, base_url: str) -> list[Page]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    total = max(1, math.ceil(len(articles) / per_page))
    return [
        Page(number=n, total=total, items=tuple(articles[(n - 1) * per_page : n * per_page]), base_url=base_url)
        for n in range(1, total + 1)
    ]


def popular_slug(taxonomy: Taxonomy) -> str:
    """Directory of the "most covered" view, avoiding a term that is itself called "popular"."""
    return next(s for s in POPULAR_SLUGS if s not in taxonomy.by_slug)


def letters_url(taxonomy: Taxonomy) -> str:
    """Where a long taxonomy's pages by letter live (`/persons/letters/a/`, …), avoiding a term's own folder."""
    return f"{taxonomy.url}{next(s for s in LETTER_SLUGS if s not in taxonomy.by_slug)}/"


def letter_slug(letter: str) -> str:
    """A letter's folder among them: "a" for A, "other" for "#" (digits and signs), "u00f8" for Ø and other
    letters beyond ASCII (which slugs would turn into an ASCII letter's)."""
    if letter == "#":
        return "other"
    return letter.lower() if letter.isascii() else f"u{ord(letter):04x}"


def long_index(taxonomy: Taxonomy, config: SiteConfig) -> bool:
    """Whether a taxonomy has more terms than one index page lists: then it has a page per letter."""
    return len(taxonomy.terms) > config.names_per_page


def letter_summaries(groups: Sequence[tuple[str, Sequence[TermSummary]]], base: str) -> tuple[LetterSummary, ...]:
    """A long taxonomy's letters (`letter_groups`) as its A–Z index shows them: each with its most covered terms."""
    return tuple(LetterSummary(letter, f"{base}{letter_slug(letter)}/", len(group),
                               tuple(sorted(group, key=lambda t: (-t.count, t.name.casefold(), t.slug))[:LETTER_TOP]))
                 for letter, group in groups)


def index_letter(name: str) -> str:
    """The A–Z heading a term is listed under: its first letter without accents, or "#"."""
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1].upper()
    return first if first.isalpha() else "#"


def letter_groups(terms: Sequence[TermSummary]) -> tuple[tuple[str, tuple[TermSummary, ...]], ...]:
    """Terms (already alphabetical) grouped under their index letter, "#" first."""
    groups: dict[str, list[TermSummary]] = {}
    for term in terms:
        groups.setdefault(index_letter(term.name), []).append(term)
    order = sorted(groups, key=lambda letter: (letter != "#", letter))
    return tuple((letter, tuple(groups[letter])) for letter in order)


def long_date(value: dt.date) -> str:
    """"12 May 2016": day without a leading zero, whatever the platform's strftime does."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def coordinates(place: Any) -> str:
    """"51.51° N, 0.13° W" from a place's latitude and longitude."""
    lat, lon = place.latitude, place.longitude
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


def atom_date(value: dt.date | None) -> str:
    return f"{(value or EPOCH).isoformat()}T00:00:00Z"


def absolute_url(config: SiteConfig, url: str) -> str:
    return config.base_url.rstrip("/") + "/" + url.lstrip("/")


def feed_updated(articles: Iterable[Article]) -> dt.date:
    """Newest article date, or the epoch: deterministic, unlike the build time."""
    return max((a.date for a in articles if a.date is not None), default=EPOCH)


class ArticleTerms:
    """An article's term groups, resolved only when a template iterates them.

    Most builds render few article pages, so resolving every article's links up front
    would be wasted; the fingerprint needs only the article, whose content hash covers
    the names it lists.
    """

    __slots__ = ("_resolver", "article", "_groups")

    def __init__(self, resolver: "TermResolver", article: Article) -> None:
        self._resolver, self.article, self._groups = resolver, article, None

    def _resolve(self) -> tuple[TermGroup, ...]:
        if self._groups is None:
            self._groups = self._resolver.groups(self.article)
        return self._groups

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._resolve())

    def __len__(self) -> int:
        return len(self._resolve())

    def __bool__(self) -> bool:
        return bool(self._resolve())

    def fingerprint(self) -> str:
        """The article and the names its links will show (a term's spelling is the archive's choice)."""
        return self._resolver.spellings(self.article)


class TermResolver:
    """Find the term page for a name an article lists, by exact name then by slug."""

    def __init__(self, taxonomies: Mapping[str, Taxonomy]):
        self._labels = {key: tax.label for key, tax in taxonomies.items()}
        self._taxonomies = taxonomies
        self._links: dict[int, TermLink] = {}  # by the term's id: made when a page first links the term

    def _find(self, key: str, name: str) -> TermLink | None:
        term = self._taxonomies[key].by_slug.get(term_slug(name))
        if term is None:
            return None
        link = self._links.get(id(term))
        if link is None:
            link = self._links[id(term)] = term.link
        return link

    def spellings(self, article: Article) -> str:
        parts = [article.slug, article.digest]
        for key in self._labels:
            for name in article.terms(key):
                link = self._find(key, name)
                parts.append(link.name if link is not None else "")
        return "\x1f".join(parts)

    def groups(self, article: Article) -> tuple[TermGroup, ...]:
        groups = []
        for key, label in self._labels.items():
            links: dict[str, TermLink] = {}  # by slug: two spellings of one name link once
            for name in article.terms(key):
                link = self._find(key, name)
                if link is not None:
                    links.setdefault(link.slug, link)
            if links:
                groups.append(TermGroup(taxonomy=label, terms=tuple(links.values())))
        return tuple(groups)


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class Focus:
    """The pages a build renders when only a few articles changed and each is listed where it was."""

    #: Their paths in the output.
    paths: frozenset[str]
    #: The terms, as (taxonomy, slug), whose pages or files are among them.
    terms: frozenset[tuple[str, str]]
    #: Pages and files the last build wrote that go (a term's last page when it has a page fewer); a path
    #: ending in "/" stands for everything below it (the pages and feed of a term whose last story left it).
    gone: frozenset[str] = frozenset()


def page_jobs(archive: Archive, config: SiteConfig, focus: Focus | None = None,
              related: RelatedIndex | None = None) -> Iterator[PageJob]:
    """Every page and feed of the site, in a stable order (sitemap and robots.txt excluded); with
    `focus`, only those among its paths (and no other page's data is worked out). `related`: the
    archive's related-stories index, when a caller goes through the jobs more than once."""
    feed_slice = archive.articles[: config.feed_entries]

    def wanted(path: str) -> bool:
        return focus is None or path in focus.paths

    for page in paginate(archive.articles, config.per_page, "/"):
        if wanted(page.path):
            yield PageJob(page.path, "list.html", {"section": "home", "page": page})

    resolver = TermResolver(archive.taxonomies)
    if related is None and config.related > 0:
        related = RelatedIndex(archive, config.related)
    pages_of = (archive.articles if focus is None  # focused: only the articles whose pages it wants, not all sorted
                else [a for a in archive.articles if f"articles/{a.slug}/index.html" in focus.paths])
    for article in sorted(pages_of, key=lambda a: a.slug):
        yield PageJob(
            f"articles/{article.slug}/index.html",
            "article.html",
            {"section": "articles", "article": article, "term_groups": ArticleTerms(resolver, article),
             "coverage": ArticleCoverage(related, article) if related is not None else None},
        )

    for key, taxonomy in archive.taxonomies.items():
        popular_url = f"{taxonomy.url}{popular_slug(taxonomy)}/"
        popular_path = f"{popular_url.lstrip('/')}index.html"
        by_letter = letters_url(taxonomy) if long_index(taxonomy, config) else None
        letter_pages = by_letter is not None and (focus is None
                                                  or any(p.startswith(by_letter[1:]) for p in focus.paths))
        if wanted(f"{key}/index.html") or wanted(popular_path) or letter_pages:
            # The index pages and a term's own pages show terms by name and count (TermSummary): an edit to
            # a story's headline re-renders the pages listing it, not every page of its terms.
            summary = taxonomy.summary()
            groups = letter_groups(summary.terms)
            common = {"section": key, "taxonomy": summary, "index_url": taxonomy.url, "popular_url": popular_url}
            if wanted(f"{key}/index.html"):
                # A long taxonomy's lists its letters, each with its most covered terms; a short one's every term.
                alphabetical = {**common, "view": "alphabetical", "terms": () if by_letter else summary.terms,
                                "letter_groups": () if by_letter else groups,
                                "letters": letter_summaries(groups, by_letter) if by_letter is not None else (),
                                "world_map": world_map(taxonomy.terms, archive.places, config.map_countries)
                                if config.charts and key == "locations" else None}
                yield PageJob(f"{key}/index.html", "taxonomy.html", alphabetical)
            if wanted(popular_path):
                popular = {**common, "view": "popular", "world_map": None, "letters": (),
                           "terms": tuple(t.summary for t in taxonomy.by_count()[:config.names_per_page])}
                yield PageJob(popular_path, "taxonomy.html", popular)
            # A letter's pages show its terms and the other letters by name alone: a name's new count changes
            # the page listing it (a new or gone name every page of its letter, each counting them), not every
            # letter's.
            links = (tuple((letter, f"{by_letter}{letter_slug(letter)}/") for letter, _ in groups)
                     if letter_pages else ())
            for (letter, group), (_, url) in zip(groups, links):
                for page in paginate(group, config.names_per_page, url):
                    if wanted(page.path):
                        yield PageJob(page.path, "taxonomy_letter.html",
                                      {"section": key, "taxonomy": taxonomy.label, "index_url": taxonomy.url,
                                       "letter": letter, "count": len(group), "letter_links": links, "page": page})
        for term in taxonomy.terms:
            if focus is not None and (key, term.slug) not in focus.terms:
                continue
            place = archive.places.get(term.name) if key == "locations" else None
            shown = term.summary
            for page in paginate(term.articles, config.per_page, term.url):
                if not wanted(page.path):
                    continue
                pictures = config.charts and page.number == 1
                context = {"section": key, "taxonomy": taxonomy.label, "term": shown, "page": page,
                           "related": archive.related.get((key, term.slug)) if page.number == 1 else None,
                           "place": place,
                           "description": archive.descriptions.get((key, term.slug)),
                           "chart": LazyChart(term) if pictures else None,
                           "place_map": local_map(term, place, config.map_countries) if pictures else None}
                yield PageJob(page.path, "term.html", context)
            if wanted(f"{key}/{term.slug}/feed.xml"):
                entries = term.articles[: config.feed_entries]
                yield PageJob(f"{key}/{term.slug}/feed.xml", "feed.xml", {
                    "feed_title": f"{taxonomy.singular}: {term.name}",
                    "feed_url": f"{term.url}feed.xml",
                    "page_url": term.url,
                    "updated": feed_updated(entries),
                    "entries": entries,
                })

    # The date archive's pages show years and months by count (`YearSummary`), a year's page each month's newest
    # few stories: an edit to a story's headline re-renders its month's page, not every page of its year.
    if wanted("archive/index.html"):
        yield PageJob("archive/index.html", "archive.html", {
            "section": "archive", "years": tuple(year.summary() for year in archive.years),
            "undated": len(archive.undated), "undated_url": UNDATED_URL,
            "chart": archive_chart(archive.years, len(archive.undated)) if config.charts else None})
    # The stories with no date (most of some archives: none of the BBC's carries one), by headline, a page at a time.
    for page in paginate(archive.undated, config.per_page, UNDATED_URL) if archive.undated else ():
        if wanted(page.path):
            yield PageJob(page.path, "archive_undated.html",
                          {"section": "archive", "count": len(archive.undated), "page": page})
    for year in archive.years:
        if wanted(f"archive/{year.year:04d}/index.html"):
            yield PageJob(f"archive/{year.year:04d}/index.html", "archive_year.html",
                          {"section": "archive", "year": year.summary(YEAR_PAGE_LATEST)})
        summary = None
        for at, month in enumerate(year.months):
            for page in paginate(month.articles, config.per_page, month.url):
                if wanted(page.path):
                    summary = summary or year.summary()
                    yield PageJob(page.path, "archive_month.html",
                                  {"section": "archive", "year": summary, "month": summary.months[at], "page": page})

    if search_enabled(archive, config) and wanted("search/index.html"):
        yield PageJob("search/index.html", "search.html", {"section": "search"})
    if wanted("404.html"):
        yield PageJob("404.html", "404.html", {"section": "404"})
    if wanted("feed.xml"):
        yield PageJob("feed.xml", "feed.xml", {
            "feed_title": config.title,
            "feed_url": "/feed.xml",
            "page_url": "/",
            "updated": feed_updated(feed_slice),
            "entries": feed_slice,
        })
    if config.api:  # JSON data files, rendered by Python (generator/api.py) through the same fingerprints
        yield from (PageJob(path, renderer, context) for path, renderer, context
                    in api_pages(archive, config, None if focus is None else focus.terms,
                                 None if focus is None else wanted))


#: How many of each month's newest stories its year's page lists (the month's page lists them all).
YEAR_PAGE_LATEST = 5


def listing_order(slugs: Iterable[str]) -> str:
    """A hash of the order every listing follows (the archive's, newest first): where each article is listed."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(slugs).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def order_before(archive: Archive, moved: Mapping[str, tuple], added: Collection[str] = (),
                 removed: Mapping[str, tuple[tuple, Any]] | None = None) -> list[str]:
    """The archive's order as it was with the articles `moved` where they were listed (their old listing keys),
    without those `added` since and with those `removed` since where they were listed."""
    keyed = [(moved.get(a.slug) or listing_key(a), a.slug) for a in archive.articles if a.slug not in added]
    keyed += [(tuple(key), slug) for slug, (key, _names) in (removed or {}).items()]
    keyed.sort()
    return [slug for _key, slug in keyed]


def _places(listed: Sequence[Article], article: Article, old_key: Sequence) -> tuple[int, int]:
    """Where `article` is in the list `listed` (newest first), and where it was with its old listing key."""
    at = next(n for n, other in enumerate(listed) if other is article)
    was = sum(1 for other in listed if other is not article and listing_key(other) < tuple(old_key))
    return at, was


def _page_path(base: str, number: int) -> str:
    return f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"


def pages_showing(archive: Archive, config: SiteConfig, changed: Mapping[str, tuple],
                  showing: Callable[[Iterable[str]], Iterable[str]], before: Sequence[str] | None = None,
                  renamed: Mapping[str, Mapping[str, tuple]] | None = None,
                  removed: Mapping[str, tuple[tuple, Mapping[str, tuple]]] | None = None) -> Focus | None:
    """Every page whose data reaches one of the `changed` articles (by slug, with the listing key each had).

    An article listed where it was reaches its own page; the article pages that list it beside
    them (`showing`: the slugs of the pages listing any of some stories, from the build
    database); the home page and feed that list
    it; the page of each of its terms that lists it, their feeds that list it and the data file
    of each that lists it (term and taxonomy pages and data files show terms as `TermSummary`s,
    and charts and "appears with" lists read no headline: see `Fingerprinter.dates` and `membership`); its
    month's page listing it, and its year's when it is among the month's newest `YEAR_PAGE_LATEST` (the
    date archive's pages show years and months as `YearSummary`s; an undated story's headline is on
    the archive's index); the data file of its year that lists it (its year's every data file when
    the year's count changes).

    An article with a new date also reaches every listing page between its old place and its
    new one (`before`: the old order), its terms' first pages (their charts and first and last
    dates), both months' pages (when the month changes: the archive's index and both years' every
    page), both years' data files, the data index, and the pages of every article
    that may list it or sit beside it: the members of its terms (of a long term, those whose
    date window holds its old or its new day: `RelatedIndex.reached_by_move`), and its
    neighbours in each term's list and in the archive's order, old and new. None when the move
    adds or removes a page (a month's first or last story); the full pass does that.

    A headline that moves a story among its day's changes no date, so no chart, and no score
    of the related stories: only the order of the story and those of its day it passed, the
    last key their ranking and the previous and next links read. An article's related stories
    and links can change then only if they held one of those stories (`showing`), or if its
    window over a long term (`RelatedIndex.windows_splitting`) cuts through that day. Those
    pages are reached, with the listing pages between the old and the new place.

    An article whose names changed (`renamed`: its old names by taxonomy) also reaches every
    page, feed and data file of each term it joined or left (each page prints the term's
    count), the first page and data file of each of its old and new terms (what their stories
    "often appear with"), those taxonomies' index pages and data files, and the pages of the
    members of the people, places and tags it joined or left (their related stories weigh a term
    by its rarity): every member, or of a long term whose rarity stays the same step, those whose
    date window reaches the story (`RelatedIndex.reached_by_join`), and its neighbours in each
    term's list (their previous and next links). A new main subject changes the story's own
    links alone: the others' follow their subject's list, which changes only where the story
    joined or left it.
    A term named for the first time has all its pages reached (they are new: the caller adds
    the sitemap); a term whose last story left it, and a term's last page when it has a page
    fewer, are in `Focus.gone`; either way the taxonomy's index pages and data file, and the
    data index that counts each taxonomy's terms, are reached.
    None when a term's spelling changes, which every page naming the term prints.

    An article `removed` (by slug: where it was listed and the names its page was made with) has its
    page go; it reaches what an added one does (the listings from its place on, its old neighbours, the
    terms it left, the date archive, the data index) and the article pages that listed it beside them.

    Mirrors `page_jobs`: a page missing here would keep its old fingerprint, so the tests
    compare such builds with a full fingerprint pass and with cold builds.
    """
    articles = archive.articles
    position = {article.slug: i for i, article in enumerate(articles)}
    old_position = {slug: i for i, slug in enumerate(before)} if before is not None else position
    per_page = config.per_page
    paths: set[str] = set()
    passed: set[str] = set(changed)  # the changed stories and those a headline moved one past
    windows: list[tuple[Term, int]] = []  # long terms and the day on which a story changed places
    #: Long terms of a story with a new date: the story, its old day and its neighbours in the term's list then.
    moves: list[tuple[Term, Article, int, Article | None, Article | None]] = []
    terms_shown: set[tuple[str, str]] = set()
    month_archives = {(m.year, m.month): m for y in archive.years for m in y.months}
    months = {key: len(month.articles) for key, month in month_archives.items()}
    years = {y.year: y for y in archive.years}

    made: list[RelatedIndex] = []

    def related_index() -> RelatedIndex:
        if not made:
            made.append(RelatedIndex(archive, config.related))
        return made[0]

    def listing(base: str, first: int, last: int, feed: str | None) -> None:
        paths.update(_page_path(base, n) for n in range(first // per_page + 1, last // per_page + 2))
        if feed is not None and first < config.feed_entries:
            paths.add(feed)

    def year_pages(year: int | None) -> None:
        """A year's page and every page of its months (they show the months' counts)."""
        if year is not None and year in years:
            paths.add(f"archive/{year:04d}/index.html")
            for month in years[year].months:
                listing(month.url.lstrip("/"), 0, len(month.articles) - 1, None)

    added = sum(1 for old_key in changed.values() if old_key is None)
    removed = removed or {}
    archive_before = len(articles) - added + len(removed)  # how many stories the archive had
    # With a page more or fewer, every page of the home listing knows another number of pages.
    numbers_changed = math.ceil(len(articles) / per_page) != math.ceil(archive_before / per_page)
    gone: set[str] = set()  # pages and files that go (a folder's path ends in "/")
    gone.update(_page_path("", n) for n in range(max(1, math.ceil(len(articles) / per_page)) + 1,
                                                  math.ceil(archive_before / per_page) + 1))
    taken_out: list[_Removed] = []

    def day_of(key: Sequence) -> dt.date | None:
        return dt.date.fromordinal(-key[1]) if key[0] == 0 else None

    def month_of(day: dt.date | None) -> tuple[int, int] | None:
        return None if day is None else (day.year, day.month)

    # How many stories each month (None: the undated ones) had before the stories added and taken out.
    added_to = Counter(month_of(articles[position[slug]].date) for slug, key in changed.items()
                       if key is None and slug in position)
    taken_from = Counter(month_of(day_of(tuple(key))) for key, _names in removed.values())

    def had_before(month: tuple[int, int] | None) -> int:
        now = len(archive.undated) if month is None else months.get(month, 0)
        return now - added_to[month] + taken_from[month]

    #: Years (None: the undated stories) with another number of stories, and how many each gained (less lost).
    recounted: Counter[int | None] = Counter()
    #: Stories each month gained by a new date, less those it lost.
    moved_months: Counter[tuple[int, int] | None] = Counter()

    def counted_in(day: dt.date | None, step: int) -> None:
        """A story added (`step` 1) or taken out (-1) on `day`: the date archive, its year's pages and data files and
        the data index count it."""
        paths.add("archive/index.html")
        year_pages(day.year if day is not None else None)
        recounted[day.year if day is not None else None] += step
        if config.api:
            paths.update({f"{API_DIR}/index.html", f"{API_DIR}/articles.json"})

    if removed:
        keys = [listing_key(a) for a in articles]
        for slug, (old_key, _names) in removed.items():
            old_key = tuple(old_key)
            old_date = day_of(old_key)
            if old_date is None and not archive.undated or old_date is not None and month_of(old_date) not in months:
                return None  # a month's page (or the undated stories' data file) goes: the full pass
            at = bisect.bisect_left(keys, old_key)  # where it was, among the stories left
            taken_out.append(_Removed(slug, old_date.toordinal() if old_date is not None else None, at))
            gone.add(f"articles/{slug}/")
            listing("", 0 if numbers_changed else at, len(articles) - 1, "feed.xml")
            paths.update(f"articles/{a.slug}/index.html" for a in articles[max(0, at - 1): at + 1])
            passed.add(slug)  # the pages listing it among their related stories
            counted_in(old_date, -1)
    for slug, old_key in changed.items():
        i = position.get(slug)
        if i is None:
            return None
        article = articles[i]
        if old_key is None:
            # A story added: its page is new; every listing page from its place on moves by one (every one, when
            # the listing has a page more); its neighbours link to it; its terms are those it joined (`renamed`).
            new_date = article.date
            if not had_before(month_of(new_date)):
                return None  # a month's page (or the undated stories' data file) appears: the full pass
            paths.add(f"articles/{slug}/index.html")
            listing("", 0 if numbers_changed else i, len(articles) - 1, "feed.xml")
            paths.update(f"articles/{a.slug}/index.html" for a in articles[max(0, i - 1): i + 2])
            counted_in(new_date, 1)
            continue
        i0 = old_position.get(slug, i)
        old_date = day_of(old_key)
        # A new date, or a new place in the listings (a headline that passes another of its day's).
        moved = i0 != i or old_date != article.date
        # A new date moves the story in the charts, first and last dates and related stories' scores too; so
        # does any move of an undated story, whose related stories are found by place, not date.
        redated = old_date != article.date or (moved and article.date is None)
        if moved and not redated:
            passed.update(_passed(articles, i, tuple(old_key)))
        paths.add(f"articles/{slug}/index.html")
        listing("", min(i, i0), max(i, i0), "feed.xml")
        for key, taxonomy in archive.taxonomies.items():
            terms = taxonomy.by_slug
            for name in article.terms(key):
                term = terms.get(term_slug(name))
                if term is None:
                    continue
                terms_shown.add((key, term.slug))
                at, was = _places(term.articles, article, old_key)
                listing(term.url.lstrip("/"), min(at, was), max(at, was), f"{key}/{term.slug}/feed.xml")
                if config.api:  # the files listing it now and before; the first shows the first and last dates
                    paths.update(term_file(key, term.slug, n) for n in file_numbers(min(at, was), max(at, was), config))
                    if redated:
                        paths.add(term_file(key, term.slug))
                if redated:
                    paths.add(_page_path(term.url.lstrip("/"), 1))
                    dated = old_date is not None and article.date is not None
                    if key in TAXONOMY_WEIGHTS and config.related > 0 and dated:
                        # Its neighbours in the term's list before the move (newest first: `was` stories were newer).
                        others = [other for other in term.articles if other is not article]
                        moves.append((term, article, old_date.toordinal(), others[was] if was < len(others) else None,
                                      others[was - 1] if was > 0 else None))
                    else:
                        paths.update(f"articles/{other.slug}/index.html" for other in term.articles)
                elif moved and key in TAXONOMY_WEIGHTS:
                    windows.append((term, article.date.toordinal()))
        new_date = article.date
        if new_date is None and old_date is None:  # the pages of the undated stories listing it, now and before
            at, was = _places(archive.undated, article, old_key)
            listing(UNDATED_URL.lstrip("/"), min(at, was), max(at, was), None)
        elif month_of(old_date) != month_of(new_date):
            # Months' counts change (the index, every page of both years shows them).
            moved_months[month_of(new_date)] += 1
            moved_months[month_of(old_date)] -= 1
            paths.add("archive/index.html")
            year_pages(new_date.year if new_date is not None else None)
        else:  # the page of its month listing it, and its year's when it is or was among the month's newest few
            listed = month_archives[month_of(new_date)].articles
            at, was = _places(listed, article, old_key)
            listing(f"archive/{new_date.year:04d}/{new_date.month:02d}/", min(at, was), max(at, was), None)
            if min(at, was) < YEAR_PAGE_LATEST:
                paths.add(f"archive/{new_date.year:04d}/index.html")
        new_year, old_year = (new_date.year if new_date is not None else None,
                              old_date.year if old_date is not None else None)
        if new_year != old_year:
            recounted[new_year] += 1
            recounted[old_year] -= 1
        elif config.api:  # the year's data files listing it now and before
            listed = archive.undated if new_year is None else years[new_year].articles
            at, was = _places(listed, article, old_key)
            paths.update(year_file(new_year, n) for n in file_numbers(min(at, was), max(at, was), config))
        if moved:
            if old_date != new_date:
                if (old_date is not None and (old_date.year, old_date.month) not in months) or (
                        new_date is not None and months.get((new_date.year, new_date.month)) == 1) or (
                        old_date is None and not archive.undated) or (new_date is None and len(archive.undated) == 1):
                    return None  # a month's page (or the undated stories' data file) appears or goes
                if month_of(old_date) != month_of(new_date):
                    year_pages(old_date.year if old_date is not None else None)
                if config.api:
                    paths.update({f"{API_DIR}/index.html", f"{API_DIR}/articles.json"})
            paths.update(f"articles/{a.slug}/index.html" for a in articles[max(0, i - 1): i + 2])
            paths.update(f"articles/{other}/index.html" for other in (before or [])[max(0, i0 - 1): i0 + 2])
    paths.update(f"articles/{slug}/index.html" for slug in showing(passed))
    if (windows or moves) and config.related > 0:
        index = related_index()
        for term, day in windows:
            paths.update(f"articles/{a.slug}/index.html" for a in index.windows_splitting(term, day))
        for term, article, old_day, older, newer in moves:
            paths.update(f"articles/{a.slug}/index.html"
                         for a in index.reached_by_move(term, article, old_day, older, newer))
    # Names: what each term gained or lost, over all the renamed articles, then each term's pages.
    joined: Counter[tuple[str, str]] = Counter()  # articles that joined a term less those that left
    came_or_went: dict[tuple[str, str], list[Article | _Removed]] = {}  # the stories that joined or left each term
    written: dict[tuple[str, str], tuple[Counter[str], Counter[str]]] = {}  # its spellings then and now
    named: list[tuple[Mapping[str, tuple], Article | _Removed]] = [
        (old_names, articles[position[slug]]) for slug, old_names in (renamed or {}).items()]
    named += [(removed[story.slug][1], story) for story in taken_out]
    for old_names, article in named:
        for key in archive.taxonomies:
            was = _spellings(old_names.get(key, ()))
            now = _spellings(article.terms(key)) if isinstance(article, Article) else {}
            for term_at in was.keys() | now.keys():
                step = (term_at in now) - (term_at in was)
                joined[(key, term_at)] += step
                if step:
                    came_or_went.setdefault((key, term_at), []).append(article)
                then, later = written.setdefault((key, term_at), (Counter(), Counter()))
                then.update(was.get(term_at, ()))
                later.update(now.get(term_at, ()))
    counted: set[str] = set()  # taxonomies where a term's count changed
    recounted_terms: dict[str, list[tuple[Counter[str], str, int]]] = {}  # theirs: (spellings, slug, +1 new/-1 gone/0)
    members: set[tuple[str, str]] = set()  # terms whose members' related stories may change
    numbered = False  # whether a term appeared or went
    for (key, term_at), (then, later) in written.items():
        taxonomy = archive.taxonomies[key]
        term = taxonomy.by_slug.get(term_at)
        if term is None:
            # The term's last story left it: its pages, feed and data file go, and the taxonomy has a term fewer.
            # No other story named it, so no other story's related stories or links change.
            gone.add(f"{key}/{term_at}/")
            if config.api:
                gone.update({term_file(key, term_at), f"{API_DIR}/{key}/{term_at}/"})
            counted.add(key)
            recounted_terms.setdefault(key, []).append((then, term_at, -1))
            numbered = True
            continue
        count = len(term.articles)
        new_term = count == joined[(key, term_at)]  # every story of the term joined it now
        if then != later and not new_term and _spelling_before(term, then, later) != term.name:
            return None  # every page naming the term prints its new spelling
        stories = came_or_went.get((key, term_at))
        if stories:
            count_before = count - joined[(key, term_at)]
            if count_before != count:
                counted.add(key)
                recounted_terms.setdefault(key, []).append((Counter([term.name]), term_at, int(new_term)))
            numbered = numbered or new_term
            # Every page of the term (a new term's are new; a term with a page more has one new page), and
            # those beyond its last that it no longer has.
            listing(term.url.lstrip("/"), 0, count - 1, f"{key}/{term.slug}/feed.xml")
            gone.update(_page_path(term.url.lstrip("/"), n)
                        for n in range(math.ceil(count / per_page) + 1, math.ceil(count_before / per_page) + 1))
            if config.api:  # likewise its data files
                paths.update(term_file(key, term.slug, n) for n in range(1, files_for(count, config) + 1))
                gone.update(term_file(key, term.slug, n)
                            for n in range(files_for(count, config) + 1, files_for(count_before, config) + 1))
            if key in TAXONOMY_WEIGHTS and config.related > 0:
                # A term's rarity weighs its members' related stories: when it stays the same step, only the
                # members whose date window reaches a story that came or went can list other stories. A new
                # term's members are the stories that joined it.
                reached: list[Article] | None = None
                if not new_term and rarity(len(articles), count) == rarity(archive_before, count_before):
                    reached = []
                    for story in stories:
                        found = (related_index().reached_by_join(term, story, count_before)
                                 if isinstance(story, Article)
                                 else related_index().reached_by_removal(term, story.day, story.at, count_before))
                        if found is None:
                            reached = None
                            break
                        reached.extend(found)
                if reached is None:
                    members.add((key, term_at))
                else:
                    paths.update(f"articles/{other.slug}/index.html" for other in reached)
        elif key not in SUBJECT_TAXONOMIES:
            continue  # the page listing the story, as above, is all that shows it
        # Persons and places show what their stories "often appear with" on their first page and data file.
        terms_shown.add((key, term.slug))
        paths.add(_page_path(term.url.lstrip("/"), 1))
        if config.api:
            paths.add(term_file(key, term.slug))
    if archive_scale(len(articles)) != archive_scale(archive_before) and config.related > 0:
        # The archive grew or shrank past a power of two, which a term's rarity weighs: where its step changes,
        # every member's related stories may change (the terms a story joined or left are above).
        for key in TAXONOMY_WEIGHTS:
            for term in archive.taxonomies[key].terms if key in archive.taxonomies else ():
                count = len(term.articles)
                if (key, term.slug) not in written and rarity(len(articles), count) != rarity(archive_before, count):
                    members.add((key, term.slug))
    # A story's main subject (`RelatedIndex.subject`) links it to its neighbours in that term's list: a new
    # subject changes the story's own links, and another story's only where the story joined or left the
    # list its links follow, which the terms it joined or left reach (above).
    for key, term_at in members:
        paths.update(f"articles/{other.slug}/index.html" for other in archive.taxonomies[key].by_slug[term_at].articles)
    for key in counted:
        taxonomy = archive.taxonomies[key]
        paths.update({f"{key}/index.html", f"{taxonomy.url}{popular_slug(taxonomy)}/index.html".lstrip("/")})
        letter_pages = _letter_pages_showing(taxonomy, config, recounted_terms.get(key, ()))
        if letter_pages is None:
            return None
        paths.update(letter_pages[0])
        gone.update(letter_pages[1])
        if config.api:
            files = _taxonomy_files_showing(taxonomy, config, recounted_terms.get(key, ()))
            paths.update(files[0])
            gone.update(files[1])
    if config.api and numbered:
        paths.update({f"{API_DIR}/index.html", f"{API_DIR}/articles.json"})  # they count each taxonomy's terms
    for month in added_to.keys() | taken_from.keys() | moved_months.keys():
        # A month with fewer stories than before loses its pages past its last.
        if month is None:  # the undated stories: each of their pages counts them
            now, base = len(archive.undated), UNDATED_URL.lstrip("/")
            listing(base, 0, max(0, now - 1), None)
        else:
            now, base = months.get(month, 0), f"archive/{month[0]:04d}/{month[1]:02d}/"
        before = now - added_to[month] + taken_from[month] - moved_months[month]
        gone.update(_page_path(base, n) for n in range(max(1, math.ceil(now / per_page)) + 1,
                                                       math.ceil(before / per_page) + 1))
    for year, step in recounted.items() if config.api else ():
        # Every data file of a year with another number of stories prints it; those past its last go.
        now = len(archive.undated) if year is None else len(years[year].articles) if year in years else 0
        paths.update(year_file(year, n) for n in range(1, files_for(now, config) + 1) if now)
        gone.update(year_file(year, n) for n in range(files_for(now, config) + 1, files_for(now - step, config) + 1))
    return Focus(frozenset(paths), frozenset(terms_shown), frozenset(gone))


#: The files of a sitemap split in parts.
_SITEMAP_FILE = re.compile(r"sitemap-\d+\.xml")


def _focused_sitemap(jobs: list[PageJob], focused: Focus, old_pages: Mapping[str, str]) -> set[str]:
    """The pages of the last build that a focused build removes (`Focus.gone`); when pages come or go, the
    sitemap's jobs are added to `jobs` (and a sitemap file it no longer needs goes too)."""
    folders = tuple(path for path in focused.gone if path.endswith("/"))
    gone = {path for path in old_pages if path in focused.gone or path.startswith(folders)} if focused.gone else set()
    new = {job.path for job in jobs} - old_pages.keys()
    if any(listed_in_sitemap(path) for path in gone | new):
        sitemap = sitemap_jobs((old_pages.keys() - gone) | new)
        jobs.extend(sitemap)
        made = {job.path for job in sitemap}
        gone.update(path for path in old_pages if _SITEMAP_FILE.fullmatch(path) and path not in made)
    return gone


@dataclass(frozen=True)
class _Removed:
    """A story taken out of the archive, as `pages_showing` follows it: its slug, its day (a day number; None
    when undated) and where it was listed among the stories left (the position of the one after it)."""

    slug: str
    day: int | None
    at: int


def _passed(articles: Sequence[Article], at: int, old_key: tuple) -> list[str]:
    """The slugs of the stories of its day that the story at `at` passed on its way from `old_key`."""
    day = articles[at].date
    low, high = sorted((old_key, listing_key(articles[at])))
    found = []
    for step in (-1, 1):
        j = at + step
        while 0 <= j < len(articles) and articles[j].date == day:
            if low < listing_key(articles[j]) < high:
                found.append(articles[j].slug)
            j += step
    return found


def _letter_pages_showing(taxonomy: Taxonomy, config: SiteConfig, recounted: Iterable[tuple[Counter[str], str, int]]
                          ) -> tuple[set[str], set[str]] | None:
    """The pages by letter of a long taxonomy (see `long_index`) that list a term whose count changed, and those a
    letter no longer has. `recounted`: those terms, each with its spellings, slug and +1 when new, -1 when gone.

    A term whose count changed reaches the page listing it; a new or gone one every page of its letter (each
    prints the letter's count and pages; the names after it move), and a letter with a page fewer loses its
    last. None when the taxonomy passes `names_per_page` either way, gains or loses a letter (every page shows
    the letters), or a term comes or goes whose slug a folder of its index avoids (`letters_url`,
    `popular_slug`): the full pass does those."""
    recounted = list(recounted)
    change = sum(step for _, _, step in recounted)
    if long_index(taxonomy, config) != (len(taxonomy.terms) - change > config.names_per_page):
        return None
    if not long_index(taxonomy, config):
        return set(), set()
    if any(step and slug in (*LETTER_SLUGS, *POPULAR_SLUGS) for _, slug, step in recounted):
        return None
    groups = dict(letter_groups(taxonomy.summary().terms))
    places: dict[str, list[tuple[int, int]]] = {}  # per letter: (where the term is or was in it, its step)
    for spellings, slug, step in recounted:
        for letter in {index_letter(name) for name in spellings}:
            keys = [(t.name.casefold(), t.slug) for t in groups.get(letter, ())]
            at = min(bisect.bisect_left(keys, (name.casefold(), slug)) for name in spellings)
            places.setdefault(letter, []).append((at, step))
    per, base = config.names_per_page, letters_url(taxonomy).lstrip("/")
    paths: set[str] = set()
    gone: set[str] = set()
    for letter, found in places.items():
        now = len(groups.get(letter, ()))
        before = now - sum(step for _, step in found)
        if (now == 0) != (before == 0):
            return None  # a letter came or went
        folder = f"{base}{letter_slug(letter)}/"
        if not any(step for _, step in found):  # the same names: only the pages listing them
            paths.update(_page_path(folder, at // per + 1) for at, _ in found)
            continue
        paths.update(_page_path(folder, n) for n in range(1, math.ceil(now / per) + 1))  # each prints the count
        gone.update(_page_path(folder, n) for n in range(math.ceil(now / per) + 1, math.ceil(before / per) + 1))
    return paths, gone


def _taxonomy_files_showing(taxonomy: Taxonomy, config: SiteConfig,
                            recounted: Iterable[tuple[Counter[str], str, int]]) -> tuple[set[str], set[str]]:
    """The data files of a taxonomy's terms (`taxonomy_file`) that list a term whose count changed, and those it
    no longer has. `recounted` as for `_letter_pages_showing`: a new or gone term reaches every file (each
    counts the terms, and those after it move)."""
    recounted = list(recounted)
    now = len(taxonomy.terms)
    files = files_for(now, config)
    path_of = functools.partial(taxonomy_file, taxonomy.key)
    gone = {path_of(n) for n in range(files + 1, files_for(now - sum(step for *_, step in recounted), config) + 1)}
    if any(step for *_, step in recounted):
        return {path_of(n) for n in range(1, files + 1)}, gone
    keys = [(t.name.casefold(), t.slug) for t in taxonomy.terms]
    return {path_of(bisect.bisect_left(keys, (name.casefold(), slug)) // config.api_per_file + 1)
            for spellings, slug, _ in recounted for name in spellings}, gone


def _spellings(names: Iterable[str]) -> dict[str, Counter[str]]:
    """An article's names under one taxonomy, by term: how often it writes each spelling."""
    found: dict[str, Counter[str]] = {}
    for name in names:
        found.setdefault(term_slug(name), Counter())[name] += 1
    return found


def _spelling_before(term: Term, then: Counter[str], now: Counter[str]) -> str | None:
    """The name `build_taxonomy` gave the term when its articles wrote `then` where they now write `now`."""
    counts: Counter[str] = Counter()
    for article in term.articles:
        counts.update(name for name in article.terms(term.taxonomy) if term_slug(name) == term.slug)
    counts.subtract(now)
    counts.update(then)
    ranked = sorted(((n, c) for n, c in counts.items() if c > 0), key=lambda kv: (-kv[1], kv[0]))
    return ranked[0][0] if ranked else None


def search_enabled(archive: Archive, config: SiteConfig) -> bool:
    """Search is on in site.toml and there is an article to index (Pagefind refuses an empty site)."""
    return config.search and bool(archive.articles)


#: The sitemap protocol's limit on the URLs of one sitemap file (sitemaps.org).
SITEMAP_URLS = 50_000
#: More names than this to offer as search filters and the article pages give the index their year alone (and the
#: build says so): Pagefind's UI draws each filter value as a checkbox (7,688 names at 10,000 synthetic articles:
#: results in 2.2-2.8 s; 70,330 at 100,000: none within 90 s; the year alone there: 5.7-5.8 s).
SEARCH_FILTER_NAMES = 20_000


def too_many_filters(archive: Archive, config: SiteConfig) -> int | None:
    """How many names the search page would offer as filters, when that is more than its UI draws in good time."""
    offered = sum(len(archive.taxonomies[key].terms) for key in config.search_filters if key in archive.taxonomies)
    return offered if offered > SEARCH_FILTER_NAMES else None


def site_jobs(archive: Archive, config: SiteConfig, focus: Focus | None = None) -> list[PageJob]:
    """All jobs, with the sitemap (which lists the others) and robots.txt last; with `focus`, only its pages
    (the caller adds the sitemap's when the focused build adds or removes a page).

    Up to SITEMAP_URLS pages, `sitemap.xml` lists them; beyond that it is a sitemap index of
    `sitemap-1.xml`, `sitemap-2.xml`, … of SITEMAP_URLS pages each, as the protocol asks.
    """
    jobs = list(page_jobs(archive, config, focus))
    if focus is not None:
        return jobs
    jobs.extend(sitemap_jobs(job.path for job in jobs))
    jobs.append(PageJob("robots.txt", "robots.txt", {}))
    return jobs


def streamed_jobs(archive: Archive, config: SiteConfig, related: RelatedIndex | None = None) -> Iterator[PageJob]:
    """`site_jobs` one at a time: a caller that lets each go holds only the pages' paths (for the sitemap)."""
    paths: list[str] = []
    for job in page_jobs(archive, config, related=related):
        paths.append(job.path)
        yield job
    yield from sitemap_jobs(paths)
    yield PageJob("robots.txt", "robots.txt", {})


def sitemap_jobs(paths: Iterable[str]) -> list[PageJob]:
    """The sitemap of the site whose pages are `paths`: `sitemap.xml`, or an index of `sitemap-N.xml` files."""
    urls = sorted(page_url(path) for path in paths if listed_in_sitemap(path))
    if len(urls) <= SITEMAP_URLS:
        return [PageJob("sitemap.xml", "sitemap.xml", {"urls": urls})]
    parts = [urls[i:i + SITEMAP_URLS] for i in range(0, len(urls), SITEMAP_URLS)]
    jobs = [PageJob(f"sitemap-{number}.xml", "sitemap.xml", {"urls": part})
            for number, part in enumerate(parts, start=1)]
    jobs.append(PageJob("sitemap.xml", "sitemap_index.xml",
                        {"sitemaps": [f"/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]}))
    return jobs


# --------------------------------------------------------------------------- writing


#: Characters XML 1.0 forbids (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF): one in a seed would
#: make every feed that lists the article unreadable, and they mean nothing in HTML either.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _printable(value: Any) -> Any:
    """Every value a template prints, without the characters no feed reader or parser accepts."""
    if isinstance(value, str) and _NOT_XML_CHARS.search(value):
        cleaned = _NOT_XML_CHARS.sub("", value)
        return markupsafe.Markup(cleaned) if isinstance(value, markupsafe.Markup) else cleaned
    return value


def template_cache(state: BuildState | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the build state, so a fresh process need not compile them again.

    Jinja keys each by the template's source; the folder is named by the code's version, which
    covers the environment's options.
    """
    if state is None or not state.enabled:
        return None
    folder = state.dir / f"templates-{code_version()[:16]}"
    if not folder.is_dir():
        for old in state.dir.glob("templates-*"):
            shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(config: SiteConfig, taxonomies: Mapping[str, Taxonomy],
                     bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Templates from the site theme first, then the default theme, file by file."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        finalize=_printable,
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in config.theme_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["atom_date"] = atom_date
    env.filters["month_name"] = month_name
    env.filters["coordinates"] = coordinates
    env.filters["absolute"] = lambda url: absolute_url(config, url)
    env.globals["config"] = config
    env.globals.update(jsonld.template_globals(config))
    #: Whether pages show the search box and carry search filters; render_site sets it per build (see search_enabled).
    env.globals["search_enabled"] = config.search
    #: Whether article pages give the index their names as filters too (render_site: see SEARCH_FILTER_NAMES).
    env.globals["search_name_filters"] = config.search
    #: The navigation lists the taxonomies the archive was built with, in configured order.
    env.globals["taxonomies"] = {key: taxonomy.label for key, taxonomy in taxonomies.items()}
    return env


def _check_path(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise BuildError(f"refusing to write '{path}': it is not a plain path inside the output directory; "
                         "check the slug of the article or term that produced it")


def _template_error(exc: Exception, job: PageJob) -> BuildError:
    """Name the template file and line that failed, so a theme author knows where to look."""
    where = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
    else:
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith((".html", ".xml", ".txt")):
                where = f"{filename}, line {tb.tb_lineno}"
            tb = tb.tb_next
    if where is None:
        where = f"template '{job.template}'"
    return BuildError(f"{where}: {type(exc).__name__}: {exc} (while rendering {job.path}); "
                      "fix the template and build again")


def _render_one(env: jinja2.Environment, job: PageJob) -> str:
    try:
        data_renderer = DATA_RENDERERS.get(job.template)
        if data_renderer is not None:
            return data_renderer(job.context, env.globals["config"])
        context = job.context
        article = context.get("article")
        if isinstance(article, Article) and article.body_key:  # its page prints the body kept on disk
            context = {**context, "article": with_body(article)}
        return env.get_template(job.template).render(context)
    except BuildError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise BuildError(f"template '{exc.name}' not found in any theme "
                         f"({', '.join(str(d) for d in env.loader.searchpath)})") from exc  # type: ignore[union-attr]
    except Exception as exc:
        raise _template_error(exc, job) from exc


class _RenderWorker:
    """What a forked render worker needs: the jobs and an environment, made once per process."""

    jobs: Sequence[PageJob] = ()
    env: jinja2.Environment | None = None
    out_dir: Path = Path()

    @classmethod
    def start(cls, jobs: Sequence[PageJob], env: jinja2.Environment, out_dir: Path) -> None:
        cls.jobs, cls.out_dir, cls.env = jobs, out_dir, env

    @classmethod
    def stop(cls) -> None:
        cls.jobs, cls.env = (), None

    @classmethod
    def render(cls, indices: Sequence[int]) -> list[int]:
        """Render the jobs at `indices` into the (fresh) staging folder; returns the indices done."""
        assert cls.env is not None
        for index in indices:
            job = cls.jobs[index]
            target = cls.out_dir / job.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_render_one(cls.env, job).encode("utf-8"))
        return list(indices)


def _render_streamed(jobs: Iterable[PageJob], env: jinja2.Environment, staging: Path, workers: int,
                     seen_job: Callable[[PageJob], None]) -> list[str]:
    """Render a first build's jobs into the (fresh) staging folder a batch at a time; their paths, in order.

    Each batch of RENDER_BATCH jobs is made, checked, shown to `seen_job`, rendered (shared with a forked
    worker, as `render_site` does) and let go before the next is made, with what rendering worked out
    for it (related stories, charts): the build holds one batch's pages, whatever the archive's size.
    """
    paths: list[str] = []
    seen: set[str] = set()
    iterator = iter(jobs)
    release_memory()  # the workers start from this process's pages
    while batch := list(itertools.islice(iterator, RENDER_BATCH)):
        _check_jobs(batch, seen)
        for job in batch:
            seen_job(job)
        paths.extend(job.path for job in batch)
        try:
            fork_map(_RenderWorker.render, range(len(batch)), workers, min_items=600,
                     initializer=_RenderWorker.start, initargs=(batch, env, staging))
        finally:
            _RenderWorker.stop()
        for job in batch:
            _let_go(job)
        del batch
    return paths


def _let_go(job: PageJob) -> None:
    """Let go of what rendering or fingerprinting a first build's page worked out for it: its related stories,
    a person's or place's "often appears with" lists (which the archive would keep for the rest of the build)."""
    for value in (job.context.get("coverage"), job.context.get("related")):
        if isinstance(value, (ArticleCoverage, LazyRelated)):
            value.forget()


#: Jobs a first build makes, renders and lets go at a time (`_render_streamed`).
RENDER_BATCH = 20000


def _fingerprint_cold(jobs: Iterable[PageJob], fingerprint: Callable[[PageJob], str], db: BuildDB | None,
                      sources: Mapping[str, tuple[int, int]],
                      originals: Mapping[str, tuple[Article, tuple[str, ...], tuple[str, ...]]],
                      searched: Callable[[str], tuple[str | None, str | None]],
                      prints: Fingerprinter) -> dict[str, str]:
    """The fingerprints of a build with no earlier output, made after its pages (nothing needs them sooner).

    With a build database they are added to it a batch at a time as they are made, with the
    pages' search records (`searched`: what the index read of a page and the part holding it) and
    the articles' rows (`db.start_first`), and none is returned; without one, they are returned
    by page. Run while Pagefind indexes the pages, on the core it leaves idle, over the jobs made
    again one at a time (`streamed_jobs`). Each job, with the related stories worked out for its
    fingerprint and row, is let go at once, and the lists `prints` hashed every ROW_BATCH pages, so
    this process does not grow beside Pagefind.
    """
    digests: dict[str, str] = {}
    rows: list[tuple] = []
    pages: list[tuple[str, str, str | None, str | None]] = []
    for count, job in enumerate(jobs, start=1):
        digest = fingerprint(job)
        if db is None:
            digests[job.path] = digest
        else:
            pages.append((job.path, digest, *searched(job.path)))
            if (row := _article_row(job, digest, sources, originals, {})) is not None:
                rows.append(row)
            if len(pages) >= ROW_BATCH:
                _add_rows(db, rows, pages)
                rows, pages = [], []
        _let_go(job)
        if count % ROW_BATCH == 0:
            prints.forget_sequences()
    if db is not None and pages:
        _add_rows(db, rows, pages)
    return digests


#: Pages whose rows (and their articles') are added to the build database at a time by `_fingerprint_cold`.
ROW_BATCH = 1000


#: The build state's file of what each template source references (see `template_digests`).
TEMPLATE_REFS = "template-refs.pickle"


def template_digests(env: jinja2.Environment, known: dict[str, frozenset[str | None]] | None = None) -> dict[str, str]:
    """Per template, a hash of its source and of every template it extends, includes or imports.

    `known`: the templates each source references, by the source's hash, as an earlier build
    read them; parsing every template again costs a build some 75 ms. It is left holding the
    current sources' entries alone."""
    sources: dict[str, str] = {}
    refs: dict[str, set[str]] = {}
    names = env.list_templates()
    current: dict[str, frozenset[str | None]] = {}
    for name in names:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        sources[name] = source
        key = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        found = known.get(key) if known is not None else None
        if found is None:
            try:
                found = frozenset(jinja2.meta.find_referenced_templates(env.parse(source)))
            except jinja2.TemplateSyntaxError:
                found = frozenset()  # rendering will report the error with its line
        current[key] = found
        # A reference computed at render time could be any template.
        refs[name] = set(names) if None in found else {r for r in found if r is not None}
    if known is not None:
        known.clear()
        known.update(current)
    digests: dict[str, str] = {}
    for name in names:
        closure, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in closure:
                continue
            closure.add(current)
            todo.extend(refs.get(current, ()))
        h = hashlib.blake2b(digest_size=16)
        for dep in sorted(closure):
            h.update(dep.encode() + b"\0" + sources.get(dep, "").encode() + b"\0")
        digests[name] = h.hexdigest()
    return digests


def static_sources(config: SiteConfig) -> dict[str, Path]:
    """Every theme's `static/` file by its path under `public/static/`, the chosen theme winning."""
    sources: dict[str, Path] = {}
    for theme_dir in reversed(config.theme_dirs):
        static = theme_dir / "static"
        if not static.is_dir():
            continue
        for path in static.rglob("*"):
            rel = PurePosixPath(path.relative_to(static).as_posix())
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                sources[f"static/{rel}"] = path
    return dict(sorted(sources.items()))


# --------------------------------------------------------------------------- publishing
#
# Every build, cold or incremental, makes the complete new site in a staging folder beside
# the output (`.public-new-<pid>-…`: pages it rendered, plus hard links to the live files
# that did not change) and then swaps the two folders. On Linux the swap is one
# renameat2(RENAME_EXCHANGE) call, so `public/` is at every instant either the old site or
# the new one. Elsewhere (or on a file system that refuses the exchange) it is two renames,
# `public` → `.public-old-<pid>-…/public` then staging → `public`; between them `public` is
# missing for a moment, and if the build dies right there the next build puts the old site
# back (`recover_output`) before doing anything else. The old site, because the build
# state still describes it: the manifest is saved only after the swap.

#: Test hook: `BROADSHEET_TEST_KILL_AT=<point>` makes the build SIGKILL itself at that point
#: of publishing (rendered, linking, staged, between-renames, swapped, published), so tests
#: can check what a build killed there leaves behind. Never set it outside tests.
KILL_ENV = "BROADSHEET_TEST_KILL_AT"
STAGING_PREFIX = ".public-new-"
HOLDER_PREFIX = ".public-old-"


def _kill_point(name: str) -> None:
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: Any = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    global _renameat2
    if not sys.platform.startswith("linux") or os.environ.get("BROADSHEET_NO_EXCHANGE"):
        return False
    if _renameat2 is None:
        try:
            function = ctypes.CDLL(None, use_errno=True).renameat2
            function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            function.restype = ctypes.c_int
            _renameat2 = function
        except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl < 1.2.?)
            _renameat2 = False
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
        return False  # kernel or file system without RENAME_EXCHANGE: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


def _retire(old: Path, spare: Path | None) -> bool:
    """The old site, once replaced, becomes the spare tree the next build starts from (or is deleted)."""
    if spare is not None and not spare.exists():
        try:
            os.rename(old, spare)
            return True
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)
    return False


def _swap_into_place(new: Path, out: Path, spare: Path | None = None) -> bool:
    """Put the complete tree `new` where `out` is; readers see the old site or the new one.

    Returns whether the old site became the spare.
    """
    if not out.exists() and not out.is_symlink():
        os.rename(new, out)
        return False
    if not out.is_dir() or out.is_symlink():
        raise BuildError(f"{out}: the output path exists and is not a directory; remove it and build again")
    if _exchange(new, out):
        _kill_point("swapped")
        return _retire(new, spare)  # `new` now holds the old site
    holder = Path(tempfile.mkdtemp(dir=out.parent, prefix=f"{HOLDER_PREFIX}{os.getpid()}-"))
    old = holder / out.name
    os.rename(out, old)
    _kill_point("between-renames")
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    _kill_point("swapped")
    retired = _retire(old, spare)
    shutil.rmtree(holder, ignore_errors=True)
    return retired


def _owner_pid(folder: Path) -> int | None:
    """The pid in a staging or holder folder's name, if it has one."""
    for prefix in (STAGING_PREFIX, HOLDER_PREFIX):
        if folder.name.startswith(prefix):
            digits = folder.name[len(prefix):].split("-", 1)[0]
            return int(digits) if digits.isdigit() else None
    return None


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _abandoned(folder: Path, now: float) -> bool:
    """Left by a build that is no longer running (or, for names without a pid, old enough)."""
    pid = _owner_pid(folder)
    if pid is not None and pid != os.getpid() and not _pid_running(pid):
        return True
    try:
        return now - folder.stat().st_mtime > ABANDONED_SECONDS
    except FileNotFoundError:
        return False


def recover_output(out: Path) -> bool:
    """If a build died between the two renames of a swap, put the old site back; True if it did."""
    if out.exists() or out.is_symlink():
        return False
    now = time.time()
    candidates = [h for h in out.parent.glob(f"{HOLDER_PREFIX}*")
                  if (h / out.name).is_dir() and _abandoned(h, now)]
    if not candidates:
        return False
    holder = max(candidates, key=lambda h: h.stat().st_mtime)
    os.rename(holder / out.name, out)
    log.warning("%s was missing after an interrupted build; restored the previous site from %s", out, holder.name)
    return True


@dataclass(frozen=True)
class RenderResult:
    #: Files the site has.
    files: int
    #: Files rendered (or copied) in this build; the others were unchanged.
    rendered: int
    #: Files removed because nothing produces them any more.
    removed: int
    #: Whether Pagefind indexed the staged site in this build.
    indexed: bool = False
    #: With `defer_search`: the index the published site is still owed (None when its index is current).
    search_pending: search.Pending | None = None
    #: With `focus`: how many pages were fingerprinted (the others kept theirs); None when all were.
    fingerprinted: int | None = None
    #: With `focus`: the pages rendered.
    focused_pages: tuple[str, ...] = ()


def _check_jobs(jobs: Iterable[PageJob], seen: set[str] | None = None) -> None:
    """Refuse a path outside the output, or one that two jobs (also of earlier batches: `seen`) would write."""
    seen = set() if seen is None else seen
    for job in jobs:
        _check_path(job.path)
        if job.path in seen:
            raise BuildError(f"two pages would be written to '{job.path}'; rename one of the articles or terms")
        seen.add(job.path)


class RenderCache:
    """What a long-lived process (the dev server) keeps between renders of one site:
    the template environment with its compiled templates, page fingerprints of unchanged
    articles, and the last manifest."""

    def __init__(self) -> None:
        self._env: jinja2.Environment | None = None
        self._env_key: object = None
        self.fingerprints = Fingerprinter()
        self.fingerprints.register(ArticleTerms, lambda terms: b"g" + self.fingerprints.digest(terms.article, terms.fingerprint()).encode())
        # "Appears with" and the charts read a term's articles' names and dates, not their headlines.
        self.fingerprints.register(LazyRelated, lambda related: b"r" + self.fingerprints.membership(related.term))
        self.fingerprints.register(LazyChart, lambda chart: b"c" + self.fingerprints.dates(chart.term))
        # What an article page shows of its related and neighbouring stories: their addresses, titles and dates.
        self.fingerprints.register(ArticleCoverage, lambda coverage: b"v" + self.fingerprints.digest(coverage.fingerprint()).encode())
        self.fingerprints.register(Page, lambda page: b"p%d/%d" % (page.number, page.total)
                                   + self.fingerprints.digest(page.base_url, page.items).encode())
        self.manifest: dict[str, Any] | None = None
        #: What each template source references, by its hash (see `template_digests`).
        self.template_refs: dict[str, frozenset[str | None]] | None = None

    def environment(self, config: SiteConfig, taxonomies: Mapping[str, Taxonomy],
                    state: BuildState | None = None) -> jinja2.Environment:
        key = (tuple(config.theme_dirs), repr(config), tuple(t.label for t in taxonomies.values()))
        if self._env is None or key != self._env_key:
            self._env, self._env_key = make_environment(config, taxonomies, template_cache(state)), key
        return self._env


def render_site(archive: Archive, config: SiteConfig, state: BuildState | None = None, workers: int = 1,
                cache: RenderCache | None = None, defer_search: bool = False, db: BuildDB | None = None,
                sources: Mapping[str, tuple[int, int]] | None = None,
                db_meta: Mapping[str, Any] | None = None,
                originals: Mapping[str, tuple[Article, tuple[str, ...], tuple[str, ...]]] | None = None,
                focus: Mapping[str, tuple | None] | None = None,
                renamed: Mapping[str, Mapping[str, tuple]] | None = None,
                removed: Mapping[str, tuple[tuple, Mapping[str, tuple]]] | None = None) -> RenderResult:
    """Render the site into `config.output_dir`, re-rendering only pages whose inputs changed.

    Each page's inputs (its template and those it uses, its data, the settings and the
    generator's code) are hashed; the build state records the hash each output was made
    from. Changed pages are rendered into a staging folder, the unchanged ones hard-linked
    beside them from the live site, and the complete folder swapped in (see "publishing"
    above), so a failure leaves the previous output untouched. With no usable state the
    whole site is rendered into the staging folder.

    With search on, Pagefind indexes the staged tree last, before the swap: only the parts of
    the index whose article pages changed (see generator/search.py); the other parts are
    carried over. With `defer_search` (the preview server) the live index is carried over
    whole even then, and the result's `search_pending` says what is still owed.

    `focus`: the only articles that changed since the last build, by slug with the listing key
    each had (None: added since), `renamed`, those among them whose names changed, with the names they had, and
    `removed`, the articles taken out, by slug with where each was listed and its names (the caller vouches
    that no setting, template or other article changed). Then only the pages that show them
    (`pages_showing`) are fingerprinted; every other page keeps the fingerprint it was made from.
    """
    out = config.output_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_output(out)
    cache = cache or RenderCache()
    env = cache.environment(config, archive.taxonomies, state)
    searching = search_enabled(archive, config)
    env.globals["search_enabled"] = searching  # the header's search box, the article pages' filters
    # Past SEARCH_FILTER_NAMES names the article pages give the index their year alone as a filter (see there).
    offered = too_many_filters(archive, config) if searching else None
    name_filters = searching and offered is None
    env.globals["search_name_filters"] = name_filters
    manifest_name = _manifest_name(out)
    if cache.manifest is None and db is not None:
        cache.manifest = load_manifest(db)
    manifest = cache.manifest
    if manifest is not None and not out.is_dir():
        manifest = None
    old_pages: dict[str, str] = manifest["pages"] if manifest else {}
    old_static: dict[str, str] = manifest["static"] if manifest else {}
    old_searched: dict[str, tuple[str | None, str | None]] = manifest.get("searched", {}) if manifest else {}

    order = listing_order(a.slug for a in archive.articles)
    focused: Focus | None = None
    if focus is not None and manifest is not None and db is not None:
        now = {a.slug: listing_key(a) for a in archive.articles if a.slug in focus}
        added = frozenset(slug for slug, key in focus.items() if key is None)
        moved = {slug: tuple(key) for slug, key in focus.items()
                 if slug in now and key is not None and tuple(key) != now[slug]}
        before = order_before(archive, moved, added, removed) if moved or added or removed else None
        fast_before = db.get("fast")
        same_filters = isinstance(fast_before, dict) and fast_before.get("name_filters", True) == name_filters
        if same_filters and db.get("order") == (listing_order(before) if before is not None else order):
            focused = pages_showing(archive, config, focus, db.showing, before, renamed, removed)
    # A page gone from the output (deleted by hand, say) is made again by the full pass. Looking for every one
    # waits on the file system, so a forked child does it while this process fingerprints the focused pages.
    all_there = Forked(_all_files, str(out) + os.sep, old_pages) if focused is not None else None
    if cache.template_refs is None:
        cache.template_refs = (state.load_pickle(TEMPLATE_REFS) if state is not None else None) or {}
    refs_before = dict(cache.template_refs)
    templates = template_digests(env, cache.template_refs)
    if state is not None and cache.template_refs != refs_before:
        state.save_pickle(TEMPLATE_REFS, cache.template_refs)
    prints = cache.fingerprints
    prints.new_build(len(archive.articles))
    shared = prints.digest(code_version(), repr(config), tuple(t.label for t in archive.taxonomies.values()), searching,
                           name_filters)
    statics = static_sources(config)
    static_digests = {rel: hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest() for rel, p in statics.items()}

    def fingerprint(job: PageJob) -> str:
        return prints.digest(shared, templates.get(job.template, job.template), job.context)

    gone_pages: set[str] = set()  # pages the last build wrote that go, in a focused build
    # With no earlier output every page is rendered, its job made and let go a batch at a time
    # (`_render_streamed`), and fingerprinted afterwards over the jobs made again (`_fingerprint_cold`).
    cold = manifest is None
    jobs: list[PageJob] = []
    digests: list[str] = []
    cold_pages: dict[str, str] = {}
    try:
        while not cold:
            # Focused, the jobs are the pages showing the changed articles; every other page keeps its fingerprint.
            jobs = site_jobs(archive, config, focused)
            if focused is not None:
                gone_pages = _focused_sitemap(jobs, focused, old_pages)
            _check_jobs(jobs)
            digests = [fingerprint(job) for job in jobs]
            if all_there is None or all_there.result():
                break
            focused = all_there = None
    finally:
        if all_there is not None:
            all_there.cancel()  # a page's error stopped the build before the child was heard

    if cold:
        todo: Sequence[int] = ()  # set once the streamed jobs are rendered
        static_todo = list(statics)
    else:
        base = str(out) + os.sep
        todo = [i for i, job in enumerate(jobs)
                if old_pages.get(job.path) != digests[i] or not os.path.isfile(base + job.path)]
        static_todo = [rel for rel in statics if old_static.get(rel) != static_digests[rel] or not (out / rel).is_file()]

    _remove_abandoned_staging(out.parent)
    spare = _spare_path(state, out, manifest_name)
    staging = out.parent / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    # Which files of the spare differ from the live site, if the last build said so: then the spare is
    # brought up to date file by file instead of walked. Forgotten before the spare is touched, so a
    # build killed from here on leaves no claim about it.
    known_diff = trusted_diff(db.get(SPARE_DIFF), out, spare) if db is not None and manifest is not None else None
    if db is not None:
        db.forget(SPARE_DIFF)
    #: A first build's copy of the new site, made of links while it indexes, to become the spare; and the
    #: spare of an earlier site, deleted meanwhile.
    mirror: Path | None = None
    old_spare: Path | None = None
    if spare is not None and manifest is not None and spare.is_dir() and not spare.is_symlink():
        os.rename(spare, staging)  # the site before the live one: most of its files are already links to the live ones
    else:
        known_diff = None
        if spare is not None and manifest is None:
            mirror = out.parent / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            if spare.exists() or spare.is_symlink():
                old_spare = out.parent / f"{HOLDER_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
                os.rename(spare, old_spare)
        elif spare is not None:
            shutil.rmtree(spare, ignore_errors=True)
        staging.mkdir()
    #: A first build's Pagefind, making the index's parts in a thread while this process goes on.
    beside: search.IndexingBeside | None = None
    try:
        staging.chmod(0o755)  # a web server must be able to read it
        # What the index reads of an article page: the article, the names its filters show, its template and the
        # settings; not the related stories beside it, whose change re-renders the page but not its index entry.
        reads: dict[str, str | None] = {}

        def search_read(job: PageJob) -> None:
            if searching and search.is_indexed_page(job.path):
                reads[job.path] = prints.digest(shared, templates.get(job.template, job.template),
                                                job.context["term_groups"])

        related = RelatedIndex(archive, config.related) if cold and config.related > 0 else None
        if cold:
            paths: list[str] = _render_streamed(streamed_jobs(archive, config, related), env, staging, workers, search_read)
            todo = range(len(paths))
        else:
            paths = [job.path for job in jobs]
        if cold:  # every file is new: nothing of the live site to link, prune or tell apart from it
            changed: list[str] = []
            produced: set[str] = set()
        else:
            changed = [paths[i] for i in todo] + static_todo
            produced = set(paths) | set(statics)
        if focused is not None:
            produced |= set(old_pages) - gone_pages
        # The search index, in parts: a part is made again from the staged pages when its article pages changed,
        # else its files are carried over; see generator/search.py.
        plan = search.plan_parts(archive.articles) if searching else {}
        if searching and focused is not None:
            reads.update((path, read) for path, (read, _part) in old_searched.items())
        for job in jobs:
            search_read(job)
        wanted_keys = search.part_keys(plan, reads) if searching else None
        old_keys = manifest.get("search") if manifest else None
        old_keys = old_keys if isinstance(old_keys, dict) else {}
        live_search = search.index_files(out) if manifest is not None else set()  # the live site's index files
        live_index = live_search if searching else set()
        live_parts = search.live_parts(out) if live_index else {}
        stale = [name for name in plan if wanted_keys[name] != old_keys.get(name) or name not in live_parts]
        reindex = bool(searching and (stale or set(live_parts) != set(plan)
                                      or not live_index.issuperset(search.top_files())))
        deferred = reindex and defer_search and bool(live_index)
        indexed = reindex and not deferred
        if indexed and offered is not None:
            from generator.errors import log as user_log

            user_log.info("the archive has %d names to narrow a search by, more than the search page's UI draws in "
                          "good time: it offers the year alone (README, Search)", offered)
        if searching and not indexed:
            produced |= live_index
        elif indexed:
            produced.update(f for name, files in live_parts.items() if name in plan and name not in stale for f in files)
        search_key = old_keys if deferred else wanted_keys
        live_files = set(old_pages) | set(old_static) | live_search
        gone = live_files - produced
        present: set[str] | None = None
        folders: set[str] = set()
        if known_diff is not None:
            _fix_spare(staging, out, known_diff, produced, set(changed), gone)
        elif manifest is not None:
            present, folders = _prune(staging, produced, set(changed))
        try:
            if not cold and len(todo) >= 600:
                release_memory()  # the workers start from this process's pages
            if not cold:
                fork_map(_RenderWorker.render, todo, workers, min_items=600,
                         initializer=_RenderWorker.start, initargs=(jobs, env, staging))
        finally:
            _RenderWorker.stop()
        if manifest is None and db is not None:
            db.start_first()
        part_of = {path: name for name, members in plan.items() for path in members}

        def searched_of(path: str) -> tuple[str | None, str | None]:
            """What the search index read of a page and the part that holds it; (None, None) for a page it skips."""
            return (reads[path], part_of.get(path)) if path in reads else (None, None)

        # With no earlier output the fingerprints are made now: beside Pagefind when it runs, else here.
        cold_prints = functools.partial(_fingerprint_cold, streamed_jobs(archive, config, related), fingerprint, db,
                                        sources or {}, originals or {}, searched_of, prints)

        def cold_work() -> dict[str, str]:
            """What a first build does besides indexing: the fingerprints, and the spare of the new site."""
            made = cold_prints()
            if mirror is not None:
                _link_tree(staging, mirror, [*paths, *statics])
            if old_spare is not None:
                shutil.rmtree(old_spare, ignore_errors=True)
            return made

        for rel in static_todo:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(statics[rel], target)
        _kill_point("rendered")
        removed = 0
        if manifest is not None:
            _link_unchanged(staging, out, changed, produced, present, folders)
            removed = sum(1 for p in list(old_pages) + list(old_static) if p not in produced and (out / p).is_file())
        index_count = len(live_index) if searching and not indexed else 0
        written = set(changed) | gone  # what differs from the live site, for the next build's spare
        if deferred:  # parts the background indexer will drop (its swap records the parts it makes)
            written |= {f"{search.part_dir(name)}/" for name in live_parts if name not in plan}
        if indexed:
            release_memory()  # Pagefind runs beside this process
            index_dir = staging / search.INDEX_DIR
            index_dir.mkdir(exist_ok=True)
            if manifest is None:  # Pagefind waits in a thread; this process fingerprints meanwhile
                beside = search.IndexingBeside(staging, index_dir, plan, stale)
                cold_pages = cold_work()
                beside.result()
            else:
                search.index_parts(staging, index_dir, plan, stale)
            search.write_top(index_dir, plan, out / search.INDEX_DIR)
            staged_index = search.index_files(staging)
            index_count = len(staged_index)
            if mirror is not None:
                _link_tree(staging, mirror, staged_index)
            written |= {f for f in staged_index if f.split("/")[1][len(search.PART_PREFIX):] in stale
                        or f in search.top_files()}
        if cold and not indexed:
            cold_pages = cold_work()
        kept = ({path: digest for path, digest in old_pages.items() if path not in gone_pages}
                if focused is not None else {})
        pages = cold_pages if cold else {**kept, **{job.path: digests[i] for i, job in enumerate(jobs)}}
        _kill_point("staged")
        # A first build's old site goes (the links made meanwhile are the spare), deleted by a forked child
        # while this process records the build.
        graveyard = out.parent / f"{HOLDER_PREFIX}{os.getpid()}-{secrets.token_hex(4)}" if mirror is not None else None
        retired = _swap_into_place(staging, out, graveyard if graveyard is not None else spare)
    except BaseException:
        if beside is not None:
            beside.cancel()
        for leftover in (staging, mirror, old_spare):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
        raise
    burying = Forked(shutil.rmtree, graveyard, True) if graveyard is not None and retired else None
    if mirror is not None and spare is not None:
        try:
            os.rename(mirror, spare)
        except OSError:
            shutil.rmtree(mirror, ignore_errors=True)
            mirror = None
    _kill_point("published")
    # A first build put its pages' fingerprints in the database as it made them: the next build reads them there.
    added = cold and db is not None
    searched = {} if added else {path: searched_of(path) for path in reads}
    cache.manifest = None if added else {"pages": pages, "static": static_digests, "search": search_key,
                                          "searched": searched}
    if db is not None:
        labels = [[t.label.key, t.label.title, t.label.singular] for t in archive.taxonomies.values()]
        fast = {"config": repr(config), "labels": labels, "searching": searching, "name_filters": name_filters,
                "templates": templates, "body_safe": bodies_only_on_their_pages(env)}
        meta: dict[str, Any] = {"static": static_digests, "search": search_key, SEARCH_WANTED: wanted_keys,
                                "fast": fast, "order": order, **(db_meta or {})}
        if retired and manifest is not None and spare is not None:
            meta[SPARE_DIFF] = spare_record(out, spare, written)
        elif mirror is not None and spare is not None:  # the spare is the new site
            meta[SPARE_DIFF] = spare_record(out, spare, [])
        db.write(pages={path: (digest, *searched.get(path, (None, None))) for path, digest in pages.items()
                        if old_pages.get(path) != digest or old_searched.get(path) != searched.get(path)},
                 removed_pages=[path for path in old_pages if path not in pages],
                 **({} if manifest is None
                    else _article_rows(db, jobs, digests, sources or {}, originals or {}, every=focused is None)),
                 meta=meta)
    if burying is not None:
        burying.result()
    rendered = len(todo) + len(static_todo)
    files = (len(paths) if cold else len(pages)) + len(statics) + index_count
    log.info("rendered %d of %d files into %s (%d removed)%s", rendered, files, out, removed,
             f"; search index: {len(stale)} of {len(plan)} parts made again" if indexed else "")
    return RenderResult(files=files, rendered=rendered, removed=removed, indexed=indexed,
                        search_pending=search.Pending(plan, wanted_keys, tuple(stale)) if deferred else None,
                        fingerprinted=None if focused is None else len(jobs),
                        focused_pages=() if focused is None else tuple(jobs[i].path for i in todo))


def record_search_index(db: BuildDB | None, cache: RenderCache, keys: dict[str, str], stale: Iterable[str]) -> None:
    """A search index made for `keys` (see `search.part_keys`) is now live: the manifest says so.

    It was swapped into the live site in place: the parts made again (`stale`) and the files
    beside them are new, the other parts' files are links to the old ones, so the spare now
    differs from the live site in those.
    """
    if cache.manifest is not None:
        cache.manifest["search"] = keys
    if db is not None:
        record = db.get(SPARE_DIFF)
        meta: dict[str, Any] = {"search": keys}
        if record is not None:
            changed = {f"{search.part_dir(name)}/" for name in stale} | set(search.top_files())
            meta[SPARE_DIFF] = {**record, "files": sorted(set(record["files"]) | changed)}
        db.write(meta=meta)


def load_manifest(db: BuildDB) -> dict[str, Any] | None:
    """What the live site was made from, as the last build recorded it (None before the first)."""
    static = db.get("static")
    if static is None:
        return None
    return {"pages": db.pages(), "static": static, "search": db.get("search"), "searched": db.searched()}


_BODY = re.compile(r"(\w+\s*\.\s*)?body_html")


def bodies_only_on_their_pages(env: jinja2.Environment) -> bool:
    """Whether the templates print an article's body on its own page alone (`article.body_html` in article.html).

    Then an edit to a body changes that page and no other, which the quick build relies on;
    a theme that shows bodies elsewhere (a full-text feed, say) gets full builds.
    """
    for name in env.list_templates():
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        for match in _BODY.finditer(source):
            if name != "article.html" or (match.group(1) or "").replace(" ", "") != "article.":
                return False
    return True


#: The database's record of which files of the spare tree differ from the live site ("dir/": all below it).
SPARE_DIFF = "spare_diff"


def _identity(folder: Path) -> list[int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return [st.st_ino, st.st_dev]


def spare_record(out: Path, spare: Path, files: Iterable[str]) -> dict[str, Any]:
    """What to remember of a spare tree just retired: where it differs from the live site, and which two folders those are."""
    return {"files": sorted(files), "live": _identity(out), "spare": _identity(spare)}


def trusted_diff(record: Any, out: Path, spare: Path | None) -> list[str] | None:
    """The spare's differences from the live site, if the record is about these very folders.

    A site copied or restored elsewhere has the same files but not the same links between
    them (nor the same folders): then the record is not trusted and the spare is walked.
    """
    if not isinstance(record, dict) or spare is None:
        return None
    if record.get("live") != _identity(out) or record.get("spare") != _identity(spare):
        return None
    return list(record.get("files") or [])


def _slim(article: Article | None) -> Article | None:
    """What a page shows of a related story (and all its fingerprint covers): address, title and date."""
    return None if article is None else Article(article.slug, article.title, "", "", date=article.date)


def article_page_data(context: Mapping[str, Any]) -> dict[str, Any]:
    """What an article page shows of the rest of the archive, to keep in the build database.

    Its term links (and the names its fingerprint covers) and its related coverage, with the
    other articles' bodies left out: enough to render the page again after an edit to its own
    body, which changes none of it (see generator/quick.py).
    """
    terms: ArticleTerms = context["term_groups"]
    names = terms.fingerprint().split("\x1f", 2)[2:]
    coverage = context["coverage"]
    article: Article = context["article"]
    decided = {key: getattr(article, key) for key in ("tags", "locations", "persons", "organizations", "stamps")}
    data: dict[str, Any] = {"groups": tuple(terms), "names": names, "coverage": None, "decided": decided,
                            "listed": listing_key(article)}
    if coverage is not None:
        value = coverage.value
        data["coverage"] = replace(value, related=tuple(_slim(a) for a in value.related),
                                               older=_slim(value.older), newer=_slim(value.newer))
        data["coverage_print"] = coverage.fingerprint()
    return data


def coverage_shows(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The slugs of the stories an article page lists beside it (`article_page_data`'s coverage)."""
    value = data.get("coverage")
    if value is None:
        return ()
    shown = [a.slug for a in value.related] + [a.slug for a in (value.older, value.newer) if a is not None]
    return tuple(dict.fromkeys(shown))


def _article_rows(db: BuildDB, jobs: Sequence[PageJob], digests: Sequence[str],
                  sources: Mapping[str, tuple[int, int]],
                  originals: Mapping[str, tuple[Article, tuple[str, ...], tuple[str, ...]]],
                  every: bool = True) -> dict[str, Any]:
    """The database rows of the articles whose page or file changed, and the files no longer there
    (those `sources` no longer has, when `jobs` are not `every` page's: a focused build's are a few).

    `originals`, by content file: the article as its file has it (before the archive-wide
    decisions changed its names) and what the decisions read of its body. An article without
    one gets no row, so its edits take full builds.
    """
    known = db.article_digests()  # per file: (hash, page fingerprint, size, mtime)
    made = [_article_row(job, digest, sources, originals, known) for job, digest in zip(jobs, digests)]
    rows = _rows_made(made, known if every else None)
    if not every:  # a focused build: the files of the articles it took out
        rows["removed_articles"] = [path for path in known if path not in sources]
    return rows


def _article_row(job: PageJob, digest: str, sources: Mapping[str, tuple[int, int]],
                 originals: Mapping[str, tuple[Article, tuple[str, ...], tuple[str, ...]]],
                 known: Mapping[str, tuple]) -> tuple[str, ArticleRow | None, tuple[int, int] | None,
                                                      tuple[str, ...]] | None:
    """What the database is told of the article whose page `job` makes: None when it has no row
    (not an article page, or an article without its file or its original); else its content
    file with a new row and what the page shows beside it, or, when the row it has is still
    right, None and the file's size and time if those changed."""
    if job.template != "article.html" or "term_groups" not in job.context:
        return None
    article: Article = job.context["article"]
    stat = sources.get(article.path)
    original = originals.get(article.path)
    if stat is None or not article.digest or original is None:
        return None
    row = known.get(article.path)
    written, *reads = original
    if row is not None and row[:2] == (written.digest, digest):
        return article.path, None, stat if row[2:] != stat else None, ()
    data = article_page_data(job.context)
    data["reads"], data["body"] = tuple(reads), body_signature(written, *reads)
    return (article.path, ArticleRow(article.path, stat[0], stat[1], written.digest, article.slug,
                                     shown_key(written), digest, dumps_page(data)), None, coverage_shows(data))


def _add_rows(db: BuildDB, made: list[tuple], pages: list[tuple[str, str, str | None, str | None]]) -> None:
    """Add the articles' rows `made` (see `_article_row`) and the `pages`' rows to a first build's database."""
    found = _rows_made(made)
    db.add(found["articles"], found["coverage"], pages)


def _rows_made(made: Iterable[tuple | None], known: Mapping[str, tuple] | None = None) -> dict[str, Any]:
    """The database changes of the articles' `made` rows (see `_article_row`); with `known`, the
    rows the database had, those of files no longer there are removed."""
    rows: list[ArticleRow] = []
    stats: list[tuple[str, int, int]] = []
    coverage: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for item in made:
        if item is None:
            continue
        path, row, stat, shows = item
        seen.add(path)
        if row is not None:
            rows.append(row)
            coverage[path] = shows
        elif stat is not None:
            stats.append((path, *stat))
    return {"articles": rows, "removed_articles": [path for path in known or () if path not in seen],
            "stats": stats, "coverage": coverage}


#: A staging folder this old was left by a build that was killed, not one still running.
ABANDONED_SECONDS = 3600


def _all_files(base: str, paths: Iterable[str]) -> bool:
    """Whether every one of `paths` (under `base`, which ends with a separator) is a file."""
    return all(os.path.isfile(base + path) for path in paths)


def _remove_abandoned_staging(parent: Path) -> None:
    """Clear staging and holder folders that killed builds left behind (their pid is gone)."""
    now = time.time()
    for leftover in parent.glob(".public-*"):
        try:
            if leftover.is_dir() and not leftover.is_symlink() and _abandoned(leftover, now):
                shutil.rmtree(leftover, ignore_errors=True)
        except FileNotFoundError:
            continue


def _same_file_bytes(a: str, b: str) -> bool:
    try:
        if os.stat(a).st_size != os.stat(b).st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read() == fb.read()
    except FileNotFoundError:
        return False


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOENT):
            raise
        shutil.copy2(source, target)  # a file system without hard links


def _remove_empty_folders(staging: Path, rel: str) -> None:
    """Remove the folders above `rel` that are left empty, up to (not including) the staging folder."""
    parts = rel.split("/")[:-1]
    while parts:
        try:
            os.rmdir(os.path.join(staging, *parts))
        except OSError:
            return
        parts.pop()


def fix_spare(staging: Path, out: Path, diff: Iterable[str], keep: set[str] | None = None) -> None:
    """Make a staging tree that was the spare equal to the live site, touching only the files in `diff`.

    `diff` lists the paths where the spare and the live site differ (an entry ending in "/"
    stands for everything below it); each becomes a link to the live file again, or goes
    when the live site has no such file. With `keep`, only paths in it are linked.
    """
    live, new = str(out) + os.sep, str(staging) + os.sep
    # The preview's search indexer works in hidden folders of the live site; one killed leaves them there, where no
    # record of the site lists them: they never come back from the spare.
    for entry in os.scandir(staging):
        if entry.name.startswith((search.TEMP_PREFIX, search.SOURCE_PREFIX)):
            shutil.rmtree(entry.path, ignore_errors=True)
    files: set[str] = set()
    for rel in diff:
        if rel.endswith("/"):  # a whole folder: its files in either tree
            shutil.rmtree(new + rel, ignore_errors=True)
            _remove_empty_folders(staging, rel)
            for dirpath, _dirnames, filenames in os.walk(live + rel):
                prefix = os.path.relpath(dirpath, out).replace(os.sep, "/")
                files.update(f"{prefix}/{name}" for name in filenames)
        else:
            files.add(rel)
    ordered = sorted(files)
    folders: set[str] = set()
    for count, rel in enumerate(ordered):
        if count == len(ordered) // 2:
            _kill_point("linking")
        target = new + rel
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(target, ignore_errors=True)
        if (keep is None or rel in keep) and os.path.isfile(live + rel):
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            _link_or_copy(live + rel, target)
        else:
            _remove_empty_folders(staging, rel)


def _fix_spare(staging: Path, out: Path, diff: Iterable[str], produced: set[str], changed: set[str],
               gone: set[str]) -> None:
    """`_prune` for a spare whose differences from the live site are known: O(changes), not O(site).

    After it the staging tree holds the live site's files that this build keeps, and nothing
    where this build writes (`changed`) or removes (`gone`).
    """
    fix_spare(staging, out, [*diff, *changed, *gone], keep=produced - changed - gone)


def _prune(staging: Path, produced: set[str], changed: set[str]) -> tuple[set[str], set[str]]:
    """Before rendering into a staging tree that starts as the spare: remove what this build will not keep.

    Files nothing produces go, and so do the files about to be rendered (never write
    through a hard link into the live site). Returns the files kept and the folders left.
    """
    new = str(staging) + os.sep
    present: set[str] = set()
    folders: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(staging, topdown=False):
        rel_dir = os.path.relpath(dirpath, staging).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        kept = 0
        for name in filenames:
            rel = prefix + name
            if rel in produced and rel not in changed:
                present.add(rel)
                kept += 1
            else:
                os.unlink(new + rel)
        kept += sum(1 for d in dirnames if (prefix + d) in folders)
        if kept:
            folders.add(prefix.rstrip("/"))
        elif prefix:
            os.rmdir(dirpath)
    return present, folders


def _link_unchanged(staging: Path, out: Path, changed: list[str], produced: set[str],
                    present: set[str] | None, folders: set[str]) -> None:
    """Make the staging tree the complete new site: the rendered files plus links to the live unchanged ones.

    The staging tree starts as the spare (the site before the live one), whatever state a
    killed build left it in (`_prune` has cleared it). Files that changed in neither build
    are the same inode in both trees and are left alone, so an edit build touches few
    files; every other unchanged file is linked again. A changed page whose bytes came out
    the same is linked too, so the live file (and its mtime, which deploy tools compare)
    is kept.
    """
    live, new = str(out) + os.sep, str(staging) + os.sep
    for rel in changed:
        if _same_file_bytes(live + rel, new + rel):
            os.unlink(new + rel)
            _link_or_copy(live + rel, new + rel)
    if present is None:  # brought up to date by `_fix_spare`: every other file is already the live one
        return
    missing: list[str] = []
    unchanged = sorted(produced.difference(changed))
    for count, rel in enumerate(unchanged):
        if count == len(unchanged) // 2:
            _kill_point("linking")
        if rel in present:
            a, b = os.stat(live + rel), os.stat(new + rel)
            if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
                continue
            os.unlink(new + rel)
        missing.append(rel)
    _link_tree(out, staging, missing, folders)


def _link_tree(source: Path, target: Path, files: Iterable[str], folders: Iterable[str] = ()) -> None:
    """Link `files` of the tree `source` into the tree `target`, making its folders (but `folders`, which it has)."""
    files = sorted(files)
    src, dst = str(source) + os.sep, str(target) + os.sep
    target.mkdir(exist_ok=True)
    for folder in sorted({rel.rpartition("/")[0] for rel in files}.difference(folders, [""])):  # parents first
        try:
            os.mkdir(dst + folder)
        except FileExistsError:
            pass
        except FileNotFoundError:  # a parent that holds no file
            os.makedirs(dst + folder, exist_ok=True)
    for rel in files:
        _link_or_copy(src + rel, dst + rel)
