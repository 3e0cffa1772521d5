"""The text report for a terminal: wrapped to its width, coloured only on a TTY.

People read 1-based numbers (¶1, `path:line:column`); the character offsets beside
them ([start:end]) are the 0-based ones of the data formats.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import dataclass

from .numbers import comparison, flag_summary, probability, probability_pair, threshold_meaning

TOP_REASONS = 3  # per document, unless --explain
TOP_PARAGRAPH_REASONS = 2
TOP_EVIDENCE = 3  # per paragraph, unless --explain
CONTEXT = 40  # characters shown either side of an artifact, fewer on a narrow terminal
MIN_WIDTH = 40


@dataclass(frozen=True)
class TerminalStyle:
    width: int = 80
    color: bool = False

    @classmethod
    def for_stream(cls, stream, width: int | None = None) -> "TerminalStyle":
        """The stream's terminal width, and colour only when it is a TTY and NO_COLOR is not set."""
        tty = bool(getattr(stream, "isatty", lambda: False)())
        columns = width or shutil.get_terminal_size((80, 24)).columns
        return cls(max(MIN_WIDTH, columns), color=tty and not os.environ.get("NO_COLOR"))

    def paint(self, text: str, **style) -> str:
        if not self.color:
            return text
        import click

        return click.style(text, **style)


def render_text(report: dict, text: str, explain: bool, style: TerminalStyle) -> str:
    name = report["id"] if report["id"] is not None else "<text>"
    lines = _wrap(_headline(report, name, style), style, "", "    ")
    lines += _wrap(threshold_meaning(report) + "; a calibrated probability, not a share of machine text", style, "  ", "    ")
    lines += _wrap(flag_summary(report) + ".", style, "  ", "    ")
    reasons = report.get("reasons") or []
    shown = reasons if explain else reasons[:TOP_REASONS]
    if shown:
        lines.append("  why:")
        for reason in shown:
            lines += _reason(reason, style, "    ")
    if report["paragraphs"] and report["score"] is not None and not reasons:
        lines.append("  why: no feature pushed the score by much either way")
    shown_paragraphs = _paragraphs_to_show(report["paragraphs"], explain)
    for index in shown_paragraphs:
        lines += _paragraph(report, name, index, report["paragraphs"][index], text, explain, style)
    hidden_flagged = sum(p["flagged"] for i, p in enumerate(report["paragraphs"]) if i not in shown_paragraphs)
    if hidden_flagged:
        lines.append(f"  … {hidden_flagged} more paragraphs over the paragraph threshold, with no evidence of their own")
    if not explain:
        lines.append(style.paint("  (--explain shows every paragraph, every reason and all evidence)", dim=True))
    lines.append(f"  model {report['model']}")  # one line, never wrapped: it is copied whole
    return "\n".join(lines) + "\n\n"


def _paragraphs_to_show(paragraphs: list[dict], explain: bool) -> list[int]:
    """All with --explain; else those with evidence to point at, or failing that the highest scores."""
    if explain:
        return list(range(len(paragraphs)))
    with_evidence = [i for i, p in enumerate(paragraphs) if p["evidence"]]
    if with_evidence:
        return with_evidence
    flagged = sorted((i for i, p in enumerate(paragraphs) if p["flagged"]), key=lambda i: -paragraphs[i]["score"])
    return sorted(flagged[:TOP_EVIDENCE])


def _headline(report: dict, name: str, style: TerminalStyle) -> str:
    if report["score"] is None:
        return f"{name}: no paragraphs to score"
    threshold = report.get("threshold")
    if threshold is None:  # a report made before thresholds were recorded
        return f"{name}: probability {report['score']:.4f}"
    verdict = (
        style.paint("MACHINE-REWRITTEN?", fg="red", bold=True)
        if report["flagged"]
        else style.paint("no strong sign of machine rewriting", fg="green")
    )
    return f"{name}: {verdict} — probability {comparison(report['score'], threshold)}"


def _paragraph(report: dict, name: str, index: int, paragraph: dict, text: str, explain: bool, style: TerminalStyle) -> list[str]:
    threshold = report.get("paragraph_threshold")
    line = paragraph.get("line")
    where = f"{name}:{line}:1" if line else name
    score = probability_pair(paragraph["score"], threshold)[0] if threshold is not None else probability(paragraph["score"])
    mark = style.paint(" flagged", fg="red") if paragraph["flagged"] else ""
    head = f"¶{index + 1}  {where}  [{paragraph['start']}:{paragraph['end']}]  probability {score}{mark}"
    out = _wrap(head, style, "  ", "      ")
    preview_width = max(20, style.width - 8)
    preview = _one_line(text[paragraph["start"] : paragraph["end"]])
    if len(preview) > preview_width:
        preview = preview[: preview_width - 1] + "…"
    out.append(style.paint("      " + preview, dim=True))
    reasons = paragraph.get("reasons") or []
    for reason in reasons if explain else reasons[:TOP_PARAGRAPH_REASONS]:
        out += _reason(reason, style, "      ")
    evidence = paragraph["evidence"]
    shown = evidence if explain else evidence[:TOP_EVIDENCE]
    for item in shown:
        out += _evidence(name, text, item, style, "      ")
    if len(shown) < len(evidence):
        out.append(f"      … {len(evidence) - len(shown)} more (use --explain)")
    return out


def _reason(reason: dict, style: TerminalStyle, indent: str) -> list[str]:
    towards_machine = reason.get("towards") == "machine"
    sign = style.paint("+" if towards_machine else "−", fg="red" if towards_machine else "green", bold=True)
    return _wrap(f"{sign} {reason['message']}", style, indent, indent + "  ")


def _evidence(name: str, text: str, item: dict, style: TerminalStyle, indent: str) -> list[str]:
    line, column = item.get("line"), item.get("column")
    where = f"{name}:{line}:{column}" if line else name
    head = f"{style.paint(item['feature'], fg='cyan')} {where} [{item['start']}:{item['end']}]: {item['message']}"
    out = _wrap(head, style, indent, indent + "    ")
    out += [indent + "  " + part for part in underline(text, item, style.width - len(indent) - 2, style)]
    return out


def underline(text: str, item: dict, width: int = 80, style: TerminalStyle | None = None) -> list[str]:
    """The artifact in its context on one line that fits `width`, and carets under it."""
    start, end = item["start"], item["end"]
    middle = _one_line(text[start:end])
    room = max(10, width - 2)
    if len(middle) > room:
        middle = middle[: room - 1] + "…"
    side = max(0, min(CONTEXT, (room - len(middle)) // 2))
    left = _one_line(text[max(0, start - side) : start])
    right = _one_line(text[end : end + side])
    shown_middle = style.paint(middle, fg="yellow", bold=True) if style else middle
    return [f"…{left}{shown_middle}{right}…", " " + " " * len(left) + "^" * max(1, len(middle))]


def _wrap(text: str, style: TerminalStyle, first: str, rest: str) -> list[str]:
    # Colour codes are invisible: wrap the plain text when colour is on would miscount, so
    # lines are wrapped a little narrower then (the codes are a few characters each).
    width = style.width - (8 if style.color else 0)
    return textwrap.wrap(text, width=max(20, width), initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first]


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
