"""Which of two versions of one text is the machine's: many aligned sentence pairs, each a weak vote.

Each aligned, reworded sentence pair's wording differences (`wording.PairDifferences`) cast
a vote. `DirectionModel` is a logistic regression without intercept over those
differences and over the common words only one side uses, fitted on both orders of each
pair, so it is antisymmetric: swapping the two versions flips the sign of every vote. A
pair's vote is its log-odds that b is the machine's, clipped so one odd sentence cannot
carry a document; the votes are summed and scaled by a factor fitted on held-out documents
(`calibration`), which makes the sum a calibrated document-level log-odds.

Fitted by `scripts/fit_direction.py` on round trips of English news and on human vs
machine translations of the same WMT documents, with whole years, languages and systems held out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import add
from typing import Mapping, Sequence

import numpy as np

from .tunables import DEFAULT_MACHINE_LOG_ODDS
from .wording import PairDifferences, feature_names, is_word_swap

DIRECTION_MODEL_FILE = "copy_direction.json"
VOTE_LIMIT = 3.0  # a single sentence pair moves the log-odds by at most this much
WORD_VOCABULARY = 5000  # the commonest words of the frequency table: word choice, never topic


def _summed_weights(weight: dict[str, float], words: Sequence[str]) -> float:
    """The summed weights of the words that have one, added one at a time in order.

    reduce, not sum(): sum() adds floats with compensation since Python 3.12, and these sums
    were always made one addition at a time.
    """
    return reduce(add, [weight[w] for w in words if w in weight], 0)


def word_vocabulary(size: int = WORD_VOCABULARY) -> list[str]:
    """The words whose choice the model weighs: wordfreq's commonest English words (no topic words)."""
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", size) if w.isalpha() or "'" in w]


