"""Every fault is a message that names the file and the line, never a traceback (issue 9)."""

from __future__ import annotations

import copy
import hashlib
import logging
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_config
from generator.content import dump_content
from generator.errors import BuildError
from generator.ingest.entities import Analyzer, split_long_text
from generator.pipeline import Builder
from tests.helpers import REPO

#: Front matter faults: (file text, the line the warning must name, words the message must have).
FAULTS = {
    "bad-date": ("---\ntitle: Bad date\nsummary: S.\ndate: 2005-13-45\n---\n\nText.\n", 4, "'date' must be a real ISO date"),
    "impossible-day": ("---\ntitle: Bad day\ndate: '2005-02-30'\n---\n\nText.\n", 3, "'date' must be a real ISO date"),
    "words-for-date": ("---\ntitle: Words\ndate: last Tuesday\n---\n\nText.\n", 3, "'date' must be a real ISO date"),
    "not-yaml": ("---\ntitle: Not YAML\ntags: [unclosed\n---\n\nText.\n", 4, "not valid YAML"),
    "no-title": ("---\nsummary: No headline.\n---\n\nText.\n", 1, "'title' is missing"),
    "number-title": ("---\ntitle: 12\n---\n\nText.\n", 2, "'title' must be text, not 12"),
    "mapping-tags": ("---\ntitle: Mapping tags\nauthor: A\ntags: {a: 1}\n---\n\nText.\n", 4, "'tags' must be a list"),
    "nested-list": ("---\ntitle: Nested\npersons: [[Jane Doe]]\n---\n\nText.\n", 3, "'persons' must be a list"),
    "number-list": ("---\ntitle: Number list\nlocations: 12\n---\n\nText.\n", 3, "'locations' must be a list"),
    "no-mapping": ("---\n- a list\n- not a mapping\n---\n\nText.\n", 2, "must be a mapping"),
    "no-fence": ("title: No fence\n\nText.\n", 1, "does not start with a '---'"),
}


