import datetime as dt

import pytest

from generator.content import (
    FrontMatterError,
    article_from_text,
    dump_content,
    is_hand_edited,
    load_articles,
    split_front_matter,
)
from generator.errors import Warnings
from generator.markup import MarkdownRenderer


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


def test_written_content_reads_back_with_the_same_front_matter():
    meta = {"title": "A: title with # and 'quotes'", "slug": "a-title", "date": dt.date(2016, 5, 12),
            "persons": ["Anke de Vries"], "tags": [], "source": None}
    text = dump_content(meta, "Body.\n")
    data, body = split_front_matter(text)
    assert data["title"] == meta["title"] and data["date"] == dt.date(2016, 5, 12)
    assert data["persons"] == ["Anke de Vries"]
    assert "tags" not in data and "source" not in data  # empty values are left out
    assert body == "\nBody.\n"


def test_lists_are_written_inline_as_the_guide_shows():
    text = dump_content({"title": "T", "tags": ["strikes", "ports"]}, "B\n")
    assert "tags: [strikes, ports]\n" in text


def test_an_untouched_file_is_not_hand_edited_and_any_edit_is():
    text = dump_content({"title": "T", "summary": "S"}, "Body.\n")
    assert not is_hand_edited(text)
    assert is_hand_edited(text.replace("Body.", "Body, corrected."))
    assert is_hand_edited(text.replace("title: T", "title: T2"))
    assert is_hand_edited("---\ntitle: Written by hand\n---\n\nText.\n")


def test_article_is_validated_and_rendered(renderer, tmp_path):
    text = "---\ntitle: Hello\ndate: 2020-01-02\ntags: [one, two]\npersons: Jane Doe\n---\n\nSome *text*.\n"
    article = article_from_text(text, tmp_path / "hello.md", renderer, "content/articles/hello.md")
    assert article.slug == "hello"  # from the file name when front matter has none
    assert article.date == dt.date(2020, 1, 2)
    assert article.tags == ("one", "two") and article.persons == ("Jane Doe",)
    assert article.body_html == "<p>Some <em>text</em>.</p>"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "does not start"),
        ("---\ntitle: x\n", "no closing"),
        ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
        ("---\ndate: 2020-01-02\n---\n", "'title' is missing"),
        ("---\ntitle: T\ndate: last Tuesday\n---\n", "ISO date"),
        ("---\ntitle: T\ntags: {a: 1}\n---\n", "'tags' must be a list"),
        ("---\ntitle: T\nslug: Not A Slug\n---\n", "'slug' must be"),
    ],
)
def test_bad_front_matter_says_what_is_wrong(renderer, tmp_path, text, message):
    with pytest.raises(FrontMatterError, match=message):
        article_from_text(text, tmp_path / "x.md", renderer, "x.md")


def test_a_bad_file_is_skipped_with_a_warning_naming_it(tmp_path):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "good.md").write_text("---\ntitle: Good\n---\n\nFine.\n", encoding="utf-8")
    (articles / "bad.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    (articles / "same.md").write_text("---\ntitle: Same slug\nslug: good\n---\n\nX.\n", encoding="utf-8")
    warnings = Warnings()
    loaded = load_articles(articles, tmp_path, warnings)
    assert [a.slug for a in loaded] == ["good"]
    assert any(m.startswith("content/articles/bad.md, line 3:") and "YAML" in m for m in warnings.messages)
    assert any(m.startswith("content/articles/same.md:") and "same slug" in m for m in warnings.messages)


def test_front_matter_of_scalars_alone_is_written_one_key_a_line_and_reads_back():
    text = dump_content({"title": "No names, no tags", "date": dt.date(2016, 5, 12), "tags": []}, "Body.\n")
    assert text.startswith("---\ntitle: No names, no tags\ndate: 2016-05-12\ningest_sha256: ")
    data, _ = split_front_matter(text)
    assert data["title"] == "No names, no tags" and not is_hand_edited(text)


def test_a_fault_carries_the_line_of_the_key_at_fault(renderer, tmp_path):
    text = "---\ntitle: T\nsummary: S\n\n# a comment\ndate: 2005-13-45\n---\n\nX.\n"
    with pytest.raises(FrontMatterError, match="'date' must be a real ISO date .* not '2005-13-45'") as info:
        article_from_text(text, tmp_path / "x.md", renderer, "x.md")
    assert info.value.line == 6
    with pytest.raises(FrontMatterError) as info:
        article_from_text("---\ntitle: T\nsummary: S\n'tags': yes\n---\n", tmp_path / "x.md", renderer, "x.md")
    assert info.value.line == 4 and "'tags' must be a list" in str(info.value)
    with pytest.raises(FrontMatterError, match="'author' must be text, not True") as info:
        article_from_text("---\ntitle: T\nauthor: yes\n---\n", tmp_path / "x.md", renderer, "x.md")
    assert info.value.line == 3


def test_an_article_whose_body_cannot_be_rendered_is_skipped_with_a_warning(tmp_path, monkeypatch):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "good.md").write_text("---\ntitle: Good\n---\n\nFine.\n", encoding="utf-8")
    (articles / "odd.md").write_text("---\ntitle: Odd\n---\n\nTrips the renderer.\n", encoding="utf-8")
    real = MarkdownRenderer.render

    def render(self, text):
        if "Trips" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, text)

    monkeypatch.setattr(MarkdownRenderer, "render", render)
    warnings = Warnings()
    assert [a.slug for a in load_articles(articles, tmp_path, warnings)] == ["good"]
    assert warnings.messages == ["content/articles/odd.md: could not be read (RecursionError: maximum recursion depth "
                                 "exceeded); skipped"]


def test_a_name_many_articles_list_is_held_once(tmp_path):
    """A large archive names the same people and places thousands of times: each name is one string,
    whichever file and list it comes from (at 10,000 articles a build holds some 5 MB less)."""
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    for n in range(3):
        (articles / f"story-{n}.md").write_text(
            f"---\ntitle: Story {n}\npersons: [Ada  Lovelace, 'Charles Babbage']\nlocations: [London]\n"
            f"organizations: [London]\ntags: [computing]\n---\n\nText.\n", encoding="utf-8")
    loaded = load_articles(articles, tmp_path, Warnings())
    assert [a.persons for a in loaded] == [("Ada Lovelace", "Charles Babbage")] * 3
    assert len({id(name) for a in loaded for name in a.persons}) == 2
    assert len({id(name) for a in loaded for name in (*a.locations, *a.organizations)}) == 1
