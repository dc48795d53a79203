"""One name per person and per place across the whole archive, decided at build time.

Ingest already folds names within an article ("Mr. Obama" → "Barack Obama"). Here the
archive is looked at as a whole:

* spellings that differ only in case, accents or punctuation, middle names and initials
  ("Paul A. Volcker"), and first names one of which is the other's short form ("Bill",
  "William") are one person when the surname is the same, and so is a name misspelt by a
  letter ("Dianne", "Dianna"; see `Canonicaliser._fold_misspelt_names`);
* a surname alone ("Obama"), or after a title ("Senator Obama"), joins the full name that
  accounts for most of the archive's uses of that surname, unless the article itself names
  another person of that surname;
* the same words in another order ("Zhang Yimou", "Yimou Zhang": the family name first or
  last) are one person, and so is a full name with a nickname quoted inside it (David
  "Fathead" Newman is David Newman);
* a run-on name ("Jane Roe Mary", where a list of names was read as one) is the known
  person it starts or ends with, and a name cut short at a hyphen ("Moon Quel" for "Moon
  Quel-in") the one hyphenated name it starts;
* an initial and a surname ("T. Kessel", a line-up's or a scorecard's) is the one full name of
  that initial and surname ("Tavi Kessel");
* country abbreviations and nicknames join the country ("U.S.", "America" → "United
  States"), and unknown places spelt two ways that differ by one letter share one page.

`generator.decisions.kinds` then decides whether each name is a person, a place or an
organization. Editors decide the rest in `content/aliases.toml`. Front matter keeps what
each article said; only the pages change, so editing an alias needs no re-ingest.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import logging
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from generator.archive import term_slug
from generator.bodies import body_of
from generator.errors import BuildError
from generator.ingest.lexicon import KNOWN_BY_TITLE, TITLE_WORDS
from generator.model import Article

log = logging.getLogger("broadsheet")

#: The taxonomies canonicalised here, and what an alias file calls them.
TAXONOMIES = ("persons", "locations", "organizations", "tags")

#: Ways newsrooms write countries, the US capital and US states, beyond the names and codes the gazetteer knows.
COUNTRY_VARIANTS = {
    "u.s.": "United States", "u.s": "United States", "us": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States", "united states of america": "United States",
    "the united states": "United States",
    "u.k.": "United Kingdom", "uk": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "the united kingdom": "United Kingdom",
    "uae": "United Arab Emirates", "u.a.e.": "United Arab Emirates",
    "drc": "Democratic Republic of the Congo", "dr congo": "Democratic Republic of the Congo",
    "s. korea": "South Korea", "n. korea": "North Korea", "the netherlands": "Netherlands", "holland": "Netherlands",
    "russian federation": "Russia", "ussr": "Soviet Union",
    # The capital and the US states as American datelines write them ("IRVINE, Calif.": the AP's abbreviations).
    "d.c.": "Washington", "dc": "Washington", "washington d.c.": "Washington", "washington, d.c.": "Washington",
    "washington dc": "Washington",
    "ala.": "Alabama", "ariz.": "Arizona", "ark.": "Arkansas", "calif.": "California", "colo.": "Colorado",
    "conn.": "Connecticut", "del.": "Delaware", "fla.": "Florida", "ga.": "Georgia", "ill.": "Illinois",
    "ind.": "Indiana", "kan.": "Kansas", "ky.": "Kentucky", "la.": "Louisiana", "md.": "Maryland",
    "mass.": "Massachusetts", "mich.": "Michigan", "minn.": "Minnesota", "miss.": "Mississippi", "mo.": "Missouri",
    "mont.": "Montana", "neb.": "Nebraska", "nev.": "Nevada", "n.h.": "New Hampshire", "n.j.": "New Jersey",
    "n.m.": "New Mexico", "n.y.": "New York", "n.c.": "North Carolina", "n.d.": "North Dakota", "okla.": "Oklahoma",
    "ore.": "Oregon", "pa.": "Pennsylvania", "r.i.": "Rhode Island", "s.c.": "South Carolina", "s.d.": "South Dakota",
    "tenn.": "Tennessee", "vt.": "Vermont", "va.": "Virginia", "w.va.": "West Virginia", "wis.": "Wisconsin",
    "wyo.": "Wyoming",
}


#: Tells whether the gazetteer knows a place name (anything but None means it does).
KnownPlace = Callable[[str], object]


@dataclass(frozen=True)
class Aliases:
    """Editors' decisions from `content/aliases.toml`: variant → canonical name, or None for "not one"."""

    names: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)

    def lookup(self, taxonomy: str, name: str) -> tuple[bool, str | None]:
        """(found, canonical name or None to drop)."""
        table = self.names.get(taxonomy, {})
        key = name.casefold()
        if key in table:
            return True, table[key]
        return False, name


