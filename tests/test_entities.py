"""Entities and tags as an index page would list them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.entities import Analysis, Analyzer
from generator.ingest.mentions import Mention
from generator.ingest.mentions import normal_case as _normal_case
from generator.ingest.rules import Context
from generator.ingest.rules.settle import settle

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_14a8191fc3539fc6.txt"

FLOODS = """Flood defences fail in river town

Heavy rain overwhelmed the flood defences of Marlow Bridge on Sunday, forcing hundreds of \
families from their homes. Environment Minister Helena Stravinsky visited the flooded \
streets and promised new flood defences.

"The flood defences were built for a smaller river," Stravinsky said. Mayor Tobias \
Grunwald said the council had asked for money for flood defences three years ago.

Mrs. Stravinsky's department will publish a review of flood defences next month. \
Grunwald told residents that emergency shelters would stay open and that the river \
level was falling."""

TRADE = """Farm subsidies block trade deal in Geneva

Negotiators from the U.S. and Kenya met in Geneva on Monday. Dr. Amara Odhiambo, who \
leads the Kenyan team, said farm subsidies had blocked the trade deal. Jonas Pike of the \
U.S. delegation said farm subsidies were not negotiable.

Odhiambo said the negotiations on farm subsidies would resume in Nairobi. Pike's office \
posted a statement on Twitter and Facebook. Follow the talks on YouTube and Telegram."""

CARTERS = """Two Carters in council row

Councillor Maria Carter and Councillor Leon Carter, who are not related, clashed over the \
new library budget on Tuesday. Carter said the library budget was too small. Maria Carter \
later said the library budget would be reviewed by the finance committee."""

ALEPPO = """Shelling resumes

Aleppo has been shelled. Aleppo's residents fled to Homs as the shelling went on, aid \
workers said. The aid workers asked for a ceasefire so that the shelling would stop."""


def _seed_text() -> str:
    """The seed as ingest hands it over: the trailing "Subscribe to" line removed."""
    lines = SEED.read_text(encoding="utf-8").strip().splitlines()
    assert lines[-1].startswith("Subscribe to")
    return "\n".join(lines[:-1]).strip()


@pytest.fixture(scope="module")
def seed(analyzer: Analyzer) -> Analysis:
    return analyzer.analyse([_seed_text()])[0]



def settled(analyzer: Analyzer, mentions: list[Mention]) -> list[Mention]:
    """The mentions after the last step, which settles kinds and canonical names."""
    ctx = Context(doc=None, text="", places=analyzer.gazetteer, mentions=mentions)  # type: ignore[arg-type]
    settle(ctx)
    return ctx.mentions

def test_titles_and_possessives_are_stripped_and_surnames_folded(analyzer: Analyzer) -> None:
    result = analyzer.analyse([FLOODS])[0]
    assert result.persons == ("Helena Stravinsky", "Tobias Grunwald")


def test_honorific_and_surname_fold_into_full_name(analyzer: Analyzer) -> None:
    result = analyzer.analyse([TRADE])[0]
    assert result.persons == ("Amara Odhiambo", "Jonas Pike")


def test_platform_names_are_dropped(analyzer: Analyzer) -> None:
    result = analyzer.analyse([TRADE])[0]
    everything = result.persons + result.locations + result.organizations + result.tags
    for platform in ("Twitter", "Facebook", "YouTube", "Telegram"):
        assert all(platform.lower() not in name.lower() for name in everything)


def test_country_abbreviation_becomes_country_name_in_order_of_first_mention(
    analyzer: Analyzer,
) -> None:
    result = analyzer.analyse([TRADE])[0]
    assert result.locations == ("Geneva", "United States", "Kenya", "Nairobi")
    assert "U.S." not in result.locations + result.organizations


def test_ambiguous_surname_is_not_folded(analyzer: Analyzer) -> None:
    result = analyzer.analyse([CARTERS])[0]
    # "Carter" alone could be either councillor: it is neither folded nor listed.
    assert result.persons == ("Maria Carter", "Leon Carter")


def test_city_labelled_person_is_a_location(analyzer: Analyzer) -> None:
    raw = analyzer.nlp(ALEPPO)
    assert any(e.text == "Aleppo" and e.label_ == "PERSON" for e in raw.ents), (
        "the model no longer mislabels Aleppo; pick another example"
    )
    result = analyzer.analyse([ALEPPO])[0]
    assert result.persons == ()
    assert result.locations[0] == "Aleppo"
    assert "Aleppo" not in result.organizations


@pytest.mark.parametrize("text", [FLOODS, TRADE, CARTERS, ALEPPO])
def test_tags_are_lowercase_topics_without_persons_or_places(
    analyzer: Analyzer, text: str
) -> None:
    result = analyzer.analyse([text])[0]
    assert 3 <= len(result.tags) <= 8
    assert len(set(result.tags)) == len(result.tags)
    names = {n.lower() for n in result.persons + result.locations}
    names |= {w for n in names for w in n.split()}
    for tag in result.tags:
        assert tag == tag.lower() and len(tag) > 1
        assert not any(c.isdigit() for c in tag)
        assert tag not in names and not set(tag.split()) & names


def test_tags_are_the_recurring_phrases_singular(analyzer: Analyzer) -> None:
    assert "flood defence" in analyzer.analyse([FLOODS])[0].tags
    assert "farm subsidy" in analyzer.analyse([TRADE])[0].tags
    assert "library budget" in analyzer.analyse([CARTERS])[0].tags


def test_batch_keeps_order_and_empty_texts(analyzer: Analyzer) -> None:
    results = analyzer.analyse([CARTERS, "  \n", FLOODS])
    assert len(results) == 3
    assert results[0].persons[0] == "Maria Carter"
    assert results[1] == Analysis((), (), (), ())
    assert results[2].persons[0] == "Helena Stravinsky"


def test_model_is_not_loaded_for_nothing() -> None:
    lazy = Analyzer()
    assert lazy.analyse(["", "   "]) == [Analysis((), (), (), ())] * 2
    assert lazy._nlp is None


