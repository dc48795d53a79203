"""The right kind of thing on each index: archive vote, organization endings, first names, gazetteer, how it is written."""

from generator.decisions.kinds import judge_kinds, read_cues
from generator.decisions.names import Aliases, NameLexicon
from generator.decisions.pages import decide_pages
from generator.model import Article

LEXICON = NameLexicon(frozenset({"maria", "leon", "oskar"}), {})
#: Names, and sentences that write a name as a person, a thing, a place or a common word, for random archives.
NAMES = ["Zelby", "Oskar", "Brackwater", "Quell", "Maria Quell", "Leon Dunmore", "Torvale", "Ashmere"]
CUE_SENTENCES = ["Mr {}, who spoke, left.", "She won the {} twice.", "They met in {} again.", "Two {}s came.",
                 "{} said so.", "A {}-winning cast.", "a {} is a word"]


def article(slug, persons=(), locations=(), organizations=(), body="", dateline=None) -> Article:
    return Article(slug=slug, title=slug, summary="", body_html=f"<p>{body}</p>", dateline=dateline,
                   persons=tuple(persons), locations=tuple(locations), organizations=tuple(organizations))


def kinds(articles, known=lambda name: None):
    return {(j.listed, j.name): j.kind for j in judge_kinds(articles, Aliases(), known, LEXICON)}


def test_the_archive_votes_on_what_a_name_is():
    articles = [article("a", persons=["Dunmore Rovers"])] + [article(f"o{i}", organizations=["Dunmore Rovers"])
                                                              for i in range(3)]
    assert kinds(articles)["persons", "Dunmore Rovers"] == "organizations"


def test_a_person_some_articles_list_as_an_organization_is_a_person():
    """"Leon Dunmore", listed as a person in two articles and as an organization in two (a results line the model
    misread), is a person on all four; "Oskar Films" ends as a firm does, "Quell Dunmore" has no first name the
    lexicon knows, and "Maria Quell" has more articles as an organization: those stay organizations."""
    articles = ([article(f"p{i}", persons=["Leon Dunmore", "Oskar Films", "Quell Dunmore", "Maria Quell"])
                 for i in range(2)]
                + [article(f"o{i}", organizations=["Leon Dunmore", "Oskar Films", "Quell Dunmore", "Maria Quell"])
                   for i in range(2)] + [article("o2", organizations=["Maria Quell"])])
    judged = kinds(articles)
    assert judged["organizations", "Leon Dunmore"] == "persons"
    assert all(("organizations", name) not in judged or judged["organizations", name] == "organizations"
               for name in ("Oskar Films", "Quell Dunmore", "Maria Quell"))
    decided = decide_pages(articles, Aliases(), lexicon=LEXICON).articles
    assert sum("Leon Dunmore" in a.persons for a in decided) == 4
    assert not any("Leon Dunmore" in a.organizations for a in decided)


def test_an_organization_ending_makes_an_organization():
    assert kinds([article("a", persons=["Quellby Holdings"])])["persons", "Quellby Holdings"] == "organizations"
    assert kinds([article("a", locations=["Quellby Ltd"])])["locations", "Quellby Ltd"] == "organizations"


def test_a_service_a_band_a_side_or_a_firm_of_a_trade_is_an_organization():
    names = ["Quellby Patrol", "Dunmore Sisters", "Team Brackwater", "Zelby Foods", "Ashmere Labs", "Oskar Films",
             "Banco Quell Vellano", "Banque du Torvale", "Brackwater Harriers", "Torvale Police", "Dynamo Quellby"]
    judged = kinds([article("a", persons=names[:-2], locations=names[-2:])])
    assert [judged["persons", n] for n in names[:-2]] + [judged["locations", n] for n in names[-2:]] == (
        ["organizations"] * 11)


def test_a_one_word_name_after_what_a_person_does_is_a_person_but_not_after_what_a_firm_does():
    articles = [article(f"a{i}", persons=["Zelby", "Quorvex"], body="The rapper Zelby sang for oil producer Quorvex.")
                for i in range(2)]
    judged = kinds(articles)
    assert judged["persons", "Zelby"] == "persons" and judged["persons", "Quorvex"] is None


