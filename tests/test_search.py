"""Search: what the article pages give Pagefind, when the index is made again, and searching in a real browser."""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from generator.check import check_site
from generator.config import load_config
from generator.content import dump_content
from generator.pipeline import Builder
from generator import search
from generator.errors import BuildError
from generator.search import BackgroundIndexer
from tests.helpers import REPO, needs_chromium, parse, site_files, static_server, visible_text

#: A small archive: one harbour master's story, one that mentions her in passing, a ferry story with an unusual
#: word, and harbour stories in two cities, so a place filter has something to narrow.
ARTICLES = [
    {"slug": "halvorsen-retires", "title": "Harbour master Ingrid Halvorsen retires", "date": "2016-03-04",
     "persons": ["Ingrid Halvorsen"], "locations": ["Rotterdam"], "tags": ["ports", "people"],
     "body": "Ingrid Halvorsen, the harbour master, retired on Friday after thirty years in charge. "
             "Halvorsen said the harbour had never been busier."},
    {"slug": "harbour-dues-rise", "title": "Harbour dues rise again", "date": "2017-05-02",
     "persons": ["Jan Bakker"], "locations": ["Amsterdam"], "tags": ["ports"],
     "body": "Shipping lines complained that harbour dues rose for the third year. Jan Bakker, who succeeded "
             "Halvorsen at another port, defended the rise."},
    {"slug": "ferry-gangway-collapses", "title": "Ferry passengers stranded", "date": "2017-08-19",
     "persons": ["Jan Bakker"], "locations": ["Rotterdam"], "tags": ["ferries"],
     "body": "A gangway collapsed as passengers boarded the evening ferry; nobody was hurt."},
    {"slug": "hostile-headline", "title": "Tugboat <img src=x onerror=alert(1)> & <script>alert(2)</script> drama",
     "date": "2018-01-09", "persons": ["<b>Bold<b> Pilot"], "locations": ["Utrecht"], "tags": ["tug<script>"],
     "body": "The tugboat pilot wrote <script>alert(3)</script> and <img src=x onerror=alert(4)> on the quay, "
             "then &lt;img src=y onerror=alert(5)&gt; and A &amp; B."},
    *[{"slug": f"harbour-news-{i}", "title": f"Harbour news number {i}", "date": f"201{5 + i % 3}-0{1 + i}-1{i}",
       "persons": [f"Reporter {i}"], "locations": ["Amsterdam" if i % 2 else "Rotterdam"], "tags": ["ports"],
       "body": f"Routine harbour news, part {i}: tides, tugs and timetables."} for i in range(6)],
]


