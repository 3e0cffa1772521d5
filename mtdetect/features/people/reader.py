"""Reading one sentence's person mentions: runs of capitalised words, the courtesy title,
office words and role nouns before them, and who speaks."""

from __future__ import annotations

from ...text import Document
from .words import (
    COPULAS, COURTESY_TITLES, DETERMINERS, FEMALE, FEMININE_FULL_NAME_SURNAME_RE, FEMININE_SURNAME_RE,
    GENDERED_RANKS, KIN_NOUNS, LOCATIVES, NAME_PARTICLES, NON_PERSON_WORDS, OFFICE_WORDS,
    PLACE_PREFIX_WORDS, POSSESSIVE_PRONOUNS, SPEECH_VERBS,
)
from .facts import Mention, SentenceFacts
from .tokens import (
    NAME_START, TITLES_NOT_NAME_WORDS, gender_of_given_name, is_name_word, person_noun, strip_possessive,
)


class NameReader:
    """Reads one capitalised run (with its title and office words) into a Mention."""

    def __init__(self, doc: Document, quoted: list[bool], mid_sentence_capitals: set[str], kinds: list) -> None:
        self.doc = doc
        self.texts, self.starts = doc.token_texts, doc.token_starts  # a token ends at start + len(text)
        self.kinds = kinds  # token_kinds of the document: a name word is a NAME_START
        self.quoted = quoted
        self.mid_sentence_capitals = mid_sentence_capitals

    def read(
        self,
        i: int,
        r: range,
        s_index: int,
        found: list[Mention],
        attached: set[int],
        skipped_pronouns: set[int],
        facts: SentenceFacts,
    ) -> int:
        """Read the run starting at token i, append its Mention to `found`, return the next index."""
        texts, starts, kinds = self.texts, self.starts, self.kinds
        start = i
        title: str | None = None
        title_start = title_end = -1
        rank: str | None = None
        office = False
        words: list[int] = []  # token indices of the name's words
        stripped: list[str] = []  # strip_possessive of each of words, asked for several times below
        while i < r.stop:
            text = texts[i]
            if text in COURTESY_TITLES and not words:
                title, title_start, title_end = text, starts[i], starts[i] + len(text)
                if i + 1 < r.stop and texts[i + 1] == "." and starts[i + 1] == title_end:
                    title_end += 1  # the full stop
                    i += 1
                i += 1
                continue
            if text in OFFICE_WORDS and not any(gender_of_given_name(texts[w]) for w in words):
                # An office word after capitalised modifiers ("Chinese Foreign Minister") starts the name afresh.
                words = []
                stripped = []
                office = True
                if text in GENDERED_RANKS:
                    rank = text
                i += 1
                # "Secretary of State Blinken": an office runs on through "of".
                if i + 1 < r.stop and texts[i] == "of" and texts[i + 1][0].isupper():
                    i += 1
                continue
            # is_name_word(text), read from the token's kind (a title that is no name word is a NAME_START too).
            if kinds[i] is NAME_START and text not in TITLES_NOT_NAME_WORDS:
                words.append(i)
                bare = strip_possessive(text)
                stripped.append(bare)
                i += 1
                if bare != text:
                    break  # "Lin's family": the name ends at the possessive
                continue
            if text in NAME_PARTICLES and words and i + 1 < r.stop and is_name_word(texts[i + 1]):
                i += 1
                continue
            if text == "." and words and len(texts[words[-1]]) == 1:
                i += 1  # an initial: "J. Smith"
                continue
            break
        if not words:
            return max(i, start + 1)
        first, last = words[0], words[-1]
        first_text, last_text = stripped[0], stripped[-1]
        # "Okafor's family", "Reyes' lawyer": only people have families.
        kin_after = last_text != texts[last] and i < r.stop and texts[i] in KIN_NOUNS
        if len(words) == 1 and first == r.start and title is None and not office and not kin_after:
            if first_text not in self.mid_sentence_capitals:
                return i  # a capitalised sentence opener, not a name
        place = (
            not NON_PERSON_WORDS.isdisjoint(stripped)
            or first_text in PLACE_PREFIX_WORDS
            or (start > r.start and texts[start - 1].lower() in LOCATIVES and last_text == texts[last])
        )
        given: str | None = None
        key, key_token = last_text, last
        if len(words) >= 2:
            if gender_of_given_name(first_text):
                given = first_text
            elif len(words) == 2 and gender_of_given_name(last_text):
                # Family name first, as Japanese, Chinese and Hungarian names are often written.
                given, key, key_token = last_text, first_text, first
        elif title is None and gender_of_given_name(first_text):
            given = first_text  # a person called by the given name alone
        # Positional arguments, in field order (key, start, end, sentence, quoted, tokens, given,
        # first_name, title, title_start, title_end, office): keywords cost more, once per name.
        # The key is its token's text without a possessive, so the end is start + len(key).
        mention = Mention(
            key,
            starts[key_token],
            starts[key_token] + len(key),
            s_index,
            self.quoted[start],
            len(words),
            given,
            (given if given != key else None) or (first_text if len(words) >= 2 else None),
            title,
            title_start,
            title_end,
            office,
            place=place and not (given or title),
        )
        name_text = self.doc.text[starts[first] : starts[last] + len(last_text)]
        if given:
            mention.strong, mention.strong_cue = gender_of_given_name(given), name_text
        elif rank is not None:
            mention.strong, mention.strong_cue = GENDERED_RANKS[rank], f"{rank} {name_text}"
        elif FEMININE_SURNAME_RE.search(last_text) or (
            len(words) >= 2 and FEMININE_FULL_NAME_SURNAME_RE.search(last_text)
        ):
            mention.strong, mention.strong_cue = FEMALE, name_text
        # The role readers' first tests are made here: most names have no role noun beside them.
        before = start - 1
        if before >= r.start and texts[before] == ",":
            before -= 1
        if before >= r.start and texts[before].islower():
            self._role_before(before, r, mention, last, last_text, attached, skipped_pronouns, facts)
        if last_text == texts[last]:
            if i < r.stop:
                following = texts[i]
                if following in COPULAS or following == ",":
                    self._role_after(i, r, mention, first, attached)
                mention.speaker = following in SPEECH_VERBS
            else:
                mention.speaker = False
        if kin_after or (start > r.start and texts[start - 1] in ("said", "says", "told")):
            mention.speaker = True
        found.append(mention)
        return i

    def _role_before(
        self,
        before: int,
        r: range,
        mention: Mention,
        last: int,
        last_text: str,
        attached: set[int],
        skipped_pronouns: set[int],
        facts: SentenceFacts,
    ) -> None:
        """A role noun right before the name: "actress Jane Roe", "her husband, Tom Roe".

        `before` is the lower-case word before the name (or before the comma after it)."""
        texts, starts = self.texts, self.starts
        is_person, gender = person_noun(texts[before])
        if not is_person:
            return
        attached.add(before)
        mention.attached = True
        if gender and mention.strong is None:
            mention.strong = gender
            mention.strong_cue = self.doc.text[starts[before] : starts[last] + len(last_text)]
        owner = before - 1
        if owner >= r.start and texts[owner].lower() in POSSESSIVE_PRONOUNS:
            # "her husband, Tom Roe": 'her' is someone other than Tom Roe.
            skipped_pronouns.add(starts[owner])
            facts.possessors.append(POSSESSIVE_PRONOUNS[texts[owner].lower()])

    def _role_after(self, i: int, r: range, mention: Mention, first: int, attached: set[int]) -> None:
        """A role predicated of the name: "Ann Roe is the daughter of", "Tom Roe, the father of".

        Token i, after the name, is a copula or a comma."""
        texts, starts = self.texts, self.starts
        j = i + 1
        if not (j < r.stop and texts[j] in DETERMINERS):
            return
        j += 1
        if j + 1 < r.stop and texts[j].islower() and not person_noun(texts[j])[0]:
            j += 1  # one adjective: "the eldest daughter"
        if j < r.stop and texts[j].islower():
            is_person, gender = person_noun(texts[j])
            if is_person:
                attached.add(j)
                mention.attached = True
                if gender and mention.strong is None:
                    mention.strong = gender
                    mention.strong_cue = self.doc.text[starts[first] : starts[j] + len(texts[j])]
