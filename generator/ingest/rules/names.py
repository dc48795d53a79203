"""Rules that find, complete and trim people's names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.ingest.lexicon import (
    CALENDAR,
    CLUB_WORDS,
    KNOWN_BY_TITLE,
    NOT_GIVEN,
    ORG_HEAD_WORDS,
    PARTY_NAMES,
    PEOPLES,
    SPORTS,
)
from generator.ingest.mentions import PERSON, Mention, is_caps, is_title, whole_line

if TYPE_CHECKING:
    from spacy.tokens import Token

    from generator.ingest.rules import Context

#: "Leah Pells (Canada)": two or three capitalised words, then a bracketed country.
_NAME_COUNTRY = re.compile(
    r"(?<![\w.])(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}) \((?P<country>[A-Z][\w .'’-]{1,30})\)")
#: "J. Russell", "T.O'Gorman", "M.P. Maynard".
_INITIALLED = re.compile(
    r"(?<![\w.])(?P<initials>[A-Z]\.(?: ?[A-Z]\.)*) ?(?P<surname>(?:Mc|O'|D')?[A-Z][a-z][\w'’-]*)")


def _drop_first_word(ctx: Context, m: Mention) -> None:
    """Cut a mention's first word: it starts at its second word, where the text has it."""
    at = ctx.normal.find(m.tokens[1], m.start + len(m.tokens[0]), m.end)
    if at > m.start:
        m.start, m.tokens = at, m.tokens[1:]


def plain_words(ctx: Context) -> None:
    """A word the article also writes in lower case is a word, not a name.

    A lone capitalised word ("Attendance", "Qualifier" at the head of a table) is no
    person; nor is the first of three words ("Broker Khurshid Alam" at a sentence start).
    """
    words = ctx.lower_words
    ctx.mentions = [m for m in ctx.mentions if not (m.kind == PERSON and len(m.tokens) == 1
                                                    and not m.titled and m.name.lower() in words)]
    for m in ctx.mentions:
        if m.kind == PERSON and len(m.tokens) >= 3 and m.tokens[0].lower() in words:
            _drop_first_word(ctx, m)


#: Tags of words that open a sentence and are no name: verbs, adverbs, adjectives, prepositions, determiners,
#: pronouns, conjunctions ("Said James O'Keefe, founder of ...", "Classy Henman makes winning start"). Not "MD":
#: "Will Smith stars".
_OPENER_TAGS = frozenset("VB VBD VBG VBN VBP VBZ RB RBR RBS JJ JJR JJS IN DT PDT CC PRP WRB WP WDT EX".split())


#: A word in lower case: what a sentence of prose has after a name.
_PROSE_WORD = re.compile(r"(?<![\w'’-])[a-z]{2,}(?![\w'’-])")


#: How a word for a people is made from the name of its place: (the word's ending, the name's in its stead).
#: "Hungarian" (Hungary), "Russian" (Russia), "Brazilian" (Brazil), "Kenyan" (Kenya), "Mexican" (Mexico), "Texan"
#: (Texas), "Chilean" (Chile), "Californian" (California), "Chinese" (China), "Lebanese" (Lebanon), "Japanese"
#: (Japan), "Pakistani" (Pakistan).
_PEOPLE_ENDINGS = (("ian", "y"), ("ian", "ia"), ("ian", "a"), ("ian", ""), ("an", "a"), ("an", "o"), ("an", "as"),
                   ("an", ""), ("ese", "a"), ("ese", "on"), ("ese", ""), ("i", ""))


def people_word(ctx: Context, token: Token) -> bool:
    """"Briton", "Hungarian", "Kenyan": a word for a people, as news writes it before a person's name ("Hungarian
    Ottilie Vandermeer"). The lexicon's, or a capitalised word of the model's dictionary, no known given name, that
    is the name of a place the gazetteer knows with a people's ending ("Hungary", "Kenya")."""
    word = token.lower_
    if word in PEOPLES:
        return True
    if not token.text[:1].isupper() or word not in ctx.words:
        return False
    from generator.decisions.names import default_lexicon

    if word in default_lexicon().first_names:
        return False
    places = (word[: len(word) - len(end)] + tail for end, tail in _PEOPLE_ENDINGS if word.endswith(end))
    return any(len(place) >= 4 and ctx.places.place(place) is not None for place in places)