def test_a_city_s_name_and_city_is_a_club_unless_the_gazetteer_knows_it():
    """"Manchester City" is a club; "Kansas City" and "Mexico City" are cities the gazetteer knows."""
    known = {"Quellby": type("P", (), {"kind": "city"})(), "Torvale City": type("P", (), {"kind": "city"})(),
             "Torvale": type("P", (), {"kind": "city"})()}.get
    judged = kinds([article(f"a{i}", locations=["Quellby City", "Torvale City"], body="He left Quellby City.")
                    for i in range(2)], known)
    assert judged["locations", "Quellby City"] == "organizations" and judged["locations", "Torvale City"] == "locations"


def test_an_event_is_neither_a_person_nor_a_place():
    body = "She played in the Quellby Open and at the Dunmore Cup, and in Brackwater Marsh."
    articles = [article("a", persons=["Dunmore Cup"], locations=["Quellby Open", "Brackwater Marsh"], body=body),
                article("b", locations=["Quellby Open", "Brackwater Marsh"], body=body)]
    judged = kinds(articles)
    assert judged["persons", "Dunmore Cup"] == judged["locations", "Quellby Open"] == "organizations"
    assert judged["locations", "Brackwater Marsh"] == "locations"


def test_a_first_name_alone_is_doubtful_but_a_full_name_is_a_person():
    articles = [article("a", persons=["Oskar"], body="Oskar arrived."),
                article("b", persons=["Maria Quell"], body="Maria Quell spoke.")]
    judged = kinds(articles)
    assert judged["persons", "Oskar"] is None and judged["persons", "Maria Quell"] == "persons"


def test_a_one_word_name_written_as_a_thing_is_not_a_person():
    body = "She won the Zelby for the film. Two Zelbys went to the Zelby-winning cast."
    assert kinds([article("a", persons=["Zelby"], body=body)])["persons", "Zelby"] is None


def test_a_surname_written_as_a_person_stays():
    articles = [article("a", persons=["Maria Quell"]), article("b", persons=["Leon Quell"]),
                article("c", persons=["Quell"], body="Mr Quell, who spoke first, left.")]
    assert kinds(articles)["persons", "Quell"] == "persons"


def test_the_gazetteer_decides_places_and_countries_named_as_persons():
    known = {"Freedonia": type("P", (), {"kind": "country"})()}.get
    judged = kinds([article("a", persons=["Freedonia"]), article("b", locations=["Freedonia"])], known)
    assert judged["persons", "Freedonia"] == "locations" and judged["locations", "Freedonia"] == "locations"


def test_an_unknown_place_on_one_article_needs_to_be_written_as_a_place():
    judged = kinds([article("a", locations=["Brackwater"], body="They met in Brackwater."),
                    article("b", locations=["Lorem Gala"], body="Lorem Gala season.")])
    assert judged["locations", "Brackwater"] == "locations" and judged["locations", "Lorem Gala"] is None


def test_an_unknown_place_in_many_articles_still_needs_to_be_written_as_a_place():
    """"Sideways" (a film) listed as a place by fourteen articles, never "in Sideways", is doubtful; a place written
    "in Brackwater" in a fifth of its mentions stays, and so do names shaped as places: "… County", "… Airport",
    "…shire", "River …", compass points ("South East") and a compass point before a known place ("North
    Freedonia"); a compass point alone ("the West", whatever the article means by it) is no one place."""
    films = [article(f"f{i}", locations=["Sideways"], body="The comedy Sideways won, and Sideways was praised.")
             for i in range(14)]
    towns = [article(f"t{i}", locations=["Brackwater"], body="Brackwater voted.") for i in range(8)]
    towns += [article(f"t{i}", locations=["Brackwater"], body="They met in Brackwater.") for i in (8, 9)]
    shaped = [article(f"s{i}", locations=["Quell County", "Ashmere Airport", "Torvaleshire", "South East",
                                           "North Freedonia", "River Quell"],
                      body="Quell County and Ashmere Airport grew by the River Quell.")
              for i in range(2)]
    known = {"Freedonia": type("P", (), {"kind": "country"})()}.get
    west = [article(f"w{i}", locations=["West"], body="Tension grew in the West.") for i in range(3)]
    judged = kinds(films + towns + shaped + west, known)
    assert judged["locations", "West"] is None
    assert judged["locations", "Sideways"] is None and judged["locations", "Brackwater"] == "locations"
    assert all(judged["locations", name] == "locations" for name in
               ("Quell County", "Ashmere Airport", "Torvaleshire", "South East", "North Freedonia", "River Quell"))


