"""Pictures of coverage: the charts count what the front matter says, the map places what the gazetteer can.

Every expected figure is worked out here from the front matter the test writes, not by the
generator's own chart code.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.check import check_site
from generator.config import load_config
from generator.content import dump_content
from generator.model import MONTH_NAMES
from tests.helpers import REPO, build_public as build
from tests.test_incremental import cold_copy, tree

PERSON = "Anke de Vries"
#: Placeable cities (the gazetteer has coordinates for them), a country (placed inside it, drawn as a ring:
#: tests/test_countries.py), a US state it has no point for and a name it does not know.
CITIES = {"London": (51.5, -0.13), "Tokyo": (35.7, 139.7), "Nairobi": (-1.3, 36.8)}
UNPLACED = ["Texas", "Nowhere In Particular"]

#: (slug, date, persons, locations, tags): a person covered in some months of 2015–2016 with gaps,
#: a tag spread over seven years (so counted per year), one undated article.
ARTICLES = [
    ("a01", "2015-01-05", [PERSON], ["London"], ["ports"]),
    ("a02", "2015-01-20", [PERSON], ["London", "France"], ["ports"]),
    ("a03", "2015-03-02", [PERSON], ["Tokyo"], ["ports"]),
    ("a04", "2015-07-14", [PERSON, "Jan Smit"], ["London"], ["strikes"]),
    ("a05", "2016-02-29", [PERSON], ["Nairobi"], ["strikes"]),
    ("a06", "2016-02-01", [PERSON], ["London", "Nowhere In Particular", "Texas"], ["ports"]),
    ("a07", "2016-11-30", [PERSON], ["London"], ["ports"]),
    ("a08", None, [PERSON], ["London"], ["ports"]),
    ("a09", "2010-06-01", ["Jan Smit"], ["Tokyo"], ["ports"]),
    ("a10", "2012-09-09", ["Jan Smit"], ["Tokyo"], ["ports"]),
]


def write_site(root: Path, extra_toml: str = "") -> Path:
    root.mkdir(parents=True)
    settings = (REPO / "site.toml").read_text(encoding="utf-8")
    for line in extra_toml.splitlines():  # the repository's settings, with these replaced
        settings = re.sub(rf"(?m)^{re.escape(line.split('=')[0].strip())}\s*=.*\n", "", settings)
    (root / "site.toml").write_text(settings + extra_toml, encoding="utf-8")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    for slug, date, persons, locations, tags in ARTICLES:
        meta = {"title": f"Story {slug}", "slug": slug, "date": date, "summary": "A story.",
                "tags": tags, "locations": locations, "persons": persons}
        (articles / f"{slug}.md").write_text(dump_content(meta, "A story.\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("pictures") / "site", "per_page = 4\n"))


def month_label(date: str) -> str:
    year, month, _ = date.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def expected_per_month(select) -> Counter[str]:
    return Counter(month_label(a[1]) for a in ARTICLES if a[1] and select(a))


def svg_of(page: Path, css_class: str) -> ET.Element | None:
    """The page's <svg class=...> element, parsed as XML (the templates write well-formed SVG)."""
    found = re.search(rf'<svg class="{css_class}".*?</svg>', page.read_text(encoding="utf-8"), re.S)
    return ET.fromstring(found.group(0)) if found else None


def bar_counts(svg: ET.Element) -> Counter[str]:
    """Label -> count from each bar's tooltip ("March 2016: 2 articles")."""
    counts: Counter[str] = Counter()
    for rect in svg.iter("rect"):
        label, _, rest = rect.find("title").text.rpartition(": ")
        counts[label] += int(rest.split()[0])
    return counts


