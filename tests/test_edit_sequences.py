"""Edits in any order give exactly the site a cold build of the same content gives.

Random sequences of the edits editors make (a corrected body, a new headline, a moved date,
other people named, an alias, a template change, a deleted, a renamed and a new article),
each followed by an incremental build and compared, byte for byte, with a cold build of a
copy. Body-only edits take the quick build (generator/quick.py), the rest the full one, so
the sequences also check that each leaves the build database right for the other.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.content import dump_content
from generator.pipeline import Builder
from generator.related import RelatedIndex
from tests.helpers import REPO, site_digests as tree
from tests.test_incremental import cold_copy, make_site, write_article

EDITS = ("body", "body", "title", "summary", "date", "persons", "aliases", "template", "delete", "rename", "add")


def build(root: Path) -> Builder:
    builder = Builder(load_config(root), workers=1)
    builder.build()
    return builder


def _articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").glob("*.md"))


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _line(path: Path, key: str) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(f"{key}:"))


def apply(root: Path, edit: str, rng: random.Random, step: int) -> None:
    """Make one edit of kind `edit` to the site's content or theme."""
    path = rng.choice(_articles(root))
    if edit == "body" and rng.random() < 0.5 and (root / "content" / "articles" / "decided-1.md").is_file():
        path = root / "content" / "articles" / "decided-1.md"  # an article whose names the decisions change
    if edit == "body":
        _append(path, f"\nA correction, number {step}.\n")
    elif edit == "title":
        _rewrite(path, _line(path, "title"), f"title: A new headline {step}")
    elif edit == "summary":
        _rewrite(path, _line(path, "summary"), f"summary: A new summary {step}.")
    elif edit == "date":
        date = f"date: 20{10 + rng.randrange(8)}-0{1 + rng.randrange(9)}-1{rng.randrange(9)}"
        if "\ndate:" in path.read_text(encoding="utf-8"):
            _rewrite(path, _line(path, "date"), date)
        else:  # an undated story's front matter has no date line
            _rewrite(path, _line(path, "title"), f"{_line(path, 'title')}\n{date}")
    elif edit == "persons":
        _rewrite(path, _line(path, "persons"), f"persons: [Person {rng.randrange(9)}, Maria Jansen {step}]")
    elif edit == "aliases":
        (root / "content" / "aliases.toml").write_text(
            f'[persons]\n"Person {rng.randrange(7)}" = "Anke de Vries"\n"Someone {step}" = "Anke de Vries"\n',
            encoding="utf-8")
    elif edit == "template":
        theme = root / "themes" / "mine" / "templates"
        if not theme.is_dir():
            theme.mkdir(parents=True)
            config = root / "site.toml"
            config.write_text(config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "mine"'),
                              encoding="utf-8")
        name = rng.choice(["term.html", "article.html", "list.html"])
        source = (theme / name) if (theme / name).is_file() else REPO / "themes" / "default" / "templates" / name
        (theme / name).write_text(source.read_text(encoding="utf-8") + f"{{# edit {step} #}}\n", encoding="utf-8")
    elif edit == "delete":
        if len(_articles(root)) > 5:
            path.unlink()
    elif edit == "rename":
        slug = f"renamed-{step}"
        _rewrite(path, _line(path, "slug"), f"slug: {slug}")
        path.rename(path.with_name(f"{slug}.md"))
    elif edit == "add":
        write_article(root, f"added-{step}", f"An added story {step}", f"2017-0{1 + step % 9}-02",
                      [f"Person {step % 7}"], ["ports"], f"Added body {step}. More text.")


@pytest.mark.parametrize("seed, per_file", [(1, None), (2, 3), (3, 3)])
def test_random_edit_sequences_match_cold_builds(tmp_path, seed, per_file):
    rng = random.Random(seed)
    root = make_site(tmp_path / "site", count=16)
    if per_file:  # a year's and a term's data split over several files, short pages and pages of names by letter,
        # as in a large archive, and stories with no date, on pages of their own
        _rewrite(root / "site.toml", "per_page = 20", "per_page = 4")
        _append(root / "site.toml", f"api_per_file = {per_file}\nnames_per_page = 3\n")
        for n in range(6):
            write_article(root, f"undated-{n}", f"Undated story {n}", None, [f"Person {n}"], ["ports"],
                          f"Undated {n}. Text.")
    # Names the archive-wide decisions change: a surname alone, a country's short name, a name no body
    # writes as a place (left off the index); with pages by letter, a name under M, where the persons edits
    # add theirs (a letter new to the index takes the full pass).
    for n in range(2):
        path = root / "content" / "articles" / f"decided-{n}.md"
        meta = {"title": f"Decided {n}", "slug": f"decided-{n}", "date": f"2016-0{n + 1}-03", "summary": "Names.",
                "tags": ["ports"], "locations": ["UK", "Zembla"],
                "persons": ["Vries", "Anke de Vries", *(["Maria Jansen"] if per_file else [])]}
        path.write_text(dump_content(meta, "De Vries spoke about the UK. More text.\n"), encoding="utf-8")
    build(root)
    sequence = [rng.choice(EDITS) for _ in range(7)]
    for _ in range(2):  # every sequence has body edits somewhere
        sequence.insert(rng.randrange(len(sequence) + 1), "body")
    kinds = []
    for step, edit in enumerate(sequence):
        apply(root, edit, rng, step)
        builder = build(root)
        kinds.append((edit, builder.quick))
        if edit in ("summary", "persons", "rename"):  # the pages showing the story alone are fingerprinted; a
            # persons edit names a new person, whose pages are new, and may empty a page; a new slug is a story
            # taken out and one added, on the same day
            assert builder.focused, (edit, step)
        elif edit in ("aliases", "template"):
            assert builder.focused is None, (edit, step)
        if edit in ("title", "summary", "date", "template"):  # no name, alias or article changed: the decisions are reused
            assert not builder.decided_again, (edit, step)
        elif edit in ("persons", "aliases", "add", "rename"):
            assert builder.decided_again, (edit, step)
        cold = cold_copy(root, tmp_path / f"cold-{step}")
        assert tree(root / "public") == cold, f"after {kinds}"
    # Body edits take the quick path (the first after a cold build too: it left its spare); every other kind of
    # edit the full one.
    assert all(quick == (edit == "body") for edit, quick in kinds), kinds


