"""Tags a reader would browse: recurring, specific, shared by articles on one subject."""

from __future__ import annotations

from pathlib import Path

from generator.content import split_front_matter
from generator.decisions.tags import choose_tags
from generator.errors import Warnings
from generator.ingest import ingest
from generator.ingest.entities import Analyzer

#: Made-up stories on three subjects; each article varies its sentences.
SUBJECTS = {
    "coffee": [
        "Coffee prices rose sharply after growers reported a poor coffee harvest.",
        "Traders said the coffee crop was hit by drought on the plantations.",
        "Exporters expect coffee shipments to fall as beans stay scarce.",
        "Roasters warned that coffee prices could climb further this season.",
        "The coffee cooperative asked the ministry for help with irrigation.",
    ],
    "football": [
        "The striker scored twice as the football club won the derby.",
        "The manager praised the football squad after a hard match.",
        "Supporters filled the stadium for the football match on Saturday.",
        "The goalkeeper saved a penalty late in the football match.",
        "The football club signed a young midfielder before the deadline.",
    ],
    "election": [
        "Voters queued at polling stations as the election campaign ended.",
        "The opposition party promised lower taxes during the election campaign.",
        "Candidates debated schools and hospitals before the election.",
        "The election commission counted ballots through the night.",
        "Turnout in the election was higher than in the last vote.",
    ],
    "hospital": [
        "Nurses at the county hospital treated patients in crowded wards.",
        "The hospital board approved a new cancer ward for patients.",
        "Doctors said hospital waiting lists had grown over the winter.",
        "The hospital trust hired extra nurses for the emergency ward.",
        "Patients praised hospital staff despite long waiting lists.",
    ],
    "railway": [
        "Commuters faced delays after a signal failure on the railway line.",
        "The railway operator ordered new trains for the branch line.",
        "Engineers repaired the railway bridge over the weekend.",
        "Passengers complained about railway fares and crowded trains.",
        "The railway station reopened after repairs to the platform.",
    ],
}


def story(subject: str, n: int) -> str:
    lines = SUBJECTS[subject]
    body = [lines[(n + i) % len(lines)] for i in range(4)]
    title = body[0].split(" as ")[0].split(" after ")[0].rstrip(".")
    return "\n\n".join([title, *body, "Officials held a public meeting about it on Monday."])


def write_seeds(seeds: Path, count: int = 6, first: int = 0) -> None:
    seeds.mkdir(parents=True, exist_ok=True)
    for subject in SUBJECTS:
        for n in range(first, first + count):
            (seeds / f"{subject}-{n}.txt").write_text(story(subject, n), encoding="utf-8")


def front_tags(site: Path) -> dict[str, list[str]]:
    """Each seed's `tags:` as a reader finds them in the content files."""
    found = {}
    for path in (site / "content" / "articles").glob("*.md"):
        meta = split_front_matter(path.read_text(encoding="utf-8"))[0]
        found[Path(meta["seed"]).stem] = list(meta["tags"])
    return found


def run(site: Path, analyzer: Analyzer) -> None:
    ingest(site / "seeds", site / "content" / "articles", site, lambda: analyzer, Warnings())


def candidates(*phrases: str) -> list[tuple[str, float]]:
    """Candidates best first, as ingest scores them."""
    return [(p, float(len(phrases) - i)) for i, p in enumerate(phrases)]


def test_a_phrase_in_every_article_is_not_a_tag() -> None:
    archive = [candidates("public meeting", f"topic {i % 4}", f"theme {i % 3}", f"matter {i % 5}")
               for i in range(20)]
    for tags in choose_tags(archive):
        assert "public meeting" not in tags


def test_a_one_off_phrase_loses_to_recurring_ones() -> None:
    archive = [candidates("zebra crossing", "coffee price", "coffee harvest", "drought")]
    archive += [candidates("coffee price", "coffee harvest", "drought", f"other {i}") for i in range(5)]
    archive += [candidates(f"match {i % 3}", f"club {i % 4}", f"striker {i % 5}") for i in range(20)]
    tags = choose_tags(archive)[0]
    assert "zebra crossing" not in tags
    assert {"coffee price", "coffee harvest", "drought"} <= set(tags)


