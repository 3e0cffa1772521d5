"""Training and validation: feature tables, grouped splits, metrics, the threshold.

Validation holds out whole documents (doc_id) and, where known, whole MT systems, so
that a story or a system is never on both sides. Machine translations are compared with
the human translations of the same documents, so topic cannot stand in for machine-ness.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from . import model
from .data import Example
from .features import extract
from .text import Document

HUMAN_FPR_TARGET = 0.02


@dataclass
class FeatureTable:
    """Feature rows for a list of examples, in the same order."""

    names: list[str]
    document_rows: np.ndarray  # [document, 2 * features]
    paragraph_rows: np.ndarray  # [paragraph, 2 * features]
    paragraph_document: np.ndarray  # [paragraph] -> document index
    labels: np.ndarray  # [document]
    meta: list[dict] = field(default_factory=list)

    def subset(self, indices: Sequence[int]) -> "FeatureTable":
        indices = np.asarray(indices, dtype=int)
        position = {int(d): i for i, d in enumerate(indices)}
        keep = np.isin(self.paragraph_document, indices)
        return FeatureTable(
            self.names,
            self.document_rows[indices],
            self.paragraph_rows[keep],
            np.asarray([position[int(d)] for d in self.paragraph_document[keep]], dtype=int),
            self.labels[indices],
            [self.meta[i] for i in indices],
        )

    def training_set(self) -> model.TrainingSet:
        return model.TrainingSet(
            self.document_rows, self.labels, self.paragraph_rows, self.labels[self.paragraph_document], self.paragraph_document
        )


def _featurise_chunk(texts: list[str], names: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    rows = []
    for text in texts:
        extraction = extract(Document(text), names)
        rows.append((model.document_row(extraction), model.paragraph_rows(extraction)))
    return rows


def featurise(
    examples: Sequence[Example], names: Sequence[str], jobs: int = 1, progress: Callable[[int], None] | None = None
) -> FeatureTable:
    """Extract every feature of every example, over `jobs` processes."""
    from joblib import Parallel, delayed

    names = list(names)
    texts = [e.text for e in examples]
    chunk = 200
    batches = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    results: list[tuple[np.ndarray, np.ndarray]] = []
    runner = Parallel(n_jobs=jobs, return_as="generator") if jobs != 1 else None
    outputs = runner(delayed(_featurise_chunk)(b, names) for b in batches) if runner else (_featurise_chunk(b, names) for b in batches)
    for rows in outputs:
        results.extend(rows)
        if progress is not None:
            progress(len(rows))
    width = model.row_width(names)
    document_rows = np.vstack([r[0] for r in results]) if results else np.zeros((0, width))
    paragraph_parts = [r[1] for r in results]
    paragraph_rows = np.vstack(paragraph_parts) if paragraph_parts else np.zeros((0, width))
    paragraph_document = np.concatenate([np.full(p.shape[0], i) for i, p in enumerate(paragraph_parts)]) if results else np.zeros(0)
    return FeatureTable(
        names,
        document_rows,
        paragraph_rows,
        paragraph_document.astype(int),
        np.asarray([e.label for e in examples], dtype=int),
        [dict(e.meta, source=e.source) for e in examples],
    )


# --- splits ---------------------------------------------------------------------------


def _group(meta: dict) -> str:
    return str(meta.get("doc_id") or meta.get("source"))


# --- metrics --------------------------------------------------------------------------


def auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    labels = np.asarray(labels)
    if len(set(labels.tolist())) < 2:
        return None
    return float(roc_auc_score(labels, scores))


def choose_threshold(human_scores: Sequence[float], fpr: float = HUMAN_FPR_TARGET) -> float:
    """The lowest threshold whose false-positive rate on these human scores is <= fpr."""
    scores = np.sort(np.asarray(human_scores, dtype=float))
    if scores.size == 0:
        return 0.5
    allowed = int(np.floor(fpr * scores.size))  # how many human documents may score above
    cut = scores[scores.size - allowed - 1]
    return float(min(1.0, np.nextafter(cut, 1.0)))


def metrics(
    table: FeatureTable, document_scores: np.ndarray, paragraph_scores: np.ndarray, threshold: float, flagged: np.ndarray | None = None
) -> dict:
    """AUCs (machine vs human translation, vs original English), rates at the threshold, per group.

    `flagged` overrides `document_scores >= threshold` (for thresholds chosen per fold)."""
    kinds = np.asarray([m.get("kind", "human" if y == 0 else "machine") for m, y in zip(table.meta, table.labels)])
    labels = table.labels
    machine = labels == 1
    flagged = document_scores >= threshold if flagged is None else flagged

    def pair_auc(mask_human: np.ndarray, mask_machine: np.ndarray = machine) -> float | None:
        mask = mask_human | mask_machine
        return _round(auc(labels[mask], document_scores[mask]))

    result = {
        "documents": int(len(labels)),
        "machine": int(machine.sum()),
        "human": int((~machine).sum()),
        "auc": _round(auc(labels, document_scores)),
        "auc_vs_human_translation": pair_auc(kinds == "human_translation"),
        "auc_vs_original": pair_auc(kinds == "original"),
        "paragraph_auc": _round(auc(labels[table.paragraph_document], paragraph_scores)) if len(paragraph_scores) else None,
        "threshold": round(threshold, 4),
        "machine_flagged": _round(float(flagged[machine].mean())) if machine.any() else None,
        "human_flagged": _round(float(flagged[~machine].mean())) if (~machine).any() else None,
    }
    for kind in ("human_translation", "original"):
        mask = kinds == kind
        if mask.any():
            result[f"{kind}_flagged"] = _round(float(flagged[mask].mean()))
    result["by_language"] = _per_value(table, document_scores, flagged, "src_lang")
    result["by_system"] = _per_value(table, document_scores, flagged, "system", human_by_doc=True)
    result["by_domain"] = _per_value(table, document_scores, flagged, "domain")
    return result


def _per_value(table: FeatureTable, scores: np.ndarray, flagged: np.ndarray, key: str, human_by_doc: bool = False) -> dict:
    """Per language/system/domain: machine docs of that value vs the human docs they compare with."""
    out = {}
    machine_values = sorted({str(m.get(key)) for m, y in zip(table.meta, table.labels) if y == 1 and m.get(key)})
    for value in machine_values:
        machine_mask = np.asarray([y == 1 and str(m.get(key)) == value for m, y in zip(table.meta, table.labels)])
        if human_by_doc:  # a system is compared with the human translations of the documents it translated
            docs = {_group(m) for m, keep in zip(table.meta, machine_mask) if keep}
            human_mask = np.asarray([y == 0 and _group(m) in docs for m, y in zip(table.meta, table.labels)])
        else:
            human_mask = np.asarray([y == 0 and str(m.get(key)) == value for m, y in zip(table.meta, table.labels)])
        mask = machine_mask | human_mask
        out[value] = {
            "machine": int(machine_mask.sum()),
            "human": int(human_mask.sum()),
            "auc": _round(auc(table.labels[mask], scores[mask])),
            "machine_flagged": _round(float(flagged[machine_mask].mean())),
            "human_flagged": _round(float(flagged[human_mask].mean())) if human_mask.any() else None,
        }
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- the whole job ----------------------------------------------------------------------


def fold_assignments(table: FeatureTable, folds: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fold for each document group and, for machine examples, for each MT system."""
    rng = random.Random(seed)
    groups = sorted({_group(m) for m in table.meta})
    systems = sorted({str(m.get("system")) for m, y in zip(table.meta, table.labels) if y == 1 and m.get("system")})
    rng.shuffle(groups)
    rng.shuffle(systems)
    group_fold = {g: i % folds for i, g in enumerate(groups)}
    system_fold = {s: i % folds for i, s in enumerate(systems)}
    doc_folds = np.asarray([group_fold[_group(m)] for m in table.meta])
    sys_folds = np.asarray(
        [system_fold.get(str(m.get("system")), -1) if y == 1 and m.get("system") else -1 for m, y in zip(table.meta, table.labels)]
    )
    return doc_folds, sys_folds