def _party_words(words: tuple[str, ...]) -> int:
    """How many of a name's first words name a party ("Tory", "Lib Dem"), with a full name after them; else 0."""
    for n in (2, 1):
        if len(words) >= n + 2 and " ".join(words[:n]).lower() in PARTY_NAMES:
            return n
    return 0


def opening_words(ctx: Context) -> None:
    """"Said James O'Keefe, founder of Project Veritas", "Regarding Cupich, ...": the model runs the word that opens
    a sentence into the name after it. A person's first word that opens a sentence of prose (the line goes on in
    lower case after the name), that the tagger reads as a verb, adverb or other word no name is, and that is an
    English word, is no part of the name. (Where it is a given name after all, "Said Jalili", the surname left
    stands for the whole name the article gives elsewhere.) Nor is a people's name before a full name, wherever
    it stands ("Briton Tim Henman", "Hungarian Ottilie Vandermeer": `people_word`), nor a party's ("Tory Tavi Kessel",
    "Lib Dem Ivo Harnsby").
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    for m in ctx.mentions:
        if m.kind != PERSON or len(m.tokens) < 2 or m.titled:
            continue
        if party := _party_words(m.tokens):
            for _ in range(party):
                _drop_first_word(ctx, m)
            continue
        token = ctx.token_at.get(m.start)
        if token is None or token.text != m.tokens[0]:
            continue
        if not (len(m.tokens) > 2 and people_word(ctx, token)):  # "Briton Tim Henman", wherever it stands
            if (token.tag_ not in _OPENER_TAGS
                    or not (token.lower_ in STOP_WORDS or token.lemma_.lower() in ctx.words)):
                continue
            line = whole_line(ctx.text, token.idx)
            if is_title_case(line) or is_caps(line):  # a headline's words are all capitalised: its tags are guesses
                continue
            end = ctx.text.find("\n", m.end)
            if not _PROSE_WORD.search(ctx.text, m.end, end if end >= 0 else len(ctx.text)):
                continue  # no sentence goes on after it: a heading, a results line ("3. Aisling Quane (Ireland) 4:04")
            before = ctx.doc[token.i - 1] if token.i else None
            if not (before is None or "\n" in before.text or before.text in _NO_SIGN_AFTER):
                continue
        _drop_first_word(ctx, m)


def headline_openers(ctx: Context) -> None:
    """"Classy Henman makes winning start", "Veteran Martinez wins Thai title", "Rapper Jay-Z becomes label boss": a
    headline in sentence case opens with a word that describes the person it names. A person at the start of the
    headline whose first word is an ordinary word (the model's dictionary has it), no known given name, and
    written with a capital nowhere else in the article is the rest of the name ("Newt Gingrich" and "Dal Maso"
    keep theirs: known given names).
    """
    from generator.decisions.names import default_lexicon

    given = default_lexicon().first_names
    headline_end = ctx.text.find("\n")
    headline = ctx.text[:headline_end] if headline_end >= 0 else ctx.text
    if is_title_case(headline) or is_caps(headline):
        return  # `headline_names` reads those
    for m in ctx.mentions:
        if m.start != 0 or m.kind != PERSON or len(m.tokens) < 2 or m.titled:
            continue
        word = m.tokens[0]
        if (word.lower() not in ctx.words or word.lower() in given
                or re.search(rf"\b{re.escape(word)}\b", ctx.text[len(headline):])):
            continue
        _drop_first_word(ctx, m)


#: Quotation marks that open and close a quoted title or nickname.
_OPENING_QUOTES, _CLOSING_QUOTES = "\"“‘'", "\"”’'"


def quoted_names(ctx: Context) -> None:
    """"code-named ‘Maximum Thunder.’", "a speech titled ‘Quran Torah Bible …’", "“Creepy Lawyer” for porn star":
    what a story puts inside quotation marks, the name and nothing else, is the title of a work, an operation or a
    nickname, not a person's name (a quoted nickname inside a name, David "Fathead" Newman, is another matter).
    """
    text = ctx.text

    def quoted(m: Mention) -> bool:
        if m.start == 0 or text[m.start - 1] not in _OPENING_QUOTES:
            return False
        end = m.end
        while end < len(text) and text[end] in ".,!?":
            end += 1
        if end >= len(text) or text[end] not in _CLOSING_QUOTES or text[end + 1:end + 2] in ("s", "S"):
            return False  # not a quote that ends with the name, nor its possessive ("Bob Dylan's old sofa")
        return text[m.start - 1] not in "'’" or m.start < 2 or not text[m.start - 2].isalnum()

    ctx.mentions = [m for m in ctx.mentions if not (m.kind == PERSON and quoted(m))]


#: Words that join a title-case line's words ("Trump Threatens To Send Military"), never part of a person's name.
_JOINING_WORDS = frozenset("""
    to into as for with from in on at by of and or after over about against amid than vs says said
    is are was were will has have not
""".split())


def joining_words(ctx: Context) -> None:
    """"Trump Threatens To Send Military", "GOP Transformed Into": in a line in title case the model runs a name
    into the line's other words. There a joining word written with a capital ("To", "Into", "As") is no part
    of a person's name (in prose it may be: "Elhadj As Sy"): the span ends before it, at the longest start
    that is a person of the article (another mention's whole name or the surname of one of its full names),
    or it is no person.
    """
    def joined(m: Mention) -> int:
        cut = next((i for i, w in enumerate(m.tokens) if i and w[:1].isupper() and w.lower() in _JOINING_WORDS), 0)
        line = whole_line(ctx.text, m.start) if cut else ""
        return cut if cut and (is_title_case(line) or is_caps(line)) else 0

    people = [m for m in ctx.mentions if m.kind == PERSON]
    whole = [m for m in people if not joined(m)]
    known = {m.name for m in whole} | {m.tokens[-1] for m in whole if len(m.tokens) > 1}
    dropped: set[int] = set()
    for m in people:
        cut = joined(m)
        if not cut:
            continue
        words = m.tokens[:cut]
        while words and " ".join(words) not in known:
            words = words[:-1]
        if not words:
            dropped.add(id(m))
            continue
        last = ctx.text.find(words[-1], m.start, m.end)
        m.tokens, m.end = words, (last + len(words[-1]) if last >= 0 else m.start + len(" ".join(words)))
    if dropped:
        ctx.mentions = [m for m in ctx.mentions if id(m) not in dropped]


#: What leaves a capital after it no sign of a name: the end of a sentence, a quote, a list item's "(a)", a hash.
_NO_SIGN_AFTER = frozenset(""". ! ? : ; " “ ” ‘ ' ) ] # … - — – * • |""".split())
#: Verbs that make the word before them a speaker: "Smith said", "Vandermeer told reporters".
_SPEAKING = frozenset("say tell add ask explain insist argue claim note write warn reply".split())
#: Tags of words after which a capitalised word is a thing: "the Gospel", "God's Grace", "our Creator"...
_THING_AFTER_TAGS = frozenset({"DT", "PRP$", "POS", "WDT"})
#: ... unless it goes on as a name does: "the Bush administration", "the Rogers and Hammerstein classic".
_NAME_BEFORE_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "HYPH", "CC", "POS"})


