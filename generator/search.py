"""Full-text search: Pagefind indexes the article pages of the staged site before it is published.

Pagefind (the `pagefind[bin]` package: a prebuilt binary) reads the built HTML and writes a
static index plus its own search UI. Only the article pages are read, and only what their
`data-pagefind-body` element holds is indexed: the headline and the body. The person, place,
tag and year chips are filters, the date is result metadata (see article.html).

The index is made in parts. Each article belongs to one part, named by its year (undated
articles have their own) and, when a year holds more than `PART_SIZE` articles, by a hash of
its slug into a power-of-two number of slices. A part's members change only when one of its
own articles is added, edited or removed (or its year crosses a size threshold), so an edit
re-indexes one part. Each part is a complete Pagefind bundle in `pagefind/part-<name>/`;
`pagefind/parts.json` lists them and the search page's script merges them in the browser
(Pagefind's `mergeIndex`). Pagefind's UI files are kept at `pagefind/` itself.

The index is made from the staged tree before the swap, so a published site always has an
index that matches its pages (a first build works out its pages' fingerprints meanwhile,
`IndexingBeside`). A part is made again only when the input hashes of its article pages
changed (a key per part, kept in the render manifest); the other parts' files are carried
into the new tree as hard links like every other unchanged file.

The preview server does not index while a reader waits for the reload: it publishes with the
previous index and re-indexes the changed parts afterwards in the background
(`BackgroundIndexer`): it makes each changed part's bundle beside the live index and swaps
it in with one atomic rename exchange, then replaces the parts list, so a search always reads
whole parts, and a save that comes meanwhile stops it at once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError

log = logging.getLogger(__name__)

#: Folder of the search bundle inside the output; the search page loads the UI from here.
INDEX_DIR = "pagefind"
#: The only pages Pagefind reads; every other page stays out of the index.
ARTICLE_PAGE_GLOB = "articles/*/index.html"
#: A bundle being written next to the live one, by the preview server's background indexer.
TEMP_PREFIX = ".pagefind-new-"
#: Most articles in one part; a larger year is split into 2, 4, 8... slices by a hash of the slug. Pagefind needs
#: about 0.23 MB of memory and 1.2 ms per article of 600-800 words, so a part peaks at about 250 MB.
PART_SIZE = 1000
#: Each part's bundle folder inside INDEX_DIR is this prefix plus the part's name.
PART_PREFIX = "part-"
#: The list of parts' bundle paths, read by the search page's script.
PARTS_FILE = "parts.json"
#: Pagefind's UI, the same in every part's bundle; kept at INDEX_DIR itself for the search page.
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
#: A folder of links to one part's article pages, which Pagefind reads (removed after the run).
SOURCE_PREFIX = ".pagefind-src-"


def is_indexed_page(path: str) -> bool:
    """Whether a rendered file is one Pagefind reads (an article page)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "articles" and parts[2] == "index.html"


@functools.cache
def executable() -> str:
    """The Pagefind binary that `pagefind[bin]` installs (or one on PATH)."""
    try:
        from pagefind_bin import get_executable

        return str(get_executable().resolve())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found:
            return found
    raise BuildError("search is on (site.toml 'search') but Pagefind is not installed; "
                     "run `python -m pip install -r requirements.txt`, or set `search = false` in site.toml")


