"""Which mentions are people, the gender the text gives each, and the titles and pronouns
that contradict it."""

from __future__ import annotations

from .facts import Clash, Cue, Mention, People, SentenceFacts
from .tokens import gender_of_given_name


def people_and_places(runs: list[Mention]) -> tuple[set[str], set[str]]:
    """Keys that are people, and keys that are places.

    A given name, title, office, gendered cue or role noun makes a person whatever else is
    said; a two-word name or a speech verb does only if the key never stands after "in",
    "from", ... ("Beijing said", "Hong Kong").
    """
    sure: set[str] = set()
    likely: set[str] = set()
    places: set[str] = set()
    for m in runs:
        if len(m.key) == 1:
            continue  # an initial ("Svetlana S."), too little to tell people apart
        if m.surely_person:
            sure.add(m.key)
            if m.first_name and m.first_name != m.key:
                sure.add(m.first_name)  # "Guðrún" after "Guðrún Helga Lárusdóttir"
        elif m.place:
            places.add(m.key)
        elif m.speaker or m.tokens >= 2:
            likely.add(m.key)
            if m.first_name and m.tokens == 2:
                likely.add(m.first_name)  # "Qin" after "Qin Gang"
    return sure | (likely - places), places - sure


def strong_genders(mentions: list[Mention]) -> tuple[dict[str, str | None], dict[str, tuple[str, int]]]:
    """The gender each key's strong cues agree on; None when the key may be two people.

    A key may be two people when strong cues disagree, when it has two first names of
    which one has no known gender ("Kai Li", "Chen-Yu Li"), or both "Mr." and "Mrs." (a couple).
    """
    genders: dict[str, set[str]] = {}
    first_names: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    source: dict[str, tuple[str, int]] = {}
    for m in mentions:
        if m.first_name:
            first_names.setdefault(m.key, set()).add(m.first_name)
        if m.title_gender:
            titles.setdefault(m.key, set()).add(m.title_gender)
        if m.strong:
            genders.setdefault(m.key, set()).add(m.strong)
            source.setdefault(m.key, (m.strong_cue, m.start))
    # "Adams said Mrs. Adams would join later": one surname twice in a sentence, once with
    # another title or given name, is two people.
    seen: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    pairs: set[str] = set()
    for m in mentions:
        form = (m.title, m.first_name)
        earlier = seen.setdefault((m.sentence, m.key), form)
        if earlier != form:
            pairs.add(m.key)
    strong: dict[str, str | None] = {}
    for key in genders.keys() | titles.keys() | first_names.keys() | pairs:
        found = genders.get(key, set())
        names = first_names.get(key, set())
        if key in pairs or len(titles.get(key, ())) > 1 or len(found) > 1:
            strong[key] = None
        elif len(names) > 1 and any(gender_of_given_name(n) is None for n in names):
            strong[key] = None
        elif found:
            strong[key] = next(iter(found))
    return strong, source


def track_gender(people: People, text: str) -> list[Clash]:
    """Walk the sentences in order; report cues that contradict a person's established gender.

    A person's gender is established by the strong cues anywhere in the document, else by
    the first title or resolved pronoun. A pronoun is resolved to a person only when its
    sentence names that person alone, with no person noun and no capitalised word that
    might be someone, or names nobody and follows such a sentence; a sentence with
    pronouns of both genders speaks of two people and resolves none. A clashing pronoun
    is reported only if no other person of its gender (or of unknown gender) is named,
    described or referred to by a pronoun in the sentence that names its antecedent, the
    one before that, or its own.
    """
    undecided = {key for key, gender in people.strong_gender.items() if gender is None}
    established: dict[str, tuple[str, str, int]] = {}  # key -> (gender, what said so, where)
    for key, gender in people.strong_gender.items():
        if gender:
            cue, at = people.strong_source[key]
            established[key] = (gender, cue, at)
    clashes: list[Clash] = []
    # Per sentence: (gender, the person it was resolved to, or None) for each pronoun.
    referents: list[list[tuple[str, str | None]]] = []
    previous_sole: str | None = None
    for s_index, facts in enumerate(people.sentences):
        if not facts.mentions and not facts.pronouns:
            # No cue and no antecedent: what the full pass below would do for it (most sentences).
            referents.append([])
            previous_sole = None
            continue
        keys = {m.key for m in facts.mentions}
        crowded = bool(facts.nouns or facts.unknown or facts.possessors)
        target: str | None = None
        if not crowded:
            if len(keys) == 1:
                target = next(iter(keys))
            elif not keys:
                target = previous_sole
        # The antecedent is in this sentence, or in the previous one when this names nobody.
        window = range(max(0, s_index - (2 if not keys else 1)), s_index + 1)
        pronoun_genders = {gender for _, gender in facts.pronouns}
        resolved = target is not None and target not in undecided and len(pronoun_genders) == 1
        cues = [
            Cue(m.key, m.title_gender, m.title_start, m.title_end, "title", s_index)
            for m in facts.mentions
            if m.title_gender and m.key not in undecided
        ]
        if resolved:
            cues.extend(
                Cue(target, gender, token.start, token.end, "pronoun", s_index) for token, gender in facts.pronouns
            )
        cues.sort(key=lambda c: c.start)
        sentence_referents = [(gender, None) for _, gender in facts.pronouns] if not resolved else []
        for cue in cues:
            known = established.get(cue.key)
            referent: str | None = cue.key
            if known is None:
                established[cue.key] = (cue.gender, text[cue.start : cue.end], cue.start)
            elif known[0] != cue.gender:
                if cue.kind == "pronoun" and _someone_else(cue, established, people.sentences, window, referents):
                    referent = None
                else:
                    clashes.append(Clash(cue, known[0], known[1], known[2]))
            if cue.kind == "pronoun":
                sentence_referents.append((cue.gender, referent))
        referents.append(sentence_referents)
        previous_sole = next(iter(keys)) if len(keys) == 1 and not crowded else None
    return clashes


def _someone_else(
    cue: Cue,
    established: dict[str, tuple[str, str, int]],
    sentences: list[SentenceFacts],
    window: range,
    referents: list[list[tuple[str, str | None]]],
) -> bool:
    """Could the pronoun mean another person named, described or referred to in the window?"""
    for index in window:
        sentence = sentences[index]
        for m in sentence.mentions:
            if m.key != cue.key and established.get(m.key, (cue.gender,))[0] == cue.gender:
                return True
        if sentence.unknown or cue.gender in sentence.possessors:
            return True
        if any(gender is None or gender == cue.gender for _, gender in sentence.nouns):
            return True
        if index < len(referents) and any(
            gender == cue.gender and referent != cue.key for gender, referent in referents[index]
        ):
            return True  # 'he' continues an earlier 'he' about someone else
    return False
