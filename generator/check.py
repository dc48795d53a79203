"""Check a built site as a reader's browser and a feed reader would meet it.

`python build.py check` reads the output folder only (never the sources), so it can
check any build, and it finds what a reader would trip over: links and anchors that go
nowhere, HTML a browser has to guess at, feeds a reader rejects, sitemap entries with
no page, pages that make the browser ask another host for something, two pages
that cannot be told apart by their title, and JSON (a page's JSON-LD, the data files)
that does not parse or points at pages the site does not have.

Each file is read and parsed once, in forked workers; the checks that need the whole
site (anchors into other pages, shared titles) run afterwards on what the workers found.
"""

from __future__ import annotations

import json
import os
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from generator.parallel import cpu_workers, fork_map

#: html5lib error codes that do not change the tree a browser builds or its rendering
#: mode, so they are not reported. "unknown-doctype": html5lib names every doctype but
#: `<!doctype html>` an error, including legacy XHTML/HTML 4 strict doctypes that keep
#: browsers in standards mode; a theme may still use one.
HARMLESS_PARSE_ERRORS = frozenset({"unknown-doctype"})

#: At most this many parse errors are listed per page; the rest are counted.
MAX_PARSE_ERRORS_PER_PAGE = 3

#: Elements whose src/srcset/poster/data makes the browser fetch something.
LOADING_ELEMENTS = frozenset({"script", "img", "iframe", "frame", "embed", "object", "source",
                              "video", "audio", "track", "input"})
#: `<link rel=…>` values that fetch something or open a connection to the host.
LOADING_RELS = frozenset({"stylesheet", "preload", "modulepreload", "prefetch", "icon", "apple-touch-icon",
                          "apple-touch-icon-precomposed", "mask-icon", "manifest", "preconnect", "dns-prefetch"})
#: Schemes that are not pages or files of this site and not another host's either.
IGNORED_SCHEMES = frozenset({"mailto", "tel", "data", "javascript", "about", "blob", "sms", "geo"})

_PAGINATION = re.compile(r"(^|/)page/\d+/index\.html$")
_ARTICLE = re.compile(r"^articles/[^/]+/index\.html$")
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Problem:
    path: str  # the file the problem is on, relative to the output folder
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class _Site:
    """What every worker needs to resolve a link: the files there are and where the site is published."""

    files: frozenset[str]
    base_scheme_host: tuple[str, str]
    base_path: str


@dataclass
class _Facts:
    """What one file told the workers; the whole-site checks are made from these."""

    path: str
    kind: str  # "page", "feed", "data" (a JSON file) or "other"
    problems: list[Problem] = field(default_factory=list)
    title: str | None = None
    heading: str | None = None
    ids: frozenset[str] = frozenset()
    #: Links into other pages with a fragment: (target file, fragment, the link as written).
    anchors: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CheckResult:
    problems: list[Problem]
    pages: int
    feeds: int
    sitemap_urls: int
    seconds: float
    #: JSON files (the data files of `api` in site.toml).
    data_files: int = 0

    def summary(self) -> str:
        found = (f"{len(self.problems)} problem(s) in {len({p.path for p in self.problems})} file(s)"
                 if self.problems else "no problems")
        data = f", {self.data_files} JSON file(s)" if self.data_files else ""
        return (f"Checked {self.pages} page(s), {self.feeds} feed(s){data} and {self.sitemap_urls} sitemap URL(s) "
                f"in {self.seconds:.1f} s: {found}")


def _site(output: Path, base_url: str) -> _Site:
    files: set[str] = set()
    for folder, _dirs, names in os.walk(output):
        rel = os.path.relpath(folder, output)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        files.update(prefix + name for name in names)
    base = urlsplit(base_url)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    return _Site(frozenset(files), (base.scheme.lower(), base.netloc.lower()), base_path)


