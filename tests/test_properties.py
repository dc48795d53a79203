"""Property-based tests (Hypothesis): whatever the seeds and front matter hold, builds stay whole and safe.

Random bytes, random Unicode and random Markdown/HTML-looking text go through ingest and
render with a stub analyser (no spaCy model): the build never crashes, never loses an
article (each seed gives a page or a warning naming it), never lets markup from a seed
into any output, and builds the same bytes twice. Random front matter never crashes the
loader. Examples are few and small so the file runs in seconds.
"""

from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.content import split_front_matter
from generator.errors import Warnings
from generator.pipeline import Builder
from tests.helpers import REPO, site_digests as tree

#: Each example is a whole build, so: few examples, a fixed seed (CI runs the same cases every time), no example
#: database written into the working tree, and no shrinking (it can take minutes); a failure prints its example.
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True, database=None, phases=[Phase.explicit, Phase.generate])


@dataclass(frozen=True)
class _Analysis:
    persons: tuple[str, ...]
    locations: tuple[str, ...]
    organizations: tuple[str, ...]
    tags: tuple[str, ...]


class StubAnalyzer:
    """No model: names are cut straight from the text, so a seed's markup reaches term pages, feeds and the sitemap too."""

    def analyse(self, texts):
        found = []
        for text in texts:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            first = lines[0][:40] if lines else ""
            last = lines[-1][:30] if lines else ""
            found.append(_Analysis(persons=(first,) if first else (), locations=(last,) if last else (),
                                   organizations=(), tags=("news", first[:20]) if first else ("news",)))
        return found


# --------------------------------------------------------------------------- strategies

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<div data-hyp="1">',
    "<svg onload=alert(1)>",
    "<iframe src=//example.invalid></iframe>",
    "<!-- comment -->",
    "<![CDATA[ x ]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ config }}",
    "{% raw %}",
    "]]>",
    "</title></head>",
    "\" onmouseover=\"alert(1)",
]
MARKDOWN = ["# Heading", "## Sub", "**bold**", "_em_", "`code`", "```", "    indented code", "> quote", "- item",
            "1. item", "---", "***", "| a | b |", "[ref]: http://x", "<http://auto.link>", "\\", "*", "_", "#"]
WORDS = ["Reuters", "LONDON", "(Reuters)", "-", "The", "minister", "said", "on", "Tuesday", "Subscribe", "Read",
         "more", "Advertisement", "©", "2016", "12", "May", "By", "Jane", "Doe", "port", "strike", "Rotterdam", "."]

fragments = st.one_of(st.sampled_from(ATTACKS), st.sampled_from(MARKDOWN), st.sampled_from(WORDS),
                      st.text(max_size=12))
markup_text = st.builds(
    lambda title, lines: "\n".join([title, "", *lines]) + "\n",
    st.lists(st.sampled_from(WORDS + ATTACKS), min_size=1, max_size=6).map(" ".join),
    st.lists(st.lists(fragments, min_size=1, max_size=12).map(" ".join), min_size=0, max_size=8),
)
seed_bytes = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    markup_text.map(lambda t: t.encode("utf-8")),
    markup_text.map(lambda t: t.encode("utf-16")),
)


# --------------------------------------------------------------------------- checks


