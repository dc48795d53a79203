"""The quick build: an edit to articles' bodies costs the pages that show those bodies, not the archive.

A correction to an article's text changes its page (and its search entry), nothing else:
no listing, feed, term page or related list shows a body, and no archive-wide decision
reads one. So when the build database (generator/builddb.py) says that

* the settings, templates, code, seeds, aliases and term descriptions are as the last build
  left them (their stamp), no content file was added or removed, the last build's spare
  tree is intact and no template but the article page's own prints a body, and
* every changed content file still parses, keeps its slug and shows the other pages the
  same front matter (everything but the body),

this module renders just those articles' pages, from the new article and what the database
kept of everything else its page shows (term links, related coverage), re-indexes their
search parts, and publishes the result exactly as a full build would: into the spare,
brought up to date file by file, swapped in atomically. It never loads the other content
files, the archive model or the other pages' fingerprints. Anything it cannot vouch for
returns None and the full build runs; the tests check that both give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import shutil
import stat as statmod
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from generator.builddb import SEARCH_WANTED, STATS_TOKEN, ArticleRow, BuildDB, loads_page, shown_key
from generator.config import SiteConfig
from generator.state import BuildState, code_version, write_bytes_atomically

if TYPE_CHECKING:  # imported where used, so that a build with nothing to do never loads them
    from generator import search
    from generator.fingerprint import Fingerprinter
    from generator.model import Article

#: More changed files than this and the full build is as quick (and re-reads them in parallel).
MOST_FILES = 64


class StoredTerms:
    """An article page's term groups as the database kept them, fingerprinted like `render.ArticleTerms`."""

    __slots__ = ("article", "groups", "names")

    def __init__(self, article: Article, data: dict[str, Any]) -> None:
        self.article, self.groups, self.names = article, data["groups"], data["names"]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fingerprint(self) -> str:
        return "\x1f".join([self.article.slug, self.article.digest, *self.names])


class StoredCoverage:
    """An article page's related coverage as the database kept it, fingerprinted like `related.ArticleCoverage`."""

    __slots__ = ("value", "printed")

    def __init__(self, data: dict[str, Any]) -> None:
        self.value, self.printed = data["coverage"], data["coverage_print"]

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)

    def __bool__(self) -> bool:
        value = self.value
        return bool(value.related or value.older or value.newer)


def fingerprinter() -> Fingerprinter:
    """A fingerprinter giving the stored contexts the digests the full build gives the live ones."""
    from generator.fingerprint import Fingerprinter

    prints = Fingerprinter()
    prints.register(StoredTerms, lambda terms: b"g" + prints.digest(terms.article, terms.fingerprint()).encode())
    prints.register(StoredCoverage, lambda coverage: b"v" + prints.digest(coverage.printed).encode())
    return prints


@dataclass
class Edit:
    """One changed content file."""

    file: str
    stat: tuple[int, int]
    row: ArticleRow
    #: The article as the file now holds it; None when only its mtime changed.
    article: Article | None


def _joined(names: list[str]) -> bytes:
    return "\0".join(names).encode("utf-8", "surrogateescape")


def _folder_stats(folder: str, names: list[str], sizes: Sequence[int], mtimes: Sequence[int]
                  ) -> tuple[bytes, tuple[bytes, array, array] | None]:
    """A folder's digest (its path, its files' names in the order listed, their sizes and mtimes), and the hash of
    the names with the sizes and mtimes as arrays (None past the year 2262, which the digest takes as text)."""
    key = hashlib.blake2b(_joined(names), digest_size=16).digest()
    h = hashlib.blake2b(digest_size=16)
    h.update(f"\0{folder}\0{len(names)}\0".encode("utf-8", "surrogateescape") + key)
    arrays: tuple[bytes, array, array] | None
    try:
        arrays = (key, *(numbers if isinstance(numbers, array) else array("q", numbers) for numbers in (sizes, mtimes)))
        h.update(arrays[1].tobytes() + arrays[2].tobytes())
    except OverflowError:
        arrays = None
        h.update(repr((list(sizes), list(mtimes))).encode())
    return h.digest(), arrays