def write_site(root: Path, articles: list[Mapping] = ARTICLES, search: bool | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    settings = (REPO / "site.toml").read_text(encoding="utf-8")
    if search is not None:
        settings += f"search = {'true' if search else 'false'}\n"
    (root / "site.toml").write_text(settings, encoding="utf-8")
    folder = root / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        meta = {key: value for key, value in article.items() if key != "body"}
        meta["summary"] = article["body"].split(".")[0] + "."
        (folder / f"{article['slug']}.md").write_text(dump_content(meta, article["body"] + "\n"), encoding="utf-8")
    return root


def build(root: Path, **options) -> object:
    return Builder(load_config(root), workers=1, **options).build()


def fragments(public: Path) -> dict[str, dict]:
    """What Pagefind indexed, page by page, over all parts: its fragment files are gzip'd JSON after a signature."""
    found = {}
    for path in (public / "pagefind").glob("part-*/fragment/*"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        assert fragment["url"] not in found, "a page is in two parts"
        found[fragment["url"]] = fragment
    return found


def parts_of(public: Path) -> dict[str, set[str]]:
    """Each part of the index (by its bundle path, as the search page reads them) and the pages it holds."""
    listing = json.loads((public / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    held = {}
    for bundle in listing["parts"]:
        folder = public / bundle.strip("/")
        held[bundle] = set()
        for path in (folder / "fragment").iterdir():
            data = gzip.decompress(path.read_bytes())
            held[bundle].add(json.loads(data[len(b"pagefind_dcd"):])["url"])
    return held


def index_inodes(public: Path) -> dict[str, int]:
    return {p.relative_to(public).as_posix(): p.stat().st_ino for p in (public / "pagefind").rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("search") / "site")
    build(root)
    return root


# --------------------------------------------------------------------------- what the pages carry


def test_article_pages_mark_their_headline_and_body_for_the_index(site):
    page = (site / "public" / "articles" / "halvorsen-retires" / "index.html").read_text(encoding="utf-8")
    assert page.count("data-pagefind-body") == 1
    assert '<article class="article" data-pagefind-body>' in page
    # The byline and the chips are not text to search in.
    assert '<p class="meta" data-pagefind-ignore>' in page
    assert '<footer class="article__terms" data-pagefind-ignore>' in page


def test_only_article_pages_are_indexed(site):
    public = site / "public"
    for page in public.rglob("*.html"):
        rel = page.relative_to(public).as_posix()
        if not rel.startswith("articles/"):
            assert "data-pagefind-body" not in page.read_text(encoding="utf-8"), rel
    indexed = fragments(public)
    assert set(indexed) == {f"/articles/{a['slug']}/" for a in ARTICLES}


def test_each_article_is_indexed_with_its_title_body_date_and_filters(site):
    indexed = fragments(site / "public")
    for article in ARTICLES:
        fragment = indexed[f"/articles/{article['slug']}/"]
        assert fragment["meta"]["title"] == article["title"]
        assert article["body"].split(";")[0].split(",")[0] in fragment["content"]
        year, month, day = (int(part) for part in article["date"].split("-"))
        assert fragment["meta"]["date"].endswith(str(year)) and str(day) in fragment["meta"]["date"]
        # Stored escaped (Pagefind's UI shows filter labels as HTML), so a reader sees the names as written.
        filters = {key: sorted(html.unescape(value) for value in values) for key, values in fragment["filters"].items()}
        assert filters["person"] == sorted(article["persons"])
        assert filters["place"] == article["locations"]
        assert filters["tag"] == sorted(article["tags"])
        assert fragment["filters"]["year"] == [str(year)]
        # The byline (date, source) and the chips' names are not in the searchable text.
        assert "Rotterdam" not in fragment["content"] and "Amsterdam" not in fragment["content"]


def test_the_date_shown_with_a_result_is_the_pages_own(site):
    assert "19 August 2017" in visible_text(site / "public" / "articles" / "ferry-gangway-collapses" / "index.html")
    assert fragments(site / "public")["/articles/ferry-gangway-collapses/"]["meta"]["date"] == "19 August 2017"


def test_every_page_has_a_search_box_that_works_without_javascript(site):
    public = site / "public"
    for page in public.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<form class="site-search" action="/search/" method="get" role="search">' in text, page
        assert 'name="q"' in text and 'for="site-search-q"' in text, page


def test_the_search_page_says_it_needs_javascript_and_where_to_browse_instead(site):
    path = site / "public" / "search" / "index.html"
    assert "needs JavaScript" in visible_text(path)
    links = parse(path).links
    for url in ("/persons/", "/locations/", "/tags/", "/archive/", "/pagefind/pagefind-ui.js", "/static/search.js"):
        assert url in links
    assert (site / "public" / "pagefind" / "pagefind-ui.js").is_file()
    assert (site / "public" / "static" / "search.js").is_file()


def test_the_site_checker_is_clean_with_search(site):
    result = check_site(site / "public", load_config(site).base_url, workers=1)
    assert result.problems == [], "\n".join(str(p) for p in result.problems)


def test_search_can_be_switched_off(tmp_path):
    root = write_site(tmp_path / "plain", search=False)
    build(root)
    public = root / "public"
    assert not (public / "pagefind").exists() and not (public / "search").exists()
    for page in public.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "data-pagefind" not in text and "site-search" not in text, page
        assert not re.search(r"<script(?![^>]*application/ld\+json)", text), page  # JSON-LD is data, not a script


def test_switching_search_off_takes_the_bundle_away_and_back(fresh):
    settings = fresh / "site.toml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + "search = false\n", encoding="utf-8")
    build(fresh)
    assert not (fresh / "public" / "pagefind").exists() and not (fresh / "public" / "search").exists()
    settings.write_text(original, encoding="utf-8")
    assert build(fresh).indexed
    assert "/articles/halvorsen-retires/" in fragments(fresh / "public")


def test_the_search_page_narrows_by_what_the_settings_list(fresh):
    """A large archive lists fewer filters (Pagefind's UI draws every name as a checkbox); the index follows the
    setting both ways, and the other settings' pages stay as they were."""
    settings = fresh / "site.toml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + 'search_filters = ["year", "tags"]\n', encoding="utf-8")
    build(fresh)
    for fragment in fragments(fresh / "public").values():
        assert set(fragment["filters"]) <= {"year", "tag"} and "year" in fragment["filters"]
    settings.write_text(original, encoding="utf-8")
    build(fresh)
    assert any("person" in fragment["filters"] for fragment in fragments(fresh / "public").values())
    settings.write_text(original + 'search_filters = ["years"]\n', encoding="utf-8")
    with pytest.raises(BuildError, match="search_filters"):
        build(fresh)


def test_past_the_names_a_search_ui_draws_in_time_the_index_filters_by_year_alone(tmp_path, monkeypatch, caplog):
    """Pagefind's UI draws every filter value as a checkbox: an archive with more names than it draws in good time
    gives the index the year alone. A focused build that crosses the line makes every article page again, as a
    build from nothing would."""
    import shutil

    from generator import render

    root = write_site(tmp_path / "site")
    build(root)
    assert all({"person", "place", "tag", "year"} <= set(f["filters"]) for f in fragments(root / "public").values())
    monkeypatch.setattr(render, "SEARCH_FILTER_NAMES", 3)  # this archive's few names stand for tens of thousands
    page = root / "content" / "articles" / "ferry-gangway-collapses.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Jan Bakker", "Jan Bakker, Mies Jansen"),
                    encoding="utf-8")
    with caplog.at_level("INFO", logger="broadsheet"):
        build(root)
    assert any("offers the year alone" in r.getMessage() for r in caplog.records)
    assert all(set(f["filters"]) == {"year"} for f in fragments(root / "public").values())
    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "site.toml", cold / "site.toml")
    build(cold)
    assert site_files(root / "public") == site_files(cold / "public")


def test_an_empty_archive_builds_without_search(tmp_path):
    root = write_site(tmp_path / "empty", articles=[])
    build(root)
    assert not (root / "public" / "search").exists() and "site-search" not in (
        root / "public" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- when the index is made


def edit_body(root: Path, slug: str, old: str, new: str) -> None:
    path = root / "content" / "articles" / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.fixture
def fresh(tmp_path) -> Path:
    root = write_site(tmp_path / "site")
    assert build(root).indexed
    return root


def test_a_build_with_no_change_leaves_the_index_alone(fresh):
    before = index_inodes(fresh / "public")
    result = build(fresh)
    assert not result.indexed
    assert index_inodes(fresh / "public") == before


def test_a_change_to_other_pages_only_keeps_the_index(fresh):
    before = index_inodes(fresh / "public")
    templates = fresh / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "list.html").read_text(encoding="utf-8")
    (templates / "list.html").write_text(original.replace("Latest news", "Latest stories"), encoding="utf-8")
    result = build(fresh)
    assert result.rendered > 0 and not result.indexed
    assert "Latest stories" in (fresh / "public" / "index.html").read_text(encoding="utf-8")
    assert index_inodes(fresh / "public") == before  # the same files, linked into the new site


def test_editing_an_article_makes_the_index_again(fresh):
    edit_body(fresh, "ferry-gangway-collapses", "nobody was hurt", "two crew members were hurt")
    result = build(fresh)
    assert result.indexed
    assert "two crew members" in fragments(fresh / "public")["/articles/ferry-gangway-collapses/"]["content"]


def test_removing_an_article_takes_it_out_of_the_index(fresh):
    (fresh / "content" / "articles" / "harbour-dues-rise.md").unlink()
    result = build(fresh)
    assert result.indexed
    assert "/articles/harbour-dues-rise/" not in fragments(fresh / "public")
    assert "/articles/halvorsen-retires/" in fragments(fresh / "public")


def file_stats(public: Path, folder: str) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file under `public/folder`: what deploy tools compare."""
    return {p.relative_to(public).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (public / folder).rglob("*") if p.is_file()}


def bundles(public: Path) -> list[str]:
    return json.loads((public / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]


def test_the_index_is_in_parts_by_year_and_each_article_is_in_one(site):
    public = site / "public"
    held = parts_of(public)
    years = {article["date"][:4] for article in ARTICLES}
    assert sorted(held) == sorted(f"/pagefind/part-{year}-0/" for year in years)
    for article in ARTICLES:
        owners = [bundle for bundle, urls in held.items() if f"/articles/{article['slug']}/" in urls]
        assert owners == [f"/pagefind/part-{article['date'][:4]}-0/"]
    for bundle in held:  # every listed part is a complete bundle the UI can load
        assert (public / bundle.strip("/") / "pagefind.js").is_file()
        assert (public / bundle.strip("/") / "pagefind-entry.json").is_file()


def test_editing_an_article_makes_only_its_part_again(fresh):
    public = fresh / "public"
    others = {b: file_stats(public, b.strip("/")) for b in bundles(public) if b != "/pagefind/part-2017-0/"}
    own = file_stats(public, "pagefind/part-2017-0")
    top = {name: (public / "pagefind" / name).stat().st_ino for name in ("parts.json", "pagefind-ui.js", "pagefind-ui.css")}
    edit_body(fresh, "ferry-gangway-collapses", "nobody was hurt", "the captain was hurt")  # a 2017 article
    assert build(fresh).indexed
    assert {b: file_stats(public, b.strip("/")) for b in others} == others  # untouched: same inodes and times
    assert file_stats(public, "pagefind/part-2017-0") != own
    assert {name: (public / "pagefind" / name).stat().st_ino for name in top} == top  # same bytes: kept
    assert "the captain" in fragments(public)["/articles/ferry-gangway-collapses/"]["content"]


def test_a_quick_build_re_indexes_the_edited_articles_part_alone(fresh):
    """A correction to a body (the build that renders that page alone) still reaches the search index."""
    public = fresh / "public"
    path = fresh / "content" / "articles" / "ferry-gangway-collapses.md"

    def add_to_body(sentence: str) -> None:  # after the first sentence, so the summary stays
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{sentence}\n")

    add_to_body("The captain was praised.")
    build(fresh)  # the first edit after a cold build is a full one
    others = {b: file_stats(public, b.strip("/")) for b in bundles(public) if b != "/pagefind/part-2017-0/"}
    add_to_body("The pilot was praised.")
    builder = Builder(load_config(fresh), workers=1)
    result = builder.build()
    assert builder.quick and result.indexed and result.rendered == 1
    assert "The pilot was praised" in fragments(public)["/articles/ferry-gangway-collapses/"]["content"]
    assert {b: file_stats(public, b.strip("/")) for b in others} == others


def test_an_article_of_a_new_year_makes_a_new_part(fresh):
    public = fresh / "public"
    before = {b: file_stats(public, b.strip("/")) for b in bundles(public)}
    folder = fresh / "content" / "articles"
    (folder / "pilot-boat.md").write_text(dump_content(
        {"slug": "pilot-boat", "title": "A new pilot boat", "date": "2021-06-01", "summary": "A pilot boat.",
         "locations": ["Rotterdam"]}, "The port bought a pilot boat.\n"), encoding="utf-8")
    assert build(fresh).indexed
    held = parts_of(public)
    assert held["/pagefind/part-2021-0/"] == {"/articles/pilot-boat/"}
    assert {b: file_stats(public, b.strip("/")) for b in before} == before


def test_removing_the_last_article_of_a_part_removes_the_part(fresh):
    public = fresh / "public"
    assert "/pagefind/part-2018-0/" in bundles(public)
    (fresh / "content" / "articles" / "hostile-headline.md").unlink()  # the only 2018 article
    assert build(fresh).indexed
    assert "/pagefind/part-2018-0/" not in bundles(public)
    assert not (public / "pagefind" / "part-2018-0").exists()
    assert "/articles/hostile-headline/" not in fragments(public)


def test_a_large_year_is_split_into_slices_that_stay_put(monkeypatch):
    from types import SimpleNamespace
    import datetime as dt

    monkeypatch.setattr(search, "PART_SIZE", 4)

    def articles(n: int, year: int) -> list:
        return [SimpleNamespace(slug=f"story-{year}-{i}", date=dt.date(year, 1, 1 + i % 28)) for i in range(n)]

    def owner(plan: dict) -> dict[str, str]:
        return {path: name for name, paths in plan.items() for path in paths}

    plan = search.plan_parts(articles(7, 2019) + articles(2, 2020) + [SimpleNamespace(slug="undated", date=None)])
    assert all(len(paths) <= 4 for paths in plan.values())
    assert {name.split("-")[0] for name in plan} == {"2019", "2020", "undated"}
    assert len([name for name in plan if name.startswith("2019-")]) == 2
    # More articles in another year, or one more in this year below the next split, move no article.
    grown = search.plan_parts(articles(8, 2019) + articles(4, 2020) + [SimpleNamespace(slug="undated", date=None)])
    moved = {path for path, name in owner(plan).items() if owner(grown)[path] != name}
    assert moved == set()


def test_a_part_is_indexed_alone_even_when_a_slug_has_glob_characters(tmp_path):
    """A part's pages are named to Pagefind in a glob; a slug that cannot go into one is indexed from links."""
    site = tmp_path / "site"
    for slug in ("plain-story", "odd,{story}", "left-out"):
        page = site / "articles" / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body><article data-pagefind-body><h1>{slug}</h1><p>Quay news.</p></article>"
                        "</body></html>", encoding="utf-8")
    plan = {"2020-0": ["articles/plain-story/index.html"], "2021-0": ["articles/odd,{story}/index.html"]}
    search.index_parts(site, site / "pagefind", plan, ["2020-0", "2021-0"])
    assert parts_of_folders(site / "pagefind") == {"part-2020-0": {"/articles/plain-story/"},
                                                   "part-2021-0": {"/articles/odd,{story}/"}}
    assert sorted(p.name for p in site.iterdir()) == ["articles", "pagefind"]  # no folder of links left


