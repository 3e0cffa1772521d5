"""Which documents are copies of which, and what the copy changed.

People who republish or rewrite a story keep its direct quotes word for word. A round trip
through another language does not: it rewords the quotes ("7th time" -> "seventh time"),
respells the names (Haines -> Haynes, Li -> Lee), restyles the numbers, and keeps the
order of the paragraphs. When the original is in the same dump, setting the copy beside
it is the strongest evidence there is, so this module finds the pairs and says how they
differ, with offsets in both texts.

Two stages, so that millions of documents never meet in all pairs:

1. Candidates. Each document becomes a set of *story keys* that survive rewording:
   numbers (with "seventh" and "7th" both read as 7) and 5-letter stems of content words
   and names. A MinHash signature of the set is computed with datasketch's `MinHash`: its
   seeded permutations make signatures from different processes comparable (what
   `--engine dask` needs) and its batch update is vectorised. The signatures are kept in
   one flat buffer (16 bits a permutation, 256 bytes a document) and banded by sorting
   (the LSH trick) when the index is finished. datasketch's `MinHashLSH` was measured
   first and not kept: at 100,000 documents its dict-of-sets buckets took 1.4 GB and 28 s
   just to insert; the sorted bands take a few seconds and tens of megabytes.
2. Verification. Each document's best candidates are aligned sentence by sentence.
   rapidfuzz computes the similarity of every sentence pair in C++ at once
   (`process.cdist` with Indel similarity over sorted stem lists, which is exactly
   their Dice overlap) and its word-level opcodes put a respelled name in the slot of the
   name it replaced (Qin -> "Hata"); jellyfish's phonetic codes say which names sound
   alike (Lin -> "Lynn"). Short lines shared by many documents (a site's header, footer,
   share buttons) are boilerplate and take no part. The alignment gives the relation: a
   verbatim (syndicated) copy, a rewrite, or an independent report of the same event.

Which version of a rewrite is the machine's: the log-odds of three signals, added up —
how each version is written (`DirectionModel`: function-word and punctuation rates,
fitted on WMT human vs machine translations of the same documents), the detector's
document scores when a detector is given, and names spelled two ways on one side only
(one man called Li here and Lee there: that side was translated sentence by sentence).
Reworded quotes and respelled names make the call surer (`Verdict.copy_score`).

`StoryIndex` is what `mtdetect scan` feeds; `compare_documents` / `compare_texts` are the
same analysis for two texts (`mtdetect compare`).
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Mapping

import jellyfish
import numpy as np
from datasketch import MinHash
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from .text import ABBREVIATIONS, TITLES, Document, Span, Token, split_structure

# --- tunables (measured on seeds/ and on WMT human vs machine translations; see scripts/eval_copies.py)

NUM_PERM = 128
BANDS, ROWS = 42, 3  # 126 of the 128 permutations; P(candidate) is 0.68 at Jaccard 0.3, 0.94 at 0.4, 0.0003 at 0.02
MIN_KEYS = 6  # fewer story keys than this is too little to say two documents tell one story
MIN_JACCARD = 0.12  # estimated key overlap a candidate pair needs before it is aligned
MAX_CANDIDATES = 4  # per document, the candidates aligned (best estimated overlap first)
BUCKET_WINDOW = 8  # in a band bucket, each document is paired with the next 8 (all pairs of buckets up to 9)
STEM_LENGTH = 5  # "stabilize" and "stability" share a key; cheap and language-agnostic
MIN_SENTENCE_SIMILARITY = 0.3  # Dice overlap of stems for two sentences to be aligned
STRONG_SENTENCE_SIMILARITY = 0.4  # quotes, names and numbers are compared in such pairs only
VERBATIM_RATIO = 95.0  # rapidfuzz ratio of two normalised sentences that are the same sentence
VERBATIM_SHARE = 0.5  # share of a copy's words in verbatim sentences that makes it a verbatim copy
REWRITE_COVERAGE = 0.5  # share of both documents' words aligned in order that makes a rewrite
STORY_COVERAGE = 0.2  # share of the shorter document aligned for two documents to tell one story
STORY_MIN_SENTENCES = 2
BOILERPLATE_MAX_WORDS = 12  # a line this short that many documents share is a header or a footer
BOILERPLATE_MIN_DOCUMENTS = 5
SAME_TEXT_COVERAGE = 0.75  # both texts this much aligned: two versions of one text, always one story group
NAME_DRIFT_LOG_ODDS = 1.0  # a name spelled two ways on one side only: that side is the machine's, odds e:1
MACHINE_PROBABILITY = 0.5  # a rewrite is called machine-made when its direction is more likely than not
SPEECH_WORDS = 4  # a quote this long is something someone said, not a quoted term or title
FINDING_FACTOR = 0.8  # each reworded quote or respelled name leaves this much of the doubt

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before being below between both
    but by can could did do does doing done down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves said says say told
    according""".split()
)
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
# "one" and "second" are too often not numbers ("one of", "a second look") to key on.
AMBIGUOUS_NUMBER_WORDS = frozenset({"one", "second"})

# A number written in words, or a digit with an ordinal suffix: the only ways a restyle shows.
NUMBER_STYLE_RE = re.compile(
    r"\d(?:st|nd|rd|th)\b|\b(?:" + "|".join(sorted(set(UNITS) | set(TENS) | set(ORDINALS), key=len, reverse=True)) + r")\b", re.IGNORECASE
)
QUOTE_RE = re.compile(r"“([^”\n]{2,}?)”|\"([^\"\n]{2,}?)\"|«([^»\n]{2,}?)»")
POSSESSIVE_RE = re.compile(r"['’][sS]$")
HEADLINE_CHARS = 80

RELATIONS = ("verbatim", "machine_rewritten", "independent")
FEATURES = ("reworded_quote", "respelled_name", "restyled_number", "aligned_paragraphs", "verbatim_share")


# --- evidence -------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyEvidence:
    """What the copy changed (or kept): `copy[start:end]` against `original[original_start:original_end]`."""

    feature: str
    start: int
    end: int
    original_start: int
    original_end: int
    message: str

    def to_dict(self) -> dict:
        return {
            "feature": self.feature,
            "start": self.start,
            "end": self.end,
            "original_start": self.original_start,
            "original_end": self.original_end,
            "message": self.message,
        }


@dataclass(frozen=True)
class _Link:
    """One finding between documents a and b, before we know which one is the copy."""

    feature: str
    a: Span
    b: Span
    a_text: str
    b_text: str
    detail: str = ""
    points_to: str | None = None  # "a" or "b": the side this finding says was rewritten
    changes: tuple[tuple[str, str], ...] = ()  # (words of a, words of b) that differ


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


def _is_name_like(token: Token, sentence_start: int, known: Mapping[str, int] | None = None) -> bool:
    """A capitalised word that is not a courtesy title, a month or a function word.

    The first word of a sentence counts only when `known` (the document's names) has it.
    """
    text = token.text
    if not text[0].isupper() or len(text) < 2:
        return False
    if not any(c.islower() for c in text[1:]):
        return False  # acronyms (GDP, NATO) are not respelled by a round trip
    lower = text.lower()
    if lower.rstrip(".") in TITLES or lower in STOPWORDS or lower in ABBREVIATIONS:
        return False
    if token.start == sentence_start:
        return known is not None and known.get(_name_form(text), 0) > 0
    return True


def _name_form(text: str) -> str:
    return POSSESSIVE_RE.sub("", text)


