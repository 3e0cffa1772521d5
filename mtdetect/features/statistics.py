"""Translationese statistics: how fluent machine translation differs from human English
without pointing at any one word.

Measured on WMT news (machine vs professional human translations of the same documents;
see scripts/feature_auc.py), machine output

* repeats its words more (lower moving-average type-token ratio) and prefers common words;
* is more nominal and literal: more "the", more "of" phrases, more "is"/"are", more commas;
* keeps the source's word order, opening sentences with prepositional phrases
  ("In the ...", "On the ...", "At the ...") where English puts the subject first;
* refers back with plural pronouns ("they", "their"), contracts ("don't") and hedges
  ("might", "could") less often.

Each statistic returns (per-paragraph values, document value), non-negative and finite for
any text. Rates are per word (or per sentence) of the paragraph / the document, so long and
short texts compare. None of them decides anything alone (single-feature AUCs 0.55-0.70);
they are meant to be combined by the model.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from itertools import accumulate, compress
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from typing import Callable

from ..frequency import RARE, UNKNOWN, zipf_table, zipfs
from ..text import Document
from . import statistic

# Moving-average type-token ratio window: long enough to see repetition, short enough that
# a 100-word article has several windows.
MATTR_WINDOW = 50

DEFINITE_ARTICLES = frozenset({"the"})
OF = frozenset({"of"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
# Word + clitic contractions, with either apostrophe (normalised to ' before lookup).
CONTRACTION_SUFFIXES = ("n't", "'re", "'ve", "'ll", "'d", "'m")
CONTRACTED_IS = frozenset({"it's", "that's", "there's", "he's", "she's", "what's", "who's", "here's", "where's", "let's"})
PRESENT_COPULAS = frozenset({"is", "are"})
HEDGES = frozenset(
    "might could would should may must perhaps possibly probably likely apparently seems seem seemed "
    "reportedly allegedly".split()
)
# A sentence opening with one of these fronts an adverbial ahead of its subject.
PREPOSITIONS = frozenset(
    "in on at from for during after before with within since until by through throughout among "
    "amid under over between despite following upon".split()
)

# A comma that text.TOKEN_RE makes a token of its own: one not between two digits ("1,000").
COMMA_TOKEN_RE = re.compile(r",(?:(?<!\d,)|(?!\d))")  # the comma first: a fast literal scan

# A letter or digit: str.isalnum of one character (\w is alphanumeric or "_").
ALNUM_RE = re.compile(r"[^\W_]")

Values = tuple[list[float], float]


# Function words: a content word is a lower-case word outside this list (capitalised words
# are mostly names, which a round trip keeps, and function words say nothing of wording).
FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet if then than that this these those there here of in on at to for from by with "
    "about as into onto over under after before since until while during through between among against without "
    "within upon off out up down i me my mine we us our ours you your yours he him his she her hers it its they "
    "them their theirs who whom whose which what when where why how all any both each every either neither some "
    "no not none one other another such own same is are was were be been being am has have had having do does "
    "did doing will would shall should can could may might must also just only very too more most much many "
    "few less least again still even ever never now already however because although though whether".split()
)


# --- shared per-document views ----------------------------------------------------------
#
# Every statistic reads the same per-document arrays, built once from the Document's tokens:
# the lower-cased words, their Zipf values, and a small integer per word saying which word
# lists it belongs to (looked up once per distinct word and process). A paragraph's count of
# any kind of word then adds up a handful of Counter entries, not a loop over its words.

_BIT_COUNT = 10
_THE, _OF, _COPULA, _HEDGE, _PLURAL, _CONTRACTION, _ING, _POSSESSIVE, _HYPHEN, _FUNCTION = (1 << n for n in range(_BIT_COUNT))
_WORD_BITS: dict[str, int] = {}  # lower-cased word -> its bits, across documents
_WORD_BITS_LIMIT = 200_000


def _cached(doc: Document, key: str, build: Callable[[Document], object]):
    value = doc.__dict__.get(key)
    if value is None:
        value = doc.__dict__[key] = build(doc)
    return value


def _lower_words(doc: Document) -> list[str]:
    """Lower-cased word tokens with typographic apostrophes made straight, computed once."""
    return doc.lower_words


def _paragraph_word_bounds(doc: Document) -> list[tuple[int, int]]:
    """For each paragraph, the [first, last) indices into doc.words."""

    def build(doc: Document) -> list[tuple[int, int]]:
        ends = list(accumulate(doc.paragraph_word_counts))
        return list(zip([0, *ends[:-1]], ends))

    return _cached(doc, "_statistics_word_bounds", build)


def _bits_of(word: str) -> int:
    """Which of the statistics' word lists a lower-cased word belongs to."""
    bits = 0
    if word in DEFINITE_ARTICLES:
        bits |= _THE
    if word in OF:
        bits |= _OF
    if word in PRESENT_COPULAS:
        bits |= _COPULA
    if word in HEDGES:
        bits |= _HEDGE
    if word in PLURAL_PRONOUNS:
        bits |= _PLURAL
    if _is_contraction(word):
        bits |= _CONTRACTION
    if _is_ing_form(word):
        bits |= _ING
    if word.endswith("'s") and word not in CONTRACTED_IS:
        bits |= _POSSESSIVE
    if "-" in word:
        bits |= _HYPHEN
    if word in FUNCTION_WORDS:
        bits |= _FUNCTION
    return bits


