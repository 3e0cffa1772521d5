"""The Document: paragraphs, sentences and tokens with character offsets, built once.

Every extractor reads the same Document, so text is split exactly once per document.
Splitting is rule-based and offline: a regular-expression tokenizer plus an abbreviation
list, so "Mr.", "U.S." and "Gov." never end a sentence and nothing is downloaded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from itertools import accumulate, compress, repeat
from operator import add, itemgetter
from typing import Iterator, NamedTuple


class Span(NamedTuple):
    start: int
    end: int


class Token(NamedTuple):
    start: int
    end: int
    text: str


# Titles are always followed by a name, so a full stop after them never ends a sentence.
TITLES = frozenset(
    "mr mrs ms mx dr prof gov sen rep gen col lt capt cpt maj sgt adm cmdr rev fr st hon pres supt insp det".split()
)
# Other abbreviations end a sentence only when a typical sentence opener follows.
ABBREVIATIONS = frozenset(
    "jr sr inc ltd co corp bros no nos vs etc approx est dept univ assn ave blvd rd mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "u.s u.k u.n e.u u.s.a p.m a.m i.e e.g d.c".split()
)
SENTENCE_OPENERS = frozenset(
    "The A An He She It They We I You His Her Its Their Our This That These Those There "
    "But And Or So Yet In On At For As If When While After Before Since Although However "
    "Meanwhile Still Also Now Then Some Many Most Officials".split()
)

# The repeats are possessive (++, *+, {2,}+): nothing follows them inside the pattern, so the
# longest match is the only one, and the engine keeps no backtracking state while it reads
# (the split below is a third of a Document's build).
TOKEN_RE = re.compile(
    r"(?:[A-Za-z]\.){2,}+"  # initialisms with their dots: U.S., a.m.
    r"|\d++(?:[.,:]\d++)*+"  # numbers: 1,000 3.5 10:30
    r"|[^\W\d_]++(?:['’\-][^\W\d_]++)*+"  # words, with inner apostrophes and hyphens
    r"|[^\s]",  # any other single character (punctuation, symbols)
)
# The same tokens as a split: [gap, token, gap, token, ..., gap]. Splitting, measuring and
# zipping run in C, where finditer would make a Python match object per token.
TOKEN_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")
# A candidate sentence end: terminal punctuation, optional closers, then white space.
BOUNDARY_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")
BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
NEWLINE_RE = re.compile(r"\n")
WORD_BEFORE_DOT_RE = re.compile(r"((?:[A-Za-z]\.)*[A-Za-z]+)\.$")
NEXT_VISIBLE_RE = re.compile(r"\S")  # \s is str.isspace, so this finds what str.lstrip() keeps
LEADING_WORD_RE = re.compile(r"[^\W\d_]+")


# The double quotation marks every module that looks for quotations reads, as texts write
# them (the features see them plain; `compare` and the reports may keep them as given).
OPENING_QUOTE_MARKS = frozenset("“«„")
CLOSING_QUOTE_MARKS = frozenset("”»")
DOUBLE_QUOTE_MARKS = OPENING_QUOTE_MARKS | CLOSING_QUOTE_MARKS | {'"'}
DOUBLE_QUOTE_CHARACTERS = "".join(sorted(DOUBLE_QUOTE_MARKS))  # for char_positions

# Quotation marks and dashes say which CMS or translation tool set a text, not whether a
# machine wrote it: WMT's human translators and its MT systems differ in them, real news
# sites do not. Training, evaluation and scoring read every text with them made plain; the mapping is one
# character for one, so offsets into the plain text are offsets into the original.
PLAIN_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "–": "-", "—": "-", "―": "-", "‒": "-"})
# str.translate looks every character up; most texts have nothing to change, which a search says faster.
TYPOGRAPHY_RE = re.compile("[" + "".join(chr(code) for code in PLAIN_TYPOGRAPHY) + "]")


def plain_typography(text: str) -> str:
    """The text with curly quotes, guillemets and dashes made plain ASCII quotes and hyphens.

    A text with none of them is returned as it is (the same object)."""
    return text.translate(PLAIN_TYPOGRAPHY) if TYPOGRAPHY_RE.search(text) else text


@dataclass
class Document:
    """A text split once into paragraphs, sentences and tokens, all as character offsets."""

    text: str
    # The text as it was given, when `text` is its plain-typography reading (see `read_plain`);
    # None when they are the same. Reports quote this one; the features read `text`.
    original: str | None = field(default=None, compare=False, repr=False)
    paragraphs: list[Span] = field(init=False)
    sentences: list[Span] = field(init=False)
    token_texts: list[str] = field(init=False, repr=False)  # tokens[i].text, as one list for the features
    # `tokens` (below) is built on first use: the features read token_texts and token_starts,
    # and a tuple per token was a third of the build.
    # split_structure(text), when the caller has it already (the copies pass splits first, tokenises later).
    structure: InitVar[tuple[list[Span], list[Span], list[int]] | None] = None

    def __post_init__(self, structure: tuple[list[Span], list[Span], list[int]] | None) -> None:
        self.paragraphs, self.sentences, self._sentence_paragraph = split_structure(self.text) if structure is None else structure
        parts = TOKEN_SPLIT_RE.split(self.text)
        offsets = list(accumulate(map(len, parts), initial=0))
        texts = parts[1::2]
        self.token_texts = texts
        self._paragraph_starts = [p.start for p in self.paragraphs]
        self._token_starts = offsets[1 : 2 * len(texts) : 2]

    @cached_property
    def tokens(self) -> list[Token]:
        """Every token with its offsets (a token ends at its start plus its length)."""
        return self._make_tokens(0, len(self.token_texts))

    def _make_tokens(self, first: int, stop: int) -> list[Token]:
        starts, texts = self._token_starts[first:stop], self.token_texts[first:stop]
        # tuple.__new__ skips NamedTuple's argument handling: there is one per token.
        return list(map(tuple.__new__, repeat(Token), zip(starts, map(add, starts, map(len, texts)), texts)))

    @property
    def token_starts(self) -> list[int]:
        """tokens[i].start, as one list for the features."""
        return self._token_starts

    @classmethod
    def read_plain(cls, text: str) -> "Document":
        """The document of `text` with plain typography, as the detector reads it, keeping `text` to quote.

        The mapping is one character for one, so offsets and paragraphs are those of `text`."""
        plain = plain_typography(text)
        return cls(plain) if plain is text else cls(plain, original=text)

    @property
    def shown_text(self) -> str:
        """The text as it was given: what reports quote."""
        return self.text if self.original is None else self.original

    @classmethod
    def from_paragraphs(cls, paragraphs: list[str]) -> "Document":
        """Build a document whose paragraphs are given (joined by blank lines)."""
        return cls("\n\n".join(p.strip() for p in paragraphs))

    def paragraph_of(self, offset: int) -> int:
        """Index of the paragraph holding `offset` (the nearest one before it if between)."""
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def sentence_paragraph(self, sentence_index: int) -> int:
        return self._sentence_paragraph[sentence_index]

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that start inside [start, end)."""
        return range(bisect_right(self._token_starts, start - 1), bisect_right(self._token_starts, end - 1))

    @cached_property
    def sentence_token_ranges(self) -> list[range]:
        """token_range of each sentence, made once for the features that walk sentences."""
        starts = self._token_starts
        return [range(bisect_right(starts, start - 1), bisect_right(starts, end - 1)) for start, end in self.sentences]

    def tokens_in(self, span: Span) -> list[Token]:
        r = self.token_range(span.start, span.end)
        if "tokens" in self.__dict__:
            return self.tokens[r.start : r.stop]
        return self._make_tokens(r.start, r.stop)

    @cached_property
    def word_flags(self) -> list[bool]:
        """Per token: whether it is a word (its first character a letter)."""
        return list(map(str.isalpha, map(itemgetter(0), self.token_texts)))

    @cached_property
    def words(self) -> list[Token]:
        """Tokens that are words (contain a letter)."""
        return list(compress(self.tokens, self.word_flags))

    @cached_property
    def word_texts(self) -> list[str]:
        """The text of each word of `words`."""
        return list(compress(self.token_texts, self.word_flags))

    @cached_property
    def word_token_indices(self) -> list[int]:
        """The index in `tokens` of each word of `words`."""
        return list(compress(range(len(self.token_texts)), self.word_flags))

    @cached_property
    def lower_words(self) -> list[str]:
        """Each word of `words` lower-cased, with typographic apostrophes made straight."""
        lowered = list(map(str.lower, self.word_texts))
        return [w.replace("’", "'") for w in lowered] if "’" in self.text else lowered

    @cached_property
    def word_starts(self) -> list[int]:
        return list(compress(self._token_starts, self.word_flags))

    @cached_property
    def paragraph_word_counts(self) -> list[int]:
        # A word belongs to the last paragraph starting at or before it (the first, if none does).
        starts, counts, before = self.word_starts, [], 0
        for following in self._paragraph_starts[1:]:
            upto = bisect_left(starts, following)
            counts.append(upto - before)
            before = upto
        if self.paragraphs:
            counts.append(len(starts) - before)
        return counts

    def words_between(self, start: int, end: int) -> int:
        """How many words start inside [start, end)."""
        starts = self.word_starts
        return bisect_left(starts, end) - bisect_left(starts, start)

    def sentence_index_of(self, offset: int) -> int:
        starts = self._sentence_starts
        return max(0, bisect_right(starts, offset) - 1)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]


