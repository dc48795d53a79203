"""Each article's tags, chosen with the whole archive in view.

Ingest scores every article's candidate phrases within the article (generator/ingest/
tags.py); only the archive can tell a topic from a word every story uses, or a subject
from a one-off. Here, with the candidates of every article being ingested and the tags
already in the archive's front matter:

* a phrase is a possible tag when its document frequency (DF) lies between 2 and a
  share of the archive (`MAX_SHARE`): neither a one-off nor everywhere;
* articles are grouped by shared vocabulary (spherical k-means over their IDF-weighted
  candidates, at two grains: a few broad sections and finer topics); each group is named
  by its most characteristic phrase, the one whose articles best match the group's (F1),
  and every article of the group gets that name, so a tag page holds a subject's coverage;
* an article's other tags are its candidates ranked by salience x IDF x concentration,
  where concentration is the share of the phrase's articles that fall in its largest
  topic group: a phrase spread evenly over unrelated stories ("work", "figure") sinks;
* a phrase that only one article would get is dropped for the next that others share.

Cost is linear in the number of articles: k-means touches each article's (at most
`VECTOR_TERMS`) weights once per group per round, with k growing as sqrt(N) for topics and
log(N) for sections; nothing compares articles pairwise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MIN_TAGS, MAX_TAGS = 3, 8
#: A phrase in more than this share of the archive's articles says nothing about any one.
MAX_SHARE = 0.3
#: Terms of an article's vector for grouping (its best candidates by salience x IDF).
VECTOR_TERMS = 25
#: k-means rounds (it settles in fewer on news archives).
ROUNDS = 12
#: k-means runs for the sections, each from its own start; the one whose articles sit closest to their centres
#: is kept. One run can merge two sections and split a third (on BBC, politics and technology under "election"):
#: on 20 samples of BBC's articles, the mean best tag page's F1 per category went from a median of 0.67 with one
#: run to 0.73 with 10 and 0.76 with 20 (0.76 with 40), the worst sample from 0.54 to 0.62.
SECTION_STARTS = 20
#: In a larger archive the runs are made on this many of its articles (a fixed sample), and the best one's centres
#: start one run over them all: 20 runs over 100,000 articles would take some 30 s.
START_SAMPLE = 5000
#: Phrase tags below this share of the article's best phrase score are left out.
RELATIVE_FLOOR = 0.3

#: How hard an evenly spread phrase sinks (its concentration is raised to this power).
CONCENTRATION_POWER = 2.0
#: A section's name goes to every member but the most remote (those below this quantile
#: of closeness to the centre), unless the article itself uses the name.
TYPICAL_QUANTILE = 0.1
#: ... and only when the name fits the section: most articles that use the name are in
#: it, and a good share of its members use it. Otherwise the name is a tag only of the
#: articles that use it (a mixed group's best phrase says nothing about the rest).
NAME_PRECISION, NAME_USE = 0.6, 0.2
#: ... and only to members clearly closer to their section's centre than to the next
#: section's (cosine margin): an article between two sections gets neither name.
SECTION_MARGIN = 0.06

Candidates = Sequence[tuple[str, float]]


@dataclass(frozen=True)
class _Matrix:
    """Sparse rows (one per article) of L2-normalised salience x IDF weights."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_of: np.ndarray
    rows: int
    columns: int

    def take(self, rows: np.ndarray) -> _Matrix:
        """The matrix of the given rows only (in that order)."""
        import numpy as np

        sizes = self.indptr[rows + 1] - self.indptr[rows]
        ptr = np.concatenate(([0], np.cumsum(sizes)))
        at = np.concatenate([np.arange(self.indptr[r], self.indptr[r + 1]) for r in rows]) if len(rows) else ptr[:0]
        return _Matrix(ptr, self.indices[at], self.data[at], np.repeat(np.arange(len(rows)), sizes), len(rows),
                       self.columns)

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """Every row against every row of `dense` (groups x columns): groups x rows."""
        import numpy as np

        out = np.empty((dense.shape[0], self.rows))
        for g in range(dense.shape[0]):
            out[g] = np.bincount(self.row_of, dense[g, self.indices] * self.data, minlength=self.rows)
        return out