def _word_bits(doc: Document) -> list[int]:
    """The bits of each word of _lower_words."""

    def build(doc: Document) -> list[int]:
        words = _lower_words(doc)
        bits = list(map(_WORD_BITS.get, words))
        if None in bits:
            if len(_WORD_BITS) >= _WORD_BITS_LIMIT:
                _WORD_BITS.clear()
            for index in _indices(bits, None):
                bits[index] = _WORD_BITS[words[index]] = _bits_of(words[index])
        return bits

    return _cached(doc, "_statistics_word_bits", build)


def _indices(values: list, value: object) -> list[int]:
    """Indices of the entries equal to `value` (cache misses, unknown words: a few), found by list.index in C rather than a loop."""
    indices, index = [], -1
    try:
        while True:
            index = values.index(value, index + 1)
            indices.append(index)
    except ValueError:
        return indices


def _paragraph_bit_hits(doc: Document) -> dict[int, list[int]]:
    """Per bit: how many words of each paragraph carry it, for the nine rates that read them.

    Each paragraph's words are counted per combination of bits (a handful of keys), and each
    combination adds its count to the few bits it has: one pass for all the rates, where each
    rate walked every paragraph's combinations for its own bit."""

    def build(doc: Document) -> dict[int, list[int]]:
        bits = _word_bits(doc)
        bounds = _paragraph_word_bounds(doc)
        hits = {1 << n: [0] * len(bounds) for n in range(_BIT_COUNT)}
        for paragraph, (a, b) in enumerate(bounds):
            for combination, count in Counter(bits[a:b]).items():
                for bit in _bits_in(combination):
                    hits[bit][paragraph] += count
        return hits

    return _cached(doc, "_statistics_bit_hits", build)


@lru_cache(maxsize=None)
def _bits_in(combination: int) -> tuple[int, ...]:
    """The single bits of a combination (a few dozen combinations occur at all)."""
    return tuple(1 << n for n in range(_BIT_COUNT) if combination >> n & 1)


def _counted_rate(doc: Document, bit: int, per: float = 100.0) -> Values:
    """Words carrying `bit` (x `per`) per paragraph word, and overall."""
    words = _lower_words(doc)
    hits = _paragraph_bit_hits(doc)[bit]
    paragraphs = [per * h / (b - a) if b > a else 0.0 for h, (a, b) in zip(hits, _paragraph_word_bounds(doc))]
    return paragraphs, (per * sum(hits) / len(words) if words else 0.0)


def _per_hundred_words(doc: Document, hits: list[int]) -> Values:
    """Per paragraph and overall: hits (counted per paragraph) per 100 of the paragraph's words."""
    counts = doc.paragraph_word_counts
    total = sum(counts)
    return [100.0 * h / n if n else 0.0 for h, n in zip(hits, counts)], (100.0 * sum(hits) / total if total else 0.0)


def _sentence_share(doc: Document, hit: Callable[[str], bool]) -> Values:
    """Share of sentences with a word or number whose first one (lower-cased) satisfies `hit`, per paragraph and overall."""
    counts = [[0, 0] for _ in doc.paragraphs]
    text, texts, starts = doc.text, doc.token_texts, doc.token_starts
    for index, (start, end) in enumerate(doc.sentences):
        # A sentence's first letter or digit starts its first word or number (a token whose
        # first character is neither is a single character), so a search finds it in C,
        # without a test of every token.
        first = ALNUM_RE.search(text, start, end)
        if first is None:
            continue
        cell = counts[doc.sentence_paragraph(index)]
        cell[0] += 1
        cell[1] += hit(texts[bisect_left(starts, first.start())].lower())
    total = sum(c[0] for c in counts)
    paragraphs = [h / n if n else 0.0 for n, h in counts]
    return paragraphs, (sum(c[1] for c in counts) / total if total else 0.0)


