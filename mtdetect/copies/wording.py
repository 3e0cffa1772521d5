"""How a sentence is worded, and how two aligned sentences' wordings differ: what the direction votes read.

Two aligned sentences say the same thing, so how they say it is what differs. A round trip
(or any machine translation) does the same few things to English, sentence after
sentence: it pulls wording toward common words ("savers" -> "customers", "galling" ->
"intolerable"), flattens rare words and idioms, repairs the original's typos and doubled
words, spells out contractions, writes "£80 million" for "£80m", and changes "which" to
"that". `sentence_profile` counts these in one sentence, against wordfreq's table of human
English (`mtdetect.frequency`), and `pair_difference` takes profile(b) - profile(a), plus
how common the words are that each side has and the other lacks. `DocumentWording` makes
every sentence's counts of one document in one pass; `PairDifferences` holds the
differences of a document pair's aligned sentences, which `direction.DirectionModel` votes on.

Nothing here looks at quotation-mark or dash styles, British and American spellings of a
word read as one word, "per cent" as "percent" and "U.S." as "US": those say which CMS a
site runs and which locale or house style it or its MT system is set to, not who wrote the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import compress
from typing import Sequence

import numpy as np

from ..frequency import COMMON, RARE, common_bigrams, one_spelling, zipf_table
from ..text import DOUBLE_QUOTE_MARKS, Token
from .tunables import ORDINAL_SUFFIXES, STOPWORDS

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "trillion percent".split()
)
NUMBER_ABBREVIATIONS = frozenset({"m", "bn", "mn", "k", "tn", "pc"})  # "£80m", "$2bn", "5pc"
CONTRACTION_ENDINGS = ("n't", "'re", "'ll", "'ve", "'m", "'d")
CONTRACTED_IS = frozenset({"it's", "that's", "he's", "she's", "there's", "what's", "let's", "here's", "who's", "where's"})

SENTENCE_FEATURES = (
    "words",  # a round trip rarely keeps the length
    "letters_per_word",
    "zipf_mean",  # how common the words are, on average
    "rare_words",  # lower-case words rarer than RARE
    "unknown_words",  # lower-case words the table does not know: typos, coinages
    "contractions",
    "doubled_words",  # "the the"
    "commas",
    "ends_with_stop",  # a machine closes every sentence
    "digits",
    "number_words",
    "number_abbreviations",
    "that",
    "which",
    "the",
    "of",
    "capitalised_inside",  # capitalised words after the first: names, "Government"
    "brackets",
    "colons",
    "quote_marks",  # of any style: a round trip drops or adds quotations
    "common_bigrams",  # adjacent word pairs on the list of the commonest English pairs: stock phrasing
    "common_bigram_share",
)
PAIR_FEATURES = ("only_here_common", "only_here_rare", "only_here_zipf", "only_here_stock_pairs", "only_here_other_pairs")


def feature_names() -> list[str]:
    return list(SENTENCE_FEATURES) + list(PAIR_FEATURES)


# "U.S." or "US", "U.N." or "UN": a house style (AP dots its abbreviations, the BBC does not)
# or an MT system's locale, as spellings are. DeepL dropped the dots of 114 abbreviations in
# the 156 round-trip originals; 18 are left in its copies (scripts/spelling_locale.py).
_DOTTED_ABBREVIATION_RE = re.compile(r"(?:[A-Za-z]\.){2,}")


def _word_form(text: str) -> str:
    """The word lower-cased, its apostrophe straight, its spelling locale-free (frequency.one_spelling)
    and an abbreviation's dots dropped ("U.S." reads "us", as "US" does)."""
    lower = text.lower()
    lower = lower.replace("’", "'") if "’" in lower else lower
    if "." in lower and _DOTTED_ABBREVIATION_RE.fullmatch(lower):
        return lower.replace(".", "")
    return one_spelling().get(lower, lower)


_FUNCTION_SLOTS = {"that": 1, "which": 2, "the": 3, "of": 4}


# What sentence_profile needs of one token, by its text, computed once per distinct text:
# (kind, word form, length, Zipf, rare lower-case word, unknown lower-case word, not lower-case,
#  contraction, number word, that/which/the/of slot, number abbreviation, comma, bracket, colon, quote mark).
_WORD, _DIGIT, _OTHER = 0, 1, 2
_TOKEN_FACTS: dict[str, tuple] = {}


