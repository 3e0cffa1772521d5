"""The detector: feature pipelines, training, save/load with a model card, and scoring.

Two scikit-learn pipelines share the registered features:

* the *paragraph* model sees a paragraph's own feature values next to its whole document's
  statistics (word choice measured over a few sentences is noisy), but not the document's
  artifacts: a headline or an untouched paragraph of a flagged story keeps its own score;
* the *document* model sees whole-document values and the largest paragraph value of each
  artifact (one paragraph of pasted furniture or respelled names is a mark on the story).

Both end in a calibrated classifier. The weights live in a joblib file; a JSON model
card beside it records what they were trained on, how they validated, the threshold and
a SHA-256 of the weights, and loading checks the card against the registry.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Sequence

import numpy as np

from . import __version__
from .classifiers import fit_weighted
from .features import REGISTRY, Extraction, extract, load_all
from .positions import LineIndex, context
from .text import Document, plain_typography

MODEL_FORMAT = 1
DEFAULT_MODEL = "default"
RETRAIN_HINT = "rebuild it with `python scripts/train_default.py` or train your own with `mtdetect train`"


class ModelError(Exception):
    """A model file that cannot be used; the message says what to do."""


# --- feature rows -------------------------------------------------------------------


# Rare artifacts (a glued word, a wrong-gender title) almost never occur in the one-way
# translations we train on, so their own columns learn little weight. Two pooled columns
# (all artifact evidence per 100 words, and how many artifact features fired) let what
# the model learns about artifacts in general apply to the rare ones too.
POOLED_COLUMNS = ("artifacts_total", "artifacts_distinct")


def _artifact_mask(names: Sequence[str]) -> np.ndarray:
    return _artifact_mask_cached(tuple(names))


@lru_cache(maxsize=8)
def _artifact_mask_cached(names: tuple[str, ...]) -> np.ndarray:
    registry = load_all()
    return np.asarray([registry[n].kind == "artifact" for n in names], dtype=bool)


def _with_pooled(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Append the pooled artifact columns to a [rows, features] block."""
    artifacts = values[:, mask]
    return np.hstack([values, artifacts.sum(axis=1, keepdims=True), (artifacts > 0).sum(axis=1, keepdims=True)])


def row_width(names: Sequence[str]) -> int:
    """Width of a document row."""
    return 2 * (len(names) + len(POOLED_COLUMNS)) - int((~_artifact_mask(names)).sum())


def paragraph_row_width(names: Sequence[str]) -> int:
    """Width of a paragraph row: own values and pooled columns, then the document's statistics."""
    return len(names) + len(POOLED_COLUMNS) + int((~_artifact_mask(names)).sum())


def paragraph_rows(extraction: Extraction) -> np.ndarray:
    """One row per paragraph: its own values, then its document's statistics as context.

    The document's artifacts are left out of the context: with them, every paragraph of a
    story with one respelled name read as machine-made (measured: paragraph AUC on round
    trips 0.665 with the whole document as context, 0.660 with its statistics only)."""
    if not extraction.paragraph_values:
        return np.zeros((0, paragraph_row_width(extraction.names)))
    mask = _artifact_mask(extraction.names)
    own = _with_pooled(np.asarray(extraction.paragraph_values, dtype=float), mask)
    context = np.asarray([extraction.document_values], dtype=float)[:, ~mask]
    return np.hstack([own, np.repeat(context, own.shape[0], axis=0)])


def document_row(extraction: Extraction) -> np.ndarray:
    """Whole-document values, then the largest paragraph value of each artifact.

    A statistic's largest value over three-sentence paragraphs is mostly noise (measured:
    round-trip document AUC 0.626 with the peaks of every feature, 0.647 with artifact peaks only)."""
    mask = _artifact_mask(extraction.names)
    whole = np.asarray([extraction.document_values], dtype=float)
    if extraction.paragraph_values:
        peak = np.asarray(extraction.paragraph_values, dtype=float).max(axis=0, keepdims=True)
    else:
        peak = np.zeros_like(whole)
    return np.concatenate([_with_pooled(whole, mask)[0], _with_pooled(peak, mask)[0][_peak_columns(mask)]])