def test_seed_persons_are_full_names_only(seed: Analysis) -> None:
    for name in ("Pervez Musharraf", "Abdul Rashid Ghazi", "Waheed Arshad", "Shaukat Aziz"):
        assert name in seed.persons
    for fragment in ("Musharraf", "Ghazi", "Arshad", "Aziz", "Hussain", "Azim", "Mahmood",
                     "Bajur", "Telegram", "Facebook", "Twitter", "YouTube", "RSS"):
        assert fragment not in seed.persons
    real = {"Waheed Arshad", "Pervez Musharraf", "Abdul Sattar Edhi", "Rehmatullah Khalil",
            "Abdul Rashid Ghazi", "Chaudhry Shujaat Hussain", "Shaukat Aziz", "Tariq Azim",
            "Zahid Mahmood"}
    assert real <= set(seed.persons) <= real | {"Suhail"}
    assert seed.persons[:2] == ("Waheed Arshad", "Pervez Musharraf")


def test_seed_locations_and_organizations(seed: Analysis) -> None:
    assert seed.locations[0] == "Islamabad"
    assert "Pakistan" in seed.locations
    assert "Bajur" in seed.locations
    assert not any("'" in name or "’" in name for name in seed.locations)
    assert "Edhi Foundation" in seed.organizations
    assert "Associated Press" in seed.organizations
    assert "Edhi Foundation" not in seed.persons


def test_seed_tags(seed: Analysis) -> None:
    assert 3 <= len(seed.tags) <= 8
    assert "mosque" in seed.tags
    assert not {"people", "official", "day", "time", "year"} & set(seed.tags)


# -- mention spans, headlines, sports reports and lists ------------------------------

CAPS = """CYCLING - MERTENS WINS STAGE IN THE ALPS

GRENOBLE 2004-07-14

Belgian rider Pieter Mertens won the mountain stage on Wednesday. Mertens attacked on \
the final climb and finished alone in Grenoble."""

COUNTY_CRICKET = """CRICKET - SURREY BEAT KENT BY SIX WICKETS

LONDON 2004-07-14

Surrey beat Kent by six wickets on Friday to go top of the county championship. Graham \
Thorpe scored 112 for Surrey, who play Derbyshire in Derby next week.

Scores: Kent 243 and 190, Surrey 301 and 133-4."""

RESULTS = """Athletics - Results from the meeting

Oslo 2004-07-14

Leading results at the athletics meeting on Friday:

Women's 1,500 metres

1. Marta Lindqvist (Sweden) 4:02.11

2. Olena Brovarska (Ukraine) 4:03.50

3. Aisling Quane (Ireland) 4:04.72"""

SCORECARD = """Cricket - County scoreboard

London 2004-07-14

Surrey first innings

J. Russell c Hollins b Peake 45

T. Okonedo lbw b Peake 12

M.P. Staines not out 61"""

PARTICLES = """Springboks win in Durban

Scrum-half Joost van der Merwe scored twice as South Africa beat Wales 30-12 in Durban \
on Saturday. Van der Merwe also made the third try."""

COUNTRIES = """Ministers meet

Ministers from Slovenia, Belarus and Madagascar met in Vienna on Monday. The Welsh \
delegation and the Chechens did not attend."""


def test_mentions_are_the_spans_behind_the_names(analyzer: Analyzer) -> None:
    spans = analyzer.mentions([FLOODS, "", TRADE])
    assert spans[1] == []
    found = [(FLOODS[s:e], kind) for s, e, kind in spans[0]]
    # Titles and possessives are outside the span; the order is the text's.
    assert ("Helena Stravinsky", "person") in found
    assert ("Stravinsky", "person") in found
    assert not any(text.startswith(("Environment", "Mayor", "Mrs")) or text.endswith("'s")
                   for text, _ in found)
    assert [s for s, _, _ in spans[0]] == sorted(s for s, _, _ in spans[0])
    # A relabelled or renamed mention keeps its span as written: "U.S." is a location.
    trade = {TRADE[s:e]: kind for s, e, kind in spans[2]}
    assert trade["U.S."] == "location" and trade["Geneva"] == "location"
    assert not any(platform in trade for platform in ("Twitter", "Facebook", "YouTube"))


def test_capitals_headline_and_dateline_are_read_in_normal_case(analyzer: Analyzer) -> None:
    result = analyzer.analyse([CAPS])[0]
    assert result.persons == ("Pieter Mertens",)
    assert "Grenoble" in result.locations and "GRENOBLE" not in result.locations
    spans = [(CAPS[s:e], kind) for s, e, kind in analyzer.mentions([CAPS])[0]]
    assert ("GRENOBLE", "location") in spans  # offsets point into the text as given


def test_normal_case_keeps_offsets_acronyms_and_the_articles_own_spelling() -> None:
    text = "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN FOR U.S. TOUR\n\nShearer was named captain."
    cased = _normal_case(text)
    assert len(cased) == len(text)
    assert cased.startswith("Soccer - Shearer named as England captain for U.S. Tour")
    assert cased.endswith("\n\nShearer was named captain.")
    assert _normal_case("No capitals here.") == "No capitals here."


def test_county_and_town_names_in_a_sports_report_are_teams(analyzer: Analyzer) -> None:
    result = analyzer.analyse([COUNTY_CRICKET])[0]
    assert {"Surrey", "Kent", "Derbyshire"} <= set(result.organizations)
    assert {"London", "Derby"} <= set(result.locations)  # the dateline, and "in Derby"
    assert not {"Surrey", "Kent"} & set(result.locations)
    assert result.persons == ("Graham Thorpe",)


def test_towns_outside_sports_reports_stay_places(analyzer: Analyzer) -> None:
    result = analyzer.analyse([ALEPPO])[0]
    assert result.locations[0] == "Aleppo" and not result.organizations


def test_names_followed_by_a_bracketed_country_are_people(analyzer: Analyzer) -> None:
    result = analyzer.analyse([RESULTS])[0]
    assert result.persons == ("Marta Lindqvist", "Olena Brovarska", "Aisling Quane")
    assert result.locations[:1] == ("Oslo",)
    assert {"Sweden", "Ukraine", "Ireland"} <= set(result.locations)


def test_initials_and_surname_are_a_person(analyzer: Analyzer) -> None:
    result = analyzer.analyse([SCORECARD])[0]
    assert {"J. Russell", "T. Okonedo", "M.P. Staines"} <= set(result.persons)
    assert "M.P. Staines" not in result.organizations
    assert "County" not in result.organizations