def page_url(path: str) -> str:
    """The URL a file is served at: `x/index.html` is `/x/`."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def _target_file(site: _Site, url_path: str) -> str | None:
    """The output file a site path is served from, or None; pretty URLs: `/x/` is `x/index.html`."""
    rel = unquote(url_path).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
        return rel if rel in site.files else None
    if rel in site.files:
        return rel
    return rel + "/index.html" if rel + "/index.html" in site.files else None


def _expected_file(site_path: str) -> str:
    rel = unquote(site_path).lstrip("/")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _site_path(site: _Site, absolute: str) -> str | None:
    """The site path of an absolute URL at the published address (base_url), else None."""
    parts = urlsplit(absolute)
    if (parts.scheme.lower(), parts.netloc.lower()) != site.base_scheme_host:
        return None
    path = parts.path or "/"
    if not (path + "/").startswith(site.base_path) and path != site.base_path.rstrip("/"):
        return None
    return "/" + path[len(site.base_path):] if path.startswith(site.base_path) else "/"


# -- pages -------------------------------------------------------------------------------


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _references(root) -> tuple[list[tuple[str, str, str, frozenset[str]]], set[str], str | None, str | None, str | None]:
    """(tag, attribute, value, rel) of every reference, the ids, the title, the first h1 and <base href>."""
    refs: list[tuple[str, str, str, frozenset[str]]] = []
    ids: set[str] = set()
    title = heading = base = None
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments, doctype
        attrib = element.attrib
        if attrib:
            if "id" in attrib:
                ids.add(attrib["id"])
            if tag == "a" and "name" in attrib:
                ids.add(attrib["name"])
            rel = frozenset(attrib.get("rel", "").lower().split()) if "rel" in attrib else frozenset()
            for name in ("href", "src", "poster"):
                value = attrib.get(name)
                if value is not None and value.strip():
                    refs.append((tag, name, value.strip(), rel))
            if tag == "object" and attrib.get("data", "").strip():
                refs.append((tag, "data", attrib["data"].strip(), rel))
            srcset = attrib.get("srcset") or attrib.get("imagesrcset")
            if srcset:
                for candidate in srcset.split(","):
                    if candidate.strip():
                        refs.append((tag, "srcset", candidate.split()[0], rel))
            if tag == "base" and base is None and attrib.get("href"):
                base = attrib["href"]
        if tag == "title" and title is None:
            title = _text(element)
        elif tag == "h1" and heading is None:
            heading = _text(element)
    return refs, ids, title, heading, base


def _is_load(tag: str, attribute: str, rel: frozenset[str]) -> bool:
    if tag == "link":
        return bool(rel & LOADING_RELS)
    return tag in LOADING_ELEMENTS and attribute != "href"


def _check_page(site: _Site, path: str, data: bytes) -> _Facts:
    import html5lib
    from html5lib.constants import E

    facts = _Facts(path, "page")
    problems = facts.problems
    parser = html5lib.HTMLParser(strict=False, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    try:
        root = parser.parse(data)
    except Exception as exc:  # html5lib recovers from everything short of a bug; say so, don't crash
        problems.append(Problem(path, f"HTML could not be parsed at all ({type(exc).__name__}: {exc})"))
        return facts
    errors = [e for e in parser.errors if e[1] not in HARMLESS_PARSE_ERRORS]
    for (line, column), code, variables in errors[:MAX_PARSE_ERRORS_PER_PAGE]:
        try:
            text = E.get(code, code) % (variables or {})
        except (KeyError, TypeError, ValueError):
            text = code
        problems.append(Problem(path, f"HTML parse error at line {line}, column {column}: {text} ({code})"))
    if len(errors) > MAX_PARSE_ERRORS_PER_PAGE:
        problems.append(Problem(path, f"{len(errors) - MAX_PARSE_ERRORS_PER_PAGE} more HTML parse error(s)"))

    problems += _check_json_ld(site, path, root)
    refs, ids, title, heading, base = _references(root)
    facts.ids, facts.title, facts.heading = frozenset(ids), title, heading
    if not title:
        problems.append(Problem(path, "the page has no <title>"))
    here = page_url(path)
    if base:
        here = urljoin(here, base)
    is_404 = path == "404.html"
    resolved: dict[str, str | None] = {}
    for tag, attribute, value, rel in refs:
        where = f"<{tag} {attribute}=\"{value}\">"
        absolute = urljoin(here, value)
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme in IGNORED_SCHEMES:
            continue
        if scheme and scheme not in ("http", "https"):
            if _is_load(tag, attribute, rel):
                problems.append(Problem(path, f"{where} loads from a {scheme}: URL"))
            continue
        site_path = _site_path(site, absolute) if (scheme or parts.netloc) else (parts.path or "/")
        if site_path is None:
            if _is_load(tag, attribute, rel):
                problems.append(Problem(path, f"{where} loads from another host ({parts.netloc}); "
                                              "serve it from the site itself"))
            continue  # a plain link to another site is fine
        if is_404 and not value.startswith(("/", "#")) and not scheme:
            problems.append(Problem(path, f"{where} is relative; the 404 page is served at any URL, "
                                          "so its links must start with /"))
            continue
        if value.startswith("#") and not base:
            target: str | None = path
        else:
            if site_path not in resolved:
                resolved[site_path] = _target_file(site, site_path)
            target = resolved[site_path]
        if target is None:
            problems.append(Problem(path, f"{where} goes nowhere: no {_expected_file(site_path)} in the output"))
            continue
        fragment = unquote(parts.fragment)
        if not fragment or fragment.lower() == "top" or not target.endswith(".html"):
            continue
        if target == path:
            if fragment not in ids:
                problems.append(Problem(path, f"{where} points at #{fragment}, which is not an id on this page"))
        else:
            facts.anchors.append((target, fragment, where))
    return facts


# -- JSON: JSON-LD in pages, data files ---------------------------------------------------------


def _strings(value: object):
    """Every string value (not key) in parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _dangling_urls(site: _Site, data: object) -> list[tuple[str, str]]:
    """(URL, expected file) of each absolute URL at the site's base_url with no file in the output."""
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()
    for text in _strings(data):
        if not text.startswith(("http://", "https://")) or text in seen:
            continue
        seen.add(text)
        site_path = _site_path(site, text)
        if site_path is not None and _target_file(site, site_path) is None:
            missing.append((text, _expected_file(site_path)))
    return missing


