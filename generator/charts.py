"""Pictures of coverage, worked out at build time: articles per month (or year) and the world map.

Python computes every number a picture shows; the theme's `_charts.html` macros draw them
as inline SVG (no JavaScript, nothing loaded from another host). A chart is a `Chart` of
`Bar`s placed in percent of the chart's width, so it stretches to any screen while its
labels keep their size; the map places dots in the 360 x 180 equirectangular box of the
theme's `static/world.svg` (x = longitude + 180, y = 90 - latitude).

Every value here is derived from what the page's fingerprint already covers (the term's
articles and their dates, the archive's months, each place's coordinates), so a page is
rendered again exactly when its picture changes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.model import MONTH_NAMES, Article, Term, YearArchive

#: A term's chart counts per month while its coverage spans at most this many calendar years, else per year.
TERM_MONTHLY_YEARS = 3
#: The whole archive is counted per month for up to this many calendar years.
ARCHIVE_MONTHLY_YEARS = 15
#: Height of the bars' area and of the whole chart, in CSS pixels (the labels sit below the bars).
BAR_AREA = 96
CHART_HEIGHT = 122
#: At most this many year labels under a chart; more years label every second, fifth... year.
MAX_LABELS = 10
#: The part of a bar's slot it fills (the rest is the gap between bars).
BAR_FILL = 0.78

#: The part of the world the maps show: 84° N to 60° S (Antarctica is not drawn).
MAP_TOP, MAP_BOTTOM = 6.0, 150.0
#: Radius of the largest dot on the world map, in degrees; dots' areas grow with article counts.
MAP_MAX_RADIUS = 7.0
MAP_MIN_RADIUS = 0.9
#: The world map shows at most this many places, the most covered: past some hundreds the dots of a continent
#: overlap into a blot, and each is some 200 bytes of the page (the gazetteer knows some 25,000 places).
MAP_DOTS = 1000
#: A place page's map: this many degrees wide, centred on the place (vertically where the edges allow).
LOCAL_WIDTH, LOCAL_HEIGHT = 80.0, 44.0
#: A country's map is wider when the country is: its extent takes at most this part of the map's width or height.
LOCAL_FILL = 1 / 1.6
#: Kinds of place drawn as a ring (an area, placed at a point inside it) rather than a solid dot (a city).
AREA_KINDS = frozenset({"country", "region"})


@dataclass(frozen=True)
class Bar:
    """One month or year: its label ("March 2016", "2016"), count and place in the chart."""

    label: str
    count: int
    #: Left edge and width in percent of the chart's width.
    x: float
    width: float
    #: Height in pixels (0 for a period without articles: a gap).
    height: float
    #: Top of the bar, in pixels from the top of the chart.
    y: float


@dataclass(frozen=True)
class Tick:
    """A year label under the axis: where its mark is and where its text is anchored (percent)."""

    mark: float
    x: float
    label: str
    #: "start" (text runs right from x), "middle" (under a year's bar) or "end" (near the right edge: text ends at x).
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    #: "month" or "year": what one bar counts.
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    total: int
    peak: int
    #: Articles without a date, which no bar counts.
    undated: int = 0
    baseline: float = BAR_AREA
    height: int = CHART_HEIGHT

    @property
    def first(self) -> str:
        """The first period with articles (the chart itself starts with a whole year)."""
        return self.rows[0].label

    @property
    def last(self) -> str:
        return self.rows[-1].label

    @property
    def rows(self) -> tuple[Bar, ...]:
        """The periods with articles, oldest first: the chart's figures as a table."""
        return tuple(b for b in self.bars if b.count)

    @property
    def summary(self) -> str:
        """One sentence a screen reader says for the chart."""
        articles = "article" if self.total == 1 else "articles"
        busiest = max(self.bars, key=lambda b: b.count)
        text = (f"{self.total} dated {articles} from {self.first} to {self.last}, per {self.unit}; "
                f"most in {busiest.label} ({busiest.count}).")
        if self.undated:
            text += f" {self.undated} undated {'article is' if self.undated == 1 else 'articles are'} not counted."
        return text


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    (y, m), out = first, []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _ticks(positions: Sequence[tuple[float, int]], slot: float, centred: bool = False) -> tuple[Tick, ...]:
    """Year labels at the given (x, year) positions, every n-th year when there are many.

    Monthly charts label each January's left edge; yearly ones (`centred`) label under the bar's middle.
    """
    if not positions:
        return ()
    years = [year for _, year in positions]
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if math.ceil(len(years) / s) <= MAX_LABELS)
    ticks = []
    for x, year in positions:
        if (year - years[0]) % step:
            continue
        if centred:
            middle = round(x + slot / 2, 3)
            ticks.append(Tick(mark=middle, x=middle, label=str(year), anchor="middle"))
            continue
        # A label near the right edge is anchored at its slot's end so it is not cut off.
        anchor = "end" if x > 100 - 9 else "start"
        ticks.append(Tick(mark=round(x, 3), x=round(min(100.0, x + slot) if anchor == "end" else x, 3),
                          label=str(year), anchor=anchor))
    return tuple(ticks)


