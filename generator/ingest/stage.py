"""Seeds to content: each raw article becomes cleaned Markdown with metadata front matter.

Unchanged seeds are skipped by hash, and a content file an editor changed (or whose front
matter cannot be read) is never overwritten. A seed that repeats a story already in the
archive, or one ingested alongside it, is skipped. The entity model is loaded only when some
seed needs ingesting.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from slugify import slugify

from generator.content import FENCE, ContentStore, dump_content, write_atomically
from generator.decisions.tags import choose_tags
from generator.errors import Warnings
from generator.ingest.clean import clean_text, seed_line_keys
from generator.ingest.decode import UnreadableSeed, decode_seed
from generator.ingest.furniture import FurnitureModel
from generator.ingest.metadata import Metadata, extract_metadata
from generator.markup import escape_body
from generator.results import IngestResult
from generator.parallel import can_fork

log = logging.getLogger("broadsheet.ingest")
SLUG_LENGTH = 80


class EntityAnalysis(Protocol):
    persons: tuple[str, ...]
    locations: tuple[str, ...]
    organizations: tuple[str, ...]
    tags: tuple[str, ...]


class Analyzer(Protocol):
    def analyse(self, texts: Sequence[str]) -> Sequence[EntityAnalysis]: ...


#: Called as progress(done, total) while seeds are analysed.
Progress = Callable[[int, int], None]
#: Another engine for the entity analysis (see generator/ingest/cluster.py): called as
#: engine(texts, analyzer_factory, progress), it returns one analysis per text, in order.
Engine = Callable[[list[str], Callable[[], Analyzer], Progress | None], Sequence[EntityAnalysis]]


@dataclass(frozen=True)
class _Pending:
    seed: Path
    seed_rel: str
    sha256: str
    meta: Metadata
    target: Path | None  # existing content file for this seed, if any


def seed_paths(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file()) if seeds_dir.is_dir() else []


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def analysis_text(meta: Metadata) -> str:
    """What the entity model reads: the title and the cleaned body, as plain text."""
    return "\n\n".join([meta.title, *meta.body])


def _unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title, max_length=SLUG_LENGTH, word_boundary=True) or "article"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


#: A story's fingerprint without its last paragraph counts only when this much text is left
#: (normalised characters, about three short paragraphs), so short articles that share all but
#: a line are not taken for one story.
PREFIX_MIN_CHARS = 300
#: ...and only when the last paragraph is a trailing line, not a large part of the story
#: (two versions of a story that share a lead but end in different long paragraphs stay apart).
LAST_MAX_SHARE = 0.25
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_ESCAPE = re.compile(r"\\(.)")


def _normalised(paragraph: str) -> str:
    return " ".join(_ESCAPE.sub(r"\1", paragraph).lower().split())


def story_keys(markdown_body: str) -> frozenset[str]:
    """Fingerprints of a story from its cleaned body, the same for a seed and its content file.

    Two bodies are the same story when they share a key: the whole text (lowercased,
    whitespace and paragraph breaks folded), or the whole text but its last paragraph,
    which matches a copy whose trailing line was changed, added or dropped. Comparing
    keys through a dict finds duplicates without comparing every pair of articles.
    """
    paragraphs = [n for n in (_normalised(p) for p in _PARAGRAPH_BREAK.split(markdown_body)) if n]
    if not paragraphs:
        return frozenset()

    def key(parts: list[str]) -> str:
        return hashlib.blake2b(" ".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    keys = {key(paragraphs)}
    prefix = paragraphs[:-1]
    whole = len(" ".join(paragraphs))
    if len(" ".join(prefix)) >= PREFIX_MIN_CHARS and len(paragraphs[-1]) <= LAST_MAX_SHARE * whole:
        keys.add(key(prefix))
    return frozenset(keys)


_SEED_LINE = re.compile(r"^seed:[ \t]*(['\"]?)(.+?)\1[ \t]*$", re.MULTILINE)


def _unreadable_files(store: ContentStore) -> dict[Path, str | None]:
    """Content files whose front matter cannot be read, each with the seed it names where that line is legible."""
    found: dict[Path, str | None] = {}
    for key, entry in store.entries.items():
        if entry.meta is not None:
            continue
        path = Path(key)
        try:
            text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
        except OSError:
            continue
        head, sep, _ = text[len(FENCE) :].partition(f"\n{FENCE}\n")
        match = _SEED_LINE.search(head if sep else text)
        found[path] = match.group(2).strip() if match else None
    return found


def _blocked_warning(warnings: Warnings, seed_rel: str, content_rel: str) -> None:
    warnings.warn(seed_rel, f"not ingested: {content_rel} would be written over, and its front matter cannot be read; "
                            f"fix the front matter of {content_rel}, or delete it to ingest {seed_rel} again")


def _content_keys(store: ContentStore, cache: dict[str, frozenset[str]] | None) -> dict[Path, frozenset[str]]:
    """Story keys of every content file, from `cache` (by the file's SHA-256) where it has them."""
    keys: dict[Path, frozenset[str]] = {}
    live: set[str] = set()
    for key, entry in store.entries.items():
        live.add(entry.sha256)
        found = cache.get(entry.sha256) if cache is not None else None
        if found is None:
            try:
                text = Path(key).read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
            except OSError:
                continue
            _, sep, body = text[len(FENCE) :].partition(f"\n{FENCE}\n")
            found = story_keys(body if sep else "")
            if cache is not None:
                cache[entry.sha256] = found
        keys[Path(key)] = found
    if cache is not None:
        for stale in [digest for digest in cache if digest not in live]:
            del cache[stale]
    return keys


#: Seeds analysed per batch (and per task handed to a worker process).
BATCH = 32
#: Below this many seeds, starting worker processes costs more than it saves.
PARALLEL_MIN = 64


def _seed_digest(seed: Path, seed_hashes: dict[str, tuple[int, int, str]] | None) -> tuple[str, bytes | None]:
    """The seed's SHA-256, from the cache when its size and mtime are unchanged."""
    st = seed.stat()
    cached = seed_hashes.get(str(seed)) if seed_hashes is not None else None
    if cached is not None and cached[0] == st.st_size and cached[1] == st.st_mtime_ns:
        return cached[2], None
    data = seed.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if seed_hashes is not None:
        seed_hashes[str(seed)] = (st.st_size, st.st_mtime_ns, digest)
    return digest, data


def _furniture_model(
    seeds: list[Path],
    digests: dict[Path, tuple[str, bytes | None]],
    texts: dict[Path, str | UnreadableSeed],
    cache: dict[str, frozenset[int]] | None,
) -> FurnitureModel:
    """Line statistics over every seed in the folder, so one new seed is judged by the whole archive.

    Unchanged seeds' keys come from `cache` (by SHA-256) when given; otherwise they are read again.
    """
    key_sets: list[frozenset[int]] = []
    for seed in seeds:
        digest, data = digests[seed]
        keys = cache.get(digest) if cache is not None else None
        if keys is None:
            text = texts.get(seed)
            if text is None:
                try:
                    text = decode_seed(data if data is not None else seed.read_bytes())
                except (UnreadableSeed, OSError):
                    continue
            if isinstance(text, UnreadableSeed):
                continue
            keys = seed_line_keys(text)
            if cache is not None:
                cache[digest] = keys
        key_sets.append(keys)
    if cache is not None:
        live = {digest for digest, _ in digests.values()}
        for stale in [digest for digest in cache if digest not in live]:
            del cache[stale]
    return FurnitureModel.from_key_sets(key_sets)


class _Worker:
    """Holds one analyser per worker process; the model loads once per process."""

    analyzer: Analyzer | None = None

    @classmethod
    def start(cls, factory: Callable[[], Analyzer]) -> None:
        # One BLAS thread per process: the processes, not threads, use the cores.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
        cls.analyzer = factory()

    @classmethod
    def analyse(cls, texts: Sequence[str]) -> list[EntityAnalysis]:
        assert cls.analyzer is not None
        return list(cls.analyzer.analyse(texts))


def _analyse_all(texts: list[str], factory: Callable[[], Analyzer], workers: int, progress: Progress | None) -> list[EntityAnalysis]:
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    results: list[EntityAnalysis] = []
    if workers <= 1 or len(texts) < PARALLEL_MIN or not can_fork():
        analyzer = factory()
        for batch in batches:
            results.extend(analyzer.analyse(batch))
            if progress:
                progress(len(results), len(texts))
        return results
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_Worker.start, initargs=(factory,)) as pool:
        for analysed in pool.map(_Worker.analyse, batches):
            results.extend(analysed)
            if progress:
                progress(len(results), len(texts))
    return results