def test_a_company_written_now_and_then_after_in_is_no_place():
    """A company the articles list as a place ("shares in Quorvex", "a stake in Quorvex") is written after "in"
    now and then, and after "of" and "according to" often ("the sale of Quorvex", "according to Quorvex"): those
    say nothing of a place. "Of" after a word for a part of the land does ("the province of Brackwater")."""
    company = [article(f"c{i}", locations=["Quorvex"], body="Quorvex said profits grew. The sale of Quorvex stalled, "
                                                            "according to Quorvex.") for i in range(9)]
    company.append(article("c9", locations=["Quorvex"], body="Shares in Quorvex rose."))
    province = [article(f"p{i}", locations=["Brackwater"], body="Brackwater voted, the province of Brackwater.")
                for i in range(4)]
    judged = kinds(company + province)
    assert judged["locations", "Quorvex"] is None and judged["locations", "Brackwater"] == "locations"
    cues = read_cues("Quorvex", [a.body_html for a in company])
    assert (cues.mentions, cues.place) == (28, 1)


def test_a_town_that_is_the_surname_of_a_person_in_its_articles_is_no_place():
    """A tennis report's "Quellby" is Maria Quellby, though the gazetteer knows a town of that name; "in Brackwater",
    where no Brackwater is named, and a town beside "Bank Brackwater" (no given name: no person) stay places."""
    known = {"Quellby": type("P", (), {"kind": "city"})(), "Brackwater": type("P", (), {"kind": "city"})()}.get
    tennis = [article(f"t{i}", persons=["Maria Quellby"], locations=["Quellby"], body="Quellby won.") for i in range(3)]
    towns = [article("b0", persons=["Bank Brackwater"], locations=["Brackwater"], body="Assets at Bank Brackwater."),
             article("b1", locations=["Brackwater"], body="They met in Brackwater.")]
    judged = kinds(tennis + towns, known)
    assert judged["locations", "Quellby"] is None and judged["locations", "Brackwater"] == "locations"


def test_a_person_named_like_a_place_is_a_place_unless_a_given_name_comes_first():
    judged = kinds([article("a", persons=["South Torvaleshire", "Maria Quellshire"])])
    assert judged["persons", "South Torvaleshire"] == "locations" and judged["persons", "Maria Quellshire"] == "persons"


def test_a_phrase_also_written_in_lower_case_is_no_person():
    """"Witch Hunt" in a quoted headline is the phrase the articles write as "this witch hunt"; a name in a
    lower-case tag list ("tags: breaking, maria quell") is still a name."""
    phrase = [article(f"w{i}", persons=["Witch Hunt"], body="End Witch Hunt now, he said of this witch hunt.")
              for i in range(2)]
    tagged = [article("t", persons=["Maria Quell"], body="Maria Quell spoke. Tags: breaking, maria quell")]
    judged = kinds(phrase + tagged)
    assert judged["persons", "Witch Hunt"] is None and judged["persons", "Maria Quell"] == "persons"


def test_a_dateline_is_a_place():
    assert kinds([article("a", locations=["Brackwater"], dateline="Brackwater")])["locations", "Brackwater"] == "locations"


def test_the_index_leaves_out_what_it_doubts_and_front_matter_is_untouched():
    original = article("a", persons=["Oskar", "Maria Quell"], body="Oskar and Maria Quell met.")
    decided = decide_pages([original], Aliases(), lexicon=LEXICON)
    assert decided.articles[0].persons == ("Maria Quell",)
    assert original.persons == ("Oskar", "Maria Quell")


def test_an_editors_alias_keeps_a_name_the_build_doubts():
    aliases = Aliases({"persons": {"oskar": "Oskar"}})
    decided = decide_pages([article("a", persons=["Oskar"], body="Oskar arrived.")], aliases, lexicon=LEXICON)
    assert decided.articles[0].persons == ("Oskar",)


def test_cues_read_case_before_the_name():
    assert read_cues("Lo Vero", ["A Lo Vero (Italy), B Rossi"]).thing == 0
    assert read_cues("Zelby", ["a Zelby nomination"]).thing == 1


def test_a_full_name_used_as_a_modifier_once_or_twice_stays_a_person():
    body = "The Maria Quell case went to court. Lawyers in the Maria Quell inquiry spoke."
    assert kinds([article("a", persons=["Maria Quell"], body=body)])["persons", "Maria Quell"] == "persons"