def test_a_body_edit_renders_its_page_alone_and_matches_a_cold_build(tmp_path):
    root = make_site(tmp_path / "site", count=30)
    build(root)
    path = root / "content" / "articles" / "story-05.md"
    for n in range(3):  # the first after the cold build too: that build made its spare

        _append(path, f"\nA sentence corrected {n}.\n")
        builder = Builder(load_config(root), workers=1)
        result = builder.build()
        assert builder.quick and builder.content_read == 1 and result.rendered == 1
        assert f"A sentence corrected {n}." in (root / "public" / "articles" / "story-05" / "index.html").read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")
    # The next build finds nothing to do, and a later full build agrees with what the quick ones recorded.
    assert Builder(load_config(root), workers=1).build().unchanged
    _rewrite(path, _line(path, "title"), "title: A headline for the full build")
    result = Builder(load_config(root), workers=1).build()
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")


def test_a_headline_edit_fingerprints_the_pages_that_show_it_alone(tmp_path):
    root = make_site(tmp_path / "site", count=60)
    build(root)
    public = root / "public"
    path = root / "content" / "articles" / "story-05.md"
    _rewrite(path, _line(path, "title"), "title: A corrected headline")
    builder = Builder(load_config(root), workers=1)
    result = builder.build()
    assert not builder.quick and builder.focused and builder.focused < result.files / 2
    showing = {p.relative_to(public).as_posix() for p in public.rglob("*.html")
               if "A corrected headline" in p.read_text(encoding="utf-8")}
    assert "articles/story-05/index.html" in showing and "persons/person-5/index.html" in showing
    assert any(p.startswith("articles/") and p != "articles/story-05/index.html" for p in showing)  # related stories
    # Every story is tagged "ports" (3 pages): the tag's page listing the story was made again, not the others.
    ports = {p.relative_to(public).as_posix() for p in (public / "tags" / "ports").rglob("index.html")}
    assert len(ports) == 3 and len(ports & showing) == 1
    assert ports & set(builder.focused_pages) == ports & showing
    assert tree(public) == cold_copy(root, tmp_path / "cold")


