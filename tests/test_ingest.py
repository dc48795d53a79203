import shutil
from pathlib import Path

import pytest

from generator.content import split_front_matter
from generator.errors import Warnings
from generator.ingest import ingest
from tests.helpers import FIXTURES


@pytest.fixture
def site(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    return tmp_path


def run(site: Path, analyzer, force=False):
    warnings = Warnings()
    result = ingest(site / "seeds", site / "content" / "articles", site, lambda: analyzer, warnings, force=force)
    return result, warnings


def front(site: Path, slug: str) -> dict:
    return split_front_matter((site / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8"))[0]


def body(site: Path, slug: str) -> str:
    return split_front_matter((site / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8"))[1]


def test_every_readable_seed_becomes_a_content_file_and_bad_ones_are_named(site, analyzer):
    result, warnings = run(site, analyzer)
    assert len(result.written) == 8
    assert sorted(p.name for p in result.skipped) == ["binary.txt", "empty.txt"]
    assert any("seeds/binary.txt" in m and "binary" in m for m in warnings.messages)
    assert any("seeds/empty.txt" in m and "empty" in m for m in warnings.messages)


def test_front_matter_follows_the_schema(site, analyzer):
    run(site, analyzer)
    meta = front(site, "harbour-pilots-vote-to-strike")
    assert meta["title"] == "Harbour pilots vote to strike"
    assert meta["author"] == "Maria Lopes"
    assert meta["dateline"] == "Lisbon" and meta["source"] == "Associated Press"
    assert str(meta["date"]) == "2019-03-04"
    assert meta["seed"] == "seeds/bom-crlf.txt" and len(meta["seed_sha256"]) == 64
    assert meta["summary"].startswith("Harbour pilots at the port of Lisbon voted")
    assert "Lisbon" in meta["locations"]
    assert 3 <= len(meta["tags"]) <= 8
    assert "Maria Lopes" not in body(site, "harbour-pilots-vote-to-strike")
    assert "LISBON (AP)" not in body(site, "harbour-pilots-vote-to-strike")


def test_legacy_encoding_survives_into_content(site, analyzer):
    run(site, analyzer)
    meta = front(site, "cafe-owners-welcome-new-rules")
    assert meta["title"] == "Café owners “welcome” new rules"
    assert str(meta["date"]) == "2021-03-01"
    assert "city’s mayor" in body(site, "cafe-owners-welcome-new-rules")


def test_boilerplate_is_gone_and_the_publisher_is_the_source(site, analyzer):
    run(site, analyzer)
    text = body(site, "storm-closes-schools-across-the-region")
    assert "Subscribe" not in text and "Advertisement" not in text and "Read more" not in text
    assert front(site, "storm-closes-schools-across-the-region")["source"] == "Daily Courier"


def test_undated_seed_has_no_date(site, analyzer):
    run(site, analyzer)
    assert "date" not in front(site, "storm-closes-schools-across-the-region")


def test_duplicate_titles_get_distinct_stable_slugs(site, analyzer):
    run(site, analyzer)
    first, second = front(site, "minister-resigns"), front(site, "minister-resigns-2")
    assert first["seed"] == "seeds/duplicate-title-a.txt"
    assert second["seed"] == "seeds/duplicate-title-b.txt"
    # Re-ingesting everything keeps each seed on its slug.
    run(site, analyzer, force=True)
    assert front(site, "minister-resigns")["seed"] == "seeds/duplicate-title-a.txt"


def test_unchanged_seeds_are_not_ingested_again(site, analyzer):
    run(site, analyzer)
    result, _ = run(site, analyzer)
    assert result.written == [] and result.unchanged == 8


def test_a_changed_seed_is_ingested_again(site, analyzer):
    run(site, analyzer)
    seed = site / "seeds" / "hard-wrapped.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe mayor welcomed the decision.\n", encoding="utf-8")
    result, _ = run(site, analyzer)
    assert [p.name for p in result.written] == ["council-approves-new-bridge-over-the-river.md"]
    assert "The mayor welcomed the decision." in body(site, "council-approves-new-bridge-over-the-river")


def test_a_hand_edited_file_is_never_overwritten(site, analyzer):
    run(site, analyzer)
    path = site / "content" / "articles" / "council-approves-new-bridge-over-the-river.md"
    edited = path.read_text(encoding="utf-8").replace("approved on Wednesday", "approved on Tuesday")
    path.write_text(edited, encoding="utf-8")
    seed = site / "seeds" / "hard-wrapped.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    for force in (False, True):
        result, warnings = run(site, analyzer, force=force)
        assert path.read_text(encoding="utf-8") == edited
        assert path in result.kept_edited
        assert any("council-approves-new-bridge-over-the-river.md" in m and "edited by hand" in m for m in warnings.messages)


def test_markdown_hazards_render_literally(site, analyzer):
    from generator.markup import MarkdownRenderer
    from tests.helpers import strip_tags

    run(site, analyzer)
    html = MarkdownRenderer().render(body(site, "budget-b-shock-b-the-markets"))
    assert "<script" not in html and "<b>" not in html and "<ol" not in html and "<ul" not in html
    assert "<h1" not in html and "<blockquote" not in html and "<em>" not in html
    text = strip_tags(html)
    for line in ("2007. That was", "# of votes", "* Not a bullet", "> Not a quote", "1) Not a list",
                 "file_name_here and 2*3*4", '<script>alert("x")</script> stays text'):
        assert line in text


BRIDGE = "council-approves-new-bridge-over-the-river"


def break_front_matter(path: Path, keep_seed_line: bool = True) -> str:
    """An editor's save that leaves the front matter unreadable (and, optionally, the seed line mangled too)."""
    text = path.read_text(encoding="utf-8").replace("title: ", "title: [unclosed ", 1)
    text = text.replace("approved on Wednesday", "approved on Tuesday")
    if not keep_seed_line:
        text = text.replace("seed: seeds/", "sed seeds/", 1)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("keep_seed_line", [True, False], ids=["seed-line-legible", "seed-line-mangled"])
def test_a_file_with_unreadable_front_matter_is_never_overwritten(site, analyzer, keep_seed_line):
    run(site, analyzer)
    articles = site / "content" / "articles"
    path = articles / f"{BRIDGE}.md"
    edited = break_front_matter(path, keep_seed_line)
    before = sorted(p.name for p in articles.glob("*.md"))
    seed = site / "seeds" / "hard-wrapped.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    for force in (False, True):
        result, warnings = run(site, analyzer, force=force)
        assert path.read_text(encoding="utf-8") == edited
        assert sorted(p.name for p in articles.glob("*.md")) == before  # no second copy either
        assert [p.name for p in result.blocked] == ["hard-wrapped.txt"]
        [message] = [m for m in warnings.messages if "hard-wrapped" in m]
        assert f"fix the front matter of content/articles/{BRIDGE}.md" in message
        assert "delete it to ingest seeds/hard-wrapped.txt again" in message


def test_deleting_the_unreadable_file_ingests_its_seed_again(site, analyzer):
    run(site, analyzer)
    path = site / "content" / "articles" / f"{BRIDGE}.md"
    break_front_matter(path)
    run(site, analyzer)
    path.unlink()
    result, warnings = run(site, analyzer)
    assert [p.name for p in result.written] == [f"{BRIDGE}.md"]
    assert front(site, BRIDGE)["seed"] == "seeds/hard-wrapped.txt"
    assert not any("front matter" in m for m in warnings.messages)


def test_an_unreadable_file_keeps_its_name_from_other_seeds(site, analyzer):
    """A new seed whose title gives the unreadable file's slug takes another slug, not the file."""
    run(site, analyzer)
    path = site / "content" / "articles" / f"{BRIDGE}.md"
    edited = break_front_matter(path)
    (site / "seeds" / "zz-another-bridge.txt").write_text(
        "Council approves new bridge over the river\n\nA second town's council also voted for a bridge, "
        "in a different valley, on Friday.\n", encoding="utf-8")
    result, _ = run(site, analyzer)
    assert path.read_text(encoding="utf-8") == edited
    assert [p.name for p in result.written] == [f"{BRIDGE}-2.md"]
    assert front(site, f"{BRIDGE}-2")["seed"] == "seeds/zz-another-bridge.txt"
