"""Make the theme's world map, `themes/default/static/world.svg`, from Natural Earth outlines.

Run once when the outlines should change; the output is committed with the theme, the
input is not:

    curl -sLO https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
    python scripts/make_world_map.py world-atlas-2.0.2.tgz

Data: Natural Earth 1:110m Admin 0 country boundaries (version 4.1.0; public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as TopoJSON in the npm package
`world-atlas` 2.0.2 by Michael Bostock (ISC licence), file `countries-110m.json`.

The TopoJSON arcs are quantized and delta-encoded; they are decoded, projected with the
equirectangular projection into a 360 x 180 box (x = longitude + 180, y = 90 - latitude),
rounded to 0.1 degree and written as one SVG path of relative moves, so the file stays
small. Antarctica is left out: the maps show where the news happened and stop at 60° S.
The paths set no colours: the page that shows the map colours them (`<use>` inherits).

From the same outlines the script also writes `generator/data/country_points.json`, the
point where a map puts each country (the gazetteer has coordinates for cities only): the
pole of inaccessibility of the country's largest polygon (by area), i.e. the point inside
it farthest from its coast and borders, found to 0.01 degree with the polylabel algorithm
(distances in degrees of latitude, longitudes shrunk by the cosine of the polygon's middle
latitude). So France is placed in mainland France (not French Guiana), the United States in
the contiguous states (not Alaska), South Africa outside Lesotho (a hole), and Fiji on
Viti Levu whichever side of the 180th meridian its rings run. Each country also gets the
extent (west, south, east, north) of that polygon, so a map can show the whole country.
The file is keyed by ISO 3166-1 numeric code (the TopoJSON feature id). The nations of the
United Kingdom, one country in these outlines, are placed the same way inside the part of
the United Kingdom in a box drawn around each nation (`REGIONS`).
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "themes" / "default" / "static" / "world.svg"
POINTS_OUTPUT = ROOT / "generator" / "data" / "country_points.json"
MEMBER = "package/countries-110m.json"
LEFT_OUT = {"Antarctica"}
#: Decimal places kept (1: a tenth of a degree, about 11 km: finer than the 1:110m outlines).
PLACES = 1
#: Parts of a country placed on their own: name -> (country's ISO numeric code, box west, south, east, north).
#: The boxes are drawn by hand around each nation, staying clear of its neighbours' land.
REGIONS = {
    "England": ("826", -3.0, 50.5, 2.0, 55.0),
    "Scotland": ("826", -8.0, 55.4, 0.0, 61.0),
    "Wales": ("826", -5.5, 51.35, -2.75, 53.45),
    "Northern Ireland": ("826", -8.5, 53.9, -5.3, 55.35),
}
#: Precision of the points, in degrees.
POINT_PRECISION = 0.01


def read_topology(source: Path) -> dict:
    """The TopoJSON document, from the npm tarball or an unpacked `countries-110m.json`."""
    if source.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(source) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{source}: no {MEMBER} inside")
            return json.load(member)
    return json.loads(source.read_text(encoding="utf-8"))


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as (longitude, latitude) points: undo the delta encoding, then the quantization."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring's points from its arc indexes (~i is arc i backwards); shared end points once."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def project(lon: float, lat: float) -> tuple[int, int]:
    """Equirectangular, in tenths of a degree from the top left corner (integers: exact deltas)."""
    scale = 10**PLACES
    return round((lon + 180) * scale), round((90 - lat) * scale)


def number(value: int) -> str:
    """Tenths as the shortest decimal: 12 -> "1.2", -5 -> "-.5", 30 -> "3"."""
    text = f"{value / 10**PLACES:.{PLACES}f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous: a ring that crosses the 180th meridian (Fiji, Chukotka) goes past 180
    instead of jumping back across the whole map."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat in points:
        if out:
            step = lon + shift - out[-1][0]
            if step > 180:
                shift -= 360
            elif step < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def ring_paths(points: list[tuple[float, float]]) -> list[str]:
    """The ring as path data, twice when it reaches past the map's edge (the copy 360 degrees over
    shows the other part; the viewBox clips the rest)."""
    points = unwrap(points)
    lons = [lon for lon, _ in points]
    paths = [ring_path(points)]
    if max(lons) > 180:
        paths.append(ring_path([(lon - 360, lat) for lon, lat in points]))
    if min(lons) < -180:
        paths.append(ring_path([(lon + 360, lat) for lon, lat in points]))
    return [p for p in paths if p]


def ring_path(points: list[tuple[float, float]]) -> str:
    projected: list[tuple[int, int]] = []
    for lon, lat in points:
        p = project(lon, lat)
        if not projected or p != projected[-1]:
            projected.append(p)
    if len(projected) > 1 and projected[0] == projected[-1]:
        projected.pop()
    if len(projected) < 3:
        return ""
    (x0, y0) = projected[0]
    parts = [f"M{number(x0)} {number(y0)}l"]
    coords = []
    for (ax, ay), (bx, by) in zip(projected, projected[1:]):
        dx, dy = number(bx - ax), number(by - ay)
        coords.append(dx + ("" if dy.startswith("-") else " ") + dy)
    parts.append(" ".join(coords).replace(" -", "-"))
    parts.append("z")
    return "".join(parts)


def world_svg(topology: dict) -> str:
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("properties", {}).get("name") in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                paths.extend(ring_paths(ring_points(ring, arcs)))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">\n'
        "<!-- Country outlines from Natural Earth (public domain), 1:110m admin 0, via the npm package "
        "world-atlas 2.0.2 (ISC). Made by scripts/make_world_map.py; equirectangular, x = longitude + 180, "
        "y = 90 - latitude. -->\n"
        f'<path id="world" vector-effect="non-scaling-stroke" d="{"".join(paths)}"/>\n'
        "</svg>\n"
    )


# --------------------------------------------------------------------------- points


Ring = list[tuple[float, float]]


def _ring_area(ring: Ring) -> float:
    """Signed shoelace area, in square degrees."""
    return sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1])) / 2


def polygon_area(polygon: list[Ring]) -> float:
    """Area of an outer ring less its holes, in square degrees of latitude (longitudes shrunk by cos(lat))."""
    outer = polygon[0]
    middle = (min(lat for _, lat in outer) + max(lat for _, lat in outer)) / 2
    area = abs(_ring_area(outer)) - sum(abs(_ring_area(hole)) for hole in polygon[1:])
    return area * math.cos(math.radians(middle))


def _segment_distance_sq(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (x, y), dx, dy = a, b[0] - a[0], b[1] - a[1]
    if dx or dy:
        t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy)
        if t > 1:
            x, y = b
        elif t > 0:
            x, y = x + dx * t, y + dy * t
    return (px - x) ** 2 + (py - y) ** 2


def _signed_distance(x: float, y: float, polygon: list[Ring]) -> float:
    """Distance from (x, y) to the polygon's nearest edge; negative outside (even-odd rule over all rings)."""
    inside, best = False, math.inf
    for ring in polygon:
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if (a[1] > y) != (b[1] > y) and x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]:
                inside = not inside
            best = min(best, _segment_distance_sq(x, y, a, b))
    return math.sqrt(best) * (1 if inside else -1)


