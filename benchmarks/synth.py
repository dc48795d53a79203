"""Synthetic news archives for benchmarks: plausible, deterministic, fast to write.

    python benchmarks/synth.py --articles 10000 --seed 1 OUT_DIR

writes a site root: `site.toml` (the repository's, with `theme = "bench"`), a site theme
`themes/bench/templates/term.html` (a copy of the default one, so a benchmark can edit a
template without touching the repository) and `content/articles/<slug>.md` in the
project's content format. There is no `seeds/` folder, so a build ingests nothing.

Tags, locations, persons and organizations are drawn from pools with Zipf-skewed
popularity, as in a real archive: a few terms cover many articles, most cover one or two.
Everything comes from one `random.Random(seed)`, so the same arguments give
byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.content import dump_content  # noqa: E402

#: The theme a synthetic root uses; it overrides only term.html of the default theme.
THEME = "bench"
BENCH_TEMPLATE = Path("themes") / THEME / "templates" / "term.html"
ARTICLES_DIR = Path("content") / "articles"

FIRST_DATE = dt.date(2015, 1, 1)
DATE_SPAN_DAYS = 3652  # about ten years
WORDS_PER_BODY = (600, 800)
TAGS_PER_ARTICLE = (3, 8)
LOCATIONS_PER_ARTICLE = (1, 4)
PERSONS_PER_ARTICLE = (1, 5)
ORGANIZATIONS_PER_ARTICLE = (1, 3)
ZIPF_EXPONENT = 1.0

# --------------------------------------------------------------------------- names

_ONSETS = ("b", "br", "c", "d", "d", "dr", "f", "g", "h", "j", "k", "l", "l", "m", "m", "n", "n",
           "p", "r", "r", "s", "s", "st", "t", "t", "tr", "v", "w", "z")
_VOWELS = ("a", "a", "a", "e", "e", "i", "i", "o", "o", "u", "ai", "ou")
_CODAS = ("", "", "", "l", "n", "r", "s", "m", "nd", "rt", "st")
_GIVEN_ENDINGS = ("a", "o", "an", "el", "in", "ia", "is", "en", "ar", "ie", "us", "eth")
_FAMILY_ENDINGS = ("son", "sen", "ova", "ski", "ez", "ini", "berg", "ford", "ley", "ton", "ic",
                   "er", "man", "ard", "elli", "os", "ak", "ing", "well", "opoulos")
_PLACE_ENDINGS = ("burg", "ton", "ville", "port", "field", "mouth", "stad", "ia", "ara", "grad",
                  "holm", "dale", "bridge", "haven", "abad", "pur", "ovo", "ford", "by", "ey")
_PLACE_FORMS = ("{}", "{}", "{}", "{}", "{}", "Port {}", "New {}", "{} City", "San {}", "Lake {}",
                "North {}", "{} Valley")
_ORG_FORMS = ("{} Holdings", "{} Bank", "{} Party", "Ministry of {}", "{} Institute", "{} Group",
              "{} Union", "{} Energy", "{} Foundation", "{} Airlines", "{} Council", "{} Mining")

_TOPIC_MODIFIERS = (
    "trade", "energy", "housing", "labour", "climate", "health", "tax", "border", "water", "oil",
    "gas", "rail", "airline", "banking", "farm", "fishing", "mining", "steel", "tech", "media",
    "election", "court", "police", "defence", "school", "university", "pension", "wage", "food",
    "fuel", "shipping", "port", "coal", "solar", "wind", "nuclear", "tourism", "film", "music",
    "football", "cricket", "tennis", "transport", "budget", "debt", "currency", "stock", "bond",
    "privacy", "software", "telecom", "vaccine", "hospital", "prison", "refugee", "aid", "arms",
    "peace", "protest", "strike", "drought", "flood", "forest", "fisheries", "copper", "grain",
)
_TOPIC_NOUNS = (
    "policy", "prices", "talks", "reform", "crisis", "deal", "dispute", "market", "law", "ban",
    "vote", "strike", "protest", "inquiry", "merger", "exports", "imports", "subsidies", "rules",
    "shortage", "investment", "jobs", "profits", "losses", "sanctions", "tariffs", "security",
    "rights", "funding", "scandal", "ruling", "summit", "plan", "budget", "cuts", "growth",
    "recovery", "emissions", "safety", "standards", "licences", "regulation", "ratings",
)

_VOCABULARY = (
    "the the the the of of of and and and to to to a a in in in that is was for on with as by at "
    "from it said said he she they their its has have had been would will could after before over "
    "under about more than year years week month government officials minister ministry report "
    "people country city region company companies market prices plan talks deal agreement "
    "council court police workers union party election vote voters leaders spokesman spokeswoman "
    "statement figures data growth rate rates percent million billion budget tax policy public "
    "private sector industry trade exports imports new first last second major local national "
    "international foreign economic political social security health energy water housing "
    "schools hospitals transport rail roads port airport power services jobs wages pensions "
    "investors shares bank banks central interest inflation debt crisis reform reforms proposal "
    "proposals meeting meetings week's month's earlier later expected announced agreed rejected "
    "warned told reporters added according sources familiar matter decision decisions plans "
    "residents families community groups critics supporters opposition ruling coalition "
    "lawmakers parliament committee inquiry investigation evidence case cases judge ruling "
    "appeal protest protests demonstrators crowd streets capital centre north south east west "
    "coast border area areas district province state states federal regional officials' "
    "expected continue continued increase increased fall fell rise rose remain remained "
    "support supported oppose opposed concern concerns pressure pressures risk risks costs "
    "cost spending funding fund funds programme project projects contract contracts firm firms "
    "chief executive director board chairman president deputy head spokesperson analyst analysts "
    "economists experts researchers study survey results quarter annual record highest lowest "
    "since during while but also not only however although because despite without between"
).split()

_VERBS = ("backs", "rejects", "unveils", "delays", "approves", "questions", "defends", "announces",
          "halts", "expands", "weighs", "criticises", "signs", "launches", "cuts", "reviews")


def _syllable(rng: Random, coda: bool) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + (rng.choice(_CODAS) if coda else "")


def _join(stem: str, ending: str) -> str:
    """Stem plus ending without a vowel clash ("Drea" + "abad" -> "Drabad") or a triple consonant."""
    vowels = "aeiou"
    while stem and ending and stem[-1] in vowels and ending[0] in vowels:
        stem = stem[:-1]
    if len(stem) >= 2 and stem[-1] not in vowels and stem[-2] not in vowels and ending[0] not in vowels:
        stem = stem[:-1]
    return (stem + ending).capitalize()


def _stem(rng: Random, syllables: tuple[int, int] = (1, 2)) -> str:
    # Only the last syllable may close on a consonant, which keeps names pronounceable.
    n = rng.randint(*syllables)
    return "".join(_syllable(rng, coda=i == n - 1) for i in range(n))


def _given_name(rng: Random) -> str:
    return _join(_stem(rng, (1, 2)), rng.choice(_GIVEN_ENDINGS))


def _family_name(rng: Random) -> str:
    return _join(_stem(rng, (1, 2)), rng.choice(_FAMILY_ENDINGS))


def _person(rng: Random) -> str:
    return f"{_given_name(rng)} {_family_name(rng)}"


def _place(rng: Random) -> str:
    base = _join(_stem(rng, (1, 2)), rng.choice(_PLACE_ENDINGS))
    return rng.choice(_PLACE_FORMS).format(base)


def _organization(rng: Random) -> str:
    base = _join(_stem(rng, (1, 2)), rng.choice(("a", "o", "ex", "on", "ia", "is", "tek", "via")))
    return rng.choice(_ORG_FORMS).format(base)


def _tag(rng: Random) -> str:
    form = rng.random()
    if form < 0.15:
        return rng.choice(_TOPIC_NOUNS)
    if form < 0.9:
        return f"{rng.choice(_TOPIC_MODIFIERS)} {rng.choice(_TOPIC_NOUNS)}"
    return f"{rng.choice(_TOPIC_MODIFIERS)} {rng.choice(_TOPIC_MODIFIERS)} {rng.choice(_TOPIC_NOUNS)}"


def _unique_pool(rng: Random, size: int, make: Callable[[Random], str]) -> list[str]:
    """`size` distinct names (distinct even ignoring case), in generation order = popularity rank."""
    names: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(names) < size:
        name = make(rng)
        attempts += 1
        if attempts > 50 * size:  # the name space is running out: widen it with a syllable
            name = f"{name} {_stem(rng).capitalize()}"
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


# --------------------------------------------------------------------------- sampling


@dataclass(frozen=True)
class ZipfPool:
    """Names whose popularity falls off as 1/rank**s."""

    names: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def build(cls, names: Sequence[str], exponent: float = ZIPF_EXPONENT) -> ZipfPool:
        return cls(tuple(names), tuple(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, len(names) + 1))))

    def sample(self, rng: Random, count: int) -> list[str]:
        """`count` distinct names, the popular ones more often."""
        count = min(count, len(self.names))
        picked: dict[str, None] = {}
        while len(picked) < count:
            for name in rng.choices(self.names, cum_weights=self.cum_weights, k=count - len(picked)):
                picked.setdefault(name)
                if len(picked) == count:
                    break
        return list(picked)


@dataclass(frozen=True)
class Pools:
    tags: ZipfPool
    locations: ZipfPool
    persons: ZipfPool
    organizations: ZipfPool

    @classmethod
    def build(cls, rng: Random, articles: int) -> Pools:
        # Each pool is at least twice the most an article lists, so small archives work too.
        return cls(
            tags=ZipfPool.build(_unique_pool(rng, max(articles // 4, 2 * TAGS_PER_ARTICLE[1]), _tag)),
            locations=ZipfPool.build(_unique_pool(rng, max(articles // 5, 2 * LOCATIONS_PER_ARTICLE[1]), _place)),
            persons=ZipfPool.build(_unique_pool(rng, max(articles // 2, 2 * PERSONS_PER_ARTICLE[1]), _person)),
            organizations=ZipfPool.build(_unique_pool(rng, max(articles // 10, 2 * ORGANIZATIONS_PER_ARTICLE[1]), _organization)),
        )


# --------------------------------------------------------------------------- articles


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: Random, names: Sequence[str]) -> str:
    words = rng.choices(_VOCABULARY, k=rng.randint(9, 24))
    if names and rng.random() < 0.45:
        words.insert(rng.randrange(1, len(words)), rng.choice(names))
    if rng.random() < 0.2:
        words.insert(rng.randrange(3, len(words)), f"{rng.choice(words)},")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: Random, names: Sequence[str]) -> tuple[str, str]:
    """(Markdown body of 600 to 800 words in several paragraphs, its first sentence)."""
    target = rng.randint(*WORDS_PER_BODY)
    sentences: list[str] = []
    words = 0
    while True:
        sentence = _sentence(rng, names)
        if words + len(sentence.split()) > WORDS_PER_BODY[1]:
            break
        sentences.append(sentence)
        words += len(sentence.split())
        if words >= target:
            break
    # Cut the sentences into paragraphs of two to six sentences.
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        n = rng.randint(2, 6)
        paragraphs.append(" ".join(sentences[i : i + n]))
        i += n
    return "\n\n".join(paragraphs) + "\n", sentences[0]


def _title(rng: Random, tags: Sequence[str], locations: Sequence[str], persons: Sequence[str]) -> str:
    surname = persons[0].split()[-1]
    form = rng.randrange(4)
    if form == 0:
        text = f"{surname} {rng.choice(_VERBS)} {tags[0]} in {locations[0]}"
    elif form == 1:
        text = f"{locations[0]} {rng.choice(_VERBS)} {tags[0]} as {surname} faces {tags[-1]}"
    elif form == 2:
        text = f"{tags[0]} deal {rng.choice(('stalls', 'advances', 'collapses', 'widens'))} in {locations[0]}"
    else:
        text = f"{persons[0]} {rng.choice(_VERBS)} {tags[0]}"
    return text[0].upper() + text[1:]


def generate(articles: int, seed: int) -> list[tuple[str, dict, str]]:
    """(slug, front matter, body) of each synthetic article, in generation order."""
    rng = Random(seed)
    pools = Pools.build(rng, articles)
    made: list[tuple[str, dict, str]] = []
    slugs: set[str] = set()
    for _ in range(articles):
        tags = pools.tags.sample(rng, rng.randint(*TAGS_PER_ARTICLE))
        locations = pools.locations.sample(rng, rng.randint(*LOCATIONS_PER_ARTICLE))
        persons = pools.persons.sample(rng, rng.randint(*PERSONS_PER_ARTICLE))
        organizations = pools.organizations.sample(rng, rng.randint(*ORGANIZATIONS_PER_ARTICLE))
        title = _title(rng, tags, locations, persons)
        base = slugify(title)[:70].strip("-")
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        body, lead = _body(rng, persons + locations + organizations)
        meta = {
            "title": title,
            "slug": slug,
            "date": FIRST_DATE + dt.timedelta(days=rng.randrange(DATE_SPAN_DAYS)),
            "summary": lead,
            "tags": tags,
            "locations": locations,
            "persons": persons,
            "organizations": organizations,
        }
        made.append((slug, meta, body))
    return made


# --------------------------------------------------------------------------- site root


def site_toml(theme: str = THEME) -> str:
    """The repository's site.toml with the synthetic theme selected."""
    text = (REPO / "site.toml").read_text(encoding="utf-8")
    line = f'theme = "{theme}"'
    text, found = re.subn(r'(?m)^theme\s*=.*$', line, text)
    return text if found else text.rstrip("\n") + f"\n{line}\n"


def write_archive(root: Path, articles: int, seed: int) -> list[Path]:
    """Write a synthetic site root under `root`; returns the content files, sorted.

    Content files left from an earlier archive in the same root are removed first.
    """
    root = Path(root)
    articles_dir = root / ARTICLES_DIR
    articles_dir.mkdir(parents=True, exist_ok=True)
    for stale in articles_dir.glob("*.md"):
        stale.unlink()
    (root / "site.toml").write_text(site_toml(), encoding="utf-8")
    template = root / BENCH_TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "themes" / "default" / "templates" / "term.html", template)
    paths: list[Path] = []
    for slug, meta, body in generate(articles, seed):
        path = articles_dir / f"{slug}.md"
        path.write_text(dump_content(meta, body), encoding="utf-8", newline="\n")
        paths.append(path)
    return sorted(paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic news archive (a Broadsheet site root).")
    parser.add_argument("--articles", type=int, required=True, metavar="N", help="how many articles")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="the site root to write")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    started = time.perf_counter()
    paths = write_archive(args.out_dir, args.articles, args.seed)
    print(f"Wrote {len(paths)} articles to {args.out_dir / ARTICLES_DIR} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
