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


def test_a_new_mention_changes_the_signature():
    before = article("The harbour grew.")
    assert body_signature(before, NAMES, ()) != body_signature(article("The harbour grew in Zembla."), NAMES, ())
    assert body_signature(before, NAMES, ()) == body_signature(article("The harbour grew again."), NAMES, ())


def test_a_probe_found_or_lost_changes_the_signature():
    probe = "Will Brett Kavanaugh"
    assert (body_signature(article("Judge Will Brett Kavanaugh spoke."), [], [probe])
            != body_signature(article("Judge Will Brett spoke."), [], [probe]))
