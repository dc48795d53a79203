"""Publishing is atomic: a build killed at any moment leaves `public/` as the old site or the new one.

Builds run in a subprocess that SIGKILLs itself at a named point of publishing
(`BROADSHEET_TEST_KILL_AT`, see generator/render.py) or is killed from outside after a
delay; `BROADSHEET_NO_EXCHANGE=1` forces the two-rename swap used where Linux's
renameat2(RENAME_EXCHANGE) is not available.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import BuildError
from generator.pipeline import Builder
from generator.render import recover_output
from generator.state import BuildLock
from tests.helpers import REPO
from tests.test_incremental import build, cold_copy, make_site, tree, write_article

POINTS = ["rendered", "linking", "staged", "swapped", "published"]


def run_build(root: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def start_build(root: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"], cwd=REPO,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def edit(root: Path) -> None:
    """One body edit, one new article and one deleted article: changed, new and stale pages."""
    write_article(root, "story-03", "Story number 3", "2016-04-04", ["Person 3", "Anke de Vries"],
                  ["topic 3", "ports"], "An edited body of story 3. Different text.")
    write_article(root, "story-new", "A new story", "2017-01-02", ["Person 1"], ["topic 1"], "Brand new. Text.")
    (root / "content" / "articles" / "story-07.md").unlink()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".public-"))


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """Per article count: a built site with edited content (kept aside), its output, and the cold build of the edit.

    Tests get a fresh copy at the same path (the build state is keyed by the output's path).
    """
    base = tmp_path_factory.mktemp("atomic")
    made: dict[int, tuple[Path, Path, dict, dict]] = {}

    def get(count: int) -> tuple[Path, dict, dict]:
        if count not in made:
            root = base / f"site{count}"
            make_site(root, count=count)
            build(root)
            # A second build, so the site before the live one is kept as the spare tree the next build starts from.
            write_article(root, "story-01", "Story number 1", "2016-02-02", ["Person 1"], ["ports"], "Edited once. Text.")
            build(root)
            assert list((root / ".broadsheet-cache").glob("spare-*"))
            old = tree(root / "public")
            edit(root)
            new = cold_copy(root, base / f"cold{count}")
            assert new != old
            shutil.copytree(root, base / f"template{count}", symlinks=True)
            made[count] = (root, base / f"template{count}", old, new)
        root, template, old, new = made[count]
        shutil.rmtree(root)
        shutil.copytree(template, root, symlinks=True)
        return root, old, new

    return get


@pytest.fixture
def edited_site(templates):
    return templates(30)


def check_killed_then_finished(root: Path, old: dict, new: dict, result: subprocess.CompletedProcess | None = None) -> None:
    if result is not None:
        assert result.returncode == -signal.SIGKILL, result.stderr
    after = tree(root / "public")
    assert after in (old, new), "public/ is a mix of the old and the new site"
    # The next build recovers: exactly the new site, and no staging folder left behind.
    build(root)
    assert tree(root / "public") == new
    assert leftovers(root) == []


@pytest.mark.parametrize("point", POINTS)
def test_incremental_build_killed_at_each_point_leaves_old_or_new(edited_site, point):
    root, old, new = edited_site
    result = run_build(root, BROADSHEET_TEST_KILL_AT=point)
    check_killed_then_finished(root, old, new, result)
    if point in ("rendered", "linking", "staged"):
        assert tree(root / "public") == new  # (after the finishing build)


@pytest.mark.parametrize("point", ["linking", "between-renames", "swapped"])
def test_two_rename_fallback_killed_is_recovered(edited_site, point):
    root, old, new = edited_site
    result = run_build(root, BROADSHEET_TEST_KILL_AT=point, BROADSHEET_NO_EXCHANGE="1")
    assert result.returncode == -signal.SIGKILL, result.stderr
    if point == "between-renames":
        # The documented window: public/ is briefly missing; the next build puts the old site back first.
        assert not (root / "public").exists()
        assert recover_output(root / "public")
        assert tree(root / "public") == old
    check_killed_then_finished(root, old, new)


def test_recovery_happens_before_a_no_op_check(edited_site):
    root, old, new = edited_site
    build(root)  # the new site is live and stamped
    write_article(root, "story-04", "Story number 4", "2016-05-05", ["Person 4"], ["ports"], "Edited again. Yes.")
    result = run_build(root, BROADSHEET_TEST_KILL_AT="between-renames", BROADSHEET_NO_EXCHANGE="1")
    assert result.returncode == -signal.SIGKILL
    assert not (root / "public").exists()
    assert run_build(root).returncode == 0
    assert tree(root / "public") == cold_copy(root, root.parent / "cold2")
    assert leftovers(root) == []


@pytest.mark.parametrize("point", ["rendered", "swapped"])
def test_cold_build_killed_leaves_old_or_new(edited_site, point):
    root, old, new = edited_site
    shutil.rmtree(root / ".broadsheet-cache")  # no manifest: the whole site is rendered again
    result = run_build(root, BROADSHEET_TEST_KILL_AT=point)
    check_killed_then_finished(root, old, new, result)


def test_first_build_killed_leaves_no_output_or_the_whole_site(tmp_path):
    root = make_site(tmp_path / "site")
    new = cold_copy(root, tmp_path / "cold")
    for point in ("rendered", "published"):
        result = run_build(root, BROADSHEET_TEST_KILL_AT=point)
        assert result.returncode == -signal.SIGKILL
        assert not (root / "public").exists() if point == "rendered" else tree(root / "public") == new
    build(root)
    assert tree(root / "public") == new and leftovers(root) == []


def test_first_build_over_an_old_database_killed_after_adding_its_rows(edited_site):
    """A first build (here: the output deleted, the database of earlier builds kept) empties the database and
    adds its rows as it makes them; killed before it records the build, the database holds no build, so the
    next one starts again from nothing rather than trusting half a build's rows."""
    import sqlite3

    root, old, new = edited_site
    shutil.rmtree(root / "public")
    result = run_build(root, BROADSHEET_TEST_KILL_AT="published")
    assert result.returncode == -signal.SIGKILL
    assert tree(root / "public") == new
    [database] = (root / ".broadsheet-cache").glob("build-*.sqlite")
    with sqlite3.connect(database) as conn:
        assert [key for (key,) in conn.execute("SELECT key FROM meta")] == ["version"]
        assert conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0] > 0  # the rows it had added
    write_article(root, "story-05", "Story number 5, edited", "2016-06-06", ["Person 5"], ["ports"], "Edited. Text.")
    build(root)
    assert tree(root / "public") == cold_copy(root, root.parent / "cold-after")
    write_article(root, "story-06", "Story number 6, edited", "2016-07-07", ["Person 6"], ["ports"], "Edited. Too.")
    build(root)
    assert tree(root / "public") == cold_copy(root, root.parent / "cold-after-2")


