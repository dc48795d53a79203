"""Live preview: build, serve the output folder, rebuild on change and reload open pages.

One small class per job, as in MkDocs' live-reload server: `Watcher` turns file events
into a debounced rebuild request, `Rebuilder` runs builds on one thread and counts
successful ones in an epoch, and `PreviewServer` serves files and a Server-Sent Events
stream that tells each open page when the epoch moves on. The reload script is added to
HTML responses as they are served, never written into the built site.
"""

from __future__ import annotations

import errno
import json
import logging
import mimetypes
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.config import SiteConfig, load_config
from generator.errors import BuildError
from generator.pipeline import Builder
from generator.search import BackgroundIndexer

log = logging.getLogger("broadsheet.serve")

EVENTS_PATH = "/__broadsheet/events"
#: Quiet time after the last file event before a rebuild starts: one save, one rebuild.
DEBOUNCE_SECONDS = 0.03
#: What a socket raises when the browser has closed the connection (left the page, pressed stop).
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)
#: How often an idle event stream sends a keep-alive comment.
HEARTBEAT_SECONDS = 15.0

#: Files editors and tools write beside the real ones: swap, backup, lock and temp files.
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".part", ".crdownload", "~")
_IGNORED_NAMES = {"4913", ".DS_Store", "Thumbs.db"}

RELOAD_SCRIPT = """<script>
(function () {
  var epoch = %(epoch)d;
  function overlay(error) {
    var box = document.getElementById("broadsheet-error");
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "broadsheet-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "white-space:pre-wrap;border-bottom:4px solid #e5484d";
      document.body.appendChild(box);
    }
    box.textContent = "Build failed \\u2014 the page shows the last good build.\\n\\n" + error;
  }
  overlay(%(error)s);
  var source = new EventSource("%(events)s?epoch=" + epoch);
  source.addEventListener("reload", function (event) {
    if (Number(event.data) !== epoch) { source.close(); location.reload(); }
  });
  source.addEventListener("failed", function (event) { overlay(event.data); });
})();
</script>
"""


def is_ignored(path: str, config: SiteConfig) -> bool:
    """True for paths whose changes never need a rebuild: editor droppings, output, caches, VCS."""
    name = os.path.basename(path)
    if not name or name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES):
        return True
    if name.startswith((".#", "#")) or (name.startswith(".") and name != ".htaccess"):
        return True
    resolved = os.path.abspath(path)
    for skip in (config.output_dir, config.root / ".broadsheet-cache", config.root / ".git"):
        if resolved == str(skip) or resolved.startswith(str(skip) + os.sep):
            return True
    parent = os.path.basename(os.path.dirname(resolved))
    return parent.startswith(".public-")


@dataclass(frozen=True)
class BuildOutcome:
    epoch: int
    error: str | None