def _archive_tags(analyses: Sequence[EntityAnalysis], archive: Sequence[dict]) -> list[list[str]]:
    """Each new article's tags, chosen with the archive in view (its front matter tags count too).

    An analysis without scored candidates keeps the tags it came with.
    """
    scored = [i for i, a in enumerate(analyses) if getattr(a, "candidates", ())]
    tags = [list(a.tags) for a in analyses]
    if scored:
        existing = [[str(t) for t in meta.get("tags") or []] for meta in archive]
        chosen = choose_tags([analyses[i].candidates for i in scored], existing)  # type: ignore[attr-defined]
        for i, picked in zip(scored, chosen, strict=True):
            tags[i] = picked
    return tags


def _drop_duplicates(
    pending: list[_Pending],
    store: ContentStore,
    cache: dict[str, frozenset[str]] | None,
    root: Path,
    warnings: Warnings,
    result: IngestResult,
) -> list[_Pending]:
    """New seeds that are not a story already in the archive, nor one an earlier seed (by file name) brings.

    A seed being ingested again keeps its content file; only seeds without one are checked.
    """
    if all(item.target is not None for item in pending):
        return pending
    owner: dict[str, str] = {}
    for path, keys in _content_keys(store, cache).items():
        for key in keys:
            owner.setdefault(key, _rel(path, root))
    for item in pending:
        if item.target is not None:
            for key in story_keys(escape_body(item.meta.body)):
                owner.setdefault(key, _rel(item.target, root))
    kept: list[_Pending] = []
    for item in pending:  # in seed-name order, so the first seed of a story wins on every build
        if item.target is None:
            keys = story_keys(escape_body(item.meta.body))
            first = next((owner[k] for k in sorted(keys) if k in owner), None)
            if first is not None:
                warnings.warn(item.seed_rel, f"not ingested: the same story as {first} (its text repeats that one's, "
                                             f"but for spacing, site furniture or its last paragraph); delete one of the "
                                             f"two, or make the text differ if they are different stories")
                result.duplicates.append(item.seed)
                continue
            for key in keys:
                owner.setdefault(key, item.seed_rel)
        kept.append(item)
    return kept