class Scan:
    """What `scan_articles` saw: a stamp of every file under the articles folder, and the content files' stats.

    The stamp is made of the articles folder's own files and, apart, of the folders below it,
    so that `updated` can take in a few files' new stats without stat'ing the rest.
    """

    def __init__(self, top: str, direct: tuple[str, list[str], Sequence[int], Sequence[int]] | None,
                 below: bytes = b"", touched: frozenset[str] | None = None,
                 where: dict[str, int] | None = None) -> None:
        self._top, self._direct, self._below, self._where = top, direct, below, where
        #: For a scan made by `updated`: the content files it stat'ed again (the rest are as the scan before).
        self.touched = touched
        h = hashlib.blake2b(digest_size=16)
        h.update(top.encode("utf-8", "surrogateescape"))
        #: The folder's own files as listed: a hash of their names in that order, their sizes and their mtimes
        #: (None without a folder, or with a time past the year 2262, which the stamp then takes as text).
        self.stat_arrays: tuple[bytes, array, array] | None = None
        if direct is None:
            self.stamp = h.hexdigest() + "-none"
            return
        digest, self.stat_arrays = _folder_stats(top, *direct[1:])
        h.update(digest)
        h.update(below)
        self.stamp = h.hexdigest()

    @functools.cached_property
    def files(self) -> dict[str, tuple[int, int]]:
        """The content files' sizes and mtimes by their path, as the content store names articles."""
        if self._direct is None:
            return {}
        prefix, names, sizes, mtimes = self._direct
        return {prefix + name: (size, mtime) for name, size, mtime in zip(names, sizes, mtimes) if name.endswith(".md")}

    def listing(self) -> dict[str, tuple[int, int]] | None:
        """The articles folder's own content files (`*.md`) with their sizes and mtimes, by name; None unless
        this scan stat'ed every one of them itself (a scan made by `updated` took most from the one before)."""
        if self._direct is None or self.touched is not None:
            return None
        _prefix, names, sizes, mtimes = self._direct
        return {name: (size, mtime) for name, size, mtime in zip(names, sizes, mtimes) if name.endswith(".md")}

    def stat(self, file: str) -> tuple[int, int] | None:
        """One content file's size and mtime (`file` as the content store names it), or None if it has none."""
        if self._direct is None:
            return None
        prefix, names, sizes, mtimes = self._direct
        i = self._positions().get(file[len(prefix):]) if file.startswith(prefix) else None
        return None if i is None else (sizes[i], mtimes[i])

    def _positions(self) -> dict[str, int]:
        if self._where is None:
            self._where = {name: i for i, name in enumerate(self._direct[1])} if self._direct else {}
        return self._where

    def updated(self, paths: Iterable[str]) -> Scan | None:
        """This scan with the files `paths` (absolute, as a file watcher names them) stat'ed again.

        Only for files directly in the articles folder that it already had; paths elsewhere
        (settings, themes, seeds) are not its business, and a temporary file that came and went
        leaves it as it was. A file added, removed or turned into a folder, or anything in a folder
        below, returns None: then only a whole scan will do.
        """
        if self._direct is None:
            return None
        prefix, names, sizes, mtimes = self._direct
        where = self._positions()
        sizes, mtimes = list(sizes), list(mtimes)
        touched: set[str] = set()
        top = self._top + os.sep
        for path in paths:
            folder, name = os.path.split(path)
            if folder != self._top:
                if path.startswith(top) or path.endswith(".md"):
                    return None  # below the articles folder, or an article somewhere this scan cannot place
                continue
            try:
                st = os.stat(path)
            except FileNotFoundError:
                st = None
            except OSError:
                return None
            i = where.get(name)
            if i is None:
                if st is None:
                    continue  # an editor's temporary file, already gone
                return None  # a new file
            if st is None or not statmod.S_ISREG(st.st_mode):
                return None  # gone, or no longer a file
            sizes[i], mtimes[i] = st.st_size, st.st_mtime_ns
            if name.endswith(".md"):
                touched.add(prefix + name)
        return Scan(self._top, (prefix, names, sizes, mtimes), self._below, frozenset(touched), where)


#: A folder of at least this many files is stat'ed by two processes at once (where the system can fork).
SPLIT_AT = 16384


