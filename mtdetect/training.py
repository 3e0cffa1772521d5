"""Training and validation: feature tables, grouped splits, metrics, the threshold.

Validation holds out whole documents (doc_id) and, where known, whole MT systems, so
that a story or a system is never on both sides; an example's explicit `group` (a year of
round trips) holds out that whole group instead, and paired documents (an original and its
round trip) share a doc_id and so always fall in one fold. Machine texts are compared with
the human texts of the same documents, so topic cannot stand in for machine-ness.

Examples may name a `task` (one-way translation, round trip): each task gets an equal share
of each class's training weight, so 156 round trips are not drowned by 6,000 one-way
translations. The threshold is chosen so that no held-out group of human documents (a
source language, a year, original or translated) exceeds the target false-positive rate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from . import model
from .data import Example
from .features import Extraction, extract
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
        weights = example_weights(self.meta, self.labels)
        return model.TrainingSet(
            self.document_rows,
            self.labels,
            self.paragraph_rows,
            self.labels[self.paragraph_document],
            self.paragraph_document,
            weights,
            weights[self.paragraph_document] if len(self.paragraph_document) else np.zeros(0),
        )


def example_weights(meta: Sequence[dict], labels: np.ndarray) -> np.ndarray:
    """Training weight per example: every (task, class) block gets an equal share of its class.

    Without a `task` in the metadata every example weighs 1. Weights average 1 within each
    class, so the classifier's class balancing still sees equal classes."""
    labels = np.asarray(labels)
    tasks = np.asarray([str(m.get("task", "")) for m in meta])
    weights = np.ones(len(labels))
    for label in (0, 1):
        in_class = labels == label
        present = sorted(set(tasks[in_class].tolist()))
        for task in present:
            block = in_class & (tasks == task)
            weights[block] = in_class.sum() / (len(present) * block.sum())
    return weights


def _extract_chunk(texts: list[str], names: list[str]) -> list[tuple[list[float], list[list[float]]]]:
    values = []
    for text in texts:
        extraction = extract(Document(text), names)
        values.append((extraction.document_values, extraction.paragraph_values))
    return values


def extract_values(
    examples: Sequence[Example], names: Sequence[str], jobs: int = 1, progress: Callable[[int], None] | None = None
) -> list[tuple[list[float], list[list[float]]]]:
    """(document values, paragraph values) of every example, over `jobs` processes.

    Raw values, not model rows: a cache of these survives a change of the row layout."""
    from joblib import Parallel, delayed

    names = list(names)
    texts = [e.text for e in examples]
    chunk = 200
    batches = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    values: list[tuple[list[float], list[list[float]]]] = []
    runner = Parallel(n_jobs=jobs, return_as="generator") if jobs != 1 else None
    outputs = runner(delayed(_extract_chunk)(b, names) for b in batches) if runner else (_extract_chunk(b, names) for b in batches)
    for part in outputs:
        values.extend(part)
        if progress is not None:
            progress(len(part))
    return values


def assemble(examples: Sequence[Example], names: Sequence[str], values: Sequence[tuple[list[float], list[list[float]]]]) -> FeatureTable:
    """The model rows of every example from its extracted values."""
    names = list(names)
    document_rows, paragraph_parts = [], []
    for document_values, paragraph_values in values:
        extraction = Extraction(names, [], paragraph_values, document_values)
        document_rows.append(model.document_row(extraction))
        paragraph_parts.append(model.paragraph_rows(extraction))
    document_width = model.row_width(names)
    paragraph_width = model.paragraph_row_width(names)
    paragraph_document = np.concatenate([np.full(p.shape[0], i) for i, p in enumerate(paragraph_parts)]) if paragraph_parts else np.zeros(0)
    return FeatureTable(
        names,
        np.vstack(document_rows) if document_rows else np.zeros((0, document_width)),
        np.vstack(paragraph_parts) if paragraph_parts else np.zeros((0, paragraph_width)),
        paragraph_document.astype(int),
        np.asarray([e.label for e in examples], dtype=int),
        [dict(e.meta, source=e.source) for e in examples],
    )


def featurise(
    examples: Sequence[Example], names: Sequence[str], jobs: int = 1, progress: Callable[[int], None] | None = None
) -> FeatureTable:
    """Extract every feature of every example, over `jobs` processes."""
    return assemble(examples, names, extract_values(examples, names, jobs, progress))


# --- splits ---------------------------------------------------------------------------


def _group(meta: dict) -> str:
    return str(meta.get("group") or meta.get("doc_id") or meta.get("source"))


