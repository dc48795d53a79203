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
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "themes" / "default" / "static" / "world.svg"
MEMBER = "package/countries-110m.json"
LEFT_OUT = {"Antarctica"}
#: Decimal places kept (1: a tenth of a degree, about 11 km: finer than the 1:110m outlines).
PLACES = 1


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas npm tarball (.tgz) or its countries-110m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    svg = world_svg(read_topology(args.source))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(svg, encoding="utf-8")
    print(f"wrote {args.output} ({len(svg.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
