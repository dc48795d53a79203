"""Countries on the map: each country is placed inside its own land, drawn apart from cities, and a
site built before countries had points gets them on its next build, exactly as a cold build would.

Where a point should be is checked against facts written here (the mainland's bounding box, from
an atlas) and against the land the theme's world map draws (themes/default/static/world.svg), not
against the generator's own numbers.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pytest

import generator.places as places
import generator.render as render
import generator.state as state
from generator.config import load_config
from generator.content import dump_content
from generator.pipeline import Builder
from tests.helpers import REPO
from tests.test_incremental import cold_copy, tree
from tests.test_pictures import ARTICLES, build, svg_of, write_site

POINTS = json.loads((REPO / "generator" / "data" / "country_points.json").read_text(encoding="utf-8"))

#: The main piece of land of some countries, (south, north, west, east) in degrees, from an atlas.
MAINLAND = {
    "France": ("250", (42.3, 51.1, -4.8, 8.3)),
    "United States": ("840", (24.5, 49.4, -124.8, -66.9)),  # the contiguous states, not Alaska
    "Norway": ("578", (57.9, 71.2, 4.5, 31.2)),  # not Svalbard
    "Japan": ("392", (33.4, 41.6, 130.8, 142.1)),  # Honshu
    "Brazil": ("076", (-33.8, 5.3, -74.0, -34.8)),
    "New Zealand": ("554", (-46.7, -40.4, 166.4, 174.4)),  # the South Island, the larger one
    "Fiji": ("242", (-18.3, -17.3, 177.2, 178.7)),  # Viti Levu; Fiji's rings cross the 180th meridian
    "United Kingdom": ("826", (49.9, 58.7, -6.4, 1.8)),  # Great Britain
    "Chile": ("152", (-56.0, -17.5, -75.7, -66.4)),
}
#: Lesotho, a hole in South Africa.
LESOTHO = (-30.7, -28.6, 27.0, 29.5)


def inside(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    south, north, west, east = box
    return south <= lat <= north and west <= lon <= east


def land_rings() -> list[list[tuple[float, float]]]:
    """The rings of the world map's land, in its 360 x 180 box, read back from the SVG path data."""
    d = re.search(r' d="([^"]*)"', (REPO / "themes" / "default" / "static" / "world.svg").read_text(encoding="utf-8")).group(1)
    rings = []
    for m in re.finditer(r"M([^l]*)l([^z]*)z", d):
        start = [float(v) for v in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", m.group(1))]
        steps = [float(v) for v in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", m.group(2))]
        x, y = start
        ring = [(x, y)]
        for dx, dy in zip(steps[::2], steps[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def on_land(rings, lat: float, lon: float) -> bool:
    """Even-odd over every ring: a point in Lesotho is inside South Africa's hole and Lesotho's ring."""
    x, y, crossings = lon + 180, 90 - lat, 0
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                crossings += 1
    return crossings % 2 == 1


@pytest.mark.parametrize("name", sorted(MAINLAND))
def test_a_country_is_placed_in_its_mainland(name):
    code, box = MAINLAND[name]
    point = POINTS["countries"][code]
    assert inside(point["lat"], point["lon"], box), (name, point)


def test_every_country_point_is_on_the_land_the_map_draws():
    rings = land_rings()
    at_sea = [p["name"] for p in POINTS["countries"].values() if not on_land(rings, p["lat"], p["lon"])]
    assert at_sea == []
    assert len(POINTS["countries"]) > 150
    south_africa = POINTS["countries"]["710"]
    assert not inside(south_africa["lat"], south_africa["lon"], LESOTHO)


def test_the_nations_of_the_uk_are_placed_in_their_own_parts():
    rings = land_rings()
    nations = {name: (p["lat"], p["lon"]) for name, p in POINTS["regions"].items()}
    assert set(nations) == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert all(on_land(rings, *point) for point in nations.values())
    # The Scottish border runs from the Solway (54.9° N) to Berwick (55.8° N); Wales lies west of 2.6° W
    # between the Severn (51.4° N) and Anglesey; Northern Ireland is across the sea, west of 5.4° W.
    assert nations["Scotland"][0] > 55.8
    assert nations["England"][0] < 54.9 and nations["England"][1] > -2.6
    assert 51.4 < nations["Wales"][0] < 53.5 and nations["Wales"][1] < -3.0
    assert 54.0 < nations["Northern Ireland"][0] < 55.3 and nations["Northern Ireland"][1] < -5.5


def test_the_gazetteer_places_countries_other_names_and_small_countries():
    lookup = places.Gazetteer().lookup
    france = lookup("France")
    assert (france.kind, france.latitude, france.longitude) == ("country", POINTS["countries"]["250"]["lat"],
                                                                POINTS["countries"]["250"]["lon"])
    assert lookup("Burma").latitude == lookup("Myanmar").latitude is not None
    assert lookup("Scotland").kind == "region" and lookup("Scotland").latitude > 55.8
    # Too small for the 1:110m outlines: placed at the capital, which the gazetteer knows.
    singapore, malta = lookup("Singapore"), lookup("Malta")
    assert abs(singapore.latitude - 1.29) < 0.2 and abs(singapore.longitude - 103.85) < 0.2
    assert abs(malta.latitude - 35.9) < 0.2 and abs(malta.longitude - 14.5) < 0.2
    # Continents and US states stay without a point.
    assert lookup("Europe").latitude is None and lookup("Texas").latitude is None


def test_the_gazetteer_knows_former_countries_and_parts_of_the_world():
    """Places the news names that the city and country lists lack: countries that are no more, and parts of the
    world; neither gets a point on the map (none would be right for all of it)."""
    lookup = places.Gazetteer().lookup
    assert (lookup("Soviet Union").kind, lookup("Yugoslavia").kind) == ("former country", "former country")
    assert (lookup("Middle East").kind, lookup("Latin America").kind, lookup("Balkans").kind) == ("region",) * 3
    assert all(lookup(name).latitude is None for name in ("Soviet Union", "Middle East", "Balkans"))
    assert lookup("Quorvex") is None


def test_the_world_map_rings_a_country_named_by_the_articles(public_site):
    svg = svg_of(public_site / "locations" / "index.html", "map__svg")
    dots = {a.get("href"): a for a in svg.iter("a")}
    france = dots["/locations/france/"]
    circle = france.find("circle")
    articles = sum("France" in a[3] for a in ARTICLES)
    assert france.find("title").text == f"France: {articles} article{'' if articles == 1 else 's'}"
    assert "map__dot--area" in circle.get("class")
    point = POINTS["countries"]["250"]
    assert abs(float(circle.get("cx")) - (point["lon"] + 180)) < 0.1
    assert abs(float(circle.get("cy")) - (90 - point["lat"])) < 0.1
    # Cities stay solid dots.
    assert "map__dot--area" not in dots["/locations/london/"].find("circle").get("class")
    # Larger marks are drawn first, so smaller ones stay clickable on top of them.
    radii = [float(a.find("circle").get("r")) for a in svg.iter("a")]
    assert radii == sorted(radii, reverse=True)


def test_the_world_map_has_a_legend(public_site):
    html = (public_site / "locations" / "index.html").read_text(encoding="utf-8")
    caption = re.sub(r"<[^>]+>|\s+", " ", re.search(r'<figcaption class="map__caption">(.*?)</figcaption>', html, re.S).group(1))
    # London, Tokyo and Nairobi are cities; France a country; Texas, a US state, has no point.
    assert "3 cities" in caption and "1 country or region" in caption
    assert "1 location has no point on the map" in caption
    keys = re.findall(r'<svg class="map__key".*?</svg>', html, re.S)
    assert len(keys) == 2 and "map__dot--area" in keys[1] and "map__dot--area" not in keys[0]


def test_a_country_page_has_a_map_showing_the_whole_country(public_site):
    page = public_site / "locations" / "france" / "index.html"
    svg = svg_of(page, "map__svg")
    assert svg is not None
    left, top, width, height = (float(v) for v in svg.get("viewBox").split())
    circle = [c for c in svg.iter("circle") if "map__dot--here" in c.get("class")][0]
    assert "map__dot--area" in circle.get("class")
    south, north, west, east = MAINLAND["France"][1]
    # The map shows all of mainland France around its mark.
    assert left <= west + 180 and east + 180 <= left + width and top <= 90 - north and 90 - south <= top + height
    assert left < float(circle.get("cx")) < left + width and top < float(circle.get("cy")) < top + height
    text = page.read_text(encoding="utf-8")
    assert "ringed at a point inside it" in text
    assert 'class="coords"' not in text  # a country's facts line gives no coordinates: the point is only where the map rings it


def test_a_big_country_gets_a_wider_map_than_a_city(tmp_path):
    root = write_site(tmp_path / "site")
    meta = {"title": "Story r01", "slug": "r01", "date": "2015-05-05", "summary": "A story.", "tags": ["ports"],
            "locations": ["Russia", "Fiji"], "persons": []}
    (root / "content" / "articles" / "r01.md").write_text(dump_content(meta, "A story.\n"), encoding="utf-8")
    public = build(root)
    russia = svg_of(public / "locations" / "russia" / "index.html", "map__svg")
    london = svg_of(public / "locations" / "london" / "index.html", "map__svg")
    r_width = float(russia.get("viewBox").split()[2])
    assert float(london.get("viewBox").split()[2]) == 80
    assert r_width > 160  # Russia spans about 150 degrees of longitude west of the 180th meridian
    # Fiji lies on the 180th meridian: its map continues past the edge with a second copy of the outlines,
    # 360 degrees over, and Fiji's mark is in the middle, not cut off at the edge.
    fiji = svg_of(public / "locations" / "fiji" / "index.html", "map__svg")
    left, _, width, _ = (float(v) for v in fiji.get("viewBox").split())
    here = [c for c in fiji.iter("circle") if "map__dot--here" in c.get("class")][0]
    assert abs(float(here.get("cx")) - (left + width / 2)) < width / 10
    assert sorted(u.get("x") or "0" for u in fiji.iter("use")) == ["0", "360"]
    assert left + width > 360


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    return build(write_site(tmp_path_factory.mktemp("countries") / "site"))


def test_a_site_built_before_countries_had_points_gets_them_without_a_clean(tmp_path, monkeypatch):
    """The gazetteer's answers are kept in the build state; a cache written by older code must not be trusted."""
    root = write_site(tmp_path / "site")
    # The older code: cities only had coordinates, and (being other code) another code version.
    cities_only = {key: facts if facts.kind == "city" else dataclasses.replace(facts, latitude=None, longitude=None,
                                                                               extent=None)
                   for key, facts in places._geonames_index().items()}
    with monkeypatch.context() as old:
        old.setattr(places, "_geonames_index", lambda: cities_only)
        old.setattr(state, "code_version", lambda: "0" * 32)
        old.setattr(render, "code_version", lambda: "0" * 32)
        Builder(load_config(root), workers=1).build()
        assert svg_of(root / "public" / "locations" / "france" / "index.html", "map__svg") is None
    Builder(load_config(root), workers=1).build()
    assert svg_of(root / "public" / "locations" / "france" / "index.html", "map__svg") is not None
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_the_code_version_covers_the_country_points():
    assert "data/country_points.json" in state.RENDER_DATA
    assert (Path(state.__file__).parent / state.RENDER_DATA[0]).resolve() == places.POINTS_FILE


def test_the_script_places_a_polygon_inside_itself():
    """An L-shaped country: its centroid lies outside it, its point must not."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_world_map", REPO / "scripts" / "make_world_map.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    ell = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 10), (0, 10)]
    x, y = script.polylabel([ell], 0.01)
    assert 0 < x < 10 and 0 < y < 10 and (x < 2 or y < 2)
    # A square with a square hole in the middle: the point is in the ring of land, not the hole.
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    hole = [(2, 2), (2, 8), (8, 8), (8, 2)]
    x, y = script.polylabel([square, hole], 0.01)
    assert not (2 < x < 8 and 2 < y < 8)
    assert math.isclose(script._ring_area(square), 100)


def test_the_switch_leaves_countries_off_the_maps(tmp_path):
    public = build(write_site(tmp_path / "site", "map_countries = false\n"))
    svg = svg_of(public / "locations" / "index.html", "map__svg")
    hrefs = {a.get("href") for a in svg.iter("a")}
    assert "/locations/london/" in hrefs and "/locations/france/" not in hrefs
    assert svg_of(public / "locations" / "france" / "index.html", "map__svg") is None
    assert svg_of(public / "locations" / "london" / "index.html", "map__svg") is not None


def test_the_gazetteer_made_in_a_forked_child_is_the_one_made_here():
    """The city list is read in a child process (its parse would stay in the build's memory); the index it hands
    back knows every place, with every fact, that one read here knows."""
    places._geonames_index.cache_clear()
    handed_back = places._geonames_index()
    made_here = places._make_geonames_index()
    assert handed_back == made_here and len(made_here) > 30_000
    assert handed_back["paris"].country == "France" and handed_back["paris"].latitude is not None