def ingest(
    seeds_dir: Path,
    articles_dir: Path,
    root: Path,
    analyzer_factory: Callable[[], Analyzer],
    warnings: Warnings,
    force: bool = False,
    progress: Progress | None = None,
    store: ContentStore | None = None,
    seed_hashes: dict[str, tuple[int, int, str]] | None = None,
    workers: int = 1,
    line_keys: dict[str, frozenset[int]] | None = None,
    story_cache: dict[str, frozenset[str]] | None = None,
    skip_duplicates: bool = True,
    engine: Engine | None = None,
) -> IngestResult:
    """Ingest new and changed seeds; return what was written, kept and skipped.

    `store` is the site's content (read here if not given); `seed_hashes` caches seed
    hashes by size and mtime between builds; `line_keys` caches each seed's furniture
    line keys by its SHA-256; `workers` processes analyse in parallel. With `skip_duplicates`
    (the default) a new seed that repeats a story already in the archive, or one an
    earlier seed brings, is not ingested; `story_cache` keeps each content file's story keys
    by its SHA-256 for that check. `engine`, when given, does the entity analysis instead of
    the local processes (everything else stays here, so the files written are the same).
    """
    result = IngestResult()
    seeds = seed_paths(seeds_dir)
    if not seeds:
        return result
    if store is None:
        store = ContentStore(articles_dir, root)
        store.refresh()
    existing = {Path(key): meta for key, meta in store.front_matter().items()}
    by_seed = {str(meta.get("seed")): path for path, meta in existing.items() if meta.get("seed")}
    # A file whose front matter cannot be read still holds its name, and the seed it names (when legible).
    unreadable = _unreadable_files(store)
    blocked_by_seed = {seed: path for path, seed in unreadable.items() if seed and seed not in by_seed}
    blocked_by_stem = {path.stem: path for path in unreadable}
    taken = ({str(meta.get("slug") or path.stem) for path, meta in existing.items()}
             | {Path(key).stem for key in store.entries})

    todo: list[tuple[Path, str, str, bytes | None, Path | None]] = []
    digests: dict[Path, tuple[str, bytes | None]] = {}
    for seed in seeds:
        rel = _rel(seed, root)
        digest, data = _seed_digest(seed, seed_hashes)
        digests[seed] = (digest, data)
        target = by_seed.get(rel)
        if target is None and rel in blocked_by_seed:
            _blocked_warning(warnings, rel, _rel(blocked_by_seed[rel], root))
            result.blocked.append(seed)
            continue
        if target is not None:
            if existing[target].get("seed_sha256") == digest and not force:
                result.unchanged += 1
                continue
            if store.is_hand_edited(target):
                why = "was re-ingest asked for (--force)" if force else "changed"
                warnings.warn(_rel(target, root), f"was edited by hand, so it is kept as it is although its seed {rel} {why}; delete the file to ingest the seed again")
                result.kept_edited.append(target)
                continue
        todo.append((seed, rel, digest, data, target))
    if not todo:
        return result

    texts: dict[Path, str | UnreadableSeed] = {}
    for seed, _, _, data, _ in todo:
        try:
            texts[seed] = decode_seed(data if data is not None else seed.read_bytes())
        except UnreadableSeed as exc:
            texts[seed] = exc
    model = _furniture_model(seeds, digests, texts, line_keys)

    pending: list[_Pending] = []
    for seed, rel, digest, _, target in todo:
        try:
            text = texts[seed]
            if isinstance(text, UnreadableSeed):
                raise text
            meta = extract_metadata(clean_text(text, model))
        except (UnreadableSeed, ValueError) as exc:
            warnings.warn(rel, f"skipped: {exc}")
            result.skipped.append(seed)
            continue
        if not meta.body:
            warnings.warn(rel, "skipped: the file has a title but no article text")
            result.skipped.append(seed)
            continue
        if target is None:
            base = _unique_slug(meta.title, set())
            if base in blocked_by_stem and unreadable[blocked_by_stem[base]] is None:
                # The unreadable file with this seed's slug names no legible seed: it may well be this one's.
                _blocked_warning(warnings, rel, _rel(blocked_by_stem[base], root))
                result.blocked.append(seed)
                continue
        pending.append(_Pending(seed, rel, digest, meta, target))

    if skip_duplicates:
        pending = _drop_duplicates(pending, store, story_cache, root, warnings, result)
    if not pending:
        return result
    to_analyse = [analysis_text(p.meta) for p in pending]
    if engine is not None:
        analyses = list(engine(to_analyse, analyzer_factory, progress))
        if len(analyses) != len(to_analyse):
            raise RuntimeError(f"the analysis engine returned {len(analyses)} analyses for {len(to_analyse)} texts")
    else:
        analyses = _analyse_all(to_analyse, analyzer_factory, workers, progress)
    redone = {p.target for p in pending}
    tags = _archive_tags(analyses, [meta for path, meta in existing.items() if path not in redone])

    for item, analysis, article_tags in zip(pending, analyses, tags, strict=True):
        if item.target is not None:
            slug = existing[item.target].get("slug") or item.target.stem
            path = item.target
        else:
            slug = _unique_slug(item.meta.title, taken)
            path = articles_dir / f"{slug}.md"
        taken.add(str(slug))
        meta = item.meta
        front = {
            "title": meta.title,
            "slug": str(slug),
            "date": meta.date,
            "dateline": meta.dateline,
            "source": meta.source,
            "author": meta.author,
            "summary": meta.summary,
            "tags": article_tags,
            "locations": list(analysis.locations),
            "persons": list(analysis.persons),
            "organizations": list(analysis.organizations),
            "seed": item.seed_rel,
            "seed_sha256": item.sha256,
        }
        write_atomically(path, dump_content(front, escape_body(meta.body)))
        result.written.append(path)
        log.debug("ingested %s -> %s", item.seed_rel, _rel(path, root))
    return result
