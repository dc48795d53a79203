"""`python build.py review`: what the build doubts, most covered first, and the alias line that settles it."""

import shutil
from pathlib import Path

from generator.cli import main
from tests.helpers import REPO


def write(root: Path, slug: str, persons: list[str], body: str, tags=()) -> None:
    from generator.content import dump_content

    path = root / "content" / "articles" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"title": slug.title(), "slug": slug, "date": "2009-04-01", "summary": "S.", "persons": persons,
            "locations": [], "tags": list(tags)}
    path.write_text(dump_content(meta, body + "\n"), encoding="utf-8")


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    for i in range(3):
        write(root, f"awards-{i}", ["Zelby", "Maria Quell"], "Maria Quell won the Zelby. Two Zelbys in all.",
              tags=["awards"])
    write(root, "quell-speaks", ["Leon Quell", "Quell"], "Leon Quell spoke.", tags=["speeches"])
    write(root, "quell-again", ["Quell"], "Quell spoke again.", tags=["awards"])
    return root


def test_review_lists_the_doubts_with_the_alias_that_settles_them(tmp_path, capsys):
    root = site(tmp_path)
    assert main(["review", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert '[persons] "Zelby" = false' in out and "3 articles" in out
    assert '[tags] "speeches" = false' in out
    assert not (root / "public").exists()  # nothing was built


def test_the_alias_line_settles_the_entry(tmp_path, capsys):
    root = site(tmp_path)
    (root / "content" / "aliases.toml").write_text('[persons]\n"Zelby" = false\n\n[tags]\n"speeches" = false\n',
                                                  encoding="utf-8")
    assert main(["review", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Zelby" not in out and "speeches" not in out


def test_a_shared_surname_is_queued_with_the_full_name_that_would_settle_it(tmp_path, capsys):
    root = site(tmp_path)
    write(root, "leon-again", ["Leon Quell"], "Leon Quell spoke.")
    write(root, "leon-third", ["Leon Quell"], "Leon Quell spoke.")
    main(["review", "--root", str(root)])
    out = capsys.readouterr().out
    assert '[persons] "Quell" = "Maria Quell"' in out or '[persons] "Quell" = "Leon Quell"' in out