def _token_facts(text: str, table: dict[str, float]) -> tuple:
    first = text[0]
    if first.isalpha():
        form = _word_form(text)
        frequency = table.get(form, 0.0)
        contraction = form.endswith(CONTRACTION_ENDINGS) or form in CONTRACTED_IS
        number_word, slot = form in NUMBER_WORDS, _FUNCTION_SLOTS.get(form, 0)
        lower = first.islower()
        return (_WORD, form, len(form), frequency, lower and 0 < frequency < RARE, lower and frequency == 0, not lower,
                contraction, number_word, slot, form in NUMBER_ABBREVIATIONS, False, False, False, False)
    if first.isdigit():
        return (_DIGIT, None, 0, 0.0, False, False, False, False, False, 0, False, False, False, False, False)
    return (_OTHER, None, 0, 0.0, False, False, False, False, False, 0, False,
            text == ",", text in "()[]", text in ":;", text in DOUBLE_QUOTE_MARKS)


def _facts_of(texts: Sequence[str]) -> list[tuple]:
    facts = list(map(_TOKEN_FACTS.get, texts))
    if None in facts:
        if len(_TOKEN_FACTS) > 500_000:  # a bound, for dumps with endless names and typos
            _TOKEN_FACTS.clear()
        table = zipf_table()
        for index, found in enumerate(facts):
            if found is None:
                found = facts[index] = _TOKEN_FACTS[texts[index]] = _token_facts(texts[index], table)
    return facts


def word_forms(texts: Sequence[str]) -> list[str | None]:
    """The form the votes read each token as (`_word_form`: lower case, locale-free spelling), None for a non-word."""
    return [fact[1] for fact in _facts_of(texts)]


# "per cent" and "percent" say which locale a site or MT system is set to, as spellings do
# (frequency.one_spelling): the "per" of "per cent" is read as the word "percent" and its
# "cent" as nothing, and the word pair across it ("percent of") is kept.
_NOTHING = (_OTHER, None, 0, 0.0, False, False, False, False, False, 0, False, False, False, False, False)


def _may_say_cent(texts: Sequence[str]) -> bool:
    """Whether a "cent" is among the tokens: a search in C that spares most texts a loop over their facts."""
    return "cent" in texts or "Cent" in texts


def _per_cent_as_one(texts: Sequence[str], starts: Sequence[int], facts: list[tuple]) -> list[tuple]:
    """`facts`, or a copy with each "per cent" (one space between) read as "percent"."""
    cents = [k for k, fact in enumerate(facts) if fact[1] == "cent"] if _may_say_cent(texts) else []
    folded = None
    for k in cents:
        if k > 0 and facts[k - 1][1] == "per" and starts[k - 1] + len(texts[k - 1]) + 1 == starts[k]:
            folded = folded or list(facts)
            folded[k - 1] = _facts_of(["percent" if texts[k - 1][0].islower() else "Percent"])[0]
            folded[k] = _NOTHING
    return folded or facts


def sentence_profile(tokens: Sequence[Token], pairs: Sequence[str] | None = None) -> np.ndarray:
    """Counts of what a machine changes, in one sentence (see SENTENCE_FEATURES); `pairs`, its adjacent word pairs if known."""
    texts, starts = [t.text for t in tokens], [t.start for t in tokens]
    profiles, _ = _profiles(texts, starts, _per_cent_as_one(texts, starts, _facts_of(texts)), [range(len(texts))], pairs)
    return profiles[0]


