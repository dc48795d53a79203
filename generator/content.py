"""Content files: YAML front matter plus Markdown, read into Articles and written by ingest."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator.bodies import BodyStore, elided
from generator.errors import Warnings, log
from generator.markup import MarkdownRenderer
from generator.model import Article, with_fields
from generator.parallel import collector_paused, fork_map

try:  # The C loader is several times faster; fall back where libyaml is missing.
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]



class _ContentDumper(SafeDumper):  # type: ignore[misc, valid-type]
    """Front matter in block style, one key a line, with lists inline as the guide shows.

    (PyYAML's `default_flow_style=None` writes a mapping of scalars alone as one `{…}`
    line, which the fingerprint line added after it turns into invalid YAML.)
    """


_ContentDumper.add_representer(
    list, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))
_ContentDumper.add_representer(
    tuple, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True))

FENCE = "---"
#: The line ingest adds so it can tell later whether an editor changed the file.
FINGERPRINT_KEY = "ingest_sha256"
_FINGERPRINT_LINE = re.compile(rf"^{FINGERPRINT_KEY}: [0-9a-f]{{64}}\n", re.MULTILINE)
LIST_KEYS = ("tags", "locations", "persons", "organizations")
TEXT_KEYS = ("title", "slug", "dateline", "source", "author", "summary", "seed", "seed_sha256")


class FrontMatterError(ValueError):
    """Front matter that cannot be read; the message says what is wrong, `line` where (1 is the opening '---')."""

    def __init__(self, message: str, line: int | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        #: The front matter key at fault, so the caller can find its line.
        self.key = key


def _key_lines(raw: str) -> dict[str, int]:
    """The file line of each top-level key of raw front matter (the YAML starts on line 2)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(raw.splitlines(), start=2):
        match = re.match(r"""(?:"([^"]+)"|'([^']+)'|([^\s#'"][^:#]*?))\s*:(?:\s|$)""", line)
        if match:
            lines.setdefault(next(g for g in match.groups() if g is not None), number)
    return lines


