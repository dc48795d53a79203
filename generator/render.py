"""Render the site model into `public/`: HTML pages, Atom feeds, sitemap, robots.txt.

The work is split in three so a later change can make builds incremental:
`page_jobs` says *what* to write (a path, a template and its context, all pure data),
`write_pages` turns jobs into files, and `render_site` renders into a temporary
directory and swaps it into place only when everything succeeded, so a failed build
never leaves a half-written site behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator.archive import month_name, term_slug
from generator.config import SiteConfig
from generator.errors import BuildError
from generator.model import Archive, Article, Taxonomy, Term

log = logging.getLogger(__name__)

#: Atom needs an `updated` timestamp; with no dated article we use this, never "now".
EPOCH = dt.date(1970, 1, 1)

#: Names tried, in order, for a taxonomy's "most covered" view; the first that no term uses wins.
POPULAR_SLUGS = ("popular", "most-covered", "_popular")


@dataclass(frozen=True)
class PageJob:
    """One file to write: where, with which template, from what data."""

    #: Relative POSIX path inside the output directory, e.g. "articles/x/index.html".
    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    #: Whether the page is listed in sitemap.xml (HTML pages except 404).
    in_sitemap: bool = False

    @property
    def url(self) -> str:
        """Root-relative URL the file is served at ("/articles/x/" for ".../index.html")."""
        if self.path == "index.html":
            return "/"
        if self.path.endswith("/index.html"):
            return "/" + self.path[: -len("index.html")]
        return "/" + self.path


@dataclass(frozen=True)
class Page:
    """One page of a paginated listing."""

    number: int
    total: int
    items: tuple[Article, ...]
    #: URL of the first page; page N lives at `<base_url>page/N/`.
    base_url: str

    def url_for(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_for(self.number)

    @property
    def prev_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.total else None

    @property
    def path(self) -> str:
        return self.url.lstrip("/") + "index.html"


@dataclass(frozen=True)
class TermGroup:
    """The terms of one taxonomy that an article lists, resolved to their pages."""

    taxonomy: Taxonomy
    terms: tuple[Term, ...]


# --------------------------------------------------------------------------- helpers


def paginate(articles: Sequence[Article], per_page: int, base_url: str) -> list[Page]:
    """Split a listing into pages; an empty listing still has one (empty) page."""
    total = max(1, math.ceil(len(articles) / per_page))
    return [
        Page(number=n, total=total, items=tuple(articles[(n - 1) * per_page : n * per_page]), base_url=base_url)
        for n in range(1, total + 1)
    ]


def popular_slug(taxonomy: Taxonomy) -> str:
    """Directory of the "most covered" view, avoiding a term that is itself called "popular"."""
    used = {t.slug for t in taxonomy.terms}
    return next(s for s in POPULAR_SLUGS if s not in used)


def index_letter(name: str) -> str:
    """The A–Z heading a term is listed under: its first letter without accents, or "#"."""
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1].upper()
    return first if first.isalpha() else "#"


def letter_groups(terms: Sequence[Term]) -> tuple[tuple[str, tuple[Term, ...]], ...]:
    """Terms (already alphabetical) grouped under their index letter, "#" first."""
    groups: dict[str, list[Term]] = {}
    for term in terms:
        groups.setdefault(index_letter(term.name), []).append(term)
    order = sorted(groups, key=lambda letter: (letter != "#", letter))
    return tuple((letter, tuple(groups[letter])) for letter in order)


def long_date(value: dt.date) -> str:
    """"12 May 2016": day without a leading zero, whatever the platform's strftime does."""
    return f"{value.day} {value:%B} {value.year}"


def atom_date(value: dt.date | None) -> str:
    return f"{(value or EPOCH).isoformat()}T00:00:00Z"


def absolute_url(config: SiteConfig, url: str) -> str:
    return config.base_url.rstrip("/") + "/" + url.lstrip("/")