@functools.cache
def version() -> str:
    try:
        done = subprocess.run([executable(), "--version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        raise BuildError(f"Pagefind could not be started ({exc}); reinstall it with "
                         "`python -m pip install -r requirements.txt`") from exc
    return done.stdout.strip()


def plan_parts(articles: Iterable) -> dict[str, list[str]]:
    """Each part's name and its article pages (paths in the site), sorted.

    A part is a year (or `undated`); a year with more than PART_SIZE articles is split into
    2**n slices by a hash of the slug, so adding an article elsewhere never moves one.
    """
    years: dict[str, list[str]] = {}
    for article in articles:
        year = str(article.date.year) if article.date is not None else "undated"
        years.setdefault(year, []).append(article.slug)
    plan: dict[str, list[str]] = {}
    for year, slugs in years.items():
        slices = 1
        while len(slugs) > PART_SIZE * slices:
            slices *= 2
        for slug in slugs:
            bucket = int.from_bytes(hashlib.blake2b(slug.encode(), digest_size=8).digest(), "big") % slices
            plan.setdefault(f"{year}-{bucket}", []).append(f"articles/{slug}/index.html")
    return {name: sorted(paths) for name, paths in sorted(plan.items())}


def part_keys(plan: Mapping[str, list[str]], pages: Mapping[str, str]) -> dict[str, str]:
    """What each part is made from: its article pages' paths and what the index reads of them, and Pagefind's version."""
    keys = {}
    for name, paths in plan.items():
        h = hashlib.blake2b(digest_size=16)
        h.update(version().encode() + b"\0" + name.encode() + b"\0")
        for path in paths:
            h.update(path.encode() + b"\0" + pages[path].encode() + b"\0")
        keys[name] = h.hexdigest()
    return keys


def part_dir(name: str) -> str:
    """A part's bundle folder, relative to the site."""
    return f"{INDEX_DIR}/{PART_PREFIX}{name}"


def live_parts(site: Path) -> dict[str, set[str]]:
    """The parts a built site has, with their files (paths relative to the site)."""
    parts: dict[str, set[str]] = {}
    for rel in index_files(site):
        folder = rel.split("/")
        if len(folder) > 2 and folder[1].startswith(PART_PREFIX):
            parts.setdefault(folder[1][len(PART_PREFIX):], set()).add(rel)
    return parts


def top_files() -> list[str]:
    """The files directly in INDEX_DIR (relative to the site), written after the parts."""
    return [f"{INDEX_DIR}/{name}" for name in (PARTS_FILE, *UI_FILES)]


@dataclass(frozen=True)
class Pending:
    """An index still owed to a published site: its parts, their keys, and those to make again."""
    plan: dict[str, list[str]]
    keys: dict[str, str]
    stale: tuple[str, ...]


def index_files(site: Path) -> set[str]:
    """The files of the search bundle in a built site, as paths relative to it."""
    folder = site / INDEX_DIR
    if not folder.is_dir() or folder.is_symlink():
        return set()
    found = set()
    for dirpath, _dirnames, filenames in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, site).replace(os.sep, "/")
        found.update(f"{rel_dir}/{name}" for name in filenames)
    return found


@functools.cache
def _tied() -> tuple[str, ...]:
    """The command that runs Pagefind so that it is killed when the thread that started it ends; none where the
    system lacks it.

    A build killed while Pagefind writes into its staging tree (or the preview ended so) then
    leaves no Pagefind behind it, still writing into a folder the next build clears away.
    util-linux's `setpriv` sets the parent-death signal and runs it: a child made by fork to set
    it itself would cost the build a copy of its page tables and a fault on each page it writes
    next (in a process holding 1 GB, 0.11 s to start it and 0.5 s more for the next pass over that
    memory, once for each of the index's parts).
    """
    found = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return (found, "--pdeathsig", "KILL", "--") if found else ()


