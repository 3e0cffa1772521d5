"""Deciding the relation of a compared pair: verbatim copy, machine-rewritten copy or independent report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .tunables import (
    DEFAULT_MACHINE_LOG_ODDS,
    DETECTOR_LOG_ODDS,
    EARLIER_COPY_LOG_ODDS,
    FINDING_FACTOR,
    NAME_DRIFT_LOG_ODDS,
    PARTLY_REWORDED_PAIRS,
)

if TYPE_CHECKING:  # annotations only: importing at run time would be circular
    from .alignment import Comparison
    from .direction import DirectionModel


# --- deciding which is the copy -----------------------------------------------------------


@dataclass
class Verdict:
    """The relation of a compared pair, oriented: `copy` is "a" or "b", None for independent reports."""

    relation: str | None  # one of RELATIONS, or None when the two do not tell one story
    copy: str | None
    log_odds: float  # that b (not a) is the machine's version: sentence votes + detector + name drift
    probability: float  # that the side called the copy is the machine's version
    score_a: float | None
    score_b: float | None
    reasons: list[str]
    findings: int = 0  # reworded quotes and respelled names
    sentence_votes: tuple[tuple[int, int, float], ...] = ()  # (sentence of a, sentence of b, vote that b is the machine's)
    metadata_reasons: tuple[str, ...] = ()  # the reasons that come from the documents' metadata (dates), also in `reasons`

    @property
    def original(self) -> str | None:
        return None if self.copy is None else ("a" if self.copy == "b" else "b")

    @property
    def copy_score(self) -> float:
        """How sure the pair makes us that the copy is machine-rewritten (0 unless it is called so).

        The direction's probability, raised by every reworded quote and respelled name (what a
        person copying a story does not do), and never below the detector's own score.
        """
        if self.relation != "machine_rewritten":
            return 0.0
        detector = (self.score_b if self.copy == "b" else self.score_a) or 0.0
        combined = 1.0 - (1.0 - self.probability) * FINDING_FACTOR ** min(self.findings, 10)
        return min(0.99, max(detector, combined))


# Each sentence count in plain words: what the copy has when its count is higher, and when it is
# lower. Which of the two a reason says comes from the sign of the copy's own difference (the
# vote's share and the fitted weight), never from what machines usually do, so it stays true
# whatever a refit makes of a weight.
WORDING_REASONS = {
    "words": ("longer sentences", "shorter sentences"),
    "letters_per_word": ("longer words", "shorter words"),
    "zipf_mean": ("commoner words", "rarer words"),
    "rare_words": ("more rare words", "fewer rare words"),
    "unknown_words": ("more unknown words or typos", "fewer unknown words or typos"),
    "contractions": ("more contractions", "contractions spelled out"),
    "doubled_words": ("more doubled words", "fewer doubled words"),
    "commas": ("more commas", "fewer commas"),
    "ends_with_stop": ("more sentences closed by a stop", "fewer sentences closed by a stop"),
    "digits": ("more digits", "fewer digits"),
    "number_words": ("more numbers in words", "fewer numbers in words"),
    "number_abbreviations": ("more number abbreviations", "number abbreviations spelled out"),
    "that": ("'that' more often", "'that' less often"),
    "which": ("'which' more often", "'which' less often"),
    "the": ("'the' more often", "'the' less often"),
    "of": ("'of' more often", "'of' less often"),
    "capitalised_inside": ("more capitalised words", "fewer capitalised words"),
    "brackets": ("more brackets", "fewer brackets"),
    "colons": ("more colons and semicolons", "fewer colons and semicolons"),
    "quote_marks": ("more quotation marks", "fewer quotation marks"),
    "common_bigrams": ("more stock word pairs", "fewer stock word pairs"),
    "common_bigram_share": ("more of its word pairs stock phrasing", "less of its word pairs stock phrasing"),
    "only_here_common": ("more common words the other lacks", "fewer common words the other lacks"),
    "only_here_rare": ("more rare words the other lacks", "fewer rare words the other lacks"),
    "only_here_zipf": ("commoner words where the two differ", "rarer words where the two differ"),
    "only_here_stock_pairs": ("more stock word pairs the other lacks", "fewer stock word pairs the other lacks"),
    "only_here_other_pairs": ("more word pairs the other lacks", "fewer word pairs the other lacks"),
    "word_choice": ("word choices machines make", "word choices people make"),
}


def _wording_reason(feature: str, share: float, weight: float) -> str:
    """One feature's push toward the copy being the machine's (`share`), said as what the copy has.

    The copy's difference has the sign of share x weight: with a negative weight, a push
    toward the machine comes from a lower count ("words": shorter sentences).
    """
    more, fewer = WORDING_REASONS.get(feature, (f"more {feature.replace('_', ' ')}", f"less {feature.replace('_', ' ')}"))
    return f"{more if share * weight > 0 else fewer} {share:+.1f}"


def _day(value) -> str | None:
    """YYYY-MM-DD of an ISO date or timestamp, or None for anything else."""
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        return value[:10]
    return None


def _dates_against(copy: str, day_a: str | None, day_b: str | None) -> str | None:
    """A reason when the side called the copy says it was published before the side called its original.

    Stated dates can be wrong (a page re-dated, a feed's import date), so they do not
    decide on their own; they raise the text evidence needed (EARLIER_COPY_LOG_ODDS).
    """
    copy_day, original_day = (day_b, day_a) if copy == "b" else (day_a, day_b)
    if copy_day and original_day and copy_day < original_day:
        return f"the copy states it was published {copy_day}, before its supposed original ({original_day})"
    return None


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _verbatim(
    comparison: Comparison, log_odds: float, score_a: float | None, score_b: float | None, a_first: bool, day_a: str | None, day_b: str | None
) -> Verdict:
    """A verbatim copy: the side more fully found in the other is the copy (a republisher trims);
    between twins, the later one by its stated date, else the one seen second."""
    if abs(comparison.verbatim_a - comparison.verbatim_b) > 0.1:
        copy = "a" if comparison.verbatim_a > comparison.verbatim_b else "b"
    elif day_a and day_b and day_a != day_b:
        copy = "b" if day_a < day_b else "a"
    else:
        copy = "b" if a_first else "a"
    share = max(comparison.verbatim_a, comparison.verbatim_b)
    reasons = [f"{share:.0%} of the copy is word for word in the other text"]
    said: tuple[str, ...] = ()
    if day_a and day_b and day_a != day_b and abs(comparison.verbatim_a - comparison.verbatim_b) <= 0.1:
        said = (f"metadata decided which is the copy: published {max(day_a, day_b)}, the other {min(day_a, day_b)}",)
    return Verdict("verbatim", copy, log_odds, 0.0, score_a, score_b, reasons + list(said), metadata_reasons=said)


def decide(
    comparison: Comparison,
    score_a: float | None = None,
    score_b: float | None = None,
    threshold: float = 0.5,
    a_first: bool = True,
    direction: DirectionModel | None = None,
    explain: bool = True,
    published: tuple[str | None, str | None] = (None, None),
) -> Verdict:
    """Relation and direction of a compared pair.

    `score_a`/`score_b` are the detector's document scores (None without a detector);
    `direction` holds the sentence-pair votes; `a_first` says a was seen first, which
    settles who copied whom between verbatim twins; `explain=False` skips the wording in the
    reasons (what moved the votes, the word swaps), which a scan does not keep. A rewrite is called machine-made only
    on positive evidence: the votes, names drifting on one side, or the detector flagging
    one side and not the other. Two people's versions of one text stay independent.
    `published` holds the two documents' stated publication dates (ISO strings or None):
    see `_dates_against` for how they weigh.
    """
    day_a, day_b = (_day(value) for value in published)
    kind = comparison.kind
    if kind is None:
        lined_up = len(comparison.sentence_pairs)
        return Verdict(None, None, 0.0, 0.0, score_a, score_b, [f"only {lined_up} sentence(s) line up: too little to say they tell one story"])
    toward_a, toward_b = comparison.votes()
    # A rewrite needs to know which version reads like the machine's; so does a copy that is
    # word for word in part, when enough of the rest is reworded (a story half round-tripped).
    reworded_count = sum(1 for *_, verbatim in comparison.sentence_pairs if not verbatim)
    wants_votes = kind == "rewrite" or (kind == "verbatim" and reworded_count >= PARTLY_REWORDED_PAIRS)
    differences = comparison.sentence_differences() if direction is not None and wants_votes else None
    pair_votes = direction.votes(differences) if differences is not None else None  # made once, read three times
    wording = direction.log_odds_of(pair_votes) if pair_votes is not None else 0.0
    detector = 0.0
    if score_a is not None and score_b is not None:
        detector = max(-DETECTOR_LOG_ODDS, min(DETECTOR_LOG_ODDS, _logit(score_b) - _logit(score_a)))
    log_odds = wording + detector + NAME_DRIFT_LOG_ODDS * (toward_b - toward_a)  # > 0: b is the machine's
    reworded = sum(1 for link in comparison.links if link.feature == "reworded_quote")
    respelled = sum(1 for link in comparison.links if link.feature == "respelled_name")
    needed = direction.machine_log_odds if direction is not None else DEFAULT_MACHINE_LOG_ODDS
    if kind == "verbatim":
        plain = _verbatim(comparison, log_odds - wording, score_a, score_b, a_first, day_a, day_b)
        if differences is None or abs(log_odds) < needed:
            return plain
        # Word for word in part, and the rest reworded the way a machine rewords: decided as a rewrite,
        # and a verbatim copy after all if the rest of the evidence says otherwise.
    elif kind == "independent":
        reasons = [f"tells the same story, but only {min(comparison.coverage_a, comparison.coverage_b):.0%} of it lines up sentence by sentence"]
        return Verdict("independent", None, log_odds, 0.0, score_a, score_b, reasons)
    copy = "b" if log_odds > 0 or (log_odds == 0 and a_first) else "a"
    sign = 1.0 if copy == "b" else -1.0
    probability = _sigmoid(abs(log_odds))
    copy_detector = score_b if copy == "b" else score_a
    other_detector = score_a if copy == "b" else score_b
    drift = toward_b if copy == "b" else toward_a
    if kind == "verbatim":
        reasons = [
            f"{max(comparison.verbatim_a, comparison.verbatim_b):.0%} of the copy is word for word in the other text, "
            f"and {reworded_count} more sentence(s) line up reworded: a partial rewrite"
        ]
    else:
        reasons = [
            f"{min(comparison.coverage_a, comparison.coverage_b):.0%} of both texts lines up sentence by sentence, in order, "
            f"but only {max(comparison.verbatim_a, comparison.verbatim_b):.0%} word for word"
        ]
    if differences is not None and len(differences):
        votes = pair_votes * sign
        weights = dict(zip(direction.features, direction.weights))  # word_choice has none: its share is its own sign
        said = ", ".join(_wording_reason(name, share * sign, weights.get(name, 1.0)) for name, share in direction.explain(differences)) if explain else ""
        swaps = direction.machine_words(differences if copy == "b" else differences.swapped()) if explain else []
        if swaps:
            said += "; word swaps machines make: " + ", ".join(f"'{o}' -> '{w}'" for w, o in swaps)
        reasons.append(
            f"in {int((votes > 0).sum())} of {len(votes)} reworded sentence pairs this version reads like the machine's"
            + (f" ({said})" if said else "")
            + f": wording log-odds {wording * sign:+.1f}"
        )
    if copy_detector is not None and other_detector is not None:
        reasons.append(f"detector score {copy_detector:.2f} against {other_detector:.2f} for the other text")
    if reworded or respelled:
        reasons.append(f"{reworded} quote(s) reworded and {respelled} name(s) respelled")
    if drift:
        reasons.append(f"{drift} name(s) spelled two ways on the copy's side only")
    detector_alone = copy_detector is not None and copy_detector >= threshold and (other_detector or 0.0) < threshold
    machine = abs(log_odds) >= needed or detector_alone
    earlier = _dates_against(copy, day_a, day_b)
    said = ()
    if earlier is not None:
        needed += EARLIER_COPY_LOG_ODDS
        machine = abs(log_odds) >= needed  # the detector alone no longer settles it
        said = (
            f"{earlier}; "
            + (f"the text evidence is strong enough all the same (log-odds {abs(log_odds):.1f} >= {needed:.1f})" if machine
               else f"metadata decided: the text evidence (log-odds {abs(log_odds):.1f}) is short of the {needed:.1f} needed against the dates"),
        )
        reasons.extend(said)
    if comparison.kept_speech >= 2 and comparison.kept_speech > comparison.reworded_speech and not drift:
        # The first signal of all: a person rewriting a story keeps what people said word for word.
        reasons.append(
            f"{comparison.kept_speech} quoted statement(s) kept word for word against {comparison.reworded_speech} reworded: a person's rewrite"
        )
        if kind == "verbatim":
            return plain
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled)
    if not machine and kind == "verbatim":
        return plain
    if not machine:
        rate = direction.human_pair_rate if direction is not None else None
        level = f", a level {rate * 100:g} % of the pairs of human translations it was set on reach, more of the long ones" if rate else ""
        reasons.append(
            f"a rewrite, but the evidence that either version is the machine's is too weak (log-odds {abs(log_odds):.1f}, "
            f"{needed:.1f} needed{level})"
        )
        return Verdict("independent", None, log_odds, probability, score_a, score_b, reasons, reworded + respelled, metadata_reasons=said)
    sentence_votes: tuple[tuple[int, int, float], ...] = ()
    if differences is not None and len(differences):
        reworded_pairs = [(i, j) for i, j, _, verbatim in comparison.sentence_pairs if not verbatim]
        sentence_votes = tuple((i, j, round(float(v), 3)) for (i, j), v in zip(reworded_pairs, pair_votes))
    return Verdict("machine_rewritten", copy, log_odds, probability, score_a, score_b, reasons, reworded + respelled, sentence_votes, said)


