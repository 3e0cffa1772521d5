"""Aligning two documents sentence by sentence, and what differs between aligned sentences."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from os.path import commonprefix

import jellyfish
import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from ..frequency import one_spelling
from ..text import Document, Span, Token
from .documents import (
    SLOT_NAME_ZIPF,
    PreparedDocument,
    _is_name_like,
    _name_form,
    is_common_word,
    prepare,
)
from .tunables import (
    MIN_SENTENCE_SIMILARITY,
    POSSESSIVE_RE,
    REWRITE_COVERAGE,
    SPEECH_WORDS,
    STORY_COVERAGE,
    STORY_MIN_SENTENCES,
    STRONG_SENTENCE_SIMILARITY,
    VERBATIM_RATIO,
    VERBATIM_SHARE,
)
from .wording import PairDifferences, is_word_swap


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

    def sentence_differences(self) -> PairDifferences:
        """How b's wording differs from a's in each aligned, reworded sentence pair (see direction.py)."""
        return PairDifferences.between(self.a.wording, self.b.wording, [(i, j) for i, j, _, verbatim in self.sentence_pairs if not verbatim])

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
    rows_array, cols_array = np.nonzero(scores >= MIN_SENTENCE_SIMILARITY)
    if rows_array.size == 0:
        return []
    # Python lists of the same cells and scores (float32 read as float, as float() does): the
    # loop below reads them one at a time, which numpy scalars make slow.
    rows, cols = rows_array.tolist(), cols_array.tolist()
    cell_scores = scores[rows_array, cols_array].tolist()
    # Weighted increasing chain with a Fenwick tree of prefix maxima over b's sentences:
    # O(k log m) for k similar cells instead of the n x m table.
    m = len(b.sentence_stems)
    cells = len(rows)
    tree_value = [0.0] * (m + 1)
    tree_cell = [-1] * (m + 1)
    best_value = [0.0] * cells
    back = [-1] * cells
    start = 0
    while start < cells:
        stop = start
        while stop < cells and rows[stop] == rows[start]:
            stop += 1
        for k in range(start, stop):  # query every cell of this row before updating: one cell per row of a
            position, value, cell = cols[k], 0.0, -1
            while position > 0:
                if tree_value[position] > value:
                    value, cell = tree_value[position], tree_cell[position]
                position -= position & -position
            best_value[k] = value + cell_scores[k]
            back[k] = cell
        for k in range(start, stop):
            position = cols[k] + 1
            while position <= m:
                if best_value[k] > tree_value[position]:
                    tree_value[position], tree_cell[position] = best_value[k], k
                position += position & -position
        start = stop
    k = max(range(cells), key=best_value.__getitem__)
    chain = []
    while k >= 0:
        chain.append((rows[k], cols[k], round(cell_scores[k], 4)))
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
    quotes_a, quotes_b = a.sentence_quotes, b.sentence_quotes
    numbers_a, numbers_b = a.sentence_has_number, b.sentence_has_number
    for i, j, similarity, _ in comparison.sentence_pairs:
        if similarity < STRONG_SENTENCE_SIMILARITY or a.sentence_norms[i] == b.sentence_norms[j]:
            continue  # weakly aligned, or the very same words
        if i in quotes_a and j in quotes_b:
            _compare_quotes(comparison, i, j, used_quotes_a, used_quotes_b)
        comparison.links.extend(_compare_names(a, b, i, j))
        if numbers_a[i] and numbers_b[j]:
            comparison.links.extend(_compare_numbers(a, b, i, j))


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    """Whether `shorter` appears in `longer` as consecutive words (a quote cut short is still kept)."""
    width = len(shorter)
    return any(longer[k : k + width] == shorter for k in range(len(longer) - width + 1))


def _compare_quotes(comparison: Comparison, i: int, j: int, used_a: set[int], used_b: set[int]) -> None:
    a, b = comparison.a, comparison.b
    quotes_a = [q for q in a.sentence_quotes.get(i, ()) if q not in used_a]
    quotes_b = [q for q in b.sentence_quotes.get(j, ()) if q not in used_b]
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
        words_a, words_b = a.quote_words(qa), b.quote_words(qb)
        if not words_a or not words_b:
            continue
        speech = min(len(words_a), len(words_b)) >= SPEECH_WORDS
        if words_a == words_b or _contains_run(words_a, words_b) or _contains_run(words_b, words_a):
            comparison.kept_quotes += 1
            comparison.kept_speech += speech
            continue
        comparison.reworded_speech += speech
        changes = []  # the first three words added, dropped or swapped (a swap: two words of one kind)
        for op in Levenshtein.opcodes(words_a, words_b):
            old, new = " ".join(words_a[op.src_start : op.src_end]), " ".join(words_b[op.dest_start : op.dest_end])
            if op.tag != "equal" and len(changes) < 3 and (op.tag != "replace" or is_word_swap(old, new)):
                changes.append((old, new))
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


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def _plain_lower(name: str) -> str:
    """A name without accents, in lower case: each name is compared with many across a dump's pairs."""
    return _without_accents(name).lower()