def _check_json_ld(site: _Site, path: str, root) -> list[Problem]:
    """Each `<script type="application/ld+json">` parses as JSON, and its URLs on the site have pages."""
    problems: list[Problem] = []
    blocks = [s for s in root.iter("script") if s.get("type", "").split(";")[0].strip().lower() == "application/ld+json"]
    for number, script in enumerate(blocks, 1):
        try:
            data = json.loads(script.text or "")
        except ValueError as exc:
            problems.append(Problem(path, f"JSON-LD block {number} does not parse as JSON: {exc}"))
            continue
        for url, expected in _dangling_urls(site, data):
            problems.append(Problem(path, f"JSON-LD block {number} names {url}, but there is no {expected} in the output"))
    return problems


def _check_data(site: _Site, path: str, data: bytes) -> _Facts:
    facts = _Facts(path, "data")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        facts.problems.append(Problem(path, f"does not parse as JSON: {exc}"))
        return facts
    for url, expected in _dangling_urls(site, parsed):
        facts.problems.append(Problem(path, f"names {url}, but there is no {expected} in the output"))
    return facts


# -- feeds and the sitemap ---------------------------------------------------------------


def _check_feed(site: _Site, path: str, data: bytes) -> _Facts:
    import feedparser

    facts = _Facts(path, "feed")
    parsed = feedparser.parse(data)
    if parsed.bozo:
        exception = parsed.get("bozo_exception")
        facts.problems.append(Problem(path, f"the feed does not parse cleanly: {exception}"))
    links = [(link.get("href", ""), "feed") for link in parsed.feed.get("links", [])]
    for number, entry in enumerate(parsed.entries, 1):
        entry_links = entry.get("links", [])
        if not entry_links:
            facts.problems.append(Problem(path, f"entry {number} ({entry.get('title', 'untitled')!r}) has no link"))
        links += [(link.get("href", ""), f"entry {number}") for link in entry_links]
    for href, owner in links:
        site_path = _site_path(site, href)
        if site_path is None:
            if urlsplit(href).scheme in ("http", "https", ""):
                facts.problems.append(Problem(path, f"{owner} links to {href}, which is not under the site's "
                                                    "base_url (site.toml)"))
            continue
        if _target_file(site, site_path) is None:
            facts.problems.append(Problem(path, f"{owner} links to {href}, but there is no "
                                                f"{_expected_file(site_path)} in the output"))
    return facts