def test_lowercase_name_particles_stay_in_the_name(analyzer: Analyzer) -> None:
    result = analyzer.analyse([PARTICLES])[0]
    assert result.persons == ("Joost van der Merwe",)
    assert "Merwe" not in result.persons + result.organizations


def test_countries_the_model_missed_are_found_and_demonyms_are_not_places(
    analyzer: Analyzer,
) -> None:
    result = analyzer.analyse([COUNTRIES])[0]
    assert result.locations == ("Slovenia", "Belarus", "Madagascar", "Vienna")
    assert not {"Welsh", "Chechens"} & set(result.persons + result.locations)


def test_a_name_never_runs_across_paragraphs_or_a_spaced_dash(analyzer: Analyzer) -> None:
    text = ("Prices rise\n\nThe report was written by Anna Kowalczyk\n\nWarsaw officials said "
            "prices would rise.\n\nPOLAND - Prices rose in Warsaw.")
    spans = [text[s:e] for s, e, _ in analyzer.mentions([text])[0]]
    assert all("\n" not in name and " - " not in name for name in spans)
    result = analyzer.analyse([text])[0]
    assert result.persons == ("Anna Kowalczyk",)
    assert "Warsaw" in result.locations


LEAGUE = """SOCCER - NORTHERN LEAGUE RESULTS

LONDON 2024-03-02

Results of Northern league matches on Saturday:

Kettleby 2 Bramwell Rovers 1

Ostrow United 0 Harnfield 3

Postponed: Queen of Dales v Marsham

Standings (played, won, drawn, lost, goals for, against, points):

Harnfield 5 4 1 0 11 3 13

Kettleby 5 3 0 2 7 6 9

At Harnfield: Kettleby beat Ostrow United by two goals."""


def test_names_in_score_lines_standings_and_fixtures_are_teams(analyzer: Analyzer) -> None:
    result = analyzer.analyse([LEAGUE])[0]
    teams = {"Kettleby", "Bramwell Rovers", "Ostrow United", "Harnfield", "Queen of Dales",
             "Marsham"}
    assert teams <= set(result.organizations)
    assert not teams & set(result.persons)


def test_a_score_run_into_a_name_is_cut_off_and_the_ground_is_a_place(
    analyzer: Analyzer,
) -> None:
    text = ("CRICKET - COUNTY SCORES\n\nLONDON 2024-06-01\n\nScores on Friday:\n\n"
            "Portsmouth: Nottinghamshire 214, Kent 108-3.\n\n"
            "Chesterfield: Derbyshire beat Worcestershire by nine wickets.")
    mentions = {text[s:e]: kind for s, e, kind in analyzer.mentions([text])[0]}
    assert not any(c.isdigit() for name in mentions for c in name)
    assert mentions.get("Kent") == "organization"  # the model reads "Kent 108-3"
    assert mentions.get("Chesterfield") == "location"


FULL_NAMES = """Rebels hold town

They have established a base in Khorvan, "Faik Dirweyi of the Kurdistan Freedom Party \
(KFP) told Reuters by telephone from Ankara. Dirweyi said he did not know the size of the \
force. Dirweyi said nobody was hurt."""


def test_a_surname_the_model_knows_extends_to_the_full_name_written_before_it(
    analyzer: Analyzer,
) -> None:
    result = analyzer.analyse([FULL_NAMES])[0]
    assert result.persons == ("Faik Dirweyi",)


def test_a_first_name_of_the_articles_people_starts_a_missed_name(analyzer: Analyzer) -> None:
    text = ("Austria win\n\nAustria: Michael Konsel, Markus Schopp, Stephan Marasek, Dieter "
            "Ramusch (Markus Olgren 77th), Anton Polster.\n\nMarkus Schopp scored twice.")
    assert "Markus Olgren" in analyzer.analyse([text])[0].persons


def test_a_club_word_place_written_as_a_place_stays_a_place(analyzer: Analyzer) -> None:
    text = ("Boxing in Atlantic City\n\nThe fight will be held in Atlantic City on Saturday, "
            "promoters said. The champion beat the challenger in a league match last season, "
            "and the referee and coach agreed. The title goal was set.")
    result = analyzer.analyse([text])[0]
    assert "Atlantic City" in result.locations
    assert "Atlantic City" not in result.organizations


def test_a_title_that_is_also_a_surname_ends_a_name(analyzer: Analyzer) -> None:
    text = ("Talks in London\n\nPrime Minister John Major met union leaders on Monday. "
            "John Major said the talks had gone well.")
    result = analyzer.analyse([text])[0]
    assert "John Major" in result.persons


#: Titles that are no part of a name, each text with the persons it names. Clergy and service titles:
#: "Monsignor Battista Orrendo" and "Monsignor Orrendo" are one man, Battista Orrendo, "Airman Tavi Kessel" is Tavi
#: Kessel, and a surname that is also a title stays a name at the end of one ("Ed Pastor"). What a person does,
#: written as a title: "Rapper Tavi Kessel" and "Drummer Ivo Ramos" are Tavi Kessel and Ivo Ramos, and a surname
#: that is also such a word stays a name at the end of one ("Senator Dana Boxer"). Offices and trades the same:
#: "Treasurer Tavi Kessel", "Model Dana Quell", and "Ottilie Farmer" keeps her surname.
TITLED = {
    "clergy and service titles": (
        "Audit in Rome\n\nMonsignor Battista Orrendo ran the audit, the diocese said on Monday. Airman Tavi "
        "Kessel, who found the papers, spoke to Congressman Ed Pastor about them.\n\nMonsignor Orrendo "
        "declined to comment, and Ed Pastor said he would ask for a hearing.",
        ("Battista Orrendo", "Tavi Kessel", "Ed Pastor")),
    "what a person does": (
        "Gig in Leeds\n\nRapper Tavi Kessel played a secret gig on Friday. Drummer Ivo Ramos, who was in the "
        "crowd, said Senator Dana Boxer had come too.\n\nKessel said he would play again, and Ramos and Dana "
        "Boxer agreed.",
        ("Tavi Kessel", "Ivo Ramos", "Dana Boxer")),
    "offices and trades": (
        "Budget day\n\nTreasurer Tavi Kessel announced the budget on Tuesday. Magistrate Ivo Ramson told the court "
        "that Model Dana Quell had been fined.\n\nKessel said the figures were sound. Ottilie Farmer, a teacher, "
        "spoke too.",
        ("Tavi Kessel", "Ivo Ramson", "Dana Quell", "Ottilie Farmer")),
}