def parts_of_folders(index_dir: Path) -> dict[str, set[str]]:
    return {folder.name: {json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])["url"]
                          for f in (folder / "fragment").iterdir()} for folder in index_dir.iterdir()}


def test_a_failing_indexer_leaves_the_published_site_alone(fresh, monkeypatch, tmp_path):
    """Pagefind runs on the staged site before the swap: if it fails, readers keep the old site and its index."""
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'the index could not be written' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    before = site_files(fresh / "public")
    edit_body(fresh, "ferry-gangway-collapses", "nobody was hurt", "one deckhand was hurt")
    monkeypatch.setattr(search, "executable", lambda: str(broken))
    with pytest.raises(BuildError, match="the index could not be written"):
        build(fresh)
    assert site_files(fresh / "public") == before
    assert not list(fresh.glob(".public-*"))
    monkeypatch.undo()
    assert build(fresh).indexed  # and the next good build publishes page and index together
    assert "one deckhand" in fragments(fresh / "public")["/articles/ferry-gangway-collapses/"]["content"]


def retitle(root: Path, slug: str, title: str) -> None:
    path = root / "content" / "articles" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


def test_a_focused_build_makes_the_edited_storys_part_again_and_no_other(fresh):
    """A new headline takes the focused build: the index shows it, and the other parts stay as they were."""
    public = fresh / "public"
    others = {b: file_stats(public, b.strip("/")) for b in bundles(public) if b != "/pagefind/part-2017-0/"}
    retitle(fresh, "ferry-gangway-collapses", "Gangway gives way under ferry passengers")
    builder = Builder(load_config(fresh), workers=1)
    result = builder.build()
    assert builder.focused and result.indexed
    found = fragments(public)
    assert found["/articles/ferry-gangway-collapses/"]["meta"]["title"] == "Gangway gives way under ferry passengers"
    assert "Harbour news number 1" in found["/articles/harbour-news-1/"]["meta"]["title"]
    assert {b: file_stats(public, b.strip("/")) for b in others} == others
    assert sorted(p.name for p in fresh.iterdir() if p.name.startswith(".")) == [".broadsheet-cache"]