def _written_as(ctx: Context, token: Token) -> bool | None:
    """What a capitalised word's capital says: True, a name (it is within a sentence of prose, after no determiner
    or possessive unless a noun follows it: "the Bush administration"; or it names a speaker: ", Williams added",
    "Smith said"); False, nothing (it opens a sentence, or follows "the"); None, nothing either way (a line in
    title case or capitals, a list of names)."""
    line = whole_line(ctx.text, token.idx)
    if is_title_case(line) or is_caps(line):
        return None
    after = ctx.doc[token.i + 1] if token.i + 1 < len(ctx.doc) else None
    if after is not None and after.lemma_ in _SPEAKING:  # "Smith said", wherever the sentence starts
        return True
    before = ctx.doc[token.i - 1] if token.i else None
    if before is not None and before.tag_ == "''" and token.i > 1:  # '," Williams added': a quote's speaker
        return ctx.doc[token.i - 2].text == ","
    if before is None or "\n" in before.text or before.text in _NO_SIGN_AFTER:
        return False
    if before.tag_ in _THING_AFTER_TAGS:
        return after is not None and (after.tag_ in _NAME_BEFORE_TAGS or after.text in ("/", "-"))
    return True


def lone_words(ctx: Context) -> None:
    """"Absurd as it may sound", "Email", "(a) Arrest, detention and release": a lone word the model calls a
    person, that is an ordinary word (the model's dictionary has it, or its tagger reads it as no proper noun),
    is a person only when the article writes it as a name somewhere: with a capital inside a sentence of prose
    and after no determiner ("said Winner", not "the Gospel"), or in a longer or titled name of its people.
    Written only in lines in title case or capitals (headlines, line-ups: "Hayes, Miller, Murphy") it is left
    as the model read it, and so are sports reports, whose tables name players by surname alone ("15-Moore").
    """
    if ctx.sports:
        return
    people = [m for m in ctx.mentions if m.kind == PERSON]
    in_names = {w for m in people if len(m.tokens) > 1 or m.titled for w in m.tokens}
    in_names |= {m.name for m in ctx.mentions if m.kind != PERSON}  # "Labour": the article's organization
    suspects: set[str] = set()
    for m in people:
        if (len(m.tokens) > 1 or m.titled or m.name in in_names or m.name.isupper()  # "PCSU": an acronym
                or ctx.places.place(m.name) is not None):
            continue
        token = ctx.token_at.get(m.start)
        if m.name.lower() in ctx.words or (token is not None and token.tag_ not in ("NNP", "NNPS")):
            suspects.add(m.name)
    if not suspects:
        return
    said: dict[str, set[bool | None]] = {}
    for t in ctx.token_at.values():
        if t.text in suspects:
            said.setdefault(t.text, set()).add(_written_as(ctx, t))
    gone = {name for name, signs in said.items() if False in signs and True not in signs}
    if gone:
        ctx.mentions = [m for m in ctx.mentions if not (m.kind == PERSON and m.name in gone)]


