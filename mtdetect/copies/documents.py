"""What the comparison needs of one document: sentences, story keys, names and quotes, computed once."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from functools import cached_property, lru_cache
from itertools import compress
from operator import itemgetter
from typing import Iterable, Mapping, Sequence

from ..frequency import zipf
from ..text import ABBREVIATIONS, TITLES, Document, Span, Token, split_structure
from .wording import DocumentWording
from .tunables import (
    AMBIGUOUS_NUMBER_WORDS,
    BOILERPLATE_MAX_WORDS,
    HEADLINE_CHARS,
    NUMBER_STYLE_RE,
    ORDINAL_SUFFIXES,
    ORDINALS,
    POSSESSIVE_RE,
    QUOTE_RE,
    STEM_LENGTH,
    STOPWORDS,
    TENS,
    UNITS,
)

# --- per-document preparation -----------------------------------------------------------


def _number_value(word: str) -> int | None:
    """17 for "seventeen" or "seventeenth", 42 for "forty-two"; None for other words."""
    word = word.lower()
    if word in UNITS:
        return UNITS[word]
    if word in TENS:
        return TENS[word]
    if word in ORDINALS:
        return ORDINALS[word]
    if "-" in word:
        head, _, tail = word.partition("-")
        if head in TENS and (tail in UNITS or tail in ORDINALS) and 0 < UNITS.get(tail, ORDINALS.get(tail, 0)) < 10:
            return TENS[head] + UNITS.get(tail, ORDINALS.get(tail, 0))
    return None


def _number_forms() -> dict[str, str]:
    forms = {word: str(value) for table in (UNITS, TENS, ORDINALS) for word, value in table.items()}
    for word in AMBIGUOUS_NUMBER_WORDS:
        del forms[word]
    return forms


NUMBER_FORMS = _number_forms()  # "seven" and "seventh" -> "7"
# Words of three letters or more, and numbers; hyphenated words fall apart into their parts, so
# "seven-and-a-half-hour" and "seven-and-a-half hour" give the same keys, and the "th" of "7th" is dropped.
KEY_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]{3,}")


def _keys_of(text: str) -> set[str]:
    """Story keys of a text: numbers (number words read as digits) and 5-letter stems of content words."""
    keys = set()
    for form in set(KEY_RE.findall(text.lower())):
        if form[0].isdigit():
            keys.add(form.replace(",", ""))
        elif form in NUMBER_FORMS:
            keys.add(NUMBER_FORMS[form])
        elif form not in STOPWORDS:
            keys.add(form[:STEM_LENGTH])
    return keys


def story_keys(doc: Document | str) -> set[str]:
    """Keys that survive rewording: numbers and the stems of content words and names."""
    return _keys_of(doc.text if isinstance(doc, Document) else doc)


CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday".split()
)
COMMON_WORD_ZIPF = 5.5  # "White", "Will", "Young": capitalised, but far too common to call a respelling
SLOT_NAME_ZIPF = 4.5  # a name put in another's place must be rarer still ("Qin" 3.1 -> "Hata" 2.1)


def is_common_word(form: str, limit: float = COMMON_WORD_ZIPF) -> bool:
    """Whether a word is common English (wordfreq), whatever its case: such words are not evidence of a respelled name."""
    return zipf(form) >= limit


def _is_name_like(token: Token, sentence_start: int, known: Mapping[str, int] | None = None) -> bool:
    """A capitalised word that is not a courtesy title, a month or a function word.

    The first word of a sentence counts only when `known` (the document's names) has it.
    """
    if not _name_like_text(token.text):
        return False
    if token.start == sentence_start:
        return known is not None and known.get(_name_form(token.text), 0) > 0
    return True


@lru_cache(maxsize=200_000)  # names recur from sentence to sentence and document to document
def _name_like_text(text: str) -> bool:
    """What _is_name_like asks of the word itself, wherever it stands."""
    if not text[0].isupper() or len(text) < 2:
        return False
    if not any(c.islower() for c in text[1:]):
        return False  # acronyms (GDP, NATO) are not respelled by a round trip
    if text.endswith("s") and len(text) > 2 and text[:-1].isupper():
        return False  # nor are their plurals and possessives (NGOs, SMEs, OPCW's)
    lower = text.lower()
    if lower.rstrip(".") in TITLES or lower in STOPWORDS or lower in ABBREVIATIONS:
        return False
    if lower in CALENDAR_WORDS or lower in NUMBER_FORMS:
        return False  # "May" where the other text has "September" is a date changed, not a name respelled
    return True


def _name_form(text: str) -> str:
    return POSSESSIVE_RE.sub("", text)


def _headline(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= HEADLINE_CHARS else line[: HEADLINE_CHARS - 1] + "…"


def numbers_in(texts: Sequence[str], starts: Sequence[int]) -> list[tuple[int, str, Span]]:
    """(value, style, span) of each number among tokens with these texts and start offsets: style is
    'digits', 'ordinal digits' or 'words' (a token ends at its start plus its length)."""
    found = []
    for index, text in enumerate(texts):
        if text[0].isdigit() and text.isdigit():
            start = starts[index]
            end, style = start + len(text), "digits"
            if index + 1 < len(texts) and starts[index + 1] == end and texts[index + 1].lower() in ORDINAL_SUFFIXES:
                end, style = end + len(texts[index + 1]), "ordinal digits"
            found.append((int(text), style, Span(start, end)))
        elif text[0].isalpha():
            lower = text.lower()
            value = _number_value(lower)
            if value is not None and lower not in AMBIGUOUS_NUMBER_WORDS:
                found.append((value, "words", Span(starts[index], starts[index] + len(text))))
            elif "-" in lower:  # seven-and-a-half
                offset = starts[index]
                for part in lower.split("-"):
                    value = _number_value(part)
                    if value is not None and part not in AMBIGUOUS_NUMBER_WORDS:
                        found.append((value, "words", Span(offset, offset + len(part))))
                    offset += len(part) + 1
    return found


def _quote_words(doc: Document, span: Span) -> list[str]:
    """The words of a quotation as written ("7th" stays one word), lower-cased."""
    words: list[str] = []
    texts, starts = doc.token_texts, doc.token_starts
    previous = -1  # the token before, when it was a word or a number
    for index in doc.token_range(span.start, span.end):
        token = texts[index]
        text = token.lower().replace("’", "'").replace(".", "")
        if not text[:1].isalnum():
            previous = -1
            continue
        if (
            previous >= 0
            and starts[previous] + len(texts[previous]) == starts[index]
            and texts[previous][0].isdigit()
            and text in ORDINAL_SUFFIXES
        ):
            words[-1] += text
        else:
            words.append(text)
        previous = index
    return words


NORM_RE = re.compile(r"[^\W_]+")


class PreparedDocument:
    """What the comparison needs of one document, computed once.

    The alignment needs only sentences and their keys, which come from the sentence
    splitter alone; tokens, names and quotes (a full `Document`) are built on first use,
    which for verbatim copies (no sentence to look into) is never.
    """

    def __init__(self, text: str, doc: Document | None = None, boilerplate: frozenset[int] = frozenset()) -> None:
        self.text = text
        if doc is not None:
            self.__dict__["doc"] = doc
            self.paragraphs = doc.paragraphs
            self.sentences = doc.sentences
            self.sentence_paragraph = [doc.sentence_paragraph(i) for i in range(len(doc.sentences))]
        else:  # the same splitting as Document, without tokenising the whole text
            self.paragraphs, self.sentences, self.sentence_paragraph = split_structure(text)
        self.sentence_stems: list[list[str]] = []  # sorted unique story keys per sentence
        self.sentence_norms: list[str] = []  # lower-cased words, for the verbatim test
        self.sentence_words: list[int] = []
        skipped = _boilerplate_spans(text, boilerplate) if boilerplate else []
        for start, end in self.sentences:
            piece = text[start:end]
            if skipped and any(s <= start and end <= e for s, e in skipped):
                piece = ""  # a site's header or footer says nothing about the story
            self.sentence_stems.append(sorted(_keys_of(piece)))
            words = NORM_RE.findall(piece.lower())
            self.sentence_norms.append(" ".join(words))
            self.sentence_words.append(len(words))
        self.total_words = max(1, sum(self.sentence_words))
        # Per-sentence facts that pair comparisons ask for, filled on first use.
        self._number_styles: dict[int, bool] = {}
        self._numbers: dict[int, list[tuple[int, str, Span]]] = {}
        self._words_of_quote: dict[int, list[str]] = {}

    @cached_property
    def doc(self) -> Document:
        return Document(self.text, structure=(self.paragraphs, self.sentences, self.sentence_paragraph))

    @cached_property
    def wording(self) -> DocumentWording:
        """Every sentence's wording counts and words, for the direction votes (computed once per document)."""
        return DocumentWording.of(self.doc.token_texts, self.doc.token_starts, self.sentence_token_ranges)

    @cached_property
    def sentence_token_ranges(self) -> list[range]:
        """Per sentence, the indices of its tokens in doc.token_texts and doc.token_starts."""
        return self.doc.sentence_token_ranges

    def sentence_texts(self, i: int) -> list[str]:
        """The texts of sentence i's tokens."""
        r = self.sentence_token_ranges[i]
        return self.doc.token_texts[r.start : r.stop]

    def token(self, index: int) -> Token:
        """Token `index` of the document, made on demand (a list of every Token is never built)."""
        text = self.doc.token_texts[index]
        start = self.doc.token_starts[index]
        return Token(start, start + len(text), text)

    @cached_property
    def _name_like_tokens(self) -> list[list[int]]:
        """Per sentence, the indices of its capitalised tokens that _name_like_text accepts, in order."""
        texts = self.doc.token_texts
        # Most tokens are not capitalised: select those in C before any Python test.
        capitalised = compress(range(len(texts)), map(str.isupper, map(itemgetter(0), texts)))
        found: list[list[int]] = [[] for _ in self.sentences]
        sentence, ranges = 0, self.sentence_token_ranges
        for index in capitalised:
            if not _name_like_text(texts[index]):
                continue
            while sentence < len(ranges) and index >= ranges[sentence].stop:
                sentence += 1
            if sentence == len(ranges):
                break
            if index >= ranges[sentence].start:  # a token outside every sentence (none today) is in none
                found[sentence].append(index)
        return found

    @cached_property
    def names(self) -> Counter:
        """Name-like word forms anywhere in the document, with their counts."""
        names: Counter = Counter()
        texts, starts = self.doc.token_texts, self.doc.token_starts
        for span, indices in zip(self.sentences, self._name_like_tokens):
            for index in indices:
                if starts[index] != span.start:  # the first word of a sentence is capitalised anyway
                    names[_name_form(texts[index])] += 1
        return names

    @cached_property
    def lower_words(self) -> set[str]:
        """Words seen in lower case: a "name" also seen lower-cased is a common word."""
        return {t for t in self.doc.token_texts if t[0].islower()}

    @cached_property
    def sentence_names(self) -> list[list[Token]]:
        """Name-like words of each sentence; its first word counts when the document uses it as a name elsewhere."""
        names, texts, starts = self.names, self.doc.token_texts, self.doc.token_starts
        return [
            [self.token(index) for index in indices if starts[index] != span.start or names.get(_name_form(texts[index]), 0) > 0]
            for span, indices in zip(self.sentences, self._name_like_tokens)
        ]

    @cached_property
    def sentence_name_forms(self) -> list[list[str]]:
        """The forms of each sentence's name-like words ("Lin's" -> "Lin"), in order."""
        return [[_name_form(t.text) for t in names] for names in self.sentence_names]

    def number_words_or_ordinals(self, i: int) -> bool:
        """Whether sentence i has a number in words or an ordinal ("seven", "7th"): where a restyle can show."""
        found = self._number_styles.get(i)
        if found is None:
            found = self._number_styles[i] = NUMBER_STYLE_RE.search(self.text, *self.sentences[i]) is not None
        return found

    def sentence_numbers(self, i: int) -> list[tuple[int, str, Span]]:
        """numbers_in() sentence i, once per sentence however many pairs look at it."""
        found = self._numbers.get(i)
        if found is None:
            r = self.sentence_token_ranges[i]
            found = self._numbers[i] = numbers_in(self.doc.token_texts[r.start : r.stop], self.doc.token_starts[r.start : r.stop])
        return found

    @cached_property
    def quotes(self) -> list[Span]:
        """The inside of each quotation."""
        found = []
        for match in QUOTE_RE.finditer(self.text):
            group = next(g for g in (1, 2, 3) if match.group(g) is not None)
            found.append(Span(match.start(group), match.end(group)))
        return found

    @cached_property
    def quote_sentence(self) -> list[int]:
        starts = [s.start for s in self.sentences]
        return [max(0, bisect_right(starts, q.start) - 1) for q in self.quotes]

    def quote_words(self, q: int) -> list[str]:
        """_quote_words of quote q, once per quote however many pairs compare it (the list is shared: not to be changed)."""
        found = self._words_of_quote.get(q)
        if found is None:
            found = self._words_of_quote[q] = _quote_words(self.doc, self.quotes[q])
        return found

    @cached_property
    def sentence_has_number(self) -> list[bool]:
        """Per sentence, whether a story key of it is a number (alignment compares numbers only then)."""
        return [any(stem[0].isdigit() for stem in stems) for stems in self.sentence_stems]

    @cached_property
    def sentence_quotes(self) -> dict[int, list[int]]:
        """The quotes (indices into `quotes`, in order) of each sentence that has any."""
        found: dict[int, list[int]] = {}
        for q, sentence in enumerate(self.quote_sentence):
            found.setdefault(sentence, []).append(q)
        return found


def _boilerplate_spans(text: str, boilerplate: frozenset[int]) -> list[tuple[int, int]]:
    """Character spans of the lines of `text` that are boilerplate (hashes seen in many documents)."""
    spans, position = [], 0
    for line in text.split("\n"):
        words = NORM_RE.findall(line.lower())
        if 0 < len(words) <= BOILERPLATE_MAX_WORDS and _line_hash(" ".join(words)) in boilerplate:
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def prepare(document: Document | str) -> PreparedDocument:
    if isinstance(document, Document):
        return PreparedDocument(document.text, document)
    return PreparedDocument(document)


def _short_lines(text: str) -> Iterable[str]:
    """Normalised short lines: where a site's header, footer and share buttons live."""
    for line in text.split("\n"):
        words = NORM_RE.findall(line.lower())
        if 0 < len(words) <= BOILERPLATE_MAX_WORDS:
            yield " ".join(words)


def _line_hash(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")

