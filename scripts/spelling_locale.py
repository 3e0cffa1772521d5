"""How much British vs American spelling says about who wrote a text, in our data and to our models.

    python scripts/spelling_locale.py

Prints, for each kind of pair (paired as pairs_data.py pairs them), how many pairs have a
word spelled one way in one version and the other way in the other (breame's list of
British and American spellings), and which way the machine's version (b) leans. Then it
respells every round-trip original into British and every round trip into American
spelling and prints how far the bundled detector's document score moves, and how the
copy-direction votes (each year held out) read the round trips made American (spelling,
"percent" for "per cent", "U.S." for "US"). Spelling and dotted abbreviations are a locale
or house style of a site or an MT system (DeepL, set to British English, made these round
trips), so they must not move either model; the copy-direction votes read both spellings,
"per cent" and "percent", and "U.S." and "US" as one (mtdetect.frequency.one_spelling,
copies.wording).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS
from pairs_data import ROUND_TRIPS, SYSTEMS_PER_DOCUMENT, read_jsonl, round_trip_versions, text_of, wmt_versions

from mtdetect import model

AMERICAN_TO_BRITISH: dict[str, str] = {}
for _british, _american in BRITISH_ENGLISH_SPELLINGS.items():
    AMERICAN_TO_BRITISH.setdefault(_american, _british)
WORD_RE = re.compile(r"[A-Za-z]+")
PER_CENT_RE = re.compile(r"\b[Pp]er cent\b")
PERCENT_RE = re.compile(r"\b[Pp]ercent\b")
DOTTED_RE = re.compile(r"\b(?:[A-Z]\.){2,}")  # "U.S.", "U.N.", "D.C."
UNDOTTED = {"US": "U.S.", "UK": "U.K.", "UN": "U.N."}  # as AP writes them
UNDOTTED_RE = re.compile(r"\b(?:US|UK|UN)\b")


def americanised(text: str) -> str:
    """American spellings, "percent" for "per cent" and "U.S." for "US"."""
    text = PER_CENT_RE.sub(lambda match: match.group(0)[0] + "ercent", respelled(text, BRITISH_ENGLISH_SPELLINGS)[0])
    return UNDOTTED_RE.sub(lambda match: UNDOTTED[match.group(0)], text)


def _version_pairs() -> dict[str, list[tuple[str, str]]]:
    """(a, b) texts per kind, b the machine's (either one for human pairs), paired as pairs_data pairs them."""
    out: dict[str, list[tuple[str, str]]] = {"round_trip": [], "one_way": [], "human_human": []}
    for story in round_trip_versions():
        out["round_trip"] += [(story["original"], copy) for copy in story["copies"]]
    for story in wmt_versions():
        human = story["humans"][0][1]
        out["one_way"] += [(human, machine) for _, machine in story["machines"][:SYSTEMS_PER_DOCUMENT]]
        if len(story["humans"]) > 1:
            out["human_human"].append((human, story["humans"][1][1]))
    return out


def swaps_in_pairs() -> None:
    """Words one version spells the British way where the other spells them the American way."""
    for kind, pairs in _version_pairs().items():
        leans: Counter = Counter()
        with_swap = 0
        for a, b in pairs:
            words_a, words_b = set(WORD_RE.findall(a.lower())), set(WORD_RE.findall(b.lower()))
            british_in_b = sum(1 for w in words_b - words_a if BRITISH_ENGLISH_SPELLINGS.get(w) in words_a)
            american_in_b = sum(1 for w in words_b - words_a if AMERICAN_TO_BRITISH.get(w) in words_a)
            leans["b British where a is American"] += british_in_b
            leans["b American where a is British"] += american_in_b
            with_swap += bool(british_in_b or american_in_b)
        print(f"{kind:12s} {len(pairs):5d} pairs, {with_swap:4d} with a word spelled the other way: {dict(leans)}")
        per_cent = Counter()
        for a, b in pairs:
            for side, text in (("a", a), ("b", b)):
                per_cent[f"{side} 'per cent'"] += len(PER_CENT_RE.findall(text))
                per_cent[f"{side} 'percent'"] += len(PERCENT_RE.findall(text))
                per_cent[f"{side} dotted (U.S.)"] += len(DOTTED_RE.findall(text))
                per_cent[f"{side} undotted (US, UK, UN)"] += len(UNDOTTED_RE.findall(text))
        print(f"{'':12s} {dict(per_cent)}")


def respelled(text: str, table: dict[str, str]) -> tuple[str, int]:
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        word = match.group(0)
        other = table.get(word.lower())
        if other is None:
            return word
        count += 1
        return other.capitalize() if word[0].isupper() else other

    return WORD_RE.sub(one, text), count


def detector_sensitivity() -> None:
    """The bundled detector's score of each round-trip document, before and after switching its spelling."""
    detector = model.load()
    changes: dict[str, list[float]] = {"original": [], "round_trip": [], "round_trip with U.S. for US": []}
    for record in read_jsonl(ROUND_TRIPS):
        text = text_of(record)
        table = AMERICAN_TO_BRITISH if record["kind"] == "original" else BRITISH_ENGLISH_SPELLINGS
        other, count = respelled(text, table)
        if count:
            changes[record["kind"]].append(detector.score_text(other)["score"] - detector.score_text(text)["score"])
        if record["kind"] == "round_trip" and UNDOTTED_RE.search(text):
            dotted = UNDOTTED_RE.sub(lambda match: UNDOTTED[match.group(0)], text)
            changes["round_trip with U.S. for US"].append(detector.score_text(dotted)["score"] - detector.score_text(text)["score"])
    for kind, values in changes.items():
        moved = np.asarray(values)
        print(
            f"detector, {kind} respelled ({len(moved)} documents): score moves by mean {moved.mean():+.4f}, "
            f"median {np.median(moved):+.4f}, at most {np.abs(moved).max():.3f}"
        )


def votes_sensitivity(c: float = 0.1) -> None:
    """Round trips read by the copy-direction votes (each year held out) as DeepL wrote them and made American."""
    import fit_direction
    from pairs_data import _pairs_of, all_pairs

    stories = round_trip_versions()
    as_written = {p["story"]: p for s in stories for p in _pairs_of(s)}
    for story in stories:
        story["copies"] = [americanised(copy) for copy in story["copies"]]
    american = {p["story"]: p for s in stories for p in _pairs_of(s)}
    one_way = [p for p in all_pairs() if p["kind"] == "one_way" and fit_direction.usable(p)]
    needed = fit_direction.summarise(fit_direction.cross_validate(all_pairs(), c))["needed_log_odds"]
    read: dict[str, list[float]] = {"as written": [], "made American": []}
    for year in sorted({p["group"] for p in as_written.values()}):
        training = [p for p in as_written.values() if p["group"] != year and fit_direction.usable(p)] + one_way
        model = fit_direction.fit(training, c)
        for story, pair in as_written.items():
            if pair["group"] == year and fit_direction.usable(pair) and fit_direction.usable(american[story]):
                read["as written"].append(model.log_odds(pair["differences"]))
                read["made American"].append(model.log_odds(american[story]["differences"]))
    for name, values in read.items():
        z = np.asarray(values)
        print(f"votes, round trips {name} ({z.size}, year held out): {np.mean(z > 0):.1%} read the right way, {np.mean(z > needed):.1%} linked")


if __name__ == "__main__":
    swaps_in_pairs()
    detector_sensitivity()
    votes_sensitivity()
