"""mtdetect as datatrove pipeline steps (`pip install 'mtdetect[datatrove]'`).

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from mtdetect.integrations.datatrove import MTDetectFilter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("news/"),
        MTDetectFilter(exclusion_writer=JsonlWriter("removed/")),
        JsonlWriter("kept/"),
    ], tasks=4).run()

`MTDetectAnnotator` writes `doc.metadata["mtdetect"]` = {score, flagged, threshold, model,
paragraphs: [[start, end, score], ...], evidence: [{feature, start, end, message}, ...]}
and keeps every document; `MTDetectFilter` does the same and drops the flagged ones (to
its exclusion writer, with the reason `machine_rewritten`). Offsets index `doc.text`.
Stats: `flagged`, `unscorable` (text mtdetect cannot score: empty, or not shaped like
an article; kept, with `metadata["mtdetect"]["error"]`).
"""

from __future__ import annotations

try:
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.filters.base_filter import BaseFilter
except ImportError as error:  # one line that says what to install
    from ..sources import MissingExtra

    raise MissingExtra("datatrove", "mtdetect.integrations.datatrove") from error

METADATA_KEY = "mtdetect"


class _Scorer:
    """The model, loaded once per worker on first use (pipeline steps are pickled to the workers)."""

    def __init__(self, model_path: str | None, trust_model: bool, threshold: float | None) -> None:
        self.model_path = model_path
        self.trust_model = trust_model
        self.threshold = threshold
        self._detector = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_detector": None}

    def annotation(self, text: str, id) -> dict:
        from ..inputs import shape_problem

        if self._detector is None:
            from ..model import load

            self._detector = load(self.model_path, trust=self.trust_model)
            if self.threshold is not None:
                self._detector.set_threshold(self.threshold)
        if not isinstance(text, str) or not text.strip():
            return {"error": "empty text", "flagged": False}
        problem = shape_problem(text)
        if problem is not None:
            return {"error": problem, "flagged": False}
        report = self._detector.score_text(text, id=str(id))
        return {
            "score": report["score"],
            "flagged": bool(report["flagged"]),
            "threshold": report["threshold"],
            "model": report["model"],
            "paragraphs": [[p["start"], p["end"], p["score"]] for p in report["paragraphs"]],
            "evidence": [
                {"feature": e["feature"], "start": e["start"], "end": e["end"], "message": e["message"]}
                for p in report["paragraphs"]
                for e in p["evidence"]
            ],
        }


class MTDetectAnnotator(PipelineStep):
    """Scores each document and writes the result into `doc.metadata["mtdetect"]`; drops nothing."""

    name = "🔁 mtdetect annotator"
    type = "🏷 - ANNOTATOR"

    def __init__(self, model_path: str | None = None, trust_model: bool = False, threshold: float | None = None, metadata_key: str = METADATA_KEY) -> None:
        super().__init__()
        self.scorer = _Scorer(model_path, trust_model, threshold)
        self.metadata_key = metadata_key

    def annotate(self, doc) -> dict:
        with self.track_time():
            found = self.scorer.annotation(doc.text, doc.id)
        doc.metadata[self.metadata_key] = found
        self.stat_update("unscorable" if "error" in found else ("flagged" if found["flagged"] else "not_flagged"))
        return found

    def run(self, data, rank: int = 0, world_size: int = 1):
        for doc in data:
            self.stat_update("total")
            self.annotate(doc)
            yield doc


class MTDetectFilter(BaseFilter):
    """Drops the documents mtdetect flags as machine-rewritten (to `exclusion_writer`, if given), annotating all."""

    name = "🔁 mtdetect filter"

    def __init__(self, model_path: str | None = None, trust_model: bool = False, threshold: float | None = None, exclusion_writer=None, metadata_key: str = METADATA_KEY) -> None:
        super().__init__(exclusion_writer)
        self.annotator = MTDetectAnnotator(model_path, trust_model, threshold, metadata_key)

    def filter(self, doc):
        found = self.annotator.scorer.annotation(doc.text, doc.id)
        doc.metadata[self.annotator.metadata_key] = found
        if "error" in found:
            self.stat_update("unscorable")  # kept: a filter for machine rewriting has no grounds to drop it
            return True
        if found["flagged"]:
            return False, "machine_rewritten"
        return True
