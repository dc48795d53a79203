"""Rich previews and data for others: JSON-LD, Open Graph and Twitter tags in page heads, the /api/
JSON files, and what `check` says about them. Read as a search engine, a link preview or another
program would read the built site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
import yaml

from generator.check import check_site
from generator.config import load_config
from generator.content import dump_content
from generator.pipeline import Builder
from tests.helpers import REPO, build_public as build, site_digests as tree

BASE = "https://news.example.org/"
HOSTILE = 'Markets </script><script>alert("x")</script> <!-- & bonds </SCRIPT >'

ARTICLES = [
    {"title": "Merkel meets Macron in Paris", "slug": "merkel-meets-macron", "date": "2016-05-12",
     "author": "Jane Doe", "source": "Reuters", "dateline": "Paris",
     "summary": "The German chancellor and the French president met for talks on Thursday.",
     "tags": ["diplomacy", "europe"], "locations": ["Paris", "Berlin"],
     "persons": ["Angela Merkel", "Emmanuel Macron", "Jean Dupont"], "organizations": ["European Union"]},
    {"title": HOSTILE, "slug": "markets-hostile", "date": "2016-05-03",
     "summary": "Traders <b>watched</b> & waited.", "tags": ["markets"], "locations": ["London"],
     "persons": ["Angela Merkel"]},
    {"title": "A note with no date", "slug": "undated-note",
     "summary": "Nobody knows when this was written.", "tags": ["markets"], "locations": ["Texas", "Atlantis Gala"],
     "persons": ["Angela Merkel"]},
    {"title": "Budget talks stall", "slug": "budget-talks-stall", "date": "2015-11-02",
     "summary": "Ministers failed to agree a budget in Berlin.", "tags": ["europe"],
     "locations": ["Berlin"], "persons": ["Angela Merkel", "Wolfgang Schmidt"]},
    {"title": "Schmidt resigns", "slug": "schmidt-resigns", "date": "2015-11-09", "author": "Ann Lee",
     "summary": "Wolfgang Schmidt stepped down as finance minister.", "tags": ["europe"],
     "locations": ["Berlin"], "persons": ["Wolfgang Schmidt", "Angela Merkel"]},
]


def write_site(root: Path, settings: str = "", articles: list[dict] = ARTICLES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    text = (REPO / "site.toml").read_text(encoding="utf-8")
    skip = ("base_url", "per_page") + (("taxonomies",) if "taxonomies" in settings else ())
    text = "\n".join(line for line in text.splitlines() if not line.startswith(skip))
    (root / "site.toml").write_text(f'{text}\nbase_url = "{BASE}"\nper_page = 2\n{settings}\n', encoding="utf-8")
    folder = root / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for meta in articles:
        (folder / f"{meta['slug']}.md").write_text(dump_content(dict(meta), f"{meta['summary']}\n\nMore.\n"),
                                                   encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("rich")))


# --------------------------------------------------------------------------- reading pages


def document(path: Path):
    """The page as a browser's parser builds it (html5lib follows the HTML standard's tokenizer)."""
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def json_ld(path: Path) -> list:
    return [json.loads(s.text) for s in document(path).iter("script") if s.get("type") == "application/ld+json"]


def meta(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for element in document(path).iter("meta"):
        key = element.get("property") or element.get("name")
        if key:
            found.setdefault(key, []).append(element.get("content"))
    return found


def local(public: Path, url: str) -> Path:
    """The output file an absolute URL of the site is served from."""
    assert url.startswith(BASE), url
    rel = url[len(BASE):]
    return public / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def h1(path: Path) -> str:
    [heading] = list(document(path).iter("h1"))
    return " ".join("".join(heading.itertext()).split())


def front_matter(root: Path) -> dict[str, dict]:
    """Every content file's front matter, read with plain YAML."""
    found = {}
    for path in sorted((root / "content" / "articles").glob("*.md")):
        meta_text = path.read_text(encoding="utf-8").split("---\n")[1]
        data = yaml.safe_load(meta_text)
        found[data["slug"]] = data
    return found


# --------------------------------------------------------------------------- article pages