def choose_tags(candidates: Sequence[Candidates], existing: Sequence[Sequence[str]] = ()) -> list[list[str]]:
    """Tags for each article of `candidates`; `existing` are tags already in the archive.

    The existing articles count in every statistic (a single new article is tagged the
    way the archive already is) but their tags are not changed.
    """
    rows: list[Candidates] = [*candidates, *([(t, 1.0) for t in tags] for tags in existing)]
    n = len(rows)
    df: Counter[str] = Counter()
    for row in rows:
        df.update({p for p, _ in row})
    vocab = {p: i for i, p in enumerate(sorted(p for p, d in df.items() if 2 <= d <= max(2, MAX_SHARE * n)))}
    if not candidates:
        return []
    if not vocab:
        return [_best_alone(c) for c in candidates]
    idf = {p: math.log(n / df[p]) + 1e-3 for p in vocab}
    matrix = _matrix(rows, vocab, idf)
    sections, section_fit, section_margin = _groups(matrix, _k_sections(n), SECTION_STARTS)
    topics, _, _ = _groups(matrix, _k_topics(n))
    names = [_names(matrix, g, vocab, df) for g in (sections, topics)]
    fitting = _fitting_names(matrix, sections, names[0], vocab, df)
    concentration = _concentration(matrix, topics, df, vocab)
    fits = _typical(sections, section_fit) & (section_margin >= SECTION_MARGIN)

    def score(p: str, s: float) -> float:
        return s * idf[p] * concentration[p] ** CONCENTRATION_POWER

    ranked = [sorted(((score(p, s), p) for p, s in row if p in vocab), reverse=True) for row in candidates]
    given = []
    for a, row in enumerate(candidates):
        says = {p for p, _ in row}
        section = names[0][sections[a]] if sections[a] >= 0 else None
        topic = names[1][topics[a]] if topics[a] >= 0 else None
        given.append([g for g, ok in ((section, section in says or fits[a] and fitting[sections[a]]),
                                      (topic, topic in says))
                      if g is not None and ok])
    chosen = [_pick(names_, r, None) for names_, r in zip(given, ranked, strict=True)]
    # Drop phrases that would be on one article only, if others share a replacement.
    uses = Counter(t for tags in [*chosen, *existing] for t in tags)
    chosen = [_pick(names_, r, uses) for names_, r in zip(given, ranked, strict=True)]
    common = {p for p, d in df.items() if p not in vocab and d > 1}
    return [tags if len(tags) >= MIN_TAGS else _fill(tags, [c for c in row if c[0] not in common])
            for tags, row in zip(chosen, candidates, strict=True)]


def _pick(given: list[str], ranked: list[tuple[float, str]], uses: Counter[str] | None) -> list[str]:
    tags = list(dict.fromkeys(given))
    floor = ranked[0][0] * RELATIVE_FLOOR if ranked else 0.0
    for value, phrase in ranked:
        if len(tags) >= MAX_TAGS or (value < floor and len(tags) >= MIN_TAGS):
            break
        if phrase in tags or (uses is not None and uses[phrase] < 2):
            continue
        tags.append(phrase)
    return tags


def _fill(tags: list[str], row: Candidates) -> list[str]:
    """Short texts: up to the minimum from the article's own best (one-offs, never the
    phrases everyone uses), never inventing."""
    for phrase, _ in row:
        if len(tags) >= MIN_TAGS:
            break
        if phrase not in tags:
            tags.append(phrase)
    return tags


def _best_alone(row: Candidates) -> list[str]:
    return [p for p, _ in row[:MAX_TAGS]]


