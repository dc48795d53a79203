"""The scaling benchmark's pieces that need no timing: the title and date edits, the results file, the table, the plot."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from benchmarks import bench_build, bench_scale, synth
from generator.content import split_front_matter


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    synth.write_archive(root, 12, 3)
    site = bench_build.BroadsheetSite(root)
    site.original_text = {p: p.read_text(encoding="utf-8") for p in (root / "content" / "articles").glob("*.md")}
    yield site
    for path, text in site.original_text.items():
        path.write_text(text, encoding="utf-8")


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_the_title_edit_writes_a_new_title_each_run_and_keeps_the_slug(site):
    path = sorted(site.original_text)[4]
    original = site.original_text[path]
    old_meta = split_front_matter(original)[0]
    titles = set()
    for run in range(3):
        bench_build._rewrite_title(site, path.stem, run)
        meta = split_front_matter(path.read_text(encoding="utf-8"))[0]
        assert meta["slug"] == old_meta["slug"]
        assert {k: v for k, v in meta.items() if k != "title"} == {k: v for k, v in old_meta.items() if k != "title"}
        titles.add(meta["title"])
    assert len(titles) == 3 and old_meta["title"] not in titles
    changed = [(a, b) for a, b in zip(_lines(original), _lines(path.read_text(encoding="utf-8"))) if a != b]
    assert len(changed) == 1 and changed[0][0].startswith("title:")


def test_the_date_edit_moves_the_date_to_a_new_valid_day_each_run(site):
    path = sorted(site.original_text)[7]
    original = site.original_text[path]
    old_date = split_front_matter(original)[0]["date"]
    for run in range(3):
        bench_build._move_date(site, path.stem, run)
        text = path.read_text(encoding="utf-8")
        new_date = split_front_matter(text)[0]["date"]
        if isinstance(new_date, str):
            new_date = dt.date.fromisoformat(new_date)
        assert new_date == old_date - dt.timedelta(days=bench_build.DATE_STEP_DAYS * (run + 1))
        changed = [(a, b) for a, b in zip(_lines(original), _lines(text)) if a != b]
        assert len(changed) == 1 and changed[0][0].startswith("date:")


def test_the_title_and_date_edits_pick_articles_no_other_edit_uses(site):
    paths = sorted(site.original_text)
    body, persons, _ = bench_build.pick_targets(paths)
    title, date = bench_build.pick_field_targets(paths, {body, persons})
    assert len({body, persons, title, date}) == 4
    assert bench_build.pick_field_targets(paths[:1], {paths[0].stem}) == (paths[0].stem, paths[0].stem)


def _measured(articles: int, cases: dict[str, float], commit: str = "abc1234") -> dict:
    return {
        "articles": articles, "runs": 3, "seed": 1, "commit": commit, "uncommitted_changes": False, "code": "c0de",
        "live": False, "date": "2026-11-26T01:00:00Z", "settings": [], "python": "3.11", "cpus": 2,
        "cases": {case: {"median_s": s, "min_s": s, "max_s": s, "runs_s": [s], "peak_rss_mb": 10 * s,
                         "tree_pss_mb": 20 * s, "files": 5} for case, s in cases.items()},
    }


def test_a_new_measurement_replaces_only_its_own_size_and_cases(tmp_path):
    results = {"sizes": {}}
    bench_scale.merge(results, _measured(10000, {"cold": 20.0, "no-op": 0.2}))
    bench_scale.merge(results, _measured(1000, {"cold": 2.0, "no-op": 0.1}))
    bench_scale.merge(results, _measured(1000, {"no-op": 0.3}, commit="def5678"))
    assert list(results["sizes"]) == ["1000", "10000"]
    assert results["sizes"]["1000"]["cold"]["median_s"] == 2.0 and results["sizes"]["1000"]["cold"]["commit"] == "abc1234"
    assert results["sizes"]["1000"]["no-op"]["median_s"] == 0.3 and results["sizes"]["1000"]["no-op"]["commit"] == "def5678"
    assert results["sizes"]["10000"]["cold"]["median_s"] == 20.0
    path = tmp_path / "scaling.json"
    bench_scale.save_results(path, results)
    assert bench_scale.load_results(path)["sizes"] == json.loads(json.dumps(results["sizes"]))


def test_the_table_has_a_row_per_case_and_peak_memory_and_a_column_per_size():
    results = {"sizes": {}}
    bench_scale.merge(results, _measured(1000, {"cold": 2.0, "no-op": 0.125, "title edit": 0.5}))
    bench_scale.merge(results, _measured(10000, {"cold": 21.456, "no-op": 0.2}))
    assert bench_scale.markdown_table(results).splitlines() == [
        "| case (median s) | 1,000 | 10,000 |",
        "| --- | ---: | ---: |",
        "| cold | 2.00 | 21.46 |",
        "| no-op | 0.12 | 0.20 |",
        "| title edit | 0.50 | – |",
        "| peak memory MB, largest process | 20 | 215 |",
        "| peak memory MB, all processes | 40 | 429 |",
    ]


def test_cases_may_be_given_with_or_without_quotes():
    assert bench_scale.parse_cases(["cold,no-op,body", "edit,title", "edit"]) == ["cold", "no-op", "body edit", "title edit"]
    assert bench_scale.parse_cases(["cold, date edit"]) == ["cold", "date edit"]


def test_the_plot_is_written_as_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    results = {"sizes": {}}
    bench_scale.merge(results, _measured(200, {"cold": 1.8, "no-op": 0.15}))
    bench_scale.merge(results, _measured(500, {"cold": 3.1, "no-op": 0.16}))
    path = tmp_path / "scaling.png"
    bench_scale.draw_plot(results, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