#: Words a question opens with, before its subject: "Will Jane Doe be confirmed?"
_QUESTION_OPENERS = frozenset("""
    will would can could should shall may might must did does do is was are were has have had
""".split())
#: Between the items of a list line: spaces, commas, bullets, bars, slashes, "and".
_LIST_GAP = re.compile(r"(?:\s*[,;|/•*·]\s*|\s+(?:and|&)\s+|\s+)")
#: A list line has at least this many capitalised words and little else.
_LIST_MIN_WORDS, _LIST_CAPITALISED = 4, 0.8


def _is_list_line(line: str) -> bool:
    """A line of names run together ("* Ann Lee Bob Ray Cy Dunn"): poll options, captions.

    Almost every word is capitalised, nothing ends a sentence and no comma, figure or
    bracket separates the items (with those, the model tells the names apart). The
    headline (the first line) is left alone: headlines are often in title case.
    """
    if any(c.isdigit() or c in "():,;" for c in line):
        return False  # a table row, or items the model can tell apart
    words = [w for w in _LIST_GAP.split(line.strip(" *•-")) if w]
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < _LIST_MIN_WORDS or line.rstrip().endswith(("?", "!")):
        return False
    capitalised = sum(w[:1].isupper() for w in alpha)
    return capitalised >= _LIST_MIN_WORDS and capitalised / len(alpha) >= _LIST_CAPITALISED and (
        not line.rstrip().endswith(".") or capitalised == len(alpha))


def list_lines(ctx: Context) -> None:
    """A line that lists several names gives several names or none, never one glued name.

    The model runs the items of a list line together ("Ann Lee Bob", "Ray Cy Dunn"). On
    such a line a person is kept only where the rest of the article names that person
    the same way; a glued span that is several of the article's people in a row becomes
    those people; anything else on the line is dropped.
    """
    text = ctx.text
    title_end = text.find("\n")
    if title_end < 0:
        return
    lines: list[tuple[int, int]] = []
    at = title_end + 1
    for line in text[at:].split("\n"):
        if _is_list_line(line):
            lines.append((at, at + len(line)))
        at += len(line) + 1
    if not lines:
        return

    def on_list(m: Mention) -> bool:
        return any(a <= m.start and m.end <= b for a, b in lines)

    known = {m.name for m in ctx.mentions if m.kind == PERSON and not on_list(m) and len(m.tokens) >= 2}
    kept: list[Mention] = []
    for m in ctx.mentions:
        if m.kind != PERSON or not on_list(m) or m.name in known:
            kept.append(m)
            continue
        start, words = m.start, list(m.tokens)
        while words:  # several known people in a row: each of them
            size = next((n for n in range(len(words), 1, -1) if " ".join(words[:n]) in known), 0)
            if not size:
                break
            name = " ".join(words[:size])
            at = text.find(name, start, m.end)
            kept.append(Mention(PERSON, tuple(words[:size]), at, at + len(name)))
            start, words = at + len(name), words[size:]
    ctx.mentions = kept