def load_aliases(path: Path) -> Aliases:
    """Read `content/aliases.toml`; a missing file means no aliases."""
    if not path.exists():
        return Aliases()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: not valid TOML ({exc}); fix the file and build again") from exc
    names: dict[str, dict[str, str | None]] = {}
    for taxonomy, table in data.items():
        if taxonomy not in TAXONOMIES or not isinstance(table, dict):
            raise BuildError(f"{path}: [{taxonomy}] is not a table of {', '.join(TAXONOMIES)}; "
                             'write e.g. [persons] then "Obama" = "Barack Obama" or "Anfield" = false')
        entries: dict[str, str | None] = {}
        for variant, canonical in table.items():
            if canonical is False:
                entries[variant.casefold()] = None
            elif isinstance(canonical, str) and canonical.strip():
                entries[variant.casefold()] = " ".join(canonical.split())
            else:
                raise BuildError(f'{path}: [{taxonomy}] "{variant}" must be a name in quotes, or false for "not one"')
        names[taxonomy] = entries
    return Aliases(names)


def _one_edit_apart(a: str, b: str) -> bool:
    """True when one letter inserted, removed or changed turns `a` into `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


def _swapped_pair(a: str, b: str) -> bool:
    """True when `b` is `a` with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    apart = [i for i in range(len(a)) if a[i] != b[i]]
    return len(apart) == 2 and apart[1] == apart[0] + 1 and a[apart[0]] == b[apart[1]] and a[apart[1]] == b[apart[0]]


def _sound_alike(a: str, b: str) -> bool:
    """Whether two first letters of a name spell one sound: the same letter, or C and K ("Kostas", "Costas")."""
    return a == b or {a, b} == {"c", "k"}


@dataclass(frozen=True)
class NameLexicon:
    """English first names and which of them are short forms of one another ("Bill", "William")."""

    first_names: frozenset[str] = frozenset()
    related: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def same_first_name(self, a: str, b: str) -> bool:
        a, b = a.casefold(), b.casefold()
        return a == b or b in self.related.get(a, ()) or a in self.related.get(b, ())

    def given_names(self, names: Iterable[str]) -> set[str]:
        """First names, folded: the lexicon's, and the first word of two or more of the archive's full `names`.

        A name whose second word is a first name of the lexicon is no such evidence: "Tory Liam Kessel", "Kenyan
        Maria Quell" and "Bishop Tavi Vell" are words before a full name, and three of them make no first name of
        "Tory"."""
        starts: Counter[str] = Counter()
        for name in names:
            key = person_key(name)
            if key is not None:
                words = name.split()
                if len(words) < 3 or words[1].casefold() not in self.first_names:
                    starts[key.first] += 1
        return set(self.first_names) | {first for first, n in starts.items() if n >= 2}


@functools.cache
def default_lexicon() -> NameLexicon:
    """The curated nicknames data set: about 2,000 given names with their short forms; one per process."""
    try:
        from nicknames import name_triplets
    except ImportError:  # pragma: no cover - a pinned dependency; degrade to "no lexicon" rather than fail a build
        log.warning("the nicknames package is missing: first names are read from the archive alone")
        return NameLexicon()
    related: dict[str, set[str]] = defaultdict(set)
    for triplet in name_triplets():
        related[triplet.name1].add(triplet.name2)
        related[triplet.name2].add(triplet.name1)
    return NameLexicon(frozenset(related), {k: frozenset(v) for k, v in related.items()})


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_REGNAL = re.compile(r"^[IVXL]+$")
#: An initial and a surname, as line-ups print a name: "T. Kessel", "T Kessel".
_INITIAL_NAME = re.compile(r"[A-Z]\.? [A-Z][^\W\d_]+(?:['’-][^\W\d_]+)*")
#: A middled form takes the bare name ("George Bush") only with this share of the middled uses.
MIDDLE_DOMINANCE = 2 / 3
#: A surname alone joins a full name that has more than this share of the surname's uses.
SURNAME_DOMINANCE = 0.5


@dataclass(frozen=True)
class PersonKey:
    """A full name reduced to what identifies it: first name, initials of middle names, surname."""

    first: str
    middle: tuple[str, ...]
    last: str