def _failing_key(raw: str) -> tuple[str, int, str] | None:
    """The key whose value YAML could parse but not build (a date such as 2005-13-45), its line and the value as written."""
    try:
        node = yaml.compose(raw, Loader=SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        try:
            SafeLoader("").construct_document(value_node)
        except Exception:  # noqa: BLE001 - whatever the constructor refused is the answer
            written = value_node.value if isinstance(value_node, yaml.ScalarNode) else "..."
            return str(key_node.value), key_node.start_mark.line + 2, written
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body) of a content file."""
    text = text.lstrip("\ufeff")
    if not text.startswith(FENCE + "\n"):
        raise FrontMatterError("the file does not start with a '---' front matter line", line=1)
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end == -1:
        if text.rstrip("\n").endswith(f"\n{FENCE}"):
            end = text.rstrip("\n").rfind(f"\n{FENCE}")
        else:
            raise FrontMatterError("the front matter has no closing '---' line", line=1)
    raw = text[len(FENCE) + 1 : end + 1]
    try:
        data = yaml.load(raw, Loader=SafeLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise FrontMatterError(f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}", line=line) from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # YAML that parses but whose value cannot be built: `date: 2005-13-45` is read as a date.
        failing = _failing_key(raw)
        if failing is not None and failing[0] == "date":
            raise FrontMatterError(f"'date' must be a real ISO date such as 2016-05-12, not {failing[2]!r} ({exc})",
                                   line=failing[1]) from exc
        if failing is not None:
            raise FrontMatterError(f"'{failing[0]}' cannot be read ({exc}), not {failing[2]!r}", line=failing[1]) from exc
        raise FrontMatterError(f"the front matter cannot be read: {exc}", line=1) from exc
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be a mapping of keys to values, such as 'title: A headline'", line=2)
    return data, text[end + len(FENCE) + 2 :]


def _fingerprint(text: str) -> str:
    return hashlib.sha256(_FINGERPRINT_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def dump_content(meta: dict[str, Any], body: str) -> str:
    """The text of a content file, with a fingerprint of itself in the front matter."""
    data = {k: v for k, v in meta.items() if v not in (None, "", [], ())}
    front = yaml.dump(data, Dumper=_ContentDumper, sort_keys=False, allow_unicode=True, width=10_000,
                      default_flow_style=False)
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
    raise FrontMatterError(f"'date' must be a real ISO date such as 2016-05-12, not {value!r}", key="date")


def _as_list(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        raise FrontMatterError(f"'{key}' must be a list of names, such as [Rotterdam, Netherlands], not {value!r}", key=key)
    # Interned: a name that many articles list is one string in memory, and one in each cache file
    # (pickle writes an object it has seen once).
    names = (sys.intern(" ".join(str(v).split())) for v in value)
    return tuple(dict.fromkeys(n for n in names if n))


def article_from_text(text: str, path: Path, renderer: MarkdownRenderer, rel: str, digest: str = "",
                      parsed: tuple[dict[str, Any], str] | None = None) -> Article:
    """Validate a content file's front matter and render its body (`parsed`: the text's
    `split_front_matter`, when the caller has it).

    A FrontMatterError carries the file line of the key at fault (1, the opening '---',
    when the key is missing).
    """
    meta, body = parsed if parsed is not None else split_front_matter(text)
    try:
        return _article(meta, body, path, renderer, rel, digest)
    except FrontMatterError as exc:
        if exc.line is None:
            raw = text.lstrip("\ufeff")[len(FENCE) + 1 :].split(f"\n{FENCE}", 1)[0]
            exc.line = _key_lines(raw).get(exc.key or "", 1)
        raise


def _article(meta: dict[str, Any], body: str, path: Path, renderer: MarkdownRenderer, rel: str, digest: str) -> Article:
    for key in TEXT_KEYS:
        value = meta.get(key)
        # A slug may be all digits ("2016"); any other text key that YAML read as a number,
        # a true/false, a list or a mapping was not meant as that: say how to write it.
        allowed: tuple[type, ...] = (str, int) if key == "slug" else (str,)
        if value is not None and (not isinstance(value, allowed) or isinstance(value, bool)):
            raise FrontMatterError(f"'{key}' must be text, not {value!r}; put it in quotes "
                                   f"({key}: \"{value}\") if that is what you meant", key=key)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise FrontMatterError("'title' is missing; every article needs one", key="title")
    slug = str(meta.get("slug") or path.stem).strip()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise FrontMatterError(f"'slug' must be lowercase letters, digits and hyphens, not {slug!r}"
                               + ("" if "slug" in meta else " (it comes from the file name; add a 'slug' line)"),
                               key="slug")

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
    #: What ingest reads of the front matter (`INGEST_KEYS`), or None when it could not be read.
    meta: dict[str, Any] | None
    article: Article | None
    #: Why the file cannot be used, for the warning; None when it loaded.
    error: str | None
    hand_edited: bool = False
    #: The line the error is on, where known.
    line: int | None = None


#: The front matter keys ingest reads of a content file: the seed it came from and that seed's hash, its
#: slug, and its tags (which weigh the tags of new articles).
INGEST_KEYS = ("seed", "seed_sha256", "slug", "tags")


def _read_entry(path: Path, rel: str, renderer: MarkdownRenderer) -> ContentEntry:
    st = path.stat()
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ContentEntry(st.st_size, st.st_mtime_ns, sha, None, None, "is not UTF-8 text; skipped (save it as UTF-8)",
                            line=data[: exc.start].count(b"\n") + 1)
    meta: dict[str, Any] | None = None
    try:
        front, body = split_front_matter(text)
        meta = {key: front[key] for key in INGEST_KEYS if key in front}  # the article holds the rest
        if isinstance(meta.get("tags"), list):  # the same strings as the article's own tags, not a copy of each
            meta["tags"] = [sys.intern(tag) if type(tag) is str else tag for tag in meta["tags"]]
        article = article_from_text(text, path, renderer, rel, digest=sha, parsed=(front, body))
        article = with_fields(article, text_key=hashlib.blake2b(body.encode("utf-8", "surrogatepass"),
                                                                digest_size=16).hexdigest())
    except FrontMatterError as exc:
        return ContentEntry(st.st_size, st.st_mtime_ns, sha, meta, None,
                            f"{exc}; skipped (fix the front matter and build again)", line=exc.line)
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the build
        log.debug("%s could not be read", rel, exc_info=True)
        return ContentEntry(st.st_size, st.st_mtime_ns, sha, meta, None,
                            f"could not be read ({type(exc).__name__}: {exc}); skipped")
    return ContentEntry(st.st_size, st.st_mtime_ns, sha, meta, article, None, is_hand_edited(text))


def _read_entries(bodies: BodyStore | None, jobs: Sequence[tuple[str, str]]) -> list[tuple[str, ContentEntry | None]]:
    """Read content files; with `bodies`, their bodies go there and the entries' articles leave them out."""
    renderer = MarkdownRenderer()
    out: list[tuple[str, ContentEntry | None]] = []
    kept: list[tuple[str, str]] = []
    for path, rel in jobs:
        try:
            entry = _read_entry(Path(path), rel, renderer)
        except FileNotFoundError:
            out.append((path, None))
            continue
        if bodies is not None and entry.article is not None:
            kept.append((entry.sha256, entry.article.body_html))
            entry = replace(entry, article=elided(entry.article, entry.sha256))
        out.append((path, entry))
    if bodies is not None:
        bodies.put(kept)
    return out