def test_a_full_name_mostly_written_as_a_thing_is_doubtful():
    body = "Buyers liked the Maria Quell; the Maria Quell 2 followed, and the Maria Quell mini too."
    assert kinds([article("a", persons=["Maria Quell"], body=body)])["persons", "Maria Quell"] is None


def test_the_gazetteer_knows_a_countrys_other_names_and_the_uk_nations():
    from generator.places import Gazetteer

    gazetteer = Gazetteer()
    body = "Talks with the Czech Republic and Northern Ireland went on."
    judged = kinds([article("a", locations=["Czech Republic", "Northern Ireland"], body=body),
                    article("b", locations=["Czech Republic", "Northern Ireland"], body=body)], gazetteer.lookup)
    assert judged["locations", "Czech Republic"] == judged["locations", "Northern Ireland"] == "locations"
    assert gazetteer.lookup("Northern Ireland").country == "United Kingdom"


def test_a_two_word_name_without_a_known_first_name_written_as_a_thing_is_doubtful():
    body = "Bath lead the Quorn Premiership after a win."
    judged = kinds([article("a", persons=["Quorn Premiership"], body=body)])
    assert judged["persons", "Quorn Premiership"] is None


def test_a_rebuild_reads_only_the_names_of_changed_articles_and_decides_the_same():
    from dataclasses import replace

    from generator.decisions.kinds import KindJudge

    articles = [article("a", persons=["Zelby"], body="She won the Zelby. Two Zelbys went to the cast."),
                article("b", persons=["Oskar"], body="Oskar arrived."),
                article("c", locations=["Brackwater"], body="They met in Brackwater.")]
    articles = [replace(a, digest=a.slug) for a in articles]
    cues: dict = {}
    first = KindJudge(Aliases(), lexicon=LEXICON, cues=cues)
    decided = first.judge(articles)
    again = KindJudge(Aliases(), lexicon=LEXICON, cues=cues)
    assert again.judge(articles) == decided and again.cues_read == 0
    edited = [articles[0], replace(articles[1], digest="b2", body_html="<p>Mr Oskar, who spoke, left.</p>"), articles[2]]
    third = KindJudge(Aliases(), lexicon=LEXICON, cues=cues)
    judged = {j.name: j.kind for j in third.judge(edited)}
    assert third.cues_read == 1 and judged["Oskar"] == "persons"