def _headline(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= HEADLINE_CHARS else line[: HEADLINE_CHARS - 1] + "…"


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

    @cached_property
    def doc(self) -> Document:
        doc = Document(self.text)
        assert doc.sentences == self.sentences, "Document and prepare() split sentences differently"
        return doc

    @cached_property
    def style(self) -> np.ndarray:
        return style_profile(self.doc)

    @cached_property
    def sentence_tokens(self) -> list[list[Token]]:
        return [self.doc.tokens_in(span) for span in self.sentences]

    @cached_property
    def names(self) -> Counter:
        """Name-like word forms anywhere in the document, with their counts."""
        names: Counter = Counter()
        for span, tokens in zip(self.sentences, self.sentence_tokens):
            for token in tokens:
                if token.text[0].isupper() and _is_name_like(token, span.start):
                    names[_name_form(token.text)] += 1
        return names

    @cached_property
    def lower_words(self) -> set[str]:
        """Words seen in lower case: a "name" also seen lower-cased is a common word."""
        return {t.text for t in self.doc.tokens if t.text[0].islower()}

    @cached_property
    def sentence_names(self) -> list[list[Token]]:
        """Name-like words of each sentence; its first word counts when the document uses it as a name elsewhere."""
        names = self.names
        return [
            [t for t in tokens if t.text[0].isupper() and _is_name_like(t, span.start, names)]
            for span, tokens in zip(self.sentences, self.sentence_tokens)
        ]

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


# --- comparing two documents ------------------------------------------------------------


@dataclass
class Comparison:
    """How documents a and b line up, before deciding which one is the copy."""

    a: PreparedDocument
    b: PreparedDocument
    sentence_pairs: list[tuple[int, int, float, bool]]  # (sentence of a, sentence of b, similarity, verbatim)
    paragraph_pairs: list[tuple[int, int, float]]  # (paragraph of a, paragraph of b, similarity)
    coverage_a: float  # share of a's words in sentences aligned with b
    coverage_b: float
    verbatim_a: float  # share of a's words in sentences b has word for word
    verbatim_b: float
    links: list[_Link] = field(default_factory=list)
    kept_quotes: int = 0
    kept_speech: int = 0  # kept quotes of SPEECH_WORDS words or more: what someone said, not a quoted term
    reworded_speech: int = 0

    @property
    def same_story(self) -> bool:
        """At least two sentences line up (one, if it is half of a short text), and they are three
        or more or cover a fifth of the shorter text."""
        n = len(self.sentence_pairs)
        shorter = self.coverage_a if self.a.total_words <= self.b.total_words else self.coverage_b
        return n >= 1 and (shorter >= STORY_COVERAGE or n >= 3) and (n >= STORY_MIN_SENTENCES or shorter >= 0.5)

    @property
    def kind(self) -> str | None:
        """'verbatim', 'rewrite', 'independent', or None when they do not tell one story."""
        if not self.same_story:
            return None
        if max(self.verbatim_a, self.verbatim_b) >= VERBATIM_SHARE:
            return "verbatim"
        if min(self.coverage_a, self.coverage_b) >= REWRITE_COVERAGE:
            return "rewrite"
        return "independent"

    @property
    def strength(self) -> float:
        """How closely the two line up (0..1): the aligned share of both, weighted by similarity."""
        if not self.sentence_pairs:
            return 0.0
        mean = sum(p[2] for p in self.sentence_pairs) / len(self.sentence_pairs)
        return math.sqrt(self.coverage_a * self.coverage_b) * mean

    def votes(self) -> tuple[int, int]:
        """Directional cross-copy signals: (pointing at a as the rewritten one, at b)."""
        toward_a = sum(1 for link in self.links if link.points_to == "a")
        toward_b = sum(1 for link in self.links if link.points_to == "b")
        return toward_a, toward_b


def compare_documents(a: Document | str | PreparedDocument, b: Document | str | PreparedDocument) -> Comparison:
    """Align a and b sentence by sentence and collect what differs between aligned sentences."""
    pa = a if isinstance(a, PreparedDocument) else prepare(a)
    pb = b if isinstance(b, PreparedDocument) else prepare(b)
    pairs = _align(pa, pb)
    aligned: list[tuple[int, int, float, bool]] = []
    for i, j, similarity in pairs:
        verbatim = pa.sentence_norms[i] == pb.sentence_norms[j] or fuzz.ratio(pa.sentence_norms[i], pb.sentence_norms[j], score_cutoff=VERBATIM_RATIO) > 0
        aligned.append((i, j, similarity, verbatim))
    words_a = sum(pa.sentence_words[i] for i, _, _, _ in aligned)
    words_b = sum(pb.sentence_words[j] for _, j, _, _ in aligned)
    verbatim_words_a = sum(pa.sentence_words[i] for i, _, _, v in aligned if v)
    verbatim_words_b = sum(pb.sentence_words[j] for _, j, _, v in aligned if v)
    comparison = Comparison(
        pa,
        pb,
        aligned,
        _paragraph_pairs(pa, pb, aligned),
        words_a / pa.total_words,
        words_b / pb.total_words,
        verbatim_words_a / pa.total_words,
        verbatim_words_b / pb.total_words,
    )
    if comparison.same_story:
        _find_changes(comparison)
    return comparison


def _align(a: PreparedDocument, b: PreparedDocument) -> list[tuple[int, int, float]]:
    """The best order-keeping chain of similar sentence pairs (a weighted longest increasing run)."""
    if not a.sentence_stems or not b.sentence_stems:
        return []
    scores = process.cdist(
        a.sentence_stems, b.sentence_stems, scorer=Indel.normalized_similarity, score_cutoff=MIN_SENTENCE_SIMILARITY, dtype=np.float32
    )
    # Two empty stem lists are "identical" to Indel; a one-key sentence matches too easily.
    # Such sentences align only with their exact twin.
    short_a = [i for i, s in enumerate(a.sentence_stems) if len(s) < 2]
    short_b = [j for j, s in enumerate(b.sentence_stems) if len(s) < 2]
    if short_a or short_b:
        scores[short_a, :] = 0.0
        scores[:, short_b] = 0.0
        where_b: dict[str, list[int]] = {}
        for j in short_b:
            where_b.setdefault(b.sentence_norms[j], []).append(j)
        for i in short_a:
            for j in where_b.get(a.sentence_norms[i], ()) if a.sentence_norms[i] else ():
                scores[i, j] = 1.0
    rows, cols = np.nonzero(scores >= MIN_SENTENCE_SIMILARITY)
    if rows.size == 0:
        return []
    # Weighted increasing chain with a Fenwick tree of prefix maxima over b's sentences:
    # O(k log m) for k similar cells instead of the n x m table.
    m = len(b.sentence_stems)
    tree_value = [0.0] * (m + 1)
    tree_cell = [-1] * (m + 1)
    best_value = [0.0] * rows.size
    back = [-1] * rows.size
    start = 0
    while start < rows.size:
        stop = start
        while stop < rows.size and rows[stop] == rows[start]:
            stop += 1
        for k in range(start, stop):  # query every cell of this row before updating: one cell per row of a
            position, value, cell = int(cols[k]), 0.0, -1
            while position > 0:
                if tree_value[position] > value:
                    value, cell = tree_value[position], tree_cell[position]
                position -= position & -position
            best_value[k] = value + float(scores[rows[k], cols[k]])
            back[k] = cell
        for k in range(start, stop):
            position = int(cols[k]) + 1
            while position <= m:
                if best_value[k] > tree_value[position]:
                    tree_value[position], tree_cell[position] = best_value[k], k
                position += position & -position
        start = stop
    k = max(range(rows.size), key=best_value.__getitem__)
    chain = []
    while k >= 0:
        chain.append((int(rows[k]), int(cols[k]), round(float(scores[rows[k], cols[k]]), 4)))
        k = back[k]
    chain.reverse()
    return chain


def _paragraph_pairs(a: PreparedDocument, b: PreparedDocument, aligned) -> list[tuple[int, int, float]]:
    totals: dict[tuple[int, int], list[float]] = {}
    for i, j, similarity, _ in aligned:
        key = (a.sentence_paragraph[i], b.sentence_paragraph[j])
        totals.setdefault(key, []).append(similarity)
    return [(pa, pb, round(sum(v) / len(v), 4)) for (pa, pb), v in totals.items()]


def _find_changes(comparison: Comparison) -> None:
    """Quotes, names and numbers that differ between strongly aligned sentences."""
    a, b = comparison.a, comparison.b
    used_quotes_a: set[int] = set()
    used_quotes_b: set[int] = set()
    for i, j, similarity, _ in comparison.sentence_pairs:
        if similarity < STRONG_SENTENCE_SIMILARITY or a.sentence_norms[i] == b.sentence_norms[j]:
            continue  # weakly aligned, or the very same words
        _compare_quotes(comparison, i, j, used_quotes_a, used_quotes_b)
        comparison.links.extend(_compare_names(a, b, i, j))
        if _has_number(a.sentence_stems[i]) and _has_number(b.sentence_stems[j]):
            comparison.links.extend(_compare_numbers(a, b, i, j))


def _has_number(stems: list[str]) -> bool:
    return any(stem[0].isdigit() for stem in stems)


def _quote_words(doc: Document, span: Span) -> list[str]:
    """The words of a quotation as written ("7th" stays one word), lower-cased."""
    words: list[str] = []
    previous = None
    for token in doc.tokens_in(span):
        text = token.text.lower().replace("’", "'").replace(".", "")
        if not text[:1].isalnum():
            previous = None
            continue
        if previous is not None and previous.end == token.start and previous.text[0].isdigit() and text in ORDINAL_SUFFIXES:
            words[-1] += text
        else:
            words.append(text)
        previous = token
    return words


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    """Whether `shorter` appears in `longer` as consecutive words (a quote cut short is still kept)."""
    width = len(shorter)
    return any(longer[k : k + width] == shorter for k in range(len(longer) - width + 1))


def _compare_quotes(comparison: Comparison, i: int, j: int, used_a: set[int], used_b: set[int]) -> None:
    a, b = comparison.a, comparison.b
    quotes_a = [q for q, s in enumerate(a.quote_sentence) if s == i and q not in used_a]
    quotes_b = [q for q, s in enumerate(b.quote_sentence) if s == j and q not in used_b]
    if not quotes_a or not quotes_b:
        return
    if len(quotes_a) == len(quotes_b):
        matched = list(zip(quotes_a, quotes_b))
    else:  # pair each quote of the side with fewer with its most similar one on the other side
        matched = []
        free = list(quotes_b)
        for qa in quotes_a:
            text_a = a.text[a.quotes[qa].start : a.quotes[qa].end]
            best = process.extractOne(text_a, [b.text[b.quotes[q].start : b.quotes[q].end] for q in free], scorer=fuzz.token_set_ratio, score_cutoff=50)
            if best is not None:
                matched.append((qa, free.pop(best[2])))
            if not free:
                break
    for qa, qb in matched:
        used_a.add(qa)
        used_b.add(qb)
        span_a, span_b = a.quotes[qa], b.quotes[qb]
        words_a, words_b = _quote_words(a.doc, span_a), _quote_words(b.doc, span_b)
        if not words_a or not words_b:
            continue
        speech = min(len(words_a), len(words_b)) >= SPEECH_WORDS
        if words_a == words_b or _contains_run(words_a, words_b) or _contains_run(words_b, words_a):
            comparison.kept_quotes += 1
            comparison.kept_speech += speech
            continue
        comparison.reworded_speech += speech
        changes = []
        for op in Levenshtein.opcodes(words_a, words_b):
            if op.tag != "equal" and len(changes) < 3:
                changes.append((" ".join(words_a[op.src_start : op.src_end]), " ".join(words_b[op.dest_start : op.dest_end])))
        comparison.links.append(
            _Link(
                "reworded_quote",
                span_a,
                span_b,
                a.text[span_a.start : span_a.end],
                b.text[span_b.start : span_b.end],
                changes=tuple(changes),
            )
        )


def _sounds_alike(x: str, y: str) -> bool:
    """Two spellings of one name: same phonetic code, or letters mostly in the same places."""
    lower_x, lower_y = x.lower(), y.lower()
    if lower_x in lower_y.split("-") or lower_y in lower_x.split("-"):
        return False  # "China" inside "US-China"
    shared = 0
    while shared < min(len(lower_x), len(lower_y)) and lower_x[shared] == lower_y[shared]:
        shared += 1
    if shared >= 3 and shared >= min(len(x), len(y)) - 1:
        return False  # China/Chinese, Russia/Russian: one word inflected, not a name respelled
    if jellyfish.metaphone(x) == jellyfish.metaphone(y):
        return True
    return jellyfish.jaro_winkler_similarity(lower_x, lower_y) >= 0.85 and len(x) >= 4 and len(y) >= 4


def _compare_names(a: PreparedDocument, b: PreparedDocument, i: int, j: int) -> list[_Link]:
    start_a, start_b = a.sentences[i].start, b.sentences[j].start
    tokens_a, tokens_b = a.sentence_tokens[i], b.sentence_tokens[j]
    names_a, names_b = a.sentence_names[i], b.sentence_names[j]
    if not names_a or not names_b:
        return []
    forms_a = {_name_form(t.text) for t in names_a}
    forms_b = {_name_form(t.text) for t in names_b}
    only_a = [t for t in names_a if _name_form(t.text) not in forms_b]
    only_b = [t for t in names_b if _name_form(t.text) not in forms_a]
    if not only_a or not only_b:
        return []
    links: list[_Link] = []
    paired_b: set[int] = set()
    for ta in only_a:
        fa = _name_form(ta.text)
        for tb in only_b:
            fb = _name_form(tb.text)
            if tb.start in paired_b or not _sounds_alike(fa, fb):
                continue
            link = _name_link(a, b, ta, tb, fa, fb, "sounds alike")
            if link is not None:
                links.append(link)
                paired_b.add(tb.start)
                break
    # The same slot of two aligned sentences: "Guesthouse, Qin accepted" / "meeting, Hata accepted".
    words_a = [t.text for t in tokens_a]
    words_b = [t.text for t in tokens_b]
    ops = Levenshtein.opcodes(words_a, words_b)
    for index, op in enumerate(ops):
        if op.tag != "replace" or op.src_end - op.src_start != 1 or op.dest_end - op.dest_start != 1:
            continue
        before = ops[index - 1] if index else None
        after = ops[index + 1] if index + 1 < len(ops) else None
        if not ((before and before.tag == "equal") and (after and after.tag == "equal")):
            continue
        anchors = words_a[before.src_start : before.src_end] + words_a[after.src_start : after.src_end]
        if not any(w[0].isalpha() for w in anchors):
            continue  # "Published: Jun 18" / "Published: Sun 18" is a date, not a name in a sentence
        ta, tb = tokens_a[op.src_start], tokens_b[op.dest_start]
        if tb.start in paired_b or not (_is_name_like(ta, start_a, a.names) and _is_name_like(tb, start_b, b.names)):
            continue
        fa, fb = _name_form(ta.text), _name_form(tb.text)
        if fa.lower() in b.lower_words or fb.lower() in a.lower_words or fb.lower() in b.lower_words:
            continue  # a common word, capitalised in a heading
        link = _name_link(a, b, ta, tb, fa, fb, "same place in the aligned sentence", need_direction=True)
        if link is not None:
            links.append(link)
            paired_b.add(tb.start)
    return links


def _name_link(a, b, ta: Token, tb: Token, fa: str, fb: str, how: str, need_direction: bool = False) -> _Link | None:
    # The side that uses both spellings is the one that drifted: a round trip translates each
    # sentence on its own, so one man comes out as "Li" here and "Lee" there.
    b_mixes = b.names.get(fa, 0) > 0
    a_mixes = a.names.get(fb, 0) > 0
    if a_mixes and b_mixes:
        return None  # both spellings on both sides: two people, not one respelled
    points_to = "b" if b_mixes else "a" if a_mixes else None
    if need_direction and points_to is None:
        return None
    return _Link("respelled_name", Span(ta.start, ta.end), Span(tb.start, tb.end), ta.text, tb.text, how, points_to)


def _numbers(doc: Document, tokens: list[Token]) -> list[tuple[int, str, Span]]:
    """(value, style, span) of each number: style is 'digits', 'ordinal digits' or 'words'."""
    found = []
    for index, token in enumerate(tokens):
        text = token.text
        if text[0].isdigit() and text.isdigit():
            end, style = token.end, "digits"
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following.start == token.end and following.text.lower() in ORDINAL_SUFFIXES:
                end, style = following.end, "ordinal digits"
            found.append((int(text), style, Span(token.start, end)))
        elif text[0].isalpha():
            lower = text.lower()
            value = _number_value(lower)
            if value is not None and lower not in AMBIGUOUS_NUMBER_WORDS:
                found.append((value, "words", Span(token.start, token.end)))
            elif "-" in lower:  # seven-and-a-half
                offset = token.start
                for part in lower.split("-"):
                    value = _number_value(part)
                    if value is not None and part not in AMBIGUOUS_NUMBER_WORDS:
                        found.append((value, "words", Span(offset, offset + len(part))))
                    offset += len(part) + 1
    return found


def _compare_numbers(a: PreparedDocument, b: PreparedDocument, i: int, j: int) -> list[_Link]:
    sentence_a, sentence_b = a.sentences[i], b.sentences[j]
    if not (NUMBER_STYLE_RE.search(a.text, *sentence_a) or NUMBER_STYLE_RE.search(b.text, *sentence_b)):
        return []  # digits on both sides, written alike: nothing was restyled
    numbers_a = _numbers(a.doc, a.sentence_tokens[i])
    numbers_b = _numbers(b.doc, b.sentence_tokens[j])
    links = []
    styles_b: dict[int, tuple[str, Span]] = {}
    for value, style, span in numbers_b:
        styles_b.setdefault(value, (style, span))
    styles_a = {value: style for value, style, _ in numbers_a}
    for value, style, span in numbers_a:
        if value not in styles_b:
            continue
        style_b, span_b = styles_b[value]
        if style_b != style and {v for v, s, _ in numbers_b if v == value and s == style} == set() and style_b != styles_a.get(value, style):
            links.append(_Link("restyled_number", span, span_b, a.text[span.start : span.end], b.text[span_b.start : span_b.end], f"{style}/{style_b}"))
            del styles_b[value]
    return links


# --- which of two versions reads like machine output ------------------------------------------

# Two versions of one text say the same thing, so how they say it is what differs: machine
# output uses function words and punctuation at other rates than people do (more "the" and
# commas, fewer contractions, shorter words). A linear model over the difference of these
# rates, fitted by scripts/eval_copies.py on WMT human vs machine translations of the same
# documents, gives the log-odds that the second version is the machine's. It is antisymmetric
# (no intercept), so swapping the two versions flips the sign.
STYLE_WORDS = tuple(
    """the a an of to in on at for with by from as and or but that this these those it its is are was were be
    been has have had will would can could should may might must not no he she they we you i his her their our
    your my me him them us who which what when where there here than then so if also very more most some any all
    such only just about after before over into out up""".split()
)
STYLE_MARKS = (",", ".", '"', "“", "”", "(", ":", ";", "-", "—", "?", "!", "'", "’")
STYLE_STATISTICS = ("log_words", "distinct_words", "word_length", "contractions", "capitalised", "numbers")
LOG_WORDS = len(STYLE_WORDS) + len(STYLE_MARKS)  # where log_words sits in a profile
DIRECTION_MODEL_FILE = "copy_direction.json"


def style_feature_names() -> list[str]:
    return [f"word:{w}" for w in STYLE_WORDS] + [f"mark:{m}" for m in STYLE_MARKS] + [f"stat:{s}" for s in STYLE_STATISTICS]


def style_profile(doc: Document) -> np.ndarray:
    """Rates per word of function words and punctuation marks, and a few length statistics."""
    counts: Counter = Counter()
    words = 0
    letters = 0
    contractions = capitalised = numbers = 0
    distinct: set[str] = set()
    for token in doc.tokens:
        text = token.text
        first = text[0]
        if first.isalpha():
            lower = text.lower()
            counts[lower] += 1
            distinct.add(lower)
            words += 1
            letters += len(text)
            contractions += "'" in text or "’" in text
            capitalised += first.isupper()
        elif first.isdigit():
            numbers += 1
        else:
            counts[text] += 1
    n = max(1, words)
    row = [counts[w] / n for w in STYLE_WORDS] + [counts[m] / n for m in STYLE_MARKS]
    row += [math.log(n), len(distinct) / n, letters / n, contractions / n, capitalised / n, numbers / n]
    return np.asarray(row, dtype=float)


def style_difference(profile_a: np.ndarray, profile_b: np.ndarray) -> np.ndarray:
    """profile(b) - profile(a), times the square root of the shorter one's word count.

    A difference of rates over n words is n times more certain than over one, and its
    noise shrinks as 1/sqrt(n): scaled so, a long article's small but steady difference
    counts for more than a tweet's large, accidental one (measured: 93 % against 92 % of
    direction right on 400+ word pairs, 87 % against 84 % among the confident ones).
    """
    words = math.exp(min(profile_a[LOG_WORDS], profile_b[LOG_WORDS]))
    return (profile_b - profile_a) * math.sqrt(words)


@dataclass
class DirectionModel:
    """Log-odds that version b, not a, is the machine's: weights . style_difference(a, b) / scale."""

    features: list[str]
    scale: np.ndarray
    weights: np.ndarray
    card: dict = field(default_factory=dict)

    def log_odds(self, profile_a: np.ndarray, profile_b: np.ndarray) -> float:
        return float(np.dot(self.weights, style_difference(profile_a, profile_b) / self.scale))

    def to_dict(self) -> dict:
        return dict(self.card, features=self.features, scale=[float(x) for x in self.scale], weights=[float(x) for x in self.weights])

    @classmethod
    def fit(cls, pairs: Iterable[tuple[np.ndarray, np.ndarray]], c: float = 0.3, card: dict | None = None) -> "DirectionModel":
        """Fit on (human profile, machine profile) pairs of the same text: logistic regression
        without intercept on both orders of their difference, so the model is antisymmetric."""
        from sklearn.linear_model import LogisticRegression

        differences = np.array([style_difference(human, machine) for human, machine in pairs])
        x = np.vstack([differences, -differences])
        y = np.r_[np.ones(len(differences)), np.zeros(len(differences))]
        scale = x.std(axis=0) + 1e-9
        classifier = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(x / scale, y)
        return cls(style_feature_names(), scale, classifier.coef_[0], dict(card or {}))

    @classmethod
    def from_dict(cls, data: Mapping) -> "DirectionModel":
        features = list(data["features"])
        if features != style_feature_names():
            raise ValueError("the direction model was fitted on other style features; refit it with scripts/eval_copies.py --fit-direction")
        card = {k: v for k, v in data.items() if k not in ("features", "scale", "weights")}
        return cls(features, np.asarray(data["scale"], dtype=float), np.asarray(data["weights"], dtype=float), card)


_BUNDLED_DIRECTION: list = []


def bundled_direction_model() -> DirectionModel | None:
    """The direction model shipped beside the detector (models/copy_direction.json), if any."""
    if not _BUNDLED_DIRECTION:
        import json

        from .model import bundled_model_dir

        path = bundled_model_dir() / DIRECTION_MODEL_FILE
        try:
            _BUNDLED_DIRECTION.append(DirectionModel.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError):
            _BUNDLED_DIRECTION.append(None)
    return _BUNDLED_DIRECTION[0]


# --- deciding which is the copy -----------------------------------------------------------


@dataclass
class Verdict:
    """The relation of a compared pair, oriented: `copy` is "a" or "b", None for independent reports."""

    relation: str | None  # one of RELATIONS, or None when the two do not tell one story
    copy: str | None
    log_odds: float  # that b (not a) is the machine's version: style + detector + name drift
    probability: float  # that the side called the copy is the machine's version
    score_a: float | None
    score_b: float | None
    reasons: list[str]
    findings: int = 0  # reworded quotes and respelled names

    @property
    def original(self) -> str | None:
        return None if self.copy is None else ("a" if self.copy == "b" else "b")

    @property
    def copy_score(self) -> float:
        """How sure the pair makes us that the copy is machine-rewritten (0 unless it is called so).

        The direction's probability, raised by every reworded quote and respelled name (what a
        person copying a story does not do), and never below the detector's own score.
        """
        if self.relation != "machine_rewritten":
            return 0.0
        detector = (self.score_b if self.copy == "b" else self.score_a) or 0.0
        combined = 1.0 - (1.0 - self.probability) * FINDING_FACTOR ** min(self.findings, 10)
        return min(0.99, max(detector, combined))


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def decide(
    comparison: Comparison,
    score_a: float | None = None,
    score_b: float | None = None,
    threshold: float = 0.5,
    a_first: bool = True,
    direction: DirectionModel | None = None,
) -> Verdict:
    """Relation and direction of a compared pair.

    `score_a`/`score_b` are the detector's document scores (None without a detector);
    `direction` compares how the two versions are written; `a_first` says a was seen
    first, which settles who copied whom between verbatim twins.
    """
    kind = comparison.kind
    if kind is None:
        lined_up = len(comparison.sentence_pairs)
        return Verdict(None, None, 0.0, 0.0, score_a, score_b, [f"only {lined_up} sentence(s) line up: too little to say they tell one story"])
    toward_a, toward_b = comparison.votes()
    # Only a rewrite needs to know which version reads like the machine's.
    style = 0.0 if direction is None or kind != "rewrite" else direction.log_odds(comparison.a.style, comparison.b.style)
    detector = 0.0 if score_a is None or score_b is None else _logit(score_b) - _logit(score_a)
    log_odds = style + detector + NAME_DRIFT_LOG_ODDS * (toward_b - toward_a)  # > 0: b is the machine's
    reworded = sum(1 for link in comparison.links if link.feature == "reworded_quote")
    respelled = sum(1 for link in comparison.links if link.feature == "respelled_name")
    if kind == "verbatim":
        # The side more fully found in the other is the copy (a republisher trims); twins: the later one.
        if abs(comparison.verbatim_a - comparison.verbatim_b) > 0.1:
            copy = "a" if comparison.verbatim_a > comparison.verbatim_b else "b"
        else:
            copy = "b" if a_first else "a"
        share = max(comparison.verbatim_a, comparison.verbatim_b)
        reasons = [f"{share:.0%} of the copy is word for word in the other text"]
        return Verdict("verbatim", copy, log_odds, 0.0, score_a, score_b, reasons)
    if kind == "independent":
        reasons = [f"tells the same story, but only {min(comparison.coverage_a, comparison.coverage_b):.0%} of it lines up sentence by sentence"]
        return Verdict("independent", None, log_odds, 0.0, score_a, score_b, reasons)
    copy = "b" if log_odds > 0 or (log_odds == 0 and a_first) else "a"
    probability = _sigmoid(abs(log_odds))
    copy_detector = score_b if copy == "b" else score_a
    drift = toward_b if copy == "b" else toward_a
    reasons = [
        f"{min(comparison.coverage_a, comparison.coverage_b):.0%} of both texts lines up sentence by sentence, in order, "
        f"but only {max(comparison.verbatim_a, comparison.verbatim_b):.0%} word for word"
    ]
    if direction is not None:
        reasons.append(f"function words and punctuation say {'this' if style * (1 if copy == 'b' else -1) > 0 else 'the other'} version is the machine's (log-odds {abs(style):.1f})")
    if score_a is not None and score_b is not None:
        other = score_a if copy == "b" else score_b
        reasons.append(f"detector score {copy_detector:.2f} against {other:.2f} for the other text")
    if reworded or respelled:
        reasons.append(f"{reworded} quote(s) reworded and {respelled} name(s) respelled")
    if drift:
        reasons.append(f"{drift} name(s) spelled two ways on the copy's side only")
    machine = (
        probability >= MACHINE_PROBABILITY
        or drift > 0
        or (copy_detector is not None and copy_detector >= threshold and log_odds != 0)
    )
    if comparison.kept_speech >= 2 and comparison.kept_speech > comparison.reworded_speech and not drift:
        # The first signal of all: a person rewriting a story keeps what people said word for word.
        reasons.append(
            f"{comparison.kept_speech} quoted statement(s) kept word for word against {comparison.reworded_speech} reworded: a person's rewrite"
        )
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled)
    if not machine:
        reasons.append(f"a rewrite, but neither version reads clearly as the machine's (probability {probability:.2f})")
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled)
    return Verdict("machine_rewritten", copy, log_odds, probability, score_a, score_b, reasons, reworded + respelled)


