"""One build: ingest new seeds, load content, build the site model, render public/."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from generator.archive import build_archive
from generator.config import SiteConfig
from generator.content import load_articles
from generator.errors import BuildError, Warnings
from generator.ingest import Analyzer, IngestResult, Progress, ingest


@functools.cache
def default_analyzer() -> Analyzer:
    """The spaCy-backed analyser, one per process; imported here so builds with nothing to ingest never load it."""
    from generator.entities import Analyzer as EntityAnalyzer

    return EntityAnalyzer()


@dataclass
class BuildResult:
    ingest: IngestResult
    articles: int
    pages: int
    warnings: Warnings
    seconds: float


def run_ingest(
    config: SiteConfig,
    warnings: Warnings,
    force: bool = False,
    analyzer_factory: Callable[[], Analyzer] = default_analyzer,
    progress: Progress | None = None,
) -> IngestResult:
    return ingest(config.seeds_dir, config.articles_dir, config.root, analyzer_factory, warnings, force=force, progress=progress)


def build(
    config: SiteConfig,
    strict: bool = False,
    force: bool = False,
    analyzer_factory: Callable[[], Analyzer] = default_analyzer,
    progress: Progress | None = None,
) -> BuildResult:
    """Ingest, then render. Under `strict`, any warning stops the build before public/ is touched."""
    from generator.render import render_site

    started = time.perf_counter()
    warnings = Warnings()
    ingested = run_ingest(config, warnings, force=force, analyzer_factory=analyzer_factory, progress=progress)
    articles = load_articles(config.articles_dir, config.root, warnings)
    if strict and warnings:
        raise BuildError(f"{len(warnings)} warning(s) and --strict is set; {config.output_dir} was left as it was")
    archive = build_archive(articles, config.taxonomies)
    pages = render_site(archive, config)
    return BuildResult(ingested, len(articles), pages, warnings, time.perf_counter() - started)