def test_an_articles_json_ld_says_what_the_article_is(public):
    page = public / "articles" / "merkel-meets-macron" / "index.html"
    [data] = json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Merkel meets Macron in Paris" == h1(page)
    assert data["datePublished"] == "2016-05-12"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Reuters"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == BASE + "articles/merkel-meets-macron/"
    assert data["description"] == "The German chancellor and the French president met for talks on Thursday."
    about = {(node["@type"], node["name"]) for node in data["about"]}
    mentions = {(node["@type"], node["name"]) for node in data["mentions"]}
    # The headline names Merkel (by surname), Macron and Paris; the others are only mentioned.
    assert about == {("Person", "Angela Merkel"), ("Person", "Emmanuel Macron"), ("Place", "Paris")}
    assert mentions == {("Person", "Jean Dupont"), ("Place", "Berlin")}  # organizations have no pages here
    for node in data["about"] + data["mentions"]:
        assert h1(local(public, node["url"])) == node["name"]  # each links its page on the site


def test_organizations_are_mentioned_when_the_site_has_their_pages(tmp_path):
    out = build(write_site(tmp_path, 'taxonomies = ["tags", "locations", "persons", "organizations"]'))
    [data] = json_ld(out / "articles" / "merkel-meets-macron" / "index.html")
    [union] = [node for node in data["mentions"] if node["@type"] == "Organization"]
    assert union["name"] == "European Union" and h1(local(out, union["url"])) == "European Union"


def test_an_undated_article_without_byline_or_source_is_published_by_the_site(public):
    [data] = json_ld(public / "articles" / "undated-note" / "index.html")
    assert "datePublished" not in data and "author" not in data
    assert data["publisher"] == {"@type": "Organization", "name": load_config(public.parent).title, "url": BASE}


def test_a_hostile_headline_cannot_close_the_json_ld_script(public):
    page = public / "articles" / "markets-hostile" / "index.html"
    raw = page.read_text(encoding="utf-8")
    scripts = list(document(page).iter("script"))
    assert [s.get("type") for s in scripts] == ["application/ld+json"]  # nothing a browser would run
    assert json.loads(scripts[0].text)["headline"] == HOSTILE
    assert "</script><script>" not in raw and "<!--" not in raw
    assert h1(page) == HOSTILE  # and the reader still sees the headline as written


def test_an_article_has_open_graph_and_twitter_card_tags(public):
    tags = meta(public / "articles" / "merkel-meets-macron" / "index.html")
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == ["Merkel meets Macron in Paris"]
    assert tags["og:description"] == ["The German chancellor and the French president met for talks on Thursday."]
    assert tags["og:url"] == [BASE + "articles/merkel-meets-macron/"]
    assert tags["og:site_name"] == [load_config(public.parent).title]
    assert tags["article:published_time"] == ["2016-05-12"]
    assert tags["article:tag"] == ["diplomacy", "europe"]
    assert tags["twitter:card"] == ["summary"]  # its title and description come from og:title and og:description
    hostile = meta(public / "articles" / "markets-hostile" / "index.html")
    assert hostile["og:title"] == [HOSTILE] and hostile["og:description"] == ["Traders <b>watched</b> & waited."]


# --------------------------------------------------------------------------- person and place pages


def listed(page: Path) -> list[str]:
    """The article links a listing page shows, in order, as absolute URLs."""
    return [BASE + a.get("href").lstrip("/") for ol in document(page).iter("ol")
            if "article-list" in ol.get("class", "") for a in ol.iter("a")]


def test_a_person_pages_item_list_is_the_articles_it_lists(public):
    first = public / "persons" / "angela-merkel" / "index.html"
    second = public / "persons" / "angela-merkel" / "page" / "2" / "index.html"
    positions, urls = [], []
    for page in (first, second):
        [data] = json_ld(page)
        assert data["about"] == {"@type": "Person", "name": "Angela Merkel", "url": BASE + "persons/angela-merkel/"}
        items = data["mainEntity"]["itemListElement"]
        assert data["mainEntity"]["@type"] == "ItemList" and data["mainEntity"]["numberOfItems"] == 5
        assert [item["url"] for item in items] == listed(page)
        for item in items:
            assert item["@type"] == "ListItem" and item["name"] == h1(local(public, item["url"]))
        positions += [item["position"] for item in items]
        urls += [item["url"] for item in items]
    assert positions == [1, 2, 3, 4]  # two to a page (per_page = 2), counting on across pages
    assert len(set(urls)) == 4


def test_a_place_page_has_its_coordinates_when_the_gazetteer_knows_it(public):
    [paris] = json_ld(public / "locations" / "paris" / "index.html")
    assert paris["about"]["@type"] == "Place" and paris["about"]["name"] == "Paris"
    geo = paris["about"]["geo"]
    assert geo["@type"] == "GeoCoordinates" and 48 < geo["latitude"] < 49.5 and 1.5 < geo["longitude"] < 3
    [texas] = json_ld(public / "locations" / "texas" / "index.html")  # a region: the gazetteer has no point for it
    assert texas["about"]["@type"] == "Place" and "geo" not in texas["about"]