def test_pages_left_out_of_a_focused_build_keep_the_fingerprints_a_full_pass_gives(tmp_path):
    """The pages a focused build skips are those whose data cannot reach the edited stories: a full
    fingerprint pass over the same site must find every page's fingerprint as the focused build left it,
    whether or not the theme prints what changed. Headlines, summaries and dates, which move stories
    along every listing and change which stories are related."""
    root = make_site(tmp_path / "site", count=45)
    build(root)
    rng = random.Random(7)
    for step in range(4):
        for path in rng.sample(_articles(root), 3):
            key = rng.choice(["title", "summary", "date", "date"])
            if key == "date":  # within the months the site has, so no month page appears or goes
                _rewrite(path, _line(path, key), f"date: 2016-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
            else:
                _rewrite(path, _line(path, key), f"{key}: Changed {key} {step} {path.stem}")
        builder = build(root)
        assert builder.focused, step
        focused = dict(builder.db.conn.execute("SELECT path, digest FROM pages"))
        builder = Builder(load_config(root), workers=1)
        builder.build(force=True)
        assert builder.focused is None
        assert dict(builder.db.conn.execute("SELECT path, digest FROM pages")) == focused, step
        assert tree(root / "public") == cold_copy(root, tmp_path / f"cold-{step}")


def test_a_persons_edit_renders_the_pages_of_the_people_it_names_and_no_longer_names(tmp_path):
    root = make_site(tmp_path / "site", count=60)
    build(root)
    public = root / "public"
    path = root / "content" / "articles" / "story-05.md"  # Person 5 and Anke de Vries; topic 0 and ports
    _rewrite(path, _line(path, "persons"), "persons: [Person 3, Anke de Vries]")
    builder = Builder(load_config(root), workers=1)
    result = builder.build()
    assert builder.decided_again and builder.focused and builder.focused < result.files / 2
    rendered = set(builder.focused_pages)
    # Both people's pages print their new counts; the people's index lists them.
    assert {"persons/person-3/index.html", "persons/person-5/index.html", "persons/index.html"} <= rendered
    assert "7 articles" in (public / "persons" / "person-5" / "index.html").read_text(encoding="utf-8")
    assert "10 articles" in (public / "persons" / "person-3" / "index.html").read_text(encoding="utf-8")
    assert "tags/topic-2/index.html" not in rendered  # a tag the story does not have
    assert tree(public) == cold_copy(root, tmp_path / "cold")


#: Names a story can be given in the test below: all already in the archive.
_PEOPLE = [f"Person {n}" for n in range(7)] + ["Anke de Vries", "Vries"]
_TAGS = [f"topic {n}" for n in range(5)] + ["ports"]


def _same_as_a_full_pass_and_a_cold_build(root: Path, tmp_path: Path, builder: Builder, step: int) -> None:
    """The pages a focused build left are those a full fingerprint pass finds, and the site a cold build's."""
    pages = dict(builder.db.conn.execute("SELECT path, digest FROM pages"))
    full = Builder(load_config(root), workers=1)
    full.build(force=True)
    assert dict(full.db.conn.execute("SELECT path, digest FROM pages")) == pages, step
    assert tree(root / "public") == cold_copy(root, tmp_path / f"cold-{step}")


@pytest.mark.parametrize("seed", [5, 8])
def test_names_edits_in_focused_builds_leave_the_fingerprints_a_full_pass_gives(tmp_path, seed):
    """Other people or tags named, among those the archive has: a story joins and leaves terms, whose
    every page prints the term's count, and the decisions, made again, may name other stories anew.
    A full fingerprint pass must find every page as the focused builds left it."""
    root = make_site(tmp_path / "site", count=45)
    for n in range(2):  # a surname alone, which the decisions fold into the full name
        write_article(root, f"decided-{n}", f"Decided {n}", f"2016-0{n + 1}-03", ["Vries", f"Person {n}"], ["ports"],
                      "De Vries spoke about the port. More text.")
    build(root)
    rng = random.Random(seed)
    focused = 0
    for step in range(5):
        for path in rng.sample(_articles(root), 2):
            if rng.random() < 0.6:
                names = rng.sample(_PEOPLE, rng.randrange(1, 4))
                _rewrite(path, _line(path, "persons"), "persons: [" + ", ".join(names) + "]")
            else:
                names = rng.sample(_TAGS, rng.randrange(1, 3))
                _rewrite(path, _line(path, "tags"), "tags: [" + ", ".join(names) + "]")
        builder = build(root)
        assert builder.decided_again, step
        focused += bool(builder.focused)
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
    assert focused == 5


def test_names_edits_that_make_or_empty_pages_are_focused_and_match_a_full_pass(tmp_path):
    """The commonest names edits add or remove pages: a person named for the first time (their page, feed
    and data file appear), a person or tag whose only story it was (theirs go), a term with a page more or
    fewer (41 stories of "ports" and "Anke de Vries", 20 a page). They stay focused builds: the pages of the
    terms joined and left, the indexes and their counts, the sitemap and the data files' index are made
    again, and every other page keeps what it was made from."""
    root = make_site(tmp_path / "site", count=41)
    write_article(root, "lonely", "A lonely story", "2016-05-05", ["Only Once"], ["lone topic"],
                  "Only Once and Brand Newname spoke. More text.")
    build(root)
    public = root / "public"
    lonely, story = root / "content" / "articles" / "lonely.md", root / "content" / "articles" / "story-07.md"
    assert (public / "persons" / "only-once" / "index.html").is_file()
    assert (public / "persons" / "anke-de-vries" / "page" / "3" / "index.html").is_file()
    edits = [
        (lonely, "persons", "persons: [Brand Newname]"),  # one person appears, one goes
        (lonely, "tags", "tags: [topic 1]"),  # a tag goes
        (story, "persons", "persons: [Person 0]"),  # Anke de Vries: 41 stories to 40, a page fewer
        (story, "tags", "tags: [topic 2]"),  # so does "ports"
        (story, "persons", "persons: [Person 0, Anke de Vries]"),  # and back: her third page again
    ]
    for step, (path, key, line) in enumerate(edits):
        _rewrite(path, _line(path, key), line)
        builder = build(root)
        assert builder.focused, step
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
        sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
        if step == 0:
            assert not (public / "persons" / "only-once").exists() and "/persons/only-once/" not in sitemap
            assert (public / "persons" / "brand-newname" / "feed.xml").is_file()
            assert "/persons/brand-newname/" in sitemap
        elif step == 1:
            assert not (public / "tags" / "lone-topic").exists() and "/tags/lone-topic/" not in sitemap
        elif step == 3:
            assert not (public / "persons" / "anke-de-vries" / "page" / "3").exists()
            assert "/tags/ports/page/3/" not in sitemap
    assert (public / "persons" / "anke-de-vries" / "page" / "3" / "index.html").is_file()
    assert "/persons/anke-de-vries/page/3/" in (public / "sitemap.xml").read_text(encoding="utf-8")


def test_names_edits_reach_the_letter_pages_listing_the_names(tmp_path):
    """Past `names_per_page` names a taxonomy has pages by letter. A story naming other people the archive has
    changes their counts: the letter pages listing them are made again, and no other; a new name changes every
    page of its letter (each counts the letter's names; here one page more), and its going takes that page
    away; a letter the index did not have takes the full pass (every letter page shows the letters)."""
    root = make_site(tmp_path / "site", count=45, people=9)
    _append(root / "site.toml", "names_per_page = 3\n")
    build(root)
    public, letters = root / "public", "persons/letters/p/"
    assert (public / letters / "page/3/index.html").is_file() and not (public / letters / "page/4").exists()
    edits = [
        ("story-04", "persons: [Person 7, Anke de Vries]"),  # Person 4 (page 2) and 7 (page 3) recounted
        ("story-12", "persons: [Person 35, Anke de Vries]"),  # for Person 3: a name more, so a page more
        ("story-12", "persons: [Person 3, Anke de Vries]"),  # gone again: page 4 goes
        ("story-11", "persons: [Zoe Zander, Anke de Vries]"),  # a letter more
    ]
    for step, (slug, line) in enumerate(edits):
        path = root / "content" / "articles" / f"{slug}.md"
        _rewrite(path, _line(path, "persons"), line)
        builder = build(root)
        rendered = set(builder.focused_pages or ())
        sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
        if step == 0:
            assert builder.focused
            assert {f"{letters}page/2/index.html", f"{letters}page/3/index.html"} <= rendered
            assert f"{letters}index.html" not in rendered and "persons/letters/a/index.html" not in rendered
        elif step == 1:
            assert builder.focused
            assert {f"{letters}index.html", *(f"{letters}page/{n}/index.html" for n in (2, 3, 4))} <= rendered
            assert "persons/letters/a/index.html" not in rendered
            assert "/persons/letters/p/page/4/" in sitemap
        elif step == 2:
            assert builder.focused
            assert not (public / letters / "page/4").exists() and "/persons/letters/p/page/4/" not in sitemap
        else:
            assert builder.focused is None
            assert (public / "persons/letters/z/index.html").is_file()
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)


