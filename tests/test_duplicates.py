"""The same story arriving twice is ingested once; different stories with one title keep their own slugs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import load_config
from generator.content import split_front_matter
from generator.errors import Warnings
from generator.ingest import ingest
from generator.ingest.stage import story_keys
from generator.pipeline import Builder
from tests.helpers import REPO


@dataclass(frozen=True)
class _Analysis:
    persons: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ("news",)


class FakeAnalyzer:
    """No entities, no model: these tests are about which seeds become files."""

    def analyse(self, texts):
        return [_Analysis() for _ in texts]


STORY = """Port workers end nine-day strike

Dock workers in Rotterdam voted on Thursday to end a nine-day strike that had idled the
largest port in Europe, their union said.

The agreement gives the workers a pay rise of 3 percent this year and a further 2 percent
next year, and guarantees jobs until the end of the decade.

Shipping lines had diverted dozens of vessels to Antwerp and Hamburg during the stoppage,
and the port authority said it expected the backlog to clear within a week.

Union leaders said members had accepted the offer by a large majority.
"""

OTHER = """Council approves new bridge

The city council approved plans for a new bridge over the river on Wednesday after a
debate that lasted most of the night.

Construction is expected to start next spring and to take about three years, the council
said, and the old ferry will keep running until the bridge opens.

Residents of the east bank had campaigned for a crossing for more than twenty years.
"""


def run(root: Path, force: bool = False):
    warnings = Warnings()
    result = ingest(root / "seeds", root / "content" / "articles", root, FakeAnalyzer, warnings, force=force,
                    skip_duplicates=True)
    return result, warnings


def seed(root: Path, name: str, text: str) -> Path:
    path = root / "seeds" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files(root: Path) -> dict[str, str]:
    """Content file name -> the seed it came from."""
    out = {}
    for path in sorted((root / "content" / "articles").glob("*.md")):
        out[path.name] = split_front_matter(path.read_text(encoding="utf-8"))[0]["seed"]
    return out


def reflowed(text: str) -> str:
    """The same words, wrapped differently and with stray spaces."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join("  " + p.replace(". ", ".   ", 1) + "  " for p in paragraphs) + "\n"


@pytest.mark.parametrize("variant", [
    pytest.param(lambda t: t, id="identical"),
    pytest.param(reflowed, id="whitespace"),
    pytest.param(lambda t: t.replace("\n\nThe agreement", "\n\nAdvertisement\n\nThe agreement")
                 + "\nSubscribe to our newsletter for more news!\n", id="furniture"),
    pytest.param(lambda t: t.replace("by a large majority.", "by 812 votes to 94."), id="last-line-changed"),
    pytest.param(lambda t: t + "\nThis story has been updated.\n", id="line-added"),
    pytest.param(lambda t: t.rsplit("\n\n", 1)[0] + "\n", id="last-line-dropped"),
])
def test_the_same_story_under_another_name_is_ingested_once(tmp_path, variant):
    seed(tmp_path, "a-strike.txt", STORY)
    seed(tmp_path, "b-strike-again.txt", variant(STORY))
    seed(tmp_path, "c-bridge.txt", OTHER)
    result, warnings = run(tmp_path)
    assert files(tmp_path) == {"port-workers-end-nine-day-strike.md": "seeds/a-strike.txt",
                               "council-approves-new-bridge.md": "seeds/c-bridge.txt"}
    assert [p.name for p in result.duplicates] == ["b-strike-again.txt"]
    [message] = [m for m in warnings.messages if "same story" in m]
    assert "seeds/b-strike-again.txt" in message and "seeds/a-strike.txt" in message


def test_a_new_seed_that_repeats_an_ingested_article_gets_no_file(tmp_path):
    seed(tmp_path, "m-strike.txt", STORY)
    run(tmp_path)
    before = files(tmp_path)
    # Sorts before the ingested seed, yet the article already published keeps its place.
    seed(tmp_path, "a-strike-copy.txt", reflowed(STORY))
    for _ in range(2):
        result, warnings = run(tmp_path)
        assert files(tmp_path) == before
        assert [p.name for p in result.duplicates] == ["a-strike-copy.txt"]
        [message] = [m for m in warnings.messages if "same story" in m]
        assert "seeds/a-strike-copy.txt" in message and "content/articles/port-workers-end-nine-day-strike.md" in message


def test_the_first_seed_by_name_wins_on_every_build(tmp_path):
    seed(tmp_path, "b.txt", STORY)
    seed(tmp_path, "a.txt", STORY.replace("Port workers", "Dock workers"))
    run(tmp_path)
    first = files(tmp_path)
    assert first == {"dock-workers-end-nine-day-strike.md": "seeds/a.txt"}
    run(tmp_path, force=True)
    assert files(tmp_path) == first
    shutil.rmtree(tmp_path / "content")
    run(tmp_path)
    assert files(tmp_path) == first


