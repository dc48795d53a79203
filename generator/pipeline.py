"""One build: ingest new seeds, load content, build the site model, render public/.

Between builds the state in `.broadsheet-cache/` remembers seed hashes, parsed content
and what each output was made from, so a rebuild does only the work its changes need.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from generator.builddb import BuildDB, database_path
from generator.config import SiteConfig
from generator.errors import BuildError, Warnings
from generator.quick import Scan, find_edits, quick_render, record_stats, scan_articles
from generator.state import BuildLock, BuildLockBusy, BuildState, tree_stamp

# The rest is imported where it is used, so that a build with nothing to do (or only a body edit, see
# generator/quick.py) starts quickly; the names below are for the annotations.
if TYPE_CHECKING:
    from generator.content import ContentStore
    from generator.decisions.kinds import CueCache
    from generator.decisions.pages import DecisionCache, PageDecisions
    from generator.ingest import Analyzer, Engine, IngestResult, Progress
    from generator.model import Article
    from generator.places import Gazetteer, PlaceFacts
    from generator.render import RenderCache
    from generator.search import BackgroundIndexer

#: Parsed content is cached in shards, so saving after one edit rewrites one small file.
CONTENT_SHARDS = 32
SEED_CACHE = "seeds.pickle"
#: Each seed's furniture line keys by its SHA-256, so learning the archive's furniture reads only new seeds.
LINE_CACHE = "lines.pickle"
#: Each content file's story keys by its SHA-256, so a new seed is checked against the archive without re-reading it.
STORY_CACHE = "stories.pickle"
#: How the articles write each name (the kind decisions' cues), by name and the articles listing it.
CUES_CACHE = "cues.pickle"
PLACES_CACHE = "places.pickle"
#: Each name's slug (see archive.term_slug), so a build does not slugify the archive's names again.
SLUGS_CACHE = "slugs.pickle"
#: The last build's name decisions per article, reused while no name, alias or decisive text changed.
DECISIONS_CACHE = "decisions.pickle"
INPUTS = "inputs.json"
#: More changed articles than this and the full build fingerprints every page (the pages showing them add up).
FOCUS_MOST = 64
#: The cached name decisions are saved again once this many edited articles were checked against them.
REFRESHED_MOST = 64


@functools.cache
def default_analyzer() -> Analyzer:
    """The spaCy-backed analyser, one per process; imported here so builds with nothing to ingest never load it."""
    from generator.ingest.entities import Analyzer as EntityAnalyzer

    return EntityAnalyzer()


def load_descriptions(config: SiteConfig, warnings: Warnings) -> dict[tuple[str, str], str]:
    """Editors' text for term pages: `content/<taxonomy>/<slug>.md`, front matter optional."""
    from generator.archive import term_slug
    from generator.content import FrontMatterError, split_front_matter
    from generator.markup import MarkdownRenderer

    found: dict[tuple[str, str], str] = {}
    renderer: MarkdownRenderer | None = None
    for key in config.taxonomies:
        folder = config.content_dir / key
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            rel = path.relative_to(config.root).as_posix()
            try:
                text = path.read_text(encoding="utf-8")
                body = split_front_matter(text)[1] if text.startswith("---\n") else text
            except (UnicodeDecodeError, FrontMatterError) as exc:
                warnings.warn(rel, f"{exc}; its description is left out")
                continue
            renderer = renderer or MarkdownRenderer()
            found[(key, term_slug(path.stem))] = renderer.render(body)
    return found


def _cpu_workers() -> int:
    from generator.parallel import cpu_workers

    return cpu_workers()


def nothing_ingested() -> IngestResult:
    from generator.results import IngestResult

    return IngestResult()


@dataclass
class BuildResult:
    ingest: IngestResult
    articles: int
    #: Files the site has, and how many this build wrote.
    files: int
    rendered: int
    warnings: Warnings
    seconds: float
    #: True when nothing had changed since the last build and nothing was done.
    unchanged: bool = False
    removed: int = 0
    #: Whether this build made the search index again (the article pages changed).
    indexed: bool = False


