"""What one token says about people by its text alone: a given name's gender, a name word,
a person noun, a pronoun, and whether it stands inside a quotation."""

from __future__ import annotations

from ...text import CLOSING_QUOTE_MARKS, DOUBLE_QUOTE_CHARACTERS, OPENING_QUOTE_MARKS, Document, char_positions
from .words import (
    COURTESY_TITLES, FEMALE, FEMALE_GIVEN_NAMES, MALE, MALE_GIVEN_NAMES, NOT_A_PERSON,
    NOT_NAME_WORDS, NOT_PERSON_SUFFIXED, PERSON_NOUNS, PERSON_PREFIX_RE, PERSON_SUFFIXES,
    PRONOUNS,
)


def gender_of_given_name(name: str) -> str | None:
    if name in MALE_GIVEN_NAMES:
        return MALE
    if name in FEMALE_GIVEN_NAMES:
        return FEMALE
    return None


def strip_possessive(word: str) -> str:
    last = word[-1]
    if last in "sS":
        if len(word) > 2 and word[-2] in "'’":
            return word[:-2]
    elif last in "'’" and len(word) > 1:
        return word[:-1]
    return word


def is_name_word(text: str) -> bool:
    if not text[0].isupper():
        return False
    if len(text) > 1 and text.isupper():
        return False  # acronyms: VOA, NATO
    return strip_possessive(text) not in NOT_NAME_WORDS


# Courtesy titles that are no name words ("Mr"; not "Madam"): with the name words, the tokens _word_kind calls NAME_START.
TITLES_NOT_NAME_WORDS = frozenset(title for title in COURTESY_TITLES if not is_name_word(title))


def person_noun(text: str) -> tuple[bool, str | None]:
    """Is this lower-case word a person noun, and of which gender?"""
    word = strip_possessive(text)
    gender = PERSON_NOUNS.get(word, NOT_A_PERSON)
    if gender is not NOT_A_PERSON:
        return True, gender
    prefixed = PERSON_PREFIX_RE.match(word)
    if prefixed and prefixed.group(1) in PERSON_NOUNS:
        return True, PERSON_NOUNS[prefixed.group(1)]
    return False, None


def quote_flags(doc: Document) -> list[bool]:
    """Per token: is it inside a quotation? Straight quotes toggle; the state resets per paragraph.

    Every quotation mark is a token of its own, so a search in C finds them and the quoted runs
    between them are filled in as slices instead of visiting every token.
    """
    texts = doc.token_texts
    flags = [False] * len(texts)
    text = doc.text
    marks = [doc.token_range(position, position + 1).start for position in char_positions(text, DOUBLE_QUOTE_CHARACTERS)]
    if not marks:
        return flags
    next_mark = 0
    for start, end in doc.paragraphs:
        r = doc.token_range(start, end)
        inside_from = -1  # the first token of the open quotation, or -1 when outside one
        while next_mark < len(marks) and marks[next_mark] < r.stop:
            index = marks[next_mark]
            next_mark += 1
            if inside_from >= 0:
                flags[inside_from:index] = [True] * (index - inside_from)
            flags[index] = True
            mark = texts[index]
            if mark in OPENING_QUOTE_MARKS:
                inside = True
            elif mark in CLOSING_QUOTE_MARKS:
                inside = False
            else:
                inside = inside_from < 0  # a straight quote toggles
            inside_from = index + 1 if inside else -1
        if inside_from >= 0:
            flags[inside_from : r.stop] = [True] * (r.stop - inside_from)
    return flags


# What a token can say about people by its text alone: NAME_START (a capitalised name word
# or a courtesy title), (PRONOUN, gender), (PERSON_NOUN, gender or None), (SUFFIXED_NOUN,
# None) for a word like "rapper" that is a person only after a determiner, or OTHER_WORD.
# Cached across documents (the main loop of _analyse looks up every token); cleared when it
# grows too big.
PRONOUN, PERSON_NOUN, SUFFIXED_NOUN = "pronoun", "person noun", "suffixed noun"
NAME_START = ("name", None)
OTHER_WORD = ("other", None)
_WORD_KINDS: dict[str, tuple[str, str | None]] = {}
_WORD_KINDS_LIMIT = 200_000


def _word_kind(text: str) -> tuple[str, str | None]:
    """Classify a token for _analyse, and cache the answer."""
    if text[0].isupper():
        if is_name_word(text) or text in COURTESY_TITLES:
            kind = NAME_START
        elif text.lower() in PRONOUNS:  # "He": a capitalised word is never lower case
            kind = (PRONOUN, PRONOUNS[text.lower()])
        else:
            kind = OTHER_WORD
    elif text in PRONOUNS:
        kind = (PRONOUN, PRONOUNS[text])
    elif text.islower():
        gender = PERSON_NOUNS.get(text, NOT_A_PERSON)
        if gender is NOT_A_PERSON and (text[-1] in "sS'’-" or text[:2] in ("co", "ex", "st", "gr")):
            is_person, gender = person_noun(text)
            if not is_person:
                gender = NOT_A_PERSON
        if gender is not NOT_A_PERSON:
            kind = (PERSON_NOUN, gender)
        elif (
            len(text) > 4 and text.endswith(PERSON_SUFFIXES) and strip_possessive(text) not in NOT_PERSON_SUFFIXED
        ):
            kind = (SUFFIXED_NOUN, None)
        else:
            kind = OTHER_WORD
    else:
        kind = OTHER_WORD
    if len(_WORD_KINDS) >= _WORD_KINDS_LIMIT:
        _WORD_KINDS.clear()
    _WORD_KINDS[text] = kind
    return kind


def token_kinds(texts: list[str]) -> list[tuple[str, str | None]]:
    """_word_kind of every token: one dictionary lookup each, the cache filled where it misses."""
    kinds = list(map(_WORD_KINDS.get, texts))
    index = -1
    try:
        while True:  # list.index finds the few misses in C
            index = kinds.index(None, index + 1)
            kinds[index] = _word_kind(texts[index])
    except ValueError:
        return kinds
