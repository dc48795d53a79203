"""`python build.py check`: a clean build passes, and each way of breaking a built site is named with its page."""

import shutil
from pathlib import Path

import pytest

from generator.check import _Facts, check_site, shared_titles
from generator.cli import main
from tests.helpers import FIXTURES, REPO

BASE = "https://broadsheet.netlify.app/"
ARTICLE = "articles/pakistani-commandos-storm-red-mosque-in-islamabad-where-150-hostages-held/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory, analyzer) -> Path:
    """One site built from the seeds and the fixture seeds; each test breaks a copy of its output."""
    root = tmp_path_factory.mktemp("check-site")
    shutil.copytree(REPO / "seeds", root / "seeds")
    for seed in (FIXTURES / "seeds").iterdir():
        shutil.copy(seed, root / "seeds" / seed.name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    assert main(["--root", str(root), "-q"]) == 0
    return root


@pytest.fixture
def site(built, tmp_path) -> Path:
    """A throwaway copy of the built site (root with site.toml and public/) to break."""
    root = tmp_path / "site"
    shutil.copytree(built / "public", root / "public")
    shutil.copy(built / "site.toml", root / "site.toml")
    return root


def inject(page: Path, where: str, html: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert where in text
    page.write_text(text.replace(where, html + where, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    return [str(p) for p in check_site(root / "public", BASE, workers=1).problems]


def only(found: list[str], path: str, *words: str) -> str:
    """The one problem reported, which must be on `path` and say each of `words`."""
    assert len(found) == 1, found
    line = found[0]
    assert line.startswith(path + ": "), line
    for word in words:
        assert word in line, line
    return line


def test_a_clean_build_passes(built, capsys):
    assert main(["check", "--root", str(built)]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out and "page(s)" in out and "feed(s)" in out


def test_no_output_folder_is_a_usage_error(site, capsys):
    assert main(["check", "--root", str(site), "--output", "elsewhere"]) == 2
    err = capsys.readouterr().err
    assert "elsewhere" in err and "build the site first" in err


def test_a_missing_link_target_is_named_with_its_page(site, capsys):
    inject(site / "public" / "index.html", "</main>", '<a href="/articles/no-such-story/">gone</a>')
    assert main(["check", "--root", str(site)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ('index.html: <a href="/articles/no-such-story/"> goes nowhere: '
                      'no articles/no-such-story/index.html in the output')
    assert out[-1].endswith("1 problem(s) in 1 file(s)")


def test_a_missing_asset_is_reported(site):
    inject(site / "public" / ARTICLE, "</main>", '<img src="../../static/missing.png" alt="">')
    only(problems(site), ARTICLE, "static/missing.png", "goes nowhere")


def test_a_missing_anchor_is_reported_in_another_page_and_this_one(site):
    inject(site / "public" / ARTICLE, "</main>", '<a href="/tags/#no-such-id">x</a><a href="#content">top</a>')
    only(problems(site), ARTICLE, "#no-such-id", "not an id on tags/index.html")
    inject(site / "public" / "tags" / "index.html", "</main>", '<a href="#nowhere">x</a>')
    assert "tags/index.html: <a href=\"#nowhere\"> points at #nowhere, which is not an id on this page" in problems(site)


def test_malformed_html_is_a_parse_error_with_its_position(site):
    inject(site / "public" / "tags" / "index.html", "</main>", "<p>broken</span>")
    only(problems(site), "tags/index.html", "HTML parse error at line", "unexpected-end-tag")


def test_a_missing_doctype_is_reported(site):
    page = site / "public" / "archive" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<!doctype html>", ""), encoding="utf-8")
    only(problems(site), "archive/index.html", "HTML parse error", "doctype")


def test_a_broken_feed_is_reported(site):
    feed = site / "public" / "feed.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", ""), encoding="utf-8")
    only(problems(site), "feed.xml", "does not parse cleanly")


def test_a_feed_entry_link_with_no_page_is_reported(site):
    feed = site / "public" / "locations" / "islamabad" / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    assert 'href="https://broadsheet.netlify.app/articles/pakistani' in text
    feed.write_text(text.replace('href="https://broadsheet.netlify.app/articles/pakistani',
                                 'href="https://broadsheet.netlify.app/articles/gone-pakistani'), encoding="utf-8")
    only(problems(site), "locations/islamabad/feed.xml", "entry 1", "articles/gone-pakistani")


def test_a_sitemap_url_with_no_page_is_reported(site):
    inject(site / "public" / "sitemap.xml", "</urlset>",
           "<url><loc>https://broadsheet.netlify.app/articles/never-built/</loc></url>")
    only(problems(site), "sitemap.xml", "https://broadsheet.netlify.app/articles/never-built/",
         "no articles/never-built/index.html")


def test_loading_from_another_host_is_reported_and_linking_is_not(site):
    page = site / "public" / ARTICLE
    inject(page, "</head>", '<script src="https://cdn.example.com/track.js"></script>')
    inject(page, "</main>", '<a href="https://example.com/story">elsewhere</a>')
    only(problems(site), ARTICLE, '<script src="https://cdn.example.com/track.js">', "another host", "cdn.example.com")
    inject(site / "public" / "tags" / "index.html", "</head>",
           '<link rel="stylesheet" href="//fonts.example.com/a.css">')
    assert any(p.startswith("tags/index.html: ") and "fonts.example.com" in p for p in problems(site))


def test_a_duplicate_title_is_reported_on_the_second_page(site):
    page = site / "public" / "tags" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<title>Tags · Broadsheet</title>",
                                                             "<title>People · Broadsheet</title>"), encoding="utf-8")
    only(problems(site), "tags/index.html", 'same <title> "People · Broadsheet" as persons/index.html')


def test_the_404_page_must_not_use_relative_links(site):
    inject(site / "public" / "404.html", "</main>", '<a href="tags/">tags</a>')
    only(problems(site), "404.html", "relative", "must start with /")


def facts(path: str, title: str, heading: str) -> _Facts:
    return _Facts(path, "page", title=title, heading=heading)


def test_which_shared_titles_are_allowed():
    paginated = [facts("tags/x/index.html", "X", "X"), facts("tags/x/page/2/index.html", "X", "X")]
    same_headline = [facts("articles/a/index.html", "Minister resigns", "Minister resigns"),
                     facts("articles/a-2/index.html", "Minister resigns", "Minister resigns")]
    assert shared_titles(paginated + same_headline) == []
    template_bug = [facts("articles/a/index.html", "Broadsheet", "One story"),
                    facts("articles/b/index.html", "Broadsheet", "Another story")]
    assert [p.path for p in shared_titles(template_bug)] == ["articles/b/index.html"]
    two_kinds = [facts("locations/paris/index.html", "Paris", "Paris"), facts("persons/paris/index.html", "Paris", "Paris")]
    assert [str(p) for p in shared_titles(two_kinds)] == [
        'persons/paris/index.html: same <title> "Paris" as locations/paris/index.html; give each page a title of its own']
