"""Small helpers the tests share: where the fixtures are, and reading HTML as a reader sees it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

#: Pagefind writes its filter and metadata indexes (and the entry file that names them) in a different byte
#: order on every run, even of the same pages, so two cold builds differ there too (upstream: Pagefind/pagefind
#: issue 638). The index is in parts (pagefind/part-<name>/), each a bundle of its own. Comparisons of built sites take those files by count; every other file of the search bundle (the
#: per-page fragments, the word index, the UI, the parts list) is compared byte for byte like the pages.
UNSTABLE_SEARCH_FILES = re.compile(
    r"pagefind/(?:part-[^/]+/)?(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, with Pagefind's unstable files as numbered placeholders."""
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            if UNSTABLE_SEARCH_FILES.fullmatch(rel):
                kind = rel.rpartition("/")[0] + "/*" + path.suffix
                counts[kind] = counts.get(kind, 0) + 1
                files[f"{kind} #{counts[kind]}"] = b"(not byte-stable)"
            else:
                files[rel] = path.read_bytes()
    return files


def build_public(root: Path) -> Path:
    """Build the site at `root` in this process, one worker, and return its output folder."""
    from generator.config import load_config
    from generator.pipeline import Builder

    Builder(load_config(root), workers=1).build()
    return root / "public"


def site_digests(folder: Path) -> dict[str, str]:
    """A built site's files by path with their SHA-256, for comparing two builds (see site_files)."""
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in site_files(folder).items()}


REPO = Path(__file__).parent.parent

#: Debian's Chromium, which the browser tests drive (CI installs it; elsewhere they are skipped with this advice).
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
NO_CHROMIUM = ("no Chromium found: install it (Debian: apt-get install -y chromium) "
               "or point BROADSHEET_CHROMIUM at the binary")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@contextlib.contextmanager
def static_server(folder: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (any free port) with the given response headers, as a static host would;
    yields its origin."""
    extra = dict(headers or {})

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in extra.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def visible_text(path: Path) -> str:
    """The page's text as a reader sees it, white space folded."""
    return " ".join(" ".join(parse(path).text).split())


def strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))