def cross_validate(table: FeatureTable, classifier: str, fpr: float = HUMAN_FPR_TARGET, folds: int = 4, seed: int = 0) -> tuple[dict, float]:
    """Out-of-fold scores with whole documents and whole MT systems held out together.

    In fold k the model never saw the fold's documents nor its systems. Every human
    document is scored once; a machine translation is scored when its document and its
    system fall in the same fold. The flag rates at the threshold are honest too: the
    threshold applied to fold k is chosen on the other folds' human scores only.
    """
    doc_folds, sys_folds = fold_assignments(table, folds, seed)
    if len(set(doc_folds.tolist())) < 2:
        raise ValueError("too few documents for validation")
    has_system = sys_folds >= 0
    doc_scores = np.full(len(table.labels), np.nan)
    par_scores = np.full(len(table.paragraph_document), np.nan)
    for k in range(folds):
        train_mask = (doc_folds != k) & (~has_system | (sys_folds != k))
        test_mask = (doc_folds == k) & (~has_system | (sys_folds == k))
        train_idx, test_idx = np.flatnonzero(train_mask), np.flatnonzero(test_mask)
        if not test_idx.size:
            continue
        train = table.subset(train_idx)
        _check_classes(train.labels, "a training fold")
        detector = model.fit(train.training_set(), table.names, classifier)
        test = table.subset(test_idx)
        d, p = predict(detector, test)
        doc_scores[test_idx] = d
        par_scores[np.isin(table.paragraph_document, test_idx)] = p
    scored = np.flatnonzero(~np.isnan(doc_scores))
    human_oof = (table.labels == 0) & ~np.isnan(doc_scores)
    flagged = np.zeros(len(table.labels), dtype=bool)
    for k in range(folds):  # threshold for fold k from the other folds' humans
        others = human_oof & (doc_folds != k)
        cut = choose_threshold(doc_scores[others], fpr)
        in_fold = (doc_folds == k) & ~np.isnan(doc_scores)
        flagged[in_fold] = doc_scores[in_fold] >= cut
    threshold = choose_threshold(doc_scores[human_oof], fpr)
    human_paragraphs = (table.labels[table.paragraph_document] == 0) & ~np.isnan(par_scores)
    paragraph_threshold = choose_threshold(par_scores[human_paragraphs], fpr)
    test = table.subset(scored)
    keep = np.isin(table.paragraph_document, scored)
    report = metrics(test, doc_scores[scored], par_scores[keep], threshold, flagged=flagged[scored])
    report.update(
        {
            "folds": folds,
            "threshold_fpr_target": fpr,
            "paragraph_threshold": round(paragraph_threshold, 4),
            "scheme": "documents and MT systems held out together",
        }
    )
    return report, threshold


def predict(detector: model.Detector, table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
    doc_scores = detector.document_model.predict_proba(table.document_rows)[:, 1]
    par_scores = detector.paragraph_model.predict_proba(table.paragraph_rows)[:, 1] if len(table.paragraph_rows) else np.zeros(0)
    return doc_scores, par_scores


def _check_classes(labels: np.ndarray, where: str) -> None:
    present = set(labels.tolist())
    if present != {0, 1}:
        only = "machine" if present == {1} else "human"
        raise ValueError(f"{where} has only {only} examples; training needs both machine and human examples")


def train(table: FeatureTable, classifier: str = "logistic", fpr: float = HUMAN_FPR_TARGET, seed: int = 0) -> tuple[model.Detector, dict]:
    """Cross-validate with documents and systems held out, then refit on everything with the validated threshold."""
    _check_classes(table.labels, "the data")
    report, threshold = cross_validate(table, classifier, fpr, seed=seed)
    detector = model.fit(table.training_set(), table.names, classifier, threshold)
    detector.paragraph_threshold = report["paragraph_threshold"]
    return detector, report