def test_units_are_not_tags(analyzer: Analyzer) -> None:
    text = ("Copper output rises\n\nThe mine produced 12 mln tonnes of copper ore, up 4 pct, and "
            "sold 3 mln tonnes abroad. Copper ore exports rose 7 pct as smelters bought more copper ore.")
    result = analyzer.analyse([text])[0]
    words = {w for phrase, _ in result.candidates for w in phrase.split()} | set(result.tags)
    assert not {"mln", "pct", "tonne", "tonnes"} & words
    assert "copper ore" in result.tags


def test_politics_and_news_keep_their_s(analyzer: Analyzer) -> None:
    text = ("Young voters turn away from politics\n\nFewer young people follow politics or watch the "
            "news, a survey of students found. Teachers said local politics and the evening news "
            "felt distant to pupils.")
    result = analyzer.analyse([text])[0]
    phrases = {phrase for phrase, _ in result.candidates}
    assert "politics" in phrases and "politic" not in phrases
    assert not any(w == "politic" for p in phrases for w in p.split())


def test_taxes_are_not_taxis(analyzer: Analyzer) -> None:
    text = ("Tax row deepens\n\nThe party promised lower taxes and said the tax on fuel would fall. Critics in "
            "the media said the data on taxes told another story, and the mainstream media agreed.")
    result = analyzer.analyse([text])[0]
    words = {w for phrase, _ in result.candidates for w in phrase.split()}
    assert "tax" in words and "taxis" not in words


def test_articles_on_one_subject_share_a_tag(tmp_path: Path, analyzer: Analyzer) -> None:
    write_seeds(tmp_path / "seeds")
    run(tmp_path, analyzer)
    tags = front_tags(tmp_path)
    assert all(3 <= len(t) <= 8 for t in tags.values())
    for subject in SUBJECTS:
        ours = [set(t) for seed, t in tags.items() if seed.startswith(subject)]
        theirs = set().union(*(t for seed, t in tags.items() if not seed.startswith(subject)))
        most = {tag for tag in set().union(*ours) if sum(tag in t for t in ours) >= len(ours) * 2 / 3}
        assert most - theirs, f"{subject} articles share no tag of their own: {tags}"
    everywhere = set.intersection(*(set(t) for t in tags.values()))
    assert not everywhere
    assert not any("meeting" in tag for t in tags.values() for tag in t)


def test_an_article_added_later_gets_the_archives_tag(tmp_path: Path, analyzer: Analyzer) -> None:
    write_seeds(tmp_path / "seeds")
    run(tmp_path, analyzer)
    before = front_tags(tmp_path)
    coffee = set.union(*(set(t) for seed, t in before.items() if seed.startswith("coffee")))
    coffee -= set.union(*(set(t) for seed, t in before.items() if not seed.startswith("coffee")))
    lines = SUBJECTS["coffee"]
    late = [lines[3], lines[1], "Growers in the valley said the coffee harvest was the smallest in years.",
            "Officials held a public meeting about it on Monday."]
    (tmp_path / "seeds" / "coffee-late.txt").write_text("\n\n".join(["Coffee growers count losses", *late]),
                                                         encoding="utf-8")
    run(tmp_path, analyzer)
    after = front_tags(tmp_path)
    assert {k: v for k, v in after.items() if k != "coffee-late"} == before
    assert coffee & set(after["coffee-late"])


