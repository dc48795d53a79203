"""One name per person and per place across the whole archive, decided at build time.

Ingest already folds names within an article ("Mr. Obama" → "Barack Obama"). Here the
archive is looked at as a whole: a surname alone ("Obama") joins the one full name that
ends with it anywhere in the archive (never when two people share it), country
abbreviations and nicknames join the country ("U.S.", "America" → "United States"), and
unknown places spelt two ways that differ by one letter ("Bajur", "Bajaur") share one page.
Editors decide the rest in `content/aliases.toml`. Front matter keeps what each article
said; only the pages change, so editing an alias needs no re-ingest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError
from generator.model import Article

#: The taxonomies canonicalised here, and what an alias file calls them.
TAXONOMIES = ("persons", "locations", "organizations", "tags")

#: Ways newsrooms write countries, beyond the names and codes the gazetteer knows.
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


class Canonicaliser:
    """Maps each name an article lists to the archive's one name for it."""

    def __init__(self, aliases: Aliases, known_place: KnownPlace | None = None) -> None:
        self.aliases = aliases
        self.known_place = known_place or (lambda name: None)

    def _country(self, name: str) -> str:
        return COUNTRY_VARIANTS.get(name.casefold().strip(), name)

    def mapping(self, articles: Sequence[Article]) -> dict[str, dict[str, str | None]]:
        """Per taxonomy, every name that changes and what it becomes (None: dropped)."""
        result: dict[str, dict[str, str | None]] = {}
        for taxonomy in TAXONOMIES:
            names: Counter[str] = Counter()
            for article in articles:
                names.update(dict.fromkeys(article.terms(taxonomy), 1))
            mapped: dict[str, str | None] = {}
            for name in names:
                found, target = self.aliases.lookup(taxonomy, name)
                if not found and taxonomy == "locations":
                    target = self._country(name)
                mapped[name] = target
            if taxonomy == "persons":
                self._fold_surnames(mapped, names)
            elif taxonomy == "locations":
                self._fold_spellings(mapped, names)
            result[taxonomy] = {k: v for k, v in mapped.items() if v != k}
        return result

    def _fold_surnames(self, mapped: dict[str, str | None], counts: Counter[str]) -> None:
        """A one-word name joins the single full name in the archive that ends with it."""
        by_surname: dict[str, set[str]] = defaultdict(set)
        for target in {t for t in mapped.values() if t}:
            words = target.split()
            if len(words) >= 2:
                by_surname[words[-1].casefold()].add(target)
        for name, target in mapped.items():
            if target and len(target.split()) == 1 and not self.aliases.lookup("persons", name)[0]:
                fulls = by_surname.get(target.casefold(), set())
                if len(fulls) == 1:
                    mapped[name] = next(iter(fulls))

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
        mapping = self.mapping(articles)
        if not any(mapping.values()):
            return list(articles)
        out: list[Article] = []
        for article in articles:
            changes: dict[str, tuple[str, ...]] = {}
            for taxonomy, table in mapping.items():
                names = article.terms(taxonomy)
                if any(n in table for n in names):
                    renamed = (table.get(n, n) for n in names)
                    changes[taxonomy] = tuple(dict.fromkeys(n for n in renamed if n))
            if changes:
                stamp = "|".join(f"{k}={';'.join(v)}" for k, v in sorted(changes.items()))
                digest = hashlib.blake2b(f"{article.digest}|{stamp}".encode(), digest_size=16).hexdigest() if article.digest else ""
                article = dataclasses.replace(article, digest=digest, **changes)
            out.append(article)
        return out


def canonicalise(articles: Iterable[Article], aliases: Aliases, known_place: KnownPlace | None = None) -> list[Article]:
    return Canonicaliser(aliases, known_place).apply(list(articles))
