"""Furniture learned from the archive: what many seeds repeat goes, what a few share stays."""

from dataclasses import dataclass
from pathlib import Path

from generator.errors import Warnings
from generator.ingest import ingest
from generator.ingest.clean import clean_text, learn_furniture
from generator.ingest.furniture import FurnitureModel, normalise, shape

#: Made-up reporting: one distinct paragraph per story, so nothing here repeats by chance.
TOPICS = [
    ("harbour", "The harbour authority said on Monday that the new crane would double the number of ships unloaded each week."),
    ("school", "Teachers at the village school voted to accept a pay offer after three weeks of talks with the county."),
    ("bridge", "Engineers closed the old bridge for repairs after inspectors found cracks in two of its stone arches."),
    ("market", "Traders at the covered market complained that higher rents had pushed several family stalls out of business."),
    ("library", "The town library will open on Sundays from next month, the council announced after a public consultation."),
    ("orchard", "Growers expect a smaller apple harvest this autumn because late frosts damaged blossom across the valley."),
    ("ferry", "The island ferry resumed sailings on Tuesday after storms kept it in port for most of the weekend."),
    ("museum", "A museum in the old mill has received a grant to restore its collection of hand-painted shop signs."),
    ("stadium", "Plans for a larger stadium were delayed again as residents raised concerns about parking and noise."),
    ("clinic", "The new health clinic has registered more than two thousand patients in its first month of opening."),
    ("railway", "Passengers on the branch railway faced delays after a signal fault near the junction on Wednesday."),
    ("festival", "Organisers said the summer festival sold out within hours, a record for the event in its tenth year."),
]
POLL = [
    "take our survey - story continues below",
    "Which bridge should the county repair first?",
    "* North Bridge Mill Bridge Quay Bridge",
    "Email *",
    "Answering this survey signs you up to {site} updates at no cost.",
    "You can unsubscribe whenever you like.",
]
QUOTE = "“We will not rest until every family in the valley has a safe home,” the mayor told a packed meeting on Friday."


def story(i: int, widget: bool = True, site: str = "Valley Courier", extra: tuple[str, ...] = ()) -> str:
    topic, lead = TOPICS[i % len(TOPICS)]
    lines = [f"Story about the {topic} number {i}", lead, f"Officials gave more details of the {topic} plan in a statement on day {i}."]
    if widget:
        lines += [line.format(site=site) for line in POLL]
    lines += [*extra, f"A final decision on the {topic} is expected later this year, story {i} said."]
    return "\n".join(lines)


def archive(n: int = 12, **kwargs) -> list[str]:
    return [story(i, **kwargs) for i in range(n)]


def test_normal_form_and_shape_fold_digits_punctuation_and_names():
    assert normalise("Posted 12 March, 2019!") == normalise("posted 03 march 2020")
    assert shape("Answering this survey signs you up to Valley Courier updates.") == shape(
        "Answering this survey signs you up to Hill Gazette updates."
    )


def test_a_widget_block_repeated_across_many_seeds_is_removed():
    texts = archive()
    model = learn_furniture(texts)
    body = clean_text(texts[3], model).paragraphs
    assert body == (
        TOPICS[3][1],
        "Officials gave more details of the market plan in a statement on day 3.",
        "A final decision on the market is expected later this year, story 3 said.",
    )


def test_without_the_archive_model_only_per_document_rules_apply():
    body = clean_text(story(3)).paragraphs
    assert "Which bridge should the county repair first?" in body  # no evidence from one seed alone
    assert "take our survey - story continues below" not in body  # a per-document cue


def test_the_same_line_with_another_site_name_counts_as_one_shape():
    texts = [story(i, site=("Valley Courier" if i % 2 else "Hill Gazette")) for i in range(12)]
    body = clean_text(texts[5], learn_furniture(texts)).paragraphs
    assert not any("signs you up" in p for p in body)


def test_a_quote_repeated_in_two_follow_ups_is_kept():
    texts = archive(widget=False)
    for i in (1, 2, 3):
        texts[i] = story(i, widget=False, extra=(QUOTE,))
    model = learn_furniture(texts)
    for i in (1, 2, 3):
        assert QUOTE in clean_text(texts[i], model).paragraphs


def test_a_short_prose_line_between_prose_is_kept_even_if_common():
    extra = ("Why?", "Because the old one was falling down, the engineers said in their report.")
    texts = [story(i, widget=False, extra=extra) for i in range(12)]
    body = clean_text(texts[4], learn_furniture(texts)).paragraphs
    assert "Why?" in body


def test_a_form_field_label_between_widget_lines_is_removed():
    texts = archive()
    texts[7] = texts[7].replace("Email *", "Email *\nPhone *")  # a label only this seed has
    body = clean_text(texts[7], learn_furniture(texts)).paragraphs
    assert not any(p.startswith(("Email", "Phone")) for p in body)


def test_read_more_links_to_other_stories_are_removed():
    texts = [story(i, widget=False, extra=(f"Read more: Council to vote on {TOPICS[(i + 1) % 12][0]} budget",)) for i in range(12)]
    body = clean_text(texts[2], learn_furniture(texts)).paragraphs
    assert not any(p.startswith("Read more") for p in body)
    assert len(body) == 3


def test_thresholds_are_relative_to_the_archive_size():
    small, large = FurnitureModel(seeds=100), FurnitureModel(seeds=5000)
    assert small.low == 3 and small.high == 8
    assert large.low > small.low and large.high > small.high


@dataclass(frozen=True)
class _Nothing:
    persons: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ("local news", "council")


class _NoEntities:
    def analyse(self, texts):
        return [_Nothing() for _ in texts]


def _body(site: Path, stem_start: str) -> str:
    path = next((site / "content" / "articles").glob(f"{stem_start}*.md"))
    return path.read_text(encoding="utf-8").rsplit("\n---\n", 1)[-1]


def test_ingest_learns_from_the_whole_folder_even_for_one_new_seed(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, text in enumerate(archive(11)):
        (seeds / f"s{i:02d}.txt").write_text(text, encoding="utf-8")
    articles = tmp_path / "content" / "articles"
    cache: dict[str, frozenset[int]] = {}
    ingest(seeds, articles, tmp_path, _NoEntities, Warnings(), line_keys=cache)
    assert "story continues below" not in _body(tmp_path, "story-about-the-harbour-number-0")
    (seeds / "s11.txt").write_text(story(11), encoding="utf-8")
    result = ingest(seeds, articles, tmp_path, _NoEntities, Warnings(), line_keys=cache)
    assert [p.name for p in result.written] == ["story-about-the-festival-number-11.md"]
    text = _body(tmp_path, "story-about-the-festival-number-11")
    assert "Which bridge" not in text and "Email" not in text and "unsubscribe" not in text
    assert "sold out within hours" in text
    assert len(cache) == 12