def _k_sections(n: int) -> int:
    """A handful of broad sections, growing slowly with the archive."""
    return max(1, min(n // 50, round(math.log2(max(n, 2)) / 2)))


def _k_topics(n: int) -> int:
    """Topics of some tens to hundreds of articles each: sqrt(N) / 2 groups."""
    return max(1, min(n // 10, round(math.sqrt(n) / 2)))


def _matrix(rows: Sequence[Candidates], vocab: dict[str, int], idf: dict[str, float]) -> _Matrix:
    import numpy as np

    indptr, indices, data = [0], [], []
    for row in rows:
        weights = sorted(((s * idf[p], vocab[p]) for p, s in row if p in vocab), reverse=True)[:VECTOR_TERMS]
        for w, j in weights:
            indices.append(j)
            data.append(w)
        indptr.append(len(indices))
    ptr = np.array(indptr)
    row_of = np.repeat(np.arange(len(rows)), np.diff(ptr))
    values = np.array(data, dtype=float)
    norms = np.sqrt(np.bincount(row_of, values * values, minlength=len(rows)))
    norms[norms == 0] = 1.0
    return _Matrix(ptr, np.array(indices, dtype=np.int64), values / norms[row_of], row_of, len(rows), len(vocab))


def _groups(matrix: _Matrix, k: int, starts: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spherical k-means (k-means++ starts, fixed seeds: the same archive, the same groups), the best of `starts`
    runs: the one with the largest sum of cosines between articles and their groups' centres. With more than
    START_SAMPLE articles the runs are made on a sample, and the best one's centres start a run over all.

    Each article's group, its cosine to the group's centre, and how much closer it is to
    that centre than to the next group's (its margin).
    """
    import numpy as np

    if k <= 1:
        n = matrix.rows
        return np.full(n, -1, dtype=np.int64), np.ones(n), np.ones(n)
    if starts <= 1:
        return _k_means(matrix, k, seed=0)[:3]
    sample = matrix
    if matrix.rows > START_SAMPLE:
        sample = matrix.take(np.sort(np.random.default_rng(0).choice(matrix.rows, START_SAMPLE, replace=False)))
    best = max((_k_means(sample, k, seed=seed) for seed in range(starts)), key=lambda run: float(run[1].sum()))
    return best[:3] if sample is matrix else _k_means(matrix, k, start=best[3])[:3]


def _k_means(matrix: _Matrix, k: int, seed: int = 0, start: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One run of spherical k-means from the centres `start`, or from a k-means++ start drawn with `seed`: each
    article's group, its cosine to the centre, its margin, and the centres."""
    import numpy as np

    n = matrix.rows
    rng = np.random.default_rng(seed)
    centroids = np.zeros((k, matrix.columns)) if start is None else start.copy()

    def row(i: int) -> np.ndarray:
        v = np.zeros(matrix.columns)
        part = slice(matrix.indptr[i], matrix.indptr[i + 1])
        v[matrix.indices[part]] = matrix.data[part]
        return v

    if start is None:
        centroids[0] = row(int(rng.integers(n)))
        nearest = matrix.dot(centroids[:1])[0]
        for g in range(1, k):
            gap = np.clip(1.0 - nearest, 0.0, None) ** 2
            pick = int(rng.choice(n, p=gap / gap.sum())) if gap.sum() > 0 else int(rng.integers(n))
            centroids[g] = row(pick)
            nearest = np.maximum(nearest, matrix.dot(centroids[g:g + 1])[0])
    assign = np.zeros(n, dtype=np.int64)
    for round_ in range(ROUNDS):
        sims = matrix.dot(centroids)
        new = sims.argmax(axis=0)
        if round_ and np.array_equal(new, assign):
            break
        assign = new
        centroids = np.zeros_like(centroids)
        np.add.at(centroids, (assign[matrix.row_of], matrix.indices), matrix.data)
        norms = np.linalg.norm(centroids, axis=1)
        norms[norms == 0] = 1.0
        centroids /= norms[:, None]
    fit = sims[assign, np.arange(n)]
    runner_up = np.sort(sims, axis=0)[-2] if k > 1 else np.zeros(n)
    return assign, fit, fit - runner_up, centroids


def _typical(assign: np.ndarray, fit: np.ndarray) -> np.ndarray:
    """Whether each article is at least as close to its group's centre as most of the group."""
    import numpy as np

    typical = np.zeros(len(assign), dtype=bool)
    for g in np.unique(assign[assign >= 0]):
        members = assign == g
        typical[members] = fit[members] >= np.quantile(fit[members], TYPICAL_QUANTILE)
    return typical


def _names(matrix: _Matrix, assign: np.ndarray, vocab: dict[str, int], df: Counter[str]) -> list[str]:
    """Each group's most characteristic phrase: its articles best match the group's (F1)."""
    import numpy as np

    k = int(assign.max()) + 1
    if k < 1:  # one group: the whole archive has no name
        return []
    size = np.bincount(assign, minlength=k)
    hits = np.zeros((k, matrix.columns))
    np.add.at(hits, (assign[matrix.row_of], matrix.indices), 1.0)
    phrases = sorted(vocab, key=vocab.__getitem__)
    dfs = np.array([df[p] for p in phrases], dtype=float)
    f1 = 2 * hits / (dfs[None, :] + size[:, None])
    return [phrases[int(f1[g].argmax())] for g in range(k)]


def _fitting_names(matrix: _Matrix, assign: np.ndarray, names: list[str], vocab: dict[str, int],
                   df: Counter[str]) -> list[bool]:
    """Whether each group's name fits it well enough to be given to members that do not use it."""
    import numpy as np

    if not names:
        return []
    size = np.bincount(assign, minlength=len(names))
    fit = []
    for g, name in enumerate(names):
        j = vocab[name]
        users = np.unique(matrix.row_of[matrix.indices == j])
        inside = int((assign[users] == g).sum())
        fit.append(inside >= NAME_PRECISION * df[name] and inside >= NAME_USE * size[g])
    return fit


def _concentration(matrix: _Matrix, assign: np.ndarray, df: Counter[str], vocab: dict[str, int]) -> dict[str, float]:
    """The share of a phrase's articles in its largest topic group (1.0: all in one)."""
    import numpy as np

    k = int(assign.max()) + 1
    if k < 1:
        return dict.fromkeys(vocab, 1.0)
    hits = np.zeros((k, matrix.columns))
    np.add.at(hits, (assign[matrix.row_of], matrix.indices), 1.0)
    seen = np.maximum(hits.sum(axis=0), 1.0)
    top = hits.max(axis=0) / seen
    return {p: float(top[j]) if hits[:, j].sum() else 0.5 for p, j in vocab.items()}