def char_positions(text: str, characters: str) -> list[int]:
    """Sorted offsets of every occurrence of any of `characters` (rare ones: quotation marks, brackets).

    A str.find per occurrence is a fast scan in C, several times cheaper over a whole text
    than a regex with a character class, which tries every position."""
    positions: list[int] = []
    for character in set(characters):
        position = text.find(character)
        while position >= 0:
            positions.append(position)
            position = text.find(character, position + 1)
    positions.sort()
    return positions


def split_structure(text: str) -> tuple[list[Span], list[Span], list[int]]:
    """Paragraphs, sentences, and the paragraph index of each sentence (no tokens)."""
    paragraphs = split_paragraphs(text)
    sentences: list[Span] = []
    sentence_paragraph: list[int] = []
    for index, (start, end) in enumerate(paragraphs):
        for sentence in split_sentences(text, start, end):
            sentences.append(sentence)
            sentence_paragraph.append(index)
    return paragraphs, sentences, sentence_paragraph


def split_paragraphs(text: str) -> list[Span]:
    """Blank-line separated blocks; a text with no blank line is read one paragraph a line."""
    return list(_paragraph_spans(text))


def count_paragraphs(text: str) -> int:
    """len(split_paragraphs(text)), without holding every span (a bound checked before any work)."""
    return sum(1 for _ in _paragraph_spans(text))


