"""Why a score is what it is: each feature's push on the log-odds, in plain words.

The detector's pipelines end in a linear model over transformed columns (log1p, then
standardised). A column's contribution to the log-odds is its coefficient times its
transformed value, so the contributions add up to the decision and are comparable
across features. Columns are mapped back to the feature they came from (a paragraph's
own value and its document's value both belong to one feature) and summed.

Nothing here knows the weights or the feature list: both are read from whatever model
the Detector holds, so a retrained model explains itself. A model that is not linear
(boosting) gives no contributions; its reasons are then the evidence found, by feature.

A reason says what was measured, what human news shows (the median on the human
training documents, stored in the model card as `human_reference` when the model was
trained; without it, the side of the training average), and which way it pushed.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

MIN_EFFECT = 0.05  # log-odds; smaller pushes are noise, not reasons
# Plain words for the model's own pooled columns (model.POOLED_COLUMNS); other names come from the registry.
POOLED_WORDS = {
    "artifacts_total": "artifact evidence of every kind",
    "artifacts_distinct": "kinds of artifact found",
}


def linear_contributions(model, rows: np.ndarray) -> np.ndarray | None:
    """[rows, columns] log-odds contributions of a (calibrated) linear pipeline, or None.

    For a CalibratedClassifierCV the contributions of its fitted estimators are
    averaged, as its probabilities are.
    """
    rows = np.asarray(rows, dtype=float)
    estimators = [c.estimator for c in getattr(model, "calibrated_classifiers_", [])] or [model]
    total = None
    for estimator in estimators:
        if hasattr(estimator, "steps"):
            last = estimator.steps[-1][1]
            transformed = estimator[:-1].transform(rows) if len(estimator.steps) > 1 else rows
        else:
            last, transformed = estimator, rows
        coef = getattr(last, "coef_", None)
        if coef is None:
            return None
        coef = np.ravel(coef)
        transformed = np.asarray(transformed, dtype=float)
        if transformed.ndim != 2 or transformed.shape[1] != coef.size:
            return None  # a transform that changes the columns cannot be mapped back to features
        part = transformed * coef
        total = part if total is None else total + part
    return total / len(estimators)


def human_reference(rows: np.ndarray, labels: np.ndarray, columns: Sequence[tuple[str, str]], scope: str) -> dict[str, float]:
    """Median of each feature's `scope` column over the human (label 0) rows."""
    rows, labels = np.asarray(rows, dtype=float), np.asarray(labels)
    human = rows[labels == 0]
    if human.shape[0] == 0:
        return {}
    return {name: round(float(np.median(human[:, i])), 4) for i, (name, where) in enumerate(columns) if where == scope}


