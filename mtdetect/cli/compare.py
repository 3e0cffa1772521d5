"""`mtdetect compare A B`: is one article a machine-rewritten copy of the other? Side by side."""

from __future__ import annotations

import json
import shutil
import textwrap

import click

from ..copies import bundled_direction_at, compare_texts
from ..inputs import InputError, document_id, read_article
from ..model import ModelError, load
from ..report import TerminalStyle
from ..report.alignment import aligned_rows
from ..text import split_paragraphs
from .common import exit_code, exit_zero_option, fail, load_detector, model_option, trust_option, write_output
from .common import false_alarms_option, human_pair_rate

OPEN, CLOSE = "⟦", "⟧"
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MARKED = ("reworded_quote", "respelled_name", "restyled_number")
GUTTER = " │ "


@click.command("compare")
@click.argument("file_a", metavar="A")
@click.argument("file_b", metavar="B")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: side by side in the terminal; json: a list holding the comparison; html: one self-contained page.",
)
@click.option("--width", type=click.IntRange(60, 400), default=None, help="Text width (default: the terminal's).")
@click.option("--changed-only", is_flag=True, help="Show only the paragraph pairs that hold evidence.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here instead of stdout.")
@false_alarms_option
@exit_zero_option
@model_option
@trust_option
def command(file_a, file_b, fmt, width, changed_only, output, false_alarms, exit_zero, model_path, trust_model) -> None:
    """Compare two articles (files, or - for one of them on stdin) that may tell one story.

    Says whether one is a verbatim copy, a machine-rewritten copy, or an independent
    report of the other, and shows the paragraphs side by side with what the copy
    changed marked: reworded quotes, respelled names, restyled numbers. Evidence
    offsets are given in both texts (--format json). Exit code: 0 no machine-rewritten
    copy found, 1 found, 2 usage or input errors.
    """
    if file_a == "-" and file_b == "-":
        fail("only one of A and B can be - (stdin)")
    texts = []
    for name in (file_a, file_b):
        try:
            texts.append(read_article(name))
        except InputError as error:
            fail(str(error))
    detector = _detector(model_path, trust_model)
    ids = [document_id(name) for name in (file_a, file_b)]
    direction = bundled_direction_at(human_pair_rate(false_alarms))
    result = compare_texts(texts[0], texts[1], detector, ids[0], ids[1], direction=direction)
    if fmt == "json":
        write_output(output, json.dumps([result], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "html":
        from ..report.html import compare_page

        write_output(output, compare_page(result, texts[0], texts[1]))
    else:
        columns = width or shutil.get_terminal_size((120, 24)).columns
        color = TerminalStyle.for_stream(output).color  # a TTY, and NO_COLOR not set
        write_output(output, render_side_by_side(result, texts[0], texts[1], columns, changed_only, color))
    raise SystemExit(exit_code(result["relation"] == "machine_rewritten", 0, exit_zero))


def _detector(model_path: str | None, trust: bool):
    """The given model (errors stop), else the bundled one, else none with a warning."""
    if model_path is not None:
        return load_detector(model_path, trust)
    try:
        return load()
    except ModelError as error:
        click.echo(f"mtdetect: warning: {error}; comparing without the detector's scores", err=True)
        return None


# --- the side-by-side text ---------------------------------------------------------------------


def render_side_by_side(result: dict, text_a: str, text_b: str, width: int, changed_only: bool = False, color: bool = False) -> str:
    copy_is_b = result["evidence_side"] == "b"
    lines = _summary(result)
    evidence = [e for e in result["copy_evidence"] if e["feature"] in MARKED]
    # Number the evidence and mark it in both texts.
    marks_a: list[tuple[int, int, int]] = []
    marks_b: list[tuple[int, int, int]] = []
    for number, item in enumerate(evidence, 1):
        copy_mark = (item["start"], item["end"], number)
        original_mark = (item["original_start"], item["original_end"], number)
        (marks_b if copy_is_b else marks_a).append(copy_mark)
        (marks_a if copy_is_b else marks_b).append(original_mark)
    column = max(20, (width - len(GUTTER)) // 2)
    label_a = f"A: {result['a']}" + _role(result, "a")
    label_b = f"B: {result['b']}" + _role(result, "b")
    lines.append("")
    lines.append(_cell(label_a, column) + GUTTER + _cell(label_b, column))
    lines.append("─" * column + "─┼─" + "─" * column)
    paragraphs_a, paragraphs_b = split_paragraphs(text_a), split_paragraphs(text_b)
    rows = aligned_rows(result, len(paragraphs_a), len(paragraphs_b))
    shown = 0
    for pa, pb in rows:
        left = _marked(text_a, paragraphs_a[pa], marks_a) if pa is not None else ""
        right = _marked(text_b, paragraphs_b[pb], marks_b) if pb is not None else ""
        if changed_only and OPEN not in left and OPEN not in right:
            continue
        wrapped_a = textwrap.wrap(left, column) or [""]
        wrapped_b = textwrap.wrap(right, column) or [""]
        depth_a = depth_b = 0
        for index in range(max(len(wrapped_a), len(wrapped_b))):
            cell_a = _cell(wrapped_a[index] if index < len(wrapped_a) else "", column)
            cell_b = wrapped_b[index] if index < len(wrapped_b) else ""
            if color:
                cell_a, depth_a = _paint(cell_a, depth_a)
                cell_b, depth_b = _paint(cell_b, depth_b)
            lines.append((cell_a + GUTTER + cell_b).rstrip())
        lines.append(" " * column + GUTTER.rstrip())
        shown += 1
    if changed_only and not shown:
        lines.append("(no paragraph holds a marked change)")
    if evidence:
        lines.append("Marked changes (⟦ ⟧ in both columns; offsets in the copy / in the other text):")
        for number, item in enumerate(evidence, 1):
            lines.append(
                f"  {number:>3}. {item['feature']} {item['start']}-{item['end']} / "
                f"{item['original_start']}-{item['original_end']}: {item['message']}"
            )
    return "\n".join(lines) + "\n"


def _summary(result: dict) -> list[str]:
    relation = result["relation"]
    if relation == "machine_rewritten":
        head = f"{result['copy']} looks like a machine-rewritten copy of {result['copy_of']} (copy score {result['copy_score']:.2f})"
    elif relation == "verbatim":
        head = f"{result['copy']} is a verbatim (syndicated) copy of {result['copy_of']}"
    elif relation == "independent":
        head = "neither is called a copy of the other: independent reports, or versions of one text that neither reads clearly as a machine's rewrite"
    else:
        head = "no copy relation found"
    lines = [head]
    lines += [f"  - {reason}" for reason in result["reasons"]]
    counts: dict[str, int] = {}
    for item in result["copy_evidence"]:
        counts[item["feature"]] = counts.get(item["feature"], 0) + 1
    if counts:
        lines.append("  - evidence: " + ", ".join(f"{feature} ×{n}" for feature, n in sorted(counts.items())))
    if result.get("model"):
        lines.append(f"  - model: {result['model']}")
    return lines


def _role(result: dict, side: str) -> str:
    if result["copy_side"] is None:
        return ""
    return " (copy)" if result["copy_side"] == side else " (original)"


def _marked(text: str, span, marks: list[tuple[int, int, int]]) -> str:
    """The paragraph's text with ⟦…⟧ⁿ around each mark inside it."""
    inserts: list[tuple[int, int, str]] = []
    for start, end, number in marks:
        if span.start <= start and end <= span.end and start < end:
            inserts.append((start, 1, OPEN))
            inserts.append((end, 0, CLOSE + str(number).translate(SUPERSCRIPTS)))
    inserts.sort(key=lambda item: (item[0], item[1]))
    pieces, position = [], span.start
    for offset, _, mark in inserts:
        pieces.append(text[position:offset])
        pieces.append(mark)
        position = offset
    pieces.append(text[position : span.end])
    return " ".join("".join(pieces).split())


def _cell(text: str, width: int) -> str:
    return text[:width].ljust(width)


def _paint(cell: str, depth: int) -> tuple[str, int]:
    """Colour what lies between ⟦ and ⟧ (and its number); `depth` carries a mark into the next line."""
    start, reset = "\x1b[1;33m", "\x1b[0m"
    pieces = [start] if depth else []
    index = 0
    while index < len(cell):
        char = cell[index]
        pieces.append(char)
        index += 1
        if char == OPEN:
            if depth == 0:
                pieces.insert(len(pieces) - 1, start)
            depth += 1
        elif char == CLOSE:
            while index < len(cell) and cell[index] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
                pieces.append(cell[index])
                index += 1
            depth = max(0, depth - 1)
            if depth == 0:
                pieces.append(reset)
    if depth:
        pieces.append(reset)
    return "".join(pieces), depth
