"""The site model: articles, taxonomies and date archives. Pure data, no I/O."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

#: English month names, fixed so output never depends on the machine's locale.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Article:
    """One article as the site shows it, loaded from `content/articles/<slug>.md`."""

    slug: str
    title: str
    summary: str
    #: Rendered Markdown body; already safe HTML (the Markdown renderer escapes raw HTML). Empty when
    #: `body_key` says where it is kept instead.
    body_html: str
    date: datetime.date | None = None
    dateline: str | None = None
    source: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    #: Content file it was loaded from, relative to the site root (for error messages).
    path: str = ""
    #: Hash of the content file it was loaded from; empty for articles made in code.
    digest: str = ""
    #: The archive-wide decisions that changed its names, in order, each folded into `digest`
    #: (see generator/decisions/names.py, `restamp`): the quick build folds them into a new hash.
    stamps: tuple[str, ...] = ()
    #: When not empty, `body_html` is left out and kept on disk under this key (the content file's hash):
    #: read it with `generator.bodies.body_of` (see there).
    body_key: str = ""
    #: A hash of the body's Markdown alone: the same for two versions of a content file that differ only in
    #: their front matter (what the names' cues, read from the text, are kept by); empty when not known.
    text_key: str = ""

    @property
    def url(self) -> str:
        return f"/articles/{self.slug}/"

    def terms(self, taxonomy: str) -> tuple[str, ...]:
        return getattr(self, taxonomy)


def with_fields(article: Article, **changes: object) -> Article:
    """The article with some fields changed: `dataclasses.replace` without running `__init__`, for the paths
    that make one per article of a large archive. The names must be the article's fields."""
    new = object.__new__(Article)
    new.__dict__.update(article.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass(frozen=True)
class TermLink:
    """What a page needs to link a term: its name and address, not its articles."""

    name: str
    slug: str
    taxonomy: str

    @property
    def url(self) -> str:
        return f"/{self.taxonomy}/{self.slug}/"


@dataclass(frozen=True)
class TaxonomyLabel:
    """A taxonomy's names and address, for navigation and headings."""

    key: str
    title: str
    singular: str

    @property
    def url(self) -> str:
        return f"/{self.key}/"


@dataclass(frozen=True)
class _TermAddress:
    """A term's name, address and link (the fields Term and TermSummary share, first in both)."""

    name: str
    slug: str
    taxonomy: str

    @property
    def url(self) -> str:
        return f"/{self.taxonomy}/{self.slug}/"

    @property
    def link(self) -> TermLink:
        return TermLink(self.name, self.slug, self.taxonomy)


@dataclass(frozen=True)
class _TaxonomyAddress:
    """A taxonomy's names, address and label (the fields Taxonomy and its summary share, first in both)."""

    key: str
    title: str
    singular: str

    @property
    def url(self) -> str:
        return f"/{self.key}/"

    @property
    def label(self) -> TaxonomyLabel:
        return TaxonomyLabel(self.key, self.title, self.singular)


@dataclass(frozen=True)
class TermSummary(_TermAddress):
    """What a term's own pages and its taxonomy's index show of it: its name, address and how many
    articles it has. A term page's articles are its `page.items`; so an edit to one story re-renders
    the page listing it, not every page of every term it names."""

    count: int


@dataclass(frozen=True)
class TaxonomySummary(_TaxonomyAddress):
    """A taxonomy as its index pages show it: names, address, and its terms as `TermSummary`s."""

    terms: tuple[TermSummary, ...]


@dataclass(frozen=True)
class LetterSummary:
    """One letter of a long taxonomy's A–Z index: its heading, the address of its own pages, how many
    terms it has and the most covered of them."""

    letter: str
    url: str
    count: int
    top: tuple[TermSummary, ...]


@dataclass(frozen=True)
class Term(_TermAddress):
    """One tag, location or person, with its articles newest first."""

    articles: tuple[Article, ...]

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def summary(self) -> TermSummary:
        return TermSummary(self.name, self.slug, self.taxonomy, len(self.articles))


@dataclass(frozen=True)
class Taxonomy(_TaxonomyAddress):
    """A way of grouping articles (tags, locations, persons): its terms alphabetically."""

    terms: tuple[Term, ...]

    def summary(self) -> TaxonomySummary:
        """The taxonomy as its index pages show it, its terms summarised."""
        return TaxonomySummary(self.key, self.title, self.singular, tuple(t.summary for t in self.terms))

    def by_count(self) -> tuple[Term, ...]:
        """Most covered first; ties alphabetical so the order is stable."""
        return tuple(sorted(self.terms, key=lambda t: (-t.count, t.name.casefold(), t.slug)))

    @property
    def by_slug(self) -> dict[str, Term]:
        """Its terms by slug: made once, at the first lookup, and shared by every caller (who must not change it)."""
        index = self.__dict__.get("_by_slug")
        if index is None:
            index = {t.slug: t for t in self.terms}
            object.__setattr__(self, "_by_slug", index)
        return index


@dataclass(frozen=True)
class _MonthAddress:
    """A month's name and address (the fields MonthArchive and MonthSummary share, first in both)."""

    year: int
    month: int

    @property
    def url(self) -> str:
        return f"/archive/{self.year:04d}/{self.month:02d}/"

    @property
    def name(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class _YearAddress:
    year: int

    @property
    def url(self) -> str:
        return f"/archive/{self.year:04d}/"


@dataclass(frozen=True)
class MonthArchive(_MonthAddress):
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class MonthSummary(_MonthAddress):
    """A month as the archive's index, its year's page and its own page's kicker show it: its address, how many
    articles it has and (on the year's page) its newest few, not all of them; so an edit to one story
    re-renders the pages listing it, not every page of its year."""

    count: int
    latest: tuple[Article, ...] = ()


@dataclass(frozen=True)
class YearSummary(_YearAddress):
    """A year as the date archive's pages show it: its months as `MonthSummary`s."""

    months: tuple[MonthSummary, ...]

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)


@dataclass(frozen=True)
class YearArchive(_YearAddress):
    months: tuple[MonthArchive, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for m in self.months for a in m.articles)

    def summary(self, latest: int = 0) -> YearSummary:
        """The year as its pages show it, with each month's `latest` newest articles."""
        return YearSummary(self.year, tuple(MonthSummary(m.year, m.month, len(m.articles), m.articles[:latest])
                                            for m in self.months))


@dataclass(frozen=True)
class Related:
    """What a person's or place's page says about its coverage as a whole."""

    #: Other people and places most often in the same articles, with how many articles.
    persons: tuple[tuple[TermLink, int], ...] = ()
    locations: tuple[tuple[TermLink, int], ...] = ()
    #: Organizations most often in the same articles (names: they may have no page).
    organizations: tuple[tuple[str, int], ...] = ()
    first: datetime.date | None = None
    last: datetime.date | None = None
    #: How many of the term's articles carry a date (first and last are theirs).
    dated: int = 0


@dataclass(frozen=True)
class Archive:
    """Everything the renderer needs, built once from the loaded articles."""

    #: Newest first; undated articles last, each group ordered by title then slug.
    articles: tuple[Article, ...]
    taxonomies: dict[str, Taxonomy] = field(default_factory=dict)
    #: Newest year first, months newest first.
    years: tuple[YearArchive, ...] = ()
    #: Articles with no date, which no date archive lists.
    undated: tuple[Article, ...] = ()
    #: Per (taxonomy, term slug) of persons and locations: what the term's page says of its coverage.
    related: dict[tuple[str, str], object] = field(default_factory=dict)  # Related, worked out when first read
    #: What the gazetteer knows of each location, by term name (kind, country, coordinates).
    places: dict[str, object] = field(default_factory=dict)
    #: Editors' descriptions of terms (rendered HTML), by (taxonomy, term slug).
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