def human_group(meta: dict) -> str:
    """The group a human document's false-positive rate is reported and thresholded on:
    corpus, original or translated, and the year or source language (and a non-news domain)."""
    parts = [str(meta.get("corpus") or "data"), str(meta.get("kind") or "human")]
    parts.append(str(meta.get("year") or meta.get("src_lang") or "-"))
    if meta.get("domain") not in (None, "news"):
        parts.append(str(meta["domain"]))
    return "/".join(parts)


# --- metrics --------------------------------------------------------------------------


def auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    from sklearn.metrics import roc_auc_score

    labels = np.asarray(labels)
    if len(set(labels.tolist())) < 2:
        return None
    return float(roc_auc_score(labels, scores))


# Groups of human documents smaller than this are pooled: a 2 % rate is not measurable on 10.
MIN_GROUP = 20


def choose_group_threshold(human_scores: Sequence[float], groups: Sequence[str], fpr: float = HUMAN_FPR_TARGET) -> float:
    """The lowest threshold at which every group of human documents is flagged at about `fpr`.

    Per group, the (1 - fpr) quantile of its scores; the threshold is the largest of these,
    so the worst group, not the pooled rate, sets it. Groups under MIN_GROUP documents are
    pooled into one."""
    scores = np.asarray(human_scores, dtype=float)
    groups = np.asarray(list(groups))
    if scores.size == 0:
        return 0.5
    sizes = {g: int((groups == g).sum()) for g in set(groups.tolist())}
    merged = np.asarray([g if sizes[g] >= MIN_GROUP else "(small groups)" for g in groups])
    cuts = []
    for g in sorted(set(merged.tolist())):
        values = scores[merged == g]
        if values.size >= MIN_GROUP or g == "(small groups)" and values.size:
            cuts.append(float(np.quantile(values, 1.0 - fpr)))
    cut = max(cuts) if cuts else float(np.max(scores))
    return float(min(1.0, np.nextafter(cut, 1.0)))


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
    result["same_documents"] = same_document_aucs(table, document_scores, paragraph_scores)
    result["human_groups"] = human_group_rates(table, flagged)
    result["by_language"] = _per_value(table, document_scores, flagged, "src_lang")
    result["by_system"] = _per_value(table, document_scores, flagged, "system", human_by_doc=True)
    result["by_domain"] = _per_value(table, document_scores, flagged, "domain")
    return result


def same_document_aucs(table: FeatureTable, document_scores: np.ndarray, paragraph_scores: np.ndarray) -> dict:
    """Per machine kind: document and paragraph AUC of its texts against the human texts of the
    same doc_ids (round trips vs their originals, one-way MT vs human translations)."""
    kinds = [str(m.get("kind") or "machine") for m in table.meta]
    out = {}
    for kind in sorted({k for k, y in zip(kinds, table.labels) if y == 1}):
        docs = {_doc(m) for m, k, y in zip(table.meta, kinds, table.labels) if y == 1 and k == kind}
        mask = np.asarray([(y == 1 and k == kind) or (y == 0 and _doc(m) in docs) for m, k, y in zip(table.meta, kinds, table.labels)])
        if len(set(table.labels[mask].tolist())) < 2:
            continue
        paragraphs = mask[table.paragraph_document]
        out[kind] = {
            "machine": int((mask & (table.labels == 1)).sum()),
            "human": int((mask & (table.labels == 0)).sum()),
            "auc": _round(auc(table.labels[mask], document_scores[mask])),
            "paragraph_auc": _round(auc(table.labels[table.paragraph_document][paragraphs], paragraph_scores[paragraphs]))
            if len(paragraph_scores)
            else None,
        }
    return out


def human_group_rates(table: FeatureTable, flagged: np.ndarray) -> dict:
    """Share of each human group flagged (held-out scores in validation)."""
    out: dict[str, dict] = {}
    for m, y, f in zip(table.meta, table.labels, flagged):
        if y == 0:
            cell = out.setdefault(human_group(m), {"human": 0, "flagged": 0})
            cell["human"] += 1
            cell["flagged"] += int(f)
    for cell in out.values():
        cell["rate"] = _round(cell["flagged"] / cell["human"])
    return dict(sorted(out.items()))


def _doc(meta: dict) -> str:
    return str(meta.get("doc_id") or meta.get("source"))