class Explainer:
    """Reasons for paragraph and document scores of one Detector."""

    def __init__(self, detector, registry: dict) -> None:
        from . import model

        self.detector = detector
        self.registry = registry
        names = detector.feature_names
        self.paragraph_columns = model.paragraph_columns(names)
        self.document_columns = model.document_columns(names)
        reference = detector.card.get("human_reference") or {}
        self.paragraph_reference = reference.get("paragraph") or {}
        self.document_reference = reference.get("document") or {}

    # --- public --------------------------------------------------------------------

    def paragraph_reasons(self, rows: np.ndarray, evidence: Sequence[Sequence[dict]], limit: int | None) -> list[list[dict]]:
        """The paragraph's own values first; what its document shows is one reason of its own.

        The paragraph model sees each paragraph beside its whole document, so in a flagged
        document every paragraph gets the same push from the document: saying it once,
        as "the whole document", keeps each paragraph's own reasons visible.
        """
        contributions = linear_contributions(self.detector.paragraph_model, rows) if len(rows) else None
        out = []
        for index in range(len(rows)):
            if contributions is None:
                out.append(self._from_evidence(evidence[index], "paragraph", limit))
                continue
            own = [c == "paragraph" for _, c in self.paragraph_columns]
            if len(own) != len(contributions[index]):
                out.append([])
                continue
            mask = np.asarray(own)
            reasons = self._reasons(rows[index], np.where(mask, contributions[index], 0.0), self.paragraph_columns, ("paragraph", "document"), self.paragraph_reference, "paragraph", None)
            context = self._document_context(contributions[index][~mask], [n for n, c in self.paragraph_columns if c != "paragraph"])
            if context is not None:
                reasons.append(context)
            reasons.sort(key=lambda r: -abs(r["effect"]))
            out.append(reasons if limit is None else reasons[:limit])
        return out

    def _document_context(self, effects: np.ndarray, names: list[str]) -> dict | None:
        total = float(np.sum(effects))
        if abs(total) < MIN_EFFECT:
            return None
        by_feature: dict[str, float] = {}
        for name, effect in zip(names, effects):
            by_feature[name] = by_feature.get(name, 0.0) + float(effect)
        same_way = sorted((item for item in by_feature.items() if item[1] * total > 0 and abs(item[1]) >= MIN_EFFECT), key=lambda item: -abs(item[1]))
        leading = ", ".join(self._measure(name) for name, _ in same_way[:3])
        towards = "machine" if total > 0 else "human"
        return {
            "feature": "document_context",
            "kind": "context",
            "effect": round(total, 3),
            "towards": towards,
            "value": None,
            "human_reference": None,
            "message": f"what the whole document shows{' (' + leading + ')' if leading else ''} — pushes {strength(total)} towards {towards}",
        }

    def document_reasons(self, row: np.ndarray, evidence: Sequence[dict], limit: int | None) -> list[dict]:
        contributions = linear_contributions(self.detector.document_model, row[None, :])
        if contributions is None:
            return self._from_evidence(evidence, "document", limit)
        return self._reasons(row, contributions[0], self.document_columns, ("document", "strongest paragraph"), self.document_reference, "document", limit)

    # --- building reasons ----------------------------------------------------------

    def _reasons(self, row, contributions, columns, scopes, reference: dict, level: str, limit: int | None) -> list[dict]:
        if len(columns) != len(contributions):
            return []  # a model whose columns this mtdetect does not lay out the same way
        effects: dict[str, float] = {}
        values: dict[str, dict[str, float]] = {}
        for (name, scope), value, effect in zip(columns, row, contributions):
            effects[name] = effects.get(name, 0.0) + float(effect)
            values.setdefault(name, {})[scope] = float(value)
        ranked = sorted((item for item in effects.items() if abs(item[1]) >= MIN_EFFECT), key=lambda item: -abs(item[1]))
        if limit is not None:
            ranked = ranked[:limit]
        reasons = []
        for name, effect in ranked:
            own, other = values[name].get(scopes[0], 0.0), values[name].get(scopes[1])
            ref = reference.get(name)
            reasons.append(
                {
                    "feature": name,
                    "kind": self._kind(name),
                    "effect": round(effect, 3),
                    "towards": "machine" if effect > 0 else "human",
                    "value": round(own, 4),
                    scopes[1].replace(" ", "_") + "_value": None if other is None else round(other, 4),
                    "human_reference": ref,
                    "message": self._message(name, level, own, other, scopes[1], ref, effect),
                }
            )
        return reasons

    def _from_evidence(self, evidence: Sequence[dict], level: str, limit: int | None) -> list[dict]:
        counts: dict[str, int] = {}
        for item in evidence:
            counts[item["feature"]] = counts.get(item["feature"], 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [
            {
                "feature": name,
                "kind": self._kind(name),
                "effect": None,
                "towards": "machine",
                "value": count,
                "human_reference": None,
                "message": f"{self._measure(name)}: found {count} time{'s' if count != 1 else ''} in this {level} (this model gives no per-feature weights)",
            }
            for name, count in ranked
        ]

    def _kind(self, name: str) -> str:
        feature = self.registry.get(name)
        return feature.kind if feature is not None else "pooled"

    def _measure(self, name: str) -> str:
        if name in POOLED_WORDS:
            return POOLED_WORDS[name]
        feature = self.registry.get(name)
        if feature is None or feature.kind == "artifact":
            return name.replace("_", " ")
        return short_description(feature.description)

    def _quantity(self, name: str, value: float) -> str:
        if self._kind(name) == "artifact" or name == "artifacts_total":
            return "none" if value == 0 else f"{number(value)} per 100 words"
        return number(value)

    def _message(self, name: str, level: str, own: float, other: float | None, other_scope: str, ref: float | None, effect: float) -> str:
        here = "this paragraph" if level == "paragraph" else "the whole document"
        text = f"{self._measure(name)}: {self._quantity(name, own)} in {here}"
        if other is not None and abs(other - own) > 1e-9:
            there = "the whole document" if other_scope == "document" else f"the {other_scope}"
            text += f", {self._quantity(name, other)} in {there}"
        if ref is not None:
            text += f"; human news {'paragraphs' if level == 'paragraph' else 'documents'}: {self._quantity(name, ref)} (median)"
        text += f" — pushes {strength(effect)} towards {'machine' if effect > 0 else 'human'}"
        return text


def short_description(description: str, limit: int = 60) -> str:
    """The 'what is measured' part of a feature description: before its ':' or first sentence."""
    head = description.split(":", 1)[0].split(". ", 1)[0].strip()
    for cut in (" (", ", "):  # a parenthesis or a trailing clause is detail
        if len(head) > limit and cut in head:
            head = head.split(cut, 1)[0]
    if len(head) > limit:
        head = head[: limit - 1].rsplit(" ", 1)[0] + "…"
    # "Mean share ..." reads as "mean share ..." after a colon; an acronym stays as it is.
    return head[:1].lower() + head[1:] if head[1:2].islower() else head


def number(value: float) -> str:
    """Three significant digits, without trailing noise: 0.0712 -> 0.0712, 12.345 -> 12.3."""
    if value == 0:
        return "0"
    return f"{value:.3g}" if abs(value) < 1e5 else f"{value:,.0f}"


def strength(effect: float) -> str:
    size = abs(effect)
    return "strongly" if size >= 1.0 else "moderately" if size >= 0.3 else "slightly"