def table_counts(page: Path) -> Counter[str]:
    table = re.search(r'<details class="chart__figures">.*?<tbody>(.*?)</tbody>', page.read_text(encoding="utf-8"), re.S)
    return Counter({label: int(n) for label, n in re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", table.group(1))})


def test_a_person_chart_counts_the_articles_of_each_month(public):
    page = public / "persons" / "anke-de-vries" / "index.html"
    expected = expected_per_month(lambda a: PERSON in a[2])
    svg = svg_of(page, "chart__svg")
    assert bar_counts(svg) == expected
    assert table_counts(page) == expected
    # Months without articles are gaps: one bar per month that has articles, none for the rest.
    assert len(list(svg.iter("rect"))) == len(expected) < 24
    assert [t.text for t in svg.iter("text")] == ["2015", "2016"]


def test_the_chart_has_its_figures_as_text(public):
    page = public / "persons" / "anke-de-vries" / "index.html"
    svg = svg_of(page, "chart__svg")
    assert svg.get("role") == "img"
    titled = {el.get("id"): (el.text or "") for el in svg.iter() if el.get("id")}
    assert svg.get("aria-labelledby") in titled and svg.get("aria-describedby") in titled
    dated = sum(1 for a in ARTICLES if PERSON in a[2] and a[1])
    description = titled[svg.get("aria-describedby")]
    assert f"{dated} dated articles from January 2015 to November 2016" in description
    assert "1 undated article" in description


def test_a_long_span_is_counted_per_year(public):
    page = public / "tags" / "ports" / "index.html"
    expected = Counter(a[1][:4] for a in ARTICLES if a[1] and "ports" in a[4])
    assert bar_counts(svg_of(page, "chart__svg")) == expected
    assert "articles per year" in page.read_text(encoding="utf-8")


def test_only_the_first_page_of_a_term_has_the_chart(public):
    first = public / "tags" / "ports" / "index.html"
    second = public / "tags" / "ports" / "page" / "2" / "index.html"
    assert second.is_file() and svg_of(first, "chart__svg") is not None
    assert svg_of(second, "chart__svg") is None


def test_the_archive_charts_every_month(public):
    page = public / "archive" / "index.html"
    assert bar_counts(svg_of(page, "chart__svg")) == expected_per_month(lambda a: True)
    assert "articles per month" in page.read_text(encoding="utf-8")


def test_the_world_map_has_a_dot_per_placeable_location_linking_its_page(public):
    svg = svg_of(public / "locations" / "index.html", "map__svg")
    assert svg is not None
    links = {}
    for link in svg.iter("a"):
        title = link.find("title").text
        circle = link.find("circle")
        links[link.get("href")] = (title, float(circle.get("r")), float(circle.get("cx")), float(circle.get("cy")))
    counts = Counter(name for a in ARTICLES for name in a[3])
    assert set(links) == {f"/locations/{name.lower()}/" for name in CITIES} | {"/locations/france/"}
    for name, (lat, lon) in CITIES.items():
        title, r, cx, cy = links[f"/locations/{name.lower()}/"]
        assert title == f"{name}: {counts[name]} article{'' if counts[name] == 1 else 's'}"
        assert (public / "locations" / name.lower() / "index.html").is_file()
        # Equirectangular: x = longitude + 180, y = 90 - latitude (within a degree of the city).
        assert abs(cx - (lon + 180)) < 1 and abs(cy - (90 - lat)) < 1
    # Areas follow counts: London (most articles) has the largest dot, and the ratio of areas that of counts.
    london, tokyo = links["/locations/london/"], links["/locations/tokyo/"]
    assert london[1] ** 2 / tokyo[1] ** 2 == pytest.approx(counts["London"] / counts["Tokyo"], rel=0.02)


def test_the_world_map_shows_the_most_covered_places_and_says_how_many_more_the_list_has(monkeypatch):
    """Past MAP_DOTS places the dots of a continent overlap into a blot: the map keeps the most covered."""
    from types import SimpleNamespace

    from generator import charts
    from generator.model import Article, Term

    monkeypatch.setattr(charts, "MAP_DOTS", 2)
    story = Article(slug="s", title="S", summary="", body_html="")
    terms = [Term(name=name, slug=name.lower(), taxonomy="locations", articles=(story,) * n)
             for name, n in (("Quellby", 1), ("Tavi", 5), ("Vellmouth", 3))]
    places = {t.name: SimpleNamespace(latitude=50.0, longitude=float(i), kind="city") for i, t in enumerate(terms)}
    drawn = charts.world_map(terms, places)
    assert [d.name for d in drawn.dots] == ["Tavi", "Vellmouth"] and drawn.left_out == 1
    assert charts.world_map(terms[1:], places).left_out == 0


def test_the_map_draws_the_shipped_outlines(public):
    world = (public / "static" / "world.svg").read_text(encoding="utf-8")
    assert 'id="world"' in world and len(world) < 100_000
    for page in (public / "locations" / "index.html", public / "locations" / "tokyo" / "index.html"):
        svg = svg_of(page, "map__svg")
        [use] = list(svg.iter("use"))
        assert use.get("href") == "/static/world.svg#world"
    # A place page carries its own small map, not the outlines: they stay in the one shared file.
    place = public / "locations" / "tokyo" / "index.html"
    assert len(re.search(r'<figure class="map.*?</figure>', place.read_text(encoding="utf-8"), re.S).group(0)) < 2000
    assert svg_of(public / "locations" / "texas" / "index.html", "map__svg") is None


def test_nothing_loads_from_another_host_and_the_checker_is_content(public):
    pictured = 0
    for page in public.rglob("*.html"):
        for svg in re.findall(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S):
            pictured += 1
            for ref in re.findall(r'(?:href|src)="([^"]*)"', svg):
                assert not urlsplit(ref).scheme and not urlsplit(ref).netloc and ref.startswith("/"), (page, ref)
    assert pictured >= 5
    assert "http" not in (public / "static" / "world.svg").read_text(encoding="utf-8").replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert check_site(public, "https://broadsheet.netlify.app/", workers=1).problems == []


def test_the_switch_turns_the_pictures_off(tmp_path):
    public = build(write_site(tmp_path / "site", "charts = false\n"))
    for page in (public / "persons" / "anke-de-vries" / "index.html", public / "archive" / "index.html",
                 public / "locations" / "index.html", public / "locations" / "london" / "index.html"):
        assert "<svg" not in page.read_text(encoding="utf-8")


def test_the_switch_must_be_true_or_false(tmp_path):
    from generator.errors import BuildError

    root = write_site(tmp_path / "site", 'charts = "yes"\n')
    with pytest.raises(BuildError, match=r"'charts' must be true or false, not 'yes'"):
        load_config(root)


def test_a_new_date_redraws_the_chart_as_a_cold_build_would(tmp_path):
    root = write_site(tmp_path / "site")
    build(root)
    path = root / "content" / "articles" / "a03.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2015-03-02", "2016-08-02"), encoding="utf-8")
    public = build(root)
    counts = bar_counts(svg_of(public / "persons" / "anke-de-vries" / "index.html", "chart__svg"))
    assert counts["August 2016"] == 1 and "March 2015" not in counts
    assert tree(public) == cold_copy(root, tmp_path / "cold")


def test_the_world_map_script_decodes_topojson_arcs():
    """A square from -10..10 longitude, 0..10 latitude, in two delta-encoded arcs (one used backwards)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_world_map", REPO / "scripts" / "make_world_map.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    topology = {
        "transform": {"scale": [0.5, 0.5], "translate": [-10, 0]},
        # arc 0: (-10,0) -> (10,0) -> (10,10); arc 1: (-10,0) -> (-10,10) -> (10,10)
        "arcs": [[[0, 0], [40, 0], [0, 20]], [[0, 0], [0, 20], [40, 0]]],
        "objects": {"countries": {"geometries": [{"type": "Polygon", "arcs": [[0, ~1]], "properties": {"name": "Square"}}]}},
    }
    svg = script.world_svg(topology)
    d = re.search(r' d="([^"]*)"', svg).group(1)
    # Starts at (-10, 0) -> x 170, y 90; then right 20, up 10 (y down), left 20: a closed ring.
    assert d == "M170 90l20 0 0-10-20 0z"
