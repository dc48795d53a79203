"""The benchmarks' synthetic archive: valid content files, deterministic, and a site that builds.

Timings are never asserted here; the benchmark scripts print them.
"""

from collections import Counter
from pathlib import Path

import pytest

from benchmarks import synth
from generator.archive import term_slug
from generator.cli import main
from generator.content import load_articles, split_front_matter
from generator.errors import Warnings

ARTICLES = 30


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    synth.write_archive(root, ARTICLES, seed=7)
    return root


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(archive, tmp_path):
    again = synth.write_archive(tmp_path / "again", ARTICLES, seed=7)
    first = sorted((archive / "content" / "articles").glob("*.md"))
    assert [p.name for p in again] == [p.name for p in first]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, again))
    other = synth.write_archive(tmp_path / "other", ARTICLES, seed=8)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_the_loader_reads_every_file_with_its_taxonomies(archive):
    warnings = Warnings()
    articles = load_articles(archive / "content" / "articles", archive, warnings)
    assert len(warnings) == 0, warnings.messages
    assert len(articles) == ARTICLES
    for article in articles:
        assert article.title and article.summary and article.date is not None
        assert 3 <= len(article.tags) <= 8
        assert 1 <= len(article.locations) <= 4
        assert 1 <= len(article.persons) <= 5
        assert "<p>" in article.body_html
    # Zipf-skewed: the most used tag is far more common than the typical one.
    counts = sorted(Counter(tag for article in articles for tag in article.tags).values())
    assert counts[-1] >= 2 * counts[len(counts) // 2]


def test_files_are_in_the_content_format_without_seeds(archive):
    assert not (archive / "seeds").exists()
    for path in (archive / "content" / "articles").glob("*.md"):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        assert meta["slug"] == path.stem
        assert "seed" not in meta and "seed_sha256" not in meta
        assert set(meta) >= {"title", "slug", "date", "summary", "tags", "locations", "persons", "organizations"}
        assert 600 <= len(body.split()) <= 800
        assert body.count("\n\n") >= 2  # several paragraphs


def test_the_synthetic_site_builds_a_page_for_each_article(archive):
    assert 'theme = "bench"' in (archive / "site.toml").read_text(encoding="utf-8")
    assert (archive / synth.BENCH_TEMPLATE).is_file()
    assert main(["--root", str(archive), "-q"]) == 0
    public = archive / "public"
    for path in (archive / "content" / "articles").glob("*.md"):
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        page = public / "articles" / meta["slug"] / "index.html"
        assert page.is_file()
        html = page.read_text(encoding="utf-8")
        for person in meta["persons"]:
            assert f'href="/persons/{term_slug(person)}/"' in html
            assert (public / "persons" / term_slug(person) / "index.html").is_file()