@dataclass
class DirectionModel:
    """Votes of aligned sentence pairs for which version is the machine's, summed into a calibrated log-odds.

    A pair's vote is `counts / scale . weights` plus, for each common word only one side
    uses, that word's weight (positive: machines choose it; "that" over "which"), signed
    by the side that uses it.
    """

    features: list[str]
    scale: np.ndarray
    weights: np.ndarray
    vocabulary: list[str] = field(default_factory=list)
    word_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    calibration: float = 1.0  # multiplies the summed votes into a calibrated log-odds
    card: dict = field(default_factory=dict)
    # Stock word pairs ("first second") with the lean machines give them when they reword a text:
    # not a vote, but what the detector's machine_word_pairs reads on one text alone.
    word_pairs: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Each vocabulary word's weight, one lookup per word: Python floats, the same values as the
        # numpy scalars they were and added the same way, one at a time in order (see _summed_weights).
        self._word_weight = dict(zip(self.vocabulary, np.asarray(self.word_weights, dtype=float).tolist())) if len(self.word_weights) else {}

    @property
    def word_weight(self) -> Mapping[str, float]:
        """Each vocabulary word's weight (positive: machines choose it), for reading one text alone."""
        return self._word_weight

    @property
    def machine_log_odds(self) -> float:
        """The log-odds a rewrite needs before it is called machine-made (set at fitting from human pairs)."""
        return float(self.card.get("machine_log_odds", DEFAULT_MACHINE_LOG_ODDS))

    @property
    def human_pair_rate(self) -> float | None:
        """How often two people's versions of one text reach `machine_log_odds` (out-of-fold), if measured."""
        rate = self.card.get("human_pair_rate")
        return None if rate is None else float(rate)

    @property
    def operating_points(self) -> dict[float, float]:
        """Human-pair rate -> the log-odds that rate of human pairs reach, as measured at fitting."""
        return {float(rate): float(log_odds) for rate, log_odds in (self.card.get("operating_points") or {}).items()}

    def at_human_pair_rate(self, rate: float) -> "DirectionModel":
        """The same votes, calling a rewrite machine-made where `rate` of the human pairs reach.

        A higher rate links more machine copies and calls more people's rewrites machine-made;
        only the rates measured at fitting are offered, since a threshold is only as good as its measurement.
        """
        points = self.operating_points
        matches = [point for point in points if math.isclose(point, rate)]
        if not matches:
            measured = ", ".join(f"{point:g}" for point in sorted(points)) or "none"
            raise ValueError(f"no threshold was measured for a human-pair rate of {rate:g} (measured: {measured})")
        card = dict(self.card, machine_log_odds=points[matches[0]], human_pair_rate=matches[0])
        return replace(self, card=card)

    def _word_votes(self, differences: PairDifferences) -> np.ndarray:
        weight = self._word_weight
        out = np.zeros(len(differences))
        if not weight:
            return out
        for k, (only_a, only_b) in enumerate(differences.words):
            out[k] = _summed_weights(weight, only_b) - _summed_weights(weight, only_a)
        return out

    def votes(self, differences: PairDifferences) -> np.ndarray:
        """Each pair's log-odds that b is the machine's, clipped to +-VOTE_LIMIT."""
        if len(differences) == 0:
            return np.zeros(0)
        raw = differences.counts / self.scale @ self.weights + self._word_votes(differences)
        return np.clip(raw, -VOTE_LIMIT, VOTE_LIMIT)

    def log_odds(self, differences: PairDifferences) -> float:
        """Calibrated log-odds that version b, not a, is the machine's."""
        return self.log_odds_of(self.votes(differences))

    def log_odds_of(self, votes: np.ndarray) -> float:
        """log_odds() from the pairs' votes, when they are at hand."""
        return float(self.calibration * votes.sum())

    def explain(self, differences: PairDifferences, top: int = 3) -> list[tuple[str, float]]:
        """What moved the summed vote most, with its signed share (positive: toward b)."""
        if len(differences) == 0:
            return []
        contribution = (differences.counts / self.scale * self.weights).sum(axis=0) * self.calibration
        shares = [(self.features[i], float(contribution[i])) for i in range(len(self.features))]
        shares.append(("word_choice", float(self._word_votes(differences).sum() * self.calibration)))
        shares.sort(key=lambda item: -abs(item[1]))
        return [(name, share) for name, share in shares[:top] if abs(share) > 0.05]

    def machine_words(self, differences: PairDifferences, top: int = 3) -> list[tuple[str, str]]:
        """One-for-one word swaps in b that machines make most: (b's word, a's word).

        The two words are of one kind (`is_word_swap`, the rule the evidence lists swaps by):
        "has" on one side and "government" on the other is a sentence built otherwise.
        """
        weight = self._word_weight
        found: dict[tuple[str, str], float] = {}
        for only_a, only_b in differences.words:
            if len(only_a) == 1 and len(only_b) == 1 and only_b[0] in weight and is_word_swap(only_a[0], only_b[0]):
                lean = weight[only_b[0]] - weight.get(only_a[0], 0.0)
                if lean > 0:
                    found[(only_b[0], only_a[0])] = found.get((only_b[0], only_a[0]), 0.0) + lean
        return sorted(found, key=lambda swap: -found[swap])[:top]

    def to_dict(self) -> dict:
        return dict(
            self.card,
            kind="sentence-votes",
            features=self.features,
            scale=[round(float(x), 6) for x in self.scale],
            weights=[round(float(x), 6) for x in self.weights],
            calibration=float(self.calibration),
            words={w: round(float(x), 4) for w, x in zip(self.vocabulary, self.word_weights) if abs(x) >= 1e-4},
            word_pairs={pair: round(float(x), 4) for pair, x in self.word_pairs.items() if abs(x) >= 1e-4},
        )

    @classmethod
    def fit(
        cls,
        documents: Sequence[PairDifferences],
        weights: Sequence[float] | None = None,
        c: float = 0.1,
        card: dict | None = None,
        vocabulary_size: int = WORD_VOCABULARY,
    ) -> "DirectionModel":
        """Fit on documents' sentence pairs oriented human -> machine (b is the machine's).

        Both orders of every pair are used, without intercept, so the model is
        antisymmetric; `weights` weighs each document's pairs (the round trips we target
        count more than the one-way translations). `fit_calibration` then sets how votes
        add up over a document. `vocabulary_size` 0 fits the counts alone, no word weights
        (what scripts/fit_direction.py compares the shipped model with).
        """
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        vocabulary = word_vocabulary(vocabulary_size) if vocabulary_size > 0 else []
        index = {w: i for i, w in enumerate(vocabulary)}
        counts = np.vstack([d.counts for d in documents])
        scale = np.sqrt((counts**2).mean(axis=0)) + 1e-9  # no centring: 0 must stay "no difference"
        rows, columns, values = [], [], []
        row = 0
        for document in documents:
            for only_a, only_b in document.words:
                for sign, words in ((-1.0, only_a), (1.0, only_b)):
                    for word in words:
                        if word in index:
                            rows.append(row)
                            columns.append(index[word])
                            values.append(sign)
                row += 1
        words = sparse.csr_matrix((values, (rows, columns)), shape=(row, len(vocabulary)))
        x = sparse.hstack([sparse.csr_matrix(counts / scale), words]).tocsr()
        weight = np.concatenate([np.full(len(d), 1.0 if weights is None else weights[k]) for k, d in enumerate(documents)])
        classifier = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(
            sparse.vstack([x, -x]), np.r_[np.ones(row), np.zeros(row)], sample_weight=np.r_[weight, weight]
        )
        coef = classifier.coef_[0]
        n = len(scale)
        return cls(feature_names(), scale, coef[:n], vocabulary, coef[n:], 1.0, dict(card or {}))

    def fit_calibration(self, held_out_votes: Sequence[np.ndarray]) -> "DirectionModel":
        """Scale summed votes into calibrated log-odds, from held-out documents' votes (oriented human -> machine).

        Votes of one document are not independent (one translator, one system), so their
        plain sum is over-confident; a one-parameter logistic fit on documents the votes'
        model did not see says by how much.
        """
        from sklearn.linear_model import LogisticRegression

        sums = np.asarray([np.sum(v) for v in held_out_votes], dtype=float)
        x = np.r_[sums, -sums][:, None]
        y = np.r_[np.ones(len(sums)), np.zeros(len(sums))]
        classifier = LogisticRegression(C=10.0, fit_intercept=False, max_iter=1000).fit(x, y)
        self.calibration = float(max(classifier.coef_[0][0], 1e-3))
        return self

    @classmethod
    def from_dict(cls, data: Mapping) -> "DirectionModel":
        features = list(data["features"])
        if data.get("kind") != "sentence-votes" or features != feature_names():
            raise ValueError("the direction model was fitted on other features; refit it with scripts/fit_direction.py")
        words = dict(data.get("words") or {})
        card = {k: v for k, v in data.items() if k not in ("kind", "features", "scale", "weights", "calibration", "words", "word_pairs")}
        return cls(
            features,
            np.asarray(data["scale"], dtype=float),
            np.asarray(data["weights"], dtype=float),
            list(words),
            np.asarray(list(words.values()), dtype=float),
            float(data["calibration"]),
            card,
            {pair: float(x) for pair, x in (data.get("word_pairs") or {}).items()},
        )


