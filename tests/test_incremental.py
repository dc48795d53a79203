"""Incremental builds give exactly what a cold build of the same input gives."""

import datetime
import gc
import os
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bodies import elided
from generator.config import load_config
from generator.errors import BuildError
from generator.content import dump_content
from generator.pipeline import Builder
from tests.helpers import REPO, site_digests as tree


def write_article(root: Path, slug: str, title: str, date: str | None, persons: list[str], tags: list[str], body: str) -> Path:
    meta = {"title": title, "slug": slug, "date": date, "summary": body.split(".")[0] + ".",
            "tags": tags, "locations": ["Rotterdam"], "persons": persons}
    path = root / "content" / "articles" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_content(meta, body + "\n"), encoding="utf-8")
    return path


def make_site(root: Path, count: int = 30, people: int = 7) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    for i in range(count):
        write_article(root, f"story-{i:02d}", f"Story number {i}", f"2016-{1 + i % 12:02d}-{1 + i % 27:02d}",
                      [f"Person {i % people}", "Anke de Vries"], [f"topic {i % 5}", "ports"], f"Body of story {i}. More text.")
    return root



def build(root: Path) -> Builder:
    builder = Builder(load_config(root), workers=1)
    builder.build()
    return builder


def cold_copy(root: Path, where: Path) -> dict[str, str]:
    """Build a copy of the site from nothing and return its output."""
    shutil.copytree(root / "content", where / "content")
    shutil.copy(root / "site.toml", where / "site.toml")
    if (root / "themes").exists():
        shutil.copytree(root / "themes", where / "themes")
    build(where)
    return tree(where / "public")


@pytest.fixture
def site(tmp_path):
    root = make_site(tmp_path / "site")
    build(root)
    return root


def test_nothing_changed_writes_nothing(site):
    before = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    result = Builder(load_config(site), workers=1).build()
    assert result.unchanged and result.rendered == 0
    assert {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()} == before


def test_editing_a_body_rewrites_only_the_pages_that_show_it(site, tmp_path):
    path = site / "content" / "articles" / "story-03.md"
    path.write_text(path.read_text(encoding="utf-8").replace("More text.", "Corrected text."), encoding="utf-8")
    builder = Builder(load_config(site), workers=1)
    result = builder.build()
    assert builder.content_read == 1  # the other 29 files came from the cache
    assert 0 < result.rendered < result.files / 3
    assert "Corrected text." in (site / "public" / "articles" / "story-03" / "index.html").read_text(encoding="utf-8")
    assert tree(site / "public") == cold_copy(site, tmp_path / "cold")