def copy_evidence(comparison: Comparison, verdict: Verdict, copy: str | None = None) -> list[CopyEvidence]:
    """The evidence for the copy side (`copy` "a"/"b"; default the verdict's copy, else "b")."""
    side = copy or verdict.copy or "b"
    copy_doc = comparison.b if side == "b" else comparison.a
    original_doc = comparison.a if side == "b" else comparison.b
    items: list[CopyEvidence] = []
    for link in comparison.links:
        if verdict.relation == "independent" and link.feature != "reworded_quote":
            continue  # independent reports differ everywhere; only a quote told two ways is worth showing
        cspan, ospan = (link.b, link.a) if side == "b" else (link.a, link.b)
        ctext, otext = (link.b_text, link.a_text) if side == "b" else (link.a_text, link.b_text)
        items.append(CopyEvidence(link.feature, cspan.start, cspan.end, ospan.start, ospan.end, _message(link, ctext, otext, side)))
    # Runs of paragraphs that follow the other text's paragraphs one for one, in order.
    for (first_c, first_o), (last_c, last_o), similarity in _paragraph_runs(comparison.paragraph_pairs, side):
        cspan = Span(copy_doc.paragraphs[first_c].start, copy_doc.paragraphs[last_c].end)
        ospan = Span(original_doc.paragraphs[first_o].start, original_doc.paragraphs[last_o].end)
        if first_c == last_c:
            what = f"paragraph {first_c + 1} says what paragraph {first_o + 1} of the other text says"
        else:
            what = f"paragraphs {first_c + 1}-{last_c + 1} follow paragraphs {first_o + 1}-{last_o + 1} of the other text one for one, in order"
        items.append(CopyEvidence("aligned_paragraphs", cspan.start, cspan.end, ospan.start, ospan.end, f"{what} ({similarity:.0%} of the content words shared)"))
    share = comparison.verbatim_b if side == "b" else comparison.verbatim_a
    for run in _verbatim_runs(comparison, side):
        (cs, ce), (os_, oe) = run
        items.append(
            CopyEvidence(
                "verbatim_share",
                cs,
                ce,
                os_,
                oe,
                f"copied word for word ({share:.0%} of this text is found word for word in the other)",
            )
        )
    items.sort(key=lambda e: (e.start, e.end, e.feature))
    return items