def test_edits_to_undated_stories_reach_the_undated_pages_listing_them(tmp_path):
    """The stories with no date are listed by headline on pages of their own, which the archive's index links
    with their count: a new headline re-renders the undated pages from its old place to its new one, not the
    index; a date given to an undated story reaches every undated page (each counts them) and the index, and
    a page fewer goes. Every build matches a full fingerprint pass and a cold build."""
    root = make_site(tmp_path / "site", count=12)
    _rewrite(root / "site.toml", "per_page = 20", "per_page = 3")
    for n in range(8):
        write_article(root, f"undated-{n}", f"Undated story {n}", None, ["Person 1"], ["ports"], f"Undated {n}. Text.")
    build(root)
    pages = ["archive/undated/index.html", *(f"archive/undated/page/{n}/index.html" for n in (2, 3))]
    articles = root / "content" / "articles"
    edits = [
        ("undated-7", "title", "title: Undated story 7, retold"),  # stays last: the third page alone
        ("undated-7", "title", "title: Undated story 1, retold"),  # to the first page: all three
        ("undated-3", "date", "date: 2016-05-05"),  # dated: seven undated stories, still three pages
        ("undated-4", "date", "date: 2016-06-06"),  # six: two pages
    ]
    for step, (slug, key, line) in enumerate(edits):
        path = articles / f"{slug}.md"
        if key == "date":  # an undated story's front matter has no date line: one goes after its headline
            _rewrite(path, _line(path, "title"), f"{_line(path, 'title')}\n{line}")
        else:
            _rewrite(path, _line(path, key), line)
        builder = build(root)
        assert builder.focused, step
        rendered = set(builder.focused_pages)
        if step == 0:
            assert pages[2] in rendered and not {pages[0], pages[1], "archive/index.html"} & rendered
        elif step == 1:
            assert set(pages) <= rendered and "archive/index.html" not in rendered
        else:
            assert {"archive/index.html", pages[0], pages[1]} <= rendered
        assert (root / "public" / pages[2]).exists() == (step < 3)
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)


def test_added_stories_are_focused_builds_and_match_a_full_pass(tmp_path):
    """A newsroom adds stories every day. An added story takes the focused build: its page, every listing
    page from its place on (all of them when the listing gains a page), its neighbours, the terms it joined,
    the date archive and the data index, and the related stories of the terms' members; a story in a month
    the archive had no story in takes the full pass (the month's page appears)."""
    root = make_site(tmp_path / "site", count=40)  # 20 a page: the home listing has two pages, full
    build(root)
    public = root / "public"
    additions = [  # (stories added as (slug, date, persons, tags), whether the build is focused)
        # a story in the middle of the archive that gives the home listing a third page,
        ([("added-0", "2016-02-14", ["Person 2", "Anke de Vries"], ["ports"])], True),
        # the newest story, naming someone new and a new tag,
        ([("added-1", "2016-12-30", ["Nieuwe Naam"], ["new topic", "ports"])], True),
        # two at once,
        ([("added-2", "2016-03-01", ["Person 4"], ["topic 1"]), ("added-3", "2016-08-08", ["Person 4"], ["topic 1"])],
         True),
        # the first undated story (the undated stories' data file appears: the full pass), then a second,
        ([("added-4", None, ["Person 3"], ["topic 1"])], False),
        ([("added-5", None, ["Person 4"], ["topic 2"])], True),
        # and one in a month the archive did not have.
        ([("added-6", "2015-07-07", ["Person 1"], ["ports"])], False),
    ]
    for step, (stories, focused) in enumerate(additions):
        for slug, date, persons, tags in stories:
            write_article(root, slug, f"An added story {slug}", date, persons, tags, f"Body of {slug}. More text.")
        builder = build(root)
        assert bool(builder.focused) == focused, step
        if focused:
            assert "persons/person-5/index.html" not in builder.focused_pages  # no added story names them
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
        for slug, *_ in stories:
            assert (public / "articles" / slug / "index.html").is_file()
            assert f"/articles/{slug}/" in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert (public / "page" / "3" / "index.html").is_file()
    assert "An added story added-1" in (public / "index.html").read_text(encoding="utf-8")
    assert (public / "persons" / "nieuwe-naam" / "index.html").is_file()