@pytest.mark.parametrize("delay_ms", [60, 180, 300])
def test_killed_from_outside_after_a_delay(templates, delay_ms):
    """An incremental build of 150 articles takes about 0.35 s in a fresh process: kills land all along it."""
    root, old, new = templates(150)
    proc = start_build(root)
    time.sleep(delay_ms / 1000)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    check_killed_then_finished(root, old, new)


def test_second_build_gets_the_lock_message(site_with_output):
    root = site_with_output
    holder = BuildLock(root)
    holder.acquire()  # what a running build holds
    try:
        result = run_build(root)
        assert result.returncode == 1
        assert (f"another build of this site is running (pid {os.getpid()}); wait for it or remove "
                ".broadsheet-cache/build.lock if it is stale") in result.stderr
        with pytest.raises(BuildError, match="another build of this site is running"):
            Builder(load_config(root), workers=1).build(force=True)
    finally:
        holder.release()
    assert run_build(root).returncode == 0


def test_concurrent_builds_do_not_corrupt_each_other(edited_site):
    root, old, new = edited_site
    procs = [start_build(root) for _ in range(3)]
    codes = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        codes.append(proc.returncode)
        assert proc.returncode == 0 or "another build of this site is running" in err
    assert 0 in codes
    assert tree(root / "public") == new and leftovers(root) == []


def test_stale_lock_of_a_dead_process_is_taken_over(site_with_output):
    root = site_with_output
    build(root)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    lock = root / ".broadsheet-cache" / "build.lock"
    lock.write_text(f"{pid}\n")
    write_article(root, "story-01", "Story one, edited", "2016-02-02", ["Person 1"], ["ports"], "Edited. Text.")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert "Story one, edited" in (root / "public" / "articles" / "story-01" / "index.html").read_text()


def test_unchanged_pages_are_hard_links_of_the_live_files(edited_site):
    root, old, new = edited_site
    # An article page the edit does not change (related lists follow added and deleted stories).
    page = next(root / "public" / p for p in sorted(new) if p.startswith("articles/") and old.get(p) == new[p])
    before = page.stat()
    build(root)
    after = page.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_successive_edit_builds_from_the_spare_never_touch_the_live_site(edited_site, tmp_path):
    """Each build starts from the spare (the site before the live one); the live files must never change under it."""
    root, old, new = edited_site
    for round_, slug in enumerate(["story-03", "story-05", "story-03", "story-new"]):
        live = tree(root / "public")
        write_article(root, slug, f"Round {round_}", "2016-06-06", ["Person 2"], ["ports", f"t{round_}"], f"Round {round_}. Text.")
        build(root)
        # The live site of before is now the spare, byte for byte: nothing was written through a hard link.
        (spare,) = (root / ".broadsheet-cache").glob("spare-*")
        assert tree(spare) == live
        assert tree(root / "public") == cold_copy(root, tmp_path / f"cold-{round_}")


@pytest.fixture
def site_with_output(edited_site):
    return edited_site[0]
