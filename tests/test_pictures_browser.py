"""The charts and maps in a real browser: drawn, inside the screen, in both colour schemes, at phone and desktop widths.

The built site is served with the Content-Security-Policy netlify.toml sends, so a picture
that needed an inline style, a script or another host would not draw here either.
"""

from __future__ import annotations

import pytest

from tests.helpers import needs_chromium, static_server
from tests.test_headers import netlify_headers
from tests.test_pictures import build, write_site

pytestmark = [pytest.mark.browser, needs_chromium]

#: Page -> the picture it must show.
PAGES = {
    "/persons/anke-de-vries/": ".chart__svg",
    "/archive/": ".chart__svg",
    "/locations/": ".map__svg",
    "/locations/tokyo/": ".map__svg",
}
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    public = build(write_site(tmp_path_factory.mktemp("pictures-browser") / "site"))
    with static_server(public, {"Content-Security-Policy": netlify_headers()["content-security-policy"]}) as origin:
        yield origin


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