def feed_updated(articles: Iterable[Article]) -> dt.date:
    """Newest article date, or the epoch: deterministic, unlike the build time."""
    return max((a.date for a in articles if a.date is not None), default=EPOCH)


class TermResolver:
    """Find the term page for a name an article lists, by exact name then by slug."""

    def __init__(self, taxonomies: Mapping[str, Taxonomy]):
        self._taxonomies = taxonomies
        self._by_slug = {key: {t.slug: t for t in tax.terms} for key, tax in taxonomies.items()}

    def groups(self, article: Article) -> tuple[TermGroup, ...]:
        groups = []
        for key, taxonomy in self._taxonomies.items():
            terms: dict[str, Term] = {}  # by slug: two spellings of one name link once
            for name in article.terms(key):
                term = taxonomy.term_for(name) or self._by_slug[key].get(term_slug(name))
                if term is not None:
                    terms.setdefault(term.slug, term)
            if terms:
                groups.append(TermGroup(taxonomy=taxonomy, terms=tuple(terms.values())))
        return tuple(groups)


# --------------------------------------------------------------------------- jobs


def page_jobs(archive: Archive, config: SiteConfig) -> Iterator[PageJob]:
    """Every page and feed of the site, in a stable order (sitemap and robots.txt excluded)."""
    feed_slice = archive.articles[: config.feed_entries]

    for page in paginate(archive.articles, config.per_page, "/"):
        yield PageJob(page.path, "list.html", {"section": "home", "page": page}, in_sitemap=True)

    resolver = TermResolver(archive.taxonomies)
    for article in sorted(archive.articles, key=lambda a: a.slug):
        yield PageJob(
            f"articles/{article.slug}/index.html",
            "article.html",
            {"section": "articles", "article": article, "term_groups": resolver.groups(article)},
            in_sitemap=True,
        )

    for key, taxonomy in archive.taxonomies.items():
        popular_url = f"{taxonomy.url}{popular_slug(taxonomy)}/"
        common = {"section": key, "taxonomy": taxonomy, "index_url": taxonomy.url, "popular_url": popular_url}
        alphabetical = {**common, "view": "alphabetical", "terms": taxonomy.terms,
                        "letter_groups": letter_groups(taxonomy.terms)}
        yield PageJob(f"{key}/index.html", "taxonomy.html", alphabetical, in_sitemap=True)
        popular = {**common, "view": "popular", "terms": taxonomy.by_count()}
        yield PageJob(f"{popular_url.lstrip('/')}index.html", "taxonomy.html", popular, in_sitemap=True)
        for term in taxonomy.terms:
            for page in paginate(term.articles, config.per_page, term.url):
                context = {"section": key, "taxonomy": taxonomy, "term": term, "page": page}
                yield PageJob(page.path, "term.html", context, in_sitemap=True)
            entries = term.articles[: config.feed_entries]
            yield PageJob(f"{key}/{term.slug}/feed.xml", "feed.xml", {
                "feed_title": f"{taxonomy.singular}: {term.name}",
                "feed_url": f"{term.url}feed.xml",
                "page_url": term.url,
                "updated": feed_updated(entries),
                "entries": entries,
            })

    yield PageJob("archive/index.html", "archive.html", {"section": "archive", "years": archive.years,
                                                         "undated": archive.undated}, in_sitemap=True)
    for year in archive.years:
        yield PageJob(f"archive/{year.year:04d}/index.html", "archive_year.html",
                      {"section": "archive", "year": year}, in_sitemap=True)
        for month in year.months:
            yield PageJob(f"archive/{month.year:04d}/{month.month:02d}/index.html", "archive_month.html",
                          {"section": "archive", "year": year, "month": month}, in_sitemap=True)

    yield PageJob("404.html", "404.html", {"section": "404"})
    yield PageJob("feed.xml", "feed.xml", {
        "feed_title": config.title,
        "feed_url": "/feed.xml",
        "page_url": "/",
        "updated": feed_updated(feed_slice),
        "entries": feed_slice,
    })