def test_a_mixed_groups_best_phrase_is_not_given_to_articles_that_never_use_it() -> None:
    # 50 recipes share a vocabulary; 150 unrelated stories share little, and a few of
    # them mention a bishop. No article that never mentions a bishop is tagged "bishop".
    recipes = [[("recipe", 3.0), ("oven", 2.0), ("flour", 2.0), (f"dish {i % 9}", 1.0)] for i in range(50)]
    mixed = [[(f"word {i}", 3.0), (f"thing {i % 37}", 2.0), (f"case {i % 41}", 1.5)]
             + ([("bishop", 2.5)] if i % 12 == 0 else []) for i in range(150)]
    tags = choose_tags(recipes + mixed)
    for candidates, chosen in zip(recipes + mixed, tags, strict=True):
        said = {phrase for phrase, _ in candidates}
        assert "bishop" not in chosen or "bishop" in said
    assert all("recipe" in t for t in tags[:50])  # the recipes share their subject


def test_an_article_between_two_sections_is_close_to_neither() -> None:
    # The section name goes only to members clearly closer to their section than to the
    # next (SECTION_MARGIN): here the margin of an article that mixes two subjects.
    from generator.decisions import tags as decide

    rows = ([[("oven", 2.0), ("flour", 2.0), (f"dish {i}", 0.5)] for i in range(20)]
            + [[("goal", 2.0), ("striker", 2.0), (f"match {i}", 0.5)] for i in range(20)]
            + [[("oven", 2.0), ("flour", 2.0), ("goal", 2.0), ("striker", 2.0)]])
    vocab = {p: i for i, p in enumerate(sorted({p for row in rows for p, _ in row}))}
    matrix = decide._matrix(rows, vocab, dict.fromkeys(vocab, 1.0))
    assign, _, margin = decide._groups(matrix, 2)
    assert len(set(assign[:20])) == len(set(assign[20:40])) == 1 and assign[0] != assign[20]
    assert margin[-1] < decide.SECTION_MARGIN <= min(margin[:40])


SECTION_SUBJECTS = [("oven", "flour"), ("goal", "striker"), ("ballot", "turnout"), ("ward", "nurse"),
                    ("signal", "train")]


def five_subjects() -> tuple[list[list[tuple[str, float]]], list[int]]:
    # 1,000 stories on five subjects of different sizes, each with its two core words, one of eight others and
    # two of 400 words every subject uses. One k-means run splits a subject and merges two others on most such
    # archives; the best of several does not: each subject's stories share a tag no other subject's has.
    import random

    subjects = SECTION_SUBJECTS
    rng = random.Random(0)
    rows, subject_of = [], []
    for s, (size, core) in enumerate(zip((300, 250, 200, 150, 100), subjects, strict=True)):
        for _ in range(size):
            rows.append([(core[0], 2.0), (core[1], 2.0), (f"{core[0]} {rng.randrange(8)}", 1.0),
                         (f"word {rng.randrange(400)}", 1.0), (f"word {rng.randrange(400)}", 1.0)])
            subject_of.append(s)
    return rows, subject_of


def test_each_of_five_subjects_gets_its_own_section() -> None:
    rows, subject_of = five_subjects()
    tags = choose_tags(rows)
    for s in range(len(SECTION_SUBJECTS)):
        mine = [set(t) for t, of in zip(tags, subject_of, strict=True) if of == s]
        others = set().union(*(t for t, of in zip(tags, subject_of, strict=True) if of != s))
        assert set.intersection(*mine) - others, f"no tag of its own for the {SECTION_SUBJECTS[s][0]} stories"


def test_a_large_archive_finds_its_sections_from_a_sample(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Past START_SAMPLE articles the runs are made on a sample and the best one's centres start one run over all.
    import numpy as np

    from generator.decisions import tags as decide

    monkeypatch.setattr(decide, "START_SAMPLE", 250)
    rows, subject_of = five_subjects()
    vocab = {p: i for i, p in enumerate(sorted({p for row in rows for p, _ in row}))}
    matrix = decide._matrix(rows, vocab, dict.fromkeys(vocab, 1.0))
    assign = decide._groups(matrix, 5, decide.SECTION_STARTS)[0]
    subject = np.array(subject_of)
    groups = [set(assign[subject == s].tolist()) for s in range(5)]
    assert all(len(g) == 1 for g in groups) and len(set.union(*groups)) == 5
