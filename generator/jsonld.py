"""schema.org JSON-LD for article and term pages, and JSON that is safe inside HTML.

Search engines and link previews read a page's `<script type="application/ld+json">`:
an article is a `NewsArticle` (headline, date, author, publisher, the people and places
it is about and those it mentions), a person's or place's page a `CollectionPage` about
that `Person` or `Place` whose main entity is the `ItemList` of the articles it lists.

The JSON is made here with `json.dumps`, never by a template, and `<`, `>` and `&` are
written as `\\u003c`, `\\u003e` and `\\u0026`: a headline containing `</script>` stays
inside the string and cannot end the element. The block is data, which browsers never
run, so the Content-Security-Policy needs no script source for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import markupsafe

from generator.archive import term_slug
from generator.config import SiteConfig
from generator.model import Article, Term, TermLink

CONTEXT = "https://schema.org"

#: schema.org type of a term's subject, by taxonomy.
SUBJECT_TYPES = {"persons": "Person", "locations": "Place", "organizations": "Organization", "tags": "DefinedTerm"}

#: Characters HTML could read as markup (and the two line separators JavaScript once did), as JSON escapes.
_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
#: A lone surrogate cannot be written as UTF-8; the page templates drop them too.
_SURROGATES = re.compile("[\ud800-\udfff]")


def dumps(data: Any) -> str:
    """Deterministic JSON (sorted keys, compact) with no character that HTML would read as markup.

    `<`, `>` and `&` only ever occur inside JSON strings, where `\\u003c` means the same,
    so the result parses to exactly `data` and is safe in a `<script>` element and in any
    file a browser might sniff as HTML.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in _ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATES.sub("", text)
    return text


def script_json(data: Any) -> markupsafe.Markup:
    """`data` as the body of a `<script type="application/ld+json">` element."""
    return markupsafe.Markup(dumps(data))


def absolute(config: SiteConfig, url: str) -> str:
    return config.base_url.rstrip("/") + "/" + url.lstrip("/")


# --------------------------------------------------------------------------- articles


_WORD = re.compile(r"\w+")


class _Words:
    """A text's words, to ask whether it names someone (no pattern compiled per name)."""

    def __init__(self, text: str) -> None:
        self.words = _WORD.findall(text)
        self.set = frozenset(self.words)

    def has(self, phrase: Sequence[str]) -> bool:
        if not phrase or phrase[0] not in self.set:
            return False
        n, words = len(phrase), self.words
        return n == 1 or any(words[i:i + n] == list(phrase) for i in range(len(words) - n + 1) if words[i] == phrase[0])


def _named(name: str, kind: str, text: _Words) -> bool:
    """Whether the text names `name`: the whole name, or for a person the surname alone."""
    words = _WORD.findall(name)
    if text.has(words):
        return True
    last = name.split()[-1] if kind == "persons" and len(name.split()) > 1 else ""
    return len(last) >= 3 and last[:1].isupper() and last.isalpha() and last in text.set


def main_subjects(names: Iterable[str], kind: str, headline: str, summary: str) -> set[str]:
    """The people (or places) an article is about: those its headline names, else those its lead names.

    The others it lists are only mentioned. A story's headline and first paragraph say
    who and where it is about; the body names everyone else.
    """
    names = list(names)
    if not names:
        return set()
    title = _Words(headline)
    about = {n for n in names if _named(n, kind, title)}
    if about:
        return about
    lead = _Words(summary)
    return {n for n in names if _named(n, kind, lead)}


def _entities(article: Article, kind: str, links: Mapping[str, TermLink], config: SiteConfig) -> list[tuple[str, dict]]:
    """(name as the article lists it, node) for each distinct term of `kind`, with its page when it has one.

    Only the taxonomies the site is built with: structured data describes what the page shows.
    """
    found: list[tuple[str, dict]] = []
    if kind not in config.taxonomies:
        return found
    seen: set[str] = set()
    for name in article.terms(kind):
        slug = term_slug(name)
        if slug in seen:
            continue
        seen.add(slug)
        link = links.get(slug)
        node: dict[str, Any] = {"@type": SUBJECT_TYPES[kind], "name": link.name if link else name}
        if link is not None:
            node["url"] = absolute(config, link.url)
        found.append((name, node))
    return found


def article_data(article: Article, term_groups: Iterable[Any], config: SiteConfig) -> dict[str, Any]:
    """The `NewsArticle` of an article page; `term_groups` are the page's resolved term links."""
    links: dict[str, dict[str, TermLink]] = {}
    for group in term_groups:
        links.setdefault(group.taxonomy.key, {}).update((link.slug, link) for link in group.terms)
    url = absolute(config, article.url)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": config.language,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
    }
    if article.date is not None:
        data["datePublished"] = article.date.isoformat()
    if article.summary:
        data["description"] = article.summary
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    data["publisher"] = ({"@type": "Organization", "name": article.source} if article.source
                         else {"@type": "Organization", "name": config.title, "url": config.base_url})
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    about: list[dict] = []
    mentions: list[dict] = []
    for kind in ("persons", "locations"):
        entities = _entities(article, kind, links.get(kind, {}), config)
        main = main_subjects((name for name, _ in entities), kind, article.title, article.summary)
        for name, node in entities:
            (about if name in main else mentions).append(node)
    mentions += [node for _, node in _entities(article, "organizations", links.get("organizations", {}), config)]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    tags = [node["name"] for _, node in _entities(article, "tags", links.get("tags", {}), config)]
    if tags:
        data["keywords"] = tags
    return data


# --------------------------------------------------------------------------- term pages


def term_data(term: Term, page: Any, place: Any, config: SiteConfig) -> dict[str, Any]:
    """A term page: a `CollectionPage` about the person, place or tag, whose main entity lists
    the articles this page shows (positions count on across the pages of the listing)."""
    subject: dict[str, Any] = {"@type": SUBJECT_TYPES.get(term.taxonomy, "Thing"), "name": term.name,
                               "url": absolute(config, term.url)}
    if place is not None:
        if place.latitude is not None and place.longitude is not None:
            subject["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
        if place.country and place.kind != "country":
            subject["containedInPlace"] = {"@type": "Country", "name": place.country}
    first = (page.number - 1) * config.per_page
    items = [{"@type": "ListItem", "position": first + number, "url": absolute(config, article.url),
              "name": article.title}
             for number, article in enumerate(page.items, start=1)]
    return {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "name": term.name,
        "url": absolute(config, page.url),
        "inLanguage": config.language,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
        "about": subject,
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": term.count,
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "itemListElement": items,
        },
    }


def template_globals(config: SiteConfig) -> dict[str, Callable[..., markupsafe.Markup]]:
    """What the templates call: `article_jsonld(article, term_groups)`, `term_jsonld(term, page, place)`."""
    return {
        "article_jsonld": lambda article, term_groups: script_json(article_data(article, term_groups, config)),
        "term_jsonld": lambda term, page, place=None: script_json(term_data(term, page, place, config)),
    }