def name_fold(word: str) -> str:
    """A word of a name as the decisions compare it, case and accents aside: "Müller" is "muller", as a page that
    drops the accents writes it ("Tavi Müller" and "Tavi Ludwig Muller" are one person)."""
    folded = word.casefold()
    if folded.isascii():
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def person_key(name: str) -> PersonKey | None:
    """None for one-word names, initials-only first names and regnal names ("John Paul II")."""
    words = _WORD.findall(name)
    if len(words) < 2 or len(words[0]) == 1 or _REGNAL.match(words[-1]):
        return None
    return PersonKey(name_fold(words[0]), tuple(name_fold(w[0]) for w in words[1:-1]), name_fold(words[-1]))


def _by_initial(names: Iterable[str]) -> dict[tuple[str, str], list[str]]:
    """Full names by the first letter of the first name and the surname, folded as person keys fold them."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in names:
        key = person_key(name)
        if key is not None:
            found[key.first[0], key.last].append(name)
    return found


def _one_full_name(by_initial: Mapping[tuple[str, str], list[str]], name: str) -> str | None:
    """The one full name an initial and a surname ("T. Kessel") stands for; None for another name, or when the
    archive has no such full name or two."""
    if not _INITIAL_NAME.fullmatch(name):
        return None
    initial, surname = _WORD.findall(name)
    found = by_initial.get((name_fold(initial), name_fold(surname)), [])
    return found[0] if len(found) == 1 else None


#: Titles written before a given name, not a surname ("Queen Elizabeth", "Sister Mary", "Pope Francis").
GIVEN_NAME_TITLES = KNOWN_BY_TITLE | frozenset("""
    king queen prince princess emperor empress sultan emir crown sheikh shaikh sir dame lord lady sister
    brother father fr imam mullah maulana
""".split())


def titled_surname(name: str) -> str | None:
    """The surname of a title and a surname ("Archbishop Viganò", "Sen. Feinstein"), which a story
    that does not give the full name writes; None for any other name."""
    words = name.split()
    if len(words) != 2 or not words[1][:1].isupper():
        return None
    title = words[0].casefold().rstrip(".")
    return words[1] if title in TITLE_WORDS and title not in GIVEN_NAME_TITLES else None


#: A nickname quoted inside a full name: David "Fathead" Newman, Ted “Chappaquiddick” Kennedy.
_NICKNAME = re.compile(r"""\s+["\u201c][^"\u201c\u201d]+["\u201d](?=\s)""")


def without_nickname(name: str) -> str:
    """The name without a nickname quoted inside it ("David Newman"), or the name as it is."""
    plain = _NICKNAME.sub("", name)
    return plain if plain != name and len(plain.split()) >= 2 else name


def without_titles(name: str) -> str:
    """"Gen Ivo Harnsby", "Prime Minister Tavi Kessel": the full name without the titles written before it, or
    the name as it is. Ingest cuts them from the names the model reads as people; these come from a span it read as
    an organization and took for the person the article names elsewhere. A title written before a given name
    ("Queen Elizabeth", "Pope Pius XII") stays, and so does a title before a surname alone ("Prof Reddy")."""
    words = name.split()
    cut = 0
    while (len(words) - cut >= 3 and words[cut + 1][:1].isupper()
           and (title := words[cut].casefold().rstrip(".")) in TITLE_WORDS and title not in GIVEN_NAME_TITLES):
        cut += 1
    return " ".join(words[cut:]) if cut else name


def _most_used(names: Iterable[str], counts: Mapping[str, int]) -> str:
    """The most used spelling, never one in capitals alone while there is another (`shouted`); ties go to the
    one with most capitals, then alphabetically."""
    return min(names, key=lambda n: (shouted(n), -counts.get(n, 0), -sum(c.isupper() for c in n), n))


def shouted(name: str) -> bool:
    """A name of two words or more in capitals alone ("ALAN DERSHOWITZ", "NEW YORK"): a headline's, a caption's or
    an embedded post's emphasis, not how the name is spelt. One word in capitals is more often an acronym."""
    letters = [c for c in name if c.isalpha()]
    return len(name.split()) >= 2 and len(letters) >= 4 and all(c.isupper() for c in letters)


#: Words that stay in lower case inside a name put back into normal case ("Mohammed bin Salman", "Ludwig van …").
_PARTICLES = frozenset({"al", "bin", "bint", "da", "de", "del", "della", "der", "di", "du", "la", "le", "ibn", "van",
                        "von", "y"})


def unshouted(name: str) -> str:
    """A `shouted` name in normal case: "ALAN DERSHOWITZ" → "Alan Dershowitz", "O'NEILL" → "O'Neill"."""
    def word(text: str, first: bool) -> str:
        if not first and text.casefold() in _PARTICLES:
            return text.lower()
        parts = []
        for part in text.split("-"):
            part = part[:1].upper() + part[1:].lower()
            if len(part) > 2 and part[1] in "'’":  # O'Neill, D'Arcy
                part = part[:2] + part[2].upper() + part[3:]
            parts.append(part)
        return "-".join(parts)

    return " ".join(word(w, i == 0) for i, w in enumerate(name.split()))


