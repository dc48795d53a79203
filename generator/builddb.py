"""The build database: what the live site was made from, kept in SQLite beside the other caches.

One database per output folder (`.broadsheet-cache/build-<output hash>.sqlite`), written by
every build after its output is in place and read by the next one:

* `pages`: every output file with the fingerprint of the inputs it was rendered from and,
  for article pages, what the search index read of it (see generator/search.py);
* `articles`: every content file as the last build saw it (size, mtime, hash), the page it
  made, what the other pages show of it (`shown`: everything but its body), and what its
  page shows of the rest of the archive (its term links and related coverage, pickled);
* `coverage`: which stories each article page lists beside it (related, previous, next), so
  that an edit to a story's headline finds the pages that print it by lookup;
* `meta`: the settings, code version, templates and search plan the site was built with,
  and which files of the spare tree (the site before the live one) differ from the live site.

An edit to an article's body (the commonest edit: a correction) is then a lookup: the
database says which page shows that body and what else that page shows, so the build
renders that page alone and never reads, parses or fingerprints the rest of the archive
(generator/quick.py). Every other change goes through the full build, which brings the
database up to date. Like every cache, deleting it costs one full build, never correctness;
a database written by other code is emptied and filled again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import secrets
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import Article
from generator.state import BuildState, code_version

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    digest TEXT NOT NULL,       -- the fingerprint of what it was rendered from
    indexed TEXT,               -- article pages: the fingerprint of what the search index reads of it
    part TEXT                   -- article pages: the search index part that holds it
);
CREATE INDEX IF NOT EXISTS pages_by_part ON pages (part) WHERE part IS NOT NULL;
CREATE TABLE IF NOT EXISTS articles (
    file TEXT PRIMARY KEY,      -- the content file, relative to the site root
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    slug TEXT NOT NULL,
    shown TEXT NOT NULL,        -- hash of all the other pages show of it: everything but its body
    page_digest TEXT NOT NULL,  -- the fingerprint its page was rendered from
    page BLOB NOT NULL          -- pickled ArticlePageData: what its page shows of the rest of the archive
);
CREATE TABLE IF NOT EXISTS coverage (
    file TEXT NOT NULL,         -- an article's content file
    shows TEXT NOT NULL         -- the slug of a story its page lists in its related coverage
);
CREATE INDEX IF NOT EXISTS coverage_by_file ON coverage (file);
CREATE INDEX IF NOT EXISTS coverage_by_story ON coverage (shows);
"""


#: A build leaves a database's write-ahead log at most about this large: past it the log is folded into the
#: database and emptied. SQLite otherwise keeps the file at the largest a transaction made it, as large as the
#: database itself after a first build (740 MB beside the 730 MB build database at 100,000 articles).
WAL_KEEP = 16 * 1024 * 1024


def fold_log(conn: sqlite3.Connection, path: Path) -> None:
    """Fold a large write-ahead log into its database and empty it (nothing is lost either way: a reader that
    holds it open only leaves it as it is, to be folded by the next build)."""
    try:
        if os.path.getsize(f"{path}-wal") > WAL_KEEP:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except (OSError, sqlite3.Error):
        pass


#: Tables of the staged rows an earlier version moved in at the end of a first build (dropped if a killed one
#: left them).
STAGED = ("articles", "coverage", "pages")

#: Meta key: the search parts' keys the published pages call for (`search` holds those of the live index;
#: the two differ while the preview's background indexer owes parts).
SEARCH_WANTED = "search_wanted"
#: Meta key: a token every write that changes the articles' rows or their sizes and mtimes makes anew, which a
#: record of those stats kept beside the database (generator/quick.py, `record_stats`) names to say it is current.
#: A first build empties the meta and adds its rows without one: no record is current until a write makes one.
STATS_TOKEN = "stats_token"


@dataclass(frozen=True)
class ArticleRow:
    file: str
    size: int
    mtime_ns: int
    sha256: str
    slug: str
    shown: str
    page_digest: str
    page: bytes