# A place or its people and the adjective made from it part after a shared stem like this
# (Britain/British, Italy/Italian, Mexico/Mexican, Poles/Polish, Hessen/Hessian): one word in
# two forms, not a name read back wrong. Iraq/Iraqi and Kenya/Kenyan need no list: they part
# by a letter after the shared beginning (below).
PLACE_ENDINGS = frozenset({"", "a", "ia", "y", "o", "ain", "en", "es"})
ADJECTIVE_ENDINGS = frozenset({"n", "an", "ian", "ians", "ean", "ish", "ese"})


def _same_name_inflected(x: str, y: str) -> bool:
    """One form of one word: accents dropped (Srncová/Srncova), inflected (Slovakia/Slovak, China/Chinese),
    a place and its adjective (Britain/British), compounded (US-China, UN-Cambodia/Cambodian) or
    hyphenated otherwise (South-East/Southeast, Kabukiza/Kabuki-za)."""
    lower_x, lower_y = _plain_lower(x), _plain_lower(y)
    if lower_x == lower_y or lower_x in lower_y.split("-") or lower_y in lower_x.split("-"):
        return True
    if "-" in lower_x + lower_y and lower_x.replace("-", "") == lower_y.replace("-", ""):
        return True  # the same letters: a house style of hyphens, not a name read back wrong
    if ("-" in lower_x) != ("-" in lower_y):
        compound, single = (x, y) if "-" in lower_x else (y, x)
        if any(len(part) >= 2 and _same_name_inflected(part, single) for part in compound.split("-")):
            return True  # one part of the compound is a form of the other word
    spelling = one_spelling()
    if spelling.get(lower_x, lower_x) == spelling.get(lower_y, lower_y):
        return True  # British and American spellings (Defence/Defense): a locale, not a respelling
    shared = len(commonprefix([lower_x, lower_y]))
    rest_x, rest_y = lower_x[shared:], lower_y[shared:]
    if shared >= 3 and ({rest_x, rest_y} & PLACE_ENDINGS) and ({rest_x, rest_y} & ADJECTIVE_ENDINGS) and rest_x != rest_y:
        return True
    return shared >= 3 and shared >= min(len(x), len(y)) - 1


def _abbreviation_of(x: str, y: str) -> bool:
    """Whether one form is a short form of the other, its letters in order from the first (Jnr/Junior,
    Snr/Senior, Prof/Professor): an abbreviation spelled out, not a name respelled."""
    short, long = sorted((_plain_lower(x), _plain_lower(y)), key=len)
    if len(short) > 4 or len(long) < len(short) + 2 or short[:1] != long[:1]:
        return False
    letters = iter(long)
    return all(letter in letters for letter in short)


def _one_letter_apart(x: str, y: str) -> bool:
    """Two compounds that differ in one part, a single letter on a side ("C-word"/"F-word"): words, not names."""
    parts_x, parts_y = x.split("-"), y.split("-")
    if len(parts_x) != len(parts_y) or len(parts_x) < 2:
        return False
    differing = [(p, q) for p, q in zip(parts_x, parts_y) if p.lower() != q.lower()]
    return len(differing) == 1 and min(len(differing[0][0]), len(differing[0][1])) < 2


def _one_stem_two_words(x: str, y: str) -> bool:
    """Two words built on one stem, not one name spelled two ways: they share a beginning of
    five letters or more, then part by three edits or more (Hydrometeorological/Hydrometeocenter,
    Portugal/Portuguese, Earth-like/Earth-type). A respelled name parts by a letter or two after
    its shared beginning (Degtyarev/Degtyaryov, Mohamed/Mohammed, Schwarzenegger/Schwarzeneger)."""
    lower_x, lower_y = (_plain_lower(POSSESSIVE_RE.sub("", form)) for form in (x, y))
    shared = len(commonprefix([lower_x, lower_y]))
    rest_x, rest_y = lower_x[shared:], lower_y[shared:]
    return shared >= 5 and min(len(rest_x), len(rest_y)) >= 2 and Levenshtein.distance(rest_x, rest_y) >= 3