def question_openers(ctx: Context) -> None:
    """"Will Jane Doe be confirmed?": the verb that opens a question is no first name.

    The model reads a capitalised "Will" or "Can" before a name as part of it. Where a
    person's name opens a question with such a word, the word is cut off, and the name
    is joined to a person name that follows it at once ("Will Jane" + "Doe").
    """
    text = ctx.text
    token_at = ctx.token_at
    gone: set[int] = set()
    for m in ctx.mentions:
        if id(m) in gone or m.kind != PERSON or len(m.tokens) < 2 or m.tokens[0].lower() not in _QUESTION_OPENERS:
            continue
        before = text[:m.start].rstrip(" \"“'‘")
        if before and before[-1] not in "\n.!?:":
            continue
        end = text.find("?", m.end)
        if end < 0 or "\n" in text[m.end:end] or any(c in text[m.end:end] for c in ".!"):
            continue
        at = text.find(m.tokens[1], m.start + len(m.tokens[0]), m.end)
        m.start, m.tokens = at, m.tokens[1:]
        after = next((o for o in ctx.mentions if o.kind == PERSON and o.start == m.end + 1
                      and text[m.end] == " "), None)
        if after is not None and len(m.tokens) + len(after.tokens) <= 3:
            m.tokens, m.end = m.tokens + after.tokens, after.end
            gone.add(id(after))
        elif len(m.tokens) == 1 and text[m.end:m.end + 1] == " ":
            token = token_at.get(m.end + 1)  # "Kavanaugh", which the model left out
            if (token is not None and token.pos_ == "PROPN" and token.text[:1].isupper()
                    and token.text[1:].islower() and not any(o.start <= token.idx < o.end for o in ctx.mentions)):
                m.tokens, m.end = m.tokens + (token.text,), token.idx + len(token.text)
    if gone:
        ctx.mentions = [m for m in ctx.mentions if id(m) not in gone]


#: A word of at least this many letters counts towards a headline's case (title case leaves "of", "the" small).
_CASED_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def is_title_case(line: str) -> bool:
    """"Nigel Farage Warns Of A Battle": nearly every longer word of the line capitalised."""
    words = _CASED_WORD.findall(line)
    return len(words) >= 4 and sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words)


def headline_names(ctx: Context) -> None:
    """"Defeats Bailey" in "MITCHELL DEFEATS BAILEY", "Farage Warns" in "Nigel Farage Warns
    Of A Battle": keep the words the article writes as names. In a headline in capitals or
    in title case, a word the body never capitalises is not part of a name.

    In capitals a person's name loses such words at either end ("Defeats Bailey"); in title
    case only at its end ("Keith Ellison Defends"), since a story may go on to call the man
    of its headline "Ellison" alone. In title case a person none of whose words the body
    capitalises is no person if the article writes one of them in lower case ("Honduran
    Caravan Reaches", the story speaking of the caravan), else a name only the headline gives.
    """
    doc, text, mentions = ctx.doc, ctx.normal, ctx.mentions
    headline = ctx.text.partition("\n")[0]
    caps = is_caps(headline)
    if not (caps or is_title_case(headline)):
        return
    title_end = text.find("\n")
    if title_end < 0:
        return
    body = {t.text for t in doc if t.idx > title_end and t.text[:1].isupper()}
    plain = ctx.lower_words
    dropped: set[int] = set()
    for m in mentions:
        if m.start > title_end or len(m.tokens) < 2:
            continue
        words = list(m.tokens)
        if not caps and m.kind == PERSON and not any(word in body for word in words):
            if any(word.lower() in plain for word in words):
                dropped.add(id(m))  # "Honduran Caravan Reaches" where the story speaks of the caravan
            continue  # a name the headline alone gives ("... Accusing Keith Ellison"): kept whole
        while caps and m.kind == PERSON and len(words) > 1 and words[0] not in body:
            words.pop(0)
        # ... nor at its end ("Miller Defends"), in capitals whatever the name ("Standard Liege Players").
        while len(words) > 1 and words[-1] not in body and (caps or m.kind == PERSON):
            words.pop()
        if len(words) < len(m.tokens):
            m.start = text.find(words[0], m.start, m.end)
            m.end = m.start + len(" ".join(words))
            m.tokens = tuple(words)
    if dropped:
        ctx.mentions = [m for m in mentions if id(m) not in dropped]


