"""Punctuation and sentence breaks that a translation system broke.

A system that translates sentence by sentence, or that re-inserts the full stop its
target language wants, leaves marks an editor would not: doubled punctuation
("(GDP). ."), a full stop in the middle of a sentence before a lower-case word
("imprisoned in China. people"), two words glued where a sentence or line break was
lost ("BlinkenForty-two"), a paragraph that starts with the lower-case tail of a split
sentence, and a heading pasted onto the end of a paragraph.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..text import ABBREVIATIONS, TITLES, Document, Span
from . import Evidence, artifact

# Runs of sentence punctuation, possibly spaced: ",,", ". ,", ". .", "..".
PUNCT_RUN_RE = re.compile(r"[.,;:](?:[ \t]*[.,;:])+")
WORD_BEFORE_RE = re.compile(r"((?:[^\W\d_]\.)*[^\W\d_]+)$")

# Abbreviations that can stand before a lower-case word ("approx. five", "etc. were").
# They extend the sentence splitter's list with unit and reference abbreviations.
LOWERCASE_SAFE_ABBREVIATIONS = (
    ABBREVIATIONS
    | TITLES
    | frozenset(
        "etc approx vs v ca cf al fig figs vol vols ed eds pp ch sec sq cu cub km kg cm mm mg ml mln bn bln "
        "thous tr rub min max incl excl ibid op cit viz var hr hrs yr yrs mo mos wk pt pts oz lb lbs tbsp tsp "
        "govt intl natl ehf resp abbr orig ref refs tel ext".split()
    )
)
# A full stop after a word, then a lower-case word, inside a paragraph.
STOP_LOWER_RE = re.compile(r"\.[ \t]+([a-z][a-z'’\-]*)(?=[ \t,;:])")
# The word before that stop; a dot, @ or / before it makes an initialism, address or path.
WORD_ENDING_RE = re.compile(r"(?<![\w.@/’'\-])[^\W\d_]+\Z")

# A word (capitalised or lower-case) directly followed by a capitalised word: "BlinkenForty-two".
# Runs with more humps ("GlaxoSmithKline", "JPMorgan") are brand names or identifiers, so the
# run of letters must be exactly two pieces.
# The capital is matched first and the lower-case letter before it by a look-behind, so the
# regex engine scans for capitals (a few in a hundred characters), not for lower-case letters;
# the join starts one character before the match.
CAMEL_JOIN_RE = re.compile(r"[A-Z](?<=[a-z].)", re.DOTALL)
GLUED_WORD_RE = re.compile(r"([A-Z]?[a-z]+)([A-Z][a-z]*(?:-[a-z]+)*)(?![^\W_]|['’\-][^\W_])")
# Surname particles written joined by convention: McDonald, DeSantis, LeBron, MacArthur.
NAME_PARTICLES = frozenset("mc mac de di du da le la van von al el fitz o d".split())
# Words that commonly open a sentence, and number words: a glued piece that is one of
# these is almost certainly the start of a lost sentence or line.
OPENING_WORDS = frozenset(
    "the a an this that these those he she it they we i you his her its their our my there here "
    "but and or so yet in on at for as if when while after before since although though however "
    "meanwhile also now then some many most more according during despite last earlier later "
    "today yesterday what why how where who one two three four five six seven eight nine ten "
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty "
    "forty fifty sixty seventy eighty ninety hundred thousand million".split()
)

TERMINAL_END_RE = re.compile(r"[.!?…][\"”’')\]]*$")
LAST_WORD_RE = re.compile(r"([^\W\d_]+|\d+)[\"”’')\]]*\Z")
FUNCTION_WORDS = frozenset(
    "the a an of to and or but nor in on at for with by from into onto about as than that which who "
    "whom whose is are was were be been being has have had will would can could should may might must "
    "his her their its our my your this these those not".split()
)
URL_LIKE_RE = re.compile(r"[^\W\d_]+(?:\.[a-z]|@|://)")
WHITESPACE_RE = re.compile(r"\s+")
# Hard-wrapped or lower-case-styled text starts many lines in lower case; say nothing then.
MAX_LOWERCASE_START_SHARE = 0.25
MAX_ABBREVIATED_NAME = 5
MAX_HEADING_WORDS = 15
MIN_HEADING_WORDS = 3


@artifact(
    "doubled_punctuation",
    1,
    "Two sentence marks in a row (',,', '. ,', '(GDP). .', '..'), not an ellipsis: translation "
    "systems add the full stop their target wants after one that is already there.",
)
def doubled_punctuation(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    for match in PUNCT_RUN_RE.finditer(text):
        run = match.group()
        marks = run.replace(" ", "").replace("\t", "")
        start, end = match.start(), match.end()
        if set(marks) == {"."} and len(marks) >= 3:
            continue  # an ellipsis, spaced or not
        if "/" in text[start - 1 : start] or "/" in text[end : end + 1]:
            continue  # a path: "../"
        if marks[-1] in ":;" and end < len(text) and not text[end].isspace():
            continue  # code, addresses and smileys: "std::map", "fe80::1", ". :D"
        if run[0] == "." and run[1] not in " \t" and _after_abbreviation(text, start, proper_names=True):
            continue  # "U.S.,", "etc.;" and "Portland, Ore.," close an abbreviation, then go on
        if marks == ".." and _after_abbreviation(text, start):
            continue  # "etc.." is a typist's slip, not a translation artifact
        yield Evidence(
            "doubled_punctuation",
            start,
            end,
            f"punctuation doubled as {run!r}: translation systems add the mark their target language "
            "wants after one that is already there",
        )


def _after_abbreviation(text: str, dot: int, proper_names: bool = False) -> bool:
    """Whether the full stop at `dot` ends an abbreviation; with `proper_names`, any short
    capitalised word counts too ("Ore.", "Calif.", "Sept.")."""
    word = WORD_BEFORE_RE.search(text, max(0, dot - 20), dot)
    if word is None:
        return False
    piece = word.group(1)
    if proper_names and piece[0].isupper() and len(piece) <= MAX_ABBREVIATED_NAME:
        return True
    return "." in piece or len(piece) == 1 or piece.lower() in LOWERCASE_SAFE_ABBREVIATIONS


@artifact(
    "stop_before_lowercase",
    1,
    "A full stop inside a sentence, before a lower-case word ('imprisoned in China. people'), not "
    "after an abbreviation: a translation system broke one sentence in two.",
)
def stop_before_lowercase(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    # Spaces and tabs only, so a match never crosses a line or paragraph break.
    for match in STOP_LOWER_RE.finditer(text):
        stop = match.start()
        if stop == 0 or not text[stop - 1].isalpha():
            continue  # "..." ellipses, "3. the", '." the'
        before = WORD_ENDING_RE.search(text, max(0, stop - 30), stop)
        if before is None:
            continue  # "U.S. officials", "e.g. the", "a.m. and", "example.com/x. y"
        word = before.group()
        if len(word) == 1 or word.lower() in LOWERCASE_SAFE_ABBREVIATIONS:
            continue  # an initial or an abbreviation: "approx. five", "etc. were"
        yield Evidence(
            "stop_before_lowercase",
            stop,
            match.end(1),
            f"full stop after {word!r} followed by lower-case {match.group(1)!r}: the sentence goes on, "
            "so a translation system split it in two",
        )


@artifact(
    "glued_words",
    1,
    "Two words run together where a space or break was lost ('BlinkenForty-two'): a word used on its "
    "own elsewhere in the text, then a capitalised sentence opener or number word.",
)
def glued_words(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    standalone: set[str] | None = None
    for join in CAMEL_JOIN_RE.finditer(text):
        join_start = join.start() - 1  # the lower-case letter
        word_start = join_start
        while word_start > 0 and text[word_start - 1].isalpha() and join_start - word_start < 40:
            word_start -= 1
        match = GLUED_WORD_RE.match(text, word_start)
        if match is None or match.end(1) != join_start + 1:
            continue  # more humps than two ("PricewaterhouseCoopers") or not letters on both sides
        left, right = match.group(1), match.group(2)
        if len(left) < 2 or left.lower() in NAME_PARTICLES:
            continue  # "iPhone", "eBay", "McDonald", "DeSantis"
        if right.split("-")[0].lower() not in OPENING_WORDS:
            continue  # "YouTube", "PowerPoint", "CoinMarket": brands join ordinary words too
        if standalone is None:
            standalone = set(doc.word_texts)  # built only when a candidate exists
        if left not in standalone:
            continue
        yield Evidence(
            "glued_words",
            match.start(),
            match.end(),
            f"{left!r} runs into {right!r}, a sentence opener or number word: the space or line break "
            "between two sentences was lost in translation",
        )


@artifact(
    "lowercase_paragraph_start",
    1,
    "A paragraph that starts with a lower-case word after a finished sentence or a heading ('and signed "
    "letter to ...'): the tail of a sentence that translation split off.",
)
def lowercase_paragraph_start(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    found = []
    for index in range(1, len(doc.paragraphs)):
        paragraph = doc.paragraphs[index]
        first = text[paragraph.start]
        if not first.islower():
            continue
        tokens = doc.tokens_in(paragraph)
        word = tokens[0]
        if not word.text.isalpha() or not word.text.islower() or len(tokens) < 4:
            continue  # "eBay", "iPhone", "dpa" sign-offs and other one-word lines
        if URL_LIKE_RE.match(text, paragraph.start):
            continue
        previous = doc.paragraphs[index - 1]
        if not _ends_finished(text, previous) and not _is_heading(doc, index - 1):
            continue  # a sentence carried on after a comma: hard-wrapped text, a list
        found.append(word)
    if len(found) > 2 and len(found) > MAX_LOWERCASE_START_SHARE * len(doc.paragraphs):
        return  # hard-wrapped or lower-case-styled text, not broken sentences
    for word in found:
        yield Evidence(
            "lowercase_paragraph_start",
            word.start,
            word.end,
            f"paragraph starts with lower-case {word.text!r} after a finished sentence or a heading: the "
            "tail of a sentence that translation split off",
        )


def _ends_finished(text: str, paragraph: Span) -> bool:
    tail = text[max(paragraph.start, paragraph.end - 12) : paragraph.end]
    if not TERMINAL_END_RE.search(tail):
        return False
    dot = tail.rstrip("\"”’')]").rfind(".")
    return dot < 0 or not _after_abbreviation(text, max(paragraph.start, paragraph.end - 12) + dot)


def _is_heading(doc: Document, index: int) -> bool:
    """A short line with no closing punctuation that does not stop on a function word (a
    hard-wrapped line of running text stops anywhere: "... to discuss the")."""
    paragraph = doc.paragraphs[index]
    words = doc.paragraph_word_counts[index]
    if not MIN_HEADING_WORDS <= words <= MAX_HEADING_WORDS:
        return False
    last = LAST_WORD_RE.search(doc.text, max(paragraph.start, paragraph.end - 30), paragraph.end)
    return last is not None and last.group(1).lower() not in FUNCTION_WORDS


@artifact(
    "glued_heading",
    1,
    "A paragraph that ends with a heading of the same document pasted on ('... the letter said. Blinken "
    "meets top diplomat'): page furniture swept into the text when it was machine-processed.",
)
def glued_heading(doc: Document) -> Iterator[Evidence]:
    text = doc.text
    headings: dict[str, int] = {}
    for index, paragraph in enumerate(doc.paragraphs):
        if _is_heading(doc, index):
            headings.setdefault(_normalise(text[paragraph.start : paragraph.end]), index)
    if not headings:
        return
    for paragraph_index, paragraph in enumerate(doc.paragraphs):
        sentence = doc.sentences[doc.sentence_index_of(paragraph.end - 1)]
        if sentence.start <= paragraph.start:
            continue  # the whole paragraph: a repeated heading on its own line is layout
        heading = headings.get(_normalise(text[sentence.start : sentence.end]))
        if heading is not None and heading != paragraph_index:
            yield Evidence(
                "glued_heading",
                sentence.start,
                sentence.end,
                f"the end of this paragraph repeats the heading of paragraph {heading + 1}: a heading "
                "pasted onto the text, as page furniture is when an article is machine-processed",
            )


def _normalise(fragment: str) -> str:
    return WHITESPACE_RE.sub(" ", fragment).strip()
