"""Article bodies kept on disk, not in memory.

A rendered body is most of what an article weighs (a few kilobytes against a few hundred
bytes of front matter), and only two things read it: the archive-wide name decisions, which
look at the text around each mention, and the article's own page. So the content store keeps
each body once, compressed, in an SQLite file beside the other caches
(`.broadsheet-cache/bodies.sqlite`), keyed by the hash of the content file it came from, and
hands out articles whose `body_html` is empty and whose `body_key` is that hash. `body_of`
fetches a body when it is read; nothing holds all of them at once, so the archive in memory
grows by its front matter alone.

Forked workers inherit the store and open their own connection (a connection must not cross
a fork). Several processes may write at once (the content workers of a cold build): SQLite
serialises them. Like every cache, deleting the file costs one slower build: an article
whose body is not there is read from its content file again.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from generator.model import Article

FILE_NAME = "bodies.sqlite"
#: Connections a forked process inherited: never closed by it (see BodyStore.conn).
_INHERITED: list[sqlite3.Connection] = []


class BodyStore:
    """Bodies by the hash of their content file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def __getstate__(self) -> dict:
        return {"path": self.path, "_conn": None, "_pid": 0}  # a worker opens its own connection

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid != os.getpid():
            # The parent's connection, inherited by a fork: closing it here would drop the parent's file locks
            # (they belong to the process), so it is kept open and unused until this process exits.
            _INHERITED.append(self._conn)
            self._conn = None
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = self._connect()
            except sqlite3.OperationalError:  # busy or locked beyond the timeout: not a reason to start again
                raise
            except sqlite3.DatabaseError:  # not a database (a crash or a stray file): start again
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                conn = self._connect()
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=120)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS bodies (sha TEXT PRIMARY KEY, html BLOB NOT NULL)")
        return conn

    def put(self, items: Iterable[tuple[str, str]]) -> None:
        """Keep the bodies `items` ((content hash, body) pairs), in one transaction."""
        rows = [(sha, zlib.compress(html.encode("utf-8", "surrogatepass"), 1)) for sha, html in items]
        if not rows:
            return
        conn = self.conn
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO bodies (sha, html) VALUES (?, ?)", rows)

    def get(self, sha: str) -> str | None:
        row = self.conn.execute("SELECT html FROM bodies WHERE sha = ?", (sha,)).fetchone()
        return zlib.decompress(row[0]).decode("utf-8", "surrogatepass") if row else None

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM bodies").fetchone()[0]

    def keep_only(self, shas: Iterable[str]) -> None:
        """Forget every body but those of `shas` (the content files there are now)."""
        conn = self.conn
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep (sha TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM keep")
            conn.executemany("INSERT OR IGNORE INTO keep (sha) VALUES (?)", [(sha,) for sha in shas])
            conn.execute("DELETE FROM bodies WHERE sha NOT IN (SELECT sha FROM keep)")
            conn.execute("DELETE FROM keep")

    def fold_log(self) -> None:
        """Leave the write-ahead log small (see `builddb.fold_log`), when this process has the store open."""
        if self._conn is not None and self._pid == os.getpid():
            from generator.builddb import fold_log

            fold_log(self._conn, self.path)

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
            self._conn = None


#: The store `body_of` reads, with the site root its articles' paths are relative to.
_current: tuple[BodyStore, Path] | None = None


def use(store: BodyStore | None, root: Path | None = None) -> None:
    """Make `store` the one `body_of` reads (the build of the site at `root` does this)."""
    global _current
    _current = (store, root or Path()) if store is not None else None


def elided(article: Article, sha: str) -> Article:
    """The article without its body, which the store keeps under `sha`."""
    return replace(article, body_html="", body_key=sha)


def body_of(article: Article) -> str:
    """The article's rendered body, from the store when the article does not carry it."""
    if not article.body_key:
        return article.body_html
    found = _current[0].get(article.body_key) if _current is not None else None
    if found is None:
        found = _read_again(article)
    return found


def with_body(article: Article) -> Article:
    """The article carrying its body (for a page that prints it)."""
    return article if not article.body_key else replace(article, body_html=body_of(article), body_key="")


def _read_again(article: Article) -> str:
    """A body the store lost (its file deleted mid-build, say): rendered again from the content file."""
    import hashlib

    from generator.content import article_from_text
    from generator.errors import BuildError
    from generator.markup import MarkdownRenderer

    root = _current[1] if _current is not None else Path()
    path = root / article.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"{article.path}: could not be read again ({exc})") from None
    if hashlib.sha256(data).hexdigest() != article.body_key:
        raise BuildError(f"{article.path}: changed while the site was being built; build again")
    return article_from_text(data.decode("utf-8"), path, MarkdownRenderer(), article.path).body_html