#: Short words a headline leaves in lower case ("Judge Wrestles with Issue of Immigrants").
_HEADLINE_SMALL = frozenset("a an the of to in on at by for with and or as from into over vs".split())
#: ... of which these are prepositions and conjunctions, which prose writes with a capital only to open a sentence.
_HEADLINE_JOINS = _HEADLINE_SMALL - {"a", "an", "the"}
_WORD = re.compile(r"[^\s,;:()\[\]“”\"]+")
#: Words whose full stop ends no sentence: initials ("U.S.", "H.W."), and abbreviations before a name.
_NO_SENTENCE_END = re.compile(r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep)\.")


def _ends_sentence(word: str) -> bool:
    word = word.rstrip("'’”\"")
    return word.endswith(("!", "?")) or word.endswith(".") and not _NO_SENTENCE_END.fullmatch(word)


def title_runs(text: str) -> list[tuple[int, int]]:
    """Where a line quotes a headline in title case: runs of at least four capitalised longer words, with only
    a headline's short words between them ("U.S. Judge Wrestles With Issue Of Indonesian Immigrants, by ...")."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    capitals = 0
    for match in _WORD.finditer(text + "\n."):
        word = match.group()
        cased = word[:1].isupper()
        same_line = start >= 0 and "\n" not in text[end:match.start()]
        if cased and start < 0 or (cased or word in _HEADLINE_SMALL) and same_line:
            if start < 0:
                start, capitals = match.start(), 0
            capitals += cased and len(word) >= 4
            if cased:
                end = match.end()
            if not _ends_sentence(word):
                continue
            word, cased = "", False  # a sentence ends with this word ("... and Victoria Beckham. At number one")
        if start >= 0 and capitals >= 4:
            runs.append((start, end))
        start, end, capitals = (match.start(), match.end(), int(len(word) >= 4)) if cased else (-1, -1, 0)
    return runs


def headline_runs(ctx: Context) -> None:
    """A headline quoted in a story's body ("U.S. Judge Wrestles With Issue Of Indonesian Immigrants, by ...", a
    list of related stories) is read as `headline_names` reads the story's own headline: a "person" in it none of
    whose words the rest of the article capitalises is no person when the article writes one of them in lower
    case, and words the rest never capitalises but writes in lower case are cut from a person's end ("Ilhan Omar
    Defending Tweet")."""
    text, mentions = ctx.normal, ctx.mentions
    first = text.find("\n")
    # Prose capitalises names and titles ("Deputy Attorney General Rod Rosenstein, and FBI Director Christopher
    # Wray"), never a preposition inside a sentence: a headline does ("Judge Wrestles With Issue Of ...").
    runs = [(a, b) for a, b in title_runs(text) if a > first >= 0
            and any(w.lower() in _HEADLINE_JOINS for w in _WORD.findall(text, a, b)[1:] if w[0].isupper())]
    if not runs:
        return
    inside = [m for m in mentions if m.kind == PERSON and len(m.tokens) > 1
              and any(a <= m.start and m.end <= b for a, b in runs)]
    if not inside:
        return
    body = {t.text for t in ctx.doc if t.idx > first and t.text[:1].isupper()
            and not any(a <= t.idx < b for a, b in runs)}
    dropped: set[int] = set()
    for m in inside:
        words = list(m.tokens)
        if not any(w in body for w in words):
            if any(w.lower() in ctx.lower_words for w in words):
                dropped.add(id(m))
            continue
        while len(words) > 1 and words[-1] not in body and words[-1].lower() in ctx.lower_words:
            words.pop()
        if len(words) < len(m.tokens):
            m.end = m.start + len(" ".join(words))
            m.tokens = tuple(words)
    if dropped:
        ctx.mentions = [m for m in mentions if id(m) not in dropped]