def test_a_focused_build_that_fails_to_render_a_page_publishes_nothing_and_leaves_nothing(fresh, monkeypatch):
    """A page that fails to render in a focused build: nothing is published and no folder is left behind;
    the next build publishes the edit, index and all."""
    from generator import render

    public = fresh / "public"
    before = site_files(public)
    retitle(fresh, "ferry-gangway-collapses", "Gangway gives way")

    def fail(indices):
        raise BuildError("a page could not be rendered")

    monkeypatch.setattr(render._RenderWorker, "render", staticmethod(fail))
    with pytest.raises(BuildError, match="could not be rendered"):
        build(fresh)
    assert site_files(public) == before
    assert not [p.name for p in fresh.iterdir() if p.name.startswith((".public-", ".pagefind-"))]
    monkeypatch.undo()
    assert build(fresh).indexed
    assert fragments(public)["/articles/ferry-gangway-collapses/"]["meta"]["title"] == "Gangway gives way"


def test_a_first_build_failing_while_pagefind_indexes_stops_it_and_publishes_nothing(monkeypatch, tmp_path):
    """A first build works out its pages' fingerprints while Pagefind indexes: a failure there ends Pagefind at
    once (the build does not wait for the index it will not publish) and leaves nothing behind."""
    from generator import render

    root = write_site(tmp_path / "site")
    started = tmp_path / "indexer-pid"
    slow = tmp_path / "pagefind"
    slow.write_text(f"#!/bin/sh\n[ \"$1\" = --version ] && echo {search.version()} && exit 0\n"
                    f"echo $$ > '{started}'\nexec sleep 600\n", encoding="utf-8")
    slow.chmod(0o755)

    def fail(*args, **kwargs):
        for _ in range(200):
            if started.exists():
                break
            time.sleep(0.05)
        raise BuildError("a fingerprint could not be made")

    monkeypatch.setattr(render, "_fingerprint_cold", fail)
    monkeypatch.setattr(search, "executable", lambda: str(slow))
    with pytest.raises(BuildError, match="could not be made"):
        build(root)
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)  # Pagefind was started, and is gone
    assert not (root / "public").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith((".public-", ".pagefind-"))]
    monkeypatch.undo()
    assert build(root).indexed
    assert "/articles/ferry-gangway-collapses/" in fragments(root / "public")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not search._tied(), reason="no parent-death signal on this system (Linux's setpriv)")
