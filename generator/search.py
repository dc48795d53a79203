"""Full-text search: Pagefind indexes the article pages of the staged site before it is published.

Pagefind (the `pagefind[bin]` package: a prebuilt binary) reads the built HTML and writes a
static index plus its own search UI into `pagefind/` inside the output. Only the article
pages are read (`articles/*/index.html`), and only what their `data-pagefind-body` element
holds is indexed: the headline and the body. The person, place, tag and year chips are
filters, the date is result metadata (see article.html).

The index is made from the staged tree before the swap, so a published site always has an
index that matches its pages. It depends only on the article pages, so a build re-runs
Pagefind only when one of them was re-rendered, added or removed (a digest over the article
pages' input hashes, kept in the render manifest, says so); otherwise the live index files
are carried into the new tree as hard links like every other unchanged file.

The preview server does not index while a reader waits for the reload: it publishes with the
previous index and re-indexes afterwards in the background (`BackgroundIndexer`): Pagefind
writes a complete bundle into a hidden folder inside the output and one atomic rename
exchange puts it where `pagefind/` was.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.errors import BuildError

log = logging.getLogger(__name__)

#: Folder of the search bundle inside the output; the search page loads the UI from here.
INDEX_DIR = "pagefind"
#: The only pages Pagefind reads; every other page stays out of the index.
ARTICLE_PAGE_GLOB = "articles/*/index.html"
#: A bundle being written next to the live one, by the preview server's background indexer.
TEMP_PREFIX = ".pagefind-new-"


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


def index_key(pages: Mapping[str, str]) -> str:
    """What the index is made from: the input hashes of the article pages and Pagefind's version."""
    h = hashlib.blake2b(digest_size=16)
    h.update(version().encode() + b"\0" + ARTICLE_PAGE_GLOB.encode() + b"\0")
    for path in sorted(p for p in pages if is_indexed_page(p)):
        h.update(path.encode() + b"\0" + pages[path].encode() + b"\0")
    return h.hexdigest()


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


def run_pagefind(site: Path, output_subdir: str = INDEX_DIR,
                 started: Callable[[subprocess.Popen], None] | None = None) -> None:
    """Index the article pages of `site` into `site/<output_subdir>` (which must not exist yet)."""
    command = [executable(), "--site", str(site), "--glob", ARTICLE_PAGE_GLOB,
               "--output-subdir", output_subdir, "--silent"]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "NO_COLOR": "1"})
    except OSError as exc:
        raise BuildError(f"Pagefind could not be started ({exc}); reinstall it with "
                         "`python -m pip install -r requirements.txt`") from exc
    if started is not None:
        started(process)
    output, _ = process.communicate()
    if process.returncode != 0:
        raise BuildError(f"Pagefind failed to index the site (exit status {process.returncode}): "
                         f"{output.strip()[-2000:] or 'no output'}")


class BackgroundIndexer:
    """Re-indexes a published site after the preview has reloaded, then swaps the new index in.

    One at a time: `start` cancels a run still going (its Pagefind process is ended) and
    begins another; `cancel` is called before every build, so a bundle is never made from
    pages that a build is replacing. `on_done(key)` runs, under the lock, once the new
    bundle is in place.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._generation = 0
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        #: The last failure (Pagefind's message), for the log and the tests.
        self.error: str | None = None

    def cancel(self) -> None:
        """Stop the run in progress, if any, and wait for its thread to end."""
        with self.lock:
            self._generation += 1
            process, thread = self._process, self._thread
        if process is not None and process.poll() is None:
            process.kill()  # the Pagefind process this indexer started
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def start(self, site: Path, key: str, on_done: Callable[[str], None]) -> None:
        self.cancel()
        with self.lock:
            generation = self._generation
            self._thread = threading.Thread(target=self._run, args=(site, key, on_done, generation),
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

    def _run(self, site: Path, key: str, on_done: Callable[[str], None], generation: int) -> None:
        temp = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            run_pagefind(site, temp, started=lambda p: self._keep(p, generation))
            with self.lock:
                if generation != self._generation:
                    return
                swap_index(site, temp)
                self.error = None
                on_done(key)
            log.info("search index updated")
        except BuildError as exc:
            with self.lock:
                if generation == self._generation:
                    self.error = str(exc)
                    log.error("%s", exc)
        finally:
            shutil.rmtree(site / temp, ignore_errors=True)
            with self.lock:
                self._process = None


def swap_index(site: Path, temp: str) -> None:
    """Put the bundle in `site/<temp>` where `site/pagefind` is, in one atomic step where the OS allows."""
    from generator.render import _exchange

    new, live = site / temp, site / INDEX_DIR
    if live.is_dir() and _exchange(new, live):
        shutil.rmtree(new, ignore_errors=True)  # now the old bundle
        return
    old = site / f"{TEMP_PREFIX}old-{os.getpid()}-{secrets.token_hex(4)}"
    if live.exists():
        os.rename(live, old)
    os.rename(new, live)
    shutil.rmtree(old, ignore_errors=True)
