"""Build the site model from loaded articles: ordering, taxonomies, date archives."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable

from slugify import slugify

from generator.config import KNOWN_TAXONOMIES
from generator.model import MONTH_NAMES, Archive, Article, MonthArchive, Taxonomy, Term, YearArchive


@functools.lru_cache(maxsize=200_000)
def term_slug(name: str) -> str:
    """URL slug of a term; names that differ only in case or punctuation share one page."""
    return slugify(name) or "term"


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Dated articles newest first, then undated ones; ties broken by title and slug."""
    dated = sorted(
        (a for a in articles if a.date is not None),
        key=lambda a: (-a.date.toordinal(), a.title.casefold(), a.slug),  # type: ignore[union-attr]
    )
    undated = sorted((a for a in articles if a.date is None), key=lambda a: (a.title.casefold(), a.slug))
    return tuple(dated) + tuple(undated)


def build_taxonomy(key: str, articles: tuple[Article, ...]) -> Taxonomy:
    """Group articles (already newest first) by each term they list under `key`."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        seen: set[str] = set()
        for name in article.terms(key):
            slug = term_slug(name)
            spellings[slug][name] += 1
            if slug not in seen:
                seen.add(slug)
                members[slug].append(article)
    terms = []
    for slug, arts in members.items():
        # The spelling most articles use names the page; ties go to the alphabetically first.
        name = sorted(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        terms.append(Term(name=name, slug=slug, taxonomy=key, articles=tuple(arts)))
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


def build_archive(articles: Iterable[Article], taxonomies: Iterable[str]) -> Archive:
    ordered = newest_first(articles)
    return Archive(
        articles=ordered,
        taxonomies={key: build_taxonomy(key, ordered) for key in taxonomies},
        years=build_years(ordered),
        undated=tuple(a for a in ordered if a.date is None),
    )


def month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]
