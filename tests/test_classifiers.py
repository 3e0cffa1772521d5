"""The detector's classifiers: an artifact found never weighs towards a human writer."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mtdetect import model
from mtdetect.classifiers import SignedLogistic, fit_weighted, make_classifier


def _overlapping_artifacts(seed: int = 0, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Machine texts (y = 1) that carry a pooled artifact count (column 0), one kind of artifact
    that always comes with a big pooled count (column 1), and a plain statistic (column 2).

    Column 1 adds nothing beyond column 0 where it fires, so a free fit pays for the
    overlap by weighing it negatively."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    pooled = rng.poisson(0.3 + 1.2 * y).astype(float)
    kind = (pooled >= 3) * rng.integers(0, 2, n)
    pooled += 4 * kind
    statistic = np.exp(rng.normal(0.4 * y, 1.0))  # a positive rate, as the features are
    return np.column_stack([pooled, kind, statistic]), y


def test_a_machine_only_column_never_weighs_towards_a_human_writer():
    X, y = _overlapping_artifacts()
    free = LogisticRegression(C=1.0, max_iter=2000).fit(X, y)
    assert free.coef_[0][1] < 0  # the case the constraint is for

    signed = SignedLogistic(machine_only=(0, 1), C=1.0).fit(X, y)
    assert signed.coef_.shape == (1, 3)
    assert signed.coef_[0][0] > 0 and signed.coef_[0][1] == 0.0
    assert signed.coef_[0][2] > 0  # a statistic is left free
    # The refit without the column ranks nearly as well, and its probabilities are its decision's.
    assert (signed.predict(X) == y).mean() > (free.predict(X) == y).mean() - 0.02
    np.testing.assert_allclose(signed.predict_proba(X)[:, 1], 1 / (1 + np.exp(-signed.decision_function(X))))


def test_when_every_column_would_weigh_towards_a_human_writer_only_the_intercept_is_left():
    X, y = _overlapping_artifacts(seed=3)
    signed = SignedLogistic(machine_only=(0, 1), C=1.0).fit(X[:, :2], 1 - y)  # artifacts on the human side
    assert (signed.coef_ == 0).all()
    assert np.allclose(signed.predict_proba(X[:, :2])[:, 1], (1 - y).mean(), atol=0.01)


def test_without_machine_only_columns_it_is_logistic_regression():
    X, y = _overlapping_artifacts(seed=1)
    signed = SignedLogistic(C=0.5, class_weight="balanced").fit(X, y)
    free = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(X, y)
    np.testing.assert_allclose(signed.coef_, free.coef_)
    np.testing.assert_allclose(signed.intercept_, free.intercept_)


def test_the_calibrated_pipeline_keeps_the_rule_with_example_weights():
    X, y = _overlapping_artifacts(seed=2, n=1500)
    fitted = fit_weighted("logistic", X, y, np.where(y == 1, 0.5, 2.0), machine_only=[0, 1])
    with_more = X.copy()
    with_more[:, 1] += 1  # one more artifact of that kind, all else the same
    assert np.all(fitted.predict_proba(with_more)[:, 1] >= fitted.predict_proba(X)[:, 1] - 1e-9)
    assert (np.ravel(fitted.calibrated_classifiers_[0].estimator[-1].coef_)[:2] >= 0).all()


def test_boosted_trees_get_the_rule_as_a_monotonic_constraint():
    boosting = make_classifier("boosting", [True, True, False]).estimator
    assert list(boosting.monotonic_cst) == [1, 1, 0]
    assert make_classifier("boosting").estimator.monotonic_cst is None


def test_the_bundled_models_weigh_no_artifact_towards_a_human_writer():
    if not model.bundled_model_path().is_file():
        pytest.skip("no bundled model built yet")
    detector = model.load()
    names = detector.feature_names
    for fitted, columns in ((detector.paragraph_model, model.paragraph_columns(names)), (detector.document_model, model.document_columns(names))):
        machine_only = model.machine_only_columns(columns)
        assert {columns[i][0] for i in machine_only} >= set(model.POOLED_COLUMNS)
        for calibrated in fitted.calibrated_classifiers_:
            weights = np.ravel(calibrated.estimator[-1].coef_)
            assert weights.size == len(columns)
            assert (weights[machine_only] >= 0).all(), [columns[i] for i in machine_only if weights[i] < 0]


def test_no_artifact_found_in_a_seed_is_said_to_push_towards_a_human_writer(seeds_dir):
    """The report reads the weights: an artifact that fired pushes towards the machine or not at all."""
    if not model.bundled_model_path().is_file():
        pytest.skip("no bundled model built yet")
    detector = model.load()
    detector.explain_everything()
    said = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        report = detector.score_text(path.read_text(encoding="utf-8"))
        for reason in report["reasons"] + [r for p in report["paragraphs"] for r in p["reasons"]]:
            if reason["kind"] == "artifact" and (reason.get("value") or 0) > 0:
                said += 1
                assert reason["towards"] == "machine", reason["message"]
    assert said > 0