def athletes(ctx: Context) -> None:
    """Names followed by a country in brackets are people: "Leah Pells (Canada)".

    Results lists give each athlete's country this way; the model, short of context,
    calls many of them organizations or places, or misses them. Relabels those
    mentions and returns the names it missed.
    """
    gaz, text, mentions = ctx.places, ctx.normal, ctx.mentions
    by_end = {m.end: m for m in mentions}
    found: list[Mention] = []
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
            if not any(is_title(w) or w.lower() in SPORTS for w in words):
                found.append(Mention(PERSON, words, start, end))
    mentions += found


def initialled(ctx: Context) -> None:
    """Initials and a surname the model missed ("J. Russell" in a scorecard): a person."""
    gaz, mentions = ctx.places, ctx.mentions
    found: list[Mention] = []
    for match in _INITIALLED.finditer(ctx.normal):
        start, end = match.span()
        initials, surname = match.group("initials"), match.group("surname")
        if gaz.place(initials) is not None or gaz.place(surname) is not None:
            continue  # "U.S. Treasury", "S. Africa"
        if surname.lower() in ORG_HEAD_WORDS or is_title(surname):
            continue
        same = [o for o in mentions if o.start == start and o.end == end]
        if same:
            same[0].kind = PERSON  # "M.P. Staines" labelled ORG
        elif not any(o.start < end and start < o.end for o in mentions):
            found.append(Mention(PERSON, tuple(match.group(0).split()), start, end))
    mentions += found


#: A player in a numbered line-up: "15 - Andre Joubert," or a substitute "(Joel Stransky, 48".
_LINEUP_NAME = r"[A-Z][\w'’-]+(?: (?:van|von|der|den|de|du|da|le|la|[A-Z][\w'’-]+)){1,3}"
_LINEUP_PLAYER = re.compile(
    rf"(?:(?<![\w.])\d{{1,2}} - (?P<player>{_LINEUP_NAME})(?= \(|[,;.]|$)"
    rf"|\((?P<sub>{_LINEUP_NAME}), \d)", re.MULTILINE)
#: Line-ups have at least this many numbered players on one line.
_MIN_LINEUP = 3


def lineup_players(ctx: Context) -> None:
    """The players of a numbered line-up ("15 - Andre Joubert, 14 - Justin Swart, 13 -
    Japie Mulder (Joel Stransky, 48 mins)") are people, whatever the model made of them."""
    text, mentions = ctx.normal, ctx.mentions
    if " - " not in text:
        return
    found: list[Mention] = []
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
            found.append(Mention(PERSON, words, start, end))
    ctx.mentions = mentions + found


_ROMAN = re.compile(r" (?=[IVX])(X{0,3})(IX|IV|V?I{0,3})(?![\w'’-])")


def regnal_numbers(ctx: Context) -> None:
    """A person's name runs on into a regnal number: "Elizabeth I", "Charles VI"."""
    text = ctx.normal
    for m in ctx.mentions:
        if m.kind != PERSON:
            continue
        match = _ROMAN.match(text, m.end)
        if match is not None and match.end() > m.end + 1:
            m.tokens += (text[m.end + 1:match.end()],)
            m.end = match.end()


def families(ctx: Context) -> None:
    """"The Clintons", "the Scholls": a family (or a band, "the Beatles") named by the plural of a
    surname the article gives a person is no person."""
    people = [m for m in ctx.mentions if m.kind == PERSON]
    surnames = {m.tokens[-1] for m in people}
    text = ctx.text

    def family(m: Mention) -> bool:
        word = m.tokens[0]
        return (len(m.tokens) == 1 and not m.titled and word.endswith("s")
                and (word[:-1] in surnames or (word.endswith("es") and word[:-2] in surnames))
                and re.search(r"(?i:\bthe) " + re.escape(word) + r"\b", text) is not None)

    ctx.mentions = [m for m in ctx.mentions if not (m.kind == PERSON and family(m))]