class _Unsafe(HTMLParser):
    """Collects tags and attributes that only a seed could have put there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and (dict(attrs).get("src") or "").startswith(("/pagefind/", "/static/")):
            return  # the search page's own script files, no seed's
        if tag in ("script", "img", "svg", "iframe", "object", "embed") and \
                (tag, dict(attrs).get("type")) != ("script", "application/ld+json"):  # JSON-LD is data the build writes
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "data-hyp":
                self.problems.append(f"attribute {name}")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{name}={value}")

    def handle_comment(self, data):
        if "comment" in data:
            self.problems.append("a seed's comment")


def output_problems(public: Path) -> list[str]:
    problems = []
    for path in sorted(public.rglob("*")):
        if not path.is_file() or path.parts[-2:-1] == ("static",):
            continue
        rel = path.relative_to(public).as_posix()
        if rel.startswith("pagefind/") and path.suffix != ".json":
            continue  # Pagefind's compressed index and its own scripts (the browser tests search a hostile title)
        text = path.read_text(encoding="utf-8")
        parser = _Unsafe()
        parser.feed(text)
        parser.close()
        problems += [f"{path.relative_to(public)}: {p}" for p in parser.problems]
        if path.suffix == ".xml":
            try:
                ET.fromstring(text.encode("utf-8"))
            except ET.ParseError as exc:
                problems.append(f"{path.relative_to(public)}: not well-formed XML ({exc})")
        if path.suffix == ".json":
            if "<" in text:
                problems.append(f"{path.relative_to(public)}: a raw '<' in JSON")
    return problems



def new_site(base: Path) -> Path:
    root = base / "site"
    (root / "seeds").mkdir(parents=True)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    return root


def build(root: Path) -> Builder:
    builder = Builder(load_config(root), analyzer_factory=StubAnalyzer, workers=1)
    builder.result = builder.build()  # type: ignore[attr-defined]
    return builder


def decodable(data: bytes) -> bool:
    """Non-empty text that a reader would call an article (the decoder decides the rest)."""
    return bool(data.strip())


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(st.lists(seed_bytes, min_size=1, max_size=4))
def test_random_seeds_build_whole_safe_and_deterministic(seeds):
    with tempfile.TemporaryDirectory() as tmp:
        root = new_site(Path(tmp))
        for i, data in enumerate(seeds):
            (root / "seeds" / f"seed-{i}.txt").write_bytes(data)
        builder = build(root)
        result = builder.result
        public = root / "public"

        # Never lose an article: a page for each seed, or a warning that names it.
        pages = {}
        for path in sorted((root / "content" / "articles").glob("*.md")):
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
            pages[meta["seed"]] = meta["slug"]
        for i, data in enumerate(seeds):
            rel = f"seeds/seed-{i}.txt"
            warned = any(message.startswith(rel) for message in result.warnings.messages)
            if rel in pages:
                assert (public / "articles" / pages[rel] / "index.html").is_file(), rel
            elif decodable(data):
                assert warned, f"{rel} gave no page and no warning: {result.warnings.messages}"

        # Never let a seed's markup into any page, feed or sitemap.
        assert output_problems(public) == []

        # The same input gives the same bytes, built again from nothing.
        first = tree(public)
        for made in ("public", ".broadsheet-cache", "content"):
            shutil.rmtree(root / made, ignore_errors=True)
        build(root)
        assert tree(public) == first


keys = st.sampled_from(["title", "slug", "date", "summary", "tags", "locations", "persons", "organizations",
                        "author", "source", "dateline", "seed", "seed_sha256", "extra"])
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
              st.dates(), st.datetimes(), st.sampled_from(ATTACKS + ["2016-13-45", "../../etc", "", " ", "-"])),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=6,
)
structured = st.dictionaries(keys, values, max_size=8).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False) if d else "")
raw_front = st.one_of(structured, st.text(max_size=120),
                      st.lists(st.sampled_from(["title: x", "date: 2005-13-45", "tags: [a, b", "- a", "? x", "&a x",
                                                "*a", "!!python/object:os.system x", "slug: ../x", ": :", "\t", "%YAML 9",
                                                "date: 99999-01-01", "title: |", "  <script>alert(1)</script>"]),
                               max_size=6).map("\n".join))


@SETTINGS
@given(st.lists(raw_front, min_size=1, max_size=3), st.sampled_from(["", "Body. <script>alert(1)</script>\n", "# x\n"]))
def test_random_front_matter_never_crashes_the_loader(fronts, body):
    with tempfile.TemporaryDirectory() as tmp:
        root = new_site(Path(tmp))
        folder = root / "content" / "articles"
        folder.mkdir(parents=True)
        for i, front in enumerate(fronts):
            text = f"---\n{front}\n---\n{body}" if i % 2 == 0 else front + body
            (folder / f"a-{i}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        warnings = Warnings()
        articles = Builder(load_config(root), analyzer_factory=StubAnalyzer, workers=1, use_cache=False).load_content(warnings)
        loaded = {a.path for a in articles}
        for i in range(len(fronts)):
            rel = f"content/articles/a-{i}.md"
            assert rel in loaded or any(m.startswith(rel) for m in warnings.messages), (rel, warnings.messages)