def batch_rows(extractions: Sequence[Extraction]) -> tuple[np.ndarray, np.ndarray]:
    """paragraph_rows of every extraction stacked, and one document_row per extraction, built as whole arrays.

    The same values as the one-document functions above, row for row; a batch of a few hundred
    documents costs a few numpy calls instead of a few per document."""
    names = extractions[0].names
    mask = _artifact_mask(names)
    counts = [len(e.paragraph_values) for e in extractions]
    width = len(names)
    own = np.asarray([row for e in extractions for row in e.paragraph_values], dtype=float).reshape(-1, width)
    whole = np.asarray([e.document_values for e in extractions], dtype=float).reshape(-1, width)
    context = np.repeat(whole[:, ~mask], counts, axis=0)
    paragraphs = np.hstack([_with_pooled(own, mask), context])
    peak = np.zeros_like(whole)
    present = np.flatnonzero(counts)
    if present.size:
        starts = np.cumsum([0, *counts[:-1]])[present]
        peak[present] = np.maximum.reduceat(own, starts, axis=0)
    documents = np.hstack([_with_pooled(whole, mask), _with_pooled(peak, mask)[:, _peak_columns(mask)]])
    return paragraphs, documents


def _split_rows(rows: np.ndarray, counts: Sequence[int]) -> list[np.ndarray]:
    ends = np.cumsum(counts)
    return [rows[end - count : end] for count, end in zip(counts, ends)]


def _peak_columns(mask: np.ndarray) -> np.ndarray:
    """Which columns of a pooled block keep their peak: the artifacts and the pooled columns."""
    return np.r_[mask, np.ones(len(POOLED_COLUMNS), dtype=bool)]


def _block_names(names: Sequence[str]) -> list[str]:
    return list(names) + list(POOLED_COLUMNS)


# Which feature and which scope each column of the rows above holds; the reasons
# (mtdetect.reasons) map a column's push on the score back to its feature with these.
def paragraph_columns(names: Sequence[str]) -> list[tuple[str, str]]:
    statistics = [n for n, artifact in zip(names, _artifact_mask(names)) if not artifact]
    return [(n, "paragraph") for n in _block_names(names)] + [(n, "document") for n in statistics]


def document_columns(names: Sequence[str]) -> list[tuple[str, str]]:
    block = _block_names(names)
    peaks = _peak_columns(_artifact_mask(names))
    return [(n, "document") for n in block] + [(n, "strongest paragraph") for n, kept in zip(block, peaks) if kept]


def machine_only_columns(columns: Sequence[tuple[str, str]]) -> list[int]:
    """The columns that hold artifacts or their pooled counts: found only where a machine left them,
    so the classifier may not weigh them towards a human writer (classifiers.SignedLogistic)."""
    registry = load_all()
    return [i for i, (name, _) in enumerate(columns) if name in POOLED_COLUMNS or (name in registry and registry[name].kind == "artifact")]


# --- the detector -------------------------------------------------------------------