def _paragraph_runs(pairs: list[tuple[int, int, float]], side: str):
    """((first copy paragraph, first original paragraph), (last, last), mean similarity) per run."""
    runs: list[list] = []
    for pa, pb, similarity in pairs:
        c, o = (pb, pa) if side == "b" else (pa, pb)
        if runs and c == runs[-1][1][0] + 1 and o == runs[-1][1][1] + 1:
            runs[-1][1] = (c, o)
            runs[-1][2].append(similarity)
        else:
            runs.append([(c, o), (c, o), [similarity]])
    return [(first, last, sum(values) / len(values)) for first, last, values in runs]


def _verbatim_runs(comparison: Comparison, side: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    runs = []
    copy_doc = comparison.b if side == "b" else comparison.a
    original_doc = comparison.a if side == "b" else comparison.b
    current = None
    for i, j, _, verbatim in comparison.sentence_pairs:
        ci, oi = (j, i) if side == "b" else (i, j)
        if not verbatim:
            current = None
            continue
        cs, os_ = copy_doc.sentences[ci], original_doc.sentences[oi]
        if current is not None and current[0] == ci - 1 and current[1] == oi - 1:
            runs[-1] = ((runs[-1][0][0], cs.end), (runs[-1][1][0], os_.end))
        else:
            runs.append(((cs.start, cs.end), (os_.start, os_.end)))
        current = (ci, oi)
    return runs


def _message(link: _Link, copy_text: str, original_text: str, side: str) -> str:
    if link.feature == "reworded_quote":
        described = []
        for words_a, words_b in link.changes:
            new, old = (words_b, words_a) if side == "b" else (words_a, words_b)
            if new and old:
                described.append(f"{new!r} for {old!r}")
            elif new:
                described.append(f"{new!r} added")
            else:
                described.append(f"{old!r} dropped")
        changes = "; ".join(described)
        return (
            f"quote reworded ({_short(changes, 120)}): whoever republishes or rewrites a story keeps direct quotes word "
            f"for word; a round trip through another language does not"
        )
    if link.feature == "respelled_name":
        why = "sounds like it" if link.detail == "sounds alike" else "stands in the same place of the aligned sentence"
        drift = ""
        if link.points_to == side:
            drift = f", and this text also writes {original_text!r} elsewhere"
        return f"{copy_text!r} where the other text has {original_text!r} ({why}{drift}): a round trip respells names"
    if link.feature == "restyled_number":
        return f"{copy_text!r} where the other text writes {original_text!r}: the number was restyled"
    return link.detail


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the index ------------------------------------------------------------------------------


_PERMUTATIONS = None


def _minhash() -> MinHash:
    """A fresh MinHash sharing one set of permutations (building them is the slow part)."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
    return MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme="affine32")


@dataclass(frozen=True)
class StorySignature:
    """What the index keeps of a document: small and picklable, so workers can compute it."""

    minhash: np.ndarray  # uint16[NUM_PERM]: the low 16 bits of each MinHash value
    keys: int  # how many story keys the document has
    headline: str
    short_lines: np.ndarray  # uint64 hashes of the document's short lines, to find boilerplate


def story_signature(document: Document | str) -> StorySignature:
    """The MinHash of a document's story keys; reads the text with one regular expression."""
    text = document.text if isinstance(document, Document) else document
    keys = _keys_of(text)
    minhash = _minhash()
    if keys:
        minhash.update_batch([k.encode("utf-8") for k in keys])
    # 16 bits keep the estimate of overlap exact to 1/65536 and halve the memory.
    values = (np.asarray(minhash.hashvalues, dtype=np.uint32) & 0xFFFF).astype(np.uint16)
    lines = np.fromiter({_line_hash(norm) for norm in _short_lines(text)}, dtype=np.uint64)
    return StorySignature(values, len(keys), _headline(text), lines)


def _short_lines(text: str) -> Iterable[str]:
    """Normalised short lines: where a site's header, footer and share buttons live."""
    for line in text.split("\n"):
        words = NORM_RE.findall(line.lower())
        if 0 < len(words) <= BOILERPLATE_MAX_WORDS:
            yield " ".join(words)


def _line_hash(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class CopyReport:
    """Per document: copy_of, relation, copy_evidence, group (+ compared_with, copy_score); and the groups."""

    documents: dict[str, dict]
    groups: list[dict]
    stats: dict


def adjusted_score(detector_score: float, copy_result: Mapping | None) -> float:
    """The document score once cross-copy evidence is in: a machine-rewritten copy (or a verbatim
    republication of one) scores at least its copy score; nothing else changes."""
    if not copy_result:
        return detector_score
    return max(detector_score, float(copy_result.get("copy_score") or 0.0))


def _locality_order(first: np.ndarray, second: np.ndarray, n: int) -> list[int]:
    """An order of the candidate pairs that keeps the documents being aligned few at a time.

    Documents are numbered along a reverse Cuthill-McKee ordering of the candidate graph
    (neighbours get near numbers), and pairs are taken by their numbers: the prepared
    documents in the cache are then reused instead of being prepared again.
    """
    if first.size == 0:
        return []
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    graph = coo_matrix((np.ones(first.size, dtype=np.int8), (first, second)), shape=(n, n)).tocsr()
    rank = np.empty(n, dtype=np.int64)
    rank[reverse_cuthill_mckee(graph, symmetric_mode=False)] = np.arange(n)
    low = np.minimum(rank[first], rank[second])
    high = np.maximum(rank[first], rank[second])
    return np.lexsort((high, low)).tolist()


# A document is a copy if any pair says so; else an original if any pair says so; else independent.
# Within a role, the closest (best aligned) counterpart wins.
_ROLE_RANK = {"copy": 2, "original": 1, "independent": 0}


@dataclass
class _Closest:
    rank: tuple[int, float]
    other: int
    relation: str
    copy_score: float
    evidence: list[dict]


class StoryIndex:
    """Story groups and copy relations over a stream of documents, in bounded memory.

        index = StoryIndex(detector=detector)
        for id, text in documents:
            index.add(id, text, machine_score=score)   # score: the detector's, if already computed
        report = index.finish()
        report.documents[id]  # {"copy_of", "relation", "copy_evidence", "group", "compared_with", "copy_score"}
        report.groups         # one row per story group

    Relations: "machine_rewritten" or "verbatim" (then `copy_of` names the closest original),
    "original" (others copy it), "independent" (same story, told apart), or None. A document
    that is a copy in any pair is reported as a copy of its best-aligned original.

    With dask, compute `story_signature(text)` on the workers (it is small and picklable) and
    call `add_signature(id, signature, machine_score)` here; give `fetch(id) -> text` so the
    few documents that are aligned are re-read instead of kept. Memory per document: the
    MinHash (256 bytes), a headline, the hashes of its short lines and, without `fetch`, its
    zlib-compressed text. Measured on 100,000 generated documents: 53 MB held with fetch,
    92 MB without; 3-5 minutes on one core (scripts/bench_copies.py).
    """

    def __init__(
        self,
        detector=None,
        threshold: float | None = None,
        direction: DirectionModel | None | str = "bundled",
        fetch: Callable[[str], str] | None = None,
        max_candidates: int = MAX_CANDIDATES,
        min_jaccard: float = MIN_JACCARD,
        cache_size: int = 1024,
    ) -> None:
        self.detector = detector
        # The detector's flagging threshold; give it when scores come with add() and no detector.
        self.threshold = threshold if threshold is not None else getattr(detector, "threshold", 0.5)
        self.direction = _resolve_direction(direction)
        self.fetch = fetch
        self.max_candidates = max_candidates
        self.min_jaccard = min_jaccard
        self.cache_size = cache_size
        self.ids_: list[str] = []
        self._position: dict[str, int] = {}
        # Flat buffers, not per-document objects: a Python object costs more than the data.
        self._signatures = bytearray()  # NUM_PERM uint16 per document
        self._short_lines = bytearray()  # uint64 hashes, each document's distinct short lines once
        self._boilerplate: frozenset[int] = frozenset()
        self._keys = array("I")
        self._scores = array("d")  # NaN: not known yet
        self._headlines: list[str] = []
        self._texts: list[bytes] = []
        self._prepared: OrderedDict[int, PreparedDocument] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids_)

    def memory_bytes(self) -> int:
        """About how much the index holds now (signatures, keys, scores, headlines, ids, texts)."""
        strings = sum(sys.getsizeof(h) for h in self._headlines) + sum(sys.getsizeof(i) for i in self.ids_)
        texts = sum(sys.getsizeof(t) for t in self._texts)
        containers = sys.getsizeof(self.ids_) + sys.getsizeof(self._headlines) + sys.getsizeof(self._texts) + sys.getsizeof(self._position)
        return len(self._signatures) + len(self._short_lines) + self._keys.itemsize * len(self._keys) + self._scores.itemsize * len(self._scores) + strings + texts + containers

    def add(self, id: str, text: str | Document, machine_score: float | None = None) -> None:
        """Index one document; `machine_score` is the detector's document score if already known."""
        raw = text.text if isinstance(text, Document) else text
        self.add_signature(id, story_signature(raw), machine_score, raw)

    def add_signature(self, id: str, signature: StorySignature, machine_score: float | None = None, text: str | None = None) -> None:
        if id in self._position:
            raise ValueError(f"document id {id!r} was added twice; ids must be unique")
        self._position[id] = len(self.ids_)
        self.ids_.append(id)
        self._signatures += np.asarray(signature.minhash, dtype=np.uint16).tobytes()
        self._short_lines += np.asarray(signature.short_lines, dtype=np.uint64).tobytes()
        self._keys.append(signature.keys)
        self._headlines.append(signature.headline)
        self._scores.append(float("nan") if machine_score is None else float(machine_score))
        if self.fetch is None:
            if text is None:
                raise ValueError("add_signature needs the text when the index has no fetch callback")
            self._texts.append(zlib.compress(text.encode("utf-8"), 6))

    # -- stage 1: candidates

    def candidate_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, estimated Jaccard) of the pairs worth aligning, at most `max_candidates` per document."""
        n = len(self.ids_)
        if n < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        signatures = np.frombuffer(bytes(self._signatures), dtype=np.uint16).reshape(n, NUM_PERM)
        usable = np.flatnonzero(np.asarray(self._keys) >= MIN_KEYS)
        all_codes = []
        for band in range(BANDS):
            columns = signatures[usable, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
            band_key = (columns[:, 0] << np.uint64(32)) | (columns[:, 1] << np.uint64(16)) | columns[:, 2]
            order = np.argsort(band_key, kind="stable")
            sorted_keys = band_key[order]
            members = usable[order].astype(np.int64)
            # Each document meets the next BUCKET_WINDOW documents of its bucket: every pair in a
            # small bucket, a connected band of pairs in a large one (near-duplicate clusters,
            # boilerplate), never the square of a bucket's size.
            band_codes = []
            for step in range(1, BUCKET_WINDOW + 1):
                same = np.flatnonzero(sorted_keys[step:] == sorted_keys[:-step])
                if same.size == 0:
                    break
                x, y = members[same], members[same + step]
                band_codes.append(np.minimum(x, y) * n + np.maximum(x, y))
            if band_codes:
                all_codes.append(np.unique(np.concatenate(band_codes)))
        codes = np.unique(np.concatenate(all_codes)) if all_codes else np.zeros(0, dtype=np.int64)
        first, second = codes // n, codes % n
        similarity = np.empty(codes.size)
        for chunk in range(0, codes.size, 200_000):
            x, y = first[chunk : chunk + 200_000], second[chunk : chunk + 200_000]
            similarity[chunk : chunk + 200_000] = (signatures[x] == signatures[y]).mean(axis=1)
        keep = similarity >= self.min_jaccard
        first, second, similarity = first[keep], second[keep], similarity[keep]
        # At most max_candidates per document, best first; a pair stays if either end wants it.
        order = np.argsort(-similarity, kind="stable")
        taken = np.zeros(n, dtype=np.int32)
        chosen = []
        for k in order.tolist():
            x, y = first[k], second[k]
            if taken[x] < self.max_candidates or taken[y] < self.max_candidates:
                taken[x] += 1
                taken[y] += 1
                chosen.append(k)
        chosen = np.asarray(sorted(chosen, key=lambda k: (first[k], second[k])), dtype=np.int64)
        if chosen.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return first[chosen], second[chosen], similarity[chosen]

    def boilerplate_hashes(self) -> frozenset[int]:
        """Short lines found in at least BOILERPLATE_MIN_DOCUMENTS documents: not part of any story."""
        hashes = np.frombuffer(bytes(self._short_lines), dtype=np.uint64)
        if hashes.size == 0:
            return frozenset()
        values, counts = np.unique(hashes, return_counts=True)
        return frozenset(values[counts >= BOILERPLATE_MIN_DOCUMENTS].tolist())

    # -- stage 2: verification

    def _text(self, position: int) -> str:
        if self.fetch is not None:
            return self.fetch(self.ids_[position])
        return zlib.decompress(self._texts[position]).decode("utf-8")

    def _prepare(self, position: int) -> PreparedDocument:
        prepared = self._prepared.get(position)
        if prepared is None:
            prepared = PreparedDocument(self._text(position), boilerplate=self._boilerplate)
            self._prepared[position] = prepared
            if len(self._prepared) > self.cache_size:
                self._prepared.popitem(last=False)
        else:
            self._prepared.move_to_end(position)
        return prepared

    def _score(self, position: int) -> float | None:
        score = self._scores[position]
        if math.isnan(score):
            if self.detector is None:
                return None
            score = float(self.detector.score_document(self._prepare(position).doc)["score"])
            self._scores[position] = score
        return score

    def finish(self, progress: Callable[[int], None] | None = None) -> CopyReport:
        """Align the candidate pairs and settle every document's relation and story group."""
        first, second, similarity = self.candidate_pairs()
        n = len(self.ids_)
        self._boilerplate = self.boilerplate_hashes()
        self._prepared.clear()
        parent = list(range(n))

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def join(x: int, y: int) -> None:
            rx, ry = root(x), root(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)

        order = _locality_order(first, second, n)
        # Only the closest pair of each document is kept, with its evidence: never all comparisons.
        best: dict[int, _Closest] = {}
        verified = 0
        for k in order:
            x, y = int(first[k]), int(second[k])
            comparison = compare_documents(self._prepare(x), self._prepare(y))
            if progress is not None:
                progress(1)
            kind = comparison.kind
            if kind is None:
                continue
            verified += 1
            if kind in ("verbatim", "rewrite") and min(comparison.coverage_a, comparison.coverage_b) >= SAME_TEXT_COVERAGE:
                join(x, y)  # two versions of one whole text: always one story
            score_x = score_y = None
            if kind == "rewrite":
                score_x, score_y = self._score(x), self._score(y)
            verdict = decide(comparison, score_x, score_y, self.threshold, a_first=x < y, direction=self.direction)
            strength = comparison.strength
            for position, other, side in ((x, y, "a"), (y, x, "b")):
                if verdict.copy is None:
                    role = "independent"
                else:
                    role = "copy" if verdict.copy == side else "original"
                closest = best.get(position)
                rank = (_ROLE_RANK[role], strength)
                if closest is None or rank > closest.rank:
                    evidence = [] if role == "original" else [e.to_dict() for e in copy_evidence(comparison, verdict, side)]
                    relation = verdict.relation if role == "copy" else role
                    best[position] = _Closest(rank, other, relation, round(verdict.copy_score, 4) if role == "copy" else 0.0, evidence)

        # A partial copy, an aggregator page or an independent report joins the story of its closest
        # counterpart only: one link per document, so a page quoting two stories never merges them.
        for position, closest in best.items():
            if closest.relation != "original":
                join(position, closest.other)
        documents: dict[str, dict] = {}
        group_of_root: dict[int, int] = {}
        sizes = Counter(root(p) for p in range(n))
        for position, id in enumerate(self.ids_):
            r = root(position)
            group = group_of_root.setdefault(r, len(group_of_root) + 1) if sizes[r] > 1 else None
            result = {"copy_of": None, "relation": None, "copy_evidence": [], "group": group, "compared_with": None, "copy_score": 0.0}
            closest = best.get(position)
            if closest is not None:
                other = self.ids_[closest.other]
                result.update(relation=closest.relation, compared_with=other, copy_evidence=closest.evidence, copy_score=closest.copy_score)
                if closest.relation in ("verbatim", "machine_rewritten"):
                    result["copy_of"] = other
            documents[id] = result
        # A verbatim republication of a machine-rewritten copy is machine-made too.
        for result in documents.values():
            if result["relation"] == "verbatim":
                source = documents[result["copy_of"]]
                if source["relation"] == "machine_rewritten":
                    result["copy_score"] = source["copy_score"]
        groups = self._groups(documents)
        stats = {"documents": n, "candidate_pairs": int(first.size), "verified_pairs": verified, "groups": len(groups)}
        return CopyReport(documents, groups, stats)

    def _groups(self, documents: dict[str, dict]) -> list[dict]:
        members: dict[int, list[int]] = {}
        for position in range(len(self.ids_)):
            group = documents[self.ids_[position]]["group"]
            if group is not None:
                members.setdefault(group, []).append(position)
        rows = []
        for group, positions in sorted(members.items()):
            relations = Counter(documents[self.ids_[p]]["relation"] for p in positions)
            originals = [p for p in positions if documents[self.ids_[p]]["relation"] == "original"]
            lead = originals[0] if originals else positions[0]
            rows.append(
                {
                    "group": group,
                    "size": len(positions),
                    "original": self.ids_[originals[0]] if originals else None,
                    "machine_rewritten": relations.get("machine_rewritten", 0),
                    "verbatim": relations.get("verbatim", 0),
                    "independent": relations.get("independent", 0),
                    "headline": self._headlines[lead],
                    "members": [self.ids_[p] for p in positions],
                }
            )
        return rows