@pytest.mark.parametrize("kind", sorted(TITLED))
def test_titles_are_no_part_of_a_name(analyzer: Analyzer, kind: str) -> None:
    text, persons = TITLED[kind]
    assert analyzer.analyse([text])[0].persons == persons


def test_street_names_are_places(analyzer: Analyzer) -> None:
    text = ("Markets fall\n\nShares fell on Wall Street on Tuesday, and traders on Harrow "
            "Road said buyers stayed away.")
    result = analyzer.analyse([text])[0]
    assert "Wall Street" in result.locations
    assert "Wall Street" not in result.organizations


def test_a_town_written_as_its_team_in_sports_prose_is_an_organization(
    analyzer: Analyzer,
) -> None:
    text = ("SOCCER - STRIKER MOVES\n\nLONDON 2024-08-30\n\nTom Abbot scored twenty goals "
            "in the league last season. The former Leeds and Southampton skipper will join "
            "the Reading side next week, the coach said after the cup match. Abbot played "
            "for Leeds in the final.")
    result = analyzer.analyse([text])[0]
    assert {"Leeds", "Southampton", "Reading"} <= set(result.organizations)
    assert not {"Leeds", "Southampton"} & set(result.locations)


def test_abbreviated_countries_labelled_persons_are_the_countries(analyzer: Analyzer) -> None:
    text = ("N. Korea urges talks\n\nN. Korea urged S. Korea on Monday to return a detained "
            "fisherman, the official news agency said.")
    result = analyzer.analyse([text])[0]
    assert result.locations == ("North Korea", "South Korea")
    assert result.persons == ()


def test_a_name_written_once_as_a_place_is_a_place_throughout(analyzer: Analyzer) -> None:
    text = ("Troops retake town\n\nGovernment troops took control of the mountain town of "
            "Garmidora on Sunday. Garmidora had been held by rebels for a month, and "
            "Garmidora's residents fled.")
    result = analyzer.analyse([text])[0]
    assert result.locations == ("Garmidora",)
    assert result.persons == ()


def test_a_ground_after_at_in_a_sports_report_is_a_place(analyzer: Analyzer) -> None:
    text = ("CRICKET - ENGLAND WIN AT OLD TRAFFORD\n\nLONDON 2024-08-30\n\nEngland beat "
            "Pakistan by five wickets at Old Trafford on Thursday in the first match of the "
            "series. The captain said the team had played well and the bowler took four "
            "wickets in the innings.")
    result = analyzer.analyse([text])[0]
    assert "Old Trafford" in result.locations
    assert "Old Trafford" not in result.organizations


def test_a_person_that_is_an_organizations_short_name_or_a_newspaper_is_an_organization(
    analyzer: Analyzer,
) -> None:
    from generator.ingest.mentions import ORGANIZATION, PERSON, Mention as _Mention

    mentions = [_Mention(ORGANIZATION, ("Varrotti", "SpA"), 0, 12),
                _Mention(PERSON, ("Varrotti",), 20, 28),
                _Mention(PERSON, ("Muenchner", "Zeitung"), 40, 57),
                _Mention(PERSON, ("Anna", "Berti"), 60, 70),
                _Mention(PERSON, ("Berti",), 80, 85)]
    kept = settled(analyzer, mentions)
    kinds = {m.name: m.kind for m in kept}
    assert kinds["Varrotti"] == kinds["Muenchner Zeitung"] == ORGANIZATION
    assert kinds["Anna Berti"] == kinds["Berti"] == PERSON


def test_a_person_span_with_a_country_in_it_is_an_organization(analyzer: Analyzer) -> None:
    from generator.ingest.mentions import ORGANIZATION, PERSON, Mention as _Mention

    mentions = [_Mention(PERSON, ("Malaysia", "Textiles"), 0, 17),
                _Mention(PERSON, ("Jordan", "Pike"), 20, 31)]  # an ambiguous country
    kinds = {m.name: m.kind for m in settled(analyzer, mentions)}
    assert kinds == {"Malaysia Textiles": ORGANIZATION, "Jordan Pike": PERSON}


def test_an_ordinary_word_opening_a_three_word_person_is_dropped(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Stocks steady\n\nShares were steady on Monday. Broker Rahim Uddin Khan said "
            "buyers were waiting, and another broker agreed.")
    doc = analyzer.nlp(text)
    start = next(t.i for t in doc if t.text == "Broker")
    doc.ents = [Span(doc, start, start + 4, label="PERSON")]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [text[m.start:m.end] for m in mentions] == ["Rahim Uddin Khan"]


def test_a_person_span_opening_with_a_club_word_is_an_organization(analyzer: Analyzer) -> None:
    from generator.ingest.mentions import ORGANIZATION, PERSON, Mention as _Mention

    mentions = [_Mention(PERSON, ("Deportivo", "Arenas"), 0, 16),
                _Mention(PERSON, ("Real", "Orvieto"), 20, 32)]
    kinds = {m.name: m.kind for m in settled(analyzer, mentions)}
    assert kinds == {"Deportivo Arenas": ORGANIZATION, "Real Orvieto": ORGANIZATION}


def test_headline_words_the_body_never_capitalises_are_cut_from_a_name_end(
    analyzer: Analyzer,
) -> None:
    from spacy.tokens import Span

    text = ("BOXING - HARNFIELD TOWN PUNISHED\n\nLONDON 2024-08-30\n\nHarnfield Town "
            "were fined on Friday after their players fought in the tunnel.")
    doc = analyzer.nlp(_normal_case(text))
    start = next(t.i for t in doc if t.text == "Harnfield")
    doc.ents = [Span(doc, start, start + 3, label="ORG")]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert next(text[m.start:m.end] for m in mentions) == "HARNFIELD TOWN"


