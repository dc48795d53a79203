"""Whether a name is a person, a place or an organization, decided from the whole archive.

One article's extractor can read "Oscar" as a person or a football club as a place. The
archive as a whole knows better: how each article listed the name (a vote), how the name
ends ("… Ltd", "… United"), whether the gazetteer or a first-name lexicon knows it, and how
the articles write it ("the Oscars", "an Oscar-winning" are things; "Mr X said" is a
person). A name the evidence leaves doubtful is kept off the index and put in the review
queue (`generator.decisions.review`), so an editor settles it with one alias line. Front
matter keeps what each article said; only the pages change.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, field

from generator.decisions.names import (
    Aliases,
    NameLexicon,
    default_lexicon,
    name_fold,
    person_key,
    restamp,
)
from generator.bodies import body_of
from generator.ingest.lexicon import ENGLISH_COUNTIES, OCCUPATIONS, PLACE_SIGNS, TITLE_WORDS
from generator.model import Article

#: The taxonomies whose kind is decided here, and the one they may move to.
PERSONS, LOCATIONS, ORGANIZATIONS = "persons", "locations", "organizations"
KINDS = (PERSONS, LOCATIONS, ORGANIZATIONS)

#: Last words that make a name an organization: legal forms and the generic words for bodies,
#: parties, clubs, companies and firms of a trade ("Quell Foods", "Zelby Labs"), publications, services and
#: forces, and bands ("Harbour Patrol", "Quell Sisters").
ORGANIZATION_ENDINGS = frozenset("""
inc inc. ltd ltd. plc llc llp corp corp. corporation company group holdings partners party fc afc united rovers
athletic club association federation council committee commission ministry department agency institute foundation
university college school academy society trust authority board bureau airlines airways motors systems
technologies media news times post journal magazine gazette herald tribune telegraph records studios
office service services network police force forces army navy guard patrol brothers sisters harriers
labs laboratories pharma pharmaceuticals foods wireless software films pictures productions railway railways
""".split())
#: First words that make a name an organization: a side ("Team Quellby", "FC Quellby", "Dynamo Quellby", "Sporting
#: Quellby"), a bank or a group as other languages name one first ("Banco Quellby", "Banque du Quellby", "Groupe
#: Quellby", "Société Quellby"). A person's or a place's name starts with none of them.
ORGANIZATION_STARTS = frozenset("""
team fc ac dynamo dinamo atletico atlético sporting borussia olympique
banco banca banque grupo groupe gruppo societe société sociedad
""".split())

#: Last words that make a name an event ("Davis Cup", "French Open", "Berlin Film Festival", "Grammy Awards"): no
#: person and, though written "in" and "at" as places are, no place. Listed with the organizations (no index page).
EVENT_ENDINGS = frozenset("""
cup open classic prix festival awards award games championship championships trophy tournament olympics
paralympics expo marathon summit conference globes
""".split())

#: Last words that make a name a place: the generic words for streets, grounds, waters and lands ("Clark County",
#: "Hollywood Boulevard", "Edinburgh Airport", "Strait of Hormuz" ends in a place of its own).
PLACE_ENDINGS = frozenset("""
street road avenue square boulevard county stadium airport hemisphere strait ocean gulf bay river
island islands mountains valley province
""".split())
#: First words that make a name a place: "River Severn", "Lake Tumba", "Mount Airy".
PLACE_STARTS = frozenset({"river", "lake", "mount", "mt", "mt."})
#: Compass words: a name of them alone, or before a place, is a region ("South East", "North Florida").
COMPASS = frozenset("north south east west northern southern eastern western central north-east north-west "
                    "south-east south-west".split())

#: Words no person's name holds: pronouns, and "vs" between two sides. A name with one is the title of a
#: work ("Lose My Breath", "Freddy Vs Jason") or a form of address ("His Holiness"), not a person.
NOT_IN_NAMES = frozenset({"my", "your", "his", "her", "its", "our", "their", "me", "we", "you", "us", "them",
                          "vs", "versus"})
#: Marks no person's name holds: a comma (but before "Jr." and the like), a bracket, a slash, a colon, a dash, a
#: quotation mark (a quoted nickname is taken out before: see `names.without_nickname`). A name with one is a
#: list read as one name ("Terry, Bridge"), a caption ("Rick Bowmer/AP Photo Trump") or a headline's fragment
#: ("Trump Slams “Disgraceful Verdict").
NOT_A_NAME = re.compile(r"""[;:()\[\]{}/\\|@#!?\u2014"\u201c\u201d]|,(?!\s*(?:jr|sr|[ivx]+)\.?$)""", re.IGNORECASE)
#: A possessive inside a name ("Tavi Kessel's Quell", "the Quellers' Cup"): a phrase about someone, not a name.
POSSESSIVE = re.compile(r"\w+(?:['\u2019]s|(?<=s)['\u2019])(?=\s)", re.IGNORECASE)

#: Words for what a person does that are written before a company's name too ("oil producer Quorvex", "broadcaster
#: Telvane", "designer Marlowe"); the other such words before a name are a person's ("rapper Zelby", "singer Oskar").
_FIRMS_TOO = frozenset({"producer", "broadcaster", "designer"})
#: Words in front of a mention that make it a thing ("the Oscars", "an Oscar"), and words
#: around it that make it a person ("Mr X", "X, who").
_THING_BEFORE = frozenset({"the", "a", "an", "this", "that"})
_PERSON_BEFORE = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president",
                            "senator", "sen", "rep", "gov", "governor", "minister", "judge", "coach", "captain",
                            "named", "nicknamed"}) | (OCCUPATIONS - _FIRMS_TOO)