def _check_sitemap(site: _Site, path: str, data: bytes) -> tuple[list[Problem], int]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [Problem(path, f"the sitemap is not well-formed XML: {exc}")], 0
    problems: list[Problem] = []
    locs = [(loc.text or "").strip() for loc in root.iter(f"{_SITEMAP_NS}loc")]
    for url in locs:
        site_path = _site_path(site, url)
        if site_path is None:
            problems.append(Problem(path, f"{url} is not under the site's base_url (site.toml)"))
        elif _target_file(site, site_path) is None:
            problems.append(Problem(path, f"{url} has no page: no {_expected_file(site_path)} in the output"))
    return problems, len(locs)


def _check_files(site: _Site, output: Path, paths: Sequence[str]) -> list[_Facts]:
    """One worker's share: read each file once and check what can be checked alone."""
    results = []
    for path in paths:
        data = (output / path).read_bytes()
        if path.endswith(".html"):
            results.append(_check_page(site, path, data))
        elif path.endswith(".json"):
            results.append(_check_data(site, path, data))
        else:
            results.append(_check_feed(site, path, data))
    return results


# -- the whole site ----------------------------------------------------------------------


def _listing(path: str) -> str:
    """Pages of one paginated listing share this key: `tags/x/page/2/index.html` -> `tags/x/index.html`."""
    return _PAGINATION.sub(r"\1index.html", path)


def shared_titles(pages: Sequence[_Facts]) -> list[Problem]:
    """Two pages may share a <title> only when a reader could not have told them apart anyway.

    Allowed: the pages of one paginated listing (`x/` and `x/page/2/`), and article pages
    whose headline (first <h1>) is the same too: two stories may really carry the same
    headline. Everything else is reported on every page but the first (by path).
    """
    by_title: dict[str, list[_Facts]] = defaultdict(list)
    for page in pages:
        if page.title:
            by_title[page.title].append(page)
    problems = []
    for title, group in by_title.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda p: p.path)
        if len({_listing(p.path) for p in group}) == 1:
            continue
        if all(_ARTICLE.match(p.path) for p in group) and len({p.heading for p in group}) == 1:
            continue
        first = group[0].path
        seen_listings = {_listing(first)}
        for page in group[1:]:
            if _listing(page.path) in seen_listings:
                continue
            seen_listings.add(_listing(page.path))
            problems.append(Problem(page.path, f"same <title> \"{title}\" as {first}; "
                                               "give each page a title of its own"))
    return problems


def check_site(output: Path, base_url: str, workers: int | None = None) -> CheckResult:
    """Check every page, feed, JSON file and sitemap under `output`; the problems come back sorted by file."""
    started = time.perf_counter()
    site = _site(output, base_url)
    to_parse = sorted(p for p in site.files
                      if p.endswith((".html", ".json")) or p.rsplit("/", 1)[-1] == "feed.xml")
    facts = fork_map(partial(_check_files, site, output), to_parse,
                     workers=cpu_workers() if workers is None else workers, min_items=100)
    problems = [problem for fact in facts for problem in fact.problems]
    pages = [fact for fact in facts if fact.kind == "page"]
    ids = {fact.path: fact.ids for fact in pages}
    for fact in pages:
        for target, fragment, where in fact.anchors:
            if fragment not in ids.get(target, frozenset()):
                problems.append(Problem(fact.path, f"{where} points at #{fragment}, which is not an id on {target}"))
    problems += shared_titles(pages)
    sitemap_urls = 0
    for path in sorted(p for p in site.files if re.fullmatch(r"(.*/)?sitemap[^/]*\.xml", p)):
        found, count = _check_sitemap(site, path, (output / path).read_bytes())
        problems += found
        sitemap_urls += count
    order = {path: number for number, path in enumerate(sorted({p.path for p in problems}))}
    problems.sort(key=lambda p: order[p.path])  # stable: a file's problems stay in the order found
    feeds = sum(1 for fact in facts if fact.kind == "feed")
    data_files = sum(1 for fact in facts if fact.kind == "data")
    return CheckResult(problems, len(pages), feeds, sitemap_urls, time.perf_counter() - started, data_files)