class ContentStore:
    """The content files of a site, read once and then re-read only when a file changes.

    Ingest asks it which seed each file came from; the build asks it for the articles.
    Its entries can be kept between builds (see BuildState), so an unchanged archive is
    neither parsed nor rendered from Markdown again.
    """

    def __init__(self, articles_dir: Path, root: Path, entries: dict[str, ContentEntry] | None = None,
                 bodies: BodyStore | None = None) -> None:
        self.articles_dir = articles_dir
        self.root = root
        #: Where the articles' bodies are kept (see generator/bodies.py); None: in the articles themselves.
        self.bodies = bodies
        self.entries: dict[str, ContentEntry] = dict(entries or {})
        self.removed = 0
        self.dirty: set[str] = set()

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def refresh(self, workers: int = 1, listed: Mapping[str, tuple[int, int]] | None = None) -> int:
        """Look at every file again; read those whose size or mtime changed. Returns how many were read.

        `listed`: the articles folder's content files with their sizes and mtimes, by name, as the
        caller has just stat'ed them (the build's scan); then they are not stat'ed again.
        """
        with collector_paused():  # an entry kept, and a stat made, for every content file
            return self._refresh(workers, listed)

    def _listing(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        try:
            items = [e for e in os.scandir(self.articles_dir) if e.name.endswith(".md") and e.is_file()]
        except FileNotFoundError:
            return found
        for item in items:
            try:
                st = item.stat()
            except FileNotFoundError:
                continue
            found[item.name] = (st.st_size, st.st_mtime_ns)
        return found

    def _refresh(self, workers: int, listed: Mapping[str, tuple[int, int]] | None = None) -> int:
        if listed is None:
            listed = self._listing()
        current: dict[str, ContentEntry] = {}
        stale: list[tuple[str, str]] = []
        folder = os.path.join(self.articles_dir, "")
        entries = self.entries
        for name in sorted(listed):
            key = folder + name
            size, mtime_ns = listed[name]
            entry = entries.get(key)
            if entry is not None and entry.size == size and entry.mtime_ns == mtime_ns:
                current[key] = entry
            else:
                stale.append((key, self._rel(Path(key))))
        if self.bodies is not None and stale:
            self.bodies.conn  # made (and its journal mode set) here, before workers open it side by side
        for key, entry in fork_map(partial(_read_entries, self.bodies), stale, workers, min_items=400):
            if entry is not None:
                current[key] = entry
        #: Files read again or gone since the last look: what a saved cache must update.
        self.dirty |= {key for key, _ in stale} | (set(self.entries) - set(current))
        self.removed = len(set(self.entries) - set(current))
        self.entries = current
        return len(stale)

    def front_matter(self) -> dict[str, dict[str, Any]]:
        """What ingest reads of the front matter of every readable file (`INGEST_KEYS`), by its path."""
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
                line = getattr(entry, "line", None)  # entries cached by an older version have none
                warnings.warn(f"{rel}, line {line}" if line else rel, entry.error or "could not be read; skipped")
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