@dataclass
class Detector:
    paragraph_model: object
    document_model: object
    feature_names: list[str]
    threshold: float = 0.5  # documents
    card: dict = field(default_factory=dict)
    paragraph_threshold: float | None = None  # paragraphs score on their own scale; None: as documents
    skip_features: frozenset[str] = frozenset()  # artifact features treated as finding nothing
    reason_limit: int | None = 5  # reasons per document in a report; None: all
    # Reasons per paragraph, and only for the paragraphs a person looks at (flagged, or holding
    # evidence): in a scan, reasons for every paragraph made rows ten times larger.
    paragraph_reason_limit: int | None = 3
    reasons_for_every_paragraph: bool = False

    def explain_everything(self) -> None:
        """Every reason of the document and of every paragraph (--explain)."""
        self.reason_limit = self.paragraph_reason_limit = None
        self.reasons_for_every_paragraph = True

    def set_threshold(self, value: float) -> None:
        """One threshold for documents and paragraphs alike (the CLI's --threshold)."""
        self.threshold = self.paragraph_threshold = value

    @property
    def signature(self) -> str:
        """A short string that identifies the model behind a reported number."""
        sha = self.card.get("sha256", "unsaved")[:12]
        name = self.card.get("name", "unsaved")
        return f"mtdetect:{__version__}|model:{name}|sha256:{sha}|features:{len(self.feature_names)}|threshold:{self.threshold:.3f}"

    @property
    def false_positive_rate(self) -> float | None:
        """Share of human documents flagged at the threshold in validation (the model card), if measured."""
        value = (self.card.get("validation") or {}).get("human_flagged")
        if value is None or abs(self.threshold - float(self.card.get("threshold", self.threshold))) > 1e-12:
            return None  # a threshold chosen by the user was not measured
        return float(value)

    def skip(self, names) -> None:
        """Treat these artifact features as finding nothing (config `skip`, --skip)."""
        registry = load_all()
        for name in names:
            if name not in self.feature_names:
                raise ModelError(f"{name!r} is not a feature of this model; `mtdetect features` lists them")
            if registry[name].kind != "artifact":
                raise ModelError(f"{name!r} is a statistic: it measures every text and cannot be skipped; skip artifact features only")
        self.skip_features = frozenset(self.skip_features | set(names))

    def extract(self, doc: Document) -> Extraction:
        """The features of a document, read with plain quotes and dashes as the model learned them.

        A Document from `Document.read_plain` (as `score_text` and the scan build them) is read
        as it is; any other whose text has curly marks is split again from its plain reading."""
        if doc.original is None:
            plain = plain_typography(doc.text)
            if plain is not doc.text:
                doc = Document(plain)
        extraction = extract(doc, self.feature_names)
        if self.skip_features:
            _drop_features(extraction, self.skip_features)
        return extraction

    def score_text(self, text: str, id: str | None = None) -> dict:
        return self.score_document(Document.read_plain(text), id)

    def score_document(self, doc: Document, id: str | None = None) -> dict:
        """The JSON report for one document (see README, "Output")."""
        extraction = self.extract(doc)
        return self.report(doc, extraction, id)

    def report(self, doc: Document, extraction: Extraction, id: str | None = None) -> dict:
        return self.reports([doc], [extraction], [id])[0]

    def reports(self, docs: Sequence[Document], extractions: Sequence[Extraction], ids: Sequence[str | None]) -> list[dict]:
        """report() for many documents with one classifier call per model.

        A classifier call costs milliseconds however few rows it gets, so scanning
        a dump one document at a time would spend most of its time there.
        """
        if not docs:
            return []
        stacked, document_rows = batch_rows(extractions)
        paragraph_blocks = _split_rows(stacked, [len(e.paragraph_values) for e in extractions])
        all_paragraph_scores = self.paragraph_model.predict_proba(stacked)[:, 1] if stacked.shape[0] else np.zeros(0)
        document_scores = self.document_model.predict_proba(document_rows)[:, 1]
        # The reasons, like the scores, are computed for the whole batch at once.
        explainer = self.explainer()
        paragraph_contributions = explainer.paragraph_contributions(stacked)
        document_contributions = explainer.document_contributions(document_rows)
        results, offset = [], 0
        for number, (doc, extraction, id, block, document_score) in enumerate(zip(docs, extractions, ids, paragraph_blocks, document_scores)):
            rows = slice(offset, offset + block.shape[0])
            offset += block.shape[0]
            document_score = float(document_score) if doc.paragraphs else 0.0
            contributions = (
                None if paragraph_contributions is None else paragraph_contributions[rows],
                None if document_contributions is None else document_contributions[number],
            )
            results.append(
                self._report_dict(doc, extraction, id, all_paragraph_scores[rows], document_score, block, document_rows[number], contributions, explainer)
            )
        return results

    def explainer(self):
        from .reasons import Explainer

        if getattr(self, "_explainer", None) is None:
            self._explainer = Explainer(self, load_all())
        return self._explainer

    @property
    def effective_paragraph_threshold(self) -> float:
        return self.threshold if self.paragraph_threshold is None else self.paragraph_threshold

    def _report_dict(self, doc: Document, extraction: Extraction, id, paragraph_scores, document_score: float, rows, document_values, contributions, explainer) -> dict:
        registry = load_all()
        shown = doc.shown_text  # offsets are the same in the plain reading the features saw
        lines = LineIndex(shown)
        paragraph_threshold = self.effective_paragraph_threshold
        evidence_dicts = []
        for items in extraction.paragraph_evidence:
            dicts = []
            for item in items:
                line, column = lines.line_column(item.start)
                feature = registry.get(item.feature)
                dicts.append(
                    {
                        "feature": item.feature,
                        # The feature's family: the module it lives in (honorifics, brackets, names, ...).
                        "category": feature.function.__module__.rsplit(".", 1)[-1] if feature else "other",
                        "start": item.start,
                        "end": item.end,
                        "line": line,
                        "column": column,
                        "message": item.message,
                        "context": context(shown, item.start, item.end),
                    }
                )
            evidence_dicts.append(dicts)
        explained = None
        if not self.reasons_for_every_paragraph:
            explained = np.asarray([bool(e) for e in evidence_dicts], dtype=bool) | (np.asarray(paragraph_scores) >= paragraph_threshold)
        paragraph_reasons = explainer.paragraph_reasons(rows, contributions[0], evidence_dicts, self.paragraph_reason_limit, explained)
        paragraphs = []
        for index, span in enumerate(doc.paragraphs):
            score = float(paragraph_scores[index])
            line, column = lines.line_column(span.start)
            paragraphs.append(
                {
                    "start": span.start,
                    "end": span.end,
                    "line": line,
                    # Scores are not rounded to a few digits: a score printed 0.94 next to a
                    # threshold of 0.937 must still compare as it was decided.
                    "score": round(score, 6),
                    "flagged": score >= paragraph_threshold,
                    "reasons": paragraph_reasons[index],
                    "evidence": evidence_dicts[index],
                }
            )
        all_evidence = [item for items in evidence_dicts for item in items]
        reasons = explainer.document_reasons(document_values, contributions[1], all_evidence, self.reason_limit) if doc.paragraphs else []
        _add_details(reasons, doc, None, registry)
        for index, paragraph in enumerate(paragraphs):
            _add_details(paragraph["reasons"], doc, index, registry)
        return {
            "id": id,
            "score": round(float(document_score), 6),
            "flagged": bool(document_score >= self.threshold),
            "threshold": round(self.threshold, 6),
            "paragraph_threshold": round(paragraph_threshold, 6),
            "false_positive_rate": self.false_positive_rate,
            "model": self.signature,
            "reasons": reasons,
            "paragraphs": paragraphs,
        }

    def paragraph_probabilities(self, extraction: Extraction) -> np.ndarray:
        rows = paragraph_rows(extraction)
        if rows.shape[0] == 0:
            return np.zeros(0)
        return self.paragraph_model.predict_proba(rows)[:, 1]

    def document_probability(self, extraction: Extraction) -> float:
        return float(self.document_model.predict_proba(document_row(extraction)[None, :])[0, 1])

    def feature_weights(self) -> dict[str, float]:
        """Signed weight of each feature in the document model, where the model has them."""
        weights = _linear_weights(self.document_model)
        if weights is None:
            return {}
        n = len(self.feature_names) + len(POOLED_COLUMNS)
        names = _block_names(self.feature_names)
        peaks = iter(weights[n:])
        kept = _peak_columns(_artifact_mask(self.feature_names))
        return {name: float(weights[i] + (next(peaks) if kept[i] else 0.0)) for i, name in enumerate(names)}