def test_a_title_case_headline_keeps_its_verbs_out_of_names(analyzer: Analyzer) -> None:
    """Scraped pages often give the headline in title case: "Warns" is no part of Farage's name, "Harbour
    Tender Reaches" is no person (the story speaks of the tender), and a name the headline alone gives stays."""
    from spacy.tokens import Span

    text = ("Nigel Farage Warns Harbour Tender Reaches Port Before Accusing Ottilie Vandermeer\n\n"
            "Farage said on Friday that the harbour tender would reach port by noon.\n\n"
            "The tender carried forty passengers and its crew.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, 0, 3, label="PERSON"),  # "Nigel Farage Warns", as the model may read a headline
                Span(doc, words.index("Harbour"), words.index("Harbour") + 3, label="PERSON"),
                Span(doc, words.index("Ottilie"), words.index("Ottilie") + 2, label="PERSON")]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [text[m.start:m.end] for m in mentions if m.kind == "person" and m.start < text.index("\n")] == [
        "Nigel Farage", "Ottilie Vandermeer"]
    assert analyzer.analyse([text])[0].persons[:1] == ("Nigel Farage",)


def test_what_the_model_runs_into_a_persons_name_is_cut_off(analyzer: Analyzer) -> None:
    """Web news puts an outlet's name before its reporter's, brackets a word the writer added, and glues
    a dash between a quote and the next name; the model reads each as one person."""
    from spacy.tokens import Span

    text = ("Ministers Meet in Harnfield\n\n"
            "Harnfield Daily’s Ottilie Vandermeer asked the minister, [Tomas] Brekke, about the harbour.\n\n"
            "He called it “a fair fight”—Ingrid Solberg of the council disagreed; "
            "Arno Kessel (Harnfield Rovers) stayed away from the Saviour’s Day parade.\n\n"
            "Kettleby Radio’s Sven Aalto asked next. Aalto wanted dates.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]

    def span(first: str, last: str) -> Span:
        start = words.index(first)
        return Span(doc, start, words.index(last, start) + 1, label="PERSON")

    doc.ents = [span("Harnfield", "Vandermeer"), span("Tomas", "Brekke"),
                span(next(w for w in words if w.endswith("—Ingrid")), "Solberg"),
                span("Arno", "Rovers"), span("Saviour", "Day"),
                Span(doc, words.index("Kettleby"), words.index("Aalto") + 1, label="ORG")]  # an outlet and its reporter
    later = words.index("Aalto", words.index("Aalto") + 1)  # "Aalto wanted dates."
    doc.ents = [*doc.ents, Span(doc, later, later + 1, label="PERSON")]
    _, mentions = analyzer.analyse_doc(doc, text)
    people = [m for m in mentions if m.kind == "person"]
    assert [m.name for m in people] == ["Ottilie Vandermeer", "Tomas Brekke", "Ingrid Solberg", "Arno Kessel",
                                        "Sven Aalto", "Aalto"]
    assert [text[m.start:m.end] for m in people] == ["Ottilie Vandermeer", "Tomas] Brekke", "Ingrid Solberg",
                                                     "Arno Kessel", "Sven Aalto", "Aalto"]
    assert not [m for m in mentions if m.kind != "person" and "Aalto" in m.name]


def test_a_family_named_by_the_plural_of_a_surname_is_no_person(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Ottilie Vandermeer met donors in Harnfield on Friday.\n\n"
            "The Vandermeers have raised money there for years, and Jonas Williams said so.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, 0, 2, label="PERSON"),
                Span(doc, words.index("Vandermeers"), words.index("Vandermeers") + 1, label="PERSON"),
                Span(doc, words.index("Jonas"), words.index("Jonas") + 2, label="PERSON")]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [m.name for m in mentions if m.kind == "person"] == ["Ottilie Vandermeer", "Jonas Williams"]


def test_a_lone_word_ending_a_place_of_the_article_is_that_place(analyzer: Analyzer) -> None:
    """"Vegas" after "Las Vegas" is the city, read as a person or not; "Kessel" ending a person's name stays."""
    from spacy.tokens import Span

    text = ("Crowds gathered in Las Vegas on Sunday, and Arno Kessel spoke in Kessel Falls.\n\n"
            "Vegas police said the square would reopen. Kessel thanked them.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]

    def at(word: str, size: int, label: str, start: int = 0) -> Span:
        i = words.index(word, start)
        return Span(doc, i, i + size, label=label)

    doc.ents = [at("Las", 2, "GPE"), at("Arno", 2, "PERSON"), at("Kessel", 2, "GPE", words.index("Arno") + 2),
                at("Vegas", 1, "PERSON", words.index("Las") + 2), at("Kessel", 1, "PERSON", words.index("thanked") - 1)]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [m.name for m in mentions if m.kind == "person"] == ["Arno Kessel", "Kessel"]
    assert [m.name for m in mentions if m.kind == "location"] == ["Las Vegas", "Kessel Falls", "Las Vegas"]


def test_ordinary_words_run_into_a_persons_name_are_cut_off(analyzer: Analyzer) -> None:
    """A widget's "Vandermeer Campaign" is Ottilie Vandermeer's; "Graham Hill" stays whole beside a hill, since
    "Graham" is no one else in the story, and so does "Exposed Vandermeer" (a word before a name may be a name)."""
    from spacy.tokens import Span

    text = ("Ottilie Vandermeer spoke to the campaign on Friday and exposed the plan.\n\n"
            "Vandermeer Campaign\n\nExposed Vandermeer\n\n"
            "Graham Hill walked up the hill.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    line, other = words.index("Campaign") - 1, words.index("Exposed")
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, line, line + 2, label="PERSON"),
                Span(doc, other, other + 2, label="PERSON"),
                Span(doc, words.index("Graham"), words.index("Graham") + 2, label="PERSON")]
    _, mentions = analyzer.analyse_doc(doc, text)
    people = [m for m in mentions if m.kind == "person"]
    assert [text[m.start:m.end] for m in people] == ["Ottilie Vandermeer", "Vandermeer", "Exposed Vandermeer",
                                                     "Graham Hill"]


def test_a_lone_ordinary_word_is_a_person_only_where_the_article_writes_it_as_a_name(analyzer: Analyzer) -> None:
    """"Absurd" opening a quote and "the Gospel" are no people; "Stone", written with a capital inside a sentence,
    "Winner" after a quote and "Bush" in "the Bush administration" are, although all three are words too."""
    from spacy.tokens import Span

    text = ("“Absurd as it may sound, the plan will pass,” said Ottilie Vandermeer.\n\n"
            "The preacher took the Gospel to the villages, and a report by Stone agreed.\n\n"
            "“I am sorry,” Winner said.\n\nCritics of the Bush administration were heard.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(w), words.index(w) + size, label="PERSON") for w, size in (
        ("Absurd", 1), ("Ottilie", 2), ("Gospel", 1), ("Stone", 1), ("Winner", 1), ("Bush", 1))]
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [m.canonical for m in mentions if m.kind == "person"] == ["Ottilie Vandermeer", "Stone", "Winner", "Bush"]