def test_a_build_killed_while_pagefind_runs_leaves_no_pagefind_behind(tmp_path):
    """Pagefind writes into the build's staging tree: killed with the build, it cannot go on writing there; and
    what the part's run needed besides (its config file) is in that tree too, not in the system's temp folder."""
    import tempfile

    started = tmp_path / "indexer-pid"
    slow = tmp_path / "pagefind"
    slow.write_text(f"#!/bin/sh\necho $$ > '{started}'\nexec sleep 600\n", encoding="utf-8")
    slow.chmod(0o755)
    page = tmp_path / "site" / "articles" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body data-pagefind-body>A story</body></html>", encoding="utf-8")
    temp_before = set(Path(tempfile.gettempdir()).glob("broadsheet-pagefind-*"))
    script = f"""
import os, signal, sys, threading, time
from pathlib import Path
sys.path.insert(0, {str(REPO)!r})
from generator import search
search.executable = lambda: {str(slow)!r}
site = Path({str(tmp_path / "site")!r})
threading.Thread(target=search.index_parts, args=(site, site / "pagefind", {{"2020": ["articles/a/index.html"]}},
                                                  ["2020"]), daemon=True).start()
while not os.path.exists({str(started)!r}):
    time.sleep(0.02)
os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    pid = int(started.read_text())
    for _ in range(100):
        if not _alive(pid):
            break
        time.sleep(0.05)
    assert not _alive(pid)
    assert set(Path(tempfile.gettempdir()).glob("broadsheet-pagefind-*")) == temp_before


def test_a_first_build_whose_indexer_fails_publishes_nothing(monkeypatch, tmp_path):
    """A first build works out its pages' fingerprints while Pagefind runs: Pagefind's failure still stops it."""
    root = write_site(tmp_path / "site")
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'the index could not be written' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: str(broken))
    with pytest.raises(BuildError, match="the index could not be written"):
        build(root)
    assert not (root / "public").exists() and not list(root.glob(".public-*"))
    monkeypatch.undo()
    assert build(root).indexed
    assert "/articles/ferry-gangway-collapses/" in fragments(root / "public")


def test_the_preview_publishes_first_and_indexes_afterwards(fresh):
    """With a background indexer (the preview server's), the new pages go live with the old index at once;
    the new index is swapped in when ready, and a later plain build finds nothing left to index."""
    indexer = BackgroundIndexer()
    public = fresh / "public"
    others = {b: file_stats(public, b.strip("/")) for b in bundles(public) if b != "/pagefind/part-2017-0/"}
    edit_body(fresh, "ferry-gangway-collapses", "nobody was hurt", "the purser was hurt")
    builder = Builder(load_config(fresh), workers=1, search_indexer=indexer)
    try:
        result = builder.build()
        assert not result.indexed
        assert "the purser" in (fresh / "public" / "articles" / "ferry-gangway-collapses" / "index.html").read_text(
            encoding="utf-8")
        indexer.wait(120)
    finally:
        indexer.cancel()
    assert indexer.error is None
    assert "the purser" in fragments(fresh / "public")["/articles/ferry-gangway-collapses/"]["content"]
    assert {b: file_stats(public, b.strip("/")) for b in others} == others  # only the edited article's part was made
    assert not list((fresh / "public").glob(".pagefind-*")), "the temporary bundle is left behind"
    assert not build(fresh).indexed


def test_what_a_killed_preview_indexer_left_in_the_site_is_gone_after_the_next_builds(fresh):
    """A preview killed while Pagefind ran leaves its work folders in the live site (a part being made, and the
    links to its pages Pagefind reads, which the site's records do not list); the next builds publish none
    of them, however many edits follow, and the site is what a build from nothing makes."""
    public = fresh / "public"
    work = public / f"{search.TEMP_PREFIX}4242-dead"
    pages = work / f"{search.SOURCE_PREFIX}4242-beef" / "articles" / "halvorsen-retires"
    pages.mkdir(parents=True)
    os.link(public / "articles" / "halvorsen-retires" / "index.html", pages / "index.html")
    (work / f"{search.PART_PREFIX}2016").mkdir()
    (public / f"{search.SOURCE_PREFIX}4242-cafe").mkdir()  # where the code before put the links
    for n in range(3):
        edit_body(fresh, "ferry-gangway-collapses", "nobody was hurt" if n == 0 else f"{n - 1} were hurt",
                  f"{n} were hurt")
        build(fresh)
        assert not list(public.glob(".pagefind-*")), f"build {n + 1} published a killed indexer's folders"
    cold = fresh.parent / "cold"
    shutil.copytree(fresh / "content", cold / "content")
    shutil.copy(fresh / "site.toml", cold / "site.toml")
    build(cold)
    assert site_files(cold / "public") == site_files(public)


def test_a_plain_build_makes_the_index_the_preview_still_owed(fresh):
    """The preview stopped before its background index was ready: the next `build` makes it."""
    indexer = BackgroundIndexer()
    edit_body(fresh, "halvorsen-retires", "thirty years", "thirty-one years")
    builder = Builder(load_config(fresh), workers=1, search_indexer=indexer)
    indexer.start = lambda *args, **kwargs: None  # the server stopped before indexing began
    assert not builder.build().indexed
    assert "thirty-one" not in fragments(fresh / "public")["/articles/halvorsen-retires/"]["content"]
    result = build(fresh)
    assert result.indexed
    assert "thirty-one" in fragments(fresh / "public")["/articles/halvorsen-retires/"]["content"]


def add_to_body(root: Path, slug: str, sentence: str) -> None:
    """Append a sentence to an article's body (after the first sentence, so its summary stays)."""
    with (root / "content" / "articles" / f"{slug}.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\n{sentence}\n")


def preview_owing_a_part(root: Path) -> tuple[Builder, BackgroundIndexer]:
    """A warm preview builder whose index still owes 2016's part: the next save came before its indexing began."""
    add_to_body(root, "halvorsen-retires", "The tugs sounded their horns.")
    build(root)  # the first edit after a cold build is a full one
    indexer = BackgroundIndexer()
    builder = Builder(load_config(root), workers=1, search_indexer=indexer)
    start = indexer.start
    indexer.start = lambda *args, **kwargs: None
    add_to_body(root, "halvorsen-retires", "The mayor gave a speech.")  # in 2016's part
    assert not builder.build().indexed and builder.quick
    indexer.start = start
    return builder, indexer


def test_the_preview_indexes_every_part_that_earlier_edits_still_owe(fresh):
    """A save came before the previous edit's index was made: the next indexing makes both edits' parts."""
    builder, indexer = preview_owing_a_part(fresh)
    add_to_body(fresh, "ferry-gangway-collapses", "The purser was praised.")  # in 2017's part
    try:
        assert not builder.build().indexed and builder.quick
        indexer.wait(120)
    finally:
        indexer.cancel()
    assert indexer.error is None
    found = fragments(fresh / "public")
    assert "The mayor gave a speech" in found["/articles/halvorsen-retires/"]["content"]
    assert "The purser was praised" in found["/articles/ferry-gangway-collapses/"]["content"]
    assert not build(fresh).indexed


def test_an_indexing_stopped_after_one_part_keeps_it_and_the_next_build_makes_only_the_rest(fresh, monkeypatch):
    """The preview swaps each part in as it is made: one stopped half-way has published what it made."""
    import generator.search as search_module

    builder, indexer = preview_owing_a_part(fresh)
    indexer.delay = 0
    add_to_body(fresh, "ferry-gangway-collapses", "The purser was praised.")  # 2017's part
    made = []
    real = search_module.index_parts

    def one_part_only(site, index_dir, plan, names, started=None):
        if made:
            raise BuildError("stopped")  # as if the preview had been stopped here
        made.extend(names)
        real(site, index_dir, plan, names, started)

    monkeypatch.setattr(search_module, "index_parts", one_part_only)
    try:
        assert builder.build().indexed is False and builder.quick
        indexer.wait(120)
    finally:
        indexer.cancel()
    monkeypatch.setattr(search_module, "index_parts", real)
    public = fresh / "public"
    assert made == ["2016-0"] and indexer.error == "stopped"
    assert "The mayor gave a speech" in fragments(public)["/articles/halvorsen-retires/"]["content"]
    assert "The purser" not in fragments(public)["/articles/ferry-gangway-collapses/"]["content"]
    kept = file_stats(public, "pagefind/part-2016-0")
    assert build(fresh).indexed
    assert "The purser was praised" in fragments(public)["/articles/ferry-gangway-collapses/"]["content"]
    assert file_stats(public, "pagefind/part-2016-0") == kept  # made once, by the preview
    assert not list(public.glob(".pagefind-*"))


# --------------------------------------------------------------------------- in a browser

def result_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".pagefind-ui__result-link").all_inner_texts()]