def run_ons(ctx: Context) -> None:
    """"Trump Campaign", "Andrew Gillum Staffer": a name of the article's people with words the article writes
    in lower case run on after it is that name. What is left must be another mention's whole name or the
    surname of one of its full names, so "Graham Hill" stays whole in a story about a hill. (Words before a
    name are left: "Rush", "Bill" and "Said" open names as often as they are words.)"""
    lower = ctx.lower_words
    people = [m for m in ctx.mentions if m.kind == PERSON]
    known = {m.name for m in people} | {m.tokens[-1] for m in people if len(m.tokens) > 1}
    text = ctx.text
    for m in people:
        words = m.tokens
        if len(words) < 2 or m.titled:
            continue
        end = len(words)
        while end > 1 and words[end - 1].lower() in lower:
            end -= 1
        rest = words[:end]
        if len(rest) == len(words) or " ".join(rest) not in known:
            continue
        last = text.find(rest[-1], m.start, m.end)
        if last >= 0:
            m.tokens, m.end = rest, last + len(rest[-1])


#: A word that owns what follows it: "Recode's", "News’".
_OWNER = re.compile(r"\w(?:['’]s|s['’])$")


def owned_names(ctx: Context) -> None:
    """"Recode’s Kara Swisher", "Fox News’ Sean Hannity": the model often reads an outlet and its
    reporter as one organization. When the two or three words after the owner are a person of
    the article, or end in the surname of one, they are that person.
    """
    people = [m for m in ctx.mentions if m.kind == PERSON]
    names = {m.name for m in people}
    surnames = {m.tokens[-1] for m in people}
    for m in ctx.mentions:
        if m.kind == PERSON or m.team:
            continue
        owner = max((i for i, w in enumerate(m.tokens[:-2]) if _OWNER.search(w)), default=-1)
        rest = m.tokens[owner + 1:]
        if owner < 0 or len(rest) > 3 or not all(w[:1].isupper() for w in rest):
            continue
        if " ".join(rest) in names or rest[-1] in surnames:
            at = ctx.text.find(rest[0], m.start, m.end)
            if at >= 0:
                m.kind, m.tokens, m.start = PERSON, rest, at


def known_by_title(ctx: Context) -> None:
    """"Pope Francis": a title a person is known by stays with a lone name.

    Without it, "Francis" would be any Francis; with a surname or a regnal number after
    it ("Pope John Paul", "Elizabeth II") the name alone says who it is.
    """
    text = ctx.text
    for m in ctx.mentions:
        if (m.kind == PERSON and len(m.tokens) == 1 and m.title is not None
                and m.title.lower().rstrip(".") in KNOWN_BY_TITLE
                and m.tokens[0].lower() not in ctx.lower_words):  # "Pope Accused" in a headline
            at = text.rfind(m.title, 0, m.start)
            if at >= 0 and not text[at + len(m.title):m.start].strip():
                m.tokens, m.start = (m.title.capitalize(),) + m.tokens, at


def full_names(ctx: Context) -> None:
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

    gaz, text, mentions = ctx.places, ctx.normal, ctx.mentions
    lower = ctx.lower_words
    people = [m for m in mentions if m.kind == PERSON and not m.team]

    def given(word: str) -> bool:
        key = word.lower()
        return not (key in lower or key in STOP_WORDS or is_title(word)
                    or key in PEOPLES or key in SPORTS or key in CALENDAR
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

    token_at = ctx.token_at
    found: list[Mention] = []
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
            found.append(Mention(PERSON, tuple(match.group(0).split()), start, end))
    mentions = mentions + found
    surnames = {m.tokens[-1] for m in people if len(m.tokens[-1]) > 2
                and m.tokens[-1][1:].islower() and gaz.place(m.tokens[-1]) is None}
    if not surnames:
        ctx.mentions = mentions
        return
    pattern = re.compile(r"(?<![\w.'’-])((?:[A-Z][a-z][\w'’-]* ){1,2})("
                         + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w'’-])")
    found = []

    def proper(word: str, at: int) -> bool:
        token = token_at.get(at)
        return (token is not None and token.text == word and token.pos_ == "PROPN"
                and token.ent_type_ not in NOT_GIVEN and given(word))

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
        found.append(Mention(PERSON, name, start, end))
        for o in overlapping:
            mentions.remove(o)
    ctx.mentions = mentions + found
