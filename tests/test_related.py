"""Related coverage on article pages: ranking, previous/next on the main subject, the rendered page."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import pytest

from generator.archive import build_archive
from generator.config import load_config
from generator.content import dump_content
from generator.errors import BuildError
from generator.model import Article
from generator.pipeline import Builder
from generator.related import DATE_HALF_LIFE_DAYS, DATE_WEIGHT, POSTING_CAP, TAXONOMY_WEIGHTS, RelatedIndex, rarity
from tests.helpers import REPO, static_server, visible_text
from tests.test_incremental import build, cold_copy, make_site, tree, write_article

TAXONOMIES = ("tags", "locations", "persons")


def story(slug: str, date: str | None, persons=(), locations=(), tags=()) -> Article:
    return Article(slug=slug, title=slug.replace("-", " ").capitalize(), summary="", body_html="",
                   date=dt.date.fromisoformat(date) if date else None,
                   persons=tuple(persons), locations=tuple(locations), tags=tuple(tags))


def index_of(*articles: Article, size: int = 5) -> tuple[RelatedIndex, dict[str, Article]]:
    archive = build_archive(articles, TAXONOMIES)
    return RelatedIndex(archive, size), {a.slug: a for a in archive.articles}


def slugs(articles) -> list[str]:
    return [a.slug for a in articles]


def filler(n: int, tags=(), start: str = "2010-01-01") -> list[Article]:
    """Articles that share nothing with each other but the given tags."""
    first = dt.date.fromisoformat(start)
    return [story(f"filler-{i}", (first + dt.timedelta(days=i)).isoformat(), persons=[f"Nobody {i}"], tags=tags)
            for i in range(n)]


# --------------------------------------------------------------------------- ranking


def test_a_rare_shared_person_beats_a_common_shared_tag_even_when_the_tag_story_is_closer_in_date():
    index, by = index_of(
        story("a", "2016-05-01", persons=["Anke de Vries"], tags=["economy"]),
        story("far-person", "2012-01-01", persons=["Anke de Vries"]),
        story("same-day-tag", "2016-05-01", persons=["Someone Else"], tags=["economy"]),
        *filler(30, tags=["economy"]),
    )
    related = slugs(index.related(by["a"]))
    assert related[0] == "far-person"
    assert related.index("far-person") < related.index("same-day-tag")


def test_closeness_in_date_breaks_ties_between_stories_that_share_as_much():
    index, by = index_of(
        story("a", "2016-05-01", tags=["port strike"]),
        story("a-year-later", "2017-05-01", tags=["port strike"]),
        story("a-week-earlier", "2016-04-24", tags=["port strike"]),
        story("a-month-later", "2016-06-01", tags=["port strike"]),
        story("undated", None, tags=["port strike"]),
        *filler(10),
    )
    assert slugs(index.related(by["a"])) == ["a-week-earlier", "a-month-later", "a-year-later", "undated"]


def test_more_shared_names_rank_higher():
    index, by = index_of(
        story("a", "2016-05-01", persons=["Anke de Vries", "Pieter Bakker"], locations=["Rotterdam"]),
        story("one-name", "2016-05-01", persons=["Anke de Vries"]),
        story("two-names", "2014-05-01", persons=["Anke de Vries", "Pieter Bakker"]),
        story("three-names", "2010-05-01", persons=["Pieter Bakker", "Anke de Vries"], locations=["Rotterdam"]),
        *filler(10),
    )
    assert slugs(index.related(by["a"])) == ["three-names", "two-names", "one-name"]


def test_never_the_article_itself_never_twice_and_at_most_the_configured_number():
    crowd = [story(f"s{i}", f"2016-01-{1 + i:02d}", persons=["Anke de Vries", "Pieter Bakker"],
                   locations=["Rotterdam"], tags=["ports", "strikes"]) for i in range(20)]
    for size in (5, 3, 1):
        index, by = index_of(*crowd, size=size)
        for article in by.values():
            related = slugs(index.related(article))
            assert len(related) == size
            assert article.slug not in related
            assert len(set(related)) == len(related)
    index, by = index_of(*crowd, size=0)
    assert index.related(by["s0"]) == ()


def test_an_article_sharing_nothing_has_no_related_stories():
    index, by = index_of(story("lonely", "2016-05-01", persons=["Only Once"], tags=["unique tag"]), *filler(5))
    assert index.related(by["lonely"]) == ()


def test_names_are_matched_as_their_term_pages_are_whatever_the_spelling():
    index, by = index_of(story("a", "2016-05-01", persons=["Anke de Vries"]),
                         story("b", "2016-05-02", persons=["ANKE DE VRIES"]), *filler(5))
    assert slugs(index.related(by["a"])) == ["b"]


def brute_force(articles: list[Article], article: Article, size: int) -> list[str]:
    """Every pair compared: the reference the posting walk must agree with when no term is capped."""
    n = len(articles)
    df: dict[tuple[str, str], int] = {}
    names = {a.slug: {(k, name.casefold()) for k in TAXONOMY_WEIGHTS for name in a.terms(k)} for a in articles}
    for a in articles:
        for key in names[a.slug]:
            df[key] = df.get(key, 0) + 1
    order = {a.slug: i for i, a in enumerate(build_archive(articles, TAXONOMIES).articles)}
    scored = []
    for other in articles:
        if other is article:
            continue
        shared = names[article.slug] & names[other.slug]
        score = round(sum(TAXONOMY_WEIGHTS[k] * rarity(n, df[(k, name)]) for k, name in shared if df[(k, name)] > 1), 9)
        if not shared:
            continue
        apart = abs((other.date - article.date).days)
        scored.append((-(score + DATE_WEIGHT * 0.5 ** (apart / DATE_HALF_LIFE_DAYS)), apart, order[other.slug], other.slug))
    return [s[-1] for s in sorted(scored)[:size]]


def test_the_posting_walk_ranks_as_comparing_every_pair_would():
    rng = random.Random(7)
    people = [f"Person {i}" for i in range(40)]
    places = [f"Place {i}" for i in range(15)]
    tags = [f"tag {i}" for i in range(25)]
    articles = [story(f"s{i:03d}", (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(2000))).isoformat(),
                      persons=rng.sample(people, rng.randint(1, 3)), locations=rng.sample(places, rng.randint(1, 2)),
                      tags=rng.sample(tags, rng.randint(1, 4)))
                for i in range(POSTING_CAP)]  # no term can have more members than the cap
    index, by = index_of(*articles)
    for article in articles:
        got = slugs(index.related(by[article.slug]))
        want = brute_force(articles, article, 5)
        assert got == want, article.slug


def test_a_very_common_term_adds_only_its_members_nearest_in_date():
    common = [story(f"c{i:03d}", (dt.date(2010, 1, 1) + dt.timedelta(days=7 * i)).isoformat(), tags=["news"])
              for i in range(4 * POSTING_CAP)]
    middle = common[2 * POSTING_CAP]
    index, by = index_of(*common, *filler(10))
    related = index.related(by[middle.slug])
    assert len(related) == 5
    assert max(abs((a.date - middle.date).days) for a in related) <= 21  # three weeks either side
    me = index._position[id(by[middle.slug])]
    walked = [j for j in index._nearest(index.postings(index.terms_of(by[middle.slug], "tags")[0]), me, POSTING_CAP) if j != me]
    assert len(walked) == POSTING_CAP and len(set(walked)) == POSTING_CAP
    distance = {j: abs(index._days[j] - middle.date.toordinal()) for j in range(len(common) + 10) if index._days[j] and j != me
                and index.articles[j].tags}
    nearest = sorted(distance.values())[:POSTING_CAP]
    assert sorted(distance[j] for j in walked) == nearest


# --------------------------------------------------------------------------- previous / next


def test_previous_and_next_follow_the_first_listed_person_who_has_another_story():
    index, by = index_of(
        story("before", "2016-01-10", persons=["Anke de Vries"]),
        story("unrelated-between", "2016-02-10", persons=["Someone Else"]),
        story("a", "2016-03-10", persons=["Only Here", "Anke de Vries"], locations=["Rotterdam"]),
        story("unrelated-between-2", "2016-04-10", persons=["Someone Else"]),
        story("after", "2016-06-10", persons=["Anke de Vries"]),
        story("rotterdam", "2016-03-11", locations=["Rotterdam"]),
    )
    coverage = index.coverage(by["a"])
    assert coverage.subject is not None and coverage.subject.name == "Anke de Vries"
    assert coverage.subject.url == "/persons/anke-de-vries/"
    assert coverage.older.slug == "before" and coverage.newer.slug == "after"
    newest = index.coverage(by["after"])
    assert newest.older.slug == "a" and newest.newer is None


def test_with_no_person_shared_the_first_place_is_the_subject():
    index, by = index_of(
        story("a", "2016-03-10", persons=["Only Here"], locations=["Nowhere Else", "Rotterdam"]),
        story("rotterdam-later", "2016-05-11", locations=["Rotterdam"]),
        story("other", "2016-04-11", locations=["Delft"]),
    )
    coverage = index.coverage(by["a"])
    assert coverage.subject.name == "Rotterdam"
    assert coverage.older is None and coverage.newer.slug == "rotterdam-later"


def test_with_no_subject_shared_previous_and_next_go_by_date():
    index, by = index_of(
        story("a", "2016-03-10", persons=["Only Here"]),
        story("earlier", "2016-03-01", persons=["Someone"]),
        story("much-earlier", "2015-03-01", persons=["Someone Else"]),
        story("later", "2016-03-20", persons=["Another"]),
        story("undated", None, persons=["Nobody"]),
    )
    coverage = index.coverage(by["a"])
    assert coverage.subject is None
    assert coverage.older.slug == "earlier" and coverage.newer.slug == "later"
    oldest = index.coverage(by["much-earlier"])
    assert oldest.older is None and oldest.newer.slug == "earlier"
    undated = index.coverage(by["undated"])
    assert undated.older is None and undated.newer is None


# --------------------------------------------------------------------------- the built site


def article_page(root: Path, slug: str) -> Path:
    return root / "public" / "articles" / slug / "index.html"


def coverage_html(page: Path) -> str:
    found = re.search(r'<aside class="coverage".*?</aside>', page.read_text(encoding="utf-8"), re.S)
    return found.group(0) if found else ""


def resolves(root: Path, href: str) -> bool:
    return href.startswith("/") and (root / "public" / href.lstrip("/") / "index.html").is_file()


def write(root: Path, slug: str, title: str, date: str, persons: list[str], locations: list[str], tags: list[str]) -> None:
    meta = {"title": title, "slug": slug, "date": date, "summary": f"{title}.", "tags": tags,
            "locations": locations, "persons": persons}
    path = root / "content" / "articles" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_content(meta, f"{title}.\n"), encoding="utf-8")


@pytest.fixture
def newsroom(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    write(root, "dock-strike", "Dock workers strike", "2016-05-12", ["Anke de Vries"], ["Rotterdam"], ["strikes"])
    write(root, "strike-ends", "Dock strike ends <quietly>", "2016-05-20", ["Anke de Vries"], ["Rotterdam"], ["strikes"])
    write(root, "strike-talks", "Strike talks begin", "2016-05-01", ["Anke de Vries", "Pieter Bakker"], [], ["talks"])
    write(root, "tulips", "Tulip season opens", "2016-04-15", ["Gerrit Bloem"], ["Lisse"], ["flowers"])
    build(root)
    return root


def test_an_article_page_lists_related_stories_that_resolve(newsroom):
    page = article_page(newsroom, "dock-strike")
    section = coverage_html(page)
    text = visible_text(page)
    assert "Related coverage" in text
    links = [href for href in re.findall(r'href="([^"]+)"', section)]
    assert "/articles/strike-ends/" in links and "/articles/strike-talks/" in links
    assert "/articles/dock-strike/" not in links
    assert all(resolves(newsroom, href) for href in links)
    assert "Dock strike ends &lt;quietly&gt;" in section  # titles are escaped


def test_an_article_page_shows_older_and_newer_on_its_main_subject(newsroom):
    text = visible_text(article_page(newsroom, "dock-strike"))
    assert "More on Anke de Vries" in text
    assert re.search(r"Older story Strike talks begin .*Newer story → Dock strike ends <quietly>", text)
    section = coverage_html(article_page(newsroom, "dock-strike"))
    assert 'rel="prev" href="/articles/strike-talks/"' in section
    assert 'rel="next" href="/articles/strike-ends/"' in section
    assert 'href="/persons/anke-de-vries/"' in section


def test_an_article_with_no_shared_subject_links_its_neighbours_by_date(newsroom):
    text = visible_text(article_page(newsroom, "tulips"))
    assert "Earlier and later stories" in text
    assert "Related coverage" not in text  # it shares nothing
    assert "Newer story → Strike talks begin" in text


def test_the_switch_turns_related_coverage_off(newsroom):
    config = newsroom / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + "related = 0\n", encoding="utf-8")
    build(newsroom)
    page = article_page(newsroom, "dock-strike")
    assert coverage_html(page) == ""
    assert "Related coverage" not in visible_text(page) and "More on" not in visible_text(page)
    config.write_text(config.read_text(encoding="utf-8").replace("related = 0", "related = 1"), encoding="utf-8")
    build(newsroom)
    items = re.findall(r'class="coverage__item"', coverage_html(article_page(newsroom, "dock-strike")))
    assert len(items) == 1


@pytest.mark.parametrize("value", ["-1", "true", '"5"', "21"])
def test_a_bad_related_setting_is_reported(tmp_path, value):
    (tmp_path / "site.toml").write_text(f"related = {value}\n", encoding="utf-8")
    with pytest.raises(BuildError, match="'related' must be a whole number from 0"):
        load_config(tmp_path)


def related_titles(root: Path, slug: str) -> list[str]:
    section = re.search(r'<ol class="coverage__list">.*?</ol>', coverage_html(article_page(root, slug)), re.S)
    return re.findall(r'class="coverage__link" href="[^"]+">([^<]*)</a>', section.group(0)) if section else []


def test_editing_a_title_reaches_the_related_lists_that_show_it(tmp_path):
    root = make_site(tmp_path / "site")
    build(root)
    shown = related_titles(root, "story-00")
    assert shown, "story-00 shares people and tags with others"
    number = int(shown[0].rsplit(" ", 1)[1])
    path = root / "content" / "articles" / f"story-{number:02d}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(f"title: Story number {number}\n",
                                                             f"title: Harbour story {number}\n"), encoding="utf-8")
    result = Builder(load_config(root), workers=1).build()
    assert f"Harbour story {number}" in related_titles(root, "story-00")
    assert result.rendered < result.files
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_changing_what_an_article_shares_changes_the_related_lists_like_a_cold_build(tmp_path):
    root = make_site(tmp_path / "site")
    build(root)
    shown = related_titles(root, "story-00")
    number = int(shown[0].rsplit(" ", 1)[1])
    write_article(root, f"story-{number:02d}", "Now about tulips", "2016-05-05", ["Gerrit Bloem"], ["flowers"], "Nothing shared.")
    Builder(load_config(root), workers=1).build()
    after = related_titles(root, "story-00")
    assert shown[0] not in after and "Now about tulips" not in after
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


# --------------------------------------------------------------------------- in a browser


@pytest.mark.browser
def test_the_block_reads_on_a_phone_in_dark_mode_and_side_by_side_on_a_desktop(newsroom, browser):
    with static_server(newsroom / "public") as origin:
        url = f"{origin}/articles/dock-strike/"
        phone = browser.new_page(viewport={"width": 360, "height": 740}, color_scheme="dark")
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
        assert phone.get_by_role("heading", name="Related coverage").is_visible()
        colours = phone.evaluate("""() => {
            const link = document.querySelector('.coverage__link');
            return [getComputedStyle(link).color, getComputedStyle(document.body).backgroundColor];
        }""")
        assert colours[0] != colours[1]
        assert colours[1] not in ("rgb(255, 255, 255)", "rgb(251, 250, 246)")  # the dark scheme applies
        older, newer = (phone.locator(s).bounding_box() for s in (".story-nav__older", ".story-nav__newer"))
        assert newer["y"] > older["y"]  # stacked on a phone
        desktop = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
        desktop.goto(url)
        older, newer = (desktop.locator(s).bounding_box() for s in (".story-nav__older", ".story-nav__newer"))
        assert newer["x"] > older["x"] and abs(newer["y"] - older["y"]) < 1  # side by side
        assert "Dock strike ends <quietly>" in desktop.locator('a[rel="next"]').inner_text()
        desktop.locator('a[rel="next"]').click()
        assert desktop.url.endswith("/articles/strike-ends/")
        phone.close()
        desktop.close()


@pytest.mark.browser
def test_a_most_covered_list_reads_down_one_column_on_a_desktop(newsroom, browser):
    """A ranking laid out in newspaper columns put the 571st place beside the first: each name is under the one
    ranked before it."""
    with static_server(newsroom / "public") as origin:
        desktop = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop.goto(f"{origin}/persons/popular/")
        boxes = [item.bounding_box() for item in desktop.locator(".term-list--ranked li").all()]
        assert len(boxes) == 3 and "Anke de Vries" in desktop.locator(".term-list--ranked li").first.inner_text()
        assert all(b["y"] > a["y"] and abs(b["x"] - a["x"]) < 1 for a, b in zip(boxes, boxes[1:]))
        desktop.close()
