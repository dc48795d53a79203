"""Content files: YAML front matter plus Markdown, read into Articles and written by ingest."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Warnings
from generator.markup import MarkdownRenderer
from generator.model import Article

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


def article_from_text(text: str, path: Path, renderer: MarkdownRenderer, rel: str) -> Article:
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
    )


def load_articles(articles_dir: Path, root: Path, warnings: Warnings) -> list[Article]:
    """Every readable article under `articles_dir`; a bad file is skipped with a warning."""
    renderer = MarkdownRenderer()
    articles: list[Article] = []
    by_slug: dict[str, str] = {}
    for path in sorted(articles_dir.glob("*.md")) if articles_dir.is_dir() else []:
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            article = article_from_text(path.read_text(encoding="utf-8"), path, renderer, rel)
        except UnicodeDecodeError:
            warnings.warn(rel, "is not UTF-8 text; skipped (save it as UTF-8)")
            continue
        except FrontMatterError as exc:
            warnings.warn(rel, f"{exc}; skipped (fix the front matter and build again)")
            continue
        if article.slug in by_slug:
            warnings.warn(rel, f"has the same slug '{article.slug}' as {by_slug[article.slug]}; skipped (give it another slug)")
            continue
        by_slug[article.slug] = rel
        articles.append(article)
    return articles


def read_front_matter(paths: Iterable[Path]) -> dict[Path, dict[str, Any]]:
    """Front matter of each readable content file (unreadable ones are left out)."""
    found: dict[Path, dict[str, Any]] = {}
    for path in paths:
        try:
            found[path] = split_front_matter(path.read_text(encoding="utf-8"))[0]
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
    return found
