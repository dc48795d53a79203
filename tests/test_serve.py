"""The preview server over HTTP: what it serves, what it refuses, and how it rebuilds."""

import http.client
import socket
import threading
import time
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import BuildError
from generator.pipeline import Builder
from generator.serve import EVENTS_PATH, PreviewServer, Rebuilder, Watcher, inject_reload, is_ignored, resolve_request_path, serve
from tests.test_incremental import make_site, write_article


class Preview:
    """A running preview of a site: server, rebuilder and watcher on a free port."""

    def __init__(self, root: Path, analyzer_factory=None) -> None:
        self.root = root
        self.config = load_config(root)
        extra = {"analyzer_factory": analyzer_factory} if analyzer_factory else {}
        self.rebuilder = Rebuilder(lambda: Builder(load_config(root), workers=1, **extra))
        assert self.rebuilder.rebuild().error is None
        self.server = PreviewServer(("127.0.0.1", 0), self.config.output_dir, self.rebuilder)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.watcher = Watcher(self.config, self.rebuilder)
        self.watcher.start()

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def wait_for_epoch(self, epoch: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rebuilder.outcome().epoch >= epoch:
                return
            time.sleep(0.02)
        raise AssertionError(f"no build reached epoch {epoch} in {timeout} s")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.watcher.stop()
        self.rebuilder.stop()


@pytest.fixture
def preview(tmp_path):
    running = Preview(make_site(tmp_path / "site"))
    yield running
    running.close()


def test_pages_are_served_with_their_content_types(preview):
    status, headers, body = preview.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"Story number 29" in body
    assert preview.get("/static/style.css")[1]["content-type"] == "text/css; charset=utf-8"
    assert preview.get("/feed.xml")[1]["content-type"] == "application/atom+xml; charset=utf-8"
    assert preview.get("/sitemap.xml")[1]["content-type"].startswith(("application/xml", "text/xml"))
    assert preview.get("/robots.txt")[1]["content-type"] == "text/plain; charset=utf-8"


def test_directory_urls_serve_index_html_and_redirect_without_slash(preview):
    status, _, body = preview.get("/articles/story-03/")
    assert status == 200 and b"Story number 3" in body
    status, headers, _ = preview.get("/articles/story-03")
    assert status == 301 and headers["location"] == "/articles/story-03/"


def test_missing_pages_get_the_404_page(preview):
    status, headers, body = preview.get("/no/such/page/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert b"Page not found" in body


@pytest.mark.parametrize(
    "path",
    ["/../site.toml", "/..%2fsite.toml", "/%2e%2e/site.toml", "/%252e%252e/site.toml", "/articles/../../site.toml",
     "/%2e%2e%5csite.toml", "/static/%00style.css"],
)
def test_paths_that_leave_the_output_folder_are_refused(preview, path):
    status, _, body = preview.get(path)
    assert status == 400
    assert b"title" not in body


def test_a_symlink_out_of_the_output_folder_is_refused(preview):
    (preview.config.output_dir / "escape").symlink_to(preview.root)
    assert preview.get("/escape/site.toml")[0] == 400


def test_the_reload_script_goes_into_html_only_and_never_into_the_files(preview):
    _, _, html_body = preview.get("/")
    assert EVENTS_PATH.encode() in html_body
    _, _, css = preview.get("/static/style.css")
    _, _, feed = preview.get("/feed.xml")
    assert EVENTS_PATH.encode() not in css and EVENTS_PATH.encode() not in feed
    for page in preview.config.output_dir.rglob("*.html"):
        assert EVENTS_PATH not in page.read_text(encoding="utf-8")


def test_head_requests_get_headers_only(preview):
    status, headers, body = preview.get("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_an_edit_is_rebuilt_and_served(preview):
    epoch = preview.rebuilder.outcome().epoch
    write_article(preview.root, "story-05", "Story number 5, updated", "2016-06-06", ["Anke de Vries"], ["ports"], "New body text.")
    preview.wait_for_epoch(epoch + 1)
    assert b"New body text." in preview.get("/articles/story-05/")[2]


def test_a_story_deleted_and_one_added_while_serving(preview):
    """An editor takes a story down, then adds another: each is a focused build, and the pages served follow."""
    epoch = preview.rebuilder.outcome().epoch
    assert b"/articles/story-07/" in preview.get("/persons/person-0/")[2]
    (preview.root / "content" / "articles" / "story-07.md").unlink()
    preview.wait_for_epoch(epoch + 1)
    assert preview.rebuilder._builder.focused
    assert preview.get("/articles/story-07/")[0] == 404
    assert b"/articles/story-07/" not in preview.get("/persons/person-0/")[2]
    write_article(preview.root, "late-story", "A late story", "2016-03-05", ["Person 0"], ["ports"], "Late news.")
    preview.wait_for_epoch(epoch + 2)
    assert preview.rebuilder._builder.focused
    assert b"Late news." in preview.get("/articles/late-story/")[2]
    assert b"/articles/late-story/" in preview.get("/persons/person-0/")[2]


def test_a_burst_of_saves_makes_one_rebuild(preview, tmp_path):
    # The twenty files are written beside the site and moved in at once (as a "save all" or a checkout lands
    # them), so the burst is a burst however slowly a loaded machine writes YAML.
    staging = tmp_path / "staging"
    for i in range(20):
        write_article(staging, f"burst-{i}", f"Burst {i}", "2017-01-01", [], ["burst"], f"Burst body {i}.")
    epoch = preview.rebuilder.outcome().epoch
    for path in sorted((staging / "content" / "articles").glob("*.md")):
        path.rename(preview.root / "content" / "articles" / path.name)
    preview.wait_for_epoch(epoch + 1)
    time.sleep(0.5)
    assert preview.rebuilder.outcome().epoch == epoch + 1
    assert preview.get("/articles/burst-19/")[0] == 200


def test_editor_temp_files_are_ignored(tmp_path):
    config = load_config(make_site(tmp_path / "site"))
    articles = config.articles_dir
    for name in (".story-01.md.swp", "story-01.md~", "4913", ".#story-01.md", "story-01.md.tmp"):
        assert is_ignored(str(articles / name), config), name
    assert is_ignored(str(config.output_dir / "index.html"), config)
    assert is_ignored(str(config.root / ".broadsheet-cache" / "x"), config)
    assert not is_ignored(str(articles / "story-01.md"), config)
    assert not is_ignored(str(config.root / "site.toml"), config)


def test_a_broken_template_shows_an_overlay_and_the_next_good_save_recovers(preview):
    theme = preview.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    epoch = preview.rebuilder.outcome().epoch
    (theme / "article.html").write_text("{% extends 'base.html' %}{% block content %}{{ broken( }}{% endblock %}")
    deadline = time.monotonic() + 10
    while preview.rebuilder.outcome().error is None and time.monotonic() < deadline:
        time.sleep(0.02)
    error = preview.rebuilder.outcome().error
    assert error is not None and "article.html" in error and "line 1" in error
    status, _, body = preview.get("/articles/story-01/")
    assert status == 200 and b"broadsheet-error" in body and b"article.html" in body  # last good page, with the overlay
    (theme / "article.html").unlink()
    preview.wait_for_epoch(epoch + 1)
    assert preview.rebuilder.outcome().error is None


def test_malformed_front_matter_does_not_stop_the_server(preview):
    epoch, builds = preview.rebuilder.outcome().epoch, preview.rebuilder.builds
    (preview.root / "content" / "articles" / "broken.md").write_text("---\ntitle: [oops\n---\n")
    deadline = time.monotonic() + 10
    while preview.rebuilder.builds == builds and time.monotonic() < deadline:
        time.sleep(0.02)
    assert preview.rebuilder.builds > builds
    assert preview.get("/")[0] == 200
    write_article(preview.root, "story-06", "Story six, still served", "2016-06-07", [], ["ports"], "Six.")
    preview.wait_for_epoch(epoch + 1)
    assert b"Story six, still served" in preview.get("/")[2]


def test_event_stream_announces_the_next_build(preview):
    epoch = preview.rebuilder.outcome().epoch
    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    conn.request("GET", f"{EVENTS_PATH}?epoch={epoch}")
    response = conn.getresponse()
    assert response.getheader("Content-Type").startswith("text/event-stream")
    threading.Timer(0.2, write_article, args=(preview.root, "story-09", "Story nine, again", "2016-10-10", [], ["ports"],
                                              "Nine.")).start()
    text = b""
    while b"event: reload" not in text:
        line = response.fp.readline()
        assert line, "stream closed without a reload event"
        text += line
    assert f"data: {epoch + 1}".encode() in text + response.fp.readline()
    conn.close()


def test_inject_reload_escapes_the_error_text():
    body = inject_reload(b"<html><body><p>x</p></body></html>", 3, "</script><script>alert(1)</script>")
    assert body.count(b"</script>") == 1
    assert body.index(b"<script>") < body.index(b"</body>")


def test_resolve_request_path_stays_inside(tmp_path):
    (tmp_path / "a").mkdir()
    assert resolve_request_path(tmp_path, "/a/") == tmp_path / "a"
    assert resolve_request_path(tmp_path, "/") == tmp_path
    assert resolve_request_path(tmp_path, "/a/../../etc/passwd") is None


def test_a_port_in_use_gives_a_clear_message(tmp_path):
    root = make_site(tmp_path / "site", count=2)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(BuildError, match=f"port {port} .* already in use.*--port 0"):
            serve(root, None, "127.0.0.1", port, False, say=lambda text: None)


def test_a_browser_leaving_mid_response_leaves_no_traceback(tmp_path):
    """The real command: a client that resets the connection while a large file is sent is a quiet event."""
    import signal
    import struct
    import subprocess
    import sys

    from tests.helpers import REPO

    root = make_site(tmp_path / "site", count=3)
    # Ctrl-C stops the server as in a terminal, even when these tests run where SIGINT is ignored (a job a shell
    # started in the background passes that on to every process it starts).
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = server.stdout.readline()
        assert "Serving" in line, line + server.stderr.read()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        (root / "public" / "big.bin").write_bytes(b"x" * 32_000_000)
        for _ in range(3):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(4096).startswith(b"HTTP/1.1 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
            client.close()
        time.sleep(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/articles/story-01/")
        assert conn.getresponse().status == 200  # still serving
        conn.close()
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=20)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "ConnectionResetError" not in err, err