def test_a_headline_that_moves_a_story_past_another_of_its_day_matches_a_cold_build(tmp_path):
    """Stories of one day are listed by headline: a new headline can move one past another on every listing."""
    root = make_site(tmp_path / "site", count=30)
    for slug, title in (("same-day-a", "Alpha on the day"), ("same-day-b", "Beta on the day")):
        write_article(root, slug, title, "2016-03-03", ["Anke de Vries"], ["ports"], f"Body of {slug}. More text.")
    build(root)
    for step, title in enumerate(("Zulu on the day", "Yankee on the day", "Alpha again")):
        path = root / "content" / "articles" / "same-day-a.md"
        _rewrite(path, _line(path, "title"), f"title: {title}")
        builder = build(root)
        assert builder.focused
        assert tree(root / "public") == cold_copy(root, tmp_path / f"cold-{step}")


@pytest.mark.parametrize("stories,people,topics,seed", [(40, 3, 2, 1), (40, 3, 2, 2), (64, 5, 3, 1), (64, 5, 3, 2)])
def test_headlines_that_reorder_crowded_days_leave_the_fingerprints_a_full_pass_gives(tmp_path, stories, people, topics,
                                                                                       seed):
    """Stories of a day are listed by headline. A new headline that moves a story past others of its
    day changes no score of the related stories, only their order: the focused build reaches the pages
    that listed one of the stories it passed, and those whose window over a long term (with 64 stories,
    "ports" is on more than the related stories' cap) cuts through that day."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    for i in range(stories):  # eight days of five or eight stories
        write_article(root, f"story-{i:02d}", f"Headline {(i * 37) % 64:02d}", f"2016-03-{1 + i % 8:02d}",
                      [f"Person {i % people}"], [f"topic {i % topics}", "ports"], f"Body of story {i}. More text.")
    build(root)
    rng = random.Random(seed)
    for step in range(4):
        for path in rng.sample(_articles(root), 2):
            _rewrite(path, _line(path, "title"), f"title: Headline {rng.randrange(64):02d}{'b' * step}")
        builder = build(root)
        assert builder.focused, step
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)


def _long_terms_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stories: int) -> Path:
    """A built site of March and April stories, one or two a day, of three people, two topics and "ports", with
    the related stories' cap lowered to 6, so that every term is long (its members score it within a window)."""
    monkeypatch.setattr(RelatedIndex.__init__, "__defaults__", (5, 6))
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    for i in range(stories):
        write_article(root, f"story-{i:02d}", f"Headline {i:02d}", f"2016-0{3 + i % 2}-{1 + (i * 7) % 28:02d}",
                      [f"Person {i % 3}"], [f"topic {i % 2}", "ports"], f"Body of story {i}. More text.")
    build(root)
    return root


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dates_moved_within_long_terms_leave_the_fingerprints_a_full_pass_gives(tmp_path, monkeypatch, seed):
    """A story moved to another day reaches, of its long terms' members, those whose date window (the related
    stories' cap, made 6 here so that every term is long) holds its old or its new day, and its neighbours
    in each term's list, old and new. The rest keep their pages: a full fingerprint pass and a cold build
    agree with the focused build after every move."""
    root = _long_terms_site(tmp_path, monkeypatch, 48)
    rng = random.Random(seed)
    for step in range(4):
        path = rng.choice(_articles(root))
        _rewrite(path, _line(path, "date"), f"date: 2016-0{3 + rng.randrange(2)}-{1 + rng.randrange(28):02d}")
        builder = build(root)
        assert builder.focused, step
        # Not every story's page: only those whose window holds the old or the new day, and the neighbours.
        assert len([page for page in builder.focused_pages if page.startswith("articles/")]) < 30, step
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_names_that_join_or_leave_long_terms_leave_the_fingerprints_a_full_pass_gives(tmp_path, monkeypatch, seed):
    """A story that joins or leaves a long term whose rarity stays the same step reaches, of the term's
    members, those whose date window (the related stories' cap, made 6 here) reaches the story's day, and
    its neighbours in the term's list: the others keep their related stories and links. A full fingerprint
    pass and a cold build agree with the focused build after every edit."""
    from generator import related

    monkeypatch.setattr(related, "RARITY_STEP", 0.5)  # so that most joins keep the step (and some do not)
    root = _long_terms_site(tmp_path, monkeypatch, 57)  # three people of 19 stories each
    rng = random.Random(seed)
    fewer = focused = edited = 0
    for step in range(4):
        path = rng.choice(_articles(root))
        if rng.random() < 0.6:
            names = rng.sample([f"Person {n}" for n in range(3)], rng.randrange(1, 3))
            _rewrite(path, _line(path, "persons"), "persons: [" + ", ".join(names) + "]")
        else:
            names = rng.sample(["topic 0", "topic 1", "ports"], rng.randrange(1, 3))
            _rewrite(path, _line(path, "tags"), "tags: [" + ", ".join(names) + "]")
        builder = build(root)
        focused += bool(builder.focused)
        edited += builder.decided_again  # not when the story already had just those names
        stories = [page for page in builder.focused_pages if page.startswith("articles/")]
        fewer += bool(builder.focused) and len(stories) < 40
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
    assert focused == edited and fewer  # not every member's page, at least once


