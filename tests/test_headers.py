"""netlify.toml sends security headers, and its Content-Security-Policy fits what built pages use.

The policy is checked against a freshly built site: everything a page loads or runs must be
allowed, and nothing beyond the site itself and what the pages use may be. A template change
that adds an inline style, a script or another host fails here until the policy says so.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.config import load_config
from generator.content import dump_content
from generator.pipeline import Builder
from tests.helpers import REPO, static_server

SELF = "'self'"
INLINE = "'unsafe-inline'"
#: Where each directive falls back when a policy leaves it out (CSP Level 3).
FALLBACK = {"script-src-elem": "script-src", "script-src-attr": "script-src", "style-src-elem": "style-src",
            "style-src-attr": "style-src", "frame-src": "child-src", "worker-src": "child-src", "child-src": "default-src"}
FETCH = ("script-src", "style-src", "img-src", "font-src", "connect-src", "media-src", "object-src", "frame-src",
         "manifest-src", "worker-src")
_FONT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def netlify_headers() -> dict[str, str]:
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    [rule] = [h for h in config.get("headers", []) if h.get("for") == "/*"]
    return {k.lower(): v for k, v in rule["values"].items()}


def parse_csp(policy: str) -> dict[str, set[str]]:
    directives: dict[str, set[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), set(words[1:]))
    return directives


def effective(csp: dict[str, set[str]], directive: str) -> set[str]:
    while directive not in csp:
        directive = FALLBACK.get(directive, "default-src")
        if directive == "default-src" and directive not in csp:
            return {"*"}
    return csp[directive]


class Needs:
    """What a set of pages needs from a policy: directive -> sources (SELF, INLINE, 'data:', https://host)."""

    def __init__(self, site_origin: str) -> None:
        self.origin = site_origin
        self.sources: dict[str, set[str]] = defaultdict(set)
        self.where: dict[tuple[str, str], str] = {}

    def add(self, directive: str, source: str, where: str) -> None:
        self.sources[directive].add(source)
        self.where.setdefault((directive, source), where)

    def url(self, directive: str, url: str, where: str) -> None:
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            self.add(directive, f"{parts.scheme}:", where)
        elif not parts.netloc and parts.scheme in ("", "http", "https"):
            self.add(directive, SELF, where)
        elif f"{parts.scheme or 'https'}://{parts.netloc}" == self.origin:
            self.add(directive, SELF, where)
        else:
            self.add(directive, f"{parts.scheme or 'https'}://{parts.netloc}", where)

    def css(self, text: str, where: str) -> None:
        for found in _CSS_URL.finditer(text):
            url = found.group(1) or found.group(2)
            if found.group(2):
                self.url("style-src", url, where)
            else:
                self.url("font-src" if _FONT.search(url) else "img-src", url, where)


class _PageScanner(HTMLParser):
    def __init__(self, needs: Needs, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.needs, self.where = needs, where
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        needs, where = self.needs, self.where
        if "style" in a:
            needs.add("style-src-attr", INLINE, f"{where}: style= on <{tag}>")
        for name in a:
            if name.startswith("on"):
                needs.add("script-src-attr", INLINE, f"{where}: {name}= on <{tag}>")
        if tag == "script":
            if a.get("type", "").lower() not in _JS_TYPES:
                return  # a data block (JSON-LD and the like) is never run
            if a.get("src"):
                needs.url("script-src-elem", a["src"], where)
            else:
                self._in, self._text = "script", []
        elif tag == "style":
            self._in, self._text = "style", []
        elif tag == "link":
            rel = set(a.get("rel", "").lower().split())
            href = a.get("href", "")
            if "stylesheet" in rel:
                needs.url("style-src-elem", href, where)
            elif rel & {"icon", "apple-touch-icon"}:
                needs.url("img-src", href, where)
            elif "manifest" in rel:
                needs.url("manifest-src", href, where)
        elif tag in ("img", "source", "video", "audio", "iframe", "embed", "object", "track", "input"):
            directive = {"iframe": "frame-src", "embed": "object-src", "object": "object-src",
                         "video": "media-src", "audio": "media-src", "track": "media-src"}.get(tag, "img-src")
            for key in ("src", "data", "poster"):
                if a.get(key):
                    needs.url("img-src" if key == "poster" else directive, a[key], where)
            for candidate in a.get("srcset", "").split(","):
                if candidate.strip():
                    needs.url("img-src", candidate.split()[0], where)

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            body = "".join(self._text)
            if body.strip():
                kind = "script-src-elem" if tag == "script" else "style-src-elem"
                self.needs.add(kind, INLINE, f"{self.where}: inline <{tag}>")
                if tag == "style":
                    self.needs.css(body, self.where)
            self._in = None


#: What the site's own scripts do that a policy must allow: compile WebAssembly (Pagefind's search engine),
#: start a web worker, fetch files.
_JS_NEEDS = (
    (re.compile(r"WebAssembly\.(instantiate|compile)"), "script-src", "'wasm-unsafe-eval'"),
    (re.compile(r"new Worker\("), "worker-src", SELF),
    (re.compile(r"\bfetch\("), "connect-src", SELF),
)


def scan(public: Path, origin: str) -> Needs:
    needs = Needs(origin)
    for script in sorted(public.rglob("*.js")):
        text = script.read_text(encoding="utf-8", errors="replace")
        for pattern, directive, source in _JS_NEEDS:
            if pattern.search(text):
                needs.add(directive, source, script.relative_to(public).as_posix())
    for page in sorted(public.rglob("*.html")):
        scanner = _PageScanner(needs, page.relative_to(public).as_posix())
        scanner.feed(page.read_text(encoding="utf-8"))
        scanner.close()
    for sheet in sorted(public.rglob("*.css")):
        needs.css(sheet.read_text(encoding="utf-8"), sheet.relative_to(public).as_posix())
    return needs


def problems(csp: dict[str, set[str]], needs: Needs) -> list[str]:
    """What the policy blocks that the pages use, and what it allows that they do not use."""
    found: list[str] = []
    for (directive, source), where in sorted(needs.where.items()):
        allowed = effective(csp, directive)
        if "'none'" in allowed and len(allowed) > 1:
            allowed = allowed - {"'none'"}
        if source in allowed or (source.startswith("https://") and "*" in allowed):
            continue
        found.append(f"{where} needs {source} in {directive}, which allows {sorted(allowed) or ['nothing']}")
    for directive in FETCH:
        used = set().union(*(needs.sources.get(d, set()) for d in (directive, f"{directive}-elem", f"{directive}-attr")))
        extra = effective(csp, directive) - used - {SELF, "'none'"}
        if extra:
            found.append(f"{directive} allows {sorted(extra)}, which no built page uses")
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small site rendered from content files (no ingest): every kind of page the default theme makes."""
    root = tmp_path_factory.mktemp("site")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    for i in range(3):
        meta = {"title": f"Dock strike day {i}", "slug": f"dock-strike-day-{i}", "date": f"2016-05-1{i}",
                "summary": "Dock workers stayed out.", "tags": ["strikes", "ports"], "locations": ["Rotterdam"],
                "persons": ["Anke de Vries"], "organizations": ["FNV"]}
        body = "Dock workers in *Rotterdam* stayed out on strike.\n\n<script>alert(1)</script> is text here.\n"
        (articles / f"dock-strike-day-{i}.md").write_text(dump_content(meta, body), encoding="utf-8")
    Builder(load_config(root), workers=1).build()
    return root / "public"


def test_netlify_sends_the_security_headers():
    headers = netlify_headers()
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    assert headers["x-frame-options"] in {"DENY", "SAMEORIGIN"}
    csp = parse_csp(headers["content-security-policy"])
    assert csp["frame-ancestors"] <= {"'none'", SELF}
    assert csp["default-src"] <= {"'none'", SELF}
    assert effective(csp, "object-src") == {"'none'"}
    for directive in csp.values():
        assert not directive & {"*", "'unsafe-eval'", "http:", "https:"}


def test_the_policy_allows_exactly_what_built_pages_use(built):
    origin = "https://" + urlsplit(load_config(built.parent).base_url).netloc
    needs = scan(built, origin)
    assert needs.where, "the scan found nothing at all; is the site built?"
    assert problems(parse_csp(netlify_headers()["content-security-policy"]), needs) == []


def test_the_check_notices_a_page_that_needs_more(tmp_path):
    """The scan is not vacuous: an inline script, a style attribute and another host's image are caught."""
    (tmp_path / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="/static/style.css"></head><body>'
        '<p style="color: red">x</p><script>alert(1)</script><img src="https://cdn.example.com/a.png">'
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></body></html>', encoding="utf-8")
    csp = parse_csp(netlify_headers()["content-security-policy"])
    found = "\n".join(problems(csp, scan(tmp_path, "https://broadsheet.netlify.app")))
    assert "inline <script>" in found and "style= on <p>" in found and "https://cdn.example.com" in found
    assert "ld+json" not in found
    loose = parse_csp("default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
    assert any("'unsafe-inline'" in p for p in problems(loose, scan(tmp_path.parent / "nothing", "https://x")))


# --------------------------------------------------------------------------- in a browser, with the headers sent

#: Catches what the policy blocks, as the page sees it.
_REPORT_VIOLATIONS = ("window.__violations = [];"
                      "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
                      "e.violatedDirective + ' ' + e.blockedURI));")


def search_under_policy(browser, public: Path, headers: dict[str, str]) -> tuple[list[str], list[str], int]:
    """Search from the header box of the home page, apply a filter; returns the violations, the console's
    errors and warnings, and how many results the search showed."""

    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(_REPORT_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    violations: list[str] = []
    try:
        with static_server(public, headers) as origin:
            page.goto(f"{origin}/")
            page.fill("#site-search-q", "strike")
            page.keyboard.press("Enter")  # the field has focus; a blocked form just stays put
            try:
                page.wait_for_url("**/search/?q=strike", timeout=5000)
                page.wait_for_selector(".pagefind-ui__result-link", timeout=8000)
                page.locator("summary", has_text="Place").click()
                page.locator("input.pagefind-ui__filter-checkbox[name='place']").first.check()
                page.wait_for_timeout(300)
            except Exception:  # noqa: BLE001 - a blocked search shows no results; the violations say why
                pass
            violations = page.evaluate("window.__violations")
            shown = page.locator(".pagefind-ui__result-link").count()
    finally:
        context.close()
    return violations, console, shown


@pytest.mark.browser
def test_search_runs_under_the_policy_with_no_violation(built, browser):
    headers = {name.title(): value for name, value in netlify_headers().items()}
    violations, console, shown = search_under_policy(browser, built, headers)
    assert violations == []
    assert [m for m in console if "Content Security Policy" in m or "Pagefind" in m] == []
    assert shown == 3


@pytest.mark.browser
@pytest.mark.parametrize("directive", ["script-src", "connect-src", "worker-src", "form-action"])
def test_each_widening_is_needed(built, browser, directive):
    """Take back what the policy allows search for, one directive at a time: search then breaks (no results,
    or no search page for a blocked form), or, for the worker, the page reports the violation (Pagefind then
    searches on the page's main thread instead)."""
    csp = parse_csp(netlify_headers()["content-security-policy"])
    csp[directive] = {SELF} if directive == "script-src" else {"'none'"}
    policy = "; ".join(f"{name} {' '.join(sorted(sources))}" for name, sources in csp.items())
    violations, console, shown = search_under_policy(browser, built, {"Content-Security-Policy": policy})
    assert shown == 0 or any(v.split()[0] == directive for v in violations), (violations, console)