def test_stories_that_share_only_a_lead_are_kept_apart(tmp_path):
    lead = "Dock workers in Rotterdam voted on Thursday to end a nine-day strike, their union said."
    seed(tmp_path, "a.txt", f"Strike ends\n\n{lead}\n\nThe port reopened at noon.\n")
    seed(tmp_path, "b.txt", f"Strike over\n\n{lead}\n\nShipping lines welcomed the news.\n")
    result, _ = run(tmp_path)
    assert len(result.written) == 2 and result.duplicates == []


def test_stories_that_end_in_different_long_paragraphs_are_kept_apart(tmp_path):
    """Only a trailing line may differ: a new long ending makes another story, even with the same opening."""
    opening = STORY.rsplit("\n\n", 1)[0]
    seed(tmp_path, "a.txt", opening + "\n\nUnion leaders said members had accepted the offer. They warned that a new "
         "dispute over pensions could follow within months, and that the port authority's plans for automated cranes would be opposed at every step, in the courts and at the gates.\n")
    seed(tmp_path, "b.txt", opening + "\n\nThe port authority said talks on automation would start in June, "
         "and that no jobs would be lost before 2025; shipping lines asked for compensation for the days lost, "
         "and the city council called for an inquiry into how the dispute was handled.\n")
    result, _ = run(tmp_path)
    assert len(result.written) == 2 and result.duplicates == []


def test_story_keys_ignore_case_spacing_and_escaping():
    assert story_keys("One *two*\n\nThree\n") == story_keys("one \\*two\\*\n\n\n  three  \n")
    long = ["A paragraph of the story with enough words in it to count. " * 3] * 3
    assert story_keys("\n\n".join([*long, "Old end."])) & story_keys("\n\n".join([*long, "New end."]))
    assert not story_keys("Short lead.\n\nOld end.") & story_keys("Short lead.\n\nNew end.")
    assert story_keys("") == frozenset()


def test_one_title_two_articles_keep_their_slugs_across_rebuilds(tmp_path):
    seed(tmp_path, "b-minister.txt", "Minister resigns\n\nThe transport minister resigned on Monday after a row over rail fares.\n")
    seed(tmp_path, "c-minister.txt", "Minister resigns\n\nThe health minister resigned on Friday, citing family reasons.\n")
    run(tmp_path)
    first = files(tmp_path)
    assert first == {"minister-resigns.md": "seeds/b-minister.txt", "minister-resigns-2.md": "seeds/c-minister.txt"}
    run(tmp_path, force=True)
    assert files(tmp_path) == first
    # A third article with the title, sorting first, takes a new slug and leaves the others where they are.
    seed(tmp_path, "a-minister.txt", "Minister resigns\n\nThe finance minister resigned after the budget vote.\n")
    run(tmp_path)
    assert files(tmp_path) == {**first, "minister-resigns-3.md": "seeds/a-minister.txt"}
    run(tmp_path, force=True)
    assert files(tmp_path) == {**first, "minister-resigns-3.md": "seeds/a-minister.txt"}
    # From nothing, the same seeds give the same slugs every time.
    shutil.rmtree(tmp_path / "content")
    run(tmp_path)
    cold = files(tmp_path)
    shutil.rmtree(tmp_path / "content")
    run(tmp_path)
    assert files(tmp_path) == cold


def test_the_build_checks_new_seeds_against_the_archive_from_its_cache(tmp_path):
    shutil.copy(REPO / "site.toml", tmp_path / "site.toml")
    seed(tmp_path, "strike.txt", STORY)
    seed(tmp_path, "bridge.txt", OTHER)
    Builder(load_config(tmp_path), analyzer_factory=FakeAnalyzer, workers=1).build()
    assert (tmp_path / ".broadsheet-cache" / "stories.pickle").is_file()
    seed(tmp_path, "strike-copy.txt", STORY + "\nThis story has been updated.\n")
    result = Builder(load_config(tmp_path), analyzer_factory=FakeAnalyzer, workers=1).build()
    assert [p.name for p in result.ingest.duplicates] == ["strike-copy.txt"]
    assert result.articles == 2
    assert any("seeds/strike-copy.txt" in m and "same story" in m for m in result.warnings.messages)


def test_the_ingest_summary_counts_the_duplicates_left_out(tmp_path, capsys):
    from generator.cli import main

    shutil.copy(REPO / "site.toml", tmp_path / "site.toml")
    seed(tmp_path, "a-strike.txt", STORY)
    seed(tmp_path, "b-strike-again.txt", STORY)
    assert main(["ingest", "--root", str(tmp_path)]) == 0
    assert "1 duplicate(s) left out" in capsys.readouterr().out