@lru_cache(maxsize=65536)  # the names of one story meet again in every pair of its versions
def _sounds_alike(x: str, y: str) -> bool:
    """Two spellings of one name: same phonetic code, or letters mostly in the same places."""
    lower_x, lower_y = x.lower(), y.lower()
    if _same_name_inflected(x, y) or _one_stem_two_words(x, y) or _abbreviation_of(x, y) or _one_letter_apart(x, y):
        return False
    if _metaphone(x) == _metaphone(y):
        return True
    return jellyfish.jaro_winkler_similarity(lower_x, lower_y) >= 0.85 and len(x) >= 4 and len(y) >= 4


@lru_cache(maxsize=65536)
def _metaphone(name: str) -> str:
    """A name's phonetic code: one name is compared with many across a dump's pairs."""
    return jellyfish.metaphone(name)


def _compare_names(a: PreparedDocument, b: PreparedDocument, i: int, j: int) -> list[_Link]:
    start_a, start_b = a.sentences[i].start, b.sentences[j].start
    names_a, names_b = a.sentence_names[i], b.sentence_names[j]
    if not names_a or not names_b:
        return []
    forms_a, forms_b = a.sentence_name_forms[i], b.sentence_name_forms[j]
    only_a = [(t, form) for t, form in zip(names_a, forms_a) if form not in forms_b]
    only_b = [(t, form) for t, form in zip(names_b, forms_b) if form not in forms_a]
    if not only_a or not only_b:
        return []
    links: list[_Link] = []
    paired_b: set[int] = set()
    for ta, fa in only_a:
        for tb, fb in only_b:
            if tb.start in paired_b or not _sounds_alike(fa, fb) or is_common_word(fa) or is_common_word(fb):
                continue
            if _seen_lower_case(a, b, fa, fb):
                continue  # "Election"/"Electoral" in two headings: words, not a name respelled
            link = _name_link(a, b, ta, tb, fa, fb, "sounds alike")
            if link is not None:
                links.append(link)
                paired_b.add(tb.start)
                break
    # The same slot of two aligned sentences: "Guesthouse, Qin accepted" / "meeting, Hata accepted".
    words_a, words_b = a.sentence_texts(i), b.sentence_texts(j)
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
        ta = a.token(a.sentence_token_ranges[i].start + op.src_start)
        tb = b.token(b.sentence_token_ranges[j].start + op.dest_start)
        if tb.start in paired_b or not (_is_name_like(ta, start_a, a.names) and _is_name_like(tb, start_b, b.names)):
            continue
        fa, fb = _name_form(ta.text), _name_form(tb.text)
        if _same_name_inflected(fa, fb) or _one_letter_apart(fa, fb):
            continue
        if _seen_lower_case(a, b, fa, fb):
            continue  # a common word, capitalised in a heading
        if is_common_word(fa, SLOT_NAME_ZIPF) or is_common_word(fb, SLOT_NAME_ZIPF):
            continue  # a common word put in another's place is rewording, not a name read back wrong
        link = _name_link(a, b, ta, tb, fa, fb, "same place in the aligned sentence", need_direction=True)
        if link is not None:
            links.append(link)
            paired_b.add(tb.start)
    return links


def _seen_lower_case(a: PreparedDocument, b: PreparedDocument, fa: str, fb: str) -> bool:
    """Whether either form is written in lower case in either text: a common word, capitalised in a heading or title."""
    lower_a, lower_b = fa.lower(), fb.lower()
    return lower_a in a.lower_words or lower_a in b.lower_words or lower_b in a.lower_words or lower_b in b.lower_words


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


def _compare_numbers(a: PreparedDocument, b: PreparedDocument, i: int, j: int) -> list[_Link]:
    if not (a.number_words_or_ordinals(i) or b.number_words_or_ordinals(j)):
        return []  # digits on both sides, written alike: nothing was restyled
    numbers_a = a.sentence_numbers(i)
    numbers_b = b.sentence_numbers(j)
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


