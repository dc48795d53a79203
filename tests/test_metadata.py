import datetime as dt

import pytest

from generator.ingest.clean import clean_text
from generator.ingest.metadata import extract_metadata, find_date, summarise
from tests.helpers import FIXTURES


def meta_of(text: str):
    return extract_metadata(clean_text(text))


def test_reuters_dateline_gives_place_and_source_and_leaves_the_body():
    meta = meta_of("Talks end\n\nNAIROBI, Kenya (Reuters) – Talks between the two sides ended on Friday without a deal.")
    assert meta.dateline == "Nairobi, Kenya"
    assert meta.source == "Reuters"
    assert meta.body[0] == "Talks between the two sides ended on Friday without a deal."


def test_ap_dateline_with_double_dash_names_the_agency():
    meta = meta_of("Pilots strike\n\nLISBON (AP) -- Pilots went on strike.")
    assert (meta.dateline, meta.source) == ("Lisbon", "Associated Press")


def test_a_dateline_below_a_section_label_is_found_and_the_label_goes():
    """News sites print the section above the lead ("News, Politics"): the dateline is in the next paragraph."""
    meta = meta_of("Talks end\n\nNews, Politics - World\n\nBUDAPEST, Hungary, February 19, 2018 (Agency) – "
                   "Talks between the two sides ended on Friday without a deal.")
    assert (meta.dateline, meta.date) == ("Budapest, Hungary", dt.date(2018, 2, 19))
    assert meta.body == ("Talks between the two sides ended on Friday without a deal.",)


def test_a_short_sentence_above_the_lead_is_not_a_label():
    """A standfirst that is a sentence stays, and a dash in the paragraph after it makes no dateline."""
    meta = meta_of("Title\n\nPrices rose again.\n\nOfficials said - after a long pause - that nothing had changed.")
    assert meta.dateline is None and meta.body[0] == "Prices rose again."
    meta = meta_of("Title\n\nPrices rose again.\n\nLONDON (Reuters) – Prices rose for a third month.")
    assert meta.dateline is None and len(meta.body) == 2


def test_a_sentence_with_a_dash_is_not_a_dateline():
    meta = meta_of("Title\n\nOfficials said - after a long pause - that nothing had changed.")
    assert meta.dateline is None and meta.source is None


def test_byline_becomes_author_and_leaves_the_body():
    meta = meta_of((FIXTURES / "seeds" / "bom-crlf.txt").read_text(encoding="utf-8-sig"))
    assert meta.author == "Maria Lopes"
    assert all("Maria Lopes" not in p for p in meta.body)


def test_capitalised_byline_with_two_names():
    meta = meta_of("Title\n\nBy JANE DOE and JOHN ROE\n\nText of the story here.")
    assert meta.author == "Jane Doe, John Roe"


def test_published_line_gives_the_date_and_is_removed():
    meta = meta_of("Title\n\nPublished: 4 March 2019\n\nText mentions 1 May 2020 later.")
    assert meta.date == dt.date(2019, 3, 4)
    assert meta.body == ("Text mentions 1 May 2020 later.",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It happened on March 4, 2019 in the city.", dt.date(2019, 3, 4)),
        ("It happened on 4 March 2019 in the city.", dt.date(2019, 3, 4)),
        ("It happened on 2019-03-04 in the city.", dt.date(2019, 3, 4)),
        ("It happened on Sept. 30, 2004.", dt.date(2004, 9, 30)),
        ("Killed since July 3, and on Tuesday.", None),
        ("On February 30, 2019 nothing happened.", None),
        ("Year 2007 and 12 March only.", None),
    ],
)
def test_dates_are_explicit_or_absent(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T\n\nWASHINGTON, March 4, 2019 (Reuters) - Text.", dt.date(2019, 3, 4)),
        ("T\n\nWASHINGTON (AP) — 4 March 2019 — Text.", dt.date(2019, 3, 4)),
        ("T\n\nMonday, 4 March 2019\n\nText.\n\nLater, on 5 May 2020, more.", dt.date(2019, 3, 4)),
        ("T\n\nThe lead says it happened on March 4, 2019.\n\nMore.", dt.date(2019, 3, 4)),
    ],
)
def test_the_date_stamps_the_story(text, expected):
    meta = meta_of(text)
    assert meta.date == expected
    assert all("2019" not in p for p in meta.body[1:])


def test_a_date_deep_in_the_story_is_an_event_not_the_articles_date():
    meta = meta_of("T\n\nThe singer vanished ten years ago.\n\nHe was last seen on 1 February 1995.")
    assert meta.date is None


def test_no_date_is_invented():
    assert meta_of("Title\n\nAt least 67 people have been killed since July 3.").date is None


def test_summary_is_cut_at_a_sentence_within_300_characters():
    sentence = "The council met on Monday to discuss the budget for the coming year in detail. "
    summary = summarise((sentence * 6,))
    assert len(summary) <= 300
    assert summary.endswith("detail.")


def test_summary_of_one_long_sentence_is_cut_at_a_word():
    summary = summarise(("word " * 100,))
    assert len(summary) <= 300 and summary.endswith("word…")
