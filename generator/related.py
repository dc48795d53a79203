"""Related coverage on article pages: the stories that share its people, places and tags,
and the previous and next story on its main subject.

Ranking. An article B is related to A by the terms (persons, locations, tags) both list.
Each shared term adds `weight(taxonomy) * log(1 + N / df)`, where N is the number of
articles and df the number that list the term, the logarithm rounded to RARITY_STEP (so a
story that joins or leaves a long term seldom changes its weight; see `rarity`): a name in
two articles says much more than a tag in a third of the archive (and a term every article
lists still counts a little, so a small archive has related stories too). A person or place
counts more than a tag (TAXONOMY_WEIGHTS).
Closeness in date adds a bonus that halves every DATE_HALF_LIFE_DAYS, at most DATE_WEIGHT,
so among stories that share about as much the nearer one wins; then the nearer date, then
the newer story. A is never its own relative and no story is listed twice.

How it scales. Nothing compares every pair of articles. The taxonomies already map each
term to its articles (its postings, newest first). For one article we walk the postings
of its own terms only and add each member's score into a dict; the top entries come out
of `heapq.nlargest`. A term listed by more than POSTING_CAP articles (a common tag, a
capital city) adds only its POSTING_CAP members nearest in date to A, found by bisecting
the posting list (which is in date order) and walking outwards from A's place. So one
article costs at most (terms it lists) x POSTING_CAP dictionary updates, whatever the
size of the archive: the whole archive is O(N) with that constant, and memory is the
postings as position lists (one small int per (term, article) pair) built when first used.

Laziness. Nothing is computed when the archive is built: `ArticleCoverage` works out one
article's lists when its page first asks (its fingerprint, then its template reuses the
answer, also in forked render workers). A build that finds nothing changed never asks. A
build that does look at the pages asks for every article page's fingerprint, which must
cover the related stories it shows (their addresses, titles and dates) so that an edit
build writes exactly what a cold build would; that is the cost measured by
benchmarks/bench_related.py.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from itertools import repeat
from dataclasses import dataclass

from generator.archive import term_slug
from generator.model import Archive, Article, Term, TermLink

#: Taxonomies that relate articles, and how much one shared term of each counts (times its rarity).
#: People and places name what a story is about; tags are broader. See benchmarks/eval_related.py.
TAXONOMY_WEIGHTS: dict[str, float] = {"persons": 1.5, "locations": 1.25, "tags": 1.0}

#: A term's rarity, log(1 + N / df), counts in steps of this much. One story more or less in a term of
#: hundreds rarely moves it a step, so a story that joins or leaves a long term leaves the term's weight,
#: and with it the related stories of most of the term's members, as they were (see `rarity`).
RARITY_STEP = 0.05

#: A term with more articles than this contributes only its this-many date-nearest members.
POSTING_CAP = 48

#: The largest bonus for closeness in date (a same-day story), and the days over which it halves.
DATE_WEIGHT = 0.5
DATE_HALF_LIFE_DAYS = 365.0

#: Taxonomies whose terms can be an article's main subject, in order of preference.
SUBJECT_TAXONOMIES = ("persons", "locations")


def rarity(articles: int, df: int) -> float:
    """How rare a term listed by `df` of `articles` articles is: log(1 + N / df), to the nearest
    `RARITY_STEP`, where N is `articles` down to a power of two. The archive's size counts by its order
    of magnitude: a story added or taken out moves no term's weight (it would move a few terms of
    hundreds of members a step each time), except when the archive's size crosses a power of two."""
    return round(math.log(1 + archive_scale(articles) / df) / RARITY_STEP) * RARITY_STEP


def archive_scale(articles: int) -> int:
    """The archive's size as a term's rarity reads it: down to a power of two."""
    return 1 << max(0, articles.bit_length() - 1)


