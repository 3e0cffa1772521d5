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


def _midpoints(model, layout: _Layout) -> dict[str, float]:
    """Per feature, the value of its first-scope column at which that column pushes neither way.

    The pipelines standardise log1p(value): estimator k's column pushes w_k (log1p(v) - mean_k) / scale_k,
    and the reasons average the estimators, so the push is nil where log1p(v) is the mean of the
    mean_k weighted by w_k / scale_k (their plain mean for a column no estimator weighs). Empty for a
    model not laid out so (boosting, another layout).
    """
    slopes, means = [], []
    for calibrated in getattr(model, "calibrated_classifiers_", []):
        steps = getattr(calibrated.estimator, "steps", None)
        scaler = steps[-2][1] if steps and len(steps) >= 2 else None
        coef = getattr(steps[-1][1], "coef_", None) if steps else None
        if getattr(scaler, "mean_", None) is None or coef is None or len(scaler.mean_) != len(layout.columns):
            return {}
        slopes.append(np.ravel(coef) / scaler.scale_)
        means.append(scaler.mean_)
    if not means:
        return {}
    slopes, means = np.asarray(slopes), np.asarray(means)
    total = slopes.sum(axis=0)
    weighed = np.divide((slopes * means).sum(axis=0), total, out=means.mean(axis=0), where=np.abs(total) > 1e-12)
    midpoint = np.expm1(weighed)
    return {name: float(midpoint[layout.own_column[i]]) for i, name in enumerate(layout.names)}


def _ranked(effects: np.ndarray, limit: int | None) -> np.ndarray:
    """Per row, feature indices by the size of their effect, the `limit` largest (all with None)."""
    order = np.argsort(-np.abs(effects), axis=1, kind="stable")
    return order if limit is None else order[:, :limit]


class _Layout:
    """How a model's columns map to features: a 0/1 matrix, and each feature's two value columns."""

    def __init__(self, columns: Sequence[tuple[str, str]], scopes: tuple[str, str]) -> None:
        self.columns = list(columns)
        self.scopes = scopes
        self.names = list(dict.fromkeys(name for name, _ in columns))
        position = {name: i for i, name in enumerate(self.names)}
        self.own = np.zeros((len(columns), len(self.names)))  # columns of the first scope -> their feature
        self.other = np.zeros((len(columns), len(self.names)))  # columns of the second scope -> their feature
        self.own_column = np.zeros(len(self.names), dtype=int)
        self.other_column = np.full(len(self.names), -1)
        for index, (name, scope) in enumerate(columns):
            if scope == scopes[0]:
                self.own[index, position[name]] = 1.0
                self.own_column[position[name]] = index
            else:
                self.other[index, position[name]] = 1.0
                self.other_column[position[name]] = index
        self.both = self.own + self.other  # every column -> its feature (document reasons pool the two)
        self.other_index = np.maximum(self.other_column, 0)


