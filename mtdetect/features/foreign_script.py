"""Words left in the source language's script inside English text.

Neural MT copies what it cannot translate: a Japanese name in kana, a Chinese term in Han
characters, a Russian word in Cyrillic. A human translator transliterates or translates it;
English news almost never prints these scripts. On WMT news, runs of CJK, kana or Cyrillic
letters appear in about 1 in 50 machine translations and almost never in human ones.

Greek is counted only as a run of three or more letters, since single Greek letters are
ordinary English usage in science and medicine ("the delta variant", "β-blockers", "μm").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from ..text import Document
from . import Evidence, artifact

FOREIGN_SCRIPT_RE = re.compile(
    "(?:"
    # Han, kana, Hangul, full-width letters: one character is already a word (but not the
    # katakana middle dot or the Han stroke used as a separator bar).
    "(?![\u30fb\u4e28])[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]+"
    # Alphabets: at least two letters, so a look-alike letter in a Latin word ("22°С") is not a word.
    "|[\u0400-\u04ff\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f]{2,}"
    "|[\u0370-\u03ff]{3,}"  # Greek words, not single letters
    ")"
)
# Any one letter of the scripts above: a search for it is far cheaper than FOREIGN_SCRIPT_RE's
# scan, and most English texts have none, so the full pattern runs only where it can match.
FOREIGN_LETTER_RE = re.compile(
    "[\u0370-\u03ff\u0400-\u04ff\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u0e00-\u0e7f"
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff21-\uff3a"
    "\uff41-\uff5a\uff66-\uff9f]"
)
# A web address keeps its own script: "https://сайт.рф" is not an untranslated word.
WEB_ADDRESS_RE = re.compile(r"://|www\.|\w\.\w")


def _script_name(character: str) -> str:
    name = unicodedata.name(character, "")
    if name.startswith("CJK"):
        return "Chinese (Han)"
    if name.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
        return "Japanese kana"
    if name.startswith("FULLWIDTH"):
        return "full-width"
    return name.split(" ")[0].capitalize() if name else "non-Latin"


def _in_web_address(text: str, start: int, end: int) -> bool:
    """Whether the white-space delimited chunk around text[start:end] is a web address."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return WEB_ADDRESS_RE.search(text, start, end) is not None


@artifact(
    "foreign_script",
    1,
    "letters in a non-Latin script (Han, kana, Hangul, Cyrillic, ...) inside English text: "
    "source words that machine translation copied instead of translating",
)
def foreign_script(doc: Document) -> Iterable[Evidence]:
    text = doc.text
    if text.isascii() or FOREIGN_LETTER_RE.search(text) is None:
        return  # isascii() reads a flag of the string: no scan at all for most texts
    for match in FOREIGN_SCRIPT_RE.finditer(text):
        if _in_web_address(text, match.start(), match.end()):
            continue
        yield Evidence(
            "foreign_script",
            match.start(),
            match.end(),
            f"'{match.group()}' is written in {_script_name(match.group()[0])} script inside English text: "
            "a source word left untranslated, as machine translation does and human translators do not",
        )
