"""Content files: YAML front matter plus Markdown, read into Articles and written by ingest."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Warnings
from generator.markup import MarkdownRenderer
from generator.model import Article
from generator.parallel import fork_map

try:  # The C loader is several times faster; fall back where libyaml is missing.
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]

FENCE = "---"
#: The line ingest adds so it can tell later whether an editor changed the file.
FINGERPRINT_KEY = "ingest_sha256"
_FINGERPRINT_LINE = re.compile(rf"^{FINGERPRINT_KEY}: [0-9a-f]{{64}}\n", re.MULTILINE)
LIST_KEYS = ("tags", "locations", "persons", "organizations")
TEXT_KEYS = ("title", "slug", "dateline", "source", "author", "summary", "seed", "seed_sha256")


class FrontMatterError(ValueError):
    """Front matter that cannot be read; the message says what is wrong."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body) of a content file."""
    text = text.lstrip("\ufeff")
    if not text.startswith(FENCE + "\n"):
        raise FrontMatterError("the file does not start with a '---' front matter line")
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end == -1:
        if text.rstrip("\n").endswith(f"\n{FENCE}"):
            end = text.rstrip("\n").rfind(f"\n{FENCE}")
        else:
            raise FrontMatterError("the front matter has no closing '---' line")
    raw = text[len(FENCE) + 1 : end + 1]
    try:
        data = yaml.load(raw, Loader=SafeLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise FrontMatterError(f"the front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be a mapping of keys to values")
    return data, text[end + len(FENCE) + 2 :]


def _fingerprint(text: str) -> str:
    return hashlib.sha256(_FINGERPRINT_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def dump_content(meta: dict[str, Any], body: str) -> str:
    """The text of a content file, with a fingerprint of itself in the front matter."""
    data = {k: v for k, v in meta.items() if v not in (None, "", [], ())}
    front = yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=None)
    text = f"{FENCE}\n{front}{FENCE}\n\n{body}"
    return text.replace(f"\n{FENCE}\n", f"\n{FINGERPRINT_KEY}: {_fingerprint(text)}\n{FENCE}\n", 1)


def is_hand_edited(text: str) -> bool:
    """True when a content file no longer matches the fingerprint ingest wrote into it."""
    match = re.search(rf"^{FINGERPRINT_KEY}: ([0-9a-f]{{64}})$", text, re.MULTILINE)
    return match is None or match.group(1) != _fingerprint(text)


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FrontMatterError(f"'date' must be an ISO date such as 2016-05-12, not {value!r}")


def _as_list(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise FrontMatterError(f"'{key}' must be a list of names, such as [Rotterdam, Netherlands]")
    names = (" ".join(str(v).split()) for v in value)
    return tuple(dict.fromkeys(n for n in names if n))


def article_from_text(text: str, path: Path, renderer: MarkdownRenderer, rel: str, digest: str = "") -> Article:
    """Validate a content file's front matter and render its body."""
    meta, body = split_front_matter(text)
    for key in TEXT_KEYS:
        if key in meta and meta[key] is not None and not isinstance(meta[key], (str, int, float)):
            raise FrontMatterError(f"'{key}' must be text")
    title = str(meta.get("title") or "").strip()
    if not title:
        raise FrontMatterError("'title' is missing; every article needs one")
    slug = str(meta.get("slug") or path.stem).strip()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise FrontMatterError(f"'slug' must be lowercase letters, digits and hyphens, not {slug!r}")

    def text_of(key: str) -> str | None:
        value = meta.get(key)
        return " ".join(str(value).split()) or None if value is not None else None

    return Article(
        slug=slug,
        title=title,
        summary=text_of("summary") or "",
        body_html=renderer.render(body),
        date=_as_date(meta.get("date")),
        dateline=text_of("dateline"),
        source=text_of("source"),
        author=text_of("author"),
        tags=_as_list("tags", meta.get("tags")),
        locations=_as_list("locations", meta.get("locations")),
        persons=_as_list("persons", meta.get("persons")),
        organizations=_as_list("organizations", meta.get("organizations")),
        path=rel,
        digest=digest,
    )


@dataclass(frozen=True)
class ContentEntry:
    """What one content file held when it was last read, keyed by its size and mtime."""

    size: int
    mtime_ns: int
    sha256: str
    #: Front matter, or None when it could not be read.
    meta: dict[str, Any] | None
    article: Article | None
    #: Why the file cannot be used, for the warning; None when it loaded.
    error: str | None
    hand_edited: bool = False


def _read_entry(path: Path, rel: str, renderer: MarkdownRenderer) -> ContentEntry:
    st = path.stat()
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ContentEntry(st.st_size, st.st_mtime_ns, sha, None, None, "is not UTF-8 text; skipped (save it as UTF-8)")
    try:
        meta, _ = split_front_matter(text)
        article = article_from_text(text, path, renderer, rel, digest=sha)
    except FrontMatterError as exc:
        meta = None
        try:
            meta = split_front_matter(text)[0]
        except FrontMatterError:
            pass
        return ContentEntry(st.st_size, st.st_mtime_ns, sha, meta, None, f"{exc}; skipped (fix the front matter and build again)")
    return ContentEntry(st.st_size, st.st_mtime_ns, sha, meta, article, None, is_hand_edited(text))


def _read_entries(jobs: Sequence[tuple[str, str]]) -> list[tuple[str, ContentEntry | None]]:
    renderer = MarkdownRenderer()
    out: list[tuple[str, ContentEntry | None]] = []
    for path, rel in jobs:
        try:
            out.append((path, _read_entry(Path(path), rel, renderer)))
        except FileNotFoundError:
            out.append((path, None))
    return out


class ContentStore:
    """The content files of a site, read once and then re-read only when a file changes.

    Ingest asks it which seed each file came from; the build asks it for the articles.
    Its entries can be kept between builds (see BuildState), so an unchanged archive is
    neither parsed nor rendered from Markdown again.
    """

    def __init__(self, articles_dir: Path, root: Path, entries: dict[str, ContentEntry] | None = None) -> None:
        self.articles_dir = articles_dir
        self.root = root
        self.entries: dict[str, ContentEntry] = dict(entries or {})
        self.removed = 0
        self.dirty: set[str] = set()

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def refresh(self, workers: int = 1) -> int:
        """Look at every file again; read those whose size or mtime changed. Returns how many were read."""
        try:
            found = sorted((e for e in os.scandir(self.articles_dir) if e.name.endswith(".md") and e.is_file()),
                           key=lambda e: e.name)
        except FileNotFoundError:
            found = []
        current: dict[str, ContentEntry] = {}
        stale: list[tuple[str, str]] = []
        for item in found:
            key = item.path
            try:
                st = item.stat()
            except FileNotFoundError:
                continue
            entry = self.entries.get(key)
            if entry is not None and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
                current[key] = entry
            else:
                stale.append((key, self._rel(Path(key))))
        for key, entry in fork_map(_read_entries, stale, workers, min_items=400):
            if entry is not None:
                current[key] = entry
        #: Files read again or gone since the last look: what a saved cache must update.
        self.dirty |= {key for key, _ in stale} | (set(self.entries) - set(current))
        self.removed = len(set(self.entries) - set(current))
        self.entries = current
        return len(stale)

    def front_matter(self) -> dict[str, dict[str, Any]]:
        """Front matter of every readable file, by its path."""
        return {k: e.meta for k, e in self.entries.items() if e.meta is not None}

    def is_hand_edited(self, path: Path) -> bool:
        entry = self.entries.get(str(path))
        if entry is None or entry.article is None:
            return is_hand_edited(path.read_text(encoding="utf-8", errors="replace"))
        return entry.hand_edited

    def articles(self, warnings: Warnings) -> list[Article]:
        """Every usable article, in file-name order; a bad or duplicate file is skipped with a warning."""
        articles: list[Article] = []
        by_slug: dict[str, str] = {}
        for key in sorted(self.entries):
            entry = self.entries[key]
            rel = entry.article.path if entry.article is not None else self._rel(Path(key))
            if entry.article is None:
                warnings.warn(rel, entry.error or "could not be read; skipped")
                continue
            article = entry.article
            if article.slug in by_slug:
                warnings.warn(rel, f"has the same slug '{article.slug}' as {by_slug[article.slug]}; skipped (give it another slug)")
                continue
            by_slug[article.slug] = rel
            articles.append(article)
        return articles


def load_articles(articles_dir: Path, root: Path, warnings: Warnings) -> list[Article]:
    """Every readable article under `articles_dir`; a bad file is skipped with a warning."""
    store = ContentStore(articles_dir, root)
    store.refresh()
    return store.articles(warnings)