def run_pagefind(site: Path, output: Path, started: Callable[[subprocess.Popen], None] | None = None,
                 glob: str = ARTICLE_PAGE_GLOB, workdir: Path | None = None) -> None:
    """Index the pages of `site` that `glob` matches into the folder `output` (which must not exist yet).

    The glob goes to Pagefind in a config file (`pagefind.json` in the folder it runs in):
    a part's list of pages can be longer than one command-line argument may be. That folder is
    `workdir` when the caller has one to spare (and clears it), else a temporary folder; a build
    killed outright cannot clear the latter.
    """
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="broadsheet-pagefind-")))
        Path(workdir, "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
        binary = executable()
        command = [*_tied(), binary, "--site", str(site.resolve()), "--output-path", str(output.resolve()),
                   "--silent"]
        try:
            if not os.access(binary, os.X_OK):
                raise OSError(f"{binary} is not an executable file")
            process = subprocess.Popen(command, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, env={**os.environ, "NO_COLOR": "1"})
        except OSError as exc:
            raise BuildError(f"Pagefind could not be started ({exc}); reinstall it with "
                             "`python -m pip install -r requirements.txt`") from exc
        if started is not None:
            started(process)
        output_text, _ = process.communicate()
    if process.returncode != 0:
        raise BuildError(f"Pagefind failed to index the site (exit status {process.returncode}): "
                         f"{output_text.strip()[-2000:] or 'no output'}")


def index_parts(site: Path, index_dir: Path, plan: Mapping[str, list[str]], names: Iterable[str],
                started: Callable[[subprocess.Popen], None] | None = None) -> None:
    """Make the bundles of the parts `names` in `index_dir`, from the article pages of `site`.

    One part at a time, so the memory Pagefind needs is one part's worth. A part's pages are
    hard-linked into a hidden folder of their own (the same URLs below it) and Pagefind reads
    that folder: naming them in a glob over the whole site gives the same bundle, but Pagefind
    then matches every file of the site against the glob, which took it longer than indexing
    (1.8 s against 1.3 s for a part of 1,000 articles in a 10,000-article site).
    """
    for name in names:
        target = index_dir / f"{PART_PREFIX}{name}"
        shutil.rmtree(target, ignore_errors=True)
        source = index_dir / f"{SOURCE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        made: set[str] = set()
        try:
            for path in plan[name]:
                folder, _, _ = path.rpartition("/")
                if folder not in made:
                    os.makedirs(os.path.join(source, folder), exist_ok=True)
                    made.add(folder)
                link = os.path.join(source, path)
                try:
                    os.link(os.path.join(site, path), link)
                except OSError:
                    shutil.copyfile(os.path.join(site, path), link)
            # Pagefind's config file goes in the part's own folder, cleared with it (and with the staging tree, by
            # the next build, if this one is killed); it reads only the pages the glob names.
            run_pagefind(source, target, started, workdir=source)
        finally:
            shutil.rmtree(source, ignore_errors=True)


class IndexingBeside:
    """Pagefind making parts (`index_parts`) in a thread while the build goes on, reading the pages of `site`.

    `result` waits for it and raises what it raised; `cancel` ends its Pagefind process and waits.
    """

    def __init__(self, site: Path, index_dir: Path, plan: Mapping[str, list[str]], names: Iterable[str]) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._cancelled = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(site, index_dir, plan, list(names)),
                                        name="search-index")
        self._thread.start()

    def _run(self, site: Path, index_dir: Path, plan: Mapping[str, list[str]], names: list[str]) -> None:
        try:
            index_parts(site, index_dir, plan, names, self._started)
        except BaseException as exc:  # given to the build by `result`
            self._error = exc

    def _started(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._process = process
            if self._cancelled:
                process.kill()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        self._thread.join()


def _top_contents(index_dir: Path, plan: Mapping[str, list[str]]) -> dict[str, bytes]:
    """The parts list and Pagefind's UI files (the UI from the first part's bundle in `index_dir`)."""
    listing = {"parts": [f"/{part_dir(name)}/" for name in plan]}
    first = index_dir / f"{PART_PREFIX}{next(iter(plan))}"
    contents = {PARTS_FILE: (json.dumps(listing, indent=1) + "\n").encode()}
    for name in UI_FILES:
        contents[name] = (first / name).read_bytes()
    return contents


def write_top(index_dir: Path, plan: Mapping[str, list[str]], live_dir: Path) -> None:
    """Write the parts list and Pagefind's UI files into `index_dir` (after its parts are in place).

    A file whose bytes equal the live one is a link to it, so its inode and mtime stay.
    """
    if not plan:
        return
    for name, data in _top_contents(index_dir, plan).items():
        target, live = index_dir / name, live_dir / name
        if target.exists():
            target.unlink()
        try:
            same = live.read_bytes() == data
        except OSError:
            same = False
        if same:
            try:
                os.link(live, target)
                continue
            except OSError:
                pass
        target.write_bytes(data)


def _write_top_in_place(live_dir: Path, plan: Mapping[str, list[str]]) -> None:
    """Bring the live index's parts list and UI files up to date, each replaced in one step (if it changed)."""
    for name, data in _top_contents(live_dir, plan).items():
        target = live_dir / name
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        temp = live_dir / f"{TEMP_PREFIX}{name}"
        temp.write_bytes(data)
        os.replace(temp, target)


class BackgroundIndexer:
    """Re-indexes a published site after the preview has reloaded, then swaps the new index in.

    One at a time: `start` cancels a run still going (its Pagefind process is ended) and
    begins another; `cancel` is called before every build, so a bundle is never made from
    pages that a build is replacing. `on_done` runs under the lock as each part is swapped in,
    and once more when the whole index is in place (see `_run`).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._generation = 0
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        #: The last failure (Pagefind's message), for the log and the tests.
        self.error: str | None = None
        #: Seconds a run waits before it starts, so that the reload it follows is not slowed down.
        self.delay = INDEX_DELAY_SECONDS
        self._wake = threading.Event()

    def cancel(self) -> None:
        """Stop the run in progress, if any, and wait for its thread to end."""
        with self.lock:
            self._generation += 1
            process, thread = self._process, self._thread
            self._wake.set()
        if process is not None and process.poll() is None:
            process.kill()  # the Pagefind process this indexer started
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def start(self, site: Path, pending: Pending,
              on_done: Callable[[dict[str, str], tuple[str, ...], bool], None]) -> None:
        self.cancel()
        with self.lock:
            self._wake = threading.Event()
            generation = self._generation
            self._thread = threading.Thread(target=self._run, args=(site, pending, on_done, generation),
                                            name="search-index", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _keep(self, process: subprocess.Popen, generation: int) -> None:
        with self.lock:
            self._process = process
            if generation != self._generation:
                process.kill()
                return
        # The lowest priority, given as it starts (before it starts its threads, which inherit it): the
        # next edit's build then has the cores at once, even in the moment before it stops this run.
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, 19)
        except (AttributeError, OSError):  # not on this system, or already gone
            pass

    def _run(self, site: Path, pending: Pending, on_done: Callable[[dict[str, str], tuple[str, ...], bool], None],
             generation: int) -> None:
        """Make the stale parts one at a time, each swapped into the live index when made, then its parts list.

        Only the parts made again are written: a save that comes meanwhile stops the run at once
        (at most one part's files to clear away), and each part already swapped in is recorded
        as such (`on_done(keys, made, False)`), so the next run makes only what is still owed.
        `on_done(keys, made, True)` says the whole index now answers to `keys`.
        """
        # Let the open pages reload first: Pagefind takes both cores while it runs.
        self._wake.wait(self.delay)
        if generation != self._generation:
            return
        live = site / INDEX_DIR
        temp = site / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            if not live.is_dir() or live.is_symlink():
                raise BuildError(f"the search index {live} is missing; a build (`python build.py`) makes it again")
            temp.mkdir()
            temp.chmod(0o755)
            for name in pending.stale:
                if generation != self._generation:
                    return
                index_parts(site, temp, pending.plan, [name], started=lambda p: self._keep(p, generation))
                made, target = temp / f"{PART_PREFIX}{name}", live / f"{PART_PREFIX}{name}"
                with self.lock:
                    if generation != self._generation:
                        return
                    _swap_part(made, target)
                    on_done(pending.keys, (name,), False)
                shutil.rmtree(made, ignore_errors=True)  # the part as it was
            with self.lock:
                if generation != self._generation:
                    return
                if pending.plan:
                    _write_top_in_place(live, pending.plan)
                for folder in live.iterdir():  # parts no longer planned (their articles are gone)
                    if folder.name.startswith(PART_PREFIX) and folder.name[len(PART_PREFIX):] not in pending.plan:
                        shutil.rmtree(folder, ignore_errors=True)
                self.error = None
                on_done(pending.keys, tuple(pending.stale), True)
            log.info("search index updated")
        except (BuildError, OSError) as exc:
            with self.lock:
                if generation == self._generation:
                    self.error = str(exc)
                    log.error("%s", exc)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
            with self.lock:
                self._process = None


def _swap_part(made: Path, target: Path) -> None:
    """Put a part's new bundle `made` where `target` is, in one step where the OS allows; `made` then holds the old."""
    from generator.render import _exchange

    if target.is_dir() and _exchange(made, target):
        return
    old = made.with_name(made.name + "-old")
    if target.exists():
        os.rename(target, old)
    os.rename(made, target)
    if old.exists():
        os.rename(old, made)


#: See BackgroundIndexer.delay.
INDEX_DELAY_SECONDS = 0.5