@pytest.mark.parametrize("seed,rarity_step", [(1, 0.01), (2, 0.01), (3, 0.5), (4, 0.5)])
def test_stories_added_to_or_removed_from_long_terms_leave_the_fingerprints_a_full_pass_gives(tmp_path, monkeypatch,
                                                                                               seed, rarity_step):
    """Stories added on random days of the months the archive has, naming people and tags it has, or taken
    out: of the long terms' members (the related stories' cap made 6) those whose window reaches the story
    are reached, and when the archive's size crosses a power of two (from 60 stories past 64), all the
    members of each term whose rarity moves a step. A full fingerprint pass and a cold build agree with the
    focused build after every step."""
    from generator import related

    # Fine steps, which the archive's growth past 64 moves, or coarse ones, which most joins and removals keep.
    monkeypatch.setattr(related, "RARITY_STEP", rarity_step)
    root = _long_terms_site(tmp_path, monkeypatch, 60)
    rng = random.Random(seed)
    fewer = 0
    for step in range(5):
        removing = rng.random() < 0.4
        if removing:
            for path in rng.sample(_articles(root), rng.randrange(1, 3)):
                path.unlink()
        for n in range(rng.randrange(0 if removing else 1, 3)):
            persons = rng.sample([f"Person {k}" for k in range(3)], rng.randrange(1, 3))
            tags = rng.sample(["topic 0", "topic 1", "ports"], rng.randrange(1, 3))
            write_article(root, f"added-{step}-{n}", f"Headline added {step} {n}",
                          f"2016-0{3 + rng.randrange(2)}-{1 + rng.randrange(28):02d}", persons, tags,
                          f"Body of added story {step} {n}. More text.")
        builder = build(root)
        assert builder.focused, step
        fewer += len([page for page in builder.focused_pages if page.startswith("articles/")]) < 40
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
    assert fewer  # not every story's page, at least once


def test_removed_stories_are_focused_builds_and_match_a_full_pass(tmp_path):
    """A story taken down (a correction, a legal request) takes the focused build: its page goes, with its
    place in the sitemap and the search index; the listings from its place on, its old neighbours, the terms
    it left (a person whose only story it was loses their page), the stories that listed it beside them and
    the date archive are made again. The last story of a month takes the full pass (the month's page goes)."""
    root = make_site(tmp_path / "site", count=41)  # and two more: 20 a page, the home listing's third has three
    write_article(root, "lonely", "A lonely story", "2016-05-05", ["Only Once", "Person 2"], ["lone topic", "topic 2"],
                  "Body. More text.")
    write_article(root, "may-2015", "The only story of May 2015", "2015-05-05", ["Person 1"], ["ports"], "Body. More.")
    build(root)
    public = root / "public"
    shows_lonely = {p.parent.name for p in (public / "articles").glob("*/index.html")
                    if "/articles/lonely/" in p.read_text(encoding="utf-8") and p.parent.name != "lonely"}
    assert shows_lonely  # listed among related stories
    steps = [  # (files taken out, whether the build is focused)
        (["lonely"], True),  # its person and tag lose their pages
        (["story-00", "story-17"], True),  # two at once: the home listing loses its third page
        (["may-2015"], False),  # the month's page goes
    ]
    for step, (slugs, focused) in enumerate(steps):
        for slug in slugs:
            (root / "content" / "articles" / f"{slug}.md").unlink()
        builder = build(root)
        assert bool(builder.focused) == focused, step
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, step)
        sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
        for slug in slugs:
            assert not (public / "articles" / slug).exists() and f"/articles/{slug}/" not in sitemap
        if step == 0:
            assert not (public / "persons" / "only-once").exists() and not (public / "tags" / "lone-topic").exists()
            pages = [(public / "articles" / name / "index.html").read_text(encoding="utf-8") for name in shows_lonely]
            assert all("/articles/lonely/" not in page for page in pages)
        elif step == 1:
            assert not (public / "page" / "3").exists() and "/page/3/" not in sitemap
    assert not (public / "archive" / "2015").exists()


