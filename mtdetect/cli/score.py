"""`mtdetect score FILE...`: rate each paragraph and show the evidence."""

from __future__ import annotations

import click

from ..budget import DEFAULT_SECONDS, OverBudget, time_budget
from ..inputs import InputError, document_id, read_article
from ..report import FORMATS, render
from ..text import Document
from . import EXIT_CLEAN, EXIT_ERROR, EXIT_FLAGGED
from .common import NumberRange, load_detector, model_option, threshold_option, trust_option, warn, write_output


@click.command("score")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@threshold_option
@click.option("--explain", is_flag=True, help="Show all evidence and every paragraph, not only the top items.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here instead of stdout.")
@click.option("--time-budget", "time_limit", type=NumberRange(0, 86400), default=DEFAULT_SECONDS, show_default=True, metavar="SECONDS", help="Scoring one file may take this long; 0: no limit.")
@model_option
@trust_option
def command(files, fmt, threshold, explain, output, time_limit, model_path, trust_model) -> None:
    """Score articles (plain text files, or - for stdin) for signs of machine rewriting.

    Each paragraph gets a probability and the evidence behind it, with character
    offsets into the file. Exit code: 0 nothing flagged, 1 something flagged,
    2 usage or input errors (the other files are still scored).
    """
    detector = load_detector(model_path, trust_model)
    if threshold is not None:
        detector.set_threshold(threshold)
    reports, texts, errors = [], [], 0
    for name in files:
        try:
            text = read_article(name)
        except InputError as error:
            warn(str(error))
            errors += 1
            continue
        try:
            with time_budget(time_limit or None):
                reports.append(detector.score_document(Document(text), id=document_id(name)))
        except OverBudget as over:
            warn(f"{name}: {over}; split the article, or raise --time-budget")
            errors += 1
            continue
        texts.append(text)
    if reports:
        write_output(output, render(reports, texts, fmt, explain))
    if errors:
        raise SystemExit(EXIT_ERROR)
    raise SystemExit(EXIT_FLAGGED if any(r["flagged"] for r in reports) else EXIT_CLEAN)
