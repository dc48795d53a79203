import pytest

from generator.markup import MarkdownRenderer, escape_body, escape_paragraph
from tests.helpers import strip_tags


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


@pytest.mark.parametrize(
    "text",
    [
        "2007. That was the year.",
        "# of votes: 12",
        "* Not a bullet",
        "- Not a bullet either",
        "+ Nor this",
        "> Not a quote",
        "1) Not a list",
        "12. Not a list",
        "---",
        "file_name_here and 2*3*4 and __init__",
        "<b>bold</b> and <script>alert('x')</script>",
        "AT&T &amp; co &copy;",
        "[a link](http://example.com) and ![img](x.png)",
        "back\\slash and `code`",
        "<http://example.com>",
    ],
)
def test_escaped_text_renders_as_the_same_visible_characters(renderer, text):
    out = renderer.render(escape_paragraph(text))
    assert out.startswith("<p>") and out.count("<p>") == 1
    assert strip_tags(out) == text
    for tag in ("<b>", "<script", "<a ", "<img", "<code", "<em", "<strong", "<h1", "<ul", "<ol", "<blockquote", "<hr"):
        assert tag not in out


def test_paragraphs_stay_paragraphs(renderer):
    out = renderer.render(escape_body(["One.", "Two."]))
    assert out == "<p>One.</p>\n<p>Two.</p>"


def test_raw_html_written_by_hand_is_shown_as_text(renderer):
    out = renderer.render("Hello <script>alert(1)</script>\n\n<div onclick=x>raw</div>")
    assert "<script" not in out and "<div" not in out
    assert "&lt;script&gt;" in out


def test_control_characters_in_a_body_never_reach_the_page():
    from generator.markup import MarkdownRenderer

    html = MarkdownRenderer().render('Opposing "Stand Your Ground"\x9d laws\x07.')
    assert "\x9d" not in html and "\x07" not in html and "Stand Your Ground" in html