def render_group_table(groups: Iterable[Mapping], width: int = 100) -> str:
    """The closing table of story groups, as plain text."""
    rows = list(groups)
    if not rows:
        return "No story groups: no two documents tell the same story."
    header = f"{'group':>5}  {'size':>4}  {'machine':>7}  {'verbatim':>8}  {'indep.':>6}  {'original':<20}  headline"
    lines = [header]
    for row in rows:
        head = f"{row['group']:>5}  {row['size']:>4}  {row['machine_rewritten']:>7}  {row['verbatim']:>8}  {row['independent']:>6}  {_short(str(row['original'] or '-'), 20):<20}  "
        lines.append(head + _short(row["headline"], max(10, width - len(head))))
    return "\n".join(lines)


def _resolve_direction(direction: DirectionModel | None | str) -> DirectionModel | None:
    if direction == "bundled":
        return bundled_direction_model()
    if direction is None or isinstance(direction, DirectionModel):
        return direction
    raise ValueError(f"direction must be a DirectionModel, None or 'bundled', not {direction!r}")


def compare_texts(
    text_a: str, text_b: str, detector=None, id_a: str = "A", id_b: str = "B", direction: DirectionModel | None | str = "bundled"
) -> dict:
    """The `mtdetect compare` analysis of two texts, as a JSON-ready dict."""
    comparison = compare_documents(text_a, text_b)
    score_a = score_b = None
    if detector is not None:
        score_a = float(detector.score_document(comparison.a.doc)["score"])
        score_b = float(detector.score_document(comparison.b.doc)["score"])
    threshold = getattr(detector, "threshold", 0.5)
    verdict = decide(comparison, score_a, score_b, threshold, direction=_resolve_direction(direction))
    side = verdict.copy or "b"
    ids = {"a": id_a, "b": id_b}
    return {
        "a": id_a,
        "b": id_b,
        "relation": verdict.relation,
        "copy": ids[verdict.copy] if verdict.copy else None,
        "copy_side": verdict.copy,  # "a", "b" or None
        "copy_of": ids[verdict.original] if verdict.original else None,
        "score_a": None if score_a is None else round(score_a, 4),
        "score_b": None if score_b is None else round(score_b, 4),
        "copy_score": round(verdict.copy_score, 4),
        "probability": round(verdict.probability, 4),
        "coverage_a": round(comparison.coverage_a, 4),
        "coverage_b": round(comparison.coverage_b, 4),
        "verbatim_share_a": round(comparison.verbatim_a, 4),
        "verbatim_share_b": round(comparison.verbatim_b, 4),
        "kept_quotes": comparison.kept_quotes,
        "reasons": verdict.reasons,
        "evidence_side": side,  # copy_evidence offsets: start/end in this side, original_* in the other
        "copy_evidence": [e.to_dict() for e in copy_evidence(comparison, verdict, side)],
        "aligned_paragraphs": [
            {"a": pa, "b": pb, "a_start": comparison.a.paragraphs[pa].start, "a_end": comparison.a.paragraphs[pa].end,
             "b_start": comparison.b.paragraphs[pb].start, "b_end": comparison.b.paragraphs[pb].end, "similarity": s}
            for pa, pb, s in comparison.paragraph_pairs
        ],
        "model": getattr(detector, "signature", None),
    }