def test_a_headline_edit_rewrites_the_one_data_file_listing_the_story(tmp_path):
    import json

    root = make_site(tmp_path / "site")  # 30 stories of 2016, every one tagged "ports"
    with (root / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write("api_per_file = 4\n")
    build(root)
    data = root / "public" / "api"
    ports = [data / "tags" / "ports.json", *sorted((data / "tags" / "ports").glob("*.json"))]
    year = [data / "articles" / "2016.json", *sorted((data / "articles" / "2016").glob("*.json"))]
    assert len(ports) == len(year) == 8  # 30 stories, 4 a file
    path = root / "content" / "articles" / "story-05.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Story number 5", "title: Story number five"),
                    encoding="utf-8")
    before = {file: file.read_bytes() for file in ports + year}
    assert build(root).focused
    changed = [file for file in ports + year if file.read_bytes() != before[file]]
    # The one file of the tag and the one of the year that list the story, and no other.
    assert len(changed) == 2 and all("Story number five" in file.read_text(encoding="utf-8") for file in changed)
    # Each file says which it is and links the next; followed from the first, they list every story once.
    titles, url = [], json.loads(ports[0].read_text(encoding="utf-8"))["url"]
    number, file = 1, ports[0]
    while file is not None:
        doc = json.loads(file.read_text(encoding="utf-8"))
        assert (doc["file"], doc["files"], doc["count"]) == (number, 8, 30) and len(doc["articles"]) <= 4
        assert ("first" in doc) == (number == 1) and doc["url"] == url  # the term as a whole: in its first file
        titles += [a["title"] for a in doc["articles"]]
        file = data.parent / doc["next"].split("/", 3)[3] if doc["next"] else None
        number += 1
    assert len(titles) == len(set(titles)) == 30 and "Story number five" in titles
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_a_taxonomys_data_files_list_its_terms_api_per_file_a_file_and_an_edit_rewrites_those_listing_them(tmp_path):
    import json

    root = make_site(tmp_path / "site")  # 30 stories: Person 0 to 6, and Anke de Vries in every one
    with (root / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write("api_per_file = 3\n")
    build(root)
    data = root / "public" / "api"

    def chain() -> tuple[list[str], list[Path]]:
        """The names the files list, followed from the first by `next`, and the files."""
        names, files, counts, url = [], [], set(), data / "persons.json"
        while url is not None:
            doc = json.loads(url.read_text(encoding="utf-8"))
            assert doc["file"] == len(files) + 1 and len(doc["terms"]) <= 3
            names += [t["name"] for t in doc["terms"]]
            files.append(url)
            counts.add((doc["count"], doc["files"]))
            url = data.parent / doc["next"].split("/", 3)[3] if doc["next"] else None
        assert counts == {(len(names), len(files))}  # each file counts them all
        return names, files

    names, files = chain()
    assert names == ["Anke de Vries", *(f"Person {n}" for n in range(7))]  # A–Z, each once
    assert [f.name for f in files] == ["persons.json", "persons-2.json", "persons-3.json"]
    index = json.loads((data / "articles.json").read_text(encoding="utf-8"))
    assert {t["key"]: t["files"] for t in index["taxonomies"]}["persons"] == 3
    before = {file: file.read_bytes() for file in files}
    path = root / "content" / "articles" / "story-09.md"  # Person 2 (the second file) to Person 6 (the third)
    path.write_text(path.read_text(encoding="utf-8").replace("Person 2", "Person 6"), encoding="utf-8")
    assert build(root).focused
    assert [file.name for file in files if file.read_bytes() != before[file]] == ["persons-2.json", "persons-3.json"]
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-1")
    path.write_text(path.read_text(encoding="utf-8").replace("Person 6", "Aaron Aalto, Abel Aalto"), encoding="utf-8")
    assert build(root).focused  # two names more: every file counts them, and a fourth file
    assert chain()[0][:3] == ["Aaron Aalto", "Abel Aalto", "Anke de Vries"] and (data / "persons-4.json").is_file()
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")
    path.write_text(path.read_text(encoding="utf-8").replace("Aaron Aalto, Abel Aalto", "Person 2"), encoding="utf-8")
    assert build(root).focused
    assert not (data / "persons-4.json").exists() and len(chain()[1]) == 3
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-3")


def test_a_years_page_lists_each_months_newest_stories_and_edits_below_them_leave_it_alone(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    config = root / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("per_page = 20", "per_page = 3"), encoding="utf-8")
    for day in range(1, 9):  # eight stories of March 2018, one of April
        write_article(root, f"march-{day}", f"March story {day}", f"2018-03-{day:02d}", ["Anke de Vries"], ["ports"],
                      f"Body {day}. More text.")
    write_article(root, "april-1", "April story", "2018-04-01", ["Anke de Vries"], ["ports"], "Body. More text.")
    build(root)
    year = root / "public" / "archive" / "2018" / "index.html"
    march = year.parent / "03" / "index.html"
    text = year.read_text(encoding="utf-8")
    assert [f"March story {day}" in text for day in range(1, 9)] == [False] * 3 + [True] * 5  # the newest five
    assert "All 8 articles of March 2018" in text and "April story" in text and "All 1 articles" not in text
    # The month's own pages list them all, three a page, newest first.
    pages = [march, *(march.parent / "page" / f"{n}" / "index.html" for n in (2, 3))]
    listed = [[day for day in range(1, 9) if f"March story {day}<" in page.read_text(encoding="utf-8")]
              for page in pages]
    assert listed == [[6, 7, 8], [3, 4, 5], [1, 2]]
    before = {page: page.read_bytes() for page in (year, *pages)}
    oldest = root / "content" / "articles" / "march-1.md"
    oldest.write_text(oldest.read_text(encoding="utf-8").replace("March story 1", "March story one"), encoding="utf-8")
    assert build(root).focused
    assert [page for page in before if page.read_bytes() != before[page]] == [pages[2]]  # the one listing it
    assert "March story one" in pages[2].read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-1")
    # Moved to the end of the month, it is among the newest: the year's page lists it.
    oldest.write_text(oldest.read_text(encoding="utf-8").replace("2018-03-01", "2018-03-30"), encoding="utf-8")
    assert build(root).focused
    assert all("March story one" in page.read_text(encoding="utf-8") for page in (year, march))
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")
    # A story taken out: the month has a page fewer.
    (root / "content" / "articles" / "march-5.md").unlink()
    (root / "content" / "articles" / "march-6.md").unlink()
    assert build(root).focused
    assert not pages[2].exists() and tree(root / "public") == cold_copy(root, tmp_path / "cold-3")


def test_changed_persons_renamed_terms_and_deleted_articles_match_a_cold_build(site, tmp_path):
    articles = site / "content" / "articles"
    write_article(site, "story-04", "Story number 4", "2016-05-05", ["Pieter Bakker"], ["topic 4"], "Body of story 4. Changed.")
    for path in articles.glob("*.md"):  # rename a tag everywhere
        path.write_text(path.read_text(encoding="utf-8").replace("ports", "harbours"), encoding="utf-8")
    (articles / "story-07.md").unlink()
    (articles / "story-08.md").unlink()
    builder = Builder(load_config(site), workers=1)
    result = builder.build()
    public = site / "public"
    assert result.removed > 0
    assert not (public / "articles" / "story-07").exists()
    assert not (public / "tags" / "ports").exists()
    assert (public / "tags" / "harbours" / "index.html").is_file()
    assert (public / "persons" / "pieter-bakker" / "index.html").is_file()
    assert tree(public) == cold_copy(site, tmp_path / "cold")


def _own_theme(site: Path) -> tuple[Path, str]:
    """A theme of the site's own with a copy of the default term page: its templates folder and that page."""
    theme = site / "themes" / "mine" / "templates"
    theme.mkdir(parents=True)
    term = (REPO / "themes" / "default" / "templates" / "term.html").read_text(encoding="utf-8")
    (theme / "term.html").write_text(term, encoding="utf-8")
    config = (site / "site.toml").read_text(encoding="utf-8").replace('theme = "default"', 'theme = "mine"')
    (site / "site.toml").write_text(config, encoding="utf-8")
    return theme, term


def test_a_template_change_re_renders_only_the_pages_that_use_it(site, tmp_path):
    theme, term = _own_theme(site)
    build(site)
    (theme / "term.html").write_text(term.replace("newest first", "latest first"), encoding="utf-8")
    result = Builder(load_config(site), workers=1).build()
    public = site / "public"
    term_pages = [p for p in public.rglob("index.html") if len(p.relative_to(public).parts) >= 3
                  and p.relative_to(public).parts[0] in ("tags", "locations", "persons")
                  and p.relative_to(public).parts[1] != "popular"]
    assert result.rendered == len(term_pages)
    assert "latest first" in (public / "persons" / "anke-de-vries" / "index.html").read_text(encoding="utf-8")
    assert tree(public) == cold_copy(site, tmp_path / "cold")


def test_a_template_and_settings_saved_again_unchanged_are_no_edit(site):
    """A theme put back by a checkout, or settings saved again as they were, change no page: the build is a no-op."""
    theme, term = _own_theme(site)
    build(site)
    before = {p: p.stat().st_ino for p in (site / "public").rglob("*") if p.is_file()}
    later = time.time() + 5
    for path in (theme / "term.html", site / "site.toml"):
        path.write_bytes(path.read_bytes())
        os.utime(path, (later, later))
    assert Builder(load_config(site), workers=1).build().unchanged
    assert {p: p.stat().st_ino for p in (site / "public").rglob("*") if p.is_file()} == before
    (theme / "term.html").write_text(term.replace("newest first", "latest first"), encoding="utf-8")
    os.utime(theme / "term.html", (later, later))  # the same time as before: what it holds tells the edit
    result = Builder(load_config(site), workers=1).build()
    assert not result.unchanged and result.rendered > 0
    assert "latest first" in (site / "public" / "persons" / "anke-de-vries" / "index.html").read_text(encoding="utf-8")


def test_a_template_that_starts_including_another_follows_its_edits(site, tmp_path):
    """What each template includes is read once per version of its source and kept: a term page made to include
    a note shows the note, and the note's next edit, each build a fresh builder as a fresh process would be."""
    theme, term = _own_theme(site)
    build(site)
    page = site / "public" / "persons" / "anke-de-vries" / "index.html"
    (theme / "_note.html").write_text("<p>Note one</p>", encoding="utf-8")
    (theme / "term.html").write_text(term.replace("newest first", 'newest first{% include "_note.html" %}'),
                                     encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    assert "Note one" in page.read_text(encoding="utf-8")
    (theme / "_note.html").write_text("<p>Note two</p>", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    assert "Note two" in page.read_text(encoding="utf-8")
    assert tree(site / "public") == cold_copy(site, tmp_path / "cold")


def test_parallel_and_serial_builds_are_identical(tmp_path):
    serial = make_site(tmp_path / "serial", count=200, people=200)
    Builder(load_config(serial), workers=1, use_cache=False).build()
    parallel = make_site(tmp_path / "parallel", count=200, people=200)
    result = Builder(load_config(parallel), workers=2, use_cache=False).build()
    assert result.files > 600  # enough pages that the work is split between processes
    assert tree(serial / "public") == tree(parallel / "public")


def test_a_first_build_stores_the_same_rows_as_a_full_build(tmp_path, monkeypatch):
    """A build with no earlier output makes the pages' fingerprints and the articles' rows after its pages,
    beside Pagefind, and adds them to the database in batches (letting go of the lists it hashed after
    each); a full build over an existing output makes them after publishing. The next builds read them,
    so they must agree."""
    import sqlite3

    from generator import render
    from generator.builddb import loads_page

    monkeypatch.setattr(render, "ROW_BATCH", 7)  # added in many batches
    root = make_site(tmp_path / "site", count=200, people=200)
    builder = Builder(load_config(root), workers=2)
    assert builder.build().files > 600  # enough pages that the work is split between processes
    path = builder.db.path

    def rows():
        with sqlite3.connect(path) as conn:
            articles = [(*row[:-1], loads_page(row[-1])) for row in conn.execute("SELECT * FROM articles ORDER BY file")]
            return (articles, sorted(conn.execute("SELECT file, shows FROM coverage")),
                    sorted(conn.execute("SELECT * FROM pages")))

    made = rows()
    assert len(made[0]) == 200 and made[1]
    rendered = {path for path in tree(root / "public") if not path.startswith(("static/", "pagefind/"))}
    assert len(made[2]) > 600 and {path for path, *_ in made[2]} == rendered
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM articles")
        conn.execute("DELETE FROM coverage")
        conn.execute("DELETE FROM pages")
    Builder(load_config(root), workers=1).build(force=True)
    assert rows() == made


def test_the_content_cache_gives_back_every_entry_as_the_files_give_it(site):
    """The next build loads the content files' entries from the cache: the same articles (dates, names, undated
    ones, files it had to skip) as reading every file again."""
    articles = site / "content" / "articles"
    undated = articles / "story-03.md"
    undated.write_text(re.sub(r"(?m)^date: .*\n", "", undated.read_text(encoding="utf-8")), encoding="utf-8")
    (articles / "broken.md").write_bytes(b"---\ntitle: [unclosed\n---\nText.\n")
    build(site)
    config = load_config(site)
    cached = Builder(config, workers=1).store
    fresh = Builder(config, workers=1, use_cache=False).store
    fresh.refresh()
    # The cache keeps bodies apart (generator/bodies.py); the rest of each entry is as the file gives it.
    expected = {key: replace(e, article=e.article and elided(e.article, e.sha256)) for key, e in fresh.entries.items()}
    assert len(cached.entries) == 31
    assert cached.entries == expected
    assert cached.entries[str(undated)].article.date is None
    assert cached.entries[str(articles / "broken.md")].error
    assert {type(e.article.date) for e in cached.entries.values() if e.article and e.article.date} == {datetime.date}


def test_the_cycle_collector_runs_again_after_a_build_even_a_failed_one(site):
    """A build holds off Python's cycle collector while it makes the site model; the preview server, which
    builds again and again in one process, must get it back after every build, with every object the build
    made in its care (none left frozen), or its memory would only grow."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (site / "content" / "articles" / "story-04.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    with pytest.raises(BuildError):
        Builder(load_config(site), workers=1).build(strict=True)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (site / "content" / "articles" / "story-04.md").unlink()
    Builder(load_config(site), workers=1).build()
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("change", ["body", "headline"])
def test_a_deleted_output_file_is_restored(site, change):
    page = site / "public" / "articles" / "story-01" / "index.html"
    other = site / "public" / "404.html"  # a page no article shows
    page.unlink()
    other.unlink()
    story = site / "content" / "articles" / "story-02.md"
    if change == "body":  # the quick build, which publishes the spare (the site before) brought up to date
        story.write_text(story.read_text(encoding="utf-8") + "\nA corrected sentence.\n", encoding="utf-8")
    else:  # a focused build, which renders the pages showing story 2 and looks for the others
        story.write_text(story.read_text(encoding="utf-8").replace("title: ", "title: Revised ", 1), encoding="utf-8")
    builder = Builder(load_config(site), workers=1)
    builder.build()
    assert builder.quick == (change == "body")
    assert page.is_file() and other.is_file()
    assert not list(site.glob(".public-*"))


def test_a_deleted_page_the_last_build_wrote_is_restored_by_a_body_edit(site):
    """The spare holds an older copy of the pages the last build wrote: such a page deleted by hand is not lost."""
    story = site / "content" / "articles" / "story-02.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA first correction.\n", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    page = site / "public" / "articles" / "story-02" / "index.html"
    page.unlink()
    story.write_text(story.read_text(encoding="utf-8") + "\nA second correction.\n", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    assert "A second correction." in page.read_text(encoding="utf-8")
    other = site / "content" / "articles" / "story-03.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA third correction.\n", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    page.unlink()  # written by the last build, and not the one edited now
    other.write_text(other.read_text(encoding="utf-8") + "\nA correction elsewhere.\n", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    assert "A third correction." in page.read_text(encoding="utf-8")


def test_a_terms_spelling_chosen_by_other_articles_reaches_every_page(site, tmp_path):
    """The archive names a term by its most used spelling; when that flips, unchanged articles follow."""
    articles = site / "content" / "articles"
    for i in range(0, 20):  # most articles now write the place in capitals
        path = articles / f"story-{i:02d}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("[Rotterdam]", "[ROTTERDAM]"), encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    untouched = (site / "public" / "articles" / "story-25" / "index.html").read_text(encoding="utf-8")
    assert ">ROTTERDAM<" in untouched
    assert tree(site / "public") == cold_copy(site, tmp_path / "cold")


def test_a_staging_folder_left_by_a_killed_build_is_cleared(site):
    import os

    leftover = site / ".public-killed"
    (leftover / "articles").mkdir(parents=True)
    old = leftover.stat().st_mtime - 2 * 3600
    os.utime(leftover, (old, old))
    recent = site / ".public-running"
    recent.mkdir()
    (site / "content" / "articles" / "story-02.md").touch()
    Builder(load_config(site), workers=1).build()
    assert not leftover.exists()
    assert recent.exists()  # perhaps another build's, still at work


def test_slugs_kept_by_an_earlier_build_are_used_only_when_the_same_slugify_made_them(site):
    from generator.archive import learn_slugs, slug_table, term_slug

    version, table = slug_table()
    assert table.get("Anke de Vries") == "anke-de-vries"  # the build made it
    learn_slugs(("0.0-other", {"A name from another slugify": "made-elsewhere"}))
    assert term_slug("A name from another slugify") == "a-name-from-another-slugify"
    learn_slugs((version, {"A second name from this slugify": "kept-slug"}))
    assert term_slug("A second name from this slugify") == "kept-slug"
    # A fresh process reads the table the build saved.
    import pickle

    saved = pickle.loads((site / ".broadsheet-cache" / "slugs.pickle").read_bytes())[1]
    assert saved[0] == version and saved[1]["Anke de Vries"] == "anke-de-vries"


def test_the_scan_of_the_articles_folder_sees_every_change_and_nothing_else(site):
    from generator.quick import scan_articles

    config = load_config(site)
    first = scan_articles(config)
    assert scan_articles(config).stamp == first.stamp
    story = site / "content" / "articles" / "story-03.md"
    assert first.files[story.relative_to(site).as_posix()] == (story.stat().st_size, story.stat().st_mtime_ns)
    assert all(path.endswith(".md") for path in first.files) and len(first.files) == 30

    seen = {first.stamp}
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("Story number 3", "Story number 8"), encoding="utf-8")  # same size, in place
    seen.add(scan_articles(config).stamp)
    extra = site / "content" / "articles" / "pictures" / "note.txt"
    extra.parent.mkdir()
    extra.write_text("a file in a folder below\n", encoding="utf-8")
    scan = scan_articles(config)
    seen.add(scan.stamp)
    assert len(seen) == 3
    assert "content/articles/pictures/note.txt" not in scan.files and len(scan.files) == 30


def test_a_scan_updated_with_the_files_a_watcher_names_equals_a_new_scan(site):
    from generator.quick import scan_articles

    config = load_config(site)
    articles = site / "content" / "articles"
    first = scan_articles(config)
    story = articles / "story-03.md"
    story.write_text(story.read_text(encoding="utf-8") + "A later paragraph.\n", encoding="utf-8")
    temporary = articles / ".story-03.md.swp-42"  # an editor's file, written and gone again
    temporary.write_text("x", encoding="utf-8")
    temporary.unlink()
    updated = first.updated([str(story), str(temporary), str(site / "site.toml")])
    assert updated is not None and updated.touched == {"content/articles/story-03.md"}
    again = scan_articles(config)
    assert updated.stamp == again.stamp != first.stamp
    assert updated.stat("content/articles/story-03.md") == again.files["content/articles/story-03.md"]

    added = articles / "story-99.md"
    added.write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    assert again.updated([str(added)]) is None  # a new file: only a whole scan lists it
    added.unlink()
    below = articles / "pictures" / "map.txt"
    below.parent.mkdir()
    below.write_text("x", encoding="utf-8")
    assert again.updated([str(below)]) is None
    story.unlink()
    assert again.updated([str(story)]) is None  # a file gone


def test_a_warm_builder_told_which_files_changed_builds_what_a_cold_build_does(site, tmp_path):
    first = site / "content" / "articles" / "story-05.md"
    first.write_text(first.read_text(encoding="utf-8") + "A first correction.\n", encoding="utf-8")
    builder = Builder(load_config(site), workers=1)
    builder.build()  # the first edit after a cold build is a full one
    for n, name in enumerate(["story-03.md", "story-11.md", "story-03.md"]):
        path = site / "content" / "articles" / name
        path.write_text(path.read_text(encoding="utf-8") + f"Correction number {n}.\n", encoding="utf-8")
        result = builder.build(touched=[str(path)])
        assert builder.quick and result.rendered == 1
        assert f"Correction number {n}." in (site / "public" / "articles" / name[:-3] / "index.html").read_text(
            encoding="utf-8")
        assert tree(site / "public") == cold_copy(site, tmp_path / f"cold-{n}")
    assert builder.build(touched=[]).unchanged

    # A build by another process since: this builder's picture of the folder is no longer trusted.
    other = site / "content" / "articles" / "story-20.md"
    other.write_text(other.read_text(encoding="utf-8") + "Edited elsewhere.\n", encoding="utf-8")
    path = site / "content" / "articles" / "story-21.md"
    path.write_text(path.read_text(encoding="utf-8") + "Edited here.\n", encoding="utf-8")
    Builder(load_config(site), workers=1).build()
    other.write_text(other.read_text(encoding="utf-8") + "Edited elsewhere again.\n", encoding="utf-8")
    builder.build(touched=[])
    assert "Edited elsewhere again." in (site / "public" / "articles" / "story-20" / "index.html").read_text(
        encoding="utf-8")


def test_a_large_folder_stat_by_two_processes_gives_the_same_scan(site, monkeypatch):
    import generator.quick as quick

    (site / "content" / "articles" / "pictures").mkdir()  # a folder among the files, told apart by its stat
    config = load_config(site)
    monkeypatch.setattr(quick, "SPLIT_AT", 10**9)
    alone = quick.scan_articles(config)
    monkeypatch.setattr(quick, "SPLIT_AT", 2)  # every folder split with a forked child
    split = quick.scan_articles(config)
    assert split.stamp == alone.stamp and split.files == alone.files and len(split.files) == 30
