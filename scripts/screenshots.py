"""Screenshots of a built site for the README: the pages a reader sees first and the pictures.

    python scripts/screenshots.py SITE_ROOT [--pages home,article,person,place,city,country,locations,archive,search]
                                  [--out docs] [--all-views]

Serves `SITE_ROOT/public` on a free local port, opens each page in headless Chromium
(Playwright, as the browser tests do) at a desktop width in the light scheme and at a phone
width in the dark one, and saves the top of the page down to its picture, cropped to the
content column, as `docs/<page>-<desktop|phone>.png`. The person is the most
covered one (first on /persons/ "most covered"); the place is the most covered place on the
map (its largest mark); `city` and `country` are the most covered of each; the article is the
person's newest; `search` searches the person's surname and ticks the place with most results.
Pages without a picture (home, article, search) are shown to the bottom of the first screen. Each image is checked to be under MAX_BYTES.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"]
#: (name, viewport width, colour scheme)
VIEWS = (("desktop", 1280, "light"), ("phone", 390, "dark"))
#: With --all-views, the other two as well (to look at, not for the README).
MORE_VIEWS = (("desktop-dark", 1280, "dark"), ("phone-light", 390, "light"))
MAX_BYTES = 300_000
#: The element each page is cropped down to (its bottom edge, plus a margin).
PICTURE = {"person": ".chart", "place": ".chart, .map", "city": ".chart, .map", "country": ".chart, .map",
           "locations": ".map", "archive": ".chart", "home": None, "article": None, "search": None}
#: Height of the "first screen" of pages without a picture.
SCREEN = 900


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def pick_pages(public: Path) -> dict[str, str]:
    popular = (public / "persons" / "popular" / "index.html").read_text(encoding="utf-8")
    person = re.search(r'<ol class="term-list term-list--ranked">\s*<li><a href="([^"]+)"', popular).group(1)
    locations = (public / "locations" / "index.html").read_text(encoding="utf-8")
    dots = re.findall(r'<a href="(/locations/[^"]+)"><title>[^<]*</title><circle class="([^"]*)"', locations)
    person_page = (public / person.strip("/") / "index.html").read_text(encoding="utf-8")
    article = re.search(r'href="(/articles/[^"]+)"', person_page.split('id="content"', 1)[-1]).group(1)
    surname = person.rstrip("/").rsplit("/", 1)[-1].rsplit("-", 1)[-1]
    pages = {"person": person, "locations": "/locations/", "archive": "/archive/", "home": "/",
             "article": article, "search": f"/search/?q={surname}"}
    if dots:
        pages["place"] = dots[0][0]
    # The most covered city (a solid dot) and country (a ring).
    for name, area in (("city", False), ("country", True)):
        found = [url for url, classes in dots if ("map__dot--area" in classes) == area]
        if found:
            pages[name] = found[0]
    return pages


def filter_place(page) -> None:  # type: ignore[no-untyped-def]
    """On /search/: wait for the results, open the place filters and tick the place with most results."""
    page.wait_for_selector(".pagefind-ui__result", timeout=20_000)
    group = page.locator("details.pagefind-ui__filter-block").filter(
        has=page.locator("summary", has_text=re.compile(r"^\s*Place\s*$"))).first
    if group.count():
        if group.get_attribute("open") is None:
            group.locator("summary").click()
        labels = group.locator("label").all_inner_texts()
        counts = [int(m.group(1)) if (m := re.search(r"\((\d+)\)\s*$", label)) else 0 for label in labels]
        group.locator("input[type=checkbox]").nth(counts.index(max(counts))).check()
        page.wait_for_timeout(1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site root whose public/ is built")
    parser.add_argument("--pages", default="home,article,person,place,locations,archive,search")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--all-views", action="store_true", help="also desktop dark and phone light")
    args = parser.parse_args(argv)
    views = VIEWS + (MORE_VIEWS if args.all_views else ())
    public = args.site / "public"
    pages = pick_pages(public)
    wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(public)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for name in wanted:
                if name not in pages:
                    print(f"{name}: nothing to show (no placed location?)", file=sys.stderr)
                    continue
                for view, width, scheme in views:
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                                  device_scale_factor=1)
                    page = context.new_page()
                    page.goto(base + pages[name], wait_until="networkidle")
                    if name == "search":
                        filter_place(page)
                    main_box = page.locator("main").bounding_box()
                    if PICTURE[name]:
                        bottoms = [b["y"] + b["height"] for b in
                                   (page.locator(sel).first.bounding_box() for sel in PICTURE[name].split(", ")
                                    if page.locator(sel).count())]
                        top = max(0, main_box["y"] - 8)
                        bottom = max(bottoms) + 16
                    else:
                        top, bottom = 0, SCREEN
                    left = max(0, main_box["x"] - (16 if width > 600 else 0))
                    right = min(width, main_box["x"] + main_box["width"] + (16 if width > 600 else 0))
                    target = args.out / f"{name}-{view}.png"
                    page.screenshot(path=str(target), full_page=True,
                                    clip={"x": left, "y": top, "width": right - left, "height": bottom - top})
                    size = target.stat().st_size
                    print(f"{target.relative_to(ROOT) if ROOT in target.parents else target}: {pages[name]} "
                          f"{width}px {scheme}, {size // 1024} KB")
                    if size > MAX_BYTES:
                        print(f"  larger than {MAX_BYTES // 1000} KB", file=sys.stderr)
                    context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