def _paragraph_spans(text: str) -> Iterator[Span]:
    separator = BLANK_LINE_RE if BLANK_LINE_RE.search(text) else NEWLINE_RE
    position = 0
    for match in separator.finditer(text):
        span = _trimmed(text, position, match.start())
        if span is not None:
            yield span
        position = match.end()
    span = _trimmed(text, position, len(text))
    if span is not None:
        yield span


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    span = _trimmed(text, start, end)
    if span is not None:
        spans.append(span)


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences of text[start:end]; a sentence never crosses the paragraph."""
    spans: list[Span] = []
    sentence_start = start
    for match in BOUNDARY_RE.finditer(text, start, end):
        boundary = match.end()
        if _is_sentence_end(text, match.start(), boundary, end):
            _append_trimmed(text, sentence_start, boundary, spans)
            sentence_start = boundary
    _append_trimmed(text, sentence_start, end, spans)
    return spans


def _is_sentence_end(text: str, punct_start: int, boundary: int, limit: int) -> bool:
    # Look at the text after the boundary in place: copying the rest of the paragraph
    # for every full stop made a long paragraph of "x. x. x." quadratic.
    following = NEXT_VISIBLE_RE.search(text, boundary, limit)
    if following is None:
        return True
    first = following.group()
    if not (first.isupper() or first.isdigit() or first in "\"“‘'([«"):
        # A full stop before a lower-case word is not a sentence end (and may be an artifact).
        return False
    if text[punct_start] != ".":
        return True
    word = WORD_BEFORE_DOT_RE.search(text, max(0, punct_start - 20), punct_start + 1)
    if word is None:
        return True
    abbreviation = word.group(1).lower()
    if abbreviation in TITLES:
        return False
    if len(abbreviation) == 1 and abbreviation.isalpha():
        return False  # an initial, as in "J. Smith"
    if abbreviation in ABBREVIATIONS:
        next_word = LEADING_WORD_RE.match(text, following.start(), limit)
        return next_word is not None and next_word.group() in SENTENCE_OPENERS
    return True