def _stat_some(fd: int, names: list[str]) -> tuple[array, array, array]:
    """The modes, sizes and mtimes of the names in the folder `fd`; -1 for one gone since it was listed."""
    modes, sizes, mtimes = array("q"), array("q"), array("q")
    for name in names:
        try:
            st = os.stat(name, dir_fd=fd)
        except OSError:
            modes.append(-1)
            sizes.append(-1)
            mtimes.append(-1)
            continue
        modes.append(st.st_mode)
        sizes.append(st.st_size)
        mtimes.append(st.st_mtime_ns)
    return modes, sizes, mtimes


def _stat_all(fd: int, names: list[str]) -> tuple[array, array, array]:
    """`_stat_some` over a whole folder. A large one is split with a forked child, which stats the second half
    while this process stats the first: a stat is a system call (about 3 µs here) that one core waits on, so
    two halves take a little over half the time."""
    if len(names) < SPLIT_AT:
        return _stat_some(fd, names)
    from generator.parallel import Forked

    half = len(names) // 2
    second = Forked(_stat_some, fd, names[half:])
    first = _stat_some(fd, names[:half])
    for numbers, more in zip(first, second.result()):
        numbers.extend(more)
    return first


def scan_articles(config: SiteConfig) -> Scan:
    """Stat every file under the articles folder: a stamp of them all, and the content files' sizes and mtimes.

    The paths are as the content store names articles (relative to the site root). One stat a
    file is the whole cost, so this is what a build with nothing to do spends most of its time
    on in a large archive: each folder is stat'ed through its own descriptor (one name to look
    up, not the whole path) in the order it lists its files, which the file system answers
    fastest. The stamp follows that order, which is the same while the folder is unchanged; a
    folder listed in a new order gives a new stamp, and so a build that finds nothing to do.
    """
    top = config.articles_dir
    if not top.is_dir():
        return Scan(str(top), None)
    prefix = top.relative_to(config.root).as_posix() + "/" if top.is_relative_to(config.root) else str(top) + os.sep
    below = hashlib.blake2b(digest_size=16)

    def walk(folder: str) -> tuple[list[str], Sequence[int], Sequence[int]] | None:
        subfolders: list[str] = []
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return None
        try:
            listing = os.listdir(fd)
            modes, sizes, mtimes = _stat_all(fd, listing)
            if -1 in modes or not all(statmod.S_ISREG(mode) for mode in set(modes)):
                # Not files alone (most folders are, and are taken whole): folders below, others left out.
                kept = []
                for i, (name, mode) in enumerate(zip(listing, modes)):
                    if statmod.S_ISDIR(mode):
                        subfolders.append(name)
                    elif statmod.S_ISREG(mode):  # not one gone since the listing (-1), a pipe or a socket
                        kept.append(i)
                listing = [listing[i] for i in kept]
                sizes, mtimes = array("q", [sizes[i] for i in kept]), array("q", [mtimes[i] for i in kept])
        except OSError:
            return None
        finally:
            os.close(fd)
        for sub in sorted(subfolders):
            path = os.path.join(folder, sub)
            found = walk(path)
            if found is not None:
                below.update(_folder_stats(path, *found)[0])
        return listing, sizes, mtimes

    found = walk(str(top))
    return Scan(str(top), None if found is None else (prefix, *found), below.digest())


#: Beside the build database (its path plus this): the content files' sizes and mtimes as its rows hold them, in
#: the order the articles folder lists them, so that a fresh process finds the few that changed by comparing two
#: arrays instead of reading a row a file (some 6 seconds at a million articles).
STATS_SUFFIX = "-stats"
#: Beside it, the names in that order, written only when they change: some file systems list a file saved by a
#: rename (an editor's safe save) in a new place, and the record is then read by name.
NAMES_SUFFIX = "-stats-names"
#: The arrays are compared this many files at a time, and only a block that differs file by file.
STAT_BLOCK = 4096


def _stats_path(db: BuildDB, suffix: str = STATS_SUFFIX) -> Path:
    return Path(f"{db.path}{suffix}")