# --------------------------------------------------------------------------- data files


def load(public: Path, url: str):
    return json.loads(local(public, url).read_text(encoding="utf-8"))


def api_articles(public: Path) -> dict[str, dict]:
    index = load(public, BASE + "api/articles.json")
    found: dict[str, dict] = {}
    for entry in index["years"]:
        year = load(public, entry["url"])
        assert year["year"] == entry["year"] and year["count"] == entry["count"] == len(year["articles"])
        for article in year["articles"]:
            assert article["slug"] not in found
            assert (article["date"] or "")[:4] == ("" if entry["year"] is None else str(entry["year"]))
            found[article["slug"]] = article
    assert index["count"] == len(found)
    return found


def with_pages(public: Path, key: str) -> set[str]:
    """The names the site's index of `key` links (the archive leaves doubtful names off every page)."""
    main = next(document(public / key / "index.html").iter("main"))
    return {" ".join("".join(a.itertext()).split()) for a in main.iter("a")}


def test_the_articles_data_is_the_front_matter_of_the_content_files(public):
    expected = front_matter(public.parent)
    found = api_articles(public)
    linked = {key: with_pages(public, key) for key in ("persons", "locations", "tags")}
    assert "Atlantis Gala" not in linked["locations"]  # in front matter, but doubtful: no page, so not in the data
    assert set(found) == set(expected)
    for slug, meta_data in expected.items():
        article = found[slug]
        assert h1(local(public, article["url"])) == meta_data["title"] == article["title"]
        date = meta_data.get("date")  # a YAML date, or the same date as a quoted string
        assert article["date"] == (str(date) if date else None)
        for key in ("summary", "author", "source", "dateline"):
            assert article[key] == meta_data.get(key), (slug, key)
        for key in ("persons", "locations", "tags"):
            assert [n["name"] for n in article[key]] == [n for n in meta_data.get(key, []) if n in linked[key]]
        assert [n["name"] for n in article["organizations"]] == meta_data.get("organizations", [])
        for key in ("persons", "locations", "tags"):
            for name in article[key]:
                assert h1(local(public, name["url"])) == name["name"]
        assert all(n["url"] is None for n in article["organizations"])  # organizations have no pages here


def ordinal(date: dt.date | str | None) -> int:
    return 0 if not date else dt.date.fromisoformat(str(date)).toordinal()


def test_each_person_place_and_tag_has_a_data_file_like_its_page(public):
    expected = front_matter(public.parent)
    for key in ("persons", "locations", "tags"):
        index = load(public, BASE + f"api/{key}.json")
        names = {name for m in expected.values() for name in m.get(key, []) if name in with_pages(public, key)}
        assert {t["name"] for t in index["terms"]} == names
        for entry in index["terms"]:
            data = load(public, entry["data"])
            members = [m for m in expected.values() if entry["name"] in m.get(key, [])]
            newest = sorted(members, key=lambda m: (m.get("date") is None, -ordinal(m.get("date")), m["title"].casefold()))
            assert data["name"] == entry["name"] and data["count"] == entry["count"] == len(members)
            assert [a["title"] for a in data["articles"]] == [m["title"] for m in newest]
            assert data["url"] == entry["url"] and h1(local(public, data["url"])).startswith(entry["name"])
    paris = load(public, BASE + "api/locations/paris.json")["place"]
    assert 48 < paris["latitude"] < 49.5 and paris["kind"] == "city"
    texas = load(public, BASE + "api/locations/texas.json")["place"]
    assert texas["kind"] == "region" and texas["latitude"] is None


def test_the_data_files_are_described_and_linked_from_every_page(public):
    page = public / "api" / "index.html"
    links = [a.get("href") for a in document(page).iter("a")]
    assert "/api/articles.json" in links and "/api/persons.json" in links
    footer = next(document(public / "index.html").iter("footer"))
    assert "/api/" in [a.get("href") for a in footer.iter("a")]


def test_no_data_file_holds_raw_markup(public):
    for path in (public / "api").rglob("*.json"):
        assert "<" not in path.read_text(encoding="utf-8"), path
    hostile = api_articles(public)["markets-hostile"]
    assert hostile["title"] == HOSTILE


def test_both_switches_turn_their_part_off(tmp_path):
    out = build(write_site(tmp_path, "api = false\nrich_previews = false"))
    assert not (out / "api").exists()
    page = out / "articles" / "merkel-meets-macron" / "index.html"
    assert json_ld(page) == [] and "og:title" not in meta(page)
    assert "/api/" not in [a.get("href") for a in document(out / "index.html").iter("a")]