def test_a_long_text_is_searched_through_its_word_index_with_the_same_cues():
    from generator.decisions.kinds import LONG_TEXT, _WordIndex

    part = ("Mr Quell, who spoke first, left. The Zelby went to a Zelby-winning cast; two Zelbys "
            "followed. They met in Brackwater, and a zelby is also a word here. Maria Quell said so. ")
    text = part * (LONG_TEXT // len(part) + 2)
    assert len(text) > LONG_TEXT
    index = _WordIndex(text)
    for name in ("Quell", "Zelby", "Brackwater", "Maria Quell"):
        assert read_cues(name, [text], lambda t: index) == read_cues(name, [text])
    assert read_cues("Zelby", [text], lambda t: index).thing > 0


def test_the_judge_keeps_a_few_texts_at_a_time_and_judges_the_same(monkeypatch):
    """The texts cues are read from are kept a few at a time (not the whole archive's text in memory), long ones
    with their word index: read again when a name asks for them, they give the judgements keeping all of them gives."""
    import random

    from dataclasses import replace

    from generator.decisions import kinds as kinds_module
    from generator.decisions.kinds import LONG_TEXT, KindJudge, _Text

    rng = random.Random(5)
    articles = []
    for i in range(30):
        names = rng.sample(NAMES, 4)
        body = " ".join(rng.choice(CUE_SENTENCES).format(n) for n in names for _ in range(3))
        if i % 7 == 0:  # a whole archive pasted into one seed: searched through its word index
            body = (body + " ") * (LONG_TEXT // len(body) + 2)
        articles.append(replace(article(f"a{i}", persons=names[:3], locations=names[3:], body=body), digest=f"d{i}"))
    kept_all = KindJudge(Aliases(), lexicon=LEXICON, cues={}).judge(articles)
    most = []
    real_call = _Text.__call__

    def call(self, slug):
        text = real_call(self, slug)
        most.append((self.read.cache_info().currsize, len(self.indexes)))
        return text

    monkeypatch.setattr(kinds_module, "TEXTS_KEPT", 2)
    monkeypatch.setattr(kinds_module, "INDEXES_KEPT", 1)
    monkeypatch.setattr(_Text, "__call__", call)
    assert KindJudge(Aliases(), lexicon=LEXICON, cues={}).judge(articles) == kept_all
    assert max(texts for texts, _ in most) == 2 and max(indexes for _, indexes in most) == 1
    assert any(j.kind is not None for j in kept_all) and len(most) > 2 * len(articles)


def test_cues_read_by_two_processes_give_the_same_judgements(monkeypatch):
    import random

    from dataclasses import replace

    from generator.decisions import kinds as kinds_module
    from generator.decisions.kinds import KindJudge

    monkeypatch.setattr(kinds_module, "_PARALLEL_CUES", 10)  # the workers take part even in a small archive
    rng = random.Random(7)
    words = ["Zelby", "Oskar", "Brackwater", "Quell", "Maria Quell", "Leon Dunmore", "Torvale", "Ashmere"]
    cues_of = ["Mr {}, who spoke, left.", "She won the {} twice.", "They met in {} again.", "Two {}s came.",
               "{} said so.", "A {}-winning cast."]
    articles = []
    for i in range(80):
        names = rng.sample(words, 3) + [f"Name{i % 23}"]
        body = " ".join(rng.choice(cues_of).format(n) for n in names for _ in range(2))
        articles.append(replace(article(f"a{i}", persons=names[:2], locations=names[2:], body=body), digest=f"d{i}"))
    alone, shared = {}, {}
    one = KindJudge(Aliases(), lexicon=LEXICON, cues=alone).judge(articles)
    two_judge = KindJudge(Aliases(), lexicon=LEXICON, cues=shared, workers=2)
    assert two_judge.judge(articles) == one
    assert shared == alone and two_judge.cues_read == len(alone) > 10


def test_names_that_join_or_leave_articles_get_the_cues_a_fresh_reading_gives():
    """A new list of names changes which texts each of those names is read from: the judge adds the cues of
    the texts that came and takes off those of the texts that went, and ends where reading them all ends."""
    import random

    from dataclasses import replace

    from generator.decisions.kinds import KindJudge

    rng = random.Random(11)
    articles = []
    for i in range(40):
        listed = rng.sample(NAMES, 4)
        body = " ".join(rng.choice(CUE_SENTENCES).format(n) for n in NAMES for _ in range(2))
        made = article(f"a{i}", persons=listed[:3], locations=listed[3:], body=body)
        articles.append(replace(made, digest=f"d{i}", text_key=f"t{i}"))
    cues: dict = {}
    KindJudge(Aliases(), lexicon=LEXICON, cues=cues).judge(articles)
    edited = list(articles)
    for i in range(0, 40, 3):  # names moved about, the texts kept: the file changed, its body did not
        persons = rng.sample(NAMES, 3)
        edited[i] = replace(articles[i], persons=tuple(persons), digest=f"d{i}-names")
    edited[1] = replace(articles[1], body_html="<p>Mr Oskar, who spoke, left. Ashmere said so.</p>",
                        digest="d1-text", text_key="t1-text")  # a new body: its names are read again
    again = KindJudge(Aliases(), lexicon=LEXICON, cues=cues)
    judged = again.judge(edited)
    fresh: dict = {}
    assert judged == KindJudge(Aliases(), lexicon=LEXICON, cues=fresh).judge(edited)
    assert cues == fresh
    assert again.cues_changed > 0 and again.cues_read < len(fresh) // 2


def test_a_name_holding_a_pronoun_or_vs_is_a_title_not_a_person():
    """Song and film titles and forms of address come out of entity recognition as people; a person's name
    holds no pronoun and no "vs". Regnal numbers ("Charles I") and particles ("de") are still names."""
    body = "Lose My Breath went to four. Freddy Vs Jason opened. His Holiness spoke. Charles I was king."
    names = ["Lose My Breath", "Freddy Vs Jason", "His Holiness", "Charles I", "Anke de Vries"]
    judged = kinds([article(f"a{i}", persons=names, body=body) for i in range(3)])
    assert [judged["persons", name] for name in names] == [None, None, None, "persons", "persons"]


def test_a_list_a_caption_or_a_fragment_read_as_one_name_is_not_a_person():
    """A comma (but before "Jr."), a slash, a bracket, a dash or a stray quotation mark: no person's name holds one."""
    names = ["Terry, Bridge", "Quell Pask/AP Photo Maria", "Campos) Quell", "Fight\u201d\u2014Leon Quell",
             "Quell Slams \u201cDisgraceful Verdict", "Leon Quell, Jr.", "Maria O\u2019Quell", "Leon Wright-Quell"]
    judged = kinds([article(f"a{i}", persons=names, body="They spoke.") for i in range(3)])
    assert [judged["persons", name] for name in names] == [None] * 5 + ["persons"] * 3


def test_a_possessive_inside_a_name_is_a_phrase_about_someone_not_a_person():
    """"Leon Quell's Brackwater" (a film of his) and "the Quellers' Torvale" are phrases; an apostrophe inside a
    surname is not ("Maria O'Quell")."""
    names = ["Leon Quell's Brackwater", "Quell\u2019s Dunmore", "Zelby Quellers' Torvale", "Maria O'Quell",
             "Leon D\u2019Ashmere", "Maria Quell"]
    judged = kinds([article(f"a{i}", persons=names, body="They spoke.") for i in range(3)])
    assert [judged["persons", name] for name in names] == [None] * 3 + ["persons"] * 3


def test_a_title_in_the_plural_starts_a_list_of_titled_people_not_a_name():
    """"Lords Quell" (of "Lords Quell and Vell"), "Justices Kessel", "Cardinals Tavi Orr" are lists, "Quellish MPs" a
    group; "Mrs Quell" and "Lord Quell" are one person each."""
    names = ["Lords Quell", "Justices Kessel", "Cardinals Tavi Orr", "Quellish MPs", "Mrs Dora Quell", "Lord Tavi Vell",
             "Maria Quell"]
    judged = kinds([article(f"a{i}", persons=names, body="They spoke.") for i in range(3)])
    assert [judged["persons", name] for name in names] == [None] * 4 + ["persons"] * 3


def test_a_name_made_into_a_modifier_is_no_name():
    """"the Quell-era rules", "a Tavi Vell-style budget": no person or place; "Moon Quel-in" is a name."""
    judged = kinds([article(f"a{i}", persons=["Tavi Vell-style", "Moon Quel-in"], locations=["Quell-era"],
                            body="They spoke.") for i in range(3)])
    assert [judged["persons", "Tavi Vell-style"], judged["locations", "Quell-era"], judged["persons", "Moon Quel-in"]] \
        == [None, None, "persons"]


def test_a_full_name_the_gazetteer_knows_as_a_town_and_written_as_a_place_is_a_place():
    """"in Quell Harbour": the town; a name written as a person ("Torvale Dunmore said"), or one that starts with a
    first name ("Maria Ashmere"), stays a person though a town has that name."""
    from types import SimpleNamespace

    towns = {"Quell Harbour", "Torvale Dunmore", "Maria Ashmere"}
    body = "They met in Quell Harbour. Torvale Dunmore said so, in Maria Ashmere's words at Maria Ashmere."
    judged = kinds([article(f"a{i}", persons=sorted(towns), body=body) for i in range(2)],
                   known=lambda name: SimpleNamespace(kind="city") if name in towns else None)
    assert [judged["persons", n] for n in ("Quell Harbour", "Torvale Dunmore", "Maria Ashmere")] == [
        "locations", "persons", "persons"]


def test_a_work_an_actor_appears_in_is_no_place():
    """"her role in Lumino", "starring in Lumino": a film; "they met in Quellby": a place."""
    body = "She won praise for her role in Lumino, starring in Lumino with him. They met in Quellby."
    judged = kinds([article(f"a{i}", locations=["Lumino", "Quellby"], body=body) for i in range(2)])
    assert (judged["locations", "Lumino"], judged["locations", "Quellby"]) == (None, "locations")


def test_a_title_alone_is_no_place():
    """"Msgr" and "Mr." read as places ("in Msgr Quell's parish" cut short) are none; a written place stays."""
    body = "They met in Msgr. Quell's parish, in Mr. Oskar's house, in Quellby."
    judged = kinds([article(f"a{i}", locations=["Msgr", "Mr.", "Quellby"], body=body) for i in range(2)])
    assert [judged["locations", n] for n in ("Msgr", "Mr.", "Quellby")] == [None, None, "locations"]