def test_a_new_slug_is_a_story_taken_out_and_one_added(tmp_path):
    """An editor renames a story's file with a new slug (the only story of its month, here): the old address
    goes, the new one comes, in a focused build; the month keeps its page."""
    root = make_site(tmp_path / "site", count=20)
    write_article(root, "may-2015", "The only story of May 2015", "2015-05-05", ["Person 1"], ["ports"], "Body. More.")
    build(root)
    path = root / "content" / "articles" / "may-2015.md"
    _rewrite(path, _line(path, "slug"), "slug: spring-2015")
    path.rename(path.with_name("spring-2015.md"))
    builder = build(root)
    assert builder.focused
    public = root / "public"
    assert not (public / "articles" / "may-2015").exists() and (public / "articles" / "spring-2015").is_dir()
    assert "/articles/spring-2015/" in (public / "archive" / "2015" / "05" / "index.html").read_text(encoding="utf-8")
    _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, 0)


def test_a_story_that_takes_the_archive_past_a_power_of_two_reaches_the_members_of_terms_it_did_not_join(tmp_path):
    """The archive's size weighs every term's rarity by its power of two: the 64th story moves the weights of
    terms it does not name, and their members' related stories are worked out again; the 63rd moves none."""
    root = make_site(tmp_path / "site", count=62)
    build(root)
    for count, slug in ((63, "added-63"), (64, "added-64")):
        meta = {"title": f"Story {count}", "slug": slug, "date": "2016-05-05", "summary": "Body.",
                "tags": ["lone topic"], "locations": ["Elsewhere"], "persons": ["Someone Else"]}
        (root / "content" / "articles" / f"{slug}.md").write_text(dump_content(meta, "Body. More text.\n"),
                                                                  encoding="utf-8")
        builder = build(root)
        # How many pages the focused build fingerprinted: with the 64th, every story page (all 62 name
        # "ports", Rotterdam and Anke de Vries, terms whose rarity moves) besides those the new story reaches.
        assert builder.focused and (builder.focused > 64 if count == 64 else builder.focused < 40), count
        _same_as_a_full_pass_and_a_cold_build(root, tmp_path, builder, count)


def test_a_date_that_opens_a_month_takes_the_full_pass(tmp_path):
    root = make_site(tmp_path / "site", count=20)
    build(root)
    path = root / "content" / "articles" / "story-04.md"
    _rewrite(path, _line(path, "date"), "date: 2019-05-05")  # no story of May 2019 yet: its archive page appears
    builder = build(root)
    assert builder.focused is None
    assert (root / "public" / "archive" / "2019" / "05" / "index.html").is_file()
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")
    _rewrite(path, _line(path, "date"), "date: 2016-07-09")  # and back: the month page goes
    builder = build(root)
    assert builder.focused is None and not (root / "public" / "archive" / "2019").exists()
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")


def test_a_theme_printing_bodies_elsewhere_gets_full_builds(tmp_path):
    """A full-text feed shows bodies outside their pages: the quick build must not leave it behind."""
    root = make_site(tmp_path / "site", count=12)
    theme = root / "themes" / "fulltext" / "templates"
    theme.mkdir(parents=True)
    feed = (REPO / "themes" / "default" / "templates" / "feed.xml").read_text(encoding="utf-8")
    assert "</entry>" in feed
    (theme / "feed.xml").write_text(feed.replace("</entry>", "<content type=\"html\">{{ article.body_html }}</content></entry>"),
                                    encoding="utf-8")
    config = root / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "fulltext"'), encoding="utf-8")
    build(root)
    path = root / "content" / "articles" / "story-11.md"
    for n in range(2):
        _rewrite(path, "More text.", f"Full text {n}. More text.")
        builder = build(root)
        assert not builder.quick
    assert "Full text 1." in (root / "public" / "feed.xml").read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_a_first_build_leaves_a_spare_of_links_so_the_first_edit_is_quick(tmp_path):
    """A first build (or one that cannot trust its output) makes its spare as links to the new site, old ones deleted."""
    root = make_site(tmp_path / "site", count=12)
    path = root / "content" / "articles" / "story-03.md"
    for run in ("first build", "build with its database deleted"):
        if run != "first build":
            for kept in (*(root / ".broadsheet-cache").glob("build-*.sqlite*"), root / ".broadsheet-cache/inputs.json"):
                kept.unlink()
        build(root)
        (spare,) = (root / ".broadsheet-cache").glob("spare-*")
        live = {p.relative_to(root / "public"): p.stat() for p in (root / "public").rglob("*") if p.is_file()}
        shared = {p.relative_to(spare): p.stat() for p in spare.rglob("*") if p.is_file()}
        assert any(path.parts[0] == "pagefind" for path in shared), run  # the search index too
        assert set(live) == set(shared), run
        assert all(shared[path].st_ino == live[path].st_ino for path in shared), run
        assert not list(tmp_path.glob("site/.public-*")), run  # the old site and the old spare are gone
        _append(path, f"\nCorrected after the {run}.\n")
        assert build(root).quick, run
        assert f"Corrected after the {run}." in (root / "public/articles/story-03/index.html").read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_a_site_restored_from_a_copy_is_walked_not_trusted(tmp_path):
    """A site restored from a copy has the same files, but its spare no longer shares them with the output."""
    root = make_site(tmp_path / "site", count=12)
    build(root)
    path = root / "content" / "articles" / "story-02.md"
    _rewrite(path, "More text.", "Once more text.")
    build(root)
    shutil.copytree(root, tmp_path / "backup", symlinks=True)
    shutil.rmtree(root)
    shutil.copytree(tmp_path / "backup", root, symlinks=True)
    _rewrite(path, "Once more text.", "Restored text.")
    builder = build(root)
    assert not builder.quick
    assert "Restored text." in (root / "public" / "articles" / "story-02" / "index.html").read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")
    # Walked once, the spare shares its files with the output again and the next edit is quick.
    _rewrite(path, "Restored text.", "Restored and corrected text.")
    assert build(root).quick
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")


