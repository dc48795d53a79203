"""The render stage end to end: build a small site into tmp_path and read it as a visitor would."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.archive import build_archive, term_slug
from generator.config import SiteConfig
from generator.errors import BuildError
from generator.model import Article
from generator.render import render_site
from tests.helpers import site_files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE_URL = "https://news.example.org/"
HAZARD_TITLE = "Markets <script>alert(1)</script> & bonds"


def make_articles() -> list[Article]:
    articles = [
        Article(
            slug="dock-workers-end-strike",
            title="Dock workers end strike at Rotterdam port",
            summary="Dock workers in Rotterdam voted on Thursday to end a nine-day strike.",
            body_html="<p>Dock workers in <em>Rotterdam</em> voted to end the strike.</p>",
            date=dt.date(2016, 5, 12),
            dateline="Rotterdam",
            source="Reuters",
            author="Jane Doe",
            tags=("strikes", "ports"),
            locations=("Rotterdam", "Netherlands"),
            persons=("Anke de Vries",),
            organizations=("FNV",),
        ),
        Article(
            slug="markets-hazard",
            title=HAZARD_TITLE,
            summary="Traders <b>watched</b> & waited.",
            body_html="<p>Body with &lt;tags&gt; already escaped.</p>",
            date=dt.date(2016, 5, 3),
            tags=("markets", "Popular"),
            locations=("London",),
        ),
        Article(
            slug="undated-note",
            title="A note with no date",
            summary="Nobody knows when this was written.",
            body_html="<p>Undated.</p>",
            persons=("Anke de Vries",),
        ),
    ]
    for i in range(45):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=7 * i)
        articles.append(
            Article(
                slug=f"filler-{i:02d}",
                title=f"Filler story number {i:02d}",
                summary=f"Summary {i}.",
                body_html=f"<p>Filler body {i}.</p>",
                date=day,
                tags=("filler",) + (("wages",) if i % 2 else ()),
                locations=("Netherlands",),
                persons=("Pieter Bakker",) if i % 3 == 0 else (),
            )
        )
    return articles


def make_config(root: Path, **overrides) -> SiteConfig:
    values = dict(root=root, output=root / "public", base_url=BASE_URL, per_page=20, feed_entries=10)
    values.update(overrides)
    return SiteConfig(**values)


def build(root: Path, **overrides) -> tuple[SiteConfig, int]:
    config = make_config(root, **overrides)
    archive = build_archive(make_articles(), config.taxonomies)
    return config, render_site(archive, config)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    build(root)
    return root / "public"


class PageParser(HTMLParser):
    """Collects what the tests look at: tags by name, links, text of the title and h1s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[str] = []
        self.h1_text: list[str] = []
        self._in_h1 = False

    _svg = 0  # depth inside inline SVG, whose <title>s name pictures, not the page

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._svg += tag == "svg"
        self.tags.append((f"svg:{tag}" if self._svg and tag != "svg" else tag, attributes))
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if tag == "h1":
            self._in_h1 = True
            self.h1_text.append("")

    def handle_endtag(self, tag):
        self._svg -= tag == "svg" and self._svg > 0
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1_text[-1] += data

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    def find(self, tag: str, **attrs) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def resolve(public: Path, href: str) -> Path | None:
    """The file an internal root-relative link serves, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "data:", "mailto:")):
        return None
    assert href.startswith("/"), f"internal link is not root-relative: {href}"
    path = parts.path
    target = public / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def html_pages(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def snapshot(public: Path) -> dict[str, bytes]:
    return site_files(public)


# --------------------------------------------------------------------------- pages and URLs


def test_pages_exist_at_their_urls(site: Path):
    expected = [
        "index.html", "page/2/index.html", "page/3/index.html",
        "articles/dock-workers-end-strike/index.html", "articles/markets-hazard/index.html",
        "articles/undated-note/index.html", "articles/filler-00/index.html",
        "tags/index.html", "tags/most-covered/index.html",  # the "most covered" view moves aside...
        "tags/popular/index.html",  # ...because a tag called "Popular" owns /tags/popular/
        "tags/filler/index.html", "tags/filler/page/2/index.html", "tags/filler/page/3/index.html",
        "tags/filler/feed.xml", "locations/index.html", "locations/popular/index.html",
        "locations/rotterdam/index.html", "persons/anke-de-vries/index.html",
        "archive/index.html", "archive/2016/index.html", "archive/2016/05/index.html",
        "archive/2015/01/index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt",
        "static/style.css",
    ]
    missing = [p for p in expected if not (site / p).is_file()]
    assert not missing
    assert not (site / "page" / "4").exists()
    assert not (site / "organizations").exists()  # not configured


def test_render_returns_number_of_files(tmp_path: Path):
    _, result = build(tmp_path)
    assert result.files == sum(1 for p in (tmp_path / "public").rglob("*") if p.is_file())


def test_every_page_is_a_complete_html5_document(site: Path):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        parsed = parse(page)
        assert text.startswith("<!doctype html>"), page
        assert parsed.find("html", lang="en"), page
        assert parsed.find("meta", charset="utf-8"), page
        assert parsed.find("meta", name="viewport"), page
        assert parsed.find("meta", name="description"), page
        assert parsed.count("title") == 1, page
        assert parsed.count("h1") == 1, page
        assert parsed.count("main") == 1 and parsed.count("footer") >= 1, page
        assert parsed.find("link", rel="alternate", type="application/atom+xml"), page
        scripts = [a for t, a in parsed.tags if t == "script" and a.get("type") != "application/ld+json"]
        # Search is the one page that runs scripts, and only the site's own files (JSON-LD blocks are data).
        if page.relative_to(site).as_posix() == "search/index.html":
            assert len(scripts) == 2 and all(a.get("src") for a in scripts), page
        else:
            assert not scripts, page


def test_navigation_lists_configured_sections(site: Path):
    nav = (site / "index.html").read_text(encoding="utf-8").split('<nav class="site-nav"')[1].split("</nav>")[0]
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs == ["/", "/tags/", "/locations/", "/persons/", "/archive/"]
    assert ">People<" in nav


def test_every_internal_link_resolves(site: Path):
    broken = []
    for page in html_pages(site):
        for href in parse(page).links:
            target = resolve(site, href)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert not broken


def test_no_request_to_another_host(site: Path):
    for page in html_pages(site):
        for tag, attrs in parse(page).tags:
            if tag in ("link", "script", "img", "iframe"):
                url = attrs.get("href") or attrs.get("src") or ""
                assert not urlsplit(url).netloc, f"{page}: {url}"
    assert "url(http" not in (site / "static/style.css").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- escaping


def test_hazardous_title_is_escaped_everywhere(site: Path):
    for rel in ("index.html", "articles/markets-hazard/index.html", "tags/markets/index.html", "feed.xml"):
        text = (site / rel).read_text(encoding="utf-8")
        assert "<script>" not in text, rel
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; bonds" in text, rel
    page = parse(site / "articles/markets-hazard/index.html")
    assert page.h1_text == [HAZARD_TITLE]
    text = (site / "articles/markets-hazard/index.html").read_text(encoding="utf-8")
    assert "Traders &lt;b&gt;watched&lt;/b&gt; &amp; waited." in text  # summary in meta description
    assert "<p>Body with &lt;tags&gt; already escaped.</p>" in text  # body_html is trusted, not re-escaped


# --------------------------------------------------------------------------- article page


def test_article_page_shows_metadata_and_term_links(site: Path):
    path = site / "articles/dock-workers-end-strike/index.html"
    text = path.read_text(encoding="utf-8")
    assert '<time datetime="2016-05-12">12 May 2016</time>' in text
    assert "Rotterdam" in text and "Reuters" in text and "Jane Doe" in text
    assert "<p>Dock workers in <em>Rotterdam</em> voted to end the strike.</p>" in text
    links = parse(path).links
    for href in ("/tags/strikes/", "/tags/ports/", "/locations/rotterdam/", "/locations/netherlands/",
                 "/persons/anke-de-vries/"):
        assert href in links
    assert not any(h.startswith("/organizations/") for h in links)  # taxonomy not configured
    assert "FNV" not in text


def test_organizations_linked_when_configured(tmp_path: Path):
    build(tmp_path, taxonomies=("tags", "locations", "persons", "organizations"))
    public = tmp_path / "public"
    assert "/organizations/fnv/" in parse(public / "articles/dock-workers-end-strike/index.html").links
    assert (public / "organizations/fnv/index.html").is_file()
    assert "/organizations/" in parse(public / "index.html").links


def test_undated_article(site: Path):
    text = (site / "articles/undated-note/index.html").read_text(encoding="utf-8")
    header = text[text.index('<header class="article__header">'):text.index("</header>", text.index("article__header"))]
    assert "Undated" in header and "<time" not in header  # related stories below may carry their own dates
    archive = parse(site / "archive/index.html")
    assert "/archive/undated/" in archive.links and "/articles/undated-note/" not in archive.links
    assert "/articles/undated-note/" in parse(site / "archive/undated/index.html").links


def test_undated_stories_have_pages_of_their_own_by_headline(tmp_path: Path):
    """Some archives date none of their stories (the BBC's carries no dates): the archive's index gives their
    count and a link, and /archive/undated/ lists them by headline, `per_page` a page."""
    articles = [Article(slug=f"u{i}", title=f"Headline {chr(ord('z') - i)}", summary="", body_html="<p>x</p>")
                for i in range(7)] + [Article(slug="dated", title="Dated", summary="", body_html="<p>x</p>",
                                              date=dt.date(2020, 1, 1))]
    config = make_config(tmp_path, per_page=3)
    render_site(build_archive(articles, config.taxonomies), config)
    public = tmp_path / "public"
    index = (public / "archive/index.html").read_text(encoding="utf-8")
    assert "All 7 articles without a date" in index and "Headline" not in index
    pages = [public / "archive/undated/index.html", *(public / f"archive/undated/page/{n}/index.html" for n in (2, 3))]
    listed = [[h for h in parse(page).links if h.startswith("/articles/u")] for page in pages]
    assert listed == [["/articles/u6/", "/articles/u5/", "/articles/u4/"], ["/articles/u3/", "/articles/u2/",
                      "/articles/u1/"], ["/articles/u0/"]]  # A–Z by headline: "Headline t" first
    assert not (public / "archive/undated/page/4").exists()
    assert "/archive/undated/page/2/" in (public / "sitemap.xml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- listings


def article_links(path: Path) -> list[str]:
    return [h for h in parse(path).links if h.startswith("/articles/")]


def test_home_is_paginated_newest_first(site: Path):
    first, second, third = (article_links(site / p) for p in
                            ("index.html", "page/2/index.html", "page/3/index.html"))
    assert len(first) == 20 and len(second) == 20 and len(third) == 8
    assert first[0] == "/articles/dock-workers-end-strike/"
    assert third[-1] == "/articles/undated-note/"  # undated last
    assert len(set(first + second + third)) == 48
    text = (site / "page/2/index.html").read_text(encoding="utf-8")
    assert "Page 2 of 3" in text
    links = parse(site / "page/2/index.html").links
    assert "/" in links and "/page/3/" in links
    assert 'rel="prev"' in text and 'rel="next"' in text


def test_taxonomy_index_and_most_covered_view(site: Path):
    index = site / "locations/index.html"
    popular = site / "locations/popular/index.html"
    assert "/locations/popular/" in parse(index).links
    assert "/locations/" in parse(popular).links
    alphabetical = [h for h in parse(index).links if re.fullmatch(r"/locations/[^/]+/", h) and "popular" not in h]
    assert alphabetical == ["/locations/london/", "/locations/netherlands/", "/locations/rotterdam/"]
    ranked = [h for h in parse(popular).links if re.fullmatch(r"/locations/[^/]+/", h) and "popular" not in h]
    assert ranked[0] == "/locations/netherlands/"  # 46 articles
    assert "46 articles" in index.read_text(encoding="utf-8")


def test_term_page_is_paginated_with_a_feed(site: Path):
    first = article_links(site / "tags/filler/index.html")
    assert len(first) == 20
    assert "Page 1 of 3" in (site / "tags/filler/index.html").read_text(encoding="utf-8")
    assert len(article_links(site / "tags/filler/page/3/index.html")) == 5
    feed = ET.parse(site / "tags/filler/feed.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 10


def test_date_archives(site: Path):
    assert "/archive/2016/05/" in parse(site / "archive/index.html").links
    may = article_links(site / "archive/2016/05/index.html")
    assert may == ["/articles/dock-workers-end-strike/", "/articles/markets-hazard/"]
    assert "/archive/2016/05/" in parse(site / "archive/2016/index.html").links


# --------------------------------------------------------------------------- feeds, sitemap, robots


def test_site_feed_is_valid_atom(site: Path):
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE_URL
    assert feed.findtext(f"{ATOM}title")
    assert feed.findtext(f"{ATOM}updated") == "2016-05-12T00:00:00Z"  # newest article, not now
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 10
    for entry in entries:
        for child in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{child}"), child
        assert entry.find(f"{ATOM}link").get("href").startswith(BASE_URL)
    assert entries[1].findtext(f"{ATOM}title") == HAZARD_TITLE


def test_feed_of_an_empty_site_uses_a_fixed_date(tmp_path: Path):
    config = make_config(tmp_path)
    render_site(build_archive([], config.taxonomies), config)
    feed = ET.parse(tmp_path / "public/feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert (tmp_path / "public/index.html").is_file()


def test_sitemap_lists_every_html_page_with_absolute_urls(site: Path):
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [el.text for el in root.iter(f"{SITEMAP}loc")]
    assert all(loc.startswith(BASE_URL) for loc in locs)
    assert BASE_URL in locs and BASE_URL + "articles/markets-hazard/" in locs
    assert not any("404" in loc for loc in locs)
    pages = {p.relative_to(site).as_posix() for p in html_pages(site)} - {"404.html"}
    assert len(locs) == len(set(locs)) == len(pages)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and f"Sitemap: {BASE_URL}sitemap.xml" in robots


def test_a_site_over_the_sitemap_limit_gets_a_sitemap_index(tmp_path, monkeypatch):
    """The protocol allows 50,000 URLs a sitemap; past that, sitemap.xml indexes several (a 100,000-article archive)."""
    monkeypatch.setattr("generator.render.SITEMAP_URLS", 40)
    build(tmp_path)
    public = tmp_path / "public"
    index = ET.parse(public / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [el.text for el in index.iter(f"{SITEMAP}loc")]
    assert parts and parts[0] == BASE_URL + "sitemap-1.xml"
    locs: list[str] = []
    for url in parts:
        part = ET.parse(public / url.removeprefix(BASE_URL)).getroot()
        assert part.tag == f"{SITEMAP}urlset"
        found = [el.text for el in part.iter(f"{SITEMAP}loc")]
        assert 0 < len(found) <= 40
        locs += found
    pages = {p.relative_to(public).as_posix() for p in html_pages(public)} - {"404.html"}
    assert len(locs) == len(set(locs)) == len(pages)


def test_404_page_uses_root_relative_links(site: Path):
    links = parse(site / "404.html").links
    assert links and all(h.startswith("/") or h.startswith("#") or h.startswith("data:") for h in links)
    assert "/static/style.css" in links


# --------------------------------------------------------------------------- build behaviour


def test_two_renders_are_byte_identical(tmp_path: Path):
    build(tmp_path / "a")
    build(tmp_path / "b")
    first, second = snapshot(tmp_path / "a/public"), snapshot(tmp_path / "b/public")
    assert first.keys() == second.keys()
    assert first == second


def test_a_first_build_made_a_batch_at_a_time_is_the_same_site(tmp_path: Path, monkeypatch):
    """A first build makes, renders and lets go its pages a batch at a time (so it never holds every page); the
    batches, each shared with a forked worker, make the site one batch makes, sitemap and pages alike."""
    from generator import render

    config = make_config(tmp_path / "whole")
    render_site(build_archive(make_articles(), config.taxonomies), config, workers=2)
    batches: list[int] = []
    real = render.fork_map

    def counted(func, items, *args, **kwargs):
        batches.append(len(items))
        return real(func, items, *args, **{**kwargs, "min_items": 1})

    monkeypatch.setattr(render, "RENDER_BATCH", 7)
    monkeypatch.setattr(render, "fork_map", counted)
    config = make_config(tmp_path / "batched")
    result = render_site(build_archive(make_articles(), config.taxonomies), config, workers=2)
    assert len(batches) > 10 and max(batches) == 7
    assert sum(batches) == result.rendered - len(render.static_sources(config))
    assert snapshot(tmp_path / "batched/public") == snapshot(tmp_path / "whole/public")


def test_rebuild_replaces_output_and_removes_stale_files(tmp_path: Path):
    build(tmp_path)
    stale = tmp_path / "public/articles/gone/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    build(tmp_path)
    assert not stale.exists()
    assert not list(tmp_path.glob(".public-*"))


def write_theme(root: Path, name: str, templates: dict[str, str]) -> None:
    folder = root / "themes" / name / "templates"
    folder.mkdir(parents=True)
    for filename, text in templates.items():
        (folder / filename).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("broken", [
    "{% extends 'base.html' %}{% block content %}{{ article.no_such_field }}{% endblock %}",
    "{% extends 'base.html' %}{% block content %}{% if %}{% endblock %}",
])
def test_failed_render_leaves_previous_output_untouched(tmp_path: Path, broken: str):
    build(tmp_path)
    before = snapshot(tmp_path / "public")
    write_theme(tmp_path, "broken", {"article.html": broken})
    with pytest.raises(BuildError) as info:
        build(tmp_path, theme="broken")
    assert "article.html" in str(info.value)
    assert snapshot(tmp_path / "public") == before
    assert not list(tmp_path.glob(".public-*"))


def test_failed_first_render_leaves_no_output(tmp_path: Path):
    write_theme(tmp_path, "broken", {"base.html": "{{ undefined_name }}"})
    with pytest.raises(BuildError):
        build(tmp_path, theme="broken")
    assert not (tmp_path / "public").exists()
    assert not list(tmp_path.glob(".public-*"))


def test_site_theme_overrides_one_template_only(tmp_path: Path):
    build(tmp_path / "plain")
    plain = snapshot(tmp_path / "plain/public")
    root = tmp_path / "themed"
    write_theme(root, "custom", {"article.html": (
        "{% extends 'base.html' %}{% block content %}<h1>Custom: {{ article.title }}</h1>{% endblock %}"
    )})
    static = root / "themes/custom/static"
    static.mkdir(parents=True)
    (static / "extra.css").write_text("body{}", encoding="utf-8")
    build(root, theme="custom")
    themed = snapshot(root / "public")
    assert b"Custom: Filler story number 00" in themed["articles/filler-00/index.html"]
    assert b"Custom: Markets &lt;script&gt;" in themed["articles/markets-hazard/index.html"]
    assert themed["static/extra.css"] == b"body{}"
    assert themed["static/style.css"] == plain["static/style.css"]
    changed = {k for k in plain if plain[k] != themed.get(k)}
    # The article pages, and the search index made from them.
    assert changed and all(k.startswith(("articles/", "pagefind/")) for k in changed)


def test_long_term_index_has_letter_headings_with_working_anchors(tmp_path: Path):
    names = [f"{first} Person{i}" for i, first in enumerate(["Anna", "Bert", "Carl", "Émile", "9 Lives"] * 7)]
    articles = [Article(slug=f"a{i}", title=f"Story {i}", summary="", body_html="<p>x</p>",
                        date=dt.date(2020, 1, 1), persons=(name,)) for i, name in enumerate(names)]
    config = make_config(tmp_path)
    render_site(build_archive(articles, config.taxonomies), config)
    page = tmp_path / "public/persons/index.html"
    parsed = parse(page)
    anchors = [h[1:] for h in parsed.links if h.startswith("#letter-")]
    ids = {a.get("id") for _, a in parsed.tags if a.get("id")}
    assert anchors == ["letter-other", "letter-a", "letter-b", "letter-c", "letter-e"]
    assert set(anchors) <= ids
    assert "/persons/emile-person3/" in parsed.links


def test_a_taxonomy_past_names_per_page_gets_a_page_per_letter(tmp_path: Path):
    """Past `names_per_page` names, a taxonomy's A–Z index shows each letter with its most covered names and links
    to the letter's pages, which list every name once, alphabetically, `names_per_page` a page; "most covered"
    lists the top `names_per_page`. A person called "Letters" keeps /persons/letters/ for their own page."""
    firsts = ["Anna"] * 13 + ["Bert", "Carl", "Émile", "9 Lives", "Øystein"] * 2 + ["Letters"]
    names = [f"{first} Person{i}" if first != "Letters" else first for i, first in enumerate(firsts)]
    articles = [Article(slug=f"a{i}-{n}", title=f"Story {i} {n}", summary="", body_html="<p>x</p>",
                        date=dt.date(2020, 1, 1 + n), persons=(name,))
                for i, name in enumerate(names) for n in range(1 + i % 4)]  # 1 to 4 stories each
    config = make_config(tmp_path, names_per_page=4)
    render_site(build_archive(articles, config.taxonomies), config)
    public = tmp_path / "public"
    count = {f"/persons/{term_slug(name)}/": 1 + i % 4 for i, name in enumerate(names)}
    name_of = {f"/persons/{term_slug(name)}/": name for name in names}
    index = parse(public / "persons/index.html")
    letters = list(dict.fromkeys(h for h in index.links if h.startswith("/persons/a-z/")))
    assert letters == ["/persons/a-z/other/", "/persons/a-z/a/", "/persons/a-z/b/", "/persons/a-z/c/",
                       "/persons/a-z/e/", "/persons/a-z/l/", "/persons/a-z/u00d8/"]
    annas = [h for h in index.links if h in count and name_of[h].startswith("Anna")]
    assert len(annas) == 10  # the most covered ten of the thirteen, most covered first
    assert [count[h] for h in annas] == sorted((count[h] for h in count if name_of[h].startswith("Anna")),
                                               reverse=True)[:10]
    assert "All 13 people under A" in (public / "persons/index.html").read_text(encoding="utf-8")
    listed: list[str] = []
    for letter in letters:
        url, on_letter, pages = letter, [], 0
        while url:
            page = parse(resolve(public, url))
            terms = [h for h in page.links if h in count]
            assert 1 <= len(terms) <= 4
            on_letter += terms
            pages += 1
            url = next((a["href"] for a in page.find("a", rel="next")), None)
        assert [name_of[h].casefold() for h in on_letter] == sorted(name_of[h].casefold() for h in on_letter)
        assert pages == -(-len(on_letter) // 4)
        listed += on_letter
    assert sorted(listed) == sorted(count)  # every name on one letter page, once
    ranked = [h for h in parse(public / "persons/popular/index.html").links if h in count]
    assert [count[h] for h in ranked] == [4, 4, 4, 4]
    for page in html_pages(public / "persons"):
        for href in parse(page).links:
            target = resolve(public, href)
            assert target is None or target.is_file() or href.startswith("/static/"), (page, href)


def test_term_spelled_differently_still_links_to_its_page(tmp_path: Path):
    articles = [
        Article(slug="a", title="A", summary="", body_html="", date=dt.date(2020, 1, 2), locations=("Rotterdam",)),
        Article(slug="b", title="B", summary="", body_html="", date=dt.date(2020, 1, 1), locations=("Rotterdam",)),
        Article(slug="c", title="C", summary="", body_html="", date=dt.date(2020, 1, 3), locations=("ROTTERDAM",)),
    ]
    config = make_config(tmp_path)
    render_site(build_archive(articles, config.taxonomies), config)
    assert "/locations/rotterdam/" in parse(tmp_path / "public/articles/c/index.html").links
