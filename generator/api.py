"""JSON files with the data of the HTML pages, so others can build on the archive (`api` in site.toml).

    /api/                          a page describing these files (linked from every page's footer)
    /api/articles.json             how many articles, the year files that hold them, the taxonomy files
    /api/articles/<year>.json      the articles of that year, newest first (`undated.json`: no date)
    /api/<taxonomy>.json           every person, place or tag, A–Z: name, page, data file, article count
    /api/<taxonomy>/<slug>.json    one person, place or tag: what its page shows, and its articles

The articles are split by year, and a year's or a term's past `api_per_file` (site.toml) into files of
that many (`<year>/2.json`, `<slug>/2.json`, ...: each says which it is of how many, and links the next
and the previous), so that no file grows with the whole archive: one year file of a million-article
archive would be some 150 MB, a busy tag's some 30 MB. An edit to a story rewrites the file that lists it.
A taxonomy's terms likewise, `api_per_file` a file (`/api/persons-2.json`, ...: beside the terms' own
files under `/api/persons/` a number could be a slug).
Every file is made from Python data with `json.dumps` (sorted keys, so the same archive gives
the same bytes) and goes through the renderer's fingerprints and staging like any page:
`render.page_jobs` turns each (path, renderer, context) below into a page job, and
`DATA_RENDERERS` renders it. URLs are absolute, from `base_url`. Names are as the articles'
front matter spells them; each links the page of its term.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Container, Iterator, Mapping
from typing import Any

from generator.archive import term_slug
from generator.config import SiteConfig
from generator.jsonld import absolute, dumps
from generator.model import Archive, Article, TaxonomyLabel, TermSummary

#: Folder of the files under the output.
API_DIR = "api"
#: The year file of articles that have no date.
UNDATED = "undated"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def year_file(year: int | None, number: int = 1) -> str:
    """The data file of a year's articles (None: the undated ones); `number` of its files, from 1."""
    return _numbered(f"{API_DIR}/articles/{UNDATED if year is None else f'{year:04d}'}", number)


def taxonomy_file(taxonomy: str, number: int = 1) -> str:
    """The data file listing a taxonomy's terms; `number` of its files, from 1."""
    return f"{API_DIR}/{taxonomy}.json" if number == 1 else f"{API_DIR}/{taxonomy}-{number}.json"


def term_file(taxonomy: str, slug: str, number: int = 1) -> str:
    """The data file of a person, place or tag; `number` of its files, from 1."""
    return _numbered(f"{API_DIR}/{taxonomy}/{slug}", number)


def _numbered(base: str, number: int) -> str:
    return f"{base}.json" if number == 1 else f"{base}/{number}.json"


def files_for(count: int, config: SiteConfig) -> int:
    """How many data files list `count` articles or terms (one, however few)."""
    return max(1, math.ceil(count / config.api_per_file))


