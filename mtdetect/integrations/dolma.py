"""mtdetect as a dolma tagger named `mtdetect` (`pip install 'mtdetect[dolma]'`).

    dolma tag --documents 'news/documents/*.json.gz' --experiment mt_v1 \\
        --taggers mtdetect --tagger_modules mtdetect.integrations.dolma --processes 4

dolma imports this module (`--tagger_modules`), which registers the tagger, and writes
news/attributes/mt_v1/*.json.gz beside the documents with, per document,
`mt_v1__mtdetect__document_score` [[0, end, score]], `mt_v1__mtdetect__paragraph_score`
[[start, end, score], ...] and `mt_v1__mtdetect__flagged` [[0, end, 1.0]] or []: the same
attributes as `mtdetect scan --format dolma-attributes --dolma-experiment mt_v1`. A
document mtdetect cannot score (empty, or not shaped like an article) gets empty lists.
The mixer can then drop flagged documents with a filter on `mt_v1__mtdetect__flagged`.
"""

from __future__ import annotations

from functools import lru_cache

try:
    from dolma import BaseTagger, add_tagger
    from dolma.core.data_types import DocResult, Span
except ImportError as error:  # one line that says what to install
    from ..sources import MissingExtra

    raise MissingExtra("dolma", "mtdetect.integrations.dolma") from error

from ..inputs import shape_problem
from ..model import load
from ..scan.writers import dolma_spans

TAGGER_NAME = "mtdetect"


@lru_cache(maxsize=1)
def _bundled_detector():
    return load()


@add_tagger(TAGGER_NAME)
class MTDetectTagger(BaseTagger):
    """Scores each document with the bundled model, loaded once per process (dolma makes a tagger per file)."""

    def __init__(self) -> None:
        self.detector = _bundled_detector()

    @property
    def defaults(self) -> list[str]:
        return ["document_score", "paragraph_score", "flagged"]  # every line lists every type, as scan's writer does

    def predict(self, doc) -> DocResult:
        text = doc.text
        if not isinstance(text, str) or not text.strip() or shape_problem(text) is not None:
            return DocResult(doc=doc, spans=[])
        report = self.detector.score_text(text, id=str(doc.id))
        spans = [Span(start=start, end=end, type=kind, score=score) for kind, found in dolma_spans(report).items() for start, end, score in found]
        return DocResult(doc=doc, spans=spans)