def _add_details(reasons: list[dict], doc: Document, paragraph: int | None, registry: dict) -> None:
    """Name what in the text made a statistic's value, where its feature can ("words that lean most: ...").

    Asked only for the reasons shown, so a feature's detail costs nothing on most documents' other features."""
    for reason in reasons:
        feature = registry.get(reason["feature"])
        detail = feature.detail(doc, paragraph) if feature is not None and feature.detail is not None else ""
        if detail:
            reason["detail"] = detail
            reason["message"] += f"; {detail}"


def _drop_features(extraction: Extraction, names: frozenset[str]) -> None:
    """Remove skipped artifact features' evidence and values, as if they had found nothing."""
    columns = [i for i, n in enumerate(extraction.names) if n in names]
    for values in [*extraction.paragraph_values, extraction.document_values]:
        for i in columns:
            values[i] = 0.0
    extraction.evidence = [e for e in extraction.evidence if e.feature not in names]
    extraction.paragraph_evidence = [[e for e in items if e.feature not in names] for items in extraction.paragraph_evidence]


def _linear_weights(model) -> np.ndarray | None:
    """Average coefficients of a (calibrated) linear pipeline, or None."""
    estimators = [c.estimator for c in getattr(model, "calibrated_classifiers_", [])] or [model]
    coefs = []
    for estimator in estimators:
        last = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
        if hasattr(last, "coef_"):
            coefs.append(np.ravel(last.coef_))
    return np.mean(coefs, axis=0) if coefs else None


