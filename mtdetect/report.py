"""Renderers for score reports: text (with the evidence underlined), json, jsonl and csv.

A report is the dict made by Detector.report (see README, "Output").
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable

FORMATS = ("text", "json", "jsonl", "csv")
TOP_EVIDENCE = 3  # per paragraph, unless --explain
CONTEXT = 40  # characters shown either side of an artifact

CSV_COLUMNS = [
    "id",
    "document_score",
    "document_flagged",
    "paragraph",
    "start",
    "end",
    "score",
    "flagged",
    "features",
    "model",
]


def render(reports: list[dict], texts: list[str], fmt: str, explain: bool = False) -> str:
    if fmt == "json":
        return json.dumps(reports if len(reports) != 1 else reports[0], ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports)
    if fmt == "csv":
        return render_csv(reports)
    return "".join(render_text(r, t, explain) for r, t in zip(reports, texts))


def render_csv(reports: Iterable[dict]) -> str:
    """One row per paragraph, with the document's score repeated."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for report in reports:
        for index, paragraph in enumerate(report["paragraphs"]):
            writer.writerow(
                {
                    "id": report["id"],
                    "document_score": report["score"],
                    "document_flagged": report["flagged"],
                    "paragraph": index,
                    "start": paragraph["start"],
                    "end": paragraph["end"],
                    "score": paragraph["score"],
                    "flagged": paragraph["flagged"],
                    "features": ";".join(sorted({e["feature"] for e in paragraph["evidence"]})),
                    "model": report["model"],
                }
            )
    return out.getvalue()


def render_text(report: dict, text: str, explain: bool = False) -> str:
    verdict = "MACHINE-REWRITTEN?" if report["flagged"] else "no strong sign of machine rewriting"
    paragraphs = report["paragraphs"]
    flagged = sum(p["flagged"] for p in paragraphs)
    lines = [f"{report['id']}: score {report['score']:.2f}  {verdict}  ({flagged} of {len(paragraphs)} paragraphs flagged)"]
    for index, paragraph in enumerate(paragraphs):
        evidence = paragraph["evidence"]
        if not explain and not evidence:
            continue  # a paragraph flagged only through its document's context has nothing to underline
        mark = "flagged" if paragraph["flagged"] else ""
        preview = _one_line(text[paragraph["start"] : paragraph["end"]])[:60]
        lines.append(f"  ¶{index + 1} [{paragraph['start']}:{paragraph['end']}] {paragraph['score']:.2f} {mark}  {preview!r}")
        shown = evidence if explain else evidence[:TOP_EVIDENCE]
        for item in shown:
            lines.extend("      " + line for line in underline(text, item))
        if len(shown) < len(evidence):
            lines.append(f"      … {len(evidence) - len(shown)} more (use --explain)")
    if not explain and flagged:
        lines.append("  (paragraph scores include what the whole document shows; --explain lists every paragraph)")
    lines.append(f"  model {report['model']}")
    return "\n".join(lines) + "\n\n"


def underline(text: str, item: dict) -> list[str]:
    """Three lines: what and where, the artifact in context, and carets under it."""
    start, end = item["start"], item["end"]
    left = _one_line(text[max(0, start - CONTEXT) : start])
    middle = _one_line(text[start:end])
    right = _one_line(text[end : end + CONTEXT])
    return [
        f"{item['feature']} @{start}-{end}: {item['message']}",
        f"  …{left}{middle}{right}…",
        "   " + " " * len(left) + "^" * max(1, len(middle)),
    ]


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
