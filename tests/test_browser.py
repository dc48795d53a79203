"""The live preview in a real browser: a saved change shows up without touching the browser.

Needs Chromium (Debian: `apt-get install -y chromium`); skipped with that advice when it
is missing. CI installs it, so there these tests always run.
"""

import pytest

from tests.helpers import REPO, needs_chromium
from tests.test_incremental import make_site, write_article
from tests.test_serve import Preview

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def preview(tmp_path, analyzer):
    running = Preview(make_site(tmp_path / "site"), analyzer_factory=lambda: analyzer)
    yield running
    running.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def wait_for_text(page, selector: str, text: str, timeout: float = 15.0) -> None:
    page.wait_for_function(
        "([selector, text]) => { const el = document.querySelector(selector); return el && el.textContent.includes(text); }",
        arg=[selector, text], timeout=timeout * 1000,
    )


def test_editing_an_article_reloads_the_open_page(preview, page):
    page.goto(f"http://127.0.0.1:{preview.port}/articles/story-03/")
    assert "Body of story 3." in page.text_content("main")
    write_article(preview.root, "story-03", "Story number 3", "2016-04-04", ["Anke de Vries"], ["ports"],
                  "The corrected body of story three.")
    wait_for_text(page, "main", "The corrected body of story three.")
    assert page.title().startswith("Story number 3")


def test_a_template_change_shows_at_once(preview, page):
    page.goto(f"http://127.0.0.1:{preview.port}/articles/story-01/")
    templates = preview.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    original = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</footer>" in original
    (templates / "base.html").write_text(original.replace("</footer>", "<p id='edition'>Late edition</p></footer>"),
                                         encoding="utf-8")
    wait_for_text(page, "#edition", "Late edition")
    assert "Body of story 1." in page.text_content("main")


def test_a_new_seed_appears_on_the_home_page_and_its_person_page(preview, page):
    page.goto(f"http://127.0.0.1:{preview.port}/")
    (preview.root / "seeds").mkdir(exist_ok=True)
    (preview.root / "seeds" / "harbour.txt").write_text(
        "Harbour master Ingrid Halvorsen retires\n\nMonday, 4 March 2024\n\n"
        "OSLO (Reuters) - Ingrid Halvorsen, the harbour master of Oslo, retired on Friday after thirty years "
        "in charge of the port. Halvorsen said the harbour had never been busier.\n",
        encoding="utf-8",
    )
    wait_for_text(page, "main", "Harbour master Ingrid Halvorsen retires", timeout=30)
    page.goto(f"http://127.0.0.1:{preview.port}/persons/ingrid-halvorsen/")
    assert "Harbour master Ingrid Halvorsen retires" in page.text_content("main")


def test_a_deleted_article_disappears(preview, page):
    page.goto(f"http://127.0.0.1:{preview.port}/")
    assert "Story number 29" in page.text_content("main")
    (preview.root / "content" / "articles" / "story-29.md").unlink()
    page.wait_for_function("() => !document.querySelector('main').textContent.includes('Story number 29')", timeout=15000)
    response = page.goto(f"http://127.0.0.1:{preview.port}/articles/story-29/")
    assert response.status == 404


def test_a_broken_template_shows_the_error_over_the_page_and_recovers(preview, page):
    page.goto(f"http://127.0.0.1:{preview.port}/articles/story-02/")
    templates = preview.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text("{% extends 'base.html' %}{% block content %}{{ oops( }}{% endblock %}",
                                            encoding="utf-8")
    page.wait_for_selector("#broadsheet-error", timeout=15000)
    assert "article.html, line 1" in page.text_content("#broadsheet-error")
    (templates / "article.html").unlink()
    page.wait_for_function("() => !document.getElementById('broadsheet-error')", timeout=15000)
    assert "Body of story 2." in page.text_content("main")