_PERSON_AFTER = frozenset({"who", "himself", "herself", "whose"})
_PLACE_BEFORE = PLACE_SIGNS
#: Words before "to" that make it no sign of a place ("according to BT", "due to", "thanks to").
_NOT_PLACE_TO = frozenset({"according", "due", "thanks", "owing", "compared", "similar", "close", "next", "prior",
                           "contrary", "relative", "addition", "up"})
#: Words before "in" that make what follows a work, not a place ("starring in Lumino", "her role in Quell Bay").
_NOT_PLACE_IN = frozenset({"starring", "starred", "stars", "star", "role", "roles", "appeared", "appears",
                           "appearing", "appearance", "performance", "performances", "cast", "character"})
#: Words before "of" that make it a sign of a place ("the province of Aceh", "the outskirts of", "north of"); "of"
#: alone is none: companies, works and diseases are written with it as often ("the sale of Quorvex", "versions of
#: Lumino", "an outbreak of the Brackwater virus").
_PLACE_OF = frozenset("""
city town village province region state county district capital island islands suburb suburbs outskirts republic
kingdom centre center north south east west part parts people residents streets heart coast port mayor
""".split())
#: A name made into a modifier by a hyphenated word ("Quell-era", "Vell-style", "Kessel-led"); a hyphen inside a
#: name ("Moon Jae-in", "Chung Mong-koo") is no such ending.
MODIFIER_ENDING = re.compile(r"-(?:era|style|led|backed|based|born|made|linked|funded|owned|like|type|inspired|"
                             r"controlled|sponsored|turn)$")
#: An abbreviation in the plural ("MPs", "MEPs", "CEOs"): "Quellish MPs" are a group of people.
PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
#: A name shaped like a person's leaves the persons index only when listed elsewhere this many times as often.
PERSON_SHAPED_MAJORITY = 3
#: An unknown place must be written as one ("in X", "near the X") at least this share of the time: a company, a
#: film or a disease is too, now and then ("shares in Quorvex", "a role in Lumino", "cases in Quell-hit areas").
PLACE_SHARE = 0.2
#: … and is doubtful when written as a thing ("the Grand Slam", "a Grand Slam") this share of the time.
PLACE_THING_SHARE = 0.3
#: A one-word name written as a thing this share of the time, or more, is a thing.
THING_SHARE = 0.3
#: A full name with a known first name needs at least this many such mentions too: "the Jane
#: Doe case" once or twice is a person's name used as a modifier.
FULL_NAME_THINGS = 3

KnownPlace = Callable[[str], object]


