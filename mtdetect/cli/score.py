"""`mtdetect score FILE...`: rate each paragraph and show the evidence and the reasons."""

from __future__ import annotations

import click

from ..budget import DEFAULT_SECONDS, OverBudget, time_budget
from ..inputs import InputError, document_id
from ..sources.article import read_any
from ..report import FORMATS, TerminalStyle, render
from .common import (
    NumberRange,
    apply_skip,
    exit_code,
    exit_zero_option,
    load_detector,
    model_option,
    skip_option,
    threshold_option,
    trust_option,
    warn,
    write_output,
)


@click.command("score")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; json (always a list), jsonl (one report a line), csv (one row a paragraph); "
    "html (one self-contained page).",
)
@threshold_option
@click.option("--explain", is_flag=True, help="Every paragraph, every reason and all evidence, not only the top items.")
@click.option("--width", type=click.IntRange(40, 1000), default=None, help="Text width (default: the terminal's).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here instead of stdout.")
@click.option("--time-budget", "time_limit", type=NumberRange(0, 86400), default=DEFAULT_SECONDS, show_default=True, metavar="SECONDS", help="Scoring one file may take this long; 0: no limit.")
@skip_option
@exit_zero_option
@model_option
@trust_option
def command(files, fmt, threshold, explain, width, output, time_limit, skip, exit_zero, model_path, trust_model) -> None:
    """Score articles (plain text, HTML pages or single JSON records; - for stdin) for signs of machine rewriting.

    An HTML page is reduced to its main text (pip install 'mtdetect[html]'), and the
    offsets index that text. Dumps (JSONL, JSON arrays, WARC, .gz) are for `mtdetect scan`.

    Each paragraph and the document get a calibrated probability, the threshold it is
    compared with, the reasons (which measurements pushed it up or down, against what
    human news shows) and the evidence, at path:line:column and 0-based character
    offsets. Exit code: 0 nothing flagged, 1 something flagged, 2 usage or input
    errors (the other files are still scored, and the summary line counts the flagged).
    """
    detector = load_detector(model_path, trust_model)
    if threshold is not None:
        detector.set_threshold(threshold)
    apply_skip(detector, skip)
    if explain:
        detector.explain_everything()
    reports, texts, errors = [], [], 0
    for name in files:
        try:
            text, source, note = read_any(name)
        except InputError as error:
            warn(str(error))
            errors += 1
            continue
        if note:
            click.echo(f"mtdetect: {note}", err=True)
        try:
            with time_budget(time_limit or None):
                report = detector.score_text(text, id=document_id(name))
                if source:
                    report["source"] = source  # what the text was read from (an HTML page's URL, date, markers)
                reports.append(report)
        except OverBudget as over:
            warn(f"{name}: {over}; split the article, or raise --time-budget")
            errors += 1
            continue
        texts.append(text)
    if reports or fmt == "json":
        write_output(output, render(reports, texts, fmt, explain, TerminalStyle.for_stream(output, width)))
    flagged = sum(bool(r["flagged"]) for r in reports)
    if errors or len(files) > 1:
        click.echo(f"mtdetect: {len(reports)} scored, {flagged} flagged, {errors} failed", err=True)
    raise SystemExit(exit_code(flagged, errors, exit_zero))