# --- save and load ------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card_path(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".json")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "mtdetect": __version__}
    for package in ("scikit-learn", "numpy", "scipy", "joblib", "nltk", "click"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return versions


def save(detector: Detector, path: str | Path, card: dict | None = None) -> Path:
    """Write the weights and, beside them, the model card with their SHA-256."""
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": MODEL_FORMAT,
        "paragraph_model": detector.paragraph_model,
        "document_model": detector.document_model,
        "feature_names": detector.feature_names,
        "threshold": detector.threshold,
        "paragraph_threshold": detector.paragraph_threshold,
    }
    joblib.dump(payload, path, compress=3)
    registry = load_all()
    card = dict(detector.card, **(card or {}))
    card.update(
        {
            "name": card.get("name") or path.stem,
            "format": MODEL_FORMAT,
            "weights": path.name,
            "sha256": file_sha256(path),
            "threshold": detector.threshold,
            "paragraph_threshold": detector.paragraph_threshold,
            "features": [
                {"name": n, "version": registry[n].version, "kind": registry[n].kind, "description": registry[n].description}
                for n in detector.feature_names
            ],
            "packages": package_versions(),
        }
    )
    weights = _direction_weights_record(detector.feature_names)
    if weights is not None:
        card["word_choice_weights"] = weights
    card_path(path).write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    detector.card = card
    return path


def _direction_weights_record(names: Sequence[str]) -> dict | None:
    """What the card records of the word-choice weights, when the features read them (None otherwise)."""
    from .copies.direction import DIRECTION_MODEL_FILE, bundled_direction_sha256
    from .features.word_choice import READS_DIRECTION_WEIGHTS

    if not set(names) & set(READS_DIRECTION_WEIGHTS):
        return None
    return {"file": DIRECTION_MODEL_FILE, "sha256": bundled_direction_sha256()}


def _check_direction_weights(path: Path, card: dict) -> None:
    """The word-choice features read the bundled copy_direction.json: the model holds only with the file it was trained with.

    Cards written before the record was kept have none, and are not checked."""
    recorded = card.get("word_choice_weights")
    if not isinstance(recorded, dict):
        return
    now = _direction_weights_record([entry["name"] for entry in card["features"]])
    if now is not None and now["sha256"] != recorded.get("sha256"):
        found = "is missing" if now["sha256"] is None else f"has changed since (SHA-256 {now['sha256'][:12]}, trained with {str(recorded.get('sha256'))[:12]})"
        raise ModelError(
            f"{path}: its word-choice features were trained with the bundled {now['file']}, which {found}; "
            f"restore that file, or {RETRAIN_HINT}"
        )