# --- lexical variety and frequency --------------------------------------------------------


def _window_type_counts(words: list[str], window: int) -> list[int]:
    """Distinct words in each window of `window` words (one entry per window start)."""
    if len(words) < window:
        return []
    # A plain dict keeping zero counts, with the number of types tracked by hand: Counter's
    # item deletion is slow Python code.
    counts: dict[str, int] = dict(Counter(words[:window]))
    types = len(counts)
    distinct = [types]
    get = counts.get
    for entering, leaving in zip(words[window:], words):
        count = get(entering, 0)
        if not count:
            types += 1
        counts[entering] = count + 1
        count = counts[leaving] - 1
        counts[leaving] = count
        if not count:
            types -= 1
        distinct.append(types)
    return distinct


# 1 - d / MATTR_WINDOW for each possible count d of distinct words in a window, looked up per window.
_REPETITIVENESS = [1.0 - d / MATTR_WINDOW for d in range(MATTR_WINDOW + 1)]


@statistic(
    "lexical_repetitiveness",
    1,
    "1 - moving-average type-token ratio over 50-word windows: machine translation repeats "
    "its words more and varies its vocabulary less than human writers and translators",
)
def lexical_repetitiveness(doc: Document) -> Values:
    words = _lower_words(doc)
    distinct = _window_type_counts(words, MATTR_WINDOW)
    if not distinct:
        # Shorter than one window: the plain type-token ratio (biased low, but defined).
        value = 1.0 - len(set(words)) / len(words) if words else 0.0
        return [value] * len(doc.paragraphs), value
    repetitiveness = list(map(_REPETITIVENESS.__getitem__, distinct))
    last_start = len(repetitiveness) - 1
    paragraphs = []
    for first, end in _paragraph_word_bounds(doc):
        # The windows that start in this paragraph (a short last paragraph uses the last window).
        lo, hi = min(first, last_start), min(end, last_start + 1)
        hi = max(hi, lo + 1)
        paragraphs.append(sum(repetitiveness[lo:hi]) / (hi - lo) if end > first else 0.0)
    return paragraphs, sum(repetitiveness) / len(repetitiveness)


def _zipfs(doc: Document) -> list[float]:
    """Zipf frequency (wordfreq's broad English table) of each word of _lower_words, one lookup each."""
    return _cached(doc, "_statistics_zipfs", lambda doc: zipfs(_lower_words(doc)))


def _lower_case(doc: Document) -> list[bool]:
    """For each word: whether it is written lower-case (its first letter), as content words and unknown words are."""
    return _cached(doc, "_statistics_lower_case", lambda doc: list(map(str.islower, map(itemgetter(0), doc.word_texts))))


def _content_positions(doc: Document) -> list[bool]:
    """For each word: a content word (lower-case in the text, alphabetic, not a function word)."""

    def build(doc: Document) -> list[bool]:
        return [lower and not bits & _FUNCTION for lower, bits in zip(_lower_case(doc), _word_bits(doc))]

    return _cached(doc, "_statistics_content", build)


def _unknown_positions(doc: Document) -> list[int]:
    """Indices of the words the frequency table does not know (a few per document), found in C."""
    return _cached(doc, "_statistics_unknown_positions", lambda doc: _indices(_zipfs(doc), UNKNOWN))


def _known_content(doc: Document) -> list[bool]:
    """For each word: a content word that the frequency table knows."""

    def build(doc: Document) -> list[bool]:
        # The content words less the few unknown ones (a known word's Zipf is at least 1, never 0).
        known = _content_positions(doc).copy()
        for index in _unknown_positions(doc):
            known[index] = False
        return known

    return _cached(doc, "_statistics_known_content", build)


def _mean_of_kept(doc: Document, values: list[float], kept: list[bool]) -> Values:
    """Mean of the values whose `kept` is true, per paragraph and overall."""
    sums, counts = [], []
    for a, b in _paragraph_word_bounds(doc):
        chosen = list(compress(values[a:b], kept[a:b]))
        sums.append(sum(chosen))  # left to right, as a running total
        counts.append(len(chosen))
    overall = sum(counts)
    return [s / n if n else 0.0 for s, n in zip(sums, counts)], (sum(sums) / overall if overall else 0.0)


