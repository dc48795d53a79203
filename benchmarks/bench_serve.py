"""Save-to-reload time of the live preview: from an article file being saved to the open
browser page showing the new text, with nothing done in the browser.

    python benchmarks/bench_serve.py [--articles 1000 10000] [--edits 9] [--set KEY=VALUE ...] [--root DIR]

For each archive size a synthetic archive (synth.py) is written to a scratch folder,
`python build.py serve --port 0` runs in its own process, and headless Chromium
(Debian's `chromium`, driven by Playwright) opens one article's page. Each edit appends
a new sentence to that article's Markdown; the clock starts when the file is written and
closed, and stops when the reloaded page that shows the sentence is first painted (its
first-contentful-paint, from the browser's own Paint Timing, on the same clock). Prints the
median, min and max, and beside them the median time at which the script's own check saw the
sentence: Playwright's check starts again in each new page after a short back-off, so it
comes some 0.05-0.1 s after the page is already on screen.
`--set KEY=VALUE` (repeatable, VALUE in TOML) adds a setting to the archive's site.toml,
e.g. `--set search=false` to see what search indexing does to the reload.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import synth  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def start_server(root: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("the preview server stopped before it was ready")
        found = re.search(r"at (http://\S+/) ", line)
        if found:
            return process, found.group(1)
    raise SystemExit("the preview server did not start in time")


#: When the page now open was first painted, in seconds since the epoch (its navigation's start, plus
#: the first-contentful-paint entry; the end of its DOMContentLoaded handlers where a browser has none).
PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return (performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd)) / 1000;
}"""


def measure(articles: int, edits: int, chromium: str, seed: int = 1, settings: tuple[str, ...] = (),
            pause: float = 2.0, root: Path | None = None) -> tuple[list[float], list[float]]:
    """Seconds from each save to the reloaded page painted, and to the script's check seeing it."""
    from playwright.sync_api import sync_playwright

    if root is not None:
        scratch = root
        paths = sorted((root / "content" / "articles").glob("*.md"))
        if len(paths) != articles:
            raise SystemExit(f"{root} holds {len(paths)} articles, not {articles}")
    else:
        scratch = Path(tempfile.gettempdir()) / "broadsheet-bench-serve" / f"a{articles}"
        shutil.rmtree(scratch, ignore_errors=True)
        paths = synth.write_archive(scratch, articles, seed)
    if settings:
        with open(scratch / "site.toml", "a", encoding="utf-8") as handle:
            handle.writelines(f"{s.partition('=')[0].strip()} = {s.partition('=')[2].strip()}\n" for s in settings)
    target = paths[len(paths) // 2]
    slug = target.stem
    process, url = start_server(scratch)
    times: list[float] = []
    seen: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{url}articles/{slug}/")
            original = target.read_text(encoding="utf-8")
            for run in range(edits + 1):  # the first edit warms up and is not counted
                marker = f"Late correction number {run} at {time.time_ns()}."
                with open(target, "w", encoding="utf-8") as handle:
                    handle.write(original.rstrip("\n") + f"\n\n{marker}\n")
                saved, started = time.time(), time.perf_counter()
                page.wait_for_function("(text) => document.body && document.body.textContent.includes(text)",
                                       arg=marker, timeout=120_000)
                if run:
                    seen.append(time.perf_counter() - started)
                    times.append(page.evaluate(PAINTED) - saved)
                time.sleep(pause)  # an editor reads the page before the next save
            target.write_text(original, encoding="utf-8")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return times, seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--edits", type=int, default=9, help="counted edits per archive (default 9)")
    parser.add_argument("--pause", type=float, default=2.0, metavar="S",
                        help="seconds between a reload and the next save (default 2; the preview indexes search "
                             "in the background in between, as it does while an editor reads the page)")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="serve this archive, already written (e.g. by bench_build.py, and built), instead of "
                             "writing a new one; with one --articles, its article count")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                        help="a site.toml setting, VALUE in TOML syntax (e.g. search=false); repeatable")
    args = parser.parse_args(argv)
    if args.root is not None and (len(args.articles) != 1 or args.settings):
        parser.error("--root serves one archive as it is: give one --articles and no --set")
    chromium = os.environ.get("BROADSHEET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("no Chromium found: apt-get install -y chromium (or set BROADSHEET_CHROMIUM)")
    print(f"save-to-reload, {os.cpu_count()} cores, median of {args.edits} edits (min–max)"
          + (f", settings {' '.join(args.settings)}" if args.settings else ""))
    print(f"{'articles':>9}  {'median s':>9}  {'min s':>7}  {'max s':>7}  {'seen by check s':>15}")
    for articles in args.articles:
        times, seen = measure(articles, args.edits, chromium, settings=tuple(args.settings), pause=args.pause,
                              root=args.root)
        print(f"{articles:>9}  {statistics.median(times):>9.3f}  {min(times):>7.3f}  {max(times):>7.3f}  "
              f"{statistics.median(seen):>15.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