@dataclass
class Builder:
    """Builds one site; keeps its state between builds (the dev server keeps one warm)."""

    config: SiteConfig
    analyzer_factory: Callable[[], Analyzer] = default_analyzer
    workers: int = field(default_factory=lambda: _cpu_workers())
    use_cache: bool = True
    #: The preview server's background search indexer: with one, a build publishes with the previous search
    #: index and this re-indexes afterwards, so indexing never delays the reload (see generator/search.py).
    search_indexer: BackgroundIndexer | None = None
    #: Where the entity analysis runs: None for this machine's processes, or another engine
    #: (generator/ingest/cluster.py's DaskEngine sends it to a Dask cluster).
    engine: Engine | None = None
    #: The process ends with this builder's build (`python build.py`): what the build made is then left frozen
    #: for the cycle collector (see parallel.collector_paused), which would otherwise look at all of it once more.
    last_in_process: bool = False

    def __post_init__(self) -> None:
        self.state = BuildState(self.config.root, enabled=self.use_cache)
        self._store: ContentStore | None = None
        self._seed_hashes: dict[str, tuple[int, int, str]] | None = None
        self._line_keys: dict[str, frozenset[int]] | None = None
        self._story_keys: dict[str, frozenset[str]] | None = None
        self._cues: CueCache | None = None
        self._render_cache: RenderCache | None = None
        self._gazetteer: Gazetteer | None = None
        self._db: BuildDB | None = None
        #: The quick build's template environment, kept by a warm process (the preview).
        self._environments: dict = {}
        #: What the last build's decisions read of each article's body (see decisions.pages.body_signature).
        self._body_reads: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        #: Content files parsed by the last build (the rest came from the cache).
        self.content_read = 0
        #: Whether the last build was a quick one (an edit to bodies alone; see generator/quick.py).
        self.quick = False
        #: Whether the last full build made the archive-wide name decisions again (else it reused them).
        self.decided_again = False
        #: The decisions the last build's pages were made with, when this build made them again (same aliases).
        self._decided_before: DecisionCache | None = None
        #: The token of this build's decisions (`DecisionCache.token`), kept in the build database.
        self._decisions_token = ""
        #: Whether the slugs the last builds made were read (once per process; see archive.term_slug).
        self._slugs_read = False
        #: Whether the last full build fingerprinted only the pages showing the articles that changed, and how many.
        self.focused: int | None = None
        self.focused_pages: tuple[str, ...] = ()
        #: The articles folder as this builder's last build left it, and the stamp that build saved: a warm
        #: process told which files changed (`build(touched=...)`) stats those alone while no other build
        #: has run since.
        self._scan: Scan | None = None
        self._stamp_saved: str | None = None
        #: Whether the build database is known to hold a row for each content file of `_scan` and no other.
        self._listed = False

    @property
    def render_cache(self) -> RenderCache:
        """What rendering keeps between builds of a warm process (the templates, the fingerprints, the manifest)."""
        if self._render_cache is None:
            from generator.render import RenderCache

            self._render_cache = RenderCache()
        return self._render_cache

    @property
    def db(self) -> BuildDB | None:
        """The build database of this site's output (None with the cache off)."""
        if not self.use_cache:
            return None
        if self._db is None:
            self._db = BuildDB(database_path(self.state, self.config.output_dir))
            for legacy in self.state.dir.glob("render-*.pickle"):  # the manifests before the database
                legacy.unlink(missing_ok=True)
        return self._db

    def adopt(self, previous: "Builder") -> None:
        """Take over what another builder of the same site has already read (the dev server does this)."""
        self._store = previous._store
        self._seed_hashes = previous._seed_hashes
        self._line_keys = previous._line_keys
        self._story_keys = previous._story_keys
        self._cues = previous._cues
        self.render_cache.fingerprints = previous.render_cache.fingerprints
        self._gazetteer = previous._gazetteer

    @staticmethod
    def _shard(key: str) -> int:
        return int(hashlib.blake2b(key.encode(), digest_size=2).hexdigest(), 16) % CONTENT_SHARDS

    @property
    def store(self) -> ContentStore:
        if self._store is None:
            from generator.parallel import collector_paused

            entries: dict = {}
            with collector_paused():
                for shard in range(CONTENT_SHARDS):
                    entries.update(self.state.load_pickle(f"content-{shard:02d}.pickle") or {})
            from generator import bodies
            from generator.content import ContentStore

            kept = bodies.BodyStore(self.state.dir / bodies.FILE_NAME) if self.use_cache else None
            bodies.use(kept, self.config.root)
            self._store = ContentStore(self.config.articles_dir, self.config.root, entries, bodies=kept)
        return self._store

    def _save_content(self) -> None:
        store = self.store
        if not self.use_cache or not store.dirty:
            return
        shards = {self._shard(key) for key in store.dirty}
        grouped: dict[int, dict] = {shard: {} for shard in shards}
        for key, entry in store.entries.items():
            shard = self._shard(key)
            if shard in grouped:
                grouped[shard][key] = entry
        for shard, entries in grouped.items():
            self.state.save_pickle(f"content-{shard:02d}.pickle", entries)
        store.dirty.clear()
        kept = store.bodies
        if kept is not None and kept.count() > 1.25 * len(store.entries) + 100:  # bodies of files since changed
            kept.keep_only(entry.sha256 for entry in store.entries.values())

    @property
    def seed_hashes(self) -> dict[str, tuple[int, int, str]]:
        if self._seed_hashes is None:
            self._seed_hashes = self.state.load_pickle(SEED_CACHE) or {}
        return self._seed_hashes

    @property
    def line_keys(self) -> dict[str, frozenset[int]]:
        if self._line_keys is None:
            self._line_keys = self.state.load_pickle(LINE_CACHE) or {}
        return self._line_keys

    @property
    def story_keys(self) -> dict[str, frozenset[str]]:
        if self._story_keys is None:
            self._story_keys = self.state.load_pickle(STORY_CACHE) or {}
        return self._story_keys

    def _rest_stamp(self) -> str:
        """A stamp of every input but the content files of articles: seeds, settings, themes, aliases, descriptions.

        The seeds' stamp comes first, before a colon: what follows (`site_stamp`) is what the pages read
        besides the articles, which a new seed changes only through the content files ingest writes."""
        config = self.config
        content = config.content_dir
        others = sorted(p for p in content.iterdir() if p != config.articles_dir) if content.is_dir() else []
        watched = [config.root / "site.toml", *config.theme_dirs, *others]
        return tree_stamp([config.seeds_dir]) + ":" + tree_stamp(watched, contents=True) + repr(config)

    def _inputs_stamp(self) -> str:
        return self._rest_stamp() + ":" + scan_articles(self.config).stamp

    def _canonical(self, articles: list[Article]) -> tuple[list[Article], dict[str, PlaceFacts | None]]:
        """One name per person and place across the archive, each on the index of its kind, and what the gazetteer knows of each place."""
        from generator.decisions.pages import DecisionCache

        aliases = self.config.content_dir / "aliases.toml"
        aliases_key = hashlib.blake2b(aliases.read_bytes() if aliases.is_file() else b"", digest_size=16).hexdigest()
        stored = self.state.load_pickle(DECISIONS_CACHE)
        cache = DecisionCache.load(stored, aliases_key)
        decided = cache.apply(articles) if cache is not None else None
        if decided is not None and cache is not None and cache.refreshed > REFRESHED_MOST and self.use_cache:
            # Saving writes the whole archive's decisions; checking a few edited articles next time costs less.
            self.state.save_pickle(DECISIONS_CACHE, cache.dump())
        self.decided_again = decided is None
        self._decided_before = None
        if decided is None:
            self._decided_before = cache  # made with the same aliases: what a focused build compares with
            decisions = self.page_decisions(articles)
            decided = decisions.articles
            # Signatures of unchanged articles are kept even when the aliases changed: they do not depend on them.
            cache = DecisionCache.of(decisions, articles, aliases_key,
                                     previous=cache or DecisionCache.load(stored, None))
            if self.use_cache:
                self.state.save_pickle(DECISIONS_CACHE, cache.dump())
        self._decisions_token = cache.token
        self._body_reads = cache.reads()
        if self._gazetteer is None:
            from generator.places import Gazetteer

            self._gazetteer = Gazetteer(self.state.load_pickle(PLACES_CACHE) or {})
        gazetteer = self._gazetteer
        places = {name: gazetteer.lookup(name) for a in decided for name in a.locations}
        if gazetteer.changed and self.use_cache:
            self.state.save_pickle(PLACES_CACHE, gazetteer.known)
            gazetteer.changed = False
        return decided, places

    def page_decisions(self, articles: list[Article]) -> PageDecisions:
        """The archive-wide name decisions a build makes, with the judgement behind each (the review queue reads them)."""
        from generator.decisions.names import load_aliases
        from generator.decisions.pages import decide_pages
        from generator.places import Gazetteer

        if self._gazetteer is None:
            self._gazetteer = Gazetteer(self.state.load_pickle(PLACES_CACHE) or {})
        aliases = load_aliases(self.config.content_dir / "aliases.toml")
        if self._cues is None:
            self._cues = self.state.load_pickle(CUES_CACHE) or {}
        known = set(self._cues)
        decisions = decide_pages(articles, aliases, self._gazetteer.lookup, cues=self._cues, workers=self.workers)
        if self.use_cache and set(self._cues) != known:
            self.state.save_pickle(CUES_CACHE, self._cues)
        if self.use_cache:
            self._cues = None  # kept on disk: read again by the next decisions, not held through rendering
        return decisions

    def gazetteer_lookup(self, name: str) -> PlaceFacts | None:
        from generator.places import Gazetteer

        if self._gazetteer is None:
            self._gazetteer = Gazetteer(self.state.load_pickle(PLACES_CACHE) or {})
        return self._gazetteer.lookup(name)

    def load_content(self, warnings: Warnings) -> list[Article]:
        """The articles as content/ holds them now, without ingesting or rendering anything."""
        store = self.store
        self.content_read = store.refresh(self.workers)
        articles = store.articles(warnings)
        self._save_content()
        return articles

    def ingest(self, warnings: Warnings, force: bool = False, progress: Progress | None = None,
               scanned: Scan | None = None) -> IngestResult:
        """Seeds to content files. `scanned`: the articles folder as the build has just stat'ed it."""
        from generator.ingest import ingest

        store = self.store
        self.content_read = store.refresh(self.workers, scanned.listing() if scanned is not None else None)
        result = ingest(self.config.seeds_dir, self.config.articles_dir, self.config.root, self.analyzer_factory,
                        warnings, force=force, progress=progress, store=store,
                        seed_hashes=self.seed_hashes, workers=self.workers, line_keys=self.line_keys,
                        story_cache=self.story_keys, skip_duplicates=True, engine=self.engine)
        if self.use_cache:
            self.state.save_pickle(SEED_CACHE, self.seed_hashes)
            if result.written or result.skipped or result.blocked or result.duplicates:
                self.state.save_pickle(LINE_CACHE, self.line_keys)
            if result.duplicates or result.written:
                self.state.save_pickle(STORY_CACHE, self.story_keys)
        return result

    def build(self, strict: bool = False, force: bool = False, progress: Progress | None = None,
              touched: Iterable[str] | None = None) -> BuildResult:
        """Ingest, then render. Under `strict`, any warning stops the build before the output is touched.

        One build of a site at a time: the build lock is held throughout, and a build that
        finds it held by a running build stops with a BuildError instead of mixing its
        files with the other's.

        `touched`: the files (absolute paths) a file watcher saw change since this builder's
        last build, from the preview; the articles folder is then looked at in those files
        alone. None (the default) looks at every file.
        """
        lock = BuildLock(self.config.root)
        try:
            lock.acquire()
        except BuildLockBusy as exc:
            raise BuildError(str(exc)) from None
        try:
            # A build killed in the middle of swapping folders may have left no output: put the old one back.
            if not self.config.output_dir.exists():
                from generator.render import recover_output

                recover_output(self.config.output_dir)
            return self._build_locked(strict, force, progress, touched)
        finally:
            self._fold_logs()
            lock.release()
            if not self.last_in_process:
                from generator.parallel import thaw

                thaw()

    def _fold_logs(self) -> None:
        """Leave the databases' write-ahead logs small, not at the size the build's largest transaction made them."""
        if self._db is not None:
            self._db.fold_log()
        if self._store is not None and self._store.bodies is not None:
            self._store.bodies.fold_log()

    def _build_locked(self, strict: bool, force: bool, progress: Progress | None,
                      touched: Iterable[str] | None = None) -> BuildResult:
        started = time.perf_counter()
        self.quick = False
        self.focused = None
        rest = self._rest_stamp()
        last = self.state.load_json(INPUTS)
        scanned = None
        if touched is not None and self._scan is not None and last and last.get("stamp") == self._stamp_saved:
            scanned = self._scan.updated(touched)  # no other build since this builder's last one
        if scanned is None:
            scanned = scan_articles(self.config)
            self._listed = False
        self._scan, self._stamp_saved = scanned, None
        stamp = rest + ":" + scanned.stamp
        # A search index the preview server still owed when it stopped (or is still making) is made by this build.
        owed = bool(last and last.get("search_pending"))
        if not force and last and last.get("stamp") == stamp and self.config.output_dir.is_dir() and not owed:
            # Nothing anywhere changed since the last good build: the output is already right.
            warnings = self._last_warnings(last, strict)
            self._stamp_saved = stamp
            return BuildResult(nothing_ingested(), last.get("articles", 0), last.get("files", 0), 0, warnings,
                               time.perf_counter() - started, unchanged=True)
        # An index still owed is made by a full build, or by the preview's indexer, which the quick build hands it to.
        if not force and last and (not owed or self.search_indexer is not None):
            quick = self._quick_build(strict, rest, scanned, stamp, last, started)
            if quick is not None:
                return quick
        self._listed = False  # the full build writes the rows again
        indexer = self.search_indexer
        if indexer is not None:
            indexer.cancel()  # never index pages this build is replacing, nor compete with it for the CPU
        warnings = Warnings()
        from generator.archive import learn_slugs, slug_table

        slugs_known = -1  # the table is saved after the site model is built unless it was read and then grew not
        if self.use_cache and not self._slugs_read:
            self._slugs_read = learn_slugs(self.state.load_pickle(SLUGS_CACHE))
        if self._slugs_read:
            slugs_known = len(slug_table()[1])
        ingested = self.ingest(warnings, force=force, progress=progress, scanned=scanned)
        from generator.parallel import collector_paused

        with collector_paused():  # from here on the build makes the site model, which stays until it ends
            return self._build_model(strict, force, warnings, ingested, slugs_known, rest, stamp, indexer, started)

    def _build_model(self, strict: bool, force: bool, warnings: Warnings, ingested: IngestResult, slugs_known: int,
                     rest: str, stamp: str, indexer: BackgroundIndexer | None, started: float) -> BuildResult:
        """The full (or focused) build after ingest: content, name decisions, site model, rendering."""
        from generator.archive import build_archive, slug_table

        store = self.store
        if ingested.written:
            self.content_read += store.refresh(self.workers)
        articles = store.articles(warnings)
        self._save_content()
        as_written = {article.path: article for article in articles}
        articles, places = self._canonical(articles)
        from generator.parallel import release_memory

        release_memory()  # what the decisions read and let go
        descriptions = load_descriptions(self.config, warnings)
        if strict and warnings:
            raise BuildError(f"{len(warnings)} warning(s) and --strict is set; {self.config.output_dir} was left as it was")
        from generator.render import bodies_only_on_their_pages, make_environment, render_site

        if any(a.body_key for a in articles) and not bodies_only_on_their_pages(make_environment(self.config, {})):
            from generator.bodies import with_body

            articles = [with_body(a) for a in articles]  # the theme prints bodies on other pages too (a full-text feed)
        found = None if force else self._focus(articles, as_written, rest)
        focus, renamed, removed = found if found is not None else (None, {}, {})
        archive = build_archive(articles, self.config.taxonomies, places, descriptions)
        if self.use_cache and len(slug_table()[1]) != slugs_known:
            self.state.save_pickle(SLUGS_CACHE, slug_table())
        sources = {entry.article.path: (entry.size, entry.mtime_ns)
                   for entry in store.entries.values() if entry.article is not None}
        rendered = render_site(archive, self.config, self.state if self.use_cache else None, self.workers,
                               cache=self.render_cache, defer_search=indexer is not None, db=self.db,
                               sources=sources, db_meta={"rest": rest, "decisions": self._decisions_token},
                               originals={path: (as_written[path], *reads) for path, reads in self._body_reads.items()
                                          if path in as_written},
                               focus=focus, renamed=renamed, removed=removed)
        self.focused, self.focused_pages = rendered.fingerprinted, rendered.focused_pages
        inputs = {"stamp": self._inputs_stamp() if ingested.written else stamp, "warnings": warnings.messages,
                  "articles": len(articles), "files": rendered.files, "search_pending": bool(rendered.search_pending)}
        if self.use_cache:
            # Stamp what this build saw (after ingest wrote its files), so an untouched site is a no-op next time.
            # The stamp taken before the build, unless ingest itself wrote files; then a fresh one.
            self.state.save_json(INPUTS, inputs)
            if not ingested.written:
                self._stamp_saved = stamp
        if indexer is not None and rendered.search_pending:
            indexer.start(self.config.output_dir, rendered.search_pending, functools.partial(self._search_indexed, inputs))
        return BuildResult(ingested, len(articles), rendered.files, rendered.rendered, warnings,
                           time.perf_counter() - started, removed=rendered.removed, indexed=rendered.indexed)

    def _focus(self, articles: list[Article], as_written: dict[str, Article], rest: str
               ) -> tuple[dict[str, tuple | None], dict[str, dict[str, tuple]], dict[str, tuple[tuple, dict]]] | None:
        """The articles that changed since the last build, when few did and each kept its slug, and the
        articles added: then the renderer fingerprints only the pages that show them
        (`render.pages_showing`), and the articles removed. None when anything else may have changed.

        An article changed when its file did (a headline, a date, a summary, a byline, a body, its
        names) or when the name decisions, made again, gave it other names or stamps. Gives the
        changed articles by slug with where each was listed (`archive.listing_key`; None for an added
        one), and those whose names changed with the names their pages were made with (none for an
        added one: it joined every term it names), and the removed ones by slug with where each was
        listed and the names its page was made with.
        """
        from generator.builddb import loads_page
        from generator.decisions.pages import DECIDED, NAMES

        db = self.db
        before = self._decided_before
        if db is None or site_stamp(db.get("rest")) != site_stamp(rest) or (self.decided_again and before is None):
            return None  # settings, themes, aliases or descriptions changed (new seeds reach the pages as content)
        if not db.get("decisions") or db.get("decisions") != (before.token if self.decided_again else self._decisions_token):
            return None  # the pages were made with other decisions than those the cache held
        known = db.article_digests()
        added = [article for article in articles if article.path not in known]
        gone = known.keys() - as_written.keys()
        if len(known) - len(gone) != len(articles) - len(added) or len(added) + len(gone) >= FOCUS_MOST:
            return None  # many articles added or removed
        focus: dict[str, tuple | None] = {}
        renamed: dict[str, dict[str, tuple]] = {}
        removed: dict[str, tuple[tuple, dict[str, tuple]]] = {}
        for path in gone:
            stored = db.article(path)
            data = loads_page(stored.page) if stored is not None else {}
            if stored is None or "listed" not in data or "decided" not in data:
                return None
            names = {key: tuple(data["decided"].get(key) or ()) for key in NAMES}
            removed[stored.slug] = (tuple(data["listed"]), names)
        if any(article.slug in removed for article in articles):
            return None  # a file renamed with its slug kept, or a slug that went to another file
        for article in added:
            focus[article.slug] = None
            renamed[article.slug] = {key: () for key in NAMES}
        for article in articles:
            row = known.get(article.path)
            if row is None:
                continue  # added
            written = as_written.get(article.path)
            if written is None:
                return None
            if row[0] == written.digest:
                if before is None:
                    continue
                was = before.decided(article.path)
                if was is not None and all(was[key] == getattr(article, key) for key in DECIDED):
                    continue
            if len(focus) >= FOCUS_MOST:
                return None
            stored = db.article(article.path)
            data = loads_page(stored.page) if stored is not None else {}
            if stored is None or stored.slug != article.slug or "listed" not in data or "decided" not in data:
                return None
            decided = data["decided"]
            names = {key: tuple(decided.get(key) or ()) for key in NAMES}
            if any(names[key] != tuple(getattr(article, key)) for key in NAMES):
                renamed[article.slug] = names
            focus[article.slug] = tuple(data["listed"])
        return focus, renamed, removed

    def _last_warnings(self, last: dict, strict: bool) -> Warnings:
        """The warnings of the last build, which still hold when the inputs they were about are unchanged."""
        warnings = Warnings()
        for message in last.get("warnings", []):
            where, _, text = message.partition(": ")
            warnings.warn(where, text)
        if strict and warnings:
            raise BuildError(f"{len(warnings)} warning(s) and --strict is set; {self.config.output_dir} was left as it was")
        return warnings

    def _quick_build(self, strict: bool, rest: str, scanned: Scan, stamp: str, last: dict,
                     started: float) -> BuildResult | None:
        """An edit to articles' bodies alone: render their pages and nothing else (None: a full build is needed)."""
        from generator.builddb import manifest_name, spare_path

        db = self.db
        if db is None:
            return None
        indexer = self.search_indexer
        if indexer is not None:
            indexer.cancel()  # it may be changing the live index, and with it the database
        if db.get("rest") != rest:
            return None
        edits = find_edits(self.config, db, scanned, listed=self._listed)
        if edits is None:
            return None
        self._listed = True  # the rows and the files matched, and a quick build adds or drops neither
        warnings = self._last_warnings(last, strict)
        out = self.config.output_dir
        spare = spare_path(self.state, out, manifest_name(out))
        if spare is None:
            return None
        result = quick_render(self.config, db, spare, edits, defer_search=indexer is not None, state=self.state,
                              environments=self._environments)
        if result is None:
            return None
        record_stats(db, scanned, {edit.file: edit.stat for edit in edits})
        self.quick = True
        if self._render_cache is not None:
            self._render_cache.manifest = None  # the database holds the new one
        self.content_read = sum(1 for edit in edits if edit.article is not None)
        inputs = {"stamp": stamp, "warnings": warnings.messages, "articles": last.get("articles", 0),
                  "files": last.get("files", 0), "search_pending": bool(result.search_pending)}
        self.state.save_json(INPUTS, inputs)
        self._stamp_saved = stamp
        if indexer is not None and result.search_pending:
            indexer.start(out, result.search_pending, functools.partial(self._search_indexed, inputs))
        return BuildResult(nothing_ingested(), inputs["articles"], inputs["files"], result.rendered, warnings,
                           time.perf_counter() - started, indexed=result.indexed)

    def _search_indexed(self, inputs: dict, keys: dict[str, str], made: tuple[str, ...], finished: bool) -> None:
        """The background indexer swapped the parts `made` into the live index (made for `keys`, the parts' keys
        the published pages call for); `finished`: the whole index now answers to `keys` (called under its lock)."""
        from generator.render import record_search_index

        if finished:
            live = dict(keys)
        else:
            before = self.db.get("search") if self.db is not None else (self.render_cache.manifest or {}).get("search")
            live = {**(before if isinstance(before, dict) else {}), **{name: keys[name] for name in made}}
        record_search_index(self.db, self.render_cache, live, made)
        if finished and self.use_cache:
            self.state.save_json(INPUTS, {**inputs, "search_pending": False})


def site_stamp(rest: str | None) -> str | None:
    """Of a `Builder._rest_stamp`, the part that stamps the inputs the pages read besides the articles."""
    return None if rest is None else rest.partition(":")[2]


def run_ingest(
    config: SiteConfig,
    warnings: Warnings,
    force: bool = False,
    analyzer_factory: Callable[[], Analyzer] = default_analyzer,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> IngestResult:
    return Builder(config, analyzer_factory, engine=engine).ingest(warnings, force=force, progress=progress)


def build(
    config: SiteConfig,
    strict: bool = False,
    force: bool = False,
    analyzer_factory: Callable[[], Analyzer] = default_analyzer,
    progress: Progress | None = None,
    engine: Engine | None = None,
    last_in_process: bool = False,
) -> BuildResult:
    return Builder(config, analyzer_factory, engine=engine, last_in_process=last_in_process).build(
        strict=strict, force=force, progress=progress)