def _per_value(table: FeatureTable, scores: np.ndarray, flagged: np.ndarray, key: str, human_by_doc: bool = False) -> dict:
    """Per language/system/domain: machine docs of that value vs the human docs they compare with."""
    out = {}
    machine_values = sorted({str(m.get(key)) for m, y in zip(table.meta, table.labels) if y == 1 and m.get(key)})
    for value in machine_values:
        machine_mask = np.asarray([y == 1 and str(m.get(key)) == value for m, y in zip(table.meta, table.labels)])
        if human_by_doc:  # a system is compared with the human translations of the documents it translated
            docs = {_doc(m) for m, keep in zip(table.meta, machine_mask) if keep}
            human_mask = np.asarray([y == 0 and _doc(m) in docs for m, y in zip(table.meta, table.labels)])
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
    """A fold for each document group and, for machine examples, for each MT system.

    Explicit groups (a year of round trips) are dealt out round-robin on their own, so each
    fold gets some; their examples' systems are not held out (one system made them all)."""
    rng = random.Random(seed)
    explicit = sorted({_group(m) for m in table.meta if m.get("group")})
    groups = sorted({_group(m) for m in table.meta if not m.get("group")})
    systems = sorted({str(m.get("system")) for m, y in zip(table.meta, table.labels) if y == 1 and m.get("system") and not m.get("group")})
    rng.shuffle(explicit)
    rng.shuffle(groups)
    rng.shuffle(systems)
    group_fold = {g: i % folds for i, g in enumerate(explicit)}
    group_fold.update({g: i % folds for i, g in enumerate(groups)})
    system_fold = {s: i % folds for i, s in enumerate(systems)}
    doc_folds = np.asarray([group_fold[_group(m)] for m in table.meta])
    sys_folds = np.asarray(
        [
            system_fold.get(str(m.get("system")), -1) if y == 1 and m.get("system") and not m.get("group") else -1
            for m, y in zip(table.meta, table.labels)
        ]
    )
    return doc_folds, sys_folds


@dataclass
class OutOfFold:
    """Held-out scores of a grouped cross-validation (NaN where an example was never held out)."""

    document_scores: np.ndarray
    paragraph_scores: np.ndarray
    flagged: np.ndarray  # at the threshold chosen on the other folds' human documents
    folds: np.ndarray
    threshold: float  # chosen on all held-out human scores
    paragraph_threshold: float
    detectors: list = field(default_factory=list)  # the model of each fold (None: nothing held out)


# Each of a story's two partly rewritten versions weighs a fifth of its round trip. Measured with
# years held out (scripts/evaluate.py): the paragraph AUC between the rewritten and the untouched
# paragraphs of one article goes from 0.51 to 0.60 at a fifth, 0.61 at a half and at three
# quarters; the round trips' paragraphs against their originals' from 0.690 to 0.686, 0.677, 0.670.
PARTLY_REWRITTEN_SHARE = 0.2


def paragraph_labels(table: FeatureTable) -> np.ndarray:
    """Each paragraph's own label: 1 where its document's meta lists it in `machine_paragraphs`."""
    labels = np.zeros(len(table.paragraph_document), dtype=int)
    starts = np.searchsorted(table.paragraph_document, np.arange(len(table.meta) + 1))  # paragraphs come in document order
    for document, meta in enumerate(table.meta):
        count = starts[document + 1] - starts[document]
        for index in meta.get("machine_paragraphs", ()):
            if not 0 <= index < count:
                raise ValueError(f"{meta.get('doc_id')}: machine paragraph {index} of a document of {count} paragraphs")
            labels[starts[document] + index] = 1
    return labels


def partly_rewritten_set(partly: FeatureTable, documents: np.ndarray, base: FeatureTable) -> model.TrainingSet:
    """The paragraphs of the chosen partly rewritten documents, labelled one by one, weighted
    against `base` (the whole documents trained on): each version weighs PARTLY_REWRITTEN_SHARE of a round trip."""
    base_weights = example_weights(base.meta, base.labels)
    round_trips = (base.labels == 1) & np.asarray([m.get("task") == "round_trip" for m in base.meta])
    weight = PARTLY_REWRITTEN_SHARE * (float(base_weights[round_trips].mean()) if round_trips.any() else 1.0)
    chosen = np.isin(partly.paragraph_document, documents)
    count = int(chosen.sum())
    return model.TrainingSet(
        np.zeros((0, partly.document_rows.shape[1])), np.zeros(0, dtype=int),
        partly.paragraph_rows[chosen], paragraph_labels(partly)[chosen], partly.paragraph_document[chosen],
        None, np.full(count, weight),
    )


