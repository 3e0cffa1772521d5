"""Courtesy titles that a human editor would have kept consistent.

A newsroom writes titles by house style: British papers "Mr Smith", American ones
"Mr. Smith", the New York Times a title on every later mention, the AP none at all.
A machine translating sentence by sentence has no house style. From Japanese, Korean or
Chinese, whose honorifics carry no gender, it adds "Mr."/"Ms." on some mentions and not
others, guesses the gender, or leaves the honorific untranslated ("Tanaka-san").

Four signals, each its own feature:
* honorific_style: "Mr." and "Mr" both in one story, the odd one out between the others;
* honorific_inconsistency: a person called "Mr. Blinken" around a bare "Blinken" (or the
  reverse), the odd mention out between the others;
* honorific_gender: "Ms. Lin" for a person the story made male ("David Lin", "his");
* foreign_honorific: "-san", "-sama", "-ssi", "-nim", ... left on an English name.

Mixed styles that sit in separate blocks (an aggregator quoting a BBC report after a wire
story) are not flagged: only a mention sandwiched between mentions of the other style is.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence, TypeVar

from ..text import Document
from . import Evidence, artifact
from .people import DOTTABLE_TITLES, SPEECH_VERBS, Mention, analyse, has_courtesy_title

# Titles whose presence on later mentions is a house-style choice (not Dr., Prof.).
STYLE_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Mme"})
# Untranslated Japanese and Korean honorifics hyphenated to a capitalised name.
FOREIGN_SUFFIX_RE = re.compile(
    r"\b([A-Z][^\W\d_]*(?:[ -][A-Z][^\W\d_]*)?)-(san|sama|kun|chan|sensei|senpai|dono|shi|ssi|nim)\b"
)
# "-shi" also means "city" in Japanese place names ("Karatsu-shi"), so it needs a person.
PLACE_AMBIGUOUS_SUFFIXES = frozenset({"shi"})
# German and Russian courtesy titles left untranslated before a name.
FOREIGN_TITLE_RE = re.compile(r"\b(Herr|Frau|Gospodin|Gospozha|Gospodina)\s+(?=[A-Z][^\W\d_]+)")
# What every FOREIGN_SUFFIX_RE / FOREIGN_TITLE_RE match contains: cheap to look for first
# (a literal start), so the full patterns, which try every word boundary, rarely run.
FOREIGN_SUFFIX_MARK_RE = re.compile(r"-(?:san|sama|kun|chan|sensei|senpai|dono|shi|ssi|nim)\b")
FOREIGN_TITLE_MARKS = ("Herr", "Frau", "Gospo")
NEXT_WORD_RE = re.compile(r"[’']?s?\s*,?\s*([a-z]+)")

T = TypeVar("T")


def sandwiched(items: Sequence[T], style_of) -> list[tuple[T, str, list[T]]]:
    """Items of the minority style that have majority-style items both before and after them.

    Returns (item, majority style, majority items). Ties count the first-used style as the
    majority, so the later switch is what gets pointed at.
    """
    if len(items) < 3:
        return []
    counts: dict[str, int] = {}
    for item in items:
        counts[style_of(item)] = counts.get(style_of(item), 0) + 1
    if len(counts) < 2:
        return []
    first_style = style_of(items[0])
    majority = max(counts, key=lambda style: (counts[style], style == first_style))
    positions = [i for i, item in enumerate(items) if style_of(item) == majority]
    if len(positions) < 2:
        return []
    majority_items = [items[i] for i in positions]
    return [
        (item, majority, majority_items)
        for i, item in enumerate(items[positions[0] + 1 : positions[-1]], positions[0] + 1)
        if style_of(item) != majority
    ]


@artifact(
    "honorific_style",
    1,
    "'Mr.' and 'Mr' (or 'Ms.'/'Ms', 'Dr.'/'Dr') mixed within one story, the odd spelling between the usual one",
)
def honorific_style(doc: Document) -> Iterable[Evidence]:
    if not has_courtesy_title(doc):
        return  # no titled mention, so nothing to find (and no analysis to pay for)
    people = analyse(doc)
    titled = [m for m in people.mentions if m.title in DOTTABLE_TITLES and not m.quoted]
    if not titled:
        return
    text = doc.text

    def dotted(m: Mention) -> str:
        return "dotted" if text[m.title_end - 1] == "." else "undotted"

    for mention, majority, usual in sandwiched(titled, dotted):
        seen = text[mention.title_start : mention.title_end]
        example = usual[0]
        other = text[example.title_start : example.title_end]
        yield Evidence(
            "honorific_style",
            mention.title_start,
            mention.title_end,
            f"'{seen}' where the story otherwise writes {majority} titles ({len(usual)} times, "
            f"e.g. '{other}' at {example.title_start}): a house style is kept by an editor, "
            "not by a sentence-by-sentence translation",
        )


@artifact(
    "honorific_inconsistency",
    1,
    "A person called 'Mr. X' on some mentions and a bare 'X' on others, interleaved",
)
def honorific_inconsistency(doc: Document) -> Iterable[Evidence]:
    if not has_courtesy_title(doc):
        return  # no titled mention, so nothing to find (and no analysis to pay for)
    people = analyse(doc)
    text = doc.text
    by_key: dict[str, list[Mention]] = {}
    for m in people.mentions:
        if m.quoted:
            continue  # speakers drop titles
        if m.title in STYLE_TITLES or m.bare:
            by_key.setdefault(m.key, []).append(m)
    for key, mentions in by_key.items():
        if not any(m.title for m in mentions):
            continue

        def style(m: Mention) -> str:
            return "titled" if m.title else "bare"

        for mention, majority, usual in sandwiched(mentions, style):
            example = usual[0]
            if majority == "titled":
                shown = text[example.title_start : example.end]
                yield Evidence(
                    "honorific_inconsistency",
                    mention.start,
                    mention.end,
                    f"bare '{key}' among {len(usual)} titled mentions of the same person "
                    f"(e.g. '{shown}' at {example.title_start}): a title added or dropped "
                    "sentence by sentence, as a translating machine does",
                )
            else:
                yield Evidence(
                    "honorific_inconsistency",
                    mention.title_start,
                    mention.title_end,
                    f"'{text[mention.title_start:mention.title_end]}' on '{key}', whom the story "
                    f"otherwise names bare ({len(usual)} times, e.g. at {example.start}): a title "
                    "added sentence by sentence, as a translating machine does",
                )


@artifact(
    "honorific_gender",
    1,
    "A courtesy title of the wrong gender: 'Ms.' for a person the story made male by name, role or pronoun",
)
def honorific_gender(doc: Document) -> Iterable[Evidence]:
    if not has_courtesy_title(doc):
        return  # no titled mention, so nothing to find (and no analysis to pay for)
    text = doc.text
    for clash in analyse(doc).clashes:
        cue = clash.cue
        if cue.kind != "title":
            continue
        yield Evidence(
            "honorific_gender",
            cue.start,
            cue.end,
            f"'{text[cue.start:cue.end]}' for {cue.key}, whom the story made {clash.established} "
            f"('{clash.because}' at {clash.because_at}): a translating machine guesses the gender "
            "of an honorific its source language does not mark",
        )


@artifact(
    "foreign_honorific",
    1,
    "A Japanese or Korean honorific ('-san', '-sama', '-ssi', '-nim') or a German/Russian title left untranslated",
)
def foreign_honorific(doc: Document) -> Iterable[Evidence]:
    text = doc.text
    people = None
    suffixes = FOREIGN_SUFFIX_RE.finditer(text) if FOREIGN_SUFFIX_MARK_RE.search(text) else ()
    for match in suffixes:
        stem, suffix = match.group(1), match.group(2)
        if stem.lower() == suffix or stem.lower().endswith(" " + suffix):
            continue  # a reduplicated word ("San-san"), not a name and a title
        if len(stem) == 1:
            continue  # "A-san": an anonymised person, which human translators keep too
        if suffix in PLACE_AMBIGUOUS_SUFFIXES:
            if people is None:
                people = analyse(doc)
            after = NEXT_WORD_RE.match(text, match.end())
            spoke = after is not None and after.group(1) in SPEECH_VERBS
            if not spoke and stem.split()[-1] not in people.person_keys:
                continue
        yield Evidence(
            "foreign_honorific",
            match.start(2) - 1,
            match.end(2),
            f"'-{suffix}' left on '{stem}': an honorific of the source language that a "
            "translator renders as a title or drops",
        )
    if not any(mark in text for mark in FOREIGN_TITLE_MARKS):
        return
    for match in FOREIGN_TITLE_RE.finditer(text):
        yield Evidence(
            "foreign_honorific",
            match.start(1),
            match.end(1),
            f"'{match.group(1)}' left untranslated before a name: a courtesy title of the "
            "source language that a translator renders as 'Mr.' or 'Ms.'",
        )