def _profiles(
    texts: Sequence[str], starts: Sequence[int], facts: list[tuple], ranges: Sequence[range], pairs: Sequence[str] | None = None
) -> tuple[np.ndarray, list[list[str]]]:
    """The profile of each range of tokens (a sentence), as rows of one matrix, and each range's word pairs.

    The facts are transposed once for the whole document and each sentence counts over
    slices of the columns; every count and sum is taken as before, in the same order, so the
    rows are those a sentence at a time gave. `pairs`, when given, are the one range's word pairs.
    """
    if facts:
        kinds, forms, lengths, frequencies, rare, unknown, not_lower, contractions, number_words, slots, abbreviation, commas, brackets, colons, quotes = zip(*facts)
    else:
        kinds = forms = lengths = frequencies = rare = unknown = not_lower = contractions = number_words = slots = abbreviation = commas = brackets = colons = quotes = ()
    # The word pair that starts at each token, or None: a pair lies in a range when both its words do.
    pair_at = [f"{first} {second}" if first is not None and second is not None else None for first, second in zip(forms, forms[1:])]
    # The pair across a "cent" read as nothing, kept where that "cent" stands: in a sentence
    # when both of its words are.
    silent = [k for k, fact in enumerate(facts) if fact is _NOTHING] if _may_say_cent(texts) else []
    for k in silent:
        if 0 < k < len(pair_at) and forms[k - 1] is not None and forms[k + 1] is not None:
            pair_at[k] = f"{forms[k - 1]} {forms[k + 1]}"
    is_common_pair = common_bigrams().__contains__
    # "the the": a word repeating the word before it, with punctuation between allowed and a number
    # not. Found once over the document's words and numbers; counted in a range when both are in it.
    kept = [k for k, kind in enumerate(kinds) if kind != _OTHER]
    doubled_at = [
        (before, k) for before, k in zip(kept, kept[1:]) if forms[k] is not None and forms[k] == forms[before]
    ]
    # "£80m": a number abbreviation right after a number, counted in a range when both are in it.
    abbreviated_at = [
        k for k in compress(range(len(facts)), abbreviation)
        if k > 0 and kinds[k - 1] == _DIGIT and starts[k - 1] + len(texts[k - 1]) == starts[k]
    ]
    rows, range_pairs = [], []
    for r in ranges:
        s, e = r.start, r.stop
        here = list(filter(None, pair_at[s : max(s, e - 1)])) if pairs is None else pairs
        range_pairs.append(here)
        common_pairs = sum(map(is_common_pair, here))
        range_kinds = kinds[s:e]
        words = range_kinds.count(_WORD)
        # A capitalised word after the first token: names, "Government".
        capitalised = sum(not_lower[s:e]) - (1 if e > s and kinds[s] == _WORD and not_lower[s] else 0)
        doubled = sum(1 for before, k in doubled_at if s <= before and k < e) if doubled_at else 0
        abbreviations = sum(1 for k in abbreviated_at if s < k < e) if abbreviated_at else 0
        last = next((t for t in reversed(texts[s:e]) if t not in DOUBLE_QUOTE_MARKS and t not in ")'’"), "")
        range_slots = slots[s:e]
        rows.append(
            [
                words,
                sum(lengths[s:e]) / words if words else 0.0,
                sum(frequencies[s:e], 0.0) / words if words else 0.0,
                sum(rare[s:e]),
                sum(unknown[s:e]),
                sum(contractions[s:e]),
                doubled,
                sum(commas[s:e]),
                float(last in (".", "!", "?") or _DOTTED_ABBREVIATION_RE.fullmatch(last) is not None),  # "... to the U.S."
                range_kinds.count(_DIGIT),
                sum(number_words[s:e]),
                abbreviations,
                range_slots.count(1),
                range_slots.count(2),
                range_slots.count(3),
                range_slots.count(4),
                capitalised,
                sum(brackets[s:e]),
                sum(colons[s:e]),
                sum(quotes[s:e]),
                common_pairs,
                common_pairs / len(here) if here else 0.0,
            ]
        )
    if not rows:
        return np.zeros((0, len(SENTENCE_FEATURES))), range_pairs
    return np.asarray(rows, dtype=float), range_pairs


def _summed_words(here: frozenset[str], table: dict[str, float]) -> tuple[int, int, float]:
    """Of the words one side alone has, `here`: how many are common, how many rare, their summed Zipf above 4.

    math.fsum rounds the sum once, so it is the same whatever order the set is read in
    (a set's order changes with the interpreter's hash seed).
    """
    common = rare = 0
    above_4 = []
    for word in here:
        frequency = table.get(word, 0.0)
        common += frequency >= COMMON
        rare += frequency < RARE
        above_4.append(frequency - 4.0)
    return common, rare, math.fsum(above_4)


@dataclass(frozen=True)
class SentenceWording:
    """What the votes need of one sentence, computed once per sentence: its counts and its lower-case words."""

    profile: np.ndarray
    words: frozenset[str]
    pairs: frozenset[str] = frozenset()  # its adjacent word pairs, "first second" in lower case

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> "SentenceWording":
        return DocumentWording.of([t.text for t in tokens], [t.start for t in tokens], [range(len(tokens))]).sentence(0)

    @property
    def stock_pairs(self) -> frozenset[str]:
        """Its word pairs that are stock English phrasing (on the list of common bigrams)."""
        return frozenset(filter(common_bigrams().__contains__, self.pairs))


@dataclass(frozen=True)
class DocumentWording:
    """The SentenceWording of every sentence of one document, made in one pass over its tokens."""

    profiles: np.ndarray  # [sentences, SENTENCE_FEATURES]: each sentence's sentence_profile
    words: list[frozenset[str]]  # each sentence's lower-case words
    pairs: list[frozenset[str]]  # each sentence's adjacent word pairs
    stock_pairs: list[frozenset[str]]  # those of its pairs that are common bigrams (SentenceWording.stock_pairs)

    @classmethod
    def of(cls, texts: Sequence[str], starts: Sequence[int], ranges: Sequence[range]) -> "DocumentWording":
        """From the document's token texts and start offsets, and each sentence's range of token indices."""
        facts = _per_cent_as_one(texts, starts, _facts_of(texts))
        profiles, pairs = _profiles(texts, starts, facts, ranges)
        lower_forms = [f[1] if f[0] == _WORD and not f[6] else None for f in facts]
        words = [frozenset(filter(None, lower_forms[r.start : r.stop])) for r in ranges]
        pair_sets = [frozenset(here) for here in pairs]
        # Each pair looked up once in the large table of common bigrams, not once per sentence pair.
        is_common_pair = common_bigrams().__contains__
        return cls(profiles, words, pair_sets, [frozenset(filter(is_common_pair, here)) for here in pair_sets])

    def __len__(self) -> int:
        return len(self.words)

    def sentence(self, i: int) -> SentenceWording:
        return SentenceWording(self.profiles[i], self.words[i], self.pairs[i])