def out_of_fold(
    table: FeatureTable, classifier: str, fpr: float = HUMAN_FPR_TARGET, folds: int = 4, seed: int = 0, partly: FeatureTable | None = None
) -> OutOfFold:
    """Out-of-fold scores with whole groups (documents, years) and whole MT systems held out together.

    In fold k the model never saw the fold's documents nor its systems. Every human
    document is scored once; a machine translation is scored when its document and its
    system fall in the same fold. The flag rates at the threshold are honest too: the
    threshold applied to fold k is chosen on the other folds' human scores only.
    `partly` holds partly rewritten documents for the paragraph model (`model.fit`'s
    extra paragraphs): each is held out with its group (its round trip's year).
    """
    doc_folds, sys_folds = fold_assignments(table, folds, seed)
    fold_of_group = {_group(m): int(f) for m, f in zip(table.meta, doc_folds)}
    partly_folds = np.asarray([fold_of_group.get(_group(m), -1) for m in partly.meta]) if partly is not None else np.zeros(0)
    if len(set(doc_folds.tolist())) < 2:
        raise ValueError("too few documents for validation")
    has_system = sys_folds >= 0
    doc_scores = np.full(len(table.labels), np.nan)
    par_scores = np.full(len(table.paragraph_document), np.nan)
    detectors: list = []
    for k in range(folds):
        train_mask = (doc_folds != k) & (~has_system | (sys_folds != k))
        test_mask = (doc_folds == k) & (~has_system | (sys_folds == k))
        train_idx, test_idx = np.flatnonzero(train_mask), np.flatnonzero(test_mask)
        detectors.append(None)
        if not test_idx.size:
            continue
        train = table.subset(train_idx)
        _check_classes(train.labels, "a training fold")
        extra = partly_rewritten_set(partly, np.flatnonzero((partly_folds != k) & (partly_folds >= 0)), train) if partly is not None else None
        detector = detectors[k] = model.fit(train.training_set(), table.names, classifier, extra_paragraphs=extra)
        test = table.subset(test_idx)
        d, p = predict(detector, test)
        doc_scores[test_idx] = d
        par_scores[np.isin(table.paragraph_document, test_idx)] = p
    human_oof = (table.labels == 0) & ~np.isnan(doc_scores)
    groups = np.asarray([human_group(m) for m in table.meta])
    flagged = np.zeros(len(table.labels), dtype=bool)
    for k in range(folds):  # threshold for fold k from the other folds' humans
        others = human_oof & (doc_folds != k)
        cut = choose_group_threshold(doc_scores[others], groups[others], fpr)
        in_fold = (doc_folds == k) & ~np.isnan(doc_scores)
        flagged[in_fold] = doc_scores[in_fold] >= cut
    threshold = choose_group_threshold(doc_scores[human_oof], groups[human_oof], fpr)
    human_paragraphs = (table.labels[table.paragraph_document] == 0) & ~np.isnan(par_scores)
    paragraph_threshold = choose_threshold(par_scores[human_paragraphs], fpr)
    return OutOfFold(doc_scores, par_scores, flagged, doc_folds, threshold, paragraph_threshold, detectors)


def cross_validate(
    table: FeatureTable, classifier: str, fpr: float = HUMAN_FPR_TARGET, folds: int = 4, seed: int = 0, partly: FeatureTable | None = None
) -> tuple[dict, float]:
    """The validation report of out_of_fold(), and the threshold for the final model."""
    oof = out_of_fold(table, classifier, fpr, folds, seed, partly)
    scored = np.flatnonzero(~np.isnan(oof.document_scores))
    test = table.subset(scored)
    keep = np.isin(table.paragraph_document, scored)
    report = metrics(test, oof.document_scores[scored], oof.paragraph_scores[keep], oof.threshold, flagged=oof.flagged[scored])
    report.update(
        {
            "folds": folds,
            "threshold_fpr_target": fpr,
            "paragraph_threshold": round(oof.paragraph_threshold, 4),
            "scheme": "documents and MT systems held out together; round trips by whole year",
            "threshold_rule": f"largest (1 - fpr) quantile of out-of-fold human scores over human groups of {MIN_GROUP}+ documents",
        }
    )
    return report, oof.threshold


def predict(detector: model.Detector, table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
    doc_scores = detector.document_model.predict_proba(table.document_rows)[:, 1]
    par_scores = detector.paragraph_model.predict_proba(table.paragraph_rows)[:, 1] if len(table.paragraph_rows) else np.zeros(0)
    return doc_scores, par_scores


def _check_classes(labels: np.ndarray, where: str) -> None:
    present = set(labels.tolist())
    if present != {0, 1}:
        only = "machine" if present == {1} else "human"
        raise ValueError(f"{where} has only {only} examples; training needs both machine and human examples")


def train(
    table: FeatureTable, classifier: str = "logistic", fpr: float = HUMAN_FPR_TARGET, seed: int = 0, partly: FeatureTable | None = None
) -> tuple[model.Detector, dict]:
    """Cross-validate with documents and systems held out, then refit on everything with the validated threshold.

    `partly`: partly rewritten documents whose paragraphs also train the paragraph model."""
    _check_classes(table.labels, "the data")
    report, threshold = cross_validate(table, classifier, fpr, seed=seed, partly=partly)
    extra = partly_rewritten_set(partly, np.arange(len(partly.meta)), table) if partly is not None else None
    detector = model.fit(table.training_set(), table.names, classifier, threshold, extra_paragraphs=extra)
    detector.paragraph_threshold = report["paragraph_threshold"]
    return detector, report