def polylabel(polygon: list[Ring], precision: float = 1.0) -> tuple[float, float]:
    """The pole of inaccessibility: the point inside the polygon farthest from its edges (Mapbox's polylabel:
    split the bounding box into cells, refine the cells that could hold a farther point, best first)."""
    xs = [x for x, _ in polygon[0]]
    ys = [y for _, y in polygon[0]]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    size = min(east - west, north - south)
    if size == 0:
        return west, south
    half = size / 2

    def cell(x: float, y: float, h: float) -> tuple[float, float, float, float, float]:
        d = _signed_distance(x, y, polygon)
        return -(d + h * math.sqrt(2)), x, y, h, d  # heap key: the most this cell could hold, negated

    queue = []
    x = west
    while x < east:
        y = south
        while y < north:
            heapq.heappush(queue, cell(x + half, y + half, half))
            y += size
        x += size
    # First guesses: the centroid of the outer ring and the bounding box's middle.
    area = _ring_area(polygon[0])
    ring = polygon[0]
    cx = sum((ax + bx) * (ax * by - bx * ay) for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1])) / (6 * area)
    cy = sum((ay + by) * (ax * by - bx * ay) for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1])) / (6 * area)
    best = max(cell(cx, cy, 0), cell((west + east) / 2, (south + north) / 2, 0), key=lambda c: c[4])
    while queue:
        _, x, y, h, d = heapq.heappop(queue)
        if d > best[4]:
            best = (0, x, y, h, d)
        if d + h * math.sqrt(2) - best[4] <= precision:
            continue
        h /= 2
        for nx, ny in ((x - h, y - h), (x + h, y - h), (x - h, y + h), (x + h, y + h)):
            heapq.heappush(queue, cell(nx, ny, h))
    return best[1], best[2]


