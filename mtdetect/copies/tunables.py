"""Thresholds and word lists of the copies pass (measured on seeds/ and on WMT human vs machine translations; see scripts/eval_copies.py)."""

from __future__ import annotations

import re

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
DEFAULT_MACHINE_LOG_ODDS = 2.0  # without a fitted direction model: log-odds a rewrite needs to be called machine-made
EARLIER_COPY_LOG_ODDS = 3.0  # a copy whose stated publication date is before its original's needs this much more (odds e^3, ~20 times)
DETECTOR_LOG_ODDS = 2.0  # the detector's two scores move a pair's log-odds by at most this much
# A copy word for word in part is weighed as a rewrite too when this many of its aligned sentences
# are reworded: fewer cannot reach the log-odds a rewrite needs (a vote counts at most about 1.1).
PARTLY_REWORDED_PAIRS = 3
SPEECH_WORDS = 4  # a quote this long is something someone said, not a quoted term or title
FINDING_FACTOR = 0.8  # each reworded quote or respelled name leaves this much of the doubt
# Prepared documents (tokens, names, wording) kept while pairs are decided. The pairs come in an
# order that keeps a document's pairs together, so 128 already prepared each document of the
# benchmark dump once; 1,024 only held ~125 MB more (3,000 WMT documents, 7,494 pairs).
PREPARED_KEPT = 256

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
FEATURES = ("reworded_quote", "respelled_name", "restyled_number", "machine_wording", "aligned_paragraphs", "verbatim_share")