@dataclass(frozen=True)
class Judgement:
    """What the archive says about one index name: where it belongs, and how sure that is."""

    name: str
    #: The index the articles put it on.
    listed: str
    articles: int
    #: Where it belongs; None when doubtful (left off the index, put in the review queue).
    kind: str | None
    reason: str
    #: The other kinds' votes, by taxonomy.
    votes: Mapping[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.kind != self.listed


#: Plain texts `_Text` keeps for the next names that ask for them (some 5 KB each): reading one again costs
#: about a tenth of a millisecond, keeping every one the archive's whole text in each process that reads cues.
TEXTS_KEPT = 1024
#: Word indexes of long texts (LONG_TEXT) kept at most.
INDEXES_KEPT = 64


@dataclass
class _Text:
    """Article bodies as plain text, read only for the names that need them; the last TEXTS_KEPT are kept."""

    articles: Mapping[str, Article]
    #: Word indexes of long texts, by the text's id, each with its text (which keeps the id its own).
    indexes: dict[int, tuple[str, _WordIndex]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.read = functools.lru_cache(maxsize=TEXTS_KEPT)(self._read)

    def _read(self, slug: str) -> str:
        return plain_text(self.articles[slug])

    def index(self, text: str) -> _WordIndex:
        """The word index of a long text (the last INDEXES_KEPT are kept)."""
        found = self.indexes.get(id(text))
        if found is not None and found[0] is text:
            return found[1]
        if len(self.indexes) >= INDEXES_KEPT:
            del self.indexes[next(iter(self.indexes))]
        made = _WordIndex(text)
        self.indexes[id(text)] = (text, made)
        return made

    def __call__(self, slug: str) -> str:
        return self.read(slug)


def plain_text(article: Article) -> str:
    """An article's body as the cues are read from it: the rendered text without tags or entities."""
    return html.unescape(re.sub(r"<[^>]+>", " ", body_of(article))).replace("\\", "")


@dataclass(frozen=True)
class Cues:
    """How the articles write a name: as a person, a thing, a place or a common word."""

    mentions: int = 0
    person: int = 0
    thing: int = 0
    place: int = 0
    lowercase: int = 0


#: Texts longer than this are searched through a word index, not scanned once per name: a
#: whole archive pasted into one seed lists thousands of names.
LONG_TEXT = 100_000
_TOKEN = re.compile(r"\w+")


class _WordIndex:
    """Where each word of a long text starts, for finding the names it mentions without scanning it per name."""

    def __init__(self, text: str) -> None:
        starts: dict[str, list[int]] = defaultdict(list)
        for match in _TOKEN.finditer(text):
            starts[match.group()].append(match.start())
        self.starts = starts
        self.words = sorted(starts)

    def starting_with(self, prefix: str) -> list[int]:
        """Start offsets of the words that begin with `prefix`, in text order."""
        i = bisect.bisect_left(self.words, prefix)
        found: list[int] = []
        while i < len(self.words) and self.words[i].startswith(prefix):
            found.extend(self.starts[self.words[i]])
            i += 1
        return sorted(found)


def _written_as_place(before: list[str]) -> bool:
    """Whether the (at most two, lower-case) words before a mention write it as a place: "in X", "near the X",
    "flights to X" but not "according to X", "the province of X" but not "the sale of X"."""
    if not before:
        return False
    last, first = before[-1], (before[0] if len(before) == 2 else "")
    if last == "to":
        return first not in _NOT_PLACE_TO
    if last == "in" and first in _NOT_PLACE_IN:
        return False
    if last == "of":
        return first in _PLACE_OF
    return last in _PLACE_BEFORE or (last == "the" and first in _PLACE_BEFORE)


#: A lower-case word and a space, just before where a search ends.
_AFTER_A_WORD = re.compile(r"\b[a-z]+ \Z")


def _in_prose(text: str, phrase: str) -> int:
    """How often `phrase` stands in `text` as words of their own, just after a lower-case word and a space (found
    with `str.find`: a longer name is read in every text its articles have, and the phrase is rare)."""
    found, at = 0, text.find(phrase)
    while at != -1:
        end = at + len(phrase)
        if (not text[end:end + 1].isalnum() and text[end:end + 1] != "_"
                and _AFTER_A_WORD.search(text, max(0, at - 30), at)):
            found += 1
        at = text.find(phrase, at + 1)
    return found


def read_cues(name: str, texts: Sequence[str], index: Callable[[str], _WordIndex] | None = None) -> Cues:
    """Count the words around each mention of `name` (plurals and "-winning" compounds are things).

    `index` gives a long text's word index; a long text is then searched only where a
    word starts as the name does.
    """
    pattern = re.compile(r"\b" + re.escape(name) + r"(s\b|-[a-z])?(?:\W{1,2}(\w+))?")
    single = name[:1].isupper() and " " not in name
    lower = re.compile(r"\b" + re.escape(name.lower()) + r"\b") if single else None
    longer = name.lower() if not single and name.lower() != name else None
    first = _TOKEN.match(name)
    mentions = person = thing = place = lowercase = 0
    for text in texts:
        if index is not None and len(text) > LONG_TEXT and first is not None and first.start() == 0:
            words = index(text)
            found = (m for at in words.starting_with(first.group()) if (m := pattern.match(text, at)))
        else:
            words, found = None, pattern.finditer(text)
        for match in found:
            suffix, after = match.group(1), (match.group(2) or "").casefold()
            # Case matters before the name: "a Oscar-winning" is a thing, "A Lo Cicero" an initial.
            before = re.findall(r"\w+", text[max(0, match.start() - 30):match.start()])[-2:]
            mentions += 1
            if (before and before[-1].casefold() in _PERSON_BEFORE) or after in _PERSON_AFTER:
                person += 1
            elif suffix or (before and before[-1] in _THING_BEFORE):
                thing += 1
            if _written_as_place([w.casefold() for w in before]):
                place += 1
        if lower is not None:
            key = name.lower()
            if words is not None and _TOKEN.fullmatch(key):
                lowercase += len(words.starts.get(key, ()))
            else:
                lowercase += len(lower.findall(text))
        elif longer is not None:  # in lower case only in prose, after a word: "this power grab", not a tag list
            lowercase += _in_prose(text, longer)
    return Cues(mentions, person, thing, place, lowercase)


class _CueWorker:
    """Reads names' cues in a forked worker, from the article texts it inherited."""

    text: _Text | None = None

    @classmethod
    def read(cls, jobs: Sequence[tuple[str, tuple[str, ...]]]) -> list[Cues]:
        text = cls.text
        assert text is not None
        return [read_cues(name, [text(slug) for slug in slugs], text.index) for name, slugs in jobs]


#: Fewer cues to read than this are read in this process: a worker would cost more than it saves.
_PARALLEL_CUES = 200

#: Cues already read, by name and the texts it was read from (each an article's slug and its body's hash,
#: `Article.text_key`), so a rebuild after an edit reads only the names of the articles whose text changed,
#: and a name that joined or left an article only that article's text (see `KindJudge._cues_changed`).
CueCache = dict[tuple[str, tuple[str, ...]], Cues]


class KindJudge:
    """Decides the kind of every person and place name in the archive.

    `cues` carries what earlier builds read from the articles; `judge` leaves in it only
    what this archive still needs, and counts in `cues_read` what it had to read anew.
    """

    def __init__(self, aliases: Aliases, known_place: KnownPlace | None = None,
                 lexicon: NameLexicon | None = None, cues: CueCache | None = None, workers: int = 1) -> None:
        self.aliases = aliases
        #: Processes the cues not in `cues` are read with (see `_read_wanted`).
        self.workers = workers
        self.known_place = known_place or (lambda name: None)
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self.cues: CueCache = cues if cues is not None else {}
        self.cues_read = 0
        self._used: set[tuple[str, tuple[str, ...]]] = set()
        #: While set, `_cues` notes the cues it lacks here instead of reading them (see `_read_wanted`).
        self._wanted: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] | None = None
        #: Names whose cues were worked out from those kept for an earlier set of texts (`_cues_changed`).
        self.cues_changed = 0
        #: The texts `cues` has cues for, by name (made when first needed), and each article's text now.
        self._by_name: dict[str, list[tuple[str, ...]]] | None = None
        self._text_keys: dict[str, str] = {}
        self._texts: dict[str, str] = {}  # "slug:text key", as a name's cues are kept by
        self._keys: dict[int, tuple[list[Article], tuple[str, tuple[str, ...]]]] = {}  # each name's key, by its list

    def _cues(self, name: str, arts: list[Article], text: _Text) -> Cues:
        made = self._keys.get(id(arts))  # both passes over the names ask for each name's cues (see `_read_wanted`)
        if made is not None and made[0] is arts and made[1][0] == name:
            key = made[1]
        else:
            texts = self._texts
            key = (name, tuple(sorted([texts[a.slug] for a in arts])))
            self._keys[id(arts)] = (arts, key)  # the list is held, so its id stays its own
        self._used.add(key)
        found = self.cues.get(key)
        if found is None:
            found = self._cues_changed(key, text)
            if found is not None:
                self.cues[key] = found
        if found is None:
            if self._wanted is not None:
                self._wanted[key] = (name, tuple(a.slug for a in arts))
                return Cues()
            found = self.cues[key] = read_cues(name, [text(a.slug) for a in arts], text.index)
            self.cues_read += 1
        return found

    def _cues_changed(self, key: tuple[str, tuple[str, ...]], text: _Text) -> Cues | None:
        """A name's cues from those kept for the texts that listed it before, when fewer texts came or went
        than list it now: the kept cues, plus those of the texts that came, less those of the texts that went
        (cues are counts over texts, each text counted on its own). None when no cues are kept for the name,
        or a text that went is no longer any article's (its body changed): then all of them are read."""
        name, pairs = key
        if self._by_name is None:
            self._by_name = {}
            for kept_name, kept_pairs in self.cues:
                self._by_name.setdefault(kept_name, []).append(kept_pairs)
        now = set(pairs)
        best: tuple[int, tuple[str, ...]] | None = None
        for before in self._by_name.get(name, ()):
            changed = len(now.symmetric_difference(before))
            if best is None or changed < best[0]:
                best = (changed, before)
        if best is None or best[0] >= len(pairs):
            return None
        before = set(best[1])
        came = [pair.rpartition(":")[0] for pair in sorted(now - before)]
        went = []
        for pair in sorted(before - now):
            slug, _, text_key = pair.rpartition(":")
            if self._text_keys.get(slug) != text_key:
                return None
            went.append(slug)
        kept = self.cues[(name, best[1])]
        plus = read_cues(name, [text(slug) for slug in came], text.index)
        minus = read_cues(name, [text(slug) for slug in went], text.index)
        self.cues_changed += 1
        return Cues(*(k + p - m for k, p, m in zip(astuple(kept), astuple(plus), astuple(minus))))

    def _read_wanted(self, listed: Mapping[str, Mapping[str, list[Article]]], decide: Callable[..., object],
                     text: _Text) -> None:
        """Read the cues this judgement will ask for and `cues` lacks, spread over `workers` processes.

        A first pass makes every decision with `_cues` only noting what it lacks: whether a
        decision asks for a name's cues never hangs on another name's cues (each asks once, before
        it reads them), so the pass finds exactly the cues the real one reads. Those are then read
        in forked workers (they inherit the articles; a cold build of 10,000 articles reads some
        5,500 names' cues, most of the time its decisions take), and the real pass finds them all.
        """
        from generator.parallel import fork_map

        self._wanted = {}
        try:
            for kind in (PERSONS, LOCATIONS):
                for name, arts in listed[kind].items():
                    decide(kind, name, arts)
            wanted = list(self._wanted.items())
        finally:
            self._wanted = None
        if not wanted:
            return
        _CueWorker.text = text
        try:
            found = fork_map(_CueWorker.read, [job for _, job in wanted], self.workers, min_items=_PARALLEL_CUES)
        finally:
            _CueWorker.text = None
        for (key, _), cues in zip(wanted, found):
            self.cues[key] = cues
        self.cues_read += len(wanted)

    def judge(self, articles: Sequence[Article]) -> list[Judgement]:
        """A judgement for every person and place name, and for each organization that is a person's name (see
        below), most covered first."""
        listed: dict[str, dict[str, list[Article]]] = {kind: defaultdict(list) for kind in KINDS}
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for article in articles:
            for kind in KINDS:
                for name in dict.fromkeys(article.terms(kind)):
                    listed[kind][name].append(article)
                    votes[name.casefold()][kind] += 1
        surnames: Counter[str] = Counter()
        for name in listed[PERSONS]:
            key = person_key(name)
            if key is not None:
                surnames[key.last] += 1
        first_names = self.lexicon.given_names(listed[PERSONS])  # with those at least two listed people share
        text = _Text({a.slug: a for a in articles})
        self._text_keys = {a.slug: a.text_key or a.digest for a in articles}
        self._texts = {slug: f"{slug}:{key}" for slug, key in self._text_keys.items()}
        self._keys.clear()
        self._by_name = None
        if self.workers > 1:
            self._read_wanted(listed, lambda kind, name, arts: self._decide(
                kind, name, arts, votes[name.casefold()], first_names, surnames, text), text)
        out: list[Judgement] = []
        as_person: dict[str, Judgement] = {}
        for kind in (PERSONS, LOCATIONS):
            for name, arts in listed[kind].items():
                vote = votes[name.casefold()]
                decided = self._decide(kind, name, arts, vote, first_names, surnames, text)
                if kind == LOCATIONS and decided[0] == PERSONS and name.casefold() in as_person:
                    person = as_person[name.casefold()]
                    decided = (person.kind, f"{decided[1]}; as a person: {person.reason}")
                judgement = Judgement(name, kind, len(arts), decided[0], decided[1], dict(vote))
                if kind == PERSONS:
                    as_person[name.casefold()] = judgement
                out.append(judgement)
        # A name some articles list as an organization and at least as many as a person, shaped as a person's (a
        # first name the lexicon knows, then a surname), is that person: the model reads a person in a results line
        # or a caption as an organization far more often than a firm as a person. Its listings as a person were
        # judged a person's above (a firm's ending or start, "… Ltd", made them an organization's), and the
        # archive's own first names are no evidence here ("Sony" of "Sony Music").
        for name, arts in listed[ORGANIZATIONS].items():
            person, vote = as_person.get(name.casefold()), votes[name.casefold()]
            key = person_key(name)
            if (person is None or person.kind != PERSONS or vote[PERSONS] < vote[ORGANIZATIONS]
                    or key is None or key.first not in self.lexicon.first_names
                    or self.aliases.lookup(ORGANIZATIONS, name)[0]):
                continue
            out.append(Judgement(name, ORGANIZATIONS, len(arts), PERSONS,
                                 f"a person's name, listed as a person in {vote[PERSONS]} articles, as an "
                                 f"organization in {vote[ORGANIZATIONS]}", dict(vote)))
        out.sort(key=lambda j: (-j.articles, j.name.casefold()))
        for key in [key for key in self.cues if key not in self._used]:
            del self.cues[key]
        self._keys.clear()
        return out

    def _decide(self, kind: str, name: str, arts: list[Article], vote: Counter[str], first_names: set[str],
                surnames: Counter[str], text: _Text) -> tuple[str | None, str]:
        if self.aliases.lookup(kind, name)[0]:
            return kind, "an editor's alias"
        mark = MODIFIER_ENDING.search(name)
        if mark is not None:
            return None, f'a name made into a modifier ("{mark.group()}": "the Quell-era rules"), not a name'
        words = name.split()
        if len(words) >= 2 and words[-1].casefold() in EVENT_ENDINGS and not self.known_place(name):
            return ORGANIZATIONS, f'an event: ends in "{words[-1]}"'  # however the articles listed it
        top, n = max(vote.items(), key=lambda kv: (kv[1], kv[0] == kind))
        key = person_key(name)
        # A name shaped like a person's (a known first name, then more) moves only on a clear majority.
        shaped = kind == PERSONS and key is not None and key.first in self.lexicon.first_names
        if top != kind and n > vote[kind] * (PERSON_SHAPED_MAJORITY if shaped else 1):
            return top, f"listed as {_ONE[top]} in {n} articles, as {_ONE[kind]} in {vote[kind]}"
        if len(words) >= 2 and words[-1].casefold() in ORGANIZATION_ENDINGS and not self.known_place(name):
            return ORGANIZATIONS, f'ends in "{words[-1]}"'
        if (len(words) >= 2 and words[-1] == "City" and not self.known_place(name)
                and self.known_place(" ".join(words[:-1])) is not None and not any(a.dateline == name for a in arts)):
            return ORGANIZATIONS, f'a club named after its city, which the gazetteer knows as "{" ".join(words[:-1])}"'
        if len(words) >= 2 and words[0].casefold() in ORGANIZATION_STARTS:
            return ORGANIZATIONS, f'starts with "{words[0]}"'
        if kind == PERSONS:
            return self._person(name, arts, first_names, surnames, text)
        return self._place(name, arts, first_names, surnames, text)

    def _person(self, name: str, arts: list[Article], first_names: set[str], surnames: Counter[str],
                text: _Text) -> tuple[str | None, str]:
        mark = NOT_A_NAME.search(name)
        if mark is not None:
            return None, f'holds "{mark.group()[0]}": a list of names, a caption or a fragment, not a name'
        mark = POSSESSIVE.search(name)
        if mark is not None:
            return None, f'holds a possessive ("{mark.group()}"): a phrase about someone, not a name'
        words = name.split()
        if len(words) >= 2 and _plural_title(words[0]):
            return None, f'starts with a title in the plural ("{words[0]}"): titled people listed, not one person'
        if len(words) >= 2 and PLURAL_ACRONYM.fullmatch(words[-1]):
            return None, f'ends in an abbreviation in the plural ("{words[-1]}"): a group of people, not one'
        if len(words) >= 2:
            held = next((w for w in words if w.casefold().rstrip(".") in NOT_IN_NAMES), None)
            if held is not None:
                return None, f'holds "{held}": the title of a work or a form of address, not a name'
            shaped = self._shaped_as_place(name) if words[0].casefold() not in first_names else ""
            if shaped:  # "South Quellshire", not "Maria Quellshire"
                return LOCATIONS, shaped
            if len(words) > 3 or person_key(name) is None:
                return PERSONS, "a full name"
            cues = self._cues(name, arts, text)
            if cues.lowercase:
                return None, f'also written in lower case ("{name.lower()}"): a phrase, not a name'
            if (cues.place > cues.person and words[0].casefold() not in first_names
                    and self.known_place(name) is not None):  # "in Quell Harbour"; "Maria Quell" stays a person
                return LOCATIONS, 'a place the gazetteer knows, written as one ("in …")'
            key = person_key(name)
            least = FULL_NAME_THINGS if key is not None and key.first in first_names else 1
            if cues.thing >= least and cues.thing > max(cues.person, THING_SHARE * cues.mentions):
                return None, f'written as a thing ("the {name}") in {cues.thing} of {cues.mentions} mentions'
            return PERSONS, "a full name"
        place = self.known_place(name)
        if place is not None and getattr(place, "kind", "city") in ("country", "continent", "region", "former country"):
            return LOCATIONS, "a country or region the gazetteer knows"
        cues = self._cues(name, arts, text)
        folded = name.casefold()
        if name_fold(name) in surnames:
            return PERSONS, "a surname several people in the archive share"
        if cues.thing > max(cues.person, THING_SHARE * cues.mentions):
            return None, f'written as a thing ("the {name}", "{name}s") in {cues.thing} of {cues.mentions} mentions'
        if cues.lowercase > cues.person and cues.lowercase >= cues.mentions:
            return None, f'also an ordinary word ("{folded}") in these articles'
        if cues.person:
            return PERSONS, "written as a person (\"said\", \"Mr\")"
        if name_fold(name) in first_names:
            return None, "a first name alone, never with a surname"
        return None, "one word, not known as a first name or surname"

    def _shaped_as_place(self, name: str) -> str:
        """Why the name is a place's by its shape alone, or "" when it is not."""
        words = name.casefold().split()
        if words[-1].endswith("shire") or name.casefold() in ENGLISH_COUNTIES or (
                len(words) > 1 and (words[-1] in PLACE_ENDINGS or words[0] in PLACE_STARTS)):
            return "named as a place (… County, … Airport, …shire, River …)"
        if len(words) > 1 and all(w in COMPASS for w in words[:-1]) and (
                words[-1] in COMPASS or self.known_place(name.split()[-1]) is not None):
            return "a region named by compass points, or by one and a place the gazetteer knows"
        return ""

    def _place(self, name: str, arts: list[Article], first_names: set[str], surnames: Counter[str],
               text: _Text) -> tuple[str | None, str]:
        known = self.known_place(name)
        if getattr(known, "kind", "city") == "city" and " " not in name and not any(a.dateline == name for a in arts):
            # A city or unknown place that is the surname of a person its articles name, given name and all: a
            # tennis report's "Quellby" is Maria Quellby, not the town of that name ("Bank Quellby" is no person).
            named = sum(1 for a in arts if any(p.rsplit(" ", 1)[-1] == name and p.split(" ", 1)[0].casefold() in
                                                first_names for p in a.persons if " " in p))
            if named * 2 >= len(arts):
                return None, (f"the surname of a person named in {named} of its {len(arts)} articles "
                              "(the person, not a town)")
        if known is not None:
            return LOCATIONS, "the gazetteer knows it"
        if any(a.dateline == name for a in arts):
            return LOCATIONS, "a dateline"
        words = name.casefold().split()
        if len(words) == 1 and words[0] in COMPASS:
            return None, 'a compass point alone ("the West", "the South") is no one place'
        if len(words) == 1 and words[0].rstrip(".") in TITLE_WORDS and not name.isupper():  # "DR" may be Congo
            return None, 'a title alone ("Mr", "Msgr") is no place'
        shaped = self._shaped_as_place(name)
        if shaped:
            return LOCATIONS, shaped
        cues = self._cues(name, arts, text)
        if len(arts) == 1 and not cues.place:
            return None, "one article, unknown to the gazetteer, never written as a place (\"in …\")"
        if cues.thing >= PLACE_THING_SHARE * cues.mentions and cues.place < PLACE_SHARE * cues.mentions:
            return None, f'unknown to the gazetteer, written as a thing ("the {name}") more than as a place ("in …")'
        if cues.place < PLACE_SHARE * cues.mentions:
            return None, 'unknown to the gazetteer, hardly ever written as a place ("in …")'
        return LOCATIONS, "written as a place"


def _plural_title(word: str) -> bool:
    """Whether a word is a title in the plural ("Lords", "Justices", "Cardinals": "Lords Quell and Vell"); "Mrs",
    a title of its own, is not."""
    folded = word.casefold().rstrip(".")
    return (len(folded) > 3 and folded not in TITLE_WORDS and folded.endswith("s")
            and (folded[:-1] in TITLE_WORDS or (folded.endswith("es") and folded[:-2] in TITLE_WORDS)))


_ONE = {PERSONS: "a person", LOCATIONS: "a place", ORGANIZATIONS: "an organization"}


def apply_kinds(articles: Sequence[Article], judgements: Sequence[Judgement]) -> list[Article]:
    """The articles with each name on the index it belongs to, and doubtful ones on none."""
    moves: dict[str, dict[str, str | None]] = {kind: {} for kind in KINDS}
    for j in judgements:
        if j.changed:
            moves[j.listed][j.name] = j.kind
    if not any(moves.values()):
        return list(articles)
    out: list[Article] = []
    for article in articles:
        lists = {kind: list(article.terms(kind)) for kind in KINDS}
        touched = False
        for kind in KINDS:
            for name in article.terms(kind):
                if name in moves[kind]:
                    touched = True
                    lists[kind].remove(name)
                    target = moves[kind][name]
                    if target:
                        lists[target].append(name)
        if touched:
            article = restamp(article, {k: tuple(dict.fromkeys(v)) for k, v in lists.items()})
        out.append(article)
    return out


def judge_kinds(articles: Sequence[Article], aliases: Aliases, known_place: KnownPlace | None = None,
                lexicon: NameLexicon | None = None) -> list[Judgement]:
    return KindJudge(aliases, known_place, lexicon).judge(articles)