# --------------------------------------------------------------------------- incremental builds



def test_edits_shown_only_in_data_files_and_previews_match_a_cold_build(tmp_path):
    root = write_site(tmp_path / "site")
    build(root)
    changed = [dict(a) for a in ARTICLES]
    steps = [
        # Fields no listing's title, date or summary shows: the previews, year file and term files do.
        lambda: changed[4].update(author="Ann Lee-Smith", dateline="Bonn", source="AP"),
        lambda: changed[0].update(persons=["Angela Merkel", "Emmanuel Macron"]),  # Jean Dupont's page and files go
        lambda: changed[3].update(date="2014-12-30"),  # from the 2015 file to a new 2014 one
    ]
    for number, step in enumerate(steps):
        step()
        write_site(root, articles=changed)
        result = Builder(load_config(root), workers=1).build()
        assert 0 < result.rendered < result.files
        cold = tmp_path / f"cold-{number}"
        write_site(cold, articles=changed)
        assert tree(root / "public") == tree(build(cold)), f"step {number + 1}"
    person = json.loads((root / "public" / "api" / "persons" / "wolfgang-schmidt.json").read_text(encoding="utf-8"))
    assert [(a["dateline"], a["source"]) for a in person["articles"]] == [("Bonn", "AP"), (None, None)]
    assert not (root / "public" / "api" / "persons" / "jean-dupont.json").exists()
    assert (root / "public" / "api" / "articles" / "2014.json").is_file()


# --------------------------------------------------------------------------- the checker


@pytest.fixture
def broken(public, tmp_path) -> Path:
    """A copy of the built site to break."""
    shutil.copytree(public, tmp_path / "public")
    return tmp_path / "public"


def problems(public: Path) -> list[str]:
    return [str(p) for p in check_site(public, BASE, workers=1).problems]


def test_the_built_site_checks_clean(public):
    result = check_site(public, BASE, workers=1)
    assert result.problems == [] and result.data_files > 0


def test_the_checker_reports_json_ld_that_does_not_parse(broken):
    page = broken / "persons" / "angela-merkel" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('"numberOfItems":5', '"numberOfItems":5,', 1), encoding="utf-8")
    [found] = problems(broken)
    assert found.startswith("persons/angela-merkel/index.html: JSON-LD block 1 does not parse as JSON")


def test_the_checker_reports_a_json_ld_url_with_no_page(broken):
    page = broken / "articles" / "merkel-meets-macron" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(f'"{BASE}persons/jean-dupont/"', f'"{BASE}persons/john-doe/"', 1), encoding="utf-8")
    [found] = problems(broken)
    assert found == (f"articles/merkel-meets-macron/index.html: JSON-LD block 1 names {BASE}persons/john-doe/, "
                     "but there is no persons/john-doe/index.html in the output")


def test_the_checker_reports_a_broken_data_file_and_a_dangling_url_in_one(broken):
    (broken / "api" / "tags.json").write_text('{"terms": [', encoding="utf-8")
    persons = broken / "api" / "persons.json"
    persons.write_text(persons.read_text(encoding="utf-8").replace("persons/jean-dupont/", "persons/gone/", 1),
                       encoding="utf-8")
    found = problems(broken)
    assert len(found) == 2, found
    assert found[0] == f"api/persons.json: names {BASE}persons/gone/, but there is no persons/gone/index.html in the output"
    assert found[1].startswith("api/tags.json: does not parse as JSON")
    assert urlsplit(BASE).netloc not in found[1]


def test_netlify_lets_other_sites_fetch_the_data_files():
    import tomllib

    rules = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))["headers"]
    [api] = [rule for rule in rules if rule["for"] == "/api/*"]
    assert api["values"]["Access-Control-Allow-Origin"] == "*"


def test_the_main_subjects_are_those_the_headline_names_else_those_the_lead_names():
    from generator.jsonld import main_subjects

    people = ["Pervez Musharraf", "Shaukat Aziz", "Waheed Arshad"]
    assert main_subjects(people, "persons", "Aziz resigns", "Musharraf said on Tuesday.") == {"Shaukat Aziz"}
    assert main_subjects(people, "persons", "Troops storm mosque", "Musharraf's forces moved in.") == {"Pervez Musharraf"}
    assert main_subjects(people, "persons", "Troops storm mosque", "Hundreds fled.") == set()
    places = ["New York", "York", "Washington"]
    assert main_subjects(places, "locations", "Storm hits New York", "") == {"New York", "York"}
    assert main_subjects(["Paris"], "locations", "Parisian cafés reopen", "") == set()
