"""The charts and maps in a real browser: drawn, inside the screen, in both colour schemes, at phone and desktop widths.

The built site is served with the Content-Security-Policy netlify.toml sends, so a picture
that needed an inline style, a script or another host would not draw here either.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_headers import netlify_headers
from tests.test_pictures import build, write_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: install it (Debian: apt-get install -y chromium) "
                                                "or point BROADSHEET_CHROMIUM at the binary"),
]

#: Page -> the picture it must show.
PAGES = {
    "/persons/anke-de-vries/": ".chart__svg",
    "/archive/": ".chart__svg",
    "/locations/": ".map__svg",
    "/locations/tokyo/": ".map__svg",
}
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")


class _Handler(http.server.SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    public = build(write_site(tmp_path_factory.mktemp("pictures-browser") / "site"))
    handler = type("Handler", (_Handler,), {"headers_to_send": {"Content-Security-Policy": netlify_headers()["content-security-policy"]}})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(public)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


MEASURE = """(selector) => {
  const svg = document.querySelector(selector);
  const box = svg.getBoundingClientRect();
  const use = svg.querySelector('use');
  const mark = svg.querySelector('.chart__bar, .map__dot');
  return {left: box.left, right: box.right, width: box.width, height: box.height,
          viewport: window.innerWidth, scroll: document.documentElement.scrollWidth,
          outlines: use ? use.getBBox().width : null,
          fill: getComputedStyle(mark).fill, background: getComputedStyle(document.body).backgroundColor};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_pictures_are_drawn_inside_the_screen_in_both_schemes(browser, server, width, tmp_path):
    seen: dict[tuple[str, str], dict] = {}
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
        for path, selector in PAGES.items():
            page.goto(server + path)
            page.wait_for_load_state("load")
            assert page.locator(selector).is_visible(), (path, scheme)
            found = page.evaluate(MEASURE, selector)
            assert found["width"] > 0.5 * min(width, 700) and found["height"] > 60, (path, scheme, found)
            assert found["left"] >= 0 and found["right"] <= found["viewport"], (path, scheme, found)
            assert found["scroll"] <= found["viewport"], f"{path} scrolls sideways at {width}px ({scheme})"
            if found["outlines"] is not None:
                assert found["outlines"] > 100, f"{path}: the country outlines did not load ({scheme})"
            assert found["fill"] != found["background"]
            seen[(path, scheme)] = found
            page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '-')}-{width}-{scheme}.png"))
        assert not failed, failed
        context.close()
    for path in PAGES:  # the colours follow the scheme
        assert seen[(path, "light")]["background"] != seen[(path, "dark")]["background"]
        assert seen[(path, "light")]["fill"] != seen[(path, "dark")]["fill"], path


def test_a_dot_on_the_world_map_is_a_link_to_its_place(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/locations/")
    page.locator('.map__svg a[href="/locations/tokyo/"] circle').click()
    page.wait_for_url(server + "/locations/tokyo/")
    assert page.locator("h1").inner_text() == "Tokyo"
    context.close()