def record_stats(db: BuildDB, scan: Scan, rows: Mapping[str, tuple[int, int]]) -> None:
    """Keep the rows' sizes and mtimes in the scan's order beside the database, after a quick build: `rows` gives
    them for the few content files whose rows differ from what the scan saw (stat'ed again when read); the scan's
    own stand for the rest, and for its files that are no content file (which no build reads). Named by the
    database's current token."""
    arrays = scan.stat_arrays
    token = db.get(STATS_TOKEN)
    if arrays is None or not isinstance(token, str) or scan._direct is None:
        return
    key, sizes, mtimes = arrays
    prefix, names = scan._direct[0], scan._direct[1]
    sizes, mtimes = array("q", sizes), array("q", mtimes)
    for file, stat in rows.items():  # a few: looked up in the list (at C speed), not in a map made of it
        try:
            i = names.index(file[len(prefix):]) if file.startswith(prefix) else -1
        except ValueError:
            continue
        if i >= 0:
            sizes[i], mtimes[i] = stat
    header = json.dumps({"token": token, "names": key.hex(), "count": len(names)}).encode()
    try:
        if _names_key(_stats_path(db, NAMES_SUFFIX)) != key:
            write_bytes_atomically(_stats_path(db, NAMES_SUFFIX), key + _joined(names))
        write_bytes_atomically(_stats_path(db), header + b"\n" + sizes.tobytes() + mtimes.tobytes())
    except (OSError, OverflowError):
        pass