@dataclass(frozen=True)
class Coverage:
    """What an article page shows of the rest of the archive."""

    #: Up to `size` related articles, best first.
    related: tuple[Article, ...] = ()
    #: The person or place the previous/next links follow; None when they follow the date alone.
    subject: TermLink | None = None
    #: The previous (older) and next (newer) story on the subject, or by date.
    older: Article | None = None
    newer: Article | None = None

    def shown(self) -> tuple:
        """Everything the page prints of other articles: their addresses, titles and dates."""
        def brief(article: Article | None) -> tuple | None:
            return None if article is None else (article.slug, article.title, article.date)
        return (tuple(brief(a) for a in self.related), self.subject, brief(self.older), brief(self.newer))


class RelatedIndex:
    """The archive's term postings as lists of article positions, for scoring one article at a time."""

    def __init__(self, archive: Archive, size: int = 5, cap: int = POSTING_CAP) -> None:
        self.size, self.cap = size, cap
        self.articles = archive.articles  # newest first, undated last
        self._position = {id(a): i for i, a in enumerate(self.articles)}
        #: Day number of each article (None when undated); positions below `dated` are the dated ones.
        self._days = [a.date.toordinal() if a.date is not None else None for a in self.articles]
        self.dated = sum(1 for d in self._days if d is not None)
        self._count = len(self.articles)
        self._terms: dict[str, dict[str, Term]] = {
            key: tax.by_slug for key, tax in archive.taxonomies.items() if key in TAXONOMY_WEIGHTS
        }
        self._postings: dict[int, list[int]] = {}
        self._keys: dict[int, list[int]] = {}

    # ------------------------------------------------------------------ postings

    def postings(self, term: Term) -> list[int]:
        """Positions of the term's articles, ascending (so newest first, undated last)."""
        found = self._postings.get(id(term))
        if found is None:
            position = self._position
            found = self._postings[id(term)] = [position[id(a)] for a in term.articles]
        return found

    def terms_of(self, article: Article, key: str) -> list[Term]:
        """The article's terms of one taxonomy in listed order, each once."""
        by_slug = self._terms.get(key)
        if not by_slug:
            return []
        seen: dict[str, Term] = {}
        for name in article.terms(key):
            term = by_slug.get(term_slug(name))
            if term is not None:
                seen.setdefault(term.slug, term)
        return list(seen.values())

    def _nearest(self, posting: list[int], me: int, count: int) -> list[int]:
        """The `count` members of a long posting list nearest in date to the article at position `me`
        (and possibly that article itself, which the caller drops)."""
        start, stop = self._window(posting, me, count)
        return posting[start:stop]

    def _window(self, posting: list[int], me: int, count: int) -> tuple[int, int]:
        """Where `_nearest`'s members start and stop in the posting list.

        The nearest members of a date-ordered list are a contiguous run of it: a binary search
        finds where the run starts.
        """
        mine = self._days[me]
        if mine is None:  # undated: its neighbours in list order (undated articles are ordered by title)
            k = bisect_left(posting, me)
            start = max(0, min(k - count // 2, len(posting) - count - 1))
            return start, min(len(posting), start + count + 1)
        keys = self._date_keys(posting)  # ascending: minus the day number of each dated member
        x = -mine
        width = min(count + 1, len(keys))
        k = bisect_left(keys, x)  # the run holds the article itself (distance 0), so it starts at most width-1 before
        lo, hi = max(0, k - width + 1), min(k, len(keys) - width)
        while lo < hi:  # the window keys[lo:lo + width] closest to x
            mid = (lo + hi) // 2
            if x - keys[mid] > keys[mid + width] - x:
                lo = mid + 1
            else:
                hi = mid
        return lo, lo + width

    def _date_keys(self, posting: list[int]) -> list[int]:
        found = self._keys.get(id(posting))
        if found is None:
            days = self._days
            end = bisect_left(posting, self.dated)  # dated members come first
            found = self._keys[id(posting)] = [-days[j] for j in posting[:end]]  # type: ignore[operator]
        return found

    def windows_splitting(self, term: Term, day: int) -> list[Article]:
        """The members of `term` whose date window (`_nearest`, when the term is longer than the cap)
        takes some but not all of the term's stories of `day` (a day number): those whose related
        stories can change when the stories of that day change places among themselves."""
        posting = self.postings(term)
        if len(posting) <= self.cap:
            return []
        keys = self._date_keys(posting)
        first, last = bisect_left(keys, -day), bisect_left(keys, -day + 1)  # the day's stories: posting[first:last]
        if first == last:
            return []
        found = []
        for me in posting:
            start, stop = self._window(posting, me, self.cap)
            if start < last and stop > first and (start > first or stop < last):
                found.append(self.articles[me])
        return found

    def reached_by_move(self, term: Term, article: Article, old_day: int, older: Article | None,
                        newer: Article | None) -> list[Article]:
        """The members of a long `term` whose related stories or previous and next links can change when
        `article`, dated both before and after, moved to its date from the day number `old_day`
        (`older` and `newer`: its neighbours in the term's list before the move).

        Every member listing a term scores the term's other members only within its date window
        (`_nearest`). A member whose window holds neither the old nor the new day (both farther
        from its own date than the farthest story in its window) has the same window either way,
        every score it adds is unchanged, and so is their order (ties fall to positions, which keep
        their order); only the story's neighbours in the list, old and new, can have new links. An
        undated member's window is by position, which a move near the list's end can reach: those
        are all kept.
        """
        posting = self.postings(term)
        if len(posting) <= self.cap:
            return list(term.articles)
        me = self._position[id(article)]
        found = self._reaching(posting, (old_day, self._days[me]))  # type: ignore[arg-type]
        found.add(me)
        k = posting.index(me)
        found.update(posting[max(0, k - 1):k + 2])
        position = self._position
        found.update(position[id(a)] for a in (older, newer) if a is not None)
        return [self.articles[j] for j in sorted(found)]

    def reached_by_join(self, term: Term, article: Article, before: int) -> list[Article] | None:
        """The members of a long `term` whose related stories or previous and next links can change when
        `article` joined it or left it (`before`: how many stories the term had), the term's weight
        (`rarity`) staying the same; None when every member's can (a term short before or after, or an
        undated story).

        A member scores the term's stories only within its date window (see `reached_by_move`): one
        whose window reaches not as far as the story's day neither had it nor has it there, and every
        other score it adds is unchanged. The story's neighbours in the term's list get new links.
        """
        posting = self.postings(term)
        me = self._position[id(article)]
        day = self._days[me]
        if min(len(posting), before) <= self.cap or day is None:
            return None
        found = self._reaching(posting, (day,))
        k = bisect_left(posting, me)
        found.update(posting[max(0, k - 1):k + 2])  # it and its neighbours (where it has left: its old ones)
        found.discard(me)
        return [self.articles[j] for j in sorted(found)]

    def reached_by_removal(self, term: Term, day: int | None, at: int, before: int) -> list[Article] | None:
        """As `reached_by_join`, for a story taken out of the archive: listed on `day` (a day number), at `at`
        among the stories left (the position of the one after it). Its neighbours in the term's list, both
        still there, get new links."""
        posting = self.postings(term)
        if min(len(posting), before) <= self.cap or day is None:
            return None
        found = self._reaching(posting, (day,))
        k = bisect_left(posting, at)
        found.update(posting[max(0, k - 1):k + 1])
        return [self.articles[j] for j in sorted(found)]

    def _reaching(self, posting: list[int], days_to_reach: tuple[int, ...]) -> set[int]:
        """The positions of the members of a long posting list whose date window (`_window`) reaches as far
        as one of `days_to_reach` (day numbers), and of its undated members, whose windows are by position."""
        days = self._days
        keys = self._date_keys(posting)
        found: set[int] = set()
        for j in posting:
            day = days[j]
            if day is None:
                found.add(j)
                continue
            start, stop = self._window(posting, j, self.cap)
            reach = max(-keys[start] - day, day + keys[stop - 1])  # its window's farthest story, in days
            if any(abs(other - day) <= reach for other in days_to_reach):
                found.add(j)
        return found

    # ------------------------------------------------------------------ ranking

    def related(self, article: Article, terms: dict[str, list[Term]] | None = None) -> tuple[Article, ...]:
        """Up to `size` other articles, best first (see the module docstring)."""
        if self.size <= 0:
            return ()
        if terms is None:
            terms = {key: self.terms_of(article, key) for key in TAXONOMY_WEIGHTS}
        me = self._position[id(article)]
        scores: dict[int, float] = {}
        get = scores.get
        cap = self.cap
        zero = repeat(0.0)
        for key, weight in TAXONOMY_WEIGHTS.items():
            for term in terms[key]:
                posting = self.postings(term)
                df = len(posting)
                if df < 2:
                    continue
                w = weight * rarity(self._count, df)
                members = posting if df <= cap else self._nearest(posting, me, cap)
                # scores[j] += w for each member, in C loops (a member is listed once per term).
                scores.update(zip(members, map(w.__add__, map(get, members, zero))))
        scores.pop(me, None)
        if not scores:
            return ()
        days = self._days
        mine = days[me]
        if len(scores) > self.size:
            # The date bonus is at most DATE_WEIGHT, so only stories within that of the size-th best can make the list.
            floor = heapq.nlargest(self.size, scores.values())[-1] - DATE_WEIGHT
            candidates = [j for j, score in scores.items() if score >= floor]
        else:
            candidates = list(scores)

        def rank(j: int) -> tuple[float, float, int]:
            theirs = days[j]
            if mine is None or theirs is None:
                return (scores[j], -math.inf, -j)
            apart = abs(theirs - mine)
            return (scores[j] + DATE_WEIGHT * 0.5 ** (apart / DATE_HALF_LIFE_DAYS), -apart, -j)

        best = heapq.nlargest(self.size, candidates, key=rank)
        return tuple(self.articles[j] for j in best)

    # ------------------------------------------------------------------ previous / next

    def subject(self, article: Article, terms: dict[str, list[Term]] | None = None) -> Term | None:
        """The first person the article lists that has another article, else the first such place."""
        for key in SUBJECT_TAXONOMIES:
            for term in terms[key] if terms is not None else self.terms_of(article, key):
                if len(term.articles) > 1:
                    return term
        return None

    def _neighbours(self, posting: list[int] | range, me: int) -> tuple[Article | None, Article | None]:
        """(older, newer) dated neighbours of position `me` in an ascending position list."""
        if self._days[me] is None:
            return None, None
        k = bisect_left(posting, me)
        newer = self.articles[posting[k - 1]] if k > 0 else None
        after = k + 1 if k < len(posting) and posting[k] == me else k
        older = self.articles[posting[after]] if after < len(posting) and posting[after] < self.dated else None
        return older, newer

    def coverage(self, article: Article) -> Coverage:
        me = self._position[id(article)]
        terms = {key: self.terms_of(article, key) for key in TAXONOMY_WEIGHTS}
        related = self.related(article, terms)
        term = self.subject(article, terms)
        if term is not None:
            older, newer = self._neighbours(self.postings(term), me)
            if older is not None or newer is not None:
                return Coverage(related=related, subject=term.link, older=older, newer=newer)
        older, newer = self._neighbours(range(len(self.articles)), me)
        return Coverage(related=related, older=older, newer=newer)


class ArticleCoverage:
    """One article's Coverage, worked out when a page first reads it (its fingerprint or template)."""

    __slots__ = ("index", "article", "_value")

    def __init__(self, index: RelatedIndex, article: Article) -> None:
        self.index, self.article, self._value = index, article, None

    @property
    def value(self) -> Coverage:
        if self._value is None:
            self._value = self.index.coverage(self.article)
        return self._value

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # not a Coverage field (and no recursion while a copy is being made)
            raise AttributeError(name)
        return getattr(self.value, name)

    def __bool__(self) -> bool:
        value = self.value
        return bool(value.related or value.older or value.newer)

    def fingerprint(self) -> tuple:
        return self.value.shown()

    def forget(self) -> None:
        """Let the worked-out coverage go (it is worked out again if read again)."""
        self._value = None

