"""One page per person and place across the archive, aliases, and the entity pages' extra facts."""

import shutil
from pathlib import Path

from generator.archive import build_archive
from generator.config import load_config
from generator.decisions.names import Aliases, canonicalise, load_aliases
from generator.model import Article
from generator.pipeline import Builder
from tests.helpers import REPO, parse, visible_text


def article(slug: str, persons=(), locations=(), organizations=(), date=None) -> Article:
    return Article(slug=slug, title=slug.title(), summary="", body_html="", date=date,
                   persons=tuple(persons), locations=tuple(locations), organizations=tuple(organizations))


def test_a_surname_alone_joins_the_one_full_name_in_the_archive():
    articles = canonicalise([article("a", ["Barack Obama", "Joe Biden"]), article("b", ["Obama"])], Aliases())
    assert articles[1].persons == ("Barack Obama",)


def test_an_ambiguous_surname_is_never_guessed():
    articles = canonicalise(
        [article("a", ["Maria Carter"]), article("b", ["Leon Carter"]), article("c", ["Carter"])], Aliases())
    assert articles[2].persons == ("Carter",)


def test_country_variants_become_the_country():
    for variant in ("U.S.", "US", "America", "United States"):
        assert canonicalise([article("a", locations=[variant, "Texas"])], Aliases())[0].locations == ("United States", "Texas")


def test_a_us_datelines_state_abbreviation_and_dc_become_the_state_and_the_capital():
    articles = canonicalise([article("a", locations=["Irvine", "Calif."]), article("b", locations=["D.C.", "Fla."]),
                             article("c", locations=["Washington D.C.", "California"])], Aliases())
    assert [a.locations for a in articles] == [("Irvine", "California"), ("Washington", "Florida"),
                                               ("Washington", "California")]


def test_unknown_places_spelt_one_letter_apart_share_the_more_used_spelling():
    articles = canonicalise([article("a", locations=["Bajaur"]), article("b", locations=["Bajur"]),
                             article("c", locations=["Bajur", "Pakistan"])], Aliases(), known_place=lambda n: None)
    assert [a.locations for a in articles] == [("Bajur",), ("Bajur",), ("Bajur", "Pakistan")]


def test_known_places_one_letter_apart_stay_apart():
    known = {"Austria", "Australia", "Sudan", "Sedan"}
    articles = canonicalise([article("a", locations=["Sudan"]), article("b", locations=["Sedan"])], Aliases(),
                            known_place=lambda n: n if n in known else None)
    assert [a.locations for a in articles] == [("Sudan",), ("Sedan",)]


def test_aliases_rename_and_drop(tmp_path):
    path = tmp_path / "aliases.toml"
    path.write_text('[persons]\n"Anfield" = false\n"Mr Smith" = "John Smith"\n\n[locations]\n"Motown" = "Detroit"\n',
                    encoding="utf-8")
    aliases = load_aliases(path)
    (a,) = canonicalise([article("a", ["Mr Smith", "Anfield"], ["Motown"])], aliases)
    assert a.persons == ("John Smith",) and a.locations == ("Detroit",)


def test_related_lists_count_the_company_a_term_keeps():
    import datetime as dt

    archive = build_archive([
        article("a", ["Anke de Vries", "Pieter Bakker"], ["Rotterdam"], ["FNV"], dt.date(2016, 5, 1)),
        article("b", ["Anke de Vries", "Pieter Bakker"], ["Rotterdam", "Amsterdam"], [], dt.date(2016, 6, 1)),
        article("c", ["Anke de Vries"], ["Amsterdam"], [], dt.date(2017, 1, 2)),
    ], ["persons", "locations"])
    anke = archive.related[("persons", "anke-de-vries")]
    assert [(link.name, n) for link, n in anke.persons] == [("Pieter Bakker", 2)]
    assert [(link.name, n) for link, n in anke.locations] == [("Amsterdam", 2), ("Rotterdam", 2)]
    assert anke.organizations == (("FNV", 1),)
    assert (anke.first, anke.last) == (dt.date(2016, 5, 1), dt.date(2017, 1, 2))
    rotterdam = archive.related[("locations", "rotterdam")]
    assert [(link.name, n) for link, n in rotterdam.locations] == [("Amsterdam", 1)]