def clip_to_box(ring: Ring, west: float, south: float, east: float, north: float) -> Ring:
    """The part of a ring inside a box (Sutherland-Hodgman, one edge of the box at a time)."""
    def clip(points: Ring, inside, cross) -> Ring:
        out: Ring = []
        for a, b in zip(points[-1:] + points[:-1], points):
            if inside(b):
                if not inside(a):
                    out.append(cross(a, b))
                out.append(b)
            elif inside(a):
                out.append(cross(a, b))
        return out

    def at_x(v):
        return lambda a, b: (v, a[1] + (b[1] - a[1]) * (v - a[0]) / (b[0] - a[0]))

    def at_y(v):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (v - a[1]) / (b[1] - a[1]), v)

    for inside, cross in ((lambda p: p[0] >= west, at_x(west)), (lambda p: p[0] <= east, at_x(east)),
                          (lambda p: p[1] >= south, at_y(south)), (lambda p: p[1] <= north, at_y(north))):
        if not ring:
            break
        ring = clip(ring, inside, cross)
    return ring


def country_polygons(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[Ring]]:
    """A country's polygons as (longitude, latitude) rings, unwrapped across the 180th meridian, first
    point not repeated at the end."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points = unwrap(ring_points(ring, arcs))
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            rings.append(points)
        # Holes follow their outer ring's longitudes (a hole cannot be 360 degrees away from it).
        lon0 = rings[0][0][0]
        for i, hole in enumerate(rings[1:], 1):
            shift = round((lon0 - hole[0][0]) / 360) * 360
            rings[i] = [(lon + shift, lat) for lon, lat in hole]
        out.append(rings)
    return out


def _point(polygon: list[Ring]) -> dict:
    """Where a map puts the polygon, with its extent, in the stored form."""
    middle = (min(lat for _, lat in polygon[0]) + max(lat for _, lat in polygon[0])) / 2
    k = math.cos(math.radians(middle))
    scaled = [[(lon * k, lat) for lon, lat in ring] for ring in polygon]
    x, lat = polylabel(scaled, POINT_PRECISION)
    lon = x / k
    lons = [p[0] for p in polygon[0]]
    lats = [p[1] for p in polygon[0]]
    shift = 360 if lon < -180 else -360 if lon > 180 else 0  # back into -180..180; the extent keeps its shift
    return {"lat": round(lat, 2), "lon": round(lon + shift, 2),
            "extent": [round(min(lons), 1), round(min(lats), 1), round(max(lons), 1), round(max(lats), 1)]}


def country_points(topology: dict) -> dict:
    """The point and extent of each country (by ISO numeric code) and of each region in REGIONS."""
    arcs = decode_arcs(topology)
    countries, polygons_by_id = {}, {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        name = geometry.get("properties", {}).get("name")
        if not code or name in LEFT_OUT or not geometry.get("arcs"):
            continue  # a few disputed areas have no ISO code
        polygons = country_polygons(geometry, arcs)
        polygons_by_id[code] = polygons
        largest = max(polygons, key=polygon_area)
        countries[code] = {"name": name, **_point(largest)}
    regions = {}
    for name, (code, *box) in REGIONS.items():
        pieces = [[clip_to_box(polygon[0], *box)] for polygon in polygons_by_id[code]]
        pieces = [p for p in pieces if len(p[0]) >= 3]
        regions[name] = {"country": code, **_point(max(pieces, key=polygon_area))}
    return {
        "source": "Natural Earth 1:110m admin 0 (public domain) via world-atlas 2.0.2; made by scripts/make_world_map.py",
        "countries": dict(sorted(countries.items())),
        "regions": regions,
    }


def points_json(points: dict) -> str:
    """One country a line: small, and a change shows as a readable diff."""
    lines = ["{", f'"source": {json.dumps(points["source"])},']
    for key in ("countries", "regions"):
        entries = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(', ', ': '))}"
                   for k, v in points[key].items()]
        lines.append(f'"{key}": {{\n' + ",\n".join(entries) + "\n}" + ("," if key == "countries" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas npm tarball (.tgz) or its countries-110m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--points", type=Path, default=POINTS_OUTPUT, help="where the countries' points go")
    args = parser.parse_args(argv)
    topology = read_topology(args.source)
    svg = world_svg(topology)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(svg, encoding="utf-8")
    print(f"wrote {args.output} ({len(svg.encode()) // 1024} KB)")
    points = points_json(country_points(topology))
    json.loads(points)  # well-formed
    args.points.parent.mkdir(parents=True, exist_ok=True)
    args.points.write_text(points, encoding="utf-8")
    print(f"wrote {args.points} ({len(points.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
