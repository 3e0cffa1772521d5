"""Who is who in a document: person mentions, their titles, and the gender the text gives them.

Shared by the honorific and pronoun extractors (and open to any other). One linear pass
over the tokens of each sentence finds runs of capitalised words, strips the office words
in front ("Chinese Foreign Minister"), and keeps the courtesy title before the run
("Ms.", "Mr"). A mention is filed under its surname *key*: "David Lin", "Mr. Lin" and
"Lin's" all file under "Lin". Gender comes from what the text itself says:

* strong cues: a given name ("David"), a gendered role noun attached to the name
  ("actress Jane Roe", "her husband, Tom Roe", "Ann Roe is the daughter of"), a gendered
  rank ("Queen", "Sir"), a feminine surname ("-ová", "-dóttir");
* courtesy titles ("Mr.", "Ms."), which a machine translating from a language with
  gender-free honorifics (Japanese "-san", "-shi", Korean "-ssi") has to guess;
* third-person pronouns, only where the sentence (or the one before, if this one names
  nobody) names exactly one person and no person noun ("his lawyer", "the mother") or
  capitalised word that might be someone.

A surname that may belong to two people ("David Lin" and "Alice Lin"; "Mr. Hart" and
"Mrs. Hart") gets no gender at all. `analyse(doc).clashes` lists, in text order, each
title or pronoun whose gender contradicts what the document had already established for
that person. The analysis is cached for the last document seen, so that the features
sharing it pay once per document. Every name list here is a list of facts (common given
names by gender, courtesy titles, office words), never of particular stories' people.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from itertools import compress, repeat
from operator import is_not, itemgetter

from ...text import OPENING_QUOTE_MARKS, Document, Token
from .words import (
    COURTESY_TITLES, DETERMINERS_BEFORE_NOUN, DOTTABLE_TITLES, FEMALE, FEMALE_GIVEN_NAMES,
    FEMININE_FULL_NAME_SURNAME_RE, GENDERED_RANKS, MALE, MALE_GIVEN_NAMES, PERSON_NOUNS,
    PERSON_PREFIXES, PRONOUNS, SENTENCE_END_RE, SPEECH_VERBS,
)
from .facts import Clash, Cue, Mention, People, SentenceFacts
from .tokens import (
    NAME_START, OTHER_WORD, PERSON_NOUN, PRONOUN, gender_of_given_name, quote_flags, strip_possessive,
    token_kinds,
)
from .reader import NameReader
from .genders import people_and_places, strong_genders, track_gender


_cache_lock = threading.Lock()
_cache: tuple[Document, People] | None = None


def analyse(doc: Document) -> People:
    """The people of `doc`, cached for the last document so the features sharing it pay once."""
    global _cache
    cached = _cache
    if cached is not None and cached[0] is doc:
        return cached[1]
    people = _analyse(doc)
    with _cache_lock:
        _cache = (doc, people)
    return people


# A Mention has a title only where a token is a courtesy title, and a pronoun cue only where
# a word is 'he', 'she', 'his', ... (in any case). A document with neither (two in five WMT
# news documents) can give the title features and the pronoun clash nothing, so they ask
# these first and skip the analysis.
_TITLE_TOKENS = frozenset(COURTESY_TITLES)
_PRONOUN_WORDS = frozenset(PRONOUNS)


def has_courtesy_title(doc: Document) -> bool:
    """Whether any token is a courtesy title ("Mr", "Ms", "Dr", ...): without one no mention has a title."""
    found = doc.__dict__.get("_people_has_title")
    if found is None:
        found = doc.__dict__["_people_has_title"] = not _TITLE_TOKENS.isdisjoint(doc.token_texts)
    return found


def _strong_cue_tokens(gender: str) -> frozenset[str]:
    """Every token that can give a mention a strong cue of `gender`: a given name, a rank or a
    role noun (with the prefixes person_noun takes), each also with the possessive endings
    strip_possessive takes off. The feminine surname endings are looked for in the text."""
    given = MALE_GIVEN_NAMES if gender == MALE else FEMALE_GIVEN_NAMES
    nouns = [noun for noun, noun_gender in PERSON_NOUNS.items() if noun_gender == gender]
    bases = [*given, *(rank for rank, rank_gender in GENDERED_RANKS.items() if rank_gender == gender)]
    bases += [prefix + noun for noun in nouns for prefix in ("", *PERSON_PREFIXES)]
    return frozenset(base + ending for base in bases for ending in ("", "'s", "’s", "'S", "’S", "'", "’"))


_STRONG_CUE_TOKENS = {MALE: _strong_cue_tokens(MALE), FEMALE: _strong_cue_tokens(FEMALE)}
# Where a token (possessive taken off or not) ends as a feminine surname may: the full-name
# endings include the ones that stand alone. A token ends where no letter follows.
FEMININE_ENDING_RE = re.compile(FEMININE_FULL_NAME_SURNAME_RE.pattern.removesuffix("$") + r"(?![^\W\d_])")


def pronoun_clash_possible(doc: Document) -> bool:
    """False when no pronoun can clash with an established gender, whatever the analysis finds.

    A clash needs a pronoun cue, so a gendered pronoun word. Without a courtesy title, a
    gender is established only by a strong cue or a pronoun: when every pronoun has one
    gender and no token can be a strong cue of the other, nothing contradicts them (four in
    five WMT news documents)."""
    genders = {PRONOUNS[word] for word in _PRONOUN_WORDS.intersection(doc.lower_words)}
    if not genders:
        return False
    if len(genders) > 1 or has_courtesy_title(doc):
        return True
    other = FEMALE if MALE in genders else MALE
    if not _STRONG_CUE_TOKENS[other].isdisjoint(doc.token_texts):
        return True
    return other == FEMALE and FEMININE_ENDING_RE.search(doc.text) is not None


def _analyse(doc: Document) -> People:
    # Token texts and starts, not doc.tokens: the Token tuples need not be built for this.
    texts, starts = doc.token_texts, doc.token_starts
    quoted = quote_flags(doc)
    sentence_ranges = doc.sentence_token_ranges
    kinds = token_kinds(texts)
    # Most tokens say nothing about people: the loop below visits the others alone.
    telling = list(compress(range(len(kinds)), map(is_not, kinds, repeat(OTHER_WORD))))

    # A capitalised word that opens a sentence is a name only if it is capitalised mid-sentence too.
    sentence_starts = {r.start for r in sentence_ranges}
    mid_sentence_capitals: set[str] = set()
    for i in compress(range(len(texts)), map(str.isupper, map(itemgetter(0), texts))):
        if i not in sentence_starts:
            before = texts[i - 1]
            if before not in OPENING_QUOTE_MARKS and before != '"':
                mid_sentence_capitals.add(strip_possessive(texts[i]))

    reader = NameReader(doc, quoted, mid_sentence_capitals, kinds)
    sentences: list[SentenceFacts] = []
    runs: list[Mention] = []
    for s_index, (span, r) in enumerate(zip(doc.sentences, sentence_ranges)):
        facts = SentenceFacts()
        sentences.append(facts)
        if not SENTENCE_END_RE.search(doc.text, span.start, span.end):
            continue  # a heading or caption: title case says nothing about names
        attached: set[int] = set()
        skipped_pronouns: set[int] = set()
        found: list[Mention] = []
        after = r.start  # the first token not yet read (a name read runs over several)
        for position in range(bisect_left(telling, r.start), bisect_left(telling, r.stop)):
            i = telling[position]
            if i < after:
                continue
            kind = kinds[i]
            if kind is NAME_START:
                after = reader.read(i, r, s_index, found, attached, skipped_pronouns, facts)
                continue
            what, gender = kind
            if what is PRONOUN:
                if not quoted[i] and not _generic_pronoun(texts, i, r):
                    facts.pronouns.append((Token(starts[i], starts[i] + len(texts[i]), texts[i]), gender))
            elif what is PERSON_NOUN or _after_determiner(texts, i, r):
                facts.nouns.append((i, gender))
        # A noun claimed by a name ("her husband, Tom Roe") is that person, not another one,
        # and the 'her' before it is someone else again.
        if attached:
            facts.nouns[:] = [n for n in facts.nouns if n[0] not in attached]
        if skipped_pronouns:
            facts.pronouns[:] = [p for p in facts.pronouns if p[0].start not in skipped_pronouns]
        runs.extend(found)
        facts.mentions = found

    person_keys, places = people_and_places(runs)
    for facts in sentences:
        everyone = facts.mentions
        facts.mentions = [m for m in everyone if m.key in person_keys]
        facts.unknown = [m for m in everyone if m.key not in person_keys and m.key not in places and not m.place]
    mentions = [m for facts in sentences for m in facts.mentions]
    strong_gender, strong_source = strong_genders(mentions)
    people = People(mentions, sentences, person_keys, strong_gender, strong_source)
    people.clashes = track_gender(people, doc.text)
    return people


def _generic_pronoun(texts: list[str], i: int, r: range) -> bool:
    """'he or she', 'his/her': a generic person, not anyone in particular."""
    for j in (i - 1, i + 1):
        if r.start <= j < r.stop and texts[j].lower() in ("or", "/"):
            return True
    return False


def _after_determiner(texts: list[str], i: int, r: range) -> bool:
    """'the rapper', 'a famous saxophonist': a determiner one or two words before."""
    for j in (i - 1, i - 2):
        if j < r.start:
            return False
        text = texts[j].lower()
        if text in DETERMINERS_BEFORE_NOUN:
            return True
        if not texts[j].islower():
            return False
    return False


__all__ = [
    "DOTTABLE_TITLES", "FEMALE", "MALE", "SPEECH_VERBS", "Clash", "Cue", "Mention", "People", "SentenceFacts",
    "analyse", "gender_of_given_name", "has_courtesy_title", "pronoun_clash_possible", "strip_possessive",
]
