"""mtdetect: find news copies that were machine-rewritten by round-trip translation.

    import mtdetect
    model = mtdetect.load_model()                 # the bundled model
    report = model.score_text(text)               # dict: score, flagged, threshold, reasons, paragraphs
    result = mtdetect.compare_texts(original, copy)   # dict: relation, copy, copy_of, copy_evidence, ...

Imports are lazy, so `import mtdetect` costs nothing until a model is used.
"""

__version__ = "0.1.0"


def load_model(path=None, trust: bool = False):
    """The detector: the bundled model, or the model file at `path` (a pickle: pass trust=True only for files you trust).

    Its `score_text(text, id=None)` returns the report dict of `mtdetect score --format json`.
    """
    from .model import load

    return load(path, trust=trust)


def compare_texts(text_a: str, text_b: str, model=None, id_a: str = "A", id_b: str = "B", human_pair_rate: float | None = None) -> dict:
    """Whether one text is a verbatim or machine-rewritten copy of the other, and what it changed (`mtdetect compare`).

    `model` is a detector from load_model(); by default the bundled one, whose scores help
    decide which version is the machine's. `human_pair_rate` calls a rewrite machine-made
    at the level that share of pairs of human translations reach (0.02, 0.05, 0.1 or 0.2,
    as `--copies-false-alarms` 2, 5, 10 or 20 does; None: the shipped 0.05).
    """
    from .copies import bundled_direction_at
    from .copies import compare_texts as compare

    if model is None:
        model = load_model()
    return compare(text_a, text_b, model, id_a, id_b, direction=bundled_direction_at(human_pair_rate))


__all__ = ["__version__", "compare_texts", "load_model"]
