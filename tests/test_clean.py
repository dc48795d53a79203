from generator.ingest.clean import clean_text, is_boilerplate, split_paragraphs
from tests.helpers import FIXTURES


def read(name: str) -> str:
    return (FIXTURES / "seeds" / name).read_text(encoding="utf-8")


def test_title_is_the_first_non_empty_line():
    assert clean_text("\n\n  Headline here  \n\nBody text.").title == "Headline here"


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    clean = clean_text(read("hard-wrapped.txt"))
    assert clean.paragraphs == (
        "The city council approved on Wednesday a plan to build a new bridge over the river, ending a decade "
        "of debate about how to ease traffic in the old town centre and the surrounding villages.",
        "Construction is expected to begin next spring and take three years to complete, according to the council.",
    )


def test_one_paragraph_per_line_without_blank_lines():
    clean = clean_text(read("one-per-line.txt"))
    assert clean.title == "Farmers protest falling milk prices"
    assert len(clean.paragraphs) == 3
    assert clean.paragraphs[1].startswith("They said supermarkets")


def test_a_name_broken_after_its_initials_is_joined_again():
    # A scraper that split the text at every full stop broke "George H.W. Bush" and "H.R. McMaster" over two
    # lines; a line that ends with "D.C." before a new sentence stays as it is.
    text = ("Party of the future\n\nThe policies of recent decades, the New World Order of George H.W.\n"
            "Bush and the crusades for democracy, failed in the end.\nNational Security Adviser H.R.\n"
            "McMaster’s aides said that it was so.\nHe was sent to a seminary in Washington D.C.\n"
            "In doing so, he put others first.")
    assert clean_text(text).paragraphs == (
        "The policies of recent decades, the New World Order of George H.W. Bush and the crusades for democracy, "
        "failed in the end.",
        "National Security Adviser H.R. McMaster’s aides said that it was so.",
        "He was sent to a seminary in Washington D.C.",
        "In doing so, he put others first.",
    )


def test_boilerplate_is_removed_and_its_publisher_kept():
    clean = clean_text(read("boilerplate.txt"))
    body = "\n".join(clean.paragraphs)
    assert clean.paragraphs == (
        "Heavy snow closed hundreds of schools across the region on Thursday, officials said.",
        "Roads were blocked and trains cancelled as temperatures fell below freezing.",
    )
    for gone in ("Advertisement", "Read more", "Share this", "Follow us", "Subscribe", "©", "redistributed"):
        assert gone not in body
    assert clean.boilerplate_source == "Daily Courier"


def test_subscribe_line_names_the_publisher():
    clean = clean_text("Title\n\nText of the story.\n\nSubscribe to Pravda.Ru Telegram channel, Facebook, Twitter, YouTube, RSS!")
    assert clean.paragraphs == ("Text of the story.",)
    assert clean.boilerplate_source == "Pravda.Ru"


def test_a_sign_up_forms_small_print_is_removed():
    text = "\n".join([
        "Title",
        "The council voted on Tuesday to close the old library and move its books to the school.",
        "Email Sign Up By signing up you agree to receive email newsletters or alerts from the Courier.",
        "You can unsubscribe at any time.",
        "The move will save about 40,000 pounds a year, the council said.",
    ])
    body = "\n".join(clean_text(text).paragraphs)
    assert "Sign Up" not in body and "newsletters" not in body
    assert "close the old library" in body and "save about 40,000 pounds" in body


def test_sentences_that_merely_start_like_boilerplate_are_kept():
    for line in (
        "Share prices fell sharply on Monday as investors worried about the outlook for growth.",
        "Advertisement spending rose by 4% last year, the industry body said.",
        "Follow-up talks are planned for next week in Geneva.",
    ):
        assert not is_boilerplate(line), line


def test_bylines_are_not_glued_to_the_next_line():
    assert split_paragraphs("By Jane Doe\nPublished: March 4, 2019\nText starts here and goes on.") == [
        "By Jane Doe",
        "Published: March 4, 2019",
        "Text starts here and goes on.",
    ]


def test_syndication_credit_is_removed_and_names_the_source():
    clean = clean_text("Title\n\nThe mayor opened the new bridge on Saturday morning.\n\nArticle posted with permission from Hill Gazette")
    assert clean.paragraphs == ("The mayor opened the new bridge on Saturday morning.",)
    assert clean.boilerplate_source == "Hill Gazette"
    clean = clean_text("Title\n\nThe mayor opened the new bridge on Saturday morning.\n\nThis report was originally published by Jo Bloggs at Valley Post")
    assert clean.boilerplate_source == "Valley Post"


def test_a_published_stamp_is_not_taken_for_a_credit():
    clean = clean_text("Title\n\nPublished on March 4, 2019\n\nThe mayor opened the new bridge on Saturday morning.")
    assert clean.paragraphs[0] == "Published on March 4, 2019"


def test_calls_to_action_photo_credits_and_bare_links_are_removed():
    text = "\n".join([
        "Title",
        "The mayor opened the new bridge on Saturday morning, ending years of delays.",
        "Photo credit: Jo Bloggs",
        "Watch:",
        "https://example.org/video/123",
        "Crowds lined the river to watch the first cars cross the new span.",
        "Read the whole article",
    ])
    assert clean_text(text).paragraphs == (
        "The mayor opened the new bridge on Saturday morning, ending years of delays.",
        "Crowds lined the river to watch the first cars cross the new span.",
    )


def test_tags_are_stripped_from_the_body_but_a_less_than_sign_stays():
    clean = clean_text("Title\n\nShares rose <b>sharply</b> as a < b held.<br>Then they fell.")
    assert clean.paragraphs == ("Shares rose sharply as a < b held.", "Then they fell.")


def test_a_footnote_mark_on_its_own_line_is_removed_but_a_lone_figure_stays():
    text = "Report out\n\nThe report was published on Monday.[1]\n\n[1]\n\nCrowd:\n\n78,000\n\nThe minister spoke.\n"
    paragraphs = clean_text(text).paragraphs
    assert "[1]" not in paragraphs
    assert "78,000" in paragraphs and "The minister spoke." in paragraphs
