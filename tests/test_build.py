"""End to end: `python build.py` on a temporary site, checked as a reader and an editor would."""

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.content import split_front_matter
from tests.helpers import FIXTURES, REPO, parse, site_files, visible_text

SEED_SLUG = "pakistani-commandos-storm-red-mosque-in-islamabad-where-150-hostages-held"


def make_site(root: Path, with_fixtures: bool = True) -> Path:
    shutil.copytree(REPO / "seeds", root / "seeds")
    if with_fixtures:
        for seed in (FIXTURES / "seeds").iterdir():
            shutil.copy(seed, root / "seeds" / seed.name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    return root


def tree_digest(folder: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in site_files(folder).items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory, analyzer):
    """One site built from the seed article and the fixture seeds, shared by the read-only tests."""
    root = make_site(tmp_path_factory.mktemp("site"))
    assert main(["--root", str(root), "-q"]) == 0
    return root


def seed_front(root: Path) -> dict:
    return split_front_matter((root / "content" / "articles" / f"{SEED_SLUG}.md").read_text(encoding="utf-8"))[0]


def test_seed_article_front_matter(built):
    meta = seed_front(built)
    assert meta["title"] == "Pakistani commandos storm Red Mosque in Islamabad where 150 hostages held captive"
    assert meta["source"] == "Pravda.Ru"
    assert "date" not in meta  # the text gives no year, so no date is invented
    persons = meta["persons"]
    for name in ("Pervez Musharraf", "Abdul Rashid Ghazi", "Waheed Arshad", "Shaukat Aziz"):
        assert name in persons
    for bare in ("Musharraf", "Ghazi", "Arshad", "Aziz", "Hussain", "Azim", "Mahmood", "Bajur"):
        assert bare not in persons
    assert {"Islamabad", "Pakistan"} <= set(meta["locations"])
    assert not {"Twitter", "YouTube", "Facebook", "Telegram"} & set(meta["persons"] + meta["organizations"])


def test_seed_article_page_reads_right(built):
    page = built / "public" / "articles" / SEED_SLUG / "index.html"
    text = visible_text(page)
    assert "Pakistani commandos storm Red Mosque in Islamabad" in text
    assert "Subscribe" not in text
    assert "Pravda.Ru" in text
    assert "Undated" in text
    assert parse(page).tags.count("h1") == 1
    links = parse(page).links
    assert "/persons/pervez-musharraf/" in links and "/locations/islamabad/" in links


def test_person_page_links_to_the_article(built):
    page = built / "public" / "persons" / "pervez-musharraf" / "index.html"
    assert f"/articles/{SEED_SLUG}/" in parse(page).links
    assert "Pervez Musharraf" in visible_text(page)


def test_every_internal_link_resolves(built):
    public = built / "public"
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for link in parse(page).links:
            if link.startswith(("http://", "https://", "mailto:", "#", "data:")):
                continue
            assert link.startswith("/"), f"{page}: relative link {link}"
            target = public / link.split("#")[0].lstrip("/")
            assert target.is_file() or (target / "index.html").is_file(), f"{page.relative_to(public)} -> {link}"


def test_no_page_asks_another_host_for_anything(built):
    for page in (built / "public").rglob("*.html"):
        for link in parse(page).links:
            assert not link.startswith(("http://", "https://", "//")) or "<link" not in link
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text
        # Scripts only on the search page, and only the site's own.
        scripts = re.findall(r'<script src="([^"]*)"', text)
        assert all(src.startswith("/") and not src.startswith("//") for src in scripts), page
        assert not scripts or page == built / "public" / "search" / "index.html", page


def test_the_hostile_title_is_escaped_everywhere(built):
    for page in (built / "public").rglob("*.html"):
        assert "<b>shock</b>" not in page.read_text(encoding="utf-8")
    assert "<script>alert" not in "".join(p.read_text(encoding="utf-8") for p in (built / "public").rglob("*.html"))


def test_a_second_build_changes_nothing_and_matches_a_cold_build(built, tmp_path):
    before = tree_digest(built / "public")
    assert main(["--root", str(built), "-q"]) == 0
    assert tree_digest(built / "public") == before
    cold = make_site(tmp_path / "cold")
    assert main(["--root", str(cold), "-q"]) == 0
    assert tree_digest(cold / "public") == before


def test_strict_fails_on_bad_seeds_and_leaves_public_alone(built, capsys):
    before = tree_digest(built / "public")
    assert main(["--root", str(built), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "seeds/binary.txt" in err and "seeds/empty.txt" in err
    assert tree_digest(built / "public") == before


def test_strict_passes_on_a_clean_site(tmp_path, analyzer):
    root = make_site(tmp_path, with_fixtures=False)
    assert main(["--root", str(root), "--strict", "-q"]) == 0
    assert (root / "public" / "index.html").is_file()


def test_output_option_and_ingest_command(tmp_path, analyzer, capsys):
    root = make_site(tmp_path, with_fixtures=False)
    assert main(["ingest", "--root", str(root)]) == 0
    assert (root / "content" / "articles" / f"{SEED_SLUG}.md").is_file()
    assert not (root / "public").exists()
    assert "Ingested 1 seed(s)" in capsys.readouterr().out
    assert main(["build", "--root", str(root), "--output", "site-out", "-q"]) == 0
    assert (root / "site-out" / "index.html").is_file()


def test_summary_line_counts_articles_pages_and_warnings(built, capsys):
    assert main(["--root", str(built)]) == 0
    out = capsys.readouterr().out
    assert "Built 9 article(s)" in out and "2 warning(s)" in out


def test_broken_template_fails_cleanly_and_keeps_the_old_site(built, capsys):
    before = tree_digest(built / "public")
    theme = built / "themes" / "broken" / "templates"
    theme.mkdir(parents=True)
    (theme / "article.html").write_text("{% extends 'base.html' %}{% block content %}{{ oops( }}{% endblock %}")
    config = (built / "site.toml").read_text()
    (built / "site.toml").write_text(config.replace('theme = "default"', 'theme = "broken"'))
    try:
        assert main(["--root", str(built), "-q"]) == 1
        err = capsys.readouterr().err
        assert "article.html" in err and "line 1" in err
        assert tree_digest(built / "public") == before
        assert not list(built.glob(".public-*"))
    finally:
        (built / "site.toml").write_text(config)
        shutil.rmtree(built / "themes")


def test_usage_errors_exit_2():
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--no-such-option"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_help_explains_the_options():
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--root", "--output", "--strict", "--quiet", "--verbose", "ingest", "build"):
        assert option in result.stdout


def test_a_missing_root_is_a_clear_error(tmp_path, capsys):
    assert main(["--root", str(tmp_path / "nope")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_a_new_seed_takes_the_focused_build_and_matches_a_cold_build(tmp_path, analyzer):
    """A newsroom's commonest change: one more seed. Ingest writes its content file (the stories before it
    keep theirs: see README, Tags); the pages that show the new story are made, not the whole site, and
    the site is the one a cold build of the same content gives."""
    from generator.config import load_config
    from generator.pipeline import Builder
    from tests.helpers import site_digests
    from tests.test_incremental import cold_copy

    root = make_site(tmp_path / "site")
    held = root / "seeds" / "hard-wrapped.txt"
    kept = held.read_bytes()
    held.unlink()
    assert main(["--root", str(root), "-q"]) == 0
    held.write_bytes(kept)
    builder = Builder(load_config(root), workers=1)
    result = builder.build()
    assert result.ingest.written and builder.focused and builder.focused < result.files
    (written,) = result.ingest.written
    assert f"articles/{written.stem}/index.html" in builder.focused_pages
    assert site_digests(root / "public") == cold_copy(root, tmp_path / "cold")