def _bars(labelled: Sequence[tuple[str, int]]) -> tuple[tuple[Bar, ...], int, float]:
    peak = max((count for _, count in labelled), default=0)
    slot = 100 / len(labelled)
    width = round(slot * BAR_FILL, 3)
    bars = []
    for i, (label, count) in enumerate(labelled):
        # Any article gets a visible bar: at least 2 px high.
        height = round(max(2.0, BAR_AREA * count / peak), 1) if count else 0.0
        bars.append(Bar(label=label, count=count, x=round(i * slot + (slot - width) / 2, 3), width=width,
                        height=height, y=round(BAR_AREA - height, 1)))
    return tuple(bars), peak, slot


def coverage_chart(counts: Mapping[tuple[int, int], int], monthly_years: int = TERM_MONTHLY_YEARS,
                   undated: int = 0) -> Chart | None:
    """A chart of article counts by (year, month), or None when they fill fewer than two periods.

    Per month over whole calendar years (January of the first year to December of the
    last), so years line up under their labels; per year when that is more than
    `monthly_years` years.
    """
    dated = {k: v for k, v in counts.items() if v}
    if len(dated) < 2:
        return None  # one month or none: the page's dates say it all, a single bar would say nothing more
    first_year, last_year = min(dated)[0], max(dated)[0]
    if last_year - first_year + 1 <= monthly_years:
        months = _months((first_year, 1), (last_year, 12))
        bars, peak, slot = _bars([(f"{MONTH_NAMES[m - 1]} {y}", dated.get((y, m), 0)) for y, m in months])
        positions = [(i * slot, y) for i, (y, m) in enumerate(months) if m == 1]
        unit = "month"
    else:
        years = list(range(first_year, last_year + 1))
        per_year = Counter()
        for (y, _), n in dated.items():
            per_year[y] += n
        bars, peak, slot = _bars([(str(y), per_year.get(y, 0)) for y in years])
        positions = [(i * slot, y) for i, y in enumerate(years)]
        unit = "year"
    return Chart(unit=unit, bars=bars, ticks=_ticks([(round(x, 3), y) for x, y in positions], slot, unit == "year"),
                 total=sum(dated.values()), peak=peak, undated=undated)


def month_counts(articles: Iterable[Article]) -> tuple[Counter[tuple[int, int]], int]:
    """Articles per (year, month), and how many have no date."""
    counts: Counter[tuple[int, int]] = Counter()
    undated = 0
    for article in articles:
        if article.date is None:
            undated += 1
        else:
            counts[(article.date.year, article.date.month)] += 1
    return counts, undated


def term_chart(term: Term) -> Chart | None:
    counts, undated = month_counts(term.articles)
    return coverage_chart(counts, undated=undated)


def archive_chart(years: Sequence[YearArchive], undated: int = 0) -> Chart | None:
    counts = Counter({(m.year, m.month): len(m.articles) for y in years for m in y.months})
    return coverage_chart(counts, monthly_years=ARCHIVE_MONTHLY_YEARS, undated=undated)


class LazyChart:
    """A term's chart, worked out when its page is rendered (most builds render few term pages).

    Its fingerprint is the dates of the term's articles (`Fingerprinter.dates`), which is all it shows.
    """

    __slots__ = ("term", "_value", "_done")

    def __init__(self, term: Term) -> None:
        self.term, self._value, self._done = term, None, False

    @property
    def chart(self) -> Chart | None:
        if not self._done:
            self._value, self._done = term_chart(self.term), True
        return self._value


# --------------------------------------------------------------------------- maps


@dataclass(frozen=True)
class Dot:
    name: str
    url: str
    count: int
    x: float
    y: float
    r: float
    #: A country or region (drawn as a ring at a point inside it) rather than a city.
    area: bool = False