class Explainer:
    """Reasons for the paragraph and document scores of one Detector, a batch at a time."""

    def __init__(self, detector, registry: dict) -> None:
        from . import model

        self.detector = detector
        self.registry = registry
        names = detector.feature_names
        self.paragraph_layout = _Layout(model.paragraph_columns(names), ("paragraph", "document"))
        self.document_layout = _Layout(model.document_columns(names), ("document", "strongest paragraph"))
        reference = detector.card.get("human_reference") or {}
        self.paragraph_reference = reference.get("paragraph") or {}
        self.document_reference = reference.get("document") or {}
        self.paragraph_midpoint = _midpoints(detector.paragraph_model, self.paragraph_layout)
        self.document_midpoint = _midpoints(detector.document_model, self.document_layout)
        # Words and kinds once per feature: a scan explains millions of paragraphs.
        every = self.paragraph_layout.names + self.document_layout.names
        self._words = {name: self._describe(name) for name in every}
        self._kinds = {name: (registry[name].kind if name in registry else "pooled") for name in every}

    @property
    def document_columns(self) -> list[tuple[str, str]]:
        return self.document_layout.columns

    # --- public --------------------------------------------------------------------

    def paragraph_contributions(self, rows: np.ndarray) -> np.ndarray | None:
        return self._contributions(self.detector.paragraph_model, rows, self.paragraph_layout)

    def document_contributions(self, rows: np.ndarray) -> np.ndarray | None:
        return self._contributions(self.detector.document_model, rows, self.document_layout)

    def paragraph_reasons(
        self,
        rows: np.ndarray,
        contributions: np.ndarray | None,
        evidence: Sequence[Sequence[dict]],
        limit: int | None,
        which: np.ndarray | None = None,
    ) -> list[list[dict]]:
        """The paragraph's own values first; what its document shows is one reason of its own.

        The paragraph model sees each paragraph beside its whole document, so in a flagged
        document every paragraph gets the same push from the document: saying it once,
        as "the whole document", keeps each paragraph's own reasons visible. `which` (a
        boolean per paragraph) says which paragraphs to explain; the others get none.
        """
        if which is None:
            which = np.ones(len(rows), dtype=bool)
        if contributions is None:
            return [self._from_evidence(evidence[i], "paragraph", limit) if which[i] else [] for i in range(len(rows))]
        layout = self.paragraph_layout
        own = contributions @ layout.own  # [paragraph, feature]
        context = contributions @ layout.other
        totals = context.sum(axis=1)
        # Rank every paragraph's features at once; Python then only words the few shown.
        own_order = _ranked(own, limit)
        context_order = _ranked(np.where(context * totals[:, None] > 0, context, 0.0), 3)
        own_values, other_values = rows[:, layout.own_column], rows[:, np.maximum(layout.other_column, 0)]
        # As Python lists (the same float64 values): the loop reads single items, which numpy hands out slowly.
        own_values, other_values, own, context = own_values.tolist(), other_values.tolist(), own.tolist(), context.tolist()
        own_order, context_order, totals = own_order.tolist(), context_order.tolist(), totals.tolist()
        out = []
        for index in range(len(rows)):
            if not which[index]:
                out.append([])
                continue
            effects = own[index]
            reasons = self._reasons(
                own_values[index], other_values[index], effects, own_order[index], layout, self.paragraph_reference, "paragraph", self.paragraph_midpoint
            )
            if abs(totals[index]) >= MIN_EFFECT:
                leading = [i for i in context_order[index] if abs(context[index][i]) >= MIN_EFFECT]
                reasons.append(self._document_context(leading, float(totals[index]), layout))
                reasons.sort(key=lambda r: -abs(r["effect"]))
            out.append(reasons if limit is None else reasons[:limit])
        return out

    def document_reasons(self, row: np.ndarray, contributions: np.ndarray | None, evidence: Sequence[dict], limit: int | None) -> list[dict]:
        if contributions is None:
            return self._from_evidence(evidence, "document", limit)
        layout = self.document_layout
        effects = contributions @ layout.both
        order = _ranked(effects[None, :], limit)[0]
        # As Python lists (the same float64 values): _reasons reads single items.
        own_values, other_values = row[layout.own_column].tolist(), row[layout.other_index].tolist()
        return self._reasons(own_values, other_values, effects.tolist(), order.tolist(), layout, self.document_reference, "document", self.document_midpoint)

    # --- building reasons ----------------------------------------------------------

    def _contributions(self, model, rows: np.ndarray, layout: _Layout) -> np.ndarray | None:
        if len(rows) == 0:
            return None
        contributions = linear_contributions(model, rows)
        if contributions is None or contributions.shape[1] != len(layout.columns):
            return None  # not linear, or laid out differently from this mtdetect's columns
        return contributions

    def _document_context(self, leading: Sequence[int], total: float, layout: _Layout) -> dict:
        names = ", ".join(self._measure(layout.names[i]) for i in leading)
        towards = "machine" if total > 0 else "human"
        return {
            "feature": "document_context",
            "kind": "context",
            "effect": round(total, 3),
            "towards": towards,
            "value": None,
            "human_reference": None,
            "message": f"what the whole document shows{' (' + names + ')' if names else ''} — pushes {strength(total)} towards {towards}",
        }

    def _reasons(self, own_values, other_values, effects, order, layout: _Layout, reference: dict, level: str, midpoint: dict) -> list[dict]:
        """Reasons for the features in `order` (strongest first), dropping pushes too small to matter."""
        other_key = layout.scopes[1].replace(" ", "_") + "_value"
        reasons = []
        for i in order:
            effect = float(effects[i])
            if abs(effect) < MIN_EFFECT:
                break  # ranked by size: the rest are smaller
            name = layout.names[i]
            own = float(own_values[i])
            other = float(other_values[i]) if layout.other_column[i] >= 0 else None
            ref = reference.get(name)
            reasons.append(
                {
                    "feature": name,
                    "kind": self._kind(name),
                    "effect": round(effect, 3),
                    "towards": "machine" if effect > 0 else "human",
                    "value": round(own, 4),
                    other_key: None if other is None else round(other, 4),
                    "human_reference": ref,
                    "message": self._message(name, level, own, other, layout.scopes[1], ref, effect, midpoint.get(name)),
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
        kind = self._kinds.get(name)
        if kind is None:
            feature = self.registry.get(name)
            kind = feature.kind if feature is not None else "pooled"
        return kind

    def _measure(self, name: str) -> str:
        words = self._words.get(name)
        return words if words is not None else self._describe(name)

    def _describe(self, name: str) -> str:
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

    def _message(
        self, name: str, level: str, own: float, other: float | None, other_scope: str, ref: float | None, effect: float, midpoint: float | None = None
    ) -> str:
        here = "this paragraph" if level == "paragraph" else "the whole document"
        text = f"{self._measure(name)}: {self._quantity(name, own)} in {here}"
        if other is not None and abs(other - own) > 1e-9:
            there = "the whole document" if other_scope == "document" else f"the {other_scope}"
            text += f", {self._quantity(name, other)} in {there}"
        if ref is not None:
            text += f"; human news {'paragraphs' if level == 'paragraph' else 'documents'}: {self._quantity(name, ref)} (median)"
            if midpoint is not None and abs(own - ref) < 1e-9 and self._kind(name) == "statistic":
                # At the human median, the push needs its other end: the point the model weighs from.
                text += f", the model's midpoint {self._quantity(name, midpoint)}"
        text += f" — pushes {strength(effect)} towards {'machine' if effect > 0 else 'human'}"
        return text


def short_description(description: str, limit: int = 60) -> str:
    """The 'what is measured' part of a feature description: before its ':' or first sentence.

    A ':' or '. ' inside brackets or a quoted example ("(gerunds and participles: ...)",
    "'Mr. X'") does not end it. A head over `limit` loses its bracketed asides, then its
    trailing clause, then words.
    """
    first = head = _first_clause(description).strip()
    if len(head) > limit:
        head = " ".join(_outside_brackets(head).split()).replace(" ,", ",")
    if len(head) > limit and ", " in head:
        head = head.split(", ", 1)[0]
    if len(head) > limit and " (" in first:  # what comes before the first aside
        head = first.split(" (", 1)[0]
    if len(head) > limit:
        head = head[: limit - 1].rsplit(" ", 1)[0] + "…"
    # "Mean share ..." reads as "mean share ..." after a colon; an acronym stays as it is.
    return head[:1].lower() + head[1:] if head[1:2].islower() else head


def _quote_marks(text: str) -> list[bool]:
    """For each character: whether it is a single quotation mark (not an apostrophe) opening or closing a quote.

    A mark opens a quote where a word could start (at the start, after a space, a bracket or a
    slash) and closes it where a word could end (before anything but a letter); "don't",
    "sentence's" and a possessive "'s" named on its own keep theirs as apostrophes.
    """
    marks, quoted = [False] * len(text), False
    for i, char in enumerate(text):
        if char != "'":
            continue
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        possessive_ending = after == "s" and not text[i + 2 : i + 3].isalpha()
        if not quoted and before in ("", " ", "(", "/", "[") and not possessive_ending:
            marks[i] = quoted = True
        elif quoted and not after.isalpha():
            marks[i], quoted = True, False
    return marks


def _first_clause(description: str) -> str:
    """The description up to its first ':' or '. ' outside brackets and quoted examples."""
    depth, quoted = 0, False
    for i, (char, mark) in enumerate(zip(description, _quote_marks(description))):
        if mark:
            quoted = not quoted
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif not depth and not quoted and (char == ":" or description.startswith(". ", i)):
            return description[:i]
    return description.rstrip(". ")


def _outside_brackets(text: str) -> str:
    """The text without its bracketed asides."""
    out, depth = [], 0
    for char in text:
        depth += char == "("
        if not depth:
            out.append(char)
        depth -= char == ")" and depth > 0
    return "".join(out)


def number(value: float) -> str:
    """Three significant digits, without trailing noise: 0.0712 -> 0.0712, 12.345 -> 12.3."""
    if value == 0:
        return "0"
    return f"{value:.3g}" if abs(value) < 1e5 else f"{value:,.0f}"


def strength(effect: float) -> str:
    size = abs(effect)
    return "strongly" if size >= 1.0 else "moderately" if size >= 0.3 else "slightly"