def file_numbers(first: int, last: int, config: SiteConfig) -> range:
    """The numbers of the data files that list the articles at positions `first` to `last` (from 0)."""
    return range(first // config.api_per_file + 1, last // config.api_per_file + 2)


def _names(article: Article, key: str, config: SiteConfig) -> list[dict[str, Any]]:
    """The names an article lists under `key`, each with its term page (None when the taxonomy has no pages)."""
    linked = key in config.taxonomies
    return [{"name": name, "url": absolute(config, f"/{key}/{term_slug(name)}/") if linked else None}
            for name in article.terms(key)]


def article_record(article: Article, config: SiteConfig) -> dict[str, Any]:
    """One article as the data files give it: its front matter, with the page of each term."""
    return {
        "slug": article.slug,
        "title": article.title,
        "url": absolute(config, article.url),
        "date": _date(article.date),
        "summary": article.summary,
        "author": article.author,
        "source": article.source,
        "dateline": article.dateline,
        "persons": _names(article, "persons", config),
        "locations": _names(article, "locations", config),
        "organizations": _names(article, "organizations", config),
        "tags": _names(article, "tags", config),
    }


def _listing_record(article: Article, config: SiteConfig) -> dict[str, Any]:
    """An article as a term page lists it."""
    return {"title": article.title, "url": absolute(config, article.url), "date": _date(article.date),
            "summary": article.summary, "dateline": article.dateline, "source": article.source}


def _document(data: Any) -> str:
    return dumps(data) + "\n"


# --------------------------------------------------------------------------- renderers


def render_index(context: Mapping[str, Any], config: SiteConfig) -> str:
    return _document({
        "title": config.title,
        "url": config.base_url,
        "count": context["count"],
        "years": [{"year": year, "count": count, "files": files_for(count, config),
                   "url": absolute(config, year_file(year))} for year, count in context["years"]],
        "taxonomies": [{"key": key, "title": title, "count": count, "files": files_for(count, config),
                        "url": absolute(config, taxonomy_file(key))} for key, title, count in context["taxonomy_files"]],
    })


def _numbering(path_of: Callable[[int], str], number: int, files: int) -> dict[str, Any]:
    """A data file's place among its list's files, for its job's context: which it is, of how many, the paths of
    the next and the previous."""
    return {"number": number, "files": files, "next": path_of(number + 1) if number < files else None,
            "previous": path_of(number - 1) if number > 1 else None}


def _file_links(context: Mapping[str, Any], config: SiteConfig) -> dict[str, Any]:
    """Which of its list's data files this is, of how many, and the next and previous ones' URLs."""
    return {"file": context["number"], "files": context["files"],
            "next": absolute(config, context["next"]) if context["next"] else None,
            "previous": absolute(config, context["previous"]) if context["previous"] else None}


def render_year(context: Mapping[str, Any], config: SiteConfig) -> str:
    return _document({"year": context["year"], "count": context["count"], **_file_links(context, config),
                      "articles": [article_record(a, config) for a in context["articles"]]})


def render_taxonomy(context: Mapping[str, Any], config: SiteConfig) -> str:
    taxonomy: TaxonomyLabel = context["taxonomy"]
    return _document({
        "taxonomy": taxonomy.key,
        "title": taxonomy.title,
        "url": absolute(config, taxonomy.url),
        "count": context["count"],
        **_file_links(context, config),
        "terms": [{"name": t.name, "url": absolute(config, t.url), "data": absolute(config, term_file(t.taxonomy, t.slug)),
                   "count": t.count} for t in context["terms"]],
    })


def render_term(context: Mapping[str, Any], config: SiteConfig) -> str:
    term: TermSummary = context["term"]
    data: dict[str, Any] = {
        "name": term.name,
        "taxonomy": term.taxonomy,
        "url": absolute(config, term.url),
        "feed": absolute(config, f"{term.url}feed.xml"),
        "count": term.count,
        **_file_links(context, config),
        "articles": [_listing_record(a, config) for a in context["articles"]],
    }
    if context["number"] > 1:  # what the term's page shows of it as a whole is in its first file
        return _document(data)
    first, last = context["dates"]
    data["first"], data["last"] = _date(first), _date(last)
    if term.taxonomy == "locations":
        place = context["place"]
        data["place"] = None if place is None else {
            "kind": place.kind, "country": place.country, "latitude": place.latitude, "longitude": place.longitude}
    related = context["related"]
    if related is not None:
        data["appears_with"] = {
            "persons": [{"name": link.name, "url": absolute(config, link.url), "count": n} for link, n in related.persons],
            "locations": [{"name": link.name, "url": absolute(config, link.url), "count": n}
                          for link, n in related.locations],
            "organizations": [{"name": name, "count": n} for name, n in related.organizations],
        }
    return _document(data)


#: Job "templates" rendered by Python rather than Jinja, by name.
DATA_RENDERERS: dict[str, Callable[[Mapping[str, Any], SiteConfig], str]] = {
    "api:index": render_index,
    "api:year": render_year,
    "api:taxonomy": render_taxonomy,
    "api:term": render_term,
}


# --------------------------------------------------------------------------- jobs


def api_pages(archive: Archive, config: SiteConfig, terms: Container[tuple[str, str]] | None = None,
              wanted: Callable[[str], bool] | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, template or renderer, context) of every data file and of the page describing them;
    with `terms`, of those (taxonomy, slug) terms' files alone among the terms'; with `wanted`, of the paths
    it accepts (the others' data is not worked out)."""
    def want(path: str) -> bool:
        return wanted is None or wanted(path)

    years = [(year.year, year.articles) for year in archive.years]
    if archive.undated:
        years.append((None, archive.undated))
    counts = tuple((year, len(articles)) for year, articles in years)
    taxonomies = tuple((key, tax.title, len(tax.terms)) for key, tax in archive.taxonomies.items())
    if want(f"{API_DIR}/index.html"):
        yield (f"{API_DIR}/index.html", "api.html",
               {"section": "api", "count": len(archive.articles), "years": counts, "taxonomy_files": taxonomies})
    if want(f"{API_DIR}/articles.json"):
        yield (f"{API_DIR}/articles.json", "api:index",
               {"count": len(archive.articles), "years": counts, "taxonomy_files": taxonomies})
    step = config.api_per_file
    for year, articles in years:
        path_of = functools.partial(year_file, year)
        files = files_for(len(articles), config)
        for number in range(1, files + 1):
            if want(path_of(number)):
                yield path_of(number), "api:year", {"year": year, "count": len(articles),
                                                    **_numbering(path_of, number, files),
                                                    "articles": tuple(articles[(number - 1) * step: number * step])}
    for key, taxonomy in archive.taxonomies.items():
        path_of = functools.partial(taxonomy_file, key)
        files = files_for(len(taxonomy.terms), config)
        for number in range(1, files + 1):
            if want(path_of(number)):  # its terms by name and count, and the number of them all
                yield path_of(number), "api:taxonomy", {
                    "taxonomy": taxonomy.label, "count": len(taxonomy.terms), **_numbering(path_of, number, files),
                    "terms": tuple(t.summary for t in taxonomy.terms[(number - 1) * step: number * step])}
        for term in taxonomy.terms:
            if terms is not None and (key, term.slug) not in terms:
                continue
            path_of = functools.partial(term_file, key, term.slug)
            files = files_for(len(term.articles), config)
            for number in range(1, files + 1):
                if not want(path_of(number)):
                    continue
                # A file shows the term by name and count (its own articles apart): an edit to a story rewrites
                # the file listing it. The first also shows what the term's page says of the term as a whole.
                context = {"term": term.summary, **_numbering(path_of, number, files),
                           "articles": term.articles[(number - 1) * step: number * step]}
                if number == 1:
                    dates = [a.date for a in term.articles if a.date is not None]
                    context.update({"dates": (min(dates, default=None), max(dates, default=None)),
                                    "place": archive.places.get(term.name) if key == "locations" else None,
                                    "related": archive.related.get((key, term.slug))})
                yield path_of(number), "api:term", context