@dataclass(frozen=True)
class WorldMap:
    dots: tuple[Dot, ...]
    #: viewBox of the part of the world shown: "x y width height".
    view: str
    #: Locations the gazetteer cannot put on a map (continents, US states, unknown names).
    unplaced: int = 0
    #: Horizontal offsets of extra copies of the outlines, for a map that reaches past the 180th meridian.
    copies: tuple[int, ...] = ()
    #: Places with a point that the map leaves out, less covered than the MAP_DOTS it shows.
    left_out: int = 0

    @property
    def articles(self) -> int:
        return sum(d.count for d in self.dots)

    @property
    def areas(self) -> int:
        """Dots that stand for a country or region."""
        return sum(d.area for d in self.dots)

    @property
    def cities(self) -> int:
        return len(self.dots) - self.areas


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular, in the world map's 360 x 180 box."""
    return round(longitude + 180, 2), round(90 - latitude, 2)


def _placed(place: object) -> bool:
    return getattr(place, "latitude", None) is not None and getattr(place, "longitude", None) is not None


def _is_area(place: object) -> bool:
    return getattr(place, "kind", None) in AREA_KINDS


def world_map(terms: Iterable[Term], places: Mapping[str, object], areas: bool = True) -> WorldMap:
    """A dot per location with coordinates, its area proportional to its article count (countries and
    regions only when `areas`).

    Larger dots are drawn first so that smaller ones stay on top and can be clicked.
    """
    placed, unplaced = [], 0
    for term in terms:
        place = places.get(term.name)
        if _placed(place) and (areas or not _is_area(place)):
            placed.append((term, place))
        else:
            unplaced += 1
    peak = max((t.count for t, _ in placed), default=1)
    dots = []
    for term, place in placed:
        x, y = project(place.latitude, place.longitude)  # type: ignore[attr-defined]
        r = max(MAP_MIN_RADIUS, MAP_MAX_RADIUS * math.sqrt(term.count / peak))
        dots.append(Dot(name=term.name, url=term.url, count=term.count, x=x, y=y, r=round(r, 2), area=_is_area(place)))
    dots.sort(key=lambda d: (-d.count, d.name.casefold(), d.url))
    return WorldMap(dots=tuple(dots[:MAP_DOTS]), view=f"0 {MAP_TOP:g} 360 {MAP_BOTTOM - MAP_TOP:g}", unplaced=unplaced,
                    left_out=max(0, len(dots) - MAP_DOTS))


def local_map(term: Term, place: object, areas: bool = True) -> WorldMap | None:
    """A place page's map: the region around the place, with its dot; None if it has no coordinates.

    A city's map is 80° x 44° around it, continuing across the 180th meridian. A country's (or region's) is centred on its land and
    wide enough to show all of it (its largest piece: mainland France, the contiguous United
    States), never narrower than a city's, never taller than the world map.
    """
    if not _placed(place) or (not areas and _is_area(place)):
        return None
    x, y = project(place.latitude, place.longitude)  # type: ignore[attr-defined]
    width, height, cx, cy = LOCAL_WIDTH, LOCAL_HEIGHT, x, y
    extent = getattr(place, "extent", None)
    if extent:
        west, south, east, north = extent
        aspect = LOCAL_HEIGHT / LOCAL_WIDTH
        width = max(LOCAL_WIDTH, (east - west) / LOCAL_FILL, (north - south) / LOCAL_FILL / aspect)
        width = min(width, (MAP_BOTTOM - MAP_TOP) / aspect)
        height = width * aspect
        cx, cy = (west + east) / 2 + 180, 90 - (south + north) / 2  # an extent past 180° east stops at the edge
    # East and west the world goes on: a map reaching past the 180th meridian draws the outlines again,
    # 360 degrees over, so Fiji, Russia or Auckland sit in the middle of theirs.
    left = cx - width / 2
    copies = (-360,) if left < 0 else (360,) if left + width > 360 else ()
    top = min(max(cy - height / 2, 0.0), MAP_BOTTOM - height)
    dot = Dot(name=term.name, url=term.url, count=term.count, x=x, y=y, r=round(1.3 * width / LOCAL_WIDTH, 2),
              area=_is_area(place))
    return WorldMap(dots=(dot,), view=f"{round(left, 2):g} {round(top, 2):g} {round(width, 2):g} {round(height, 2):g}",
                    copies=copies)