@statistic(
    "word_commonness",
    2,
    "mean Zipf frequency of the words (wordfreq's broad table of human English, not our training "
    "data): machine translation prefers common words and function words",
)
def word_commonness(doc: Document) -> Values:
    scores = _zipfs(doc)
    paragraphs = [sum(scores[a:b]) / (b - a) if b > a else 0.0 for a, b in _paragraph_word_bounds(doc)]
    return paragraphs, (sum(scores) / len(scores) if scores else 0.0)


@statistic(
    "content_word_commonness",
    1,
    "mean Zipf frequency of the content words (lower-case, not function words) the table knows: "
    "a round trip pulls wording toward common words (savers -> customers, galling -> intolerable)",
)
def content_word_commonness(doc: Document) -> Values:
    return _mean_of_kept(doc, _zipfs(doc), _known_content(doc))


@statistic(
    "rare_word_share",
    1,
    "share of content words the table knows that are rare (Zipf < 3.5: 'galling', 'redeemed'): "
    "translation there and back flattens rare words and idioms (lower is more machine-like)",
)
def rare_word_share(doc: Document) -> Values:
    zipfs, kept = _zipfs(doc), _known_content(doc)
    rare, known = [], []
    for a, b in _paragraph_word_bounds(doc):
        chosen = list(compress(zipfs[a:b], kept[a:b]))
        rare.append(sum(1 for z in chosen if z < RARE))
        known.append(len(chosen))
    overall = sum(known)
    return [r / n if n else 0.0 for r, n in zip(rare, known)], (sum(rare) / overall if overall else 0.0)


@statistic(
    "unknown_word_share",
    1,
    "share of lower-case words the frequency table does not know (typos, coinages, run-together "
    "words): machine translation writes dictionary words and repairs the original's typos",
)
def unknown_word_share(doc: Document) -> Values:
    words, kept = doc.word_texts, _lower_case(doc)
    # Only a word the table does not know can be unknown: the hyphen test runs for those alone.
    unknown = [0.0] * len(words)
    for index in _unknown_positions(doc):
        if kept[index] and _unknown(words[index]):
            unknown[index] = 1.0
    return _mean_of_kept(doc, unknown, kept)


def _unknown(word: str) -> bool:
    """No part of a hyphenated word known (a compound of known words is not a typo)."""
    get = zipf_table().get
    word = word.lower().replace("’", "'")
    return not all(get(part, 0.0) > 0 for part in word.split("-") if part)


# Adverb particles of English phrasal verbs ("set up", "called off", "turned out").
PARTICLES = frozenset("up out off down back away".split())


@statistic(
    "phrasal_verb_rate",
    1,
    "content word + particle ('set up', 'called off', 'turned out') per 100 words: translation "
    "there and back replaces phrasal verbs and idioms with single verbs (lower is more machine-like)",
)
def phrasal_verb_rate(doc: Document) -> Values:
    words, content = _lower_words(doc), _content_positions(doc)
    # Particles are few: find them in C, then look at the word before each.
    particles = list(compress(range(len(words)), map(PARTICLES.__contains__, words)))
    hits = []
    for a, b in _paragraph_word_bounds(doc):
        inside = particles[bisect_left(particles, a + 1) : bisect_left(particles, b)]
        hits.append(sum(1 for i in inside if content[i - 1]))
    return _per_hundred_words(doc, hits)


@statistic(
    "ing_form_rate",
    1,
    "lower-case '-ing' words (gerunds and participles: 'after being hit', 'saying') per 100 words: "
    "most pivot languages have no gerund, and the way back writes finite clauses instead (lower is more machine-like)",
)
def ing_form_rate(doc: Document) -> Values:
    return _counted_rate(doc, _ING)


# '-ing' words that are not verb forms.
NOT_ING_FORMS = frozenset(
    "during nothing something anything everything thing things king bring spring string sing ring wing "
    "morning evening ceiling building buildings meeting meetings ceiling wedding earnings funding".split()
)


def _is_ing_form(word: str) -> bool:
    return len(word) > 4 and word.endswith("ing") and word not in NOT_ING_FORMS


@statistic(
    "hyphenated_compound_rate",
    1,
    "hyphenated compounds ('well-known', 'cost-cutting', '63-year-old' counts its word parts) per "
    "100 words: translation through a language that writes compounds as one word or a phrase "
    "drops English's hyphenated coinages (lower is more machine-like)",
)
def hyphenated_compound_rate(doc: Document) -> Values:
    return _counted_rate(doc, _HYPHEN)