def database_path(state: BuildState, out: Path) -> Path:
    return state.dir / ("build-" + hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest() + ".sqlite")


class BuildDB:
    """A connection to one output's build database; every write is a transaction committed at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._digests: dict[str, tuple[str, str, int, int]] | None = None
        self.conn = self._open(path)
        if self.get("version") != code_version():
            self.conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.conn = self._open(path)
            self.set(version=code_version())

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:  # not a database (a crash or a stray file): start again
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(SCHEMA)
        return conn

    def close(self) -> None:
        self.conn.close()

    def fold_log(self) -> None:
        fold_log(self.conn, self.path)

    # ------------------------------------------------------------------ meta

    def get(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set(self, **values: Any) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                  [(k, json.dumps(v, separators=(",", ":"))) for k, v in values.items()])

    def forget(self, *keys: str) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in keys])

    # ------------------------------------------------------------------ pages

    def pages(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT path, digest FROM pages"))

    def searched(self) -> dict[str, tuple[str | None, str | None]]:
        """Per article page: (what the search index read of it, its part)."""
        return {path: (indexed, part) for path, indexed, part
                in self.conn.execute("SELECT path, indexed, part FROM pages WHERE part IS NOT NULL")}

    def page(self, path: str) -> tuple[str, str | None, str | None] | None:
        row = self.conn.execute("SELECT digest, indexed, part FROM pages WHERE path = ?", (path,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def part_pages(self, part: str) -> dict[str, str | None]:
        """The article pages of one search part, with what the index read of each, by path."""
        return dict(self.conn.execute("SELECT path, indexed FROM pages WHERE part = ? ORDER BY path", (part,)))

    # ------------------------------------------------------------------ articles

    def article_stats(self) -> dict[str, tuple[int, int]]:
        return {file: (size, mtime) for file, size, mtime in self.conn.execute("SELECT file, size, mtime_ns FROM articles")}

    def article(self, file: str) -> ArticleRow | None:
        row = self.conn.execute("SELECT * FROM articles WHERE file = ?", (file,)).fetchone()
        return ArticleRow(*row) if row else None

    def article_digests(self) -> dict[str, tuple[str, str, int, int]]:
        """Per content file: (its hash, the fingerprint its page was made from, its size and mtime).

        Read once between writes: a full build asks twice (to focus, then to write its rows)."""
        if self._digests is None:
            self._digests = {file: (sha, digest, size, mtime) for file, sha, digest, size, mtime
                             in self.conn.execute("SELECT file, sha256, page_digest, size, mtime_ns FROM articles")}
        return self._digests

    def article_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def showing(self, slugs: Iterable[str]) -> set[str]:
        """The slugs of the article pages whose related coverage lists one of the stories `slugs`."""
        found: set[str] = set()
        for slug in slugs:
            found.update(row[0] for row in self.conn.execute(
                "SELECT a.slug FROM coverage c JOIN articles a ON a.file = c.file WHERE c.shows = ?", (slug,)))
        return found

    # ------------------------------------------------------------------ one transaction

    def write(self, pages: dict[str, tuple[str, str | None, str | None]] | None = None, removed_pages: Iterable[str] = (),
              articles: Iterable[ArticleRow] = (), removed_articles: Iterable[str] = (),
              stats: Iterable[tuple[str, int, int]] = (), meta: dict[str, Any] | None = None,
              coverage: dict[str, Iterable[str]] | None = None) -> None:
        """Apply a build's changes at once: a crash leaves the database as it was before or after.

        `coverage`, by content file: the stories its page now lists beside it (all of them: the
        file's earlier list is replaced).
        """
        conn = self.conn
        self._digests = None
        removed_articles, articles, stats = list(removed_articles), list(articles), list(stats)
        if removed_articles or articles or stats:
            meta = {**(meta or {}), STATS_TOKEN: secrets.token_hex(8)}
        with conn:
            conn.execute("BEGIN")
            if pages:
                conn.executemany("INSERT OR REPLACE INTO pages (path, digest, indexed, part) VALUES (?, ?, ?, ?)",
                                 [(path, *values) for path, values in pages.items()])
            conn.executemany("DELETE FROM pages WHERE path = ?", [(p,) for p in removed_pages])
            conn.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [(r.file, r.size, r.mtime_ns, r.sha256, r.slug, r.shown, r.page_digest, r.page)
                              for r in articles])
            conn.executemany("DELETE FROM articles WHERE file = ?", [(f,) for f in removed_articles])
            gone = [(f,) for f in [*removed_articles, *(coverage or {})]]
            conn.executemany("DELETE FROM coverage WHERE file = ?", gone)
            conn.executemany("INSERT INTO coverage (file, shows) VALUES (?, ?)",
                             [(file, slug) for file, slugs in (coverage or {}).items() for slug in slugs])
            conn.executemany("UPDATE articles SET size = ?, mtime_ns = ? WHERE file = ?",
                             [(size, mtime, file) for file, size, mtime in stats])
            if meta:
                conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 [(k, json.dumps(v, separators=(",", ":"))) for k, v in meta.items()])

    def start_first(self) -> None:
        """Empty the database for a first build, which adds its rows as it makes them (`add`), a batch at a
        time: it never holds them all, nor moves them at the end (at a million articles a move in one
        transaction needed as much disk again as the rows, and a write-ahead log as large). Until that
        build's last `write` records its pages' meta the database holds no build (`static` and `fast` are
        gone with the rest of the meta), so a killed one leaves a database the next build starts again from."""
        with self.conn:
            self.conn.execute("BEGIN")
            for table in STAGED:
                self.conn.execute(f"DROP TABLE IF EXISTS staged_{table}")
            for table in ("pages", "articles", "coverage"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM meta WHERE key != 'version'")
        self._digests = None

    def add(self, articles: Iterable[ArticleRow], coverage: dict[str, Iterable[str]],
            pages: Iterable[tuple[str, str, str | None, str | None]] = ()) -> None:
        """Add a first build's articles' rows, coverage and pages (path, digest, indexed, part) (see `start_first`)."""
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                  [(r.file, r.size, r.mtime_ns, r.sha256, r.slug, r.shown, r.page_digest, r.page)
                                   for r in articles])
            self.conn.executemany("INSERT INTO coverage (file, shows) VALUES (?, ?)",
                                  [(file, slug) for file, slugs in coverage.items() for slug in slugs])
            self.conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", pages)


def manifest_name(out: Path) -> str:
    """The name an output folder's spare tree is kept under (from the render manifest it once had)."""
    return "render-" + hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest() + ".pickle"


def spare_path(state: BuildState | None, out: Path, manifest_name: str) -> Path | None:
    """Where the site before the live one is kept, so the next build links only what changed.

    In the build state (a cache: deleting it costs one slower build), and only when that is
    on the output's file system, since the spare is renamed into place beside the output.
    """
    if state is None or not state.enabled:
        return None
    try:
        state.dir.mkdir(parents=True, exist_ok=True)
        if os.stat(state.dir).st_dev != os.stat(out.parent).st_dev:
            return None
    except OSError:
        return None
    return state.dir / ("spare-" + manifest_name.removesuffix(".pickle").removeprefix("render-"))


def shown_key(article: Article) -> str:
    """Everything any page but the article's own shows of it: all of its front matter, not its body."""
    shown = (article.slug, article.title, article.summary, article.date.isoformat() if article.date else None,
             article.dateline, article.source, article.author, article.tags, article.locations, article.persons,
             article.organizations, article.path)
    return hashlib.blake2b(repr(shown).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def dumps_page(data: Any) -> bytes:
    """An article page's data as its row keeps it: pickled, then compressed (less than half the size)."""
    return zlib.compress(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), 1)


def loads_page(blob: bytes) -> Any:
    return pickle.loads(zlib.decompress(blob))