def result_count(page) -> int:
    """The number in Pagefind's "N results for …" line."""
    return int(page.inner_text(".pagefind-ui__message").split()[0])


def search_for(page, words: str) -> None:
    box = page.locator(".pagefind-ui__search-input")
    box.fill("")
    box.type(words)
    # Results are drawn one by one as their fragments load: wait until the first page of them (Pagefind's UI
    # shows 5) is all there, not just the first.
    page.wait_for_function("(words) => { const m = document.querySelector('.pagefind-ui__message');"
                           " if (!m || !m.textContent.includes(words)) return false;"
                           " const shown = document.querySelectorAll('.pagefind-ui__result-link').length;"
                           " return shown > 0 && shown >= Math.min(parseInt(m.textContent, 10), 5); }",
                           arg=words, timeout=15000)


@pytest.mark.browser
@needs_chromium
def test_a_reader_finds_articles_by_surname_and_word_and_narrows_by_place(site, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        with static_server(site / "public") as origin:
            page.goto(f"{origin}/search/")
            page.wait_for_selector(".pagefind-ui__search-input")
            assert "needs JavaScript" not in page.inner_text("main")

            search_for(page, "Halvorsen")
            titles = result_titles(page)
            assert titles[0] == "Harbour master Ingrid Halvorsen retires"
            assert "Harbour dues rise again" in titles  # mentions her in passing
            first = page.locator(".pagefind-ui__result").first
            assert "4 March 2016" in first.inner_text()  # the date
            assert first.locator(".pagefind-ui__result-excerpt mark").first.inner_text().lower() == "halvorsen"

            search_for(page, "gangway")
            assert result_titles(page)[0] == "Ferry passengers stranded"

            search_for(page, "harbour")
            everywhere = result_count(page)
            page.locator("summary", has_text="Place").click()
            rotterdam = page.locator("label.pagefind-ui__filter-label", has_text="Rotterdam")
            count = int(rotterdam.inner_text().rsplit("(", 1)[1].rstrip(")"))
            page.locator("input.pagefind-ui__filter-checkbox[name='place'][value='Rotterdam']").check()
            page.wait_for_function("(n) => document.querySelectorAll('.pagefind-ui__result-link').length === n",
                                   arg=count, timeout=15000)
            narrowed = result_titles(page)
            assert 0 < len(narrowed) == result_count(page) < everywhere
            in_rotterdam = {a["title"] for a in ARTICLES if a["locations"] == ["Rotterdam"]}
            assert set(narrowed) <= in_rotterdam
            assert "Harbour dues rise again" not in narrowed  # Amsterdam
    finally:
        context.close()


def harbour_articles() -> list[Mapping]:
    """The fixture's articles a search for "harbour" should find (by their own headline and body)."""
    return [a for a in ARTICLES if "harbour" in (a["title"] + " " + a["body"]).lower()]


def filter_counts(page, group: str) -> dict[str, int]:
    """A filter group's labels and the counts Pagefind's UI shows beside them."""
    counts = {}
    for label in page.locator(f".pagefind-ui__filter-value:has(input[name='{group}']) label").all_text_contents():
        name, _, count = label.strip().rpartition("(")
        counts[name.strip()] = int(count.rstrip(")"))
    return counts


def all_result_urls(page, expected: int) -> set[str]:
    """Every result's address, pressing "Load more results" (the UI shows a few at a time) until all are shown."""
    page.wait_for_function("(n) => { const m = document.querySelector('.pagefind-ui__message');"
                           " return m && m.textContent.startsWith(n + ' result'); }", arg=expected, timeout=15000)
    while page.locator("button.pagefind-ui__button").count():
        page.locator("button.pagefind-ui__button").click()
        page.wait_for_timeout(200)
    page.wait_for_function("(n) => document.querySelectorAll('.pagefind-ui__result-link').length === n",
                           arg=expected, timeout=15000)
    links = page.locator(".pagefind-ui__result-link")
    return {links.nth(i).get_attribute("href") for i in range(links.count())}


@pytest.mark.browser
@needs_chromium
def test_results_and_filter_counts_add_up_across_the_parts(site, browser):
    """The parts are merged: a search finds articles of several years' parts, and the year and place filters
    count over all parts, as one index would."""
    held = parts_of(site / "public")
    part_of = {url: bundle for bundle, urls in held.items() for url in urls}
    matching = harbour_articles()
    context = browser.new_context()
    page = context.new_page()
    try:
        with static_server(site / "public") as origin:
            page.goto(f"{origin}/search/?q=harbour")
            urls = all_result_urls(page, len(matching))
            assert result_count(page) == len(matching)
            assert urls == {f"/articles/{a['slug']}/" for a in matching}
            assert len({part_of[url] for url in urls}) >= 3  # from several parts

            page.locator("summary", has_text="Year").click()
            page.locator("summary", has_text="Place").click()
            years = filter_counts(page, "year")
            for year in {a["date"][:4] for a in matching}:
                assert years[year] == sum(1 for a in matching if a["date"].startswith(year))
            assert sum(years.values()) == len(matching)
            rotterdam = [a for a in matching if a["locations"] == ["Rotterdam"]]
            assert filter_counts(page, "place")["Rotterdam"] == len(rotterdam)
            # Only the places of the results are offered: an archive has thousands of names.
            assert set(filter_counts(page, "place")) == {place for a in matching for place in a["locations"]}
            assert {place for a in ARTICLES for place in a["locations"]} - set(filter_counts(page, "place"))
            assert len({part_of[f"/articles/{a['slug']}/"] for a in rotterdam}) >= 2

            page.locator("input.pagefind-ui__filter-checkbox[name='place'][value='Rotterdam']").check()
            shown = all_result_urls(page, len(rotterdam))
            assert shown == {f"/articles/{a['slug']}/" for a in rotterdam}
            assert len({part_of[url] for url in shown}) >= 2
    finally:
        context.close()


@pytest.mark.browser
@needs_chromium
def test_the_header_search_box_runs_the_search(site, browser):
    context = browser.new_context()
    page = context.new_page()
    try:
        with static_server(site / "public") as origin:
            page.goto(f"{origin}/articles/halvorsen-retires/")
            page.fill("#site-search-q", "gangway")
            page.press("#site-search-q", "Enter")
            page.wait_for_url("**/search/?q=gangway")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            assert result_titles(page)[0] == "Ferry passengers stranded"
    finally:
        context.close()


@pytest.mark.browser
@needs_chromium
def test_without_javascript_the_search_page_points_elsewhere(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        with static_server(site / "public") as origin:
            page.goto(f"{origin}/search/?q=gangway")
            text = page.inner_text("main")
            assert "needs JavaScript" in text
            page.click("main a[href='/persons/']")
            assert page.url.endswith("/persons/")
    finally:
        context.close()


def test_the_preview_server_re_indexes_after_the_reload(tmp_path):
    from tests.test_serve import Preview

    preview = Preview(write_site(tmp_path / "site"))
    try:
        epoch = preview.rebuilder.outcome().epoch
        edit_body(preview.root, "ferry-gangway-collapses", "nobody was hurt", "the cook was hurt")
        preview.wait_for_epoch(epoch + 1, timeout=30)
        status, _headers, body = preview.get("/articles/ferry-gangway-collapses/")
        assert status == 200 and b"the cook was hurt" in body
        preview.rebuilder.indexer.wait(120)
        assert "the cook" in fragments(preview.root / "public")["/articles/ferry-gangway-collapses/"]["content"]
        assert preview.get("/pagefind/pagefind-ui.js")[0] == 200
    finally:
        preview.close()


@pytest.mark.browser
@needs_chromium
def test_a_hostile_headline_shows_as_text_in_the_results(site, browser):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        with static_server(site / "public") as origin:
            page.goto(f"{origin}/search/?q=tugboat")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            assert result_titles(page)[0] == "Tugboat <img src=x onerror=alert(1)> & <script>alert(2)</script> drama"
            results = page.locator("#search")
            assert results.locator("img, script:not([src]), b").count() == 0
            page.locator("summary", has_text="Person").click()
            page.locator("summary", has_text="Tag").click()
            # the filters' lists fill in after their summary opens: wait for them as a reader would
            # (on a loaded machine that takes longer than Playwright's 5 s default)
            for label in ("<b>Bold<b> Pilot", "tug<script>"):
                expect(page.locator("label.pagefind-ui__filter-label", has_text=label)).to_have_count(1, timeout=15000)
            assert results.locator("img, script:not([src]), b").count() == 0
            page.wait_for_timeout(300)
            assert dialogs == []
    finally:
        context.close()
