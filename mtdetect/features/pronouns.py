"""Pronouns whose gender clashes with the person they can only refer to.

Japanese and Chinese often leave the subject out or use one spoken pronoun for both
sexes, so a machine translating into English picks "he" or "she" sentence by sentence:
a man introduced as "pastor David Lin" becomes "she" two sentences later. A human
translator knows who the story is about.

Pronoun resolution is hard, so this is conservative (see people.analyse(...).clashes): a
pronoun is tied to a person only when its sentence names that person alone and no
person noun ("his lawyer", "the mother"), or names nobody and follows such a sentence;
it is reported only if no other person of its gender, or of unknown gender, is named
or described in that sentence or the one before, and never inside a quotation.
"""

from __future__ import annotations

from typing import Iterable

from ..text import Document
from . import Evidence, artifact
from .people import analyse, pronoun_clash_possible


@artifact(
    "pronoun_gender_clash",
    1,
    "'she'/'he' for the only person in reach, whom the story made the other gender by name, role, title or pronoun",
)
def pronoun_gender_clash(doc: Document) -> Iterable[Evidence]:
    if not pronoun_clash_possible(doc):
        return  # nothing to find, and no analysis to pay for
    text = doc.text
    for clash in analyse(doc).clashes:
        cue = clash.cue
        if cue.kind != "pronoun":
            continue
        yield Evidence(
            "pronoun_gender_clash",
            cue.start,
            cue.end,
            f"'{text[cue.start:cue.end]}' for {cue.key}, the only person named nearby, whom the story "
            f"made {clash.established} ('{clash.because}' at {clash.because_at}): a translating "
            "machine picks a pronoun sentence by sentence",
        )
