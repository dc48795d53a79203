"""Site settings from `site.toml`: one validated, frozen object with documented defaults."""

from __future__ import annotations

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
    output: Path = field(default=Path("public"))

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


def load_config(root: Path, output: Path | None = None) -> SiteConfig:
    """Read `root/site.toml` (optional) and validate every key."""
    path = root / "site.toml"
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BuildError(f"{path}: not valid TOML ({exc}); fix the file and build again") from exc
    known = {f.name for f in fields(SiteConfig)} - {"root", "output"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise BuildError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values: dict = {}
    for key in ("title", "description", "base_url", "language", "theme"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise BuildError(f"{path}: '{key}' must be a non-empty string")
            values[key] = data[key].strip()
    for key in ("per_page", "feed_entries"):
        if key in data:
            if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 1:
                raise BuildError(f"{path}: '{key}' must be a whole number of at least 1")
            values[key] = data[key]
    if "taxonomies" in data:
        taxes = data["taxonomies"]
        if not isinstance(taxes, list) or not all(t in KNOWN_TAXONOMIES for t in taxes):
            raise BuildError(f"{path}: 'taxonomies' must be a list drawn from {', '.join(KNOWN_TAXONOMIES)}")
        values["taxonomies"] = tuple(dict.fromkeys(taxes))
    if "base_url" in values:
        if not values["base_url"].startswith(("http://", "https://")):
            raise BuildError(f"{path}: 'base_url' must be an absolute http(s) URL")
        if not values["base_url"].endswith("/"):
            values["base_url"] += "/"
    config = SiteConfig(root=root, output=output or Path("public"), **values)
    if not any((d / "templates").is_dir() for d in config.theme_dirs):
        raise BuildError(f"{path}: theme '{config.theme}' not found under {root / 'themes'}")
    return config
