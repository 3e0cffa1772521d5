"""The classifiers the detector's two models end in, and how they are fitted with example weights.

An artifact (a respelled name, a title the story never used, a glued word) is found only
where a machine left it, so finding one must never count as evidence of a human writer.
An unconstrained logistic regression does not know that: where two artifact columns fire
together (an honorific added in one sentence and the pooled count of all artifacts), it
may give one of them a negative weight to pay for the other, and the report then tells a
reader that "honorific inconsistency pushes strongly towards human". `SignedLogistic`
keeps the weights of such columns at zero or above; the boosted trees get the same rule as
a monotonic constraint.
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class SignedLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression whose weights on the `machine_only` columns are never negative.

    Fitted as scikit-learn's LogisticRegression; while a machine-only column comes out with a
    negative weight, the most negative one is left out and the rest refitted, so the column
    weighs nothing rather than the wrong way. Columns are kept in place: `coef_` has one
    weight per input column, zero for those left out, and reads like LogisticRegression's.
    """

    def __init__(self, machine_only: tuple[int, ...] = (), C: float = 1.0, class_weight=None, max_iter: int = 2000):
        self.machine_only = machine_only
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> "SignedLogistic":
        from sklearn.linear_model import LogisticRegression

        X = np.asarray(X, dtype=float)
        kept = np.ones(X.shape[1], dtype=bool)
        constrained = np.zeros(X.shape[1], dtype=bool)
        constrained[list(self.machine_only)] = True
        while True:
            model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
            # With every column left out, a column of zeros: the fit is then its intercept alone.
            model.fit(X[:, kept] if kept.any() else np.zeros((len(X), 1)), y, sample_weight=sample_weight)
            coef = np.zeros(X.shape[1])
            coef[kept] = model.coef_[0][: int(kept.sum())]
            wrong_way = np.flatnonzero(constrained & kept & (coef < 0))
            if not wrong_way.size:
                break
            kept[wrong_way[np.argmin(coef[wrong_way])]] = False
        self.coef_ = coef[None, :]
        self.intercept_ = model.intercept_
        self.classes_ = model.classes_
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X) -> np.ndarray:
        return np.asarray(X, dtype=float) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X) -> np.ndarray:
        from scipy.special import expit

        machine = expit(self.decision_function(X))
        return np.column_stack([1.0 - machine, machine])

    def predict(self, X) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


def make_classifier(kind: str = "logistic", machine_only: Sequence[bool] = ()):
    """A scaled, calibrated classifier; the pipeline owns the scaling.

    `machine_only`: for each column, whether its weight may not favour a human writer (an
    artifact); empty for no such column.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    if kind == "logistic":
        # log1p tames the long tail of artifact rates (one heading with three artifacts); both it
        # and the scaling keep a column's order, so a weight's sign means the same on the raw value.
        # Strong regularisation (C=0.05) measured best with systems held out.
        base = make_pipeline(
            FunctionTransformer(np.log1p),
            StandardScaler(),
            SignedLogistic(tuple(np.flatnonzero(machine_only).tolist()), C=0.05, class_weight="balanced", max_iter=2000),
        )
    elif kind == "boosting":
        base = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15, class_weight="balanced")
        if np.any(machine_only):
            base.set_params(monotonic_cst=np.asarray(machine_only, dtype=int))
    else:
        raise ValueError(f"unknown classifier {kind!r}; choose logistic or boosting")
    return CalibratedClassifierCV(base, method="sigmoid", cv=3)


def fit_weighted(classifier: str, rows: np.ndarray, labels: np.ndarray, weights: np.ndarray | None, machine_only: Sequence[int] = ()):
    """make_classifier fitted on the rows, each weighing `weights` (None: all 1); `machine_only` lists the
    columns whose weight may not favour a human writer."""
    mask = np.zeros(np.shape(rows)[1], dtype=bool)
    mask[list(machine_only)] = True
    estimator = make_classifier(classifier, mask)
    if weights is None:
        return estimator.fit(rows, labels)
    if classifier != "logistic":
        return estimator.fit(rows, labels, sample_weight=weights)
    # The calibration is weighted to equal classes too: machine texts outnumber human ones
    # six to one in training, and unweighted it read a human paragraph as 0.7 "machine".
    labels = np.asarray(labels)
    balanced = np.asarray(weights, dtype=float).copy()
    for label in (0, 1):
        in_class = labels == label
        if in_class.any():
            balanced[in_class] *= len(labels) / (2 * balanced[in_class].sum())
    with warnings.catch_warnings():
        # The pipeline takes its weights through the step name; the calibration is told so.
        warnings.filterwarnings("ignore", message=".*does not appear to accept sample_weight.*")
        return estimator.fit(rows, labels, sample_weight=balanced, signedlogistic__sample_weight=weights)