def bundled_model_dir() -> Path:
    """The repository's models/ folder: installed as `mtdetect.models`, or beside the source tree."""
    try:
        return Path(str(resources.files("mtdetect.models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "models"


def bundled_model_path(name: str = DEFAULT_MODEL) -> Path:
    return bundled_model_dir() / f"{name}.joblib"


def load(path: str | Path | None = None, trust: bool = False) -> Detector:
    """Load a model and check it against its card and the feature registry.

    A joblib file is a pickle: loading it runs code. The bundled models are trusted;
    any other file must be trusted explicitly (`trust=True`, `--trust-model`).
    """
    if path is None:
        path, trust = bundled_model_path(), True
    path = Path(path)
    if not trust and not _is_bundled(path):
        raise ModelError(
            f"{path}: loading a model file runs code stored in it; pass --trust-model if you trust its source"
        )
    if not path.is_file():
        raise ModelError(f"{path}: no model file here; {RETRAIN_HINT}")
    card_file = card_path(path)
    if not card_file.is_file():
        raise ModelError(f"{path}: its model card {card_file.name} is missing; {RETRAIN_HINT}")
    card = _read_card(card_file)
    if card.get("sha256") != file_sha256(path):
        raise ModelError(f"{path}: the weights do not match the SHA-256 in {card_file.name} (changed or damaged); {RETRAIN_HINT}")
    _check_card_features(path, card)
    _check_direction_weights(path, card)
    detector = _detector_from(path, _read_payload(path), card)
    names = [entry["name"] for entry in card["features"]]
    if names != detector.feature_names:
        raise ModelError(f"{path}: the card lists other features than the weights use; {RETRAIN_HINT}")
    _check_it_scores(path, detector)
    return detector


def _read_card(card_file: Path) -> dict:
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise ModelError(f"{card_file}: unreadable model card ({error}); {RETRAIN_HINT}") from None
    if not isinstance(card, dict):
        raise ModelError(f"{card_file}: not a model card (a JSON {type(card).__name__}, not an object); {RETRAIN_HINT}")
    return card


def _check_card_features(path: Path, card: dict) -> None:
    """Every feature the card lists is registered here at the same version; an empty list is no model."""
    entries = card.get("features")
    if not isinstance(entries, list) or not entries:
        raise ModelError(f"{path}: its card lists no features; {RETRAIN_HINT}")
    registry = load_all()
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("version"), int)):
            raise ModelError(f"{path}: its card has a feature entry without a name and a version ({str(entry)[:60]}); {RETRAIN_HINT}")
        known = registry.get(entry["name"])
        if known is None:
            raise ModelError(f"{path}: feature {entry['name']!r} is not registered in this mtdetect; {RETRAIN_HINT}")
        if known.version != entry["version"]:
            raise ModelError(
                f"{path}: feature {entry['name']!r} is version {known.version} here but {entry['version']} in the model; {RETRAIN_HINT}"
            )


def _read_payload(path: Path) -> dict:
    import joblib

    try:
        payload = joblib.load(path)
    except Exception as error:  # a damaged pickle fails in many ways
        raise ModelError(f"{path}: the weights cannot be read ({type(error).__name__}); {RETRAIN_HINT}") from None
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
        raise ModelError(f"{path}: model format {found} is not {MODEL_FORMAT}; {RETRAIN_HINT}")
    return payload


def _probability(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if 0.0 <= number <= 1.0 else None  # NaN fails both comparisons


def _detector_from(path: Path, payload: dict, card: dict) -> Detector:
    names = payload.get("feature_names")
    threshold = _probability(payload.get("threshold"))
    paragraph_threshold = payload.get("paragraph_threshold")
    if paragraph_threshold is not None:
        paragraph_threshold = _probability(paragraph_threshold)
    valid = (
        isinstance(names, (list, tuple))
        and all(isinstance(name, str) for name in names)
        and threshold is not None
        and (payload.get("paragraph_threshold") is None or paragraph_threshold is not None)
        and all(hasattr(payload.get(key), "predict_proba") for key in ("paragraph_model", "document_model"))
    )
    if not valid:
        raise ModelError(f"{path}: the weights file lacks its models, feature names or a threshold in [0, 1]; {RETRAIN_HINT}")
    return Detector(
        paragraph_model=payload["paragraph_model"],
        document_model=payload["document_model"],
        feature_names=list(names),
        threshold=threshold,
        paragraph_threshold=paragraph_threshold,
        card=card,
    )


SMOKE_TEXT = "The minister met Mr. Lee on Monday.\n\nHe said the talks went well."


def _check_it_scores(path: Path, detector: Detector) -> None:
    """Score a two-paragraph text once: weights that load but cannot score are refused here, not mid-scan."""
    try:
        report = detector.score_text(SMOKE_TEXT, id="check")
        scores = [report["score"]] + [paragraph["score"] for paragraph in report["paragraphs"]]
        usable = all(_probability(score) is not None for score in scores)
    except Exception as error:
        raise ModelError(f"{path}: the weights cannot score ({type(error).__name__}: {error}); {RETRAIN_HINT}") from None
    if not usable:
        raise ModelError(f"{path}: the weights give scores outside [0, 1]; {RETRAIN_HINT}")


def _is_bundled(path: Path) -> bool:
    try:
        return path.resolve().parent == bundled_model_dir().resolve()
    except OSError:
        return False


# --- training -----------------------------------------------------------------------


@dataclass
class TrainingSet:
    """Feature rows for documents and their paragraphs, with labels and groups."""

    document_rows: np.ndarray
    document_labels: np.ndarray
    paragraph_rows: np.ndarray
    paragraph_labels: np.ndarray
    paragraph_document: np.ndarray  # index of each paragraph's document
    document_weights: np.ndarray | None = None  # per-example training weight (None: all 1)
    paragraph_weights: np.ndarray | None = None


def _weights_or_ones(weights: np.ndarray | None, count: int) -> np.ndarray:
    return np.ones(count) if weights is None else np.asarray(weights, dtype=float)


def fit(
    training: TrainingSet, names: Sequence[str], classifier: str = "logistic", threshold: float = 0.5, extra_paragraphs: TrainingSet | None = None
) -> Detector:
    """The two models; `extra_paragraphs` (its paragraphs only, labelled one by one) train the paragraph model too.

    The extra paragraphs are those of partly rewritten documents, whose label is the
    paragraph's own: with only whole documents to learn from, a paragraph's label is its
    document's, and the paragraph model leaned on the document's values it sees as context.
    """
    rows, labels, weights = training.paragraph_rows, training.paragraph_labels, training.paragraph_weights
    if extra_paragraphs is not None and len(extra_paragraphs.paragraph_rows):
        rows = np.vstack([rows, extra_paragraphs.paragraph_rows])
        labels = np.concatenate([labels, extra_paragraphs.paragraph_labels])
        weights = np.concatenate([_weights_or_ones(weights, len(training.paragraph_labels)), _weights_or_ones(extra_paragraphs.paragraph_weights, len(extra_paragraphs.paragraph_labels))])
    paragraph_model = fit_weighted(classifier, rows, labels, weights, machine_only_columns(paragraph_columns(names)))
    document_model = fit_weighted(
        classifier, training.document_rows, training.document_labels, training.document_weights, machine_only_columns(document_columns(names))
    )
    card = {"human_reference": human_reference(training, names)}
    return Detector(paragraph_model, document_model, list(names), threshold, card=card)


def human_reference(training: TrainingSet, names: Sequence[str]) -> dict:
    """What human news shows, per feature: the reasons compare a text's values with these."""
    from .reasons import human_reference as medians

    return {
        "statistic": "median over the human training examples",
        "documents": int((np.asarray(training.document_labels) == 0).sum()),
        "paragraphs": int((np.asarray(training.paragraph_labels) == 0).sum()),
        "document": medians(training.document_rows, training.document_labels, document_columns(names), "document"),
        "paragraph": medians(training.paragraph_rows, training.paragraph_labels, paragraph_columns(names), "paragraph"),
    }


__all__ = [
    "Detector",
    "ModelError",
    "REGISTRY",
    "fit",
    "load",
    "save",
]