class Rebuilder:
    """Runs builds one at a time and tells waiting clients when a build finished.

    `epoch` counts successful builds; `error` holds the message of the last failed one
    (None after a good build). Readers wait on `changed` for either to move.
    """

    def __init__(self, make_builder: Callable[[], Builder]) -> None:
        self._make_builder = make_builder
        self._builder: Builder | None = None
        self.changed = threading.Condition()
        self.epoch = 0
        #: Every build, good, failed or with nothing to do (tests and benchmarks wait on it).
        self.builds = 0
        self.error: str | None = None
        self.building = False
        self._lock = threading.Lock()
        self.last_seconds = 0.0
        #: Re-indexes search after each build that changed articles, once the pages are published.
        self.indexer = BackgroundIndexer()

    def stop(self) -> None:
        """End a background search indexing still running."""
        self.indexer.cancel()

    def outcome(self) -> BuildOutcome:
        with self.changed:
            return BuildOutcome(self.epoch, self.error)

    def wait_until_idle(self, timeout: float = 60.0) -> None:
        """Block while a build runs, so nobody is served a half-built page."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.building and time.monotonic() < deadline:
                self.changed.wait(deadline - time.monotonic())

    def rebuild(self, reload_config: bool = False, touched: frozenset[str] | None = None) -> BuildOutcome:
        """Build now; `touched`, the files the watcher saw change since the last build (None: it cannot say)."""
        with self._lock:
            with self.changed:
                self.building = True
            started = time.perf_counter()
            error: str | None = None
            changed = True
            try:
                if self._builder is None or reload_config:
                    previous = self._builder
                    self._builder = self._make_builder()
                    if previous is not None and previous.config.root == self._builder.config.root:
                        self._builder.adopt(previous)  # keep what was already read
                    self._builder.search_indexer = self.indexer
                result = self._builder.build(touched=touched)
                if result.warnings:
                    log.warning("%d warning(s); see above", len(result.warnings))
                log.info("%s in %.2f s: %d file(s) written", "rebuilt" if self.builds else "built",
                         result.seconds, result.rendered)
                changed = result.rendered > 0 or self.epoch == 0
            except BuildError as exc:
                error = str(exc)
            except Exception as exc:  # the server must survive anything a build throws
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                log.debug("build failed", exc_info=True)
            if error:
                log.error("%s", error)
            self.last_seconds = time.perf_counter() - started
            with self.changed:
                self.building = False
                self.builds += 1
                # A build that changed nothing (an editor touched a file) reloads nobody,
                # unless it clears an error the pages are showing.
                if error is None and (changed or self.error is not None):
                    self.epoch += 1
                self.error = error
                self.changed.notify_all()
            return BuildOutcome(self.epoch, error)


class Watcher(FileSystemEventHandler):
    """Collects file events into one debounced rebuild request."""

    def __init__(self, config: SiteConfig, rebuilder: Rebuilder) -> None:
        self.config = config
        self.rebuilder = rebuilder
        self._observer = Observer()
        self._wake = threading.Condition()
        self._last_event = 0.0
        self._pending = False
        self._config_changed = False
        self._stopped = False
        self._scheduled: set[str] = set()
        #: The files changed since the last build was asked for; None once a folder was made, moved or removed.
        self._touched: set[str] | None = set()
        self._thread = threading.Thread(target=self._run, name="rebuild", daemon=True)

    #: Folders of the site root whose every change matters.
    _WATCHED = ("seeds", "content", "themes")

    def start(self) -> None:
        root = self.config.root
        for folder in (root / name for name in self._WATCHED):
            if folder.is_dir():
                self._scheduled.add(str(folder))
                self._observer.schedule(self, str(folder), recursive=True)
        self._observer.schedule(self, str(root), recursive=False)  # site.toml
        for theme_dir in self.config.theme_dirs:
            if not theme_dir.is_relative_to(root):
                self._observer.schedule(self, str(theme_dir), recursive=True)
        self._observer.start()
        with self._wake:
            self._touched = None  # what changed before the watch began is not known: the first build looks at everything
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=5)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's listing changed: the file events say what changed
        if event.is_directory and event.event_type == "created":
            created = Path(os.fsdecode(event.src_path))
            if created.parent == self.config.root and created.name in self._WATCHED and str(created) not in self._scheduled:
                self._scheduled.add(str(created))
                self._observer.schedule(self, str(created), recursive=True)  # a watched folder appeared
        paths = [os.fsdecode(event.src_path)]
        if getattr(event, "dest_path", ""):
            paths.append(os.fsdecode(event.dest_path))
        relevant = [p for p in paths if not is_ignored(p, self.config)]
        if not relevant:
            return
        wanted = ("site.toml", *self._WATCHED)
        top_level = [p for p in relevant if os.path.dirname(os.path.abspath(p)) == str(self.config.root)]
        if top_level and len(top_level) == len(relevant) and not any(os.path.basename(p) in wanted for p in top_level):
            return  # another file in the site root
        log.debug("change: %s %s", event.event_type, ", ".join(relevant))
        with self._wake:
            self._pending = True
            if event.is_directory or self._touched is None:
                self._touched = None
            else:
                self._touched.update(os.path.abspath(p) for p in relevant)
            self._config_changed |= any(os.path.basename(p) == "site.toml" for p in relevant)
            self._last_event = time.monotonic()
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
            # The build cancels a search indexing still running; cancelled now, it no longer competes with the
            # wait and the build's first steps for the cores.
            self.rebuilder.indexer.cancel()
            with self._wake:
                # Debounce: wait for a quiet spell, so a burst of events makes one build.
                while not self._stopped and (quiet := time.monotonic() - self._last_event) < DEBOUNCE_SECONDS:
                    self._wake.wait(DEBOUNCE_SECONDS - quiet)
                if self._stopped:
                    return
                self._pending = False
                reload_config, self._config_changed = self._config_changed, False
                touched, self._touched = self._touched, set()
            self.rebuilder.rebuild(reload_config=reload_config, touched=None if touched is None else frozenset(touched))


def resolve_request_path(output_dir: Path, url_path: str) -> Path | None:
    """The file under `output_dir` a URL path names, or None if it would leave the folder.

    The path is percent-decoded until it no longer changes, so `%2e%2e` and `%252e%252e`
    are refused like `..`.
    """
    path = url_path
    for _ in range(3):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    root = os.path.realpath(output_dir)
    candidate = os.path.realpath(os.path.join(root, *parts)) if parts else root
    if candidate != root and not candidate.startswith(root + os.sep):
        return None
    return Path(candidate)


def content_type(path: Path) -> str:
    if path.name == "feed.xml":
        return "application/atom+xml; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/xml", "application/json", "image/svg+xml"):
        return f"{guessed}; charset=utf-8"
    return guessed


def inject_reload(body: bytes, epoch: int, error: str | None) -> bytes:
    script = RELOAD_SCRIPT % {
        "epoch": epoch,
        "events": EVENTS_PATH,
        # JSON inside a script: "</" must not close the element early.
        "error": json.dumps(error).replace("</", "<\\/"),
    }
    marker = body.rfind(b"</body>")
    data = script.encode("utf-8")
    return body[:marker] + data + body[marker:] if marker != -1 else body + data


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], output_dir: Path, rebuilder: Rebuilder) -> None:
        self.output_dir = output_dir
        self.rebuilder = rebuilder
        self.shutting_down = threading.Event()
        super().__init__(address, PreviewHandler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A browser that leaves mid-response is routine, not a fault: say so quietly, with no traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, CLIENT_GONE):
            log.debug("%s went away before the response was sent (%s)", client_address[0], type(exc).__name__)
            return
        log.error("a request from %s failed: %s: %s (the server goes on)", client_address[0], type(exc).__name__, exc)
        log.debug("request failed", exc_info=True)

    def shutdown(self) -> None:
        self.shutting_down.set()
        with self.rebuilder.changed:
            self.rebuilder.changed.notify_all()
        super().shutdown()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "BroadsheetPreview"
    protocol_version = "HTTP/1.1"
    #: Headers and body go out in two writes; with Nagle's algorithm on, the second waits for the
    #: browser's delayed acknowledgement of the first (some 40 ms a file on Linux, twice a reload).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _send(self, status: HTTPStatus, body: bytes, ctype: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(url.query)
            return
        self.server.rebuilder.wait_until_idle()
        out = self.server.output_dir
        target = resolve_request_path(out, url.path)
        if target is None:
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request: that path leaves the site folder.\n", "text/plain; charset=utf-8", head)
            return
        if target.is_dir():
            if not url.path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        status = HTTPStatus.OK
        if not target.is_file():
            status, target = HTTPStatus.NOT_FOUND, out / "404.html"
            if not target.is_file():
                self._send(status, b"Not found\n", "text/plain; charset=utf-8", head)
                return
        try:
            body = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"Not found\n", "text/plain; charset=utf-8", head)
            return
        ctype = content_type(target)
        if ctype.startswith("text/html"):
            outcome = self.server.rebuilder.outcome()
            body = inject_reload(body, outcome.epoch, outcome.error)
        self._send(status, body, ctype, head)

    def _events(self, query: str) -> None:
        """Server-Sent Events: `reload` when a build succeeds, `failed` with the message when one fails."""
        try:
            seen = int(dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("epoch", "-1"))
        except ValueError:
            seen = -1
        rebuilder = self.server.rebuilder
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        reported_error: str | None = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.shutting_down.is_set():
                with rebuilder.changed:
                    outcome = BuildOutcome(rebuilder.epoch, rebuilder.error)
                    if outcome.epoch == seen and outcome.error == reported_error:
                        rebuilder.changed.wait(HEARTBEAT_SECONDS)
                        outcome = BuildOutcome(rebuilder.epoch, rebuilder.error)
                if self.server.shutting_down.is_set():
                    return
                if outcome.epoch != seen and outcome.error is None:
                    self.wfile.write(f"event: reload\ndata: {outcome.epoch}\n\n".encode())
                    self.wfile.flush()
                    return
                if outcome.error is not None and outcome.error != reported_error:
                    reported_error = outcome.error
                    data = "".join(f"data: {line}\n" for line in outcome.error.splitlines() or [""])
                    self.wfile.write(f"event: failed\n{data}\n".encode())
                elif outcome.error is None and reported_error is not None:
                    reported_error = None
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def serve(root: Path, output: Path | None, host: str, port: int, open_browser: bool, say: Callable[[str], None]) -> int:
    """Build, serve and watch until interrupted; returns the exit status."""

    def make_builder() -> Builder:
        return Builder(load_config(root, output))

    rebuilder = Rebuilder(make_builder)
    config = load_config(root, output)
    # Take the port before building, so a port in use is said at once and the site is left alone.
    try:
        server = PreviewServer((host, port), config.output_dir, rebuilder)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"port {port} on {host} is already in use; pass --port N for another, or --port 0 for any free port") from exc
        raise BuildError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    first = rebuilder.rebuild()
    config.output_dir.mkdir(parents=True, exist_ok=True)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    url = f"http://{shown}:{bound_port}/"
    watcher = Watcher(config, rebuilder)
    watcher.start()
    say(f"Serving {config.output_dir} at {url} (Ctrl-C to stop)" + ("" if first.error is None else " — the first build failed, see above"))
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        say("Stopping.")
    finally:
        server.shutdown()
        server.server_close()
        watcher.stop()
        rebuilder.stop()
    return 0

