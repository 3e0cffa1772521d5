"""How common an English word is, from a broad table of human English word frequencies.

The table is wordfreq's "large" English list (books, news, subtitles, web text and more,
about 320,000 words; the wordfreq package ships it, nothing is downloaded). It is not
built from our own training data, so it cannot encode the topics we train on. Values are
on the Zipf scale: log10 of a word's frequency per billion words ("the" 7.7, "government"
5.6, "galling" 2.5); a word the table does not know has 0.

A round trip pulls wording toward common words (savers -> customers, galling ->
intolerable) and repairs typos, so both the copies pass and the single-document
statistics read the same table.

Word pairs are read against symspellpy's English bigram list: the 242,000 commonest
adjacent word pairs of Google Books (each seen at least about 6.4 million times), shipped
inside the package. A machine rewrites toward stock phrasing ("in order to", "as well
as"), so more of its adjacent word pairs are on that list.
"""

from __future__ import annotations

from functools import lru_cache

UNKNOWN = 0.0
COMMON = 5.0  # "government", "people", "said": among the ~2,000 commonest words
RARE = 3.5  # "galling", "redeemed": a word most texts never use


@lru_cache(maxsize=1)
def zipf_table() -> dict[str, float]:
    """Lower-case word -> Zipf frequency, loaded once per process (about a fifth of a second, 60 MB)."""
    from wordfreq import get_frequency_list

    # wordfreq keeps its words in buckets of one centibel each: bucket i holds the words of
    # frequency 10**(-i/100), Zipf 9 - i/100. One value per bucket, not a logarithm per word,
    # loads the table three times faster (every scan worker pays it at start).
    table: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list("en", wordlist="large")):
        table.update(dict.fromkeys(bucket, round(9 - index / 100, 2)))
    return table


BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"


@lru_cache(maxsize=1)
def common_bigrams() -> frozenset[str]:
    """The commonest English word pairs, as "first second" in lower case (loaded once per process, about 25 MB)."""
    from importlib.resources import files

    # Each line is "first second count": the pair is what comes before the last space.
    text = files("symspellpy").joinpath(BIGRAM_FILE).read_text(encoding="utf-8")
    return frozenset(line.rpartition(" ")[0] for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def one_spelling() -> dict[str, str]:
    """British and American spellings of one word, each read as the commoner of them in the table.

    "organisation" and "organization" both read "organization", "theatre" and "theater" both
    "theatre". Which spelling a text uses says which locale its site or its MT system is set
    to, not who wrote it (DeepL, set to British English, respelled words of 61 of the 156
    round-trip originals, always toward British; WMT's MT systems lean American against the
    human translators, 101 words to 51: scripts/spelling_locale.py), so, like quotation
    marks, it must not become a signal. The pairs are breame's list of about 1,700 British
    and American spellings: curated, where rules (-our -> -or) would also turn "four" into
    "for".
    """
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    table = zipf_table()
    variants: dict[str, set[str]] = {}
    for british, american in BRITISH_ENGLISH_SPELLINGS.items():
        variants.setdefault(american, {american}).add(british)
    read_as = {}
    for forms in variants.values():
        commonest = max(sorted(forms), key=lambda form: table.get(form, 0.0))
        read_as.update(dict.fromkeys(forms, commonest))
    return read_as


def zipf(word: str) -> float:
    """Zipf frequency of a word (any case; curly apostrophes read as straight), 0 when unknown."""
    form = word.lower().replace("’", "'")
    value = _SEEN.get(form)
    return _look_up(form) if value is None else value


# The words seen lately, with their values: a small table that stays in the processor's cache,
# where each lookup in the 320,000-word table is a trip to memory. News repeats its words.
_SEEN: dict[str, float] = {}
_SEEN_LIMIT = 100_000


def _look_up(form: str) -> float:
    if len(_SEEN) >= _SEEN_LIMIT:
        _SEEN.clear()
    value = _SEEN[form] = zipf_table().get(form, UNKNOWN)
    return value


def zipfs(forms: list[str]) -> list[float]:
    """zipf() of many words already lower-cased with straight apostrophes, in one pass."""
    values = list(map(_SEEN.get, forms))
    index = -1
    try:
        while True:  # list.index finds the few words not seen yet in C
            index = values.index(None, index + 1)
            values[index] = _look_up(forms[index])
    except ValueError:
        return values