@dataclass
class PairDifferences:
    """How b's wording differs from a's, one row per aligned sentence pair."""

    counts: np.ndarray  # [pairs, feature_names()]: profile(b) - profile(a), and the only-here columns
    words: list[tuple[tuple[str, ...], tuple[str, ...]]]  # per pair: lower-case words only in a, only in b

    def __len__(self) -> int:
        return len(self.counts)

    @classmethod
    def empty(cls) -> "PairDifferences":
        return cls(np.zeros((0, len(feature_names()))), [])

    @classmethod
    def of_pairs(cls, pairs: Sequence[tuple[SentenceWording, SentenceWording]]) -> "PairDifferences":
        """From the wording of a's sentence and of b's, per aligned pair."""
        if not pairs:
            return cls.empty()
        profiles_a = np.asarray([a.profile for a, _ in pairs])
        profiles_b = np.asarray([b.profile for _, b in pairs])
        return cls._of(profiles_a, profiles_b, [(a.words, b.words, a.pairs, b.pairs, a.stock_pairs, b.stock_pairs) for a, b in pairs])

    @classmethod
    def between(cls, a: DocumentWording, b: DocumentWording, pairs: Sequence[tuple[int, int]]) -> "PairDifferences":
        """of_pairs of sentence i of a and sentence j of b, for each (i, j) of `pairs`."""
        if not pairs:
            return cls.empty()
        rows_a = [i for i, _ in pairs]
        rows_b = [j for _, j in pairs]
        sets = [(a.words[i], b.words[j], a.pairs[i], b.pairs[j], a.stock_pairs[i], b.stock_pairs[j]) for i, j in pairs]
        return cls._of(a.profiles[rows_a], b.profiles[rows_b], sets)

    @classmethod
    def _of(cls, profiles_a: np.ndarray, profiles_b: np.ndarray, sets: list[tuple[frozenset, ...]]) -> "PairDifferences":
        # The profile subtractions made for all rows at once; the set differences row by row.
        table = zipf_table()
        only_as, only_bs, words = [], [], []
        for words_a, words_b, pairs_a, pairs_b, stock_a, stock_b in sets:
            here_a, here_b = words_a - words_b, words_b - words_a  # each made once, for the counts and the words
            # The word pairs one side alone has, and the stock English phrasing among them.
            shared_pairs = len(pairs_a & pairs_b)
            only_a_stock, only_b_stock = len(stock_a - pairs_b), len(stock_b - pairs_a)
            only_as.append(_summed_words(here_a, table) + (only_a_stock, len(pairs_a) - shared_pairs - only_a_stock))
            only_bs.append(_summed_words(here_b, table) + (only_b_stock, len(pairs_b) - shared_pairs - only_b_stock))
            words.append((tuple(sorted(here_a)), tuple(sorted(here_b))))
        counts = np.concatenate([profiles_b - profiles_a, np.subtract(only_bs, only_as, dtype=float)], axis=1)
        return cls(counts, words)

    def swapped(self) -> "PairDifferences":
        """The same pairs seen from the other side."""
        return PairDifferences(-self.counts, [(b, a) for a, b in self.words])


# The conjunctions and sentence adverbs STOPWORDS lacks (it also makes the story keys, which
# these must not change): a swap of one of them for a content word is a sentence built otherwise.
_MORE_FUNCTION_WORDS = frozenset(
    """although though however because since unless whether yet thus therefore hence whereas moreover
    furthermore meanwhile nevertheless nonetheless instead otherwise also even still already just""".split()
)


def is_word_swap(old: str, new: str) -> bool:
    """Whether `new` in place of `old` (a few words each) reads as words swapped: function words
    for function words, or content words for content words ("that" for "which", "father" for
    "dad"). "the" for "presented" is a sentence built otherwise, and "th" for "seventh" a number
    restyled ("7th"), which the evidence says apart."""
    words_old, words_new = old.lower().split(), new.lower().split()
    if not words_old or not words_new or any(w in ORDINAL_SUFFIXES for w in words_old + words_new):
        return False
    return _has_content_word(words_old) == _has_content_word(words_new)


def _has_content_word(words: list[str]) -> bool:
    return any(w not in STOPWORDS and w not in _MORE_FUNCTION_WORDS for w in words)


def pair_difference(a: SentenceWording, b: SentenceWording) -> np.ndarray:
    """What b does differently from a, as one row: positive where b looks more like a machine's sentence."""
    return PairDifferences.of_pairs([(a, b)]).counts[0]