def write_good(root: Path, count: int = 3) -> None:
    articles = root / "content" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        meta = {"title": f"Good story {i}", "date": f"2016-05-1{i}", "summary": f"Summary {i}.", "tags": ["ports"]}
        (articles / f"good-{i}.md").write_text(dump_content(meta, f"Body {i}.\n"), encoding="utf-8")


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "site.toml").write_text((REPO / "site.toml").read_text(encoding="utf-8"), encoding="utf-8")
    write_good(root)
    return root


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_a_front_matter_fault_is_a_warning_with_file_and_line_and_the_rest_builds(tmp_path, name):
    root = make_root(tmp_path)
    text, line, words = FAULTS[name]
    (root / "content" / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    result = Builder(load_config(root), workers=1).build()
    assert result.articles == 3
    assert [m for m in result.warnings.messages if m.startswith(f"content/articles/{name}.md, line {line}: ")], \
        result.warnings.messages
    assert any(words in m for m in result.warnings.messages), result.warnings.messages
    public = root / "public"
    assert all((public / "articles" / f"good-{i}" / "index.html").is_file() for i in range(3))
    assert not (public / "articles" / name).exists()


def test_a_real_date_error_reaches_the_terminal_as_one_line_not_a_traceback(tmp_path, capsys):
    root = make_root(tmp_path)
    (root / "content" / "articles" / "bad-date.md").write_text(FAULTS["bad-date"][0], encoding="utf-8")
    assert main(["--root", str(root), "-q"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ValueError" not in err
    assert "content/articles/bad-date.md, line 4: 'date' must be a real ISO date such as 2016-05-12, not '2005-13-45'" in err


def test_strict_fails_on_a_front_matter_fault_and_leaves_public_untouched(tmp_path, capsys):
    root = make_root(tmp_path)
    assert main(["--root", str(root), "-q"]) == 0
    before = digest(root / "public")
    for name, (text, _, _) in FAULTS.items():
        (root / "content" / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    (root / "content" / "articles" / "good-0.md").write_text(
        dump_content({"title": "Good story 0, corrected", "date": "2016-05-10"}, "New body.\n"), encoding="utf-8")
    assert main(["--root", str(root), "--strict", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{len(FAULTS)} warning(s) and --strict is set" in err, err
    assert digest(root / "public") == before
    assert not list(root.glob(".public-*"))
    # The same build without --strict publishes the good articles, the correction among them.
    assert main(["--root", str(root), "-q"]) == 0
    assert "Good story 0, corrected" in (root / "public" / "articles" / "good-0" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("setting", "message"), [
    ("per_page = 0", "line 2: 'per_page' must be a whole number of at least 1, not 0"),
    ("per_page = \"ten\"", "line 2: 'per_page' must be a whole number of at least 1, not 'ten'"),
    ("title = 12", "line 2: 'title' must be a non-empty string in quotes, not 12"),
    ("taxonomies = [\"tags\", \"people\"]", "line 2: 'taxonomies' must be a list drawn from 'tags', 'locations', "
                                            "'persons', 'organizations', not ['tags', 'people']"),
    ("base_url = \"example.org\"", "line 2: 'base_url' must be an absolute http(s) URL"),
    ("theme = \"no-such-theme\"", "line 2: 'theme' must be the name of a folder under"),
    ("colour = \"red\"", "line 2: unknown setting(s) 'colour'; known: "),
    ("api = \"yes\"", "line 2: 'api' must be true or false, not 'yes'"),
    ("title = \"unclosed", "line 2: not valid TOML"),
])
def test_a_bad_site_toml_value_names_the_key_the_line_and_what_is_allowed(tmp_path, setting, message):
    (tmp_path / "site.toml").write_text(f'description = "An archive."\n{setting}\n', encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_config(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'site.toml'}, {message}")


def test_a_bad_site_toml_stops_the_cli_with_one_line(tmp_path, capsys):
    root = make_root(tmp_path)
    (root / "site.toml").write_text('per_page = -1\n', encoding="utf-8")
    assert main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "'per_page' must be a whole number of at least 1, not -1" in err


@pytest.mark.parametrize(("template", "line", "words"), [
    ("{% extends 'base.html' %}\n{% block content %}\n{{ article.title( }}\n{% endblock %}\n", 3, "TemplateSyntaxError"),
    ("{% extends 'base.html' %}\n{% block content %}\n\n{{ article.title | no_such_filter }}\n{% endblock %}\n", 4,
     "No filter named 'no_such_filter'"),
    ("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}\n", 3, "TemplateSyntaxError"),
])
def test_a_broken_template_is_a_build_error_naming_the_template_and_line(tmp_path, capsys, template, line, words):
    root = make_root(tmp_path)
    assert main(["--root", str(root), "-q"]) == 0
    before = digest(root / "public")
    folder = root / "themes" / "broken" / "templates"
    folder.mkdir(parents=True)
    (folder / "article.html").write_text(template, encoding="utf-8")
    config = (root / "site.toml").read_text(encoding="utf-8")
    (root / "site.toml").write_text(config.replace('theme = "default"', 'theme = "broken"'), encoding="utf-8")
    assert main(["--root", str(root), "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"article.html, line {line}: " in err and words in err
    assert digest(root / "public") == before


# Long texts ------------------------------------------------------------------------------

def reading_in_pieces_of(analyzer: Analyzer, max_chars: int) -> Analyzer:
    """The session's analyser (its model already loaded), reading texts in pieces of `max_chars`."""
    small = copy.copy(analyzer)
    small.max_chars = max_chars
    return small


def test_long_texts_are_cut_at_paragraph_breaks_into_pieces_that_add_up():
    paragraphs = [f"Paragraph {i} " + "word " * (i % 7 + 3) for i in range(400)]
    text = "\n\n".join(paragraphs)
    pieces = split_long_text(text, 1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(text[offset:].startswith(piece) for offset, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])
    one_paragraph = "word " * 1000
    assert "".join(p for _, p in split_long_text(one_paragraph, 300)) == one_paragraph
    assert split_long_text("short", 1000) == [(0, "short")]


def test_a_text_read_in_pieces_gives_the_names_of_the_whole_in_order_of_first_mention(analyzer):
    filler = "The port was quiet and the cranes stood still along the harbour wall all week."
    text = "\n\n".join([
        "Dock strike ends at the port",
        "Union leader John Smith said dock workers in Liverpool would end the strike on Monday.",
        *[filler] * 25,
        "Port director Sarah Jones met union officials in Manchester on Friday.",
        *[filler] * 25,
        "Smith said Mr Jones had agreed to a new wage offer, and Mrs Jones agreed.",
    ])
    small = reading_in_pieces_of(analyzer, 1500)
    assert len(split_long_text(text, 1500)) >= 3
    pieces, = small.analyse([text])
    whole, = analyzer.analyse([text])
    assert pieces.persons == whole.persons
    assert pieces.persons == ("John Smith", "Sarah Jones")  # the surnames in the last piece fold into the full names
    assert pieces.locations == ("Liverpool", "Manchester")
    assert pieces.candidates and 3 <= len(pieces.tags) <= 8
    spans = small.mentions([text])[0]
    assert {text[start:end] for start, end, _ in spans} >= {"John Smith", "Sarah Jones", "Manchester", "Smith"}


def test_a_huge_seed_is_ingested_with_its_names(tmp_path, analyzer):
    """A 1.2 MB seed (the model refuses more than 1,000,000 characters at once: spaCy's E088).

    Read in 20,000-character pieces, as by default.
    """
    root = make_root(tmp_path)
    seeds = root / "seeds"
    seeds.mkdir()
    paragraph = ("Anke de Vries, the union leader, said on Thursday that dock workers in Rotterdam would end "
                 "the strike. She met Pieter Bakker of the port authority to discuss wages and pensions.")
    body = "\n\n".join([paragraph] * (1_210_000 // (len(paragraph) + 2)))
    text = f"Dock strike ends after nine days\n\n{body}\n\nJan Smit, the mayor of Amsterdam, welcomed the agreement.\n"
    assert len(text) > 1_200_000
    (seeds / "huge.txt").write_text(text, encoding="utf-8")
    small = reading_in_pieces_of(analyzer, 20_000)
    builder = Builder(load_config(root), analyzer_factory=lambda: small, workers=1)
    result = builder.build()
    assert not [m for m in result.warnings.messages if "huge" in m], result.warnings.messages
    assert result.articles == 4
    content = next((root / "content" / "articles").glob("dock-strike*.md")).read_text(encoding="utf-8")
    front = content.split("\n---\n", 1)[0]
    assert "Anke de Vries" in front and "Pieter Bakker" in front
    assert "Rotterdam" in front and "Amsterdam" in front


# The dev server ----------------------------------------------------------------------------

def test_server_errors_other_than_a_client_leaving_are_one_line(caplog):
    from generator.serve import PreviewServer

    class Fake:
        pass

    caplog.set_level(logging.DEBUG, logger="broadsheet.serve")
    for exc in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
        try:
            raise exc
        except OSError:
            PreviewServer.handle_error(Fake(), None, ("127.0.0.1", 5555))  # type: ignore[arg-type]
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        PreviewServer.handle_error(Fake(), None, ("127.0.0.1", 5555))  # type: ignore[arg-type]
    levels = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert [lvl for lvl, _ in levels[:2]] == [logging.DEBUG, logging.DEBUG]
    assert any(lvl == logging.ERROR and "RuntimeError: boom" in msg for lvl, msg in levels)