def _totals(mapped: Mapping[str, str | None], counts: Mapping[str, int]) -> Counter[str]:
    """The uses of each name the mapping leads to: those of every name mapped to it."""
    totals: Counter[str] = Counter()
    for name, target in mapped.items():
        if target:
            totals[target] += counts[name]
    return totals


def _fold_by(totals: Counter[str], key: Callable[[str], object]) -> dict[str, str]:
    """Names with the same `key` (None: none) are one: each of the others → the most used."""
    groups: dict[object, list[str]] = defaultdict(list)
    for name in totals:
        found = key(name)
        if found is not None:
            groups[found].append(name)
    renames: dict[str, str] = {}
    for names in groups.values():
        if len(names) > 1:
            best = _most_used(names, totals)
            renames.update({n: best for n in names if n != best})
    return renames


class Canonicaliser:
    """Maps each name an article lists to the archive's one name for it."""

    def __init__(self, aliases: Aliases, known_place: KnownPlace | None = None,
                 lexicon: NameLexicon | None = None) -> None:
        self.aliases = aliases
        self.known_place = known_place or (lambda name: None)
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        #: Per article (by slug): the texts `apply` looked for in its body, the only reads of a body here.
        self.probes: dict[str, list[str]] = defaultdict(list)

    def _country(self, name: str) -> str:
        return COUNTRY_VARIANTS.get(name.casefold().strip(), name)

    def mapping(self, articles: Sequence[Article]) -> dict[str, dict[str, str | None]]:
        """Per taxonomy, every name that changes and what it becomes (None: dropped).

        A surname alone maps to the archive's dominant full name; `apply` lets an article
        that names another person of that surname keep its own.
        """
        return self._plan(articles)[0]

    def _plan(self, articles: Sequence[Article]) -> tuple[dict[str, dict[str, str | None]], dict[str, str]]:
        result: dict[str, dict[str, str | None]] = {}
        surnames: dict[str, str] = {}
        for taxonomy in TAXONOMIES:
            # The articles that list each name (once each, however often one lists it).
            names: Counter[str] = Counter(chain.from_iterable(dict.fromkeys(a.terms(taxonomy)) for a in articles))
            mapped: dict[str, str | None] = {}
            for name in names:
                found, target = self.aliases.lookup(taxonomy, name)
                if not found and taxonomy == "locations":
                    target = self._country(name)
                elif not found and taxonomy == "persons":
                    target = without_titles(without_nickname(name))
                mapped[name] = target
            if taxonomy == "persons":
                surnames = self._fold_persons(mapped, names)
            elif taxonomy == "locations":
                self._fold_spellings(mapped, names)
            if taxonomy in ("persons", "locations"):
                # A name the folds left in capitals alone (no article spells it otherwise) in normal case.
                for name, target in mapped.items():
                    if target and shouted(target) and self.aliases.lookup(taxonomy, name) != (True, target):
                        mapped[name] = unshouted(target)  # unless an editor's alias asks for it so
            result[taxonomy] = {k: v for k, v in mapped.items() if v != k}
        return result, surnames

    def _free(self, name: str) -> bool:
        """True when no editor's alias has decided this name."""
        return not self.aliases.lookup("persons", name)[0]

    def _fold_persons(self, mapped: dict[str, str | None], counts: Counter[str]) -> dict[str, str]:
        """Variants of one full name join; returns surname → the full name that dominates it."""
        for step in (self._fold_spellings_of_person, self._fold_reordered, self._fold_middle_names,
                     self._fold_short_first_names, self._fold_misspelt_names,
                     self._fold_run_on_names, self._fold_leading_words, self._fold_titled_regnal,
                     self._fold_cut_at_hyphen):
            self._rename(mapped, step(_totals(mapped, counts)))
        totals = _totals(mapped, counts)
        by_surname: dict[str, Counter[str]] = defaultdict(Counter)
        #: Uses of a surname after a title ("Prof Reddy"): no full name, but one that may be anybody's.
        titled: Counter[str] = Counter()
        for target, n in totals.items():
            key = person_key(target)
            if key is not None and titled_surname(target) is None:
                by_surname[key.last][target] += n
            elif key is not None:
                titled[key.last] += n
        surnames: dict[str, str] = {}
        for last, fulls in by_surname.items():
            (top, n), total = fulls.most_common(1)[0], sum(fulls.values()) + titled[last]
            if n > SURNAME_DOMINANCE * total and sum(1 for v in fulls.values() if v == n) == 1:
                surnames[last] = top
        for name, target in mapped.items():
            if not target or not self._free(name):
                continue
            alone = target if len(target.split()) == 1 else titled_surname(target)
            if alone is not None and name_fold(alone) in surnames:
                mapped[name] = surnames[name_fold(alone)]
        # After the surnames: a line-up's "K. Kessel" is one more use of Kevin Kessel's, but no sign that the
        # "Kessel" of another story is he rather than another Kessel.
        self._rename(mapped, self._fold_initial_first_names(_totals(mapped, counts)))
        return surnames

    def _rename(self, mapped: dict[str, str | None], renames: Mapping[str, str]) -> None:
        """Each name whose target a step renamed takes the new target, unless an editor's alias decided it."""
        for name, target in mapped.items():
            if target in renames and self._free(name):
                mapped[name] = renames[target]

    def _fold_spellings_of_person(self, totals: Counter[str]) -> dict[str, str]:
        """"reagan" and "Reagan", "Paul A Volcker" and "Paul A. Volcker": the most used spelling."""
        return _fold_by(totals, term_slug)

    def _fold_reordered(self, totals: Counter[str]) -> dict[str, str]:
        """"Zhang Yimou" and "Yimou Zhang": the same words in another order (the family name first, or last)."""
        def words(name: str) -> tuple[str, ...] | None:
            found = _WORD.findall(name)
            return tuple(sorted(w.casefold() for w in found)) if len(found) >= 2 else None

        return _fold_by(totals, words)

    def _fold_middle_names(self, totals: Counter[str]) -> dict[str, str]:
        """Middle names and initials are variants; two different middles are two people."""
        groups: dict[tuple[str, str], dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
        for name in totals:
            key = person_key(name)
            if key is not None:
                groups[key.first, key.last][key.middle].append(name)
        renames: dict[str, str] = {}
        for by_middle in groups.values():
            middled = {m: names for m, names in by_middle.items() if m}
            if len(middled) <= 1:
                names = [n for ns in by_middle.values() for n in ns]
                best = _most_used(names, totals)
                renames.update({n: best for n in names if n != best})
                continue
            best_of = {m: _most_used(names, totals) for m, names in middled.items()}
            for m, names in middled.items():
                renames.update({n: best_of[m] for n in names if n != best_of[m]})
            uses = {m: sum(totals[n] for n in names) for m, names in middled.items()}
            top = max(uses, key=lambda m: (uses[m], m))
            if uses[top] >= MIDDLE_DOMINANCE * sum(uses.values()):
                renames.update({n: best_of[top] for n in by_middle.get((), [])})
        return renames

    def _fold_short_first_names(self, totals: Counter[str]) -> dict[str, str]:
        """"Bill Barr" and "William Barr": one person, named as most articles name them.

        So are a first name cut short and the one first name of that surname it starts ("Kath" and "Katherine
        Vell", "Mari" and "Marilou Quell"), when the lexicon does not know the short one as a name of its own:
        "Jan" and "Jane", "Paul" and "Pauline" are two names; beside "Katherine" and "Kathleen Quell" a "Kath
        Quell" may be either, and stays."""
        by_last: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name in totals:
            key = person_key(name)
            if key is not None:
                by_last[key.last].append((key.first, name))
        renames: dict[str, str] = {}
        for people in by_last.values():
            if len(people) < 2:
                continue
            firsts = {f for f, _ in people}

            def cut_short(a: str, b: str) -> bool:
                short, full = sorted((a, b), key=len)
                return (len(short) >= 3 and full.startswith(short) and full[len(short):].isalpha()
                        and short not in self.lexicon.first_names
                        and sum(1 for f in firsts if f != short and f.startswith(short)) == 1)

            for first, name in people:
                kin = [other for f, other in people if other != name and f != first
                       and (self.lexicon.same_first_name(first, f) or cut_short(first, f))]
                if kin:
                    best = _most_used([name, *kin], totals)
                    if best != name:
                        renames[name] = best
        return {n: renames.get(t, t) for n, t in renames.items()}

    def _fold_misspelt_names(self, totals: Counter[str]) -> dict[str, str]:
        """A name misspelt by a letter is the person most articles name so.

        First names before the same rest of the name: one letter apart or two letters swapped ("Dianna Quell",
        "Dianne Quell"; "Mihkail", "Mikhail"), when both have four letters or more ("Jan" and "Jane" are two
        names) and begin alike, or with letters that sound alike ("Kostas", "Costas"; "Mick" and "Nick" are two
        names). Surnames after the same first names only when two letters are swapped ("Tavi Kesslre"): surnames a
        letter apart are often two families ("Davis", "Davies"; "Clark", "Clarke").
        """
        renames: dict[str, str] = {}
        for at in (0, -1):
            groups: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
            for name in totals:
                words = [w.casefold() for w in _WORD.findall(name)]
                if len(words) >= 2 and len(words[at]) >= (4 if at == 0 else 5) and not _REGNAL.match(words[-1]):
                    groups[tuple(words[1:] if at == 0 else words[:-1])].append((words[at], name))
            for named in groups.values():
                if len(named) < 2:
                    continue
                named.sort(key=lambda wn: (-totals[wn[1]], -sum(c.isupper() for c in wn[1]), wn[1]))  # most used first
                for i, (word, name) in enumerate(named):
                    for theirs, other in named[:i]:
                        if other in renames or name in renames:
                            continue
                        if _swapped_pair(word, theirs) or (at == 0 and _sound_alike(word[0], theirs[0])
                                                           and _one_edit_apart(word, theirs)):
                            renames[name] = other
                            break
        for name, target in renames.items():  # a first name's fold then a surname's: the end of the chain
            while target in renames:
                target = renames[target]
            renames[name] = target
        return renames

    def _fold_run_on_names(self, totals: Counter[str]) -> dict[str, str]:
        """A list of names read as one ("Jane Roe Mary" from "Jane Roe Mary Major") is the person it starts with;
        a name cut short after an initial ("Dora Q.") is the longer name it starts that most articles use
        ("Dora Q. Quell")."""
        first_words, last_words = self._name_words(totals)
        renames: dict[str, str] = {}
        ordered = sorted(totals)
        for name, n in totals.items():
            words = name.split()
            if len(words) >= 2 and len(words[-1].rstrip(".")) == 1:  # "Dora Q.": the one name it starts
                prefix, longer = name + " ", Counter()
                for other in ordered[bisect.bisect_left(ordered, name + " "):]:
                    if not other.startswith(prefix):
                        break
                    longer[other] = totals[other]
                if longer:
                    (best, uses), = longer.most_common(1)
                    if uses > SURNAME_DOMINANCE * sum(longer.values()):
                        renames[name] = best
                continue
            for k in range(2, len(words)):
                head, rest = " ".join(words[:k]), words[k:]
                if len(words[k - 1].rstrip(".")) == 1:
                    continue  # "Dora Q." is no whole name for "Dora Q. Quell" to run on from
                if totals.get(head, 0) and rest[0].casefold() in first_words:
                    renames[name] = head
                    break
                tail, lead = " ".join(words[-k:]), words[:-k]
                if len(lead) == 1 and totals.get(tail, 0) and lead[0].casefold() in last_words:
                    renames[name] = tail
                    break
        return renames

    def _fold_leading_words(self, totals: Counter[str]) -> dict[str, str]:
        """A full name the archive has, after a word or two that are no first name ("Backbencher Tavi Kessel",
        "Quellish Tavi Kessel", "Pre-Order Tavi Kessel", "Boy Scout Tavi Kessel"), is that person, named as most
        articles name them.

        A first name here is the lexicon's, or the first word of two or more of the archive's names: "Maria Tavi
        Kessel" stays. The page takes the shorter name unless the longer one is the more used ("Quel Oruno Tavi
        Kessel" more often than "Tavi Kessel").
        """
        given = self.lexicon.given_names(totals)
        renames: dict[str, str] = {}
        for name in totals:
            words = name.split()
            for cut in (1, 2):
                tail = " ".join(words[cut:])
                if len(words) - cut >= 2 and tail in totals and not any(name_fold(w) in given for w in words[:cut]):
                    if totals[name] > totals[tail]:
                        renames[tail] = name
                    else:
                        renames[name] = tail
                    break
        return {n: renames.get(t, t) for n, t in renames.items() if renames.get(t, t) != n}

    def _fold_titled_regnal(self, totals: Counter[str]) -> dict[str, str]:
        """"Pope Benedict" and "Benedict XVI": the title and the regnal number name one person.

        Joins the most used regnal form of that name, when the archive has one.
        """
        regnal: dict[str, list[str]] = defaultdict(list)
        for name in totals:
            words = name.split()
            if len(words) == 2 and _REGNAL.match(words[1]):
                regnal[words[0].casefold()].append(name)
        renames: dict[str, str] = {}
        for name in totals:
            words = name.split()
            if len(words) == 2 and words[0].casefold() in KNOWN_BY_TITLE and words[1].casefold() in regnal:
                renames[name] = _most_used(regnal[words[1].casefold()], totals)
        return renames

    def _fold_cut_at_hyphen(self, totals: Counter[str]) -> dict[str, str]:
        """A full name cut short at a hyphen ("Tavi Kes" from "Tavi Kes-sel", "Moon Quel" from "Moon Quel-in") is
        the hyphenated name, when the archive has one such name alone and it is used at least as often: "Tavi
        Kessel" stays beside a "Tavi Kessel-era" of fewer articles, and beside two longer names (a father's
        "Kim Quel-il" and a son's "Kim Quel-un") it may be either, so it is left alone."""
        longer: dict[str, list[str]] = defaultdict(list)
        for name in totals:
            head, hyphen, tail = name.rpartition("-")
            if hyphen and " " in head.strip() and tail and " " not in tail and not head.endswith(" "):
                longer[head].append(name)
        return {head: names[0] for head, names in longer.items()
                if head in totals and len(names) == 1 and totals[names[0]] >= totals[head]}

    def _fold_initial_first_names(self, totals: Counter[str]) -> dict[str, str]:
        """An initial and a surname ("T. Kessel", "T Kessel", as line-ups and scorecards print a player) is the one
        full name in the archive with that first letter and surname ("Tavi Kessel"); beside two ("Tavi Kessel",
        "Tomas Kessel") it may be either, and without one it is all the archive says: both stay as written."""
        fulls = _by_initial(totals)
        return {name: full for name in totals if (full := _one_full_name(fulls, name)) is not None}

    def _name_words(self, totals: Iterable[str]) -> tuple[set[str], set[str]]:
        """First names (the lexicon's and the archive's own) and surnames the archive uses."""
        first_words = set(self.lexicon.first_names)
        last_words: set[str] = set()
        for name in totals:
            key = person_key(name)
            if key is not None:
                first_words.add(key.first)
                last_words.add(key.last)
        return first_words, last_words

    def _fold_spellings(self, mapped: dict[str, str | None], counts: Counter[str]) -> None:
        """Unknown places spelt two ways one letter apart share the more used spelling."""
        unknown = sorted({t for t in mapped.values() if t and len(t) >= 5 and self.known_place(t) is None},
                         key=lambda t: (-counts.get(t, 0), t))
        # Two spellings one edit apart share a "one letter deleted" form (or one is such a form
        # of the other), so grouping by those forms finds every pair without comparing all pairs.
        by_form: dict[str, list[str]] = defaultdict(list)
        for name in unknown:
            folded = name.casefold()
            for form in {folded, *(folded[:i] + folded[i + 1 :] for i in range(len(folded)))}:
                by_form[form].append(name)
        rank = {name: i for i, name in enumerate(unknown)}
        chosen: dict[str, str] = {}
        for name in unknown:  # most used first
            if name in chosen:
                continue
            folded = name.casefold()
            forms = {folded, *(folded[:i] + folded[i + 1 :] for i in range(len(folded)))}
            for other in sorted({o for form in forms for o in by_form[form]}, key=rank.__getitem__):
                if (other != name and other not in chosen and rank[other] > rank[name]
                        and other[0].casefold() == folded[0] and _one_edit_apart(folded, other.casefold())):
                    chosen[other] = name
        for variant, target in list(mapped.items()):
            if target in chosen and not self.aliases.lookup("locations", variant)[0]:
                mapped[variant] = chosen[target]

    def apply(self, articles: Sequence[Article]) -> list[Article]:
        """The articles with canonical names, in order of first mention and without repeats."""
        mapping, surnames = self._plan(articles)
        persons = mapping.get("persons", {})
        people = Counter(t for a in articles for t in dict.fromkeys(persons.get(n, n) for n in a.persons) if t)
        by_first: dict[str, list[str]] = defaultdict(list)
        by_last: dict[str, set[str]] = defaultdict(set)
        for name in people:
            key = person_key(name)
            if key is not None:
                by_first[key.first].append(name)
                by_last[key.last].add(name)
        # A first name that is nobody's surname (but the run-on name's own) can start a run-on.
        by_first = {first: names for first, names in by_first.items() if len(by_last.get(first, ())) <= 1}
        # Worked out once a name, not once an article that lists it.
        titled = {name: alone for name in {n for a in articles for n in a.persons}
                  if (alone := titled_surname(name)) is not None}
        organizations = mapping.get("organizations", {})
        players = self._players_listed_as_organizations(articles, organizations, people)
        out: list[Article] = []
        for article in articles:
            changes: dict[str, tuple[str, ...]] = {}
            for taxonomy, table in mapping.items():
                names = article.terms(taxonomy)
                if taxonomy == "persons":
                    renamed = self._own_persons(article, table, people, by_first, titled)
                    if renamed != names:
                        changes[taxonomy] = renamed
                elif any(n in table for n in names):
                    changes[taxonomy] = tuple(dict.fromkeys(n for n in (table.get(n, n) for n in names) if n))
            if players and any(n in players for n in article.organizations):
                changes["organizations"] = tuple(dict.fromkeys(
                    t for n in article.organizations if n not in players and (t := organizations.get(n, n))))
                joined = [players[n] for n in article.organizations if n in players]
                changes["persons"] = tuple(dict.fromkeys([*changes.get("persons", article.persons), *joined]))
            if changes:
                out.append(restamp(article, changes))
            else:
                out.append(article)
        return out

    def _players_listed_as_organizations(self, articles: Sequence[Article], table: Mapping[str, str | None],
                                         people: Counter[str]) -> dict[str, str]:
        """An initial and a surname listed as an organization ("T. Kessel": the entity model took a line-up's player
        for a club) that is the one person of the archive with that initial and surname ("Tavi Kessel"): that
        person, by the name as listed. Without such a person, or beside two, it is left where it was."""
        fulls = _by_initial(people)
        found: dict[str, str] = {}
        for name in {n for a in articles for n in a.organizations}:
            target = table.get(name, name)
            if target and not self.aliases.lookup("organizations", name)[0]:
                person = _one_full_name(fulls, target)
                if person is not None:
                    found[name] = person
        return found

    def _own_persons(self, article: Article, table: Mapping[str, str | None], people: Counter[str],
                     by_first: Mapping[str, list[str]], titled: Mapping[str, str]) -> tuple[str, ...]:
        """This article's persons: a surname alone is the person of that surname the article itself names."""
        mapped = [(n, table.get(n, n)) for n in article.persons]
        own: dict[str, list[str]] = defaultdict(list)
        for name, target in mapped:
            key = person_key(name)
            if target and key is not None and self._free(name) and name not in titled:
                own[key.last].append(target)
        result: list[str] = []
        for name, target in mapped:
            if not target:
                continue
            alone = titled.get(name) if self._free(name) else None
            if self._free(name) and len(name.split()) == 1:
                mine = set(own.get(name_fold(name), ()))
                if len(mine) == 1:
                    target = next(iter(mine))
            elif alone is not None and name_fold(alone) in own:
                mine = set(own[name_fold(alone)])
                # "Bishop Tobin" beside Thomas Tobin alone is he; beside two Tobins, which one is not for us to say
                target = next(iter(mine)) if len(mine) == 1 else name
            elif self._free(name) and len(target.split()) == 2:
                target = self._cut_run_on(article, target, people, by_first)
            result.append(target)
        return tuple(dict.fromkeys(result))

    def _cut_run_on(self, article: Article, name: str, people: Counter[str], by_first: Mapping[str, list[str]]) -> str:
        """"Will Brett" read from "Will Brett Kavanaugh": the name's last word starts a better-known full name right after it."""
        last = name.split()[-1]
        candidates = [p for p in by_first.get(last.casefold(), ()) if p != name and people[p] > people[name]]
        if not candidates:
            return name
        text = body_of(article)
        for person in sorted(candidates, key=lambda p: -people[p]):
            probe = f"{name} {person.split(' ', 1)[1]}"
            self.probes[article.slug].append(probe)
            if probe in text:
                return person
        return name


def restamp(article: Article, changes: Mapping[str, tuple[str, ...]]) -> Article:
    """The article with new term lists, and a digest that changes with them (renders are cached by digest)."""
    stamp = "|".join(f"{k}={';'.join(v)}" for k, v in sorted(changes.items()))
    return dataclasses.replace(article, digest=stamped_digest(article.digest, (stamp,)),
                               stamps=(*article.stamps, stamp), **changes)


def stamped_digest(digest: str, stamps: Iterable[str]) -> str:
    """A content file's hash with the decisions' stamps folded in, one after the other."""
    for stamp in stamps:
        digest = hashlib.blake2b(f"{digest}|{stamp}".encode(), digest_size=16).hexdigest() if digest else ""
    return digest


def canonicalise(articles: Iterable[Article], aliases: Aliases, known_place: KnownPlace | None = None,
                 lexicon: NameLexicon | None = None) -> list[Article]:
    """One name per person and place (see the module docstring)."""
    return Canonicaliser(aliases, known_place, lexicon).apply(list(articles))
