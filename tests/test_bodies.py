"""Article bodies stay on disk: the archive in memory carries front matter alone, the pages carry the bodies."""

from __future__ import annotations

import shutil

from generator.bodies import FILE_NAME
from generator.config import load_config
from generator.errors import Warnings
from generator.pipeline import Builder
from tests.helpers import site_digests as tree
from tests.test_edit_sequences import _line, _rewrite
from tests.test_incremental import cold_copy, make_site


def _settings(root, extra: str) -> None:
    config = root / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_the_archive_in_memory_leaves_bodies_on_disk_and_the_pages_show_them(tmp_path):
    root = make_site(tmp_path / "site", count=12)
    builder = Builder(load_config(root), workers=1)
    builder.build()
    articles = builder.store.articles(Warnings())
    assert len(articles) == 12 and all(a.body_html == "" and a.body_key for a in articles)
    page = (root / "public" / "articles" / "story-03" / "index.html").read_text(encoding="utf-8")
    assert "Body of story 3." in page
    # Without the cache, bodies stay in the articles: the same site either way.
    copy = tmp_path / "nocache"
    shutil.copytree(root / "content", copy / "content")
    shutil.copy(root / "site.toml", copy / "site.toml")
    Builder(load_config(copy), workers=1, use_cache=False).build()
    assert tree(copy / "public") == tree(root / "public")


def test_a_lost_body_store_costs_a_slower_build_not_a_wrong_page(tmp_path):
    root = make_site(tmp_path / "site", count=12)
    builder = Builder(load_config(root), workers=1)
    builder.build()
    store = builder.state.dir / FILE_NAME
    assert store.is_file()
    for suffix in ("", "-wal", "-shm"):
        store.with_name(store.name + suffix).unlink(missing_ok=True)
    path = root / "content" / "articles" / "story-03.md"
    _rewrite(path, _line(path, "title"), "title: A headline for a page read again")
    Builder(load_config(root), workers=1).build()  # story-03's page and the pages listing it are rendered again
    page = (root / "public" / "articles" / "story-03" / "index.html").read_text(encoding="utf-8")
    assert "A headline for a page read again" in page and "Body of story 3." in page
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")


def test_bodies_read_by_parallel_workers_reach_their_pages(tmp_path):
    """Past a few hundred files the content is read by forked workers, which store the bodies themselves."""
    root = make_site(tmp_path / "site", count=420, people=40)
    _settings(root, "search = false\napi = false\ncharts = false\nrelated = 0\n")
    builder = Builder(load_config(root), workers=2)
    builder.build()
    assert builder.content_read == 420
    assert all(a.body_key for a in builder.store.articles(Warnings()))
    for n in (0, 211, 419):
        page = (root / "public" / "articles" / f"story-{n:02d}" / "index.html").read_text(encoding="utf-8")
        assert f"Body of story {n}." in page


def test_a_build_leaves_its_databases_logs_folded_in_and_an_edit_still_builds_right(tmp_path, monkeypatch):
    """SQLite keeps a write-ahead log at the largest size a build made it (as large as the database after a first
    build); a build folds a log past `WAL_KEEP` into its database. With the limit at nothing, every log is empty
    after a build, and the next edit builds what a build from nothing would."""
    import generator.builddb as builddb

    monkeypatch.setattr(builddb, "WAL_KEEP", 0)
    root = make_site(tmp_path / "site", count=12)
    Builder(load_config(root), workers=1).build()
    logs = sorted((root / ".broadsheet-cache").glob("*.sqlite-wal"))
    assert len(logs) == 2 and logs[0].name == FILE_NAME + "-wal" and logs[1].name.startswith("build-")
    assert all(log.stat().st_size == 0 for log in logs)
    path = root / "content" / "articles" / "story-05.md"
    _rewrite(path, _line(path, "title"), "title: A headline written after the logs were folded")
    Builder(load_config(root), workers=1).build()
    assert all(log.stat().st_size == 0 for log in logs)
    assert tree(root / "public") == cold_copy(root, tmp_path / "cold")