def test_a_place_the_tagger_reads_as_a_plain_word_is_one_only_where_written_as_a_place(analyzer: Analyzer) -> None:
    """"Seducing the voters" is no place; "Progressives", a word to the tagger where a sentence opens, is one,
    since the story also takes a bus "from Progressives"."""
    from spacy.tokens import Span

    text = ("Seducing the voters was the plan.\n\n"
            "Progressives is a village in the hills, and buses run from Progressives to the coast.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(w), words.index(w) + 1, label="GPE") for w in ("Seducing", "Progressives")]
    assert doc[words.index("Progressives")].tag_ not in ("NNP", "NNPS")  # else the rule has nothing to ask
    _, mentions = analyzer.analyse_doc(doc, text)
    assert [m.canonical for m in mentions if m.kind == "location"] == ["Progressives"]


def test_a_countrys_short_name_is_a_country_and_keeps_the_name_the_story_gives_it(analyzer: Analyzer) -> None:
    """"(Netherlands)" and "(Bosnia)" after an athlete are countries as much as "(Germany)" is, though the gazetteer
    calls them "The Netherlands" and "Bosnia and Herzegovina"; and a story's Burma is listed as Burma."""
    from spacy.tokens import Span

    text = ("Pole vault results:\n\n1. Jan Bakker (Netherlands) 5.80\n\n2. Ivo Peric (Bosnia) 5.70\n\n"
            "3. Tim Lobinger (Germany) 5.65\n\nThe winner trains in Burma.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(w), words.index(w) + 2, label="ORG") for w in ("Jan", "Ivo", "Tim")]
    analysis, _ = analyzer.analyse_doc(doc, text)
    assert analysis.persons == ("Jan Bakker", "Ivo Peric", "Tim Lobinger")
    assert analyzer.gazetteer.place("Burma") == "Burma" and analyzer.gazetteer.place("Netherlands") == "Netherlands"


def test_a_capitalised_joining_word_in_a_title_case_line_ends_a_persons_name(analyzer: Analyzer) -> None:
    """A headline "Vandermeer Threatens To Send Troops To The Border" gives Ottilie Vandermeer, and a line "Senate
    Split Into Camps Over The Plan, Again" no one; in prose, where "As" may be part of a name ("Elhadj As Sy"),
    the name stays whole."""
    from spacy.tokens import Span

    text = ("Vandermeer Threatens To Send Troops To The Border\n\n"
            "Ottilie Vandermeer spoke on Friday, and Elhadj As Sy, who leads the federation, said that the appeal "
            "was short of money.\n\nSenate Split Into Camps Over The Plan, Again")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]

    def span(first: str, size: int) -> Span:
        return Span(doc, words.index(first), words.index(first) + size, label="PERSON")

    doc.ents = [span("Vandermeer", 5), span("Ottilie", 2), span("Elhadj", 3), span("Senate", 4)]
    _, mentions = analyzer.analyse_doc(doc, text)
    people = [(text[m.start:m.end], m.canonical) for m in mentions if m.kind == "person"]
    assert people == [("Vandermeer", "Ottilie Vandermeer"), ("Ottilie Vandermeer", "Ottilie Vandermeer"),
                      ("Elhadj As Sy", "Elhadj As Sy")]


def test_a_word_that_opens_a_sentence_is_no_part_of_the_name_after_it(analyzer: Analyzer) -> None:
    """The model reads "Said Ottilie Vandermeer" and "Instead Brackett" as names: the verb or adverb opening the
    sentence is cut off, so the first is Ottilie Vandermeer and the second the Jon Brackett the article names
    (the surname left stands for the whole name). A sentence may open with a given name the tagger reads as a
    word ("Will Harnsby"): a modal verb is not cut."""
    from spacy.tokens import Span

    text = ("The appeal opens\n\nThe federation opened its appeal on Friday, led by Jon Brackett and Will Harnsby.\n\n"
            "Said Ottilie Vandermeer, who chairs the board: \"We are short of money.\"\n\n"
            "Instead Brackett, who was there, asked for help.\n\nWill Harnsby will speak next week.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    starts = [i for i, w in enumerate(words) if w in ("Said", "Instead", "Jon")] + [len(words) - 7]
    doc.ents = [Span(doc, i, i + (3 if words[i] == "Said" else 2), label="PERSON") for i in sorted(starts)]
    assert doc[starts[-1]].text == "Will" and doc[starts[-1]].tag_ == "MD"
    assert {doc[i].tag_ for i in starts if words[i] in ("Said", "Instead")} <= {"VBD", "RB"}
    result, mentions = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Jon Brackett", "Ottilie Vandermeer", "Will Harnsby")
    assert [text[m.start:m.end] for m in mentions if m.kind == "person"][1:3] == ["Ottilie Vandermeer", "Brackett"]


def test_a_people_or_an_adjective_before_a_name_is_no_part_of_it(analyzer: Analyzer) -> None:
    """"Briton Tavi Kessel" anywhere in a sentence is Tavi Kessel, and "Relieved Ramos" opening one is the Ivo
    Ramos the story names."""
    from spacy.tokens import Span

    text = ("Kessel wins\n\nThe final went to Briton Tavi Kessel on Sunday, and Ivo Ramos played too.\n\n"
            "Relieved Ramos scored twice in the second half, the coach said.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(first), words.index(first) + size, label="PERSON")
                for first, size in (("Briton", 3), ("Ivo", 2), ("Relieved", 2))]
    assert doc[words.index("Relieved")].tag_ == "JJ"
    result, mentions = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Tavi Kessel", "Ivo Ramos")
    assert [text[m.start:m.end] for m in mentions if m.kind == "person"] == ["Tavi Kessel", "Ivo Ramos", "Ramos"]


def test_a_people_named_after_its_place_before_a_name_is_no_part_of_it(analyzer: Analyzer) -> None:
    """"Kenyan Tavi Kessel", "Californian Ottilie Vandermeer": a word made from a place the gazetteer knows ("Kenya",
    "California") with a people's ending says where the person is from, wherever it stands; "Marian Anne Brackett"
    keeps her given name, which the name lexicon knows, though "Maria" is a place too."""
    from spacy.tokens import Span

    text = ("Race results\n\nThe race went to Kenyan Tavi Kessel on Sunday, ahead of Californian Ottilie Vandermeer "
            "and Marian Anne Brackett, who said it was hot.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(first), words.index(first) + 3, label="PERSON")
                for first in ("Kenyan", "Californian", "Marian")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Tavi Kessel", "Ottilie Vandermeer", "Marian Anne Brackett")


def test_a_party_before_a_name_is_no_part_of_it(analyzer: Analyzer) -> None:
    """"Tory Tavi Kessel" and "Lib Dem Ottilie Vandermeer" are the party's members Tavi Kessel and Ottilie
    Vandermeer, though "Tory" is a given name too."""
    from spacy.tokens import Span

    text = ("The vote\n\nThe motion was put by Tory Tavi Kessel and Lib Dem Ottilie Vandermeer on Monday, and it "
            "passed.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index("Tory"), words.index("Tory") + 3, label="PERSON"),
                Span(doc, words.index("Lib"), words.index("Lib") + 4, label="PERSON")]
    result, mentions = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Tavi Kessel", "Ottilie Vandermeer")
    assert [text[m.start:m.end] for m in mentions] == ["Tavi Kessel", "Ottilie Vandermeer"]


def test_a_word_describing_the_person_a_headline_opens_with_is_no_part_of_the_name(analyzer: Analyzer) -> None:
    """"Veteran Kessel wins Harnfield title" names Tavi Kessel; "Newt Brackett leads the count" keeps its given
    name, though "newt" is also a word: the story writes it again."""
    from spacy.tokens import Span

    for headline, first, expected in (("Veteran Kessel wins Harnfield title", "Veteran", "Tavi Kessel"),
                                      ("Newt Brackett leads the count", "Newt", "Newt Brackett")):
        surname = headline.split()[1]
        text = (f"{headline}\n\nThe final went to {expected} on Sunday in Harnfield, and {surname} said that "
                "it was the best day of the year.")
        doc = analyzer.nlp(_normal_case(text))
        words = [t.text for t in doc]
        doc.ents = [Span(doc, 0, 2, label="PERSON"),
                    Span(doc, words.index(expected.split()[0], 2), words.index(expected.split()[0], 2) + 2,
                         label="PERSON")]
        result, _ = analyzer.analyse_doc(doc, text)
        assert result.persons == (expected,), first


def test_a_name_alone_in_quotation_marks_is_no_person(analyzer: Analyzer) -> None:
    """A story's quoted title or nickname ("code-named ‘Maximum Thunder.’", "“Creepy Lawyer” for the actress") is
    no person, but a quote that opens with a person's name is still that person ("“Ottilie Vandermeer's plan"). """
    from spacy.tokens import Span

    text = ("Exercise ends\n\nThe second exercise, code-named ‘Maximum Thunder.’ ended on Friday, said Tavi Kessel. "
            "A “Creepy Lawyer” for the actress spoke too.\n\n“Ottilie Vandermeer's plan worked,” Kessel said.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]
    doc.ents = [Span(doc, words.index(first), words.index(first) + 2, label="PERSON")
                for first in ("Maximum", "Tavi", "Creepy", "Ottilie")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Tavi Kessel", "Ottilie Vandermeer")


def test_a_headline_quoted_in_the_body_keeps_its_words_out_of_names(analyzer: Analyzer) -> None:
    """A related story's headline in title case inside the body ("Judge Wrestles With Issue Of Harnfield
    Workers, by Tavi Kessel") gives no person "Wrestles With Issue" and cuts "Defending Tweet" off a name; a list
    of names and titles in prose ("Deputy Attorney General Jon Brackett, and Harbour Director Ottilie
    Vandermeer") is no headline, and keeps its people."""
    from spacy.tokens import Span

    text = ("Workers win\n\nThe judge heard the issue of the workers defending the port, and her tweet was read. "
            "Deputy Attorney General Jon Brackett, and Harbour Director Ottilie Vandermeer spoke to the director on "
            "Friday.\n\nThe workers said that they were glad and that the port would be busy again, as it was in "
            "the spring. Judge Wrestles With Issue Of Harnfield Workers, by Tavi Kessel, and Brackett Defending "
            "Tweet On Workers With Judge, both of them read by many of the workers who had been there.")
    doc = analyzer.nlp(_normal_case(text))
    words = [t.text for t in doc]

    def span(first: str, size: int, nth: int = 0) -> Span:
        at = [i for i, w in enumerate(words) if w == first][nth]
        return Span(doc, at, at + size, label="PERSON")

    doc.ents = [span("Jon", 2), span("Ottilie", 2), span("Wrestles", 3), span("Tavi", 2),
                span("Brackett", 3, 1)]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Jon Brackett", "Ottilie Vandermeer", "Tavi Kessel")


def test_a_home_team_written_in_capitals_is_listed_in_normal_case(analyzer: Analyzer) -> None:
    text = ("BASEBALL - RESULTS\n\nNEW YORK 2024-08-31\n\nResults of games on Friday "
            "(home team in CAPS):\n\nKETTLEBY 7 Harnfield 4\n\nOstrow 3 MARSHAM 2")
    result = analyzer.analyse([text])[0]
    assert {"Kettleby", "Harnfield", "Ostrow", "Marsham"} <= set(result.organizations)


def test_the_parts_of_a_dated_dateline_are_places(analyzer: Analyzer) -> None:
    text = ("Mill closes\n\nHARNFIELD, Calif. 2024-08-30\n\nThe town's last paper mill closed "
            "on Friday, the owners said.")
    doc = analyzer.nlp(_normal_case(text))
    doc.ents = []  # as if the model had missed them
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.locations == ("Harnfield", "Calif")


def test_a_one_word_person_after_at_in_a_sports_report_is_a_ground(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("CRICKET - KENT WIN\n\nLONDON 2024-08-30\n\nKent beat Essex by six wickets at "
            "Brackleigh on Friday in the last match of the season.")
    doc = analyzer.nlp(_normal_case(text))
    at = next(t.i for t in doc if t.text == "Brackleigh")
    doc.ents = [Span(doc, at, at + 1, label="PERSON")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert "Brackleigh" in result.locations
    assert "Brackleigh" not in result.persons


def test_the_players_of_a_numbered_line_up_are_people(analyzer: Analyzer) -> None:
    text = ("Rugby - Harnfield win\n\nHarnfield beat Ostrow 20-10 in the league on "
            "Saturday, the coach said after the match.\n\nHarnfield - 15 - Tavi Orrendo, "
            "14 - Kobie Marsh (Lindo Pask, 40 mins), 13 - Danie van Ruth, 12 - Olo Weka.")
    persons = set(analyzer.analyse([text])[0].persons)
    assert {"Tavi Orrendo", "Kobie Marsh", "Lindo Pask", "Danie van Ruth", "Olo Weka"} <= persons


def test_a_regnal_number_is_part_of_a_persons_name(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("On this day\n\nIn 1930 King Baudouin I of Belgium was born, and Queen "
            "Elizabeth II visited the town.")
    doc = analyzer.nlp(text)
    ents = [Span(doc, i, i + 1, label="PERSON") for i, t in enumerate(doc)
            if t.text in ("Baudouin", "Elizabeth")]
    doc.ents = ents
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Baudouin I", "Elizabeth II")


def test_a_place_hyphenated_into_a_modifier_is_no_location(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Group protests\n\nThe Vienna-based group and pro-Madrid leaders protested in "
            "Lisbon on Monday.")
    doc = analyzer.nlp(text)
    doc.ents = [Span(doc, i, i + 1, label="GPE") for i, t in enumerate(doc)
                if t.text in ("Vienna", "Madrid", "Lisbon")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.locations == ("Lisbon",)


def test_an_organization_written_as_the_city_of_a_name_is_a_place(analyzer: Analyzer) -> None:
    from generator.ingest.mentions import LOCATION, ORGANIZATION, Mention as _Mention

    mentions = [_Mention(ORGANIZATION, ("Garmidora",), 0, 9, place_of=True),
                _Mention(ORGANIZATION, ("Garmidora",), 20, 29),
                _Mention(ORGANIZATION, ("Harnfield", "Textiles"), 40, 58)]
    kinds = {m.name: m.kind for m in settled(analyzer, mentions)}
    assert kinds == {"Garmidora": LOCATION, "Harnfield Textiles": ORGANIZATION}


def test_names_run_together_on_a_list_line_give_the_articles_people_never_one_glued_name(
    analyzer: Analyzer,
) -> None:
    from spacy.tokens import Span

    text = ("Who will win?\n\nSenator Ann Cole met Mark Dunmore and Ruth Vance on Monday.\n"
            "* Ann Cole Mark Dunmore Ruth Vance Peter Hale\nThe meeting went on.")
    doc = analyzer.nlp(text)
    line = text.index("* Ann") + 2
    first = next(t.i for t in doc if t.idx == line)
    # As the model reads such a line: names glued across the items.
    doc.ents = [e for e in doc.ents if e.start_char < line] + [
        Span(doc, first, first + 3, label="PERSON"), Span(doc, first + 3, first + 6, label="PERSON"),
        Span(doc, first + 6, first + 8, label="PERSON")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert set(result.persons) == {"Ann Cole", "Mark Dunmore", "Ruth Vance"}


def test_a_name_listed_only_on_a_list_line_is_left_out(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = "Poll\n\nReaders were asked on Monday whom they trust.\nTed Oram Lyle Bask Nina Ferro Abe Lund\n"
    doc = analyzer.nlp(text)
    line = text.index("Ted")
    first = next(t.i for t in doc if t.idx == line)
    doc.ents = [Span(doc, first, first + 3, label="PERSON"), Span(doc, first + 3, first + 6, label="PERSON")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ()


def test_a_list_with_commas_is_read_as_the_model_reads_it(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Squad named\n\nThe coach named his squad on Monday.\n\n"
            "Tavi Orrendo, Kobie Marsh, Lindo Pask, Olo Weka.")
    doc = analyzer.nlp(text)
    starts = [t.i for t in doc if t.text in ("Tavi", "Kobie", "Lindo", "Olo")]
    doc.ents = [Span(doc, i, i + 2, label="PERSON") for i in starts]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Tavi Orrendo", "Kobie Marsh", "Lindo Pask", "Olo Weka")


def test_the_verb_opening_a_question_is_no_first_name(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Hearing ends\n\nWill Mara Lindqvist be confirmed to the court?\n"
            "The hearing of Mara Lindqvist ended on Friday, senators said.")
    doc = analyzer.nlp(text)
    will = next(t.i for t in doc if t.text == "Will")
    # As the model reads it: "Will Mara" a person, the surname left out.
    doc.ents = [e for e in doc.ents if e.start > will + 2] + [Span(doc, will, will + 2, label="PERSON")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Mara Lindqvist",)


def test_a_title_a_person_is_known_by_stays_with_a_lone_name(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Pope visits\n\nPope Aurelian arrived in Lisbon on Monday. Aurelian said the "
            "church must listen, and Queen Maud II sent greetings.")
    doc = analyzer.nlp(text)
    doc.ents = [Span(doc, i, i + 1, label="PERSON") for i, t in enumerate(doc)
                if t.text in ("Aurelian", "Maud")]
    result, _ = analyzer.analyse_doc(doc, text)
    assert result.persons == ("Pope Aurelian", "Maud II")


def test_a_headline_word_after_a_title_is_no_name(analyzer: Analyzer) -> None:
    from spacy.tokens import Span

    text = ("Pope Accused in Abuse Case\n\nThe pope was accused on Monday of hiding abuse, "
            "and the accused bishop resigned.")
    doc = analyzer.nlp(text)
    doc.ents = [Span(doc, 1, 2, label="PERSON")]  # "Accused", as the model may read a headline
    result, _ = analyzer.analyse_doc(doc, text)
    assert "Pope Accused" not in result.persons
