"""Renderers for score reports: text for a terminal, json, jsonl, csv, and a self-contained HTML page.

A report is the dict made by Detector.report (see README, "Output"). `json` is always a
list (one report per input), `jsonl` one report a line, `csv` one row a paragraph.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable

from .numbers import probability_pair
from .text import TerminalStyle, render_text

FORMATS = ("text", "json", "jsonl", "csv", "html")

CSV_COLUMNS = [
    "id",
    "document_score",
    "document_flagged",
    "paragraph",  # 0-based, as paragraphs[i] in json; people's ¶1 is paragraph 0
    "start",
    "end",
    "line",
    "score",
    "flagged",
    "features",
    "model",
]


def render(reports: list[dict], texts: list[str], fmt: str, explain: bool = False, style: TerminalStyle | None = None) -> str:
    if fmt == "json":
        return json.dumps(reports, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports)
    if fmt == "csv":
        return render_csv(reports)
    if fmt == "html":
        from .html import score_page

        return score_page(reports, texts)
    style = style or TerminalStyle()
    return "".join(render_text(r, t, explain, style) for r, t in zip(reports, texts))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell):
    """A text cell that a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text: a leading '."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def render_csv(reports: Iterable[dict]) -> str:
    """One row per paragraph, with the document's score repeated."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        for index, paragraph in enumerate(report["paragraphs"]):
            writer.writerow(
                {
                    "id": neutralised(report["id"]),
                    "document_score": report["score"],
                    "document_flagged": report["flagged"],
                    "paragraph": index,
                    "start": paragraph["start"],
                    "end": paragraph["end"],
                    "line": paragraph.get("line"),
                    "score": paragraph["score"],
                    "flagged": paragraph["flagged"],
                    "features": ";".join(sorted({e["feature"] for e in paragraph["evidence"]})),
                    "model": report["model"],
                }
            )
    return out.getvalue()


__all__ = ["FORMATS", "TerminalStyle", "neutralised", "probability_pair", "render", "render_csv", "render_text"]