def test_a_body_edit_that_changes_a_name_decision_takes_the_full_build(tmp_path):
    """The kinds read the bodies ("in Zembla" makes an unknown name a place): such an edit is not a body edit alone."""
    root = make_site(tmp_path / "site", count=12)
    path = root / "content" / "articles" / "story-04.md"
    meta = {"title": "Story four", "slug": "story-04", "date": "2016-05-05", "summary": "A story.",
            "tags": ["ports"], "locations": ["Rotterdam", "Zembla"], "persons": ["Anke de Vries"]}
    path.write_text(dump_content(meta, "A story about the harbour. More text.\n"), encoding="utf-8")
    build(root)
    _append(path, "\nThe harbour grew.\n")
    assert build(root).quick  # the decisions read nothing new
    assert not (root / "public" / "locations" / "zembla").exists()  # an unknown name no body writes as a place
    _append(path, "\nShe was born in Zembla and worked in Zembla for years.\n")
    builder = build(root)
    assert not builder.quick
    assert (root / "public" / "locations" / "zembla" / "index.html").is_file()
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_a_fresh_process_finds_a_changed_body_without_reading_every_row(tmp_path, monkeypatch):
    """The quick build compares the folder's stats with the record kept beside the database, not with a row a file;
    a record the database has moved past since (another build wrote rows) is never trusted."""
    from generator.builddb import BuildDB

    root = make_site(tmp_path / "site", count=10)
    build(root)
    first, second, third = (root / "content" / "articles" / f"story-0{n}.md" for n in (2, 5, 7))
    _rewrite(first, "More text.", "First correction.")
    assert build(root).quick  # reads the rows once, and keeps the record
    reads = []
    every_row = BuildDB.article_stats
    monkeypatch.setattr(BuildDB, "article_stats", lambda db: reads.append(1) or every_row(db))
    _rewrite(second, "More text.", "Second correction.")
    builder = build(root)
    assert builder.quick and builder.content_read == 1 and reads == []
    assert "Second correction." in (root / "public" / "articles" / "story-05" / "index.html").read_text(encoding="utf-8")
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")
    _rewrite(third, "title: Story number 7", "title: Story seven")  # a full build: it writes the rows
    assert not build(root).quick
    _rewrite(third, "More text.", "Third correction.")
    builder = build(root)
    assert builder.quick and reads == [1]  # the record was of the rows before that build: read them again
    _rewrite(first, "First correction.", "First correction, again.")
    builder = build(root)
    assert builder.quick and reads == [1]
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold-2")


def test_a_folder_listed_in_another_order_still_finds_the_changed_body_by_the_record(tmp_path, monkeypatch):
    """Some file systems list a file an editor saved by a rename in a new place: the record is then read by name."""
    import os

    from generator.builddb import BuildDB

    root = make_site(tmp_path / "site", count=10)
    build(root)
    first, second = (root / "content" / "articles" / f"story-0{n}.md" for n in (3, 6))
    _rewrite(first, "More text.", "First correction.")
    assert build(root).quick
    reads = []
    every_row = BuildDB.article_stats
    monkeypatch.setattr(BuildDB, "article_stats", lambda db: reads.append(1) or every_row(db))
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda *args: list(reversed(listdir(*args))))
    _rewrite(second, "More text.", "Second correction.")
    builder = build(root)
    assert builder.quick and builder.content_read == 1 and reads == []
    assert "Second correction." in (root / "public" / "articles" / "story-06" / "index.html").read_text(encoding="utf-8")
    _rewrite(first, "First correction.", "First correction, again.")
    assert build(root).quick and reads == []  # the record now follows the new order
    (root / "content" / "articles" / "story-09.md").rename(root / "content" / "articles" / "story-99.md")
    assert not build(root).quick  # a file the record does not have: the full build
    monkeypatch.setattr(os, "listdir", listdir)
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_a_touched_but_unchanged_article_publishes_nothing(tmp_path):
    root = make_site(tmp_path / "site", count=8)
    build(root)
    path = root / "content" / "articles" / "story-02.md"
    _rewrite(path, "More text.", "Other text.")
    build(root)
    before = {p: p.stat().st_ino for p in (root / "public").rglob("*") if p.is_file()}
    path.touch()
    builder = Builder(load_config(root), workers=1)
    result = builder.build()
    assert builder.quick and result.rendered == 0
    assert {p: p.stat().st_ino for p in (root / "public").rglob("*") if p.is_file()} == before
    assert Builder(load_config(root), workers=1).build().unchanged
