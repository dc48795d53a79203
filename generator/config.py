"""Site settings from `site.toml`: one validated, frozen object with documented defaults."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.errors import BuildError

#: Taxonomies the archive knows how to build: front matter key -> (plural title, singular title).
KNOWN_TAXONOMIES: dict[str, tuple[str, str]] = {
    "tags": ("Tags", "Tag"),
    "locations": ("Locations", "Location"),
    "persons": ("People", "Person"),
    "organizations": ("Organizations", "Organization"),
}
#: What the search page can offer to narrow results by: the year, and the names of each taxonomy.
SEARCH_FILTERS = ("year", *KNOWN_TAXONOMIES)


@dataclass(frozen=True)
class SiteConfig:
    """Everything `site.toml` may set. Paths are resolved against `root`."""

    root: Path
    title: str = "Broadsheet"
    description: str = "A browsable archive of news articles."
    #: Absolute URL the site is published at; used in the sitemap and feeds.
    base_url: str = "https://example.org/"
    language: str = "en"
    #: Articles per listing page (home, term pages).
    per_page: int = 20
    #: Entries per Atom feed.
    feed_entries: int = 20
    theme: str = "default"
    taxonomies: tuple[str, ...] = ("tags", "locations", "persons")
    #: Related articles listed on each article page (with previous/next on its main subject); 0 turns both off.
    related: int = 5
    output: Path = field(default=Path("public"))
    #: Pictures of coverage: articles-per-month charts on term pages and /archive/, maps of places.
    charts: bool = True
    #: Countries and regions on those maps (a ring at a point inside each), besides cities.
    map_countries: bool = True
    #: schema.org JSON-LD, Open Graph and Twitter card tags in article, person, place and tag pages.
    rich_previews: bool = True
    #: JSON files for others to build on: /api/articles.json and one file per person, place and tag.
    api: bool = True
    #: Articles per data file: a year's articles, or a person's, place's or tag's, past this many are split
    #: into files of this many, so that no file (and no edit's rewrite of one) grows with the archive.
    api_per_file: int = 1000
    #: Names a taxonomy's index page lists: past this many its A–Z index shows each letter with its most covered
    #: names and links to a page per letter (of this many names a page), and "most covered" the top this many.
    names_per_page: int = 300
    #: Full-text search: a /search/ page, a search box in every header and a Pagefind index of the articles.
    search: bool = True
    #: What the search page offers to narrow results by (drawn from SEARCH_FILTERS). Past render.SEARCH_FILTER_NAMES
    #: names to offer the build keeps the year alone: Pagefind's UI draws every value as a checkbox.
    search_filters: tuple[str, ...] = SEARCH_FILTERS

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def articles_dir(self) -> Path:
        return self.root / "content" / "articles"

    @property
    def output_dir(self) -> Path:
        return self.output if self.output.is_absolute() else self.root / self.output

    @property
    def theme_dirs(self) -> list[Path]:
        """The chosen theme first, then the built-in default it overrides file by file."""
        default = Path(__file__).resolve().parent.parent / "themes" / "default"
        dirs = [self.root / "themes" / self.theme, default]
        unique: list[Path] = []
        for d in dirs:
            if d.resolve() not in [u.resolve() for u in unique] and d.is_dir():
                unique.append(d)
        return unique


def _key_line(text: str, key: str) -> int | None:
    """The line of `key = …` in site.toml, so a message can point at it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""", line):
            return number
    return None


def load_config(root: Path, output: Path | None = None) -> SiteConfig:
    """Read `root/site.toml` (optional) and validate every key.

    Every message has one shape: `site.toml, line N: 'key' must be <what is allowed>, not <value>`.
    """
    path = root / "site.toml"
    data: dict = {}
    text = ""
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            raise BuildError(f"{path}: not UTF-8 text; save it as UTF-8 and build again") from exc
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            where = f"{path}, line {found.group(1)}" if found else str(path)
            raise BuildError(f"{where}: not valid TOML ({exc}); fix the file and build again") from exc

    def bad(key: str, allowed: str) -> BuildError:
        line = _key_line(text, key)
        where = f"{path}, line {line}" if line else str(path)
        return BuildError(f"{where}: '{key}' must be {allowed}, not {data[key]!r}; fix site.toml and build again")

    known = {f.name for f in fields(SiteConfig)} - {"root", "output"}
    unknown = sorted(set(data) - known)
    if unknown:
        line = _key_line(text, unknown[0])
        where = f"{path}, line {line}" if line else str(path)
        raise BuildError(f"{where}: unknown setting(s) {', '.join(repr(k) for k in unknown)}; "
                         f"known: {', '.join(sorted(known))}")
    values: dict = {}
    for key in ("title", "description", "base_url", "language", "theme"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise bad(key, "a non-empty string in quotes")
            values[key] = data[key].strip()
    for key in ("per_page", "feed_entries", "api_per_file", "names_per_page"):
        if key in data:
            if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 1:
                raise bad(key, "a whole number of at least 1")
            values[key] = data[key]
    for key in ("charts", "map_countries", "rich_previews", "api"):
        if key in data:
            if not isinstance(data[key], bool):
                raise bad(key, "true or false")
            values[key] = data[key]
    if "related" in data:
        if not isinstance(data["related"], int) or isinstance(data["related"], bool) or not 0 <= data["related"] <= 20:
            raise bad("related", "a whole number from 0 (off) to 20")
        values["related"] = data["related"]
    if "search" in data:
        if not isinstance(data["search"], bool):
            raise bad("search", "true or false (no quotes)")
        values["search"] = data["search"]
    if "search_filters" in data:
        chosen = data["search_filters"]
        if not isinstance(chosen, list) or not all(isinstance(f, str) and f in SEARCH_FILTERS for f in chosen):
            raise bad("search_filters", f"a list drawn from {', '.join(repr(k) for k in SEARCH_FILTERS)}")
        values["search_filters"] = tuple(dict.fromkeys(chosen))
    if "taxonomies" in data:
        taxes = data["taxonomies"]
        if not isinstance(taxes, list) or not all(isinstance(t, str) and t in KNOWN_TAXONOMIES for t in taxes):
            raise bad("taxonomies", f"a list drawn from {', '.join(repr(k) for k in KNOWN_TAXONOMIES)}")
        values["taxonomies"] = tuple(dict.fromkeys(taxes))
    if "base_url" in values:
        if not values["base_url"].startswith(("http://", "https://")):
            raise bad("base_url", "an absolute http(s) URL such as 'https://example.org/'")
        if not values["base_url"].endswith("/"):
            values["base_url"] += "/"
    config = SiteConfig(root=root, output=output or Path("public"), **values)
    # A theme may override only static files, but it must exist: a misspelt name would quietly give the default.
    missing = config.theme != "default" and not (root / "themes" / config.theme).is_dir()
    if missing or not any((d / "templates").is_dir() for d in config.theme_dirs):
        themes = sorted(d.name for d in (root / "themes").iterdir() if d.is_dir()) if (root / "themes").is_dir() else []
        data.setdefault("theme", config.theme)
        raise bad("theme", f"the name of a folder under {root / 'themes'} or 'default' "
                           f"(found: {', '.join(repr(t) for t in dict.fromkeys([*themes, 'default']))})")
    return config