def test_related_names_equal_but_for_case_come_in_one_order_in_every_process():
    import os
    import subprocess
    import sys

    script = ("from tests.test_canon import article; from generator.archive import build_archive; "
              "a = [article('a', ['Anke de Vries'], [], ['Everquest', 'EverQuest', 'EVERQUEST'])]; "
              "print([n for n, _ in build_archive(a, ['persons']).related[('persons', 'anke-de-vries')].organizations])")
    orders = {subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert orders == {"['EVERQUEST', 'EverQuest', 'Everquest']\n"}


def write(root: Path, slug: str, persons: list[str], locations: list[str], date: str | None) -> None:
    from generator.content import dump_content

    path = root / "content" / "articles" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"title": slug.replace("-", " ").title(), "slug": slug, "date": date, "summary": "S.",
            "persons": persons, "locations": locations}
    path.write_text(dump_content({k: v for k, v in meta.items() if v is not None}, "Body.\n"), encoding="utf-8")


def test_a_term_page_says_how_many_of_its_articles_its_dates_come_from(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    write(root, "port-reopens", ["Anke de Vries"], ["Rotterdam"], "2016-05-12")
    write(root, "port-history", ["Anke de Vries"], ["Rotterdam"], None)
    write(root, "port-strike", ["Pieter Bakker"], ["Amsterdam"], "2016-05-01")
    write(root, "strike-ends", ["Pieter Bakker"], ["Amsterdam"], "2016-05-20")
    Builder(load_config(root), workers=1).build()
    rotterdam = visible_text(root / "public" / "locations" / "rotterdam" / "index.html")
    assert "Covered on 12 May 2016 (1 of its 2 articles carry a date)" in rotterdam
    amsterdam = visible_text(root / "public" / "locations" / "amsterdam" / "index.html")
    assert "Covered from 1 May 2016 to 20 May 2016" in amsterdam and "carry a date" not in amsterdam


def test_the_archive_pages_follow_the_canonical_names_and_aliases(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    write(root, "summit-opens", ["Barack Obama"], ["Washington", "U.S."], "2009-04-01")
    write(root, "obama-speaks", ["Obama"], ["America"], "2009-04-02")
    write(root, "stadium-news", ["Anfield"], ["Liverpool"], "2009-04-03")
    Builder(load_config(root), workers=1).build()
    public = root / "public"
    obama = public / "persons" / "barack-obama" / "index.html"
    assert {"/articles/summit-opens/", "/articles/obama-speaks/"} <= set(parse(obama).links)
    assert not (public / "persons" / "obama").exists()
    assert not (public / "locations" / "u-s").exists() and not (public / "locations" / "america").exists()
    united = visible_text(public / "locations" / "united-states" / "index.html")
    assert "Country" in united and "2 articles" in united
    washington = visible_text(public / "locations" / "washington" / "index.html")
    assert "City in United States" in washington and "° N" in washington
    assert "Often appears with" in washington and "Barack Obama" in washington
    assert "Covered on 1 April 2009" in washington
    # An editor decides that Anfield is no person: the next build moves it, with no re-ingest.
    (root / "content" / "aliases.toml").write_text('[persons]\n"Anfield" = false\n', encoding="utf-8")
    Builder(load_config(root), workers=1).build()
    assert not (public / "persons" / "anfield").exists()
    assert "Anfield" in (root / "content" / "articles" / "stadium-news.md").read_text(encoding="utf-8")



def test_a_name_typed_with_a_curly_or_a_plain_apostrophe_has_one_page(tmp_path):
    """Web pages type "O’Kessel", word processors and older feeds "O'Kessel": one person, one page."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    write(root, "harbour-plan", ["Tavi O\u2019Kessel"], ["Washington"], "2009-04-01")
    write(root, "harbour-vote", ["Tavi O\u2019Kessel"], ["Washington"], "2009-04-02")
    write(root, "harbour-opens", ["Tavi O'Kessel"], ["Washington"], "2009-04-03")
    Builder(load_config(root), workers=1).build()
    persons = root / "public" / "persons"
    assert {p.name for p in persons.iterdir() if p.is_dir()} == {"tavi-o-kessel", "popular"}  # "popular": the index
    page = persons / "tavi-o-kessel" / "index.html"
    assert {"/articles/harbour-plan/", "/articles/harbour-vote/", "/articles/harbour-opens/"} <= set(parse(page).links)
    assert ">Tavi O\u2019Kessel</h1>" in page.read_text(encoding="utf-8")  # the spelling most articles use

def test_an_editors_description_shows_on_the_term_page(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    write(root, "summit-opens", ["Barack Obama"], ["Washington"], "2009-04-01")
    (root / "content" / "persons").mkdir(parents=True)
    (root / "content" / "persons" / "barack-obama.md").write_text(
        "---\ntitle: Barack Obama\n---\n\nThe 44th *president* of the United States.\n", encoding="utf-8")
    Builder(load_config(root), workers=1).build()
    page = (root / "public" / "persons" / "barack-obama" / "index.html").read_text(encoding="utf-8")
    assert "The 44th <em>president</em> of the United States." in page


# Archive-wide identity: one page per person.

def test_a_surname_joins_the_full_name_most_of_the_archive_means():
    articles = canonicalise([article("a", ["Maria Carter"]), article("b", ["Maria Carter"]),
                             article("c", ["Maria Carter"]), article("d", ["Leon Carter"]), article("e", ["Carter"])],
                            Aliases())
    assert articles[-1].persons == ("Maria Carter",)


def test_an_article_that_names_the_other_person_keeps_its_own():
    articles = canonicalise([article("a", ["Maria Carter"]), article("b", ["Maria Carter"]),
                             article("c", ["Leon Carter", "Carter"])], Aliases())
    assert articles[-1].persons == ("Leon Carter",)


def test_middle_names_and_initials_are_one_person():
    articles = canonicalise([article("a", ["Paul A. Volcker"]), article("b", ["Paul Volcker"]),
                             article("c", ["Paul Volcker"]), article("d", ["Volcker"])], Aliases())
    assert {a.persons for a in articles} == {("Paul Volcker",)}


def test_two_different_middle_initials_are_two_people_and_counts_decide_the_bare_name():
    names = ["Gary W Hollis"] * 6 + ["Gary H W Hollis"] + ["Gary Hollis"]
    articles = canonicalise([article(str(i), [n]) for i, n in enumerate(names)], Aliases())
    assert [a.persons[0] for a in articles] == ["Gary W Hollis"] * 6 + ["Gary H W Hollis", "Gary W Hollis"]


def test_a_short_first_name_is_the_same_person_with_the_same_surname():
    from generator.decisions.names import NameLexicon

    lexicon = NameLexicon(frozenset({"william", "bill"}), {"william": frozenset({"bill"}), "bill": frozenset({"william"})})
    articles = canonicalise([article("a", ["William Quarry"]), article("b", ["Bill Quarry"]),
                             article("c", ["Bill Quarry"])], Aliases(), lexicon=lexicon)
    assert {a.persons for a in articles} == {("Bill Quarry",)}


def test_a_first_name_cut_short_is_the_one_first_name_it_starts():
    """"Kath Vell" is Katherine Vell; "Mari Quell" could be Marilou or Marisol Quell and stays; "Paul Orr" is no
    Pauline Orr (the lexicon knows "Paul" as a name of its own)."""
    articles = canonicalise(
        [article("a", ["Katherine Vell"]), article("b", ["Katherine Vell"]), article("c", ["Kath Vell"]),
         article("d", ["Marilou Quell"]), article("e", ["Marisol Quell"]), article("f", ["Mari Quell"]),
         article("g", ["Pauline Orr"]), article("h", ["Paul Orr"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Katherine Vell",), ("Katherine Vell",), ("Katherine Vell",),
        ("Marilou Quell",), ("Marisol Quell",), ("Mari Quell",), ("Pauline Orr",), ("Paul Orr",)]


def test_a_name_misspelt_by_a_letter_is_the_same_person_and_a_different_name_is_not():
    """A letter changed, added or swapped in a first name of four letters or more joins the spelling most articles
    use; "Mick" and "Nick" (another first letter), or "Jan" and "Jane" (short names), stay two people. A surname
    joins only when two letters are swapped ("Kesslre"): "Quarrie" and "Quarry" may be two families."""
    articles = canonicalise(
        [article("a", ["Dianne Quarry"]), article("b", ["Dianne Quarry", "Mick Tolland"]),
         article("c", ["Dianna Quarry"]),
         article("d", ["Mikhail Quell"]), article("e", ["Mikhail Quell"]), article("f", ["Mihkail Quell"]),
         article("g", ["Kostas Vell"]), article("h", ["Kostas Vell"]), article("i", ["Costas Vell"]),
         article("j", ["Nick Tolland"]), article("k", ["Jane Brisk"]), article("l", ["Jane Brisk"]),
         article("m", ["Jan Brisk"]), article("n", ["Dianna Quarry-Vell"]), article("o", ["Dianne Quarrie"]),
         article("p", ["Leon Kessler", "Dianne Quarry"]), article("q", ["Leon Kessler"]),
         article("r", ["Leon Kesslre"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Dianne Quarry",), ("Dianne Quarry", "Mick Tolland"), ("Dianne Quarry",),
        ("Mikhail Quell",), ("Mikhail Quell",), ("Mikhail Quell",),
        ("Kostas Vell",), ("Kostas Vell",), ("Kostas Vell",),
        ("Nick Tolland",), ("Jane Brisk",), ("Jane Brisk",), ("Jan Brisk",), ("Dianna Quarry-Vell",),
        ("Dianne Quarrie",), ("Leon Kessler", "Dianne Quarry"), ("Leon Kessler",), ("Leon Kessler",)]



def test_a_name_cut_at_a_hyphen_is_the_hyphenated_name_when_that_is_the_only_one():
    """"Moon Quel" (the model stopped at the hyphen of "Moon Quel-in") is Moon Quel-in; "Kim Vell" may be a
    father's "Kim Vell-il" or a son's "Kim Vell-un"; "Tavi Kessel" is no cut of the "Tavi Kessel-era" fewer
    articles name."""
    articles = canonicalise(
        [article("a", ["Moon Quel-in"]), article("b", ["Moon Quel-in"]), article("c", ["Moon Quel"]),
         article("d", ["Kim Vell-il"]), article("e", ["Kim Vell-un"]), article("f", ["Kim Vell"]),
         article("g", ["Tavi Kessel"]), article("h", ["Tavi Kessel"]), article("i", ["Tavi Kessel-era"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Moon Quel-in",), ("Moon Quel-in",), ("Moon Quel-in",),
        ("Kim Vell-il",), ("Kim Vell-un",), ("Kim Vell",),
        ("Tavi Kessel",), ("Tavi Kessel",), ("Tavi Kessel-era",)]


def test_a_name_written_with_and_without_its_accents_is_one_person():
    """Pages that drop accents write "Tavi Muller" for Tavi Ludwig Müller, and "Quelle" alone for the Dora Quellé
    of their own story."""
    articles = canonicalise(
        [article("a", ["Tavi Ludwig M\u00fcller"]), article("b", ["Tavi Ludwig M\u00fcller"]),
         article("c", ["Tavi Muller"]), article("d", ["Dora Quell\u00e9", "Quelle"]), article("e", ["Leon Quelle"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Tavi Ludwig M\u00fcller",), ("Tavi Ludwig M\u00fcller",), ("Tavi Ludwig M\u00fcller",),
        ("Dora Quell\u00e9",), ("Leon Quelle",)]


def test_an_initial_and_a_surname_is_the_one_full_name_of_that_initial_and_surname():
    """A scorecard's "T. Kessel" (or "T Kessel") is Tavi Kessel; "M. Quell" may be Maria or Milo Quell, and "R.
    Vell" has no full name in the archive: both stay as printed. The line-up does not make a "Kessel" alone in
    another story (where the surname decides between Tavi and Dora Kessel) his."""
    articles = canonicalise(
        [article("a", ["Tavi Kessel"]), article("b", ["T. Kessel", "M. Quell"]), article("c", ["T Kessel"]),
         article("d", ["Maria Quell"]), article("e", ["Milo Quell"]), article("f", ["R. Vell"]),
         article("g", ["Dora Kessel"]), article("h", ["Kessel"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Tavi Kessel",), ("Tavi Kessel", "M. Quell"), ("Tavi Kessel",), ("Maria Quell",), ("Milo Quell",),
        ("R. Vell",), ("Dora Kessel",), ("Kessel",)]


def test_a_line_ups_player_listed_as_an_organization_is_the_one_person_of_that_initial_and_surname():
    """The model took "T. Kessel" of a squad list for a club: Tavi Kessel is the archive's one Kessel with a T.
    "M. Quell" (Maria or Milo) and "R. Vell" (no full name) stay where the article listed them."""
    articles = canonicalise(
        [article("a", ["Tavi Kessel"]), article("b", ["Dora Orr"], organizations=["T. Kessel", "M. Quell", "Vell FC"]),
         article("c", ["Maria Quell"]), article("d", ["Milo Quell"]), article("e", organizations=["R. Vell"])],
        Aliases())
    assert [(a.persons, a.organizations) for a in articles] == [
        (("Tavi Kessel",), ()), (("Dora Orr", "Tavi Kessel"), ("M. Quell", "Vell FC")), (("Maria Quell",), ()),
        (("Milo Quell",), ()), ((), ("R. Vell",))]


def test_a_word_before_a_full_name_the_archive_has_is_no_part_of_it_unless_it_is_a_first_name():
    """"Quellish Maria Kessel" (a headline's "Quellish", a rank or a party) is Maria Kessel; "Anna Maria Kessel" is
    someone else. The longer name names the page when most articles use it."""
    articles = canonicalise(
        [article("a", ["Maria Kessel"]), article("b", ["Quellish Maria Kessel"]), article("c", ["Anna Maria Kessel"]),
         article("d", ["Oruno Quel Tavi Orr"]), article("e", ["Oruno Quel Tavi Orr"]), article("f", ["Tavi Orr"]),
         article("g", ["Tavi Brisk"]), article("h", ["Zelby Quarry"]), article("i", ["Zelby Quarry"]),
         article("j", ["Boy Scout Zelby Quarry"])], Aliases())
    assert [a.persons for a in articles] == [
        ("Maria Kessel",), ("Maria Kessel",), ("Anna Maria Kessel",),
        ("Oruno Quel Tavi Orr",), ("Oruno Quel Tavi Orr",), ("Oruno Quel Tavi Orr",), ("Tavi Brisk",),
        ("Zelby Quarry",), ("Zelby Quarry",), ("Zelby Quarry",)]


def test_a_word_before_several_full_names_is_still_no_first_name():
    """"Kenyan" before three runners' full names is no first name because it starts three names: the words
    after it are first names. "Tavi Orr" and "Tavi Brisk" still make "Tavi" a first name, and "Tavi Maria
    Kessel" someone else than Maria Kessel."""
    articles = canonicalise(
        [article("a", ["Maria Quell"]), article("b", ["Kenyan Maria Quell"]), article("c", ["Dora Vell"]),
         article("d", ["Kenyan Dora Vell"]), article("e", ["Kenyan Anna Orr"]), article("f", ["Maria Kessel"]),
         article("g", ["Tavi Orr"]), article("h", ["Tavi Brisk"]), article("i", ["Tavi Maria Kessel"])],
        Aliases())
    assert [a.persons for a in articles] == [
        ("Maria Quell",), ("Maria Quell",), ("Dora Vell",), ("Dora Vell",), ("Kenyan Anna Orr",),
        ("Maria Kessel",), ("Tavi Orr",), ("Tavi Brisk",), ("Tavi Maria Kessel",)]


def test_the_default_lexicon_knows_short_forms_of_first_names():
    from generator.decisions.names import default_lexicon

    assert default_lexicon().same_first_name("Bill", "William")
    assert not default_lexicon().same_first_name("Bill", "Mary")


def test_a_title_that_is_how_a_person_is_known_is_kept():
    articles = canonicalise([article("a", ["Pope Anselm"]), article("b", ["Pope Anselm"]), article("c", ["Anselm"])],
                            Aliases())
    assert [a.persons for a in articles] == [("Pope Anselm",)] * 3


def test_a_surname_after_a_title_is_the_surname_alone():
    """A story that does not give the full name writes "Bishop Harlan" or "Sen. Harlan": the person most of the
    archive means (its uses after a title count as anybody's), or the one of that surname the story itself
    names; a title written before a given name ("Queen Elspeth") is left alone, and so is a titled surname
    beside two people of that surname."""
    articles = canonicalise([*(article(f"a{i}", ["Joseph Harlan"]) for i in range(6)), article("d", ["Bishop Harlan"]),
                             article("e", ["Sen. Harlan", "Mabel Harlan"]),
                             article("f", ["Bishop Harlan", "Mabel Harlan", "Joseph Harlan"]),
                             article("g", ["Walter Elspeth"]), article("h", ["Queen Elspeth"])], Aliases())
    assert [a.persons for a in articles[6:]] == [("Joseph Harlan",), ("Mabel Harlan",),
                                                ("Bishop Harlan", "Mabel Harlan", "Joseph Harlan"),
                                                ("Walter Elspeth",), ("Queen Elspeth",)]


def test_a_run_on_list_of_names_is_the_person_it_starts_with():
    articles = canonicalise([article("a", ["Dora Quell Maxine"]), article("b", ["Dora Quell"])], Aliases())
    assert articles[0].persons == ("Dora Quell",)


def test_a_name_cut_short_after_an_initial_is_the_full_name_it_starts():
    """"Dora Q." is Dora Q. Quell, whom most articles name so; and "Dora Q. Quell" is no run-on list of "Dora Q."
    and a name starting "Quell", though the archive has one ("Quell Maxine")."""
    articles = canonicalise([article("a", ["Dora Q. Quell"]), article("b", ["Dora Q. Quell", "Quell Maxine"]),
                             article("c", ["Dora Q."]), article("d", ["Dora Q. Quell-era"])], Aliases())
    assert [a.persons for a in articles[:3]] == [("Dora Q. Quell",), ("Dora Q. Quell", "Quell Maxine"),
                                                  ("Dora Q. Quell",)]


def test_a_title_and_a_regnal_number_name_one_person():
    articles = canonicalise([article("a", ["Anselm IV"]), article("b", ["Anselm IV"]), article("c", ["Pope Anselm"])],
                            Aliases())
    assert [a.persons for a in articles] == [("Anselm IV",)] * 3


def test_the_same_words_in_another_order_are_one_person():
    """Family name first or last ("Zhang Yimou", "Yimou Zhang"): the most used order names the page."""
    articles = canonicalise([article("a", ["Zhang Yimou"]), article("b", ["Zhang Yimou"]), article("c", ["Yimou Zhang"]),
                             article("d", ["Yimou Li"])], Aliases())
    assert [a.persons for a in articles] == [("Zhang Yimou",)] * 3 + [("Yimou Li",)]


def test_a_quoted_nickname_inside_a_name_is_left_out():
    articles = canonicalise([article("a", ['David "Fathead" Newman']), article("b", ["David Newman"]),
                             article("c", ["Ted \u201cChappaquiddick\u201d Kennedy"]), article("d", ['"Fathead" Newman'])],
                            Aliases())
    assert [a.persons for a in articles] == [("David Newman",), ("David Newman",), ("Ted Kennedy",),
                                             ('"Fathead" Newman',)]


def test_titles_before_a_full_name_are_left_out():
    """"Gen Tavi Kessel" (a span the model read as an organization, which ingest took for the person) is Tavi
    Kessel's page; a title before a given name ("Queen Ottilie Vandermeer") and one before a surname alone
    ("Prof Brackett") stay."""
    articles = canonicalise([article("a", ["Gen Tavi Kessel"]), article("b", ["Tavi Kessel"]),
                             article("c", ["Prime Minister Ivo Harnsby"]), article("d", ["Queen Ottilie Vandermeer"]),
                             article("e", ["Prof Brackett"])], Aliases())
    assert [a.persons for a in articles] == [("Tavi Kessel",), ("Tavi Kessel",), ("Ivo Harnsby",),
                                             ("Queen Ottilie Vandermeer",), ("Prof Brackett",)]


def test_spellings_of_one_name_share_a_page_named_as_most_articles_write_it():
    import datetime as dt

    day = dt.date(2019, 3, 1)
    archive = build_archive([
        article("older", ["Sean O’Kessel"], date=day - dt.timedelta(days=2)),
        article("both", ["Sean O'Kessel", "Sean O’Kessel"], date=day - dt.timedelta(days=1)),  # listed once
        article("newest", ["Sean O'Kessel", "Tavi Quell", "Tavi Quell"], date=day),
        article("undated", ["Sean O'Kessel"]),
        article("tie-b", ["Maria  Quell"], date=day), article("tie-a", ["Maria Quell"], date=day),
    ], ["persons"])
    persons = archive.taxonomies["persons"]
    sean = persons.by_slug["sean-o-kessel"]
    # Three articles write it plainly, two with the curly apostrophe: the plain one names the page, which lists
    # every article of either spelling once, newest first and the undated last.
    assert sean.name == "Sean O'Kessel"
    assert [a.slug for a in sean.articles] == ["newest", "both", "older", "undated"]
    # A name an article lists twice is one membership; two spellings used equally often: the first alphabetically.
    assert [a.slug for a in persons.by_slug["tavi-quell"].articles] == ["newest"]
    assert persons.by_slug["maria-quell"].name == "Maria  Quell"
    assert [a.slug for a in persons.by_slug["maria-quell"].articles] == ["tie-a", "tie-b"]
    assert [t.slug for t in persons.terms] == ["maria-quell", "sean-o-kessel", "tavi-quell"]
    assert persons.by_slug is persons.by_slug  # made once, shared


def test_a_name_in_capitals_alone_takes_the_normal_spelling_or_normal_case():
    """An embedded post's "TAVI KESSEL" is Tavi Kessel, however often it is shouted; a name no article writes in
    normal case is put into it ("Milo O'Quell bin Vell", "Farmdon Hills"); an editor's alias to capitals stands."""
    articles = canonicalise(
        [article("a", ["TAVI KESSEL"]), article("b", ["TAVI KESSEL"]), article("c", ["Tavi Kessel"]),
         article("d", ["MILO O'QUELL BIN VELL"], ["FARMDON HILLS", "UK"]), article("e", ["NORA QUELL"])],
        Aliases({"persons": {"nora quell": "NORA QUELL"}}))
    assert [a.persons for a in articles] == [("Tavi Kessel",)] * 3 + [("Milo O'Quell bin Vell",), ("NORA QUELL",)]
    assert articles[3].locations == ("Farmdon Hills", "United Kingdom")
