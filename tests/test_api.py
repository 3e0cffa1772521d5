"""The Python API, and the README's example of it run as written."""

import re
from pathlib import Path

import mtdetect

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- example: tests/test_api.py[^>]*-->\s*```python\n(.*?)```", readme, re.S)
    assert match, "README.md lost its Python example"
    return match.group(1)


def test_readme_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)
    report, result = namespace["report"], namespace["result"]
    assert {"score", "flagged", "threshold", "reasons", "paragraphs"} <= set(report)
    assert report["flagged"] == (report["score"] >= report["threshold"])
    assert result["relation"] in ("verbatim", "machine_rewritten", "independent", None)
    assert capsys.readouterr().out.strip()


def test_score_text_and_compare_texts(seeds_dir, tiny_model_path):
    model = mtdetect.load_model(tiny_model_path, trust=True)
    text = (seeds_dir / "001_eefadc6c23d78545.txt").read_text(encoding="utf-8")
    report = model.score_text(text)
    assert report["id"] is None and len(report["paragraphs"]) > 1 and report["reasons"]
    same = mtdetect.compare_texts(text, text, model)
    assert same["relation"] == "verbatim"


def test_compare_texts_at_another_false_alarm_level(seeds_dir, tiny_model_path):
    import pytest

    model = mtdetect.load_model(tiny_model_path, trust=True)
    original, copy = ((seeds_dir / name).read_text(encoding="utf-8") for name in ("000_11376f5bce64fdf5.txt", "001_eefadc6c23d78545.txt"))
    result = mtdetect.compare_texts(original, copy, model, human_pair_rate=0.2)
    assert result["relation"] == "machine_rewritten" and result["copy"] == "B"
    with pytest.raises(ValueError, match="human-pair rate of 0.07"):
        mtdetect.compare_texts(original, copy, model, human_pair_rate=0.07)