def _names_key(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(16)
    except OSError:
        return None


def _recorded_names(db: BuildDB, key: bytes, count: int) -> list[str] | None:
    """The names a record was made in the order of (`key`, their hash), or None if they are not kept."""
    try:
        data = _stats_path(db, NAMES_SUFFIX).read_bytes()
    except OSError:
        return None
    if data[:16] != key or hashlib.blake2b(data[16:], digest_size=16).digest() != key:
        return None
    names = data[16:].decode("utf-8", "surrogateescape").split("\0") if count else []
    return names if len(names) == count else None


def _changed_by_record(db: BuildDB, scan: Scan) -> list[str] | None:
    """The content files whose size or mtime differ from what the database's rows hold, found with the record
    `record_stats` keeps; None when there is none for the database as it is, or the folder lists other files
    (or in another order) than when it was made."""
    arrays = scan.stat_arrays
    if arrays is None or scan._direct is None:
        return None
    key, sizes, mtimes = arrays
    try:
        data = _stats_path(db).read_bytes()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
    except (OSError, ValueError):
        return None
    count = len(sizes)
    if (not isinstance(header, dict) or header.get("token") != db.get(STATS_TOKEN)
            or header.get("count") != count or len(body) != 16 * count):
        return None
    kept = array("q")
    kept.frombytes(body)
    kept_sizes, kept_mtimes = kept[:count], kept[count:]
    prefix, names = scan._direct[0], scan._direct[1]
    changed: list[str] = []
    if header.get("names") != key.hex():  # the same number of files, listed in another order, or others
        try:
            recorded = _recorded_names(db, bytes.fromhex(header.get("names") or ""), count)
        except ValueError:
            return None
        if recorded is None:
            return None
        where = {name: i for i, name in enumerate(recorded)}
        for i, name in enumerate(names):
            j = where.get(name)
            if j is None:
                return None  # a file the record does not have: one was added and another removed
            if (sizes[i] != kept_sizes[j] or mtimes[i] != kept_mtimes[j]) and name.endswith(".md"):
                changed.append(prefix + name)
        return changed
    if sizes == kept_sizes and mtimes == kept_mtimes:
        return changed
    for start in range(0, count, STAT_BLOCK):
        end = start + STAT_BLOCK
        if sizes[start:end] == kept_sizes[start:end] and mtimes[start:end] == kept_mtimes[start:end]:
            continue
        for i in range(start, min(end, count)):
            if (sizes[i] != kept_sizes[i] or mtimes[i] != kept_mtimes[i]) and names[i].endswith(".md"):
                changed.append(prefix + names[i])
    return changed


def find_edits(config: SiteConfig, db: BuildDB, scan: Scan, listed: bool = False) -> list[Edit] | None:
    """The changed content files, read; None when one of them needs the full build.

    `listed`: the database is known to hold a row for each of the scan's content files and no
    other (a build of this process checked it, and neither has changed since); then a scan made
    by `Scan.updated` is compared in the files it stat'ed again alone.
    """
    from generator.content import FrontMatterError, article_from_text
    from generator.markup import MarkdownRenderer

    rows: list[ArticleRow] = []
    if listed and scan.touched is not None:
        for file in sorted(scan.touched):
            row = db.article(file)
            if row is None:
                return None
            if (row.size, row.mtime_ns) != scan.stat(file):
                rows.append(row)
    else:
        changed = _changed_by_record(db, scan)
        if changed is None:
            known = db.article_stats()
            files = scan.files
            if known.keys() != files.keys():
                return None  # an article added, removed or renamed, or a file the last build could not use
            changed = [file for file, stat in files.items() if known[file] != stat]
        for file in changed[:MOST_FILES + 1]:  # one more than the most is enough to say no
            row = db.article(file)
            if row is None:
                return None
            rows.append(row)
    if len(rows) > MOST_FILES:
        return None
    renderer: MarkdownRenderer | None = None
    edits = []
    for row in rows:
        file = row.file
        path = config.root / file
        try:
            data = path.read_bytes()
            stat = os.stat(path)
        except OSError:
            return None
        sha = hashlib.sha256(data).hexdigest()
        if sha == row.sha256:
            edits.append(Edit(file, (stat.st_size, stat.st_mtime_ns), row, None))
            continue
        renderer = renderer or MarkdownRenderer()
        try:
            article = article_from_text(data.decode("utf-8"), path, renderer, file, digest=sha)
        except (UnicodeDecodeError, FrontMatterError, ValueError):
            return None  # the full build says what is wrong with it
        if article.slug != row.slug or shown_key(article) != row.shown:
            return None  # other pages show what changed
        edits.append(Edit(file, (stat.st_size, stat.st_mtime_ns), row, article))
    return edits


@dataclass(frozen=True)
class QuickResult:
    rendered: int
    #: The search index still owed to the published site (the preview indexes it in the background).
    search_pending: search.Pending | None
    indexed: bool


def quick_render(config: SiteConfig, db: BuildDB, spare: Path, edits: list[Edit], defer_search: bool,
                 state: BuildState | None = None, environments: dict | None = None) -> QuickResult | None:
    """Render the edited articles' pages and publish them; None when the database cannot vouch for them.

    `environments` keeps the template environment between the quick builds of a warm process.
    """
    from generator import search
    from generator.decisions.names import stamped_digest
    from generator.decisions.pages import body_signature
    from generator.model import TaxonomyLabel
    from generator.render import (
        STAGING_PREFIX,
        PageJob,
        SPARE_DIFF,
        _kill_point,
        _remove_abandoned_staging,
        _render_one,
        _same_file_bytes,
        _swap_into_place,
        fix_spare,
        make_environment,
        spare_record,
        template_cache,
        trusted_diff,
    )

    fast = db.get("fast")
    out = config.output_dir
    diff = trusted_diff(db.get(SPARE_DIFF), out, spare)
    if fast is None or fast.get("config") != repr(config) or not fast.get("body_safe") or diff is None:
        return None
    if not out.is_dir() or not spare.is_dir() or spare.is_symlink():
        return None
    # The spare holds every page but those the last build wrote: one of those deleted by hand is found by the
    # full build, which looks for them all.
    if any(not rel.endswith("/") and not os.path.isfile(out / rel) and db.page(rel) is not None for rel in diff):
        return None
    searching = bool(fast["searching"])
    name_filters = bool(fast.get("name_filters", searching))  # a body edit changes no name, so not the choice
    labels = tuple(TaxonomyLabel(*label) for label in fast["labels"])
    key = (tuple(config.theme_dirs), repr(config), labels, searching, name_filters)
    env = (environments or {}).get(key)
    if env is None:
        env = make_environment(config, {}, template_cache(state))
        env.globals["taxonomies"] = {label.key: label for label in labels}
        env.globals["search_enabled"] = searching
        env.globals["search_name_filters"] = name_filters
        if environments is not None:
            environments.clear()
            environments[key] = env
    prints = fingerprinter()
    shared = prints.digest(code_version(), repr(config), labels, searching, name_filters)
    template = fast["templates"].get("article.html", "article.html")

    pages: dict[str, tuple[str, str | None, str | None]] = {}
    html: dict[str, bytes] = {}
    #: What the search index read of each page before this edit.
    old_reads: dict[str, str | None] = {}
    rows: list[ArticleRow] = []
    stats: list[tuple[str, int, int]] = []
    for edit in edits:
        if edit.article is None:
            stats.append((edit.file, *edit.stat))
            continue
        path = f"articles/{edit.article.slug}/index.html"
        page = db.page(path)
        if page is None or page[0] != edit.row.page_digest:
            return None  # the live page was not made from this row
        data = loads_page(edit.row.page)
        if body_signature(edit.article, *data["reads"]) != data["body"]:
            return None  # the body edit changes what the archive-wide decisions read: a full build
        # The article as the decisions left it: their names, and their stamps folded into the new file's hash.
        decided = data["decided"]
        article = replace(edit.article, **decided, digest=stamped_digest(edit.article.digest, decided["stamps"]))
        context = {"section": "articles", "article": article, "term_groups": StoredTerms(article, data),
                   "coverage": StoredCoverage(data) if data["coverage"] is not None else None}
        digest = prints.digest(shared, template, context)
        read = prints.digest(shared, template, context["term_groups"]) if searching else None
        html[path] = _render_one(env, PageJob(path, "article.html", context)).encode("utf-8")
        pages[path] = (digest, read, page[2])
        old_reads[path] = page[1]
        rows.append(ArticleRow(edit.file, *edit.stat, edit.article.digest, article.slug, edit.row.shown, digest,
                               edit.row.page))

    _remove_abandoned_staging(out.parent)
    if not html:  # files touched but not changed: nothing to publish
        db.write(stats=stats)
        return QuickResult(rendered=0, search_pending=None, indexed=False)
    keys = dict(db.get("search") or {})
    stale: list[str] = []
    plans: dict[str, list[str]] = {}
    if searching and any(part is None for _d, _r, part in pages.values()):
        return None
    if searching and defer_search:
        # The preview: the live index may still owe parts to earlier edits. The database keeps the keys the
        # published pages call for beside those of the live index, so only the edited pages' parts are
        # keyed again, and every part whose key differs from the live one goes to the background indexer.
        wanted = db.get(SEARCH_WANTED)
        if not isinstance(wanted, dict):
            return None
        members = {part: db.part_pages(part) for part in sorted({p for _d, _r, p in pages.values()})}  # type: ignore
        reads = {path: read for rows in members.values() for path, read in rows.items()}
        reads.update({path: read for path, (_d, read, _p) in pages.items()})
        wanted.update(search.part_keys({part: list(rows) for part, rows in members.items()}, reads))  # type: ignore
        stale = [part for part in wanted if wanted[part] != keys.get(part)]
        # The indexer needs every part's name, and the pages of those it makes again.
        plans = {part: list(members[part] if part in members else db.part_pages(part)) if part in stale else []
                 for part in wanted}
        keys = wanted
    elif searching:
        for path, (_digest, read, part) in pages.items():
            plans.setdefault(part, list(db.part_pages(part)))  # type: ignore[arg-type]
            if read != old_reads[path]:
                stale.append(part)  # type: ignore[arg-type]
        stale = sorted(set(stale))
        reads = {}
        for part in stale:
            reads.update(db.part_pages(part))
        reads.update({path: read for path, (_d, read, _p) in pages.items()})
        for part in stale:
            keys[part] = search.part_keys({part: plans[part]}, reads)[part]  # type: ignore[arg-type]

    deferred = bool(stale) and defer_search
    db.forget(SPARE_DIFF)  # before the spare is touched
    staging = out.parent / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(spare, staging)
    written: set[str] = set()
    try:
        fix_spare(staging, out, diff)
        live = str(out) + os.sep
        for path, data in html.items():
            target = staging / path
            target.unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if _same_file_bytes(live + path, str(target)):
                target.unlink()
                os.link(live + path, target)
            else:
                written.add(path)
        _kill_point("rendered")
        if stale and not deferred:
            search.index_parts(staging, staging / search.INDEX_DIR, plans, stale)  # each part made afresh
            written |= {f"{search.part_dir(part)}/" for part in stale}  # every file below differs from the spare's
        _kill_point("staged")
        retired = _swap_into_place(staging, out, spare)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _kill_point("published")
    meta: dict[str, Any] = {}
    if retired:
        meta[SPARE_DIFF] = spare_record(out, spare, written)
    if stale and not deferred:
        meta["search"] = keys
    if searching:
        meta[SEARCH_WANTED] = keys
    db.write(pages=pages, articles=rows, stats=stats, meta=meta)
    pending = search.Pending(plans, keys, tuple(stale)) if deferred else None
    return QuickResult(rendered=len(html), search_pending=pending,
                       indexed=bool(stale) and not deferred)