def site_jobs(archive: Archive, config: SiteConfig) -> list[PageJob]:
    """All jobs, with the sitemap (which lists the others) and robots.txt last."""
    jobs = list(page_jobs(archive, config))
    urls = sorted(job.url for job in jobs if job.in_sitemap)
    jobs.append(PageJob("sitemap.xml", "sitemap.xml", {"urls": urls}))
    jobs.append(PageJob("robots.txt", "robots.txt", {}))
    return jobs


# --------------------------------------------------------------------------- writing


def make_environment(config: SiteConfig, taxonomies: Mapping[str, Taxonomy]) -> jinja2.Environment:
    """Templates from the site theme first, then the default theme, file by file."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in config.theme_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["atom_date"] = atom_date
    env.filters["month_name"] = month_name
    env.filters["absolute"] = lambda url: absolute_url(config, url)
    env.globals["config"] = config
    #: The navigation lists the taxonomies the archive was built with, in configured order.
    env.globals["taxonomies"] = dict(taxonomies)
    return env


def _check_path(path: str) -> None:
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise BuildError(f"refusing to write '{path}': it is not a plain path inside the output directory; "
                         "check the slug of the article or term that produced it")


def _template_error(exc: Exception, job: PageJob) -> BuildError:
    """Name the template file and line that failed, so a theme author knows where to look."""
    where = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
    else:
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith((".html", ".xml", ".txt")):
                where = f"{filename}, line {tb.tb_lineno}"
            tb = tb.tb_next
    if where is None:
        where = f"template '{job.template}'"
    return BuildError(f"{where}: {type(exc).__name__}: {exc} (while rendering {job.path}); "
                      "fix the template and build again")


def write_pages(env: jinja2.Environment, jobs: Iterable[PageJob], out_dir: Path) -> int:
    """Render each job to its file; returns the number of files written."""
    written: set[str] = set()
    for job in jobs:
        _check_path(job.path)
        if job.path in written:
            raise BuildError(f"two pages would be written to '{job.path}'; rename one of the articles or terms")
        written.add(job.path)
        try:
            text = env.get_template(job.template).render(job.context)
        except BuildError:
            raise
        except jinja2.TemplateNotFound as exc:
            raise BuildError(f"template '{exc.name}' not found in any theme "
                             f"({', '.join(str(d / 'templates') for d in env.loader.searchpath)})") from exc  # type: ignore[union-attr]
        except Exception as exc:
            raise _template_error(exc, job) from exc
        target = out_dir / job.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    return len(written)


def copy_static(config: SiteConfig, out_dir: Path) -> int:
    """Copy every theme's `static/` to `public/static/`, the chosen theme overriding the default."""
    sources: dict[PurePosixPath, Path] = {}
    for theme_dir in reversed(config.theme_dirs):
        static = theme_dir / "static"
        if not static.is_dir():
            continue
        for path in static.rglob("*"):
            rel = PurePosixPath(path.relative_to(static).as_posix())
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                sources[rel] = path
    for rel in sorted(sources):
        target = out_dir / "static" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[rel], target)
    return len(sources)


def _swap_into_place(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames, so readers never see a half-built site."""
    if not out.exists() and not out.is_symlink():
        os.rename(new, out)
        return
    if not out.is_dir() or out.is_symlink():
        raise BuildError(f"{out}: the output path exists and is not a directory; remove it and build again")
    holder = Path(tempfile.mkdtemp(dir=out.parent, prefix=".public-old-"))
    old = holder / out.name
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(holder, ignore_errors=True)


def render_site(archive: Archive, config: SiteConfig) -> int:
    """Render the whole site into `config.output_dir`; returns the number of files written.

    The site is built in a temporary directory beside the output and swapped in only
    when every page rendered, so a failure leaves the previous output untouched.
    """
    out = config.output_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=".public-"))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        env = make_environment(config, archive.taxonomies)
        count = write_pages(env, site_jobs(archive, config), tmp)
        count += copy_static(config, tmp)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("rendered %d files into %s", count, out)
    return count
