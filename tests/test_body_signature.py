"""The quick build trusts that a body edit which keeps `body_signature` changes no name decision."""

from dataclasses import astuple

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.decisions.kinds import plain_text, read_cues
from generator.decisions.pages import body_signature
from generator.markup import MarkdownRenderer
from generator.model import Article

NAMES = ["Oscar", "Anke de Vries", "Zembla"]
WORDS = ["Oscar", "Oscars", "Oscar-winning", "oscar", "Anke", "de", "Vries", "Anke de Vries", "Zembla", "Mr", "the",
         "in", "who", "said", "a", "near", "himself", "Dr", "an", ",", ".", "and", "of", "visited", "outside"]

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
#: Words run together with what separates them in real text: none, a dash, punctuation, paragraph breaks.
SEPARATORS = ["", " ", "-", ".", ", ", ".\n\n", " \u2014 ", "'s ", "s "]
joined = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40).map(
    lambda pairs: "".join(word + sep for word, sep in pairs))


def article(body: str) -> Article:
    return Article("a", "A", "", MarkdownRenderer().render(body + "\n"))


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=40))
def test_an_edit_that_keeps_the_signature_keeps_every_cue(body, insert, at, cut):
    """Splice words into a body (and cut some out): where the signature stays, so does every name's cues."""
    at = min(at, len(body))
    edited = body[:at] + " " + insert + " " + body[at + cut:]
    before, after = article(body), article(edited)
    if body_signature(before, NAMES, ()) == body_signature(after, NAMES, ()):
        for name in NAMES:
            assert astuple(read_cues(name, [plain_text(before)])) == astuple(read_cues(name, [plain_text(after)]))


@settings(max_examples=300, deadline=None)
@given(joined, joined, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=40))
def test_an_edit_that_keeps_the_signature_keeps_every_cue_in_text_run_together(body, insert, at, cut):
    """As above, with words run together by punctuation and paragraph breaks, and spliced in anywhere."""
    at = min(at, len(body))
    edited = body[:at] + insert + body[at + cut:]
    before, after = article(body), article(edited)
    if body_signature(before, NAMES, ()) == body_signature(after, NAMES, ()):
        for name in NAMES:
            assert astuple(read_cues(name, [plain_text(before)])) == astuple(read_cues(name, [plain_text(after)]))


def test_a_sentence_added_after_a_paragraph_that_ends_with_a_name_keeps_the_signature():
    before = article("The new harbour master is Anke de Vries.")
    after = article("The new harbour master is Anke de Vries.\n\nThe council met on Tuesday.")
    assert body_signature(before, NAMES, ()) == body_signature(after, NAMES, ())
    assert body_signature(before, NAMES, ()) != body_signature(article("The new harbour master is Anke de Vries, "
                                                                       "who said little."), NAMES, ())


def test_a_new_mention_changes_the_signature():
    before = article("The harbour grew.")
    assert body_signature(before, NAMES, ()) != body_signature(article("The harbour grew in Zembla."), NAMES, ())
    assert body_signature(before, NAMES, ()) == body_signature(article("The harbour grew again."), NAMES, ())


def test_a_probe_found_or_lost_changes_the_signature():
    probe = "Will Brett Kavanaugh"
    assert (body_signature(article("Judge Will Brett Kavanaugh spoke."), [], [probe])
            != body_signature(article("Judge Will Brett spoke."), [], [probe]))