_BUNDLED_DIRECTION: list = []


def bundled_direction_sha256() -> str | None:
    """SHA-256 of the bundled direction model's file (None when it is missing): a detector records
    the one its word-choice features were trained with, and loading checks it."""
    import hashlib

    from ..model import bundled_model_dir

    try:
        return hashlib.sha256((bundled_model_dir() / DIRECTION_MODEL_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def bundled_direction_model() -> DirectionModel | None:
    """The direction model shipped beside the detector (models/copy_direction.json), if any."""
    if not _BUNDLED_DIRECTION:
        import json

        from ..model import bundled_model_dir

        path = bundled_model_dir() / DIRECTION_MODEL_FILE
        try:
            _BUNDLED_DIRECTION.append(DirectionModel.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError):
            _BUNDLED_DIRECTION.append(None)
    return _BUNDLED_DIRECTION[0]


def bundled_direction_at(human_pair_rate: float | None) -> DirectionModel | None:
    """The bundled direction model, calling rewrites machine-made at the level `human_pair_rate`
    of human pairs reach (None: as shipped). A rate the card has no threshold for is a ValueError."""
    model = bundled_direction_model()
    if model is None or human_pair_rate is None:
        return model
    if human_pair_rate not in _BUNDLED_AT:  # each decide batch asks: build each level's model once
        _BUNDLED_AT[human_pair_rate] = model.at_human_pair_rate(human_pair_rate)
    return _BUNDLED_AT[human_pair_rate]


_BUNDLED_AT: dict[float, DirectionModel] = {}


def _resolve_direction(direction: DirectionModel | None | str) -> DirectionModel | None:
    if direction == "bundled":
        return bundled_direction_model()
    if direction is None or isinstance(direction, DirectionModel):
        return direction
    raise ValueError(f"direction must be a DirectionModel, None or 'bundled', not {direction!r}")