# --- function-word profile ------------------------------------------------------------------


@statistic(
    "definite_article_rate",
    1,
    "'the' per 100 words: translation from languages without articles over-supplies them",
)
def definite_article_rate(doc: Document) -> Values:
    return _counted_rate(doc, _THE)


@statistic(
    "of_phrase_rate",
    1,
    "'of' per 100 words: literal translation keeps source genitives as 'the X of the Y' where "
    "English writes 'Y's X' or a compound",
)
def of_phrase_rate(doc: Document) -> Values:
    return _counted_rate(doc, _OF)


@statistic(
    "present_copula_rate",
    1,
    "'is'/'are' per 100 words: literal translation keeps the source's present tense and "
    "copular clauses ('It is ...', 'This is ...') where English news narrates in the past",
)
def present_copula_rate(doc: Document) -> Values:
    return _counted_rate(doc, _COPULA)


@statistic(
    "hedge_rate",
    1,
    "modal verbs and hedges ('might', 'could', 'perhaps', 'reportedly') per 100 words: human "
    "writers and translators hedge more (lower is more machine-like)",
)
def hedge_rate(doc: Document) -> Values:
    return _counted_rate(doc, _HEDGE)


@statistic(
    "comma_rate",
    1,
    "commas per 100 words: machine translation keeps the source's clause structure and its commas",
)
def comma_rate(doc: Document) -> Values:
    text = doc.text
    commas = [len(COMMA_TOKEN_RE.findall(text, start, end)) for start, end in doc.paragraphs]
    return _per_hundred_words(doc, commas)


@statistic(
    "plural_pronoun_rate",
    1,
    "'they', 'them', 'their' per 100 words: human writers refer back with plural pronouns "
    "more than sentence-by-sentence machine translation (lower is more machine-like)",
)
def plural_pronoun_rate(doc: Document) -> Values:
    return _counted_rate(doc, _PLURAL)


def _is_contraction(word: str) -> bool:
    return word in CONTRACTED_IS or word.endswith(CONTRACTION_SUFFIXES)


@statistic(
    "contraction_rate",
    1,
    "contractions ('don't', 'it's', 'they're') per 100 words: human translators use them "
    "more than machine translation, which writes 'do not', 'it is' (lower is more machine-like)",
)
def contraction_rate(doc: Document) -> Values:
    return _counted_rate(doc, _CONTRACTION)


@statistic(
    "possessive_rate",
    1,
    "possessive 's per 100 words: English writes 'the city's mayor' where literal translation "
    "writes 'the mayor of the city' (lower is more machine-like)",
)
def possessive_rate(doc: Document) -> Values:
    return _counted_rate(doc, _POSSESSIVE)


# --- sentences --------------------------------------------------------------------------------


@statistic(
    "fronted_adverbial_share",
    1,
    "share of sentences opening with a preposition ('In the ...', 'On the ...', 'At ...'): "
    "machine translation keeps the source's adverbial-first word order",
)
def fronted_adverbial_share(doc: Document) -> Values:
    return _sentence_share(doc, PREPOSITIONS.__contains__)


def _sentence_lengths(doc: Document) -> list[tuple[int, int]]:
    """(paragraph index, words in the sentence) for each sentence with a word."""
    lengths = []
    for index, sentence in enumerate(doc.sentences):
        count = doc.words_between(sentence.start, sentence.end)
        if count:
            lengths.append((doc.sentence_paragraph(index), count))
    return lengths


@statistic(
    "sentence_length_variation",
    1,
    "coefficient of variation of sentence length in words (0 with fewer than two sentences)",
)
def sentence_length_variation(doc: Document) -> Values:
    lengths = _sentence_lengths(doc)

    def variation(values: list[int]) -> float:
        if len(values) < 2:
            return 0.0
        mean = sum(values) / len(values)
        return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) / mean

    per_paragraph: list[list[int]] = [[] for _ in doc.paragraphs]
    for paragraph, count in lengths:
        per_paragraph[paragraph].append(count)
    return [variation(v) for v in per_paragraph], variation([c for _, c in lengths])


@statistic(
    "mean_word_length",
    1,
    "mean letters per word: machine translation picks shorter, commoner words",
)
def mean_word_length(doc: Document) -> Values:
    lengths = list(map(len, doc.word_texts))
    paragraphs = [sum(lengths[a:b]) / (b - a) if b > a else 0.0 for a, b in _paragraph_word_bounds(doc)]
    return paragraphs, (sum(lengths) / len(lengths) if lengths else 0.0)
