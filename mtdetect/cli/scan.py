"""`mtdetect scan DUMP... --output OUT`: score news dumps, streaming and resumable."""

from __future__ import annotations

import json
import sys

import click

from ..budget import DEFAULT_SECONDS
from ..inputs import MAX_BYTES
from .common import NumberRange, exit_code, exit_zero_option, fail, load_detector, model_option, trust_option
from .common import false_alarms_option, human_pair_rate

FORMAT_CHOICES = ("jsonl", "csv", "parquet", "dolma-attributes")
EXIT_INTERRUPTED = 130


@click.command("scan")
@click.argument("dumps", nargs=-1, required=True, metavar="DUMP...")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="OUT",
    help="Output file (.jsonl, .jsonl.gz, .csv, .parquet), or a folder (an existing one, or a name ending in /) "
    "that gets one output per input shard.",
)
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None, help="Output format (default: from OUT's suffix, else jsonl).")
@click.option("--dolma-experiment", default="mtdetect", show_default=True, metavar="NAME", help="With --format dolma-attributes: attribute names are NAME__mtdetect__<type>.")
@click.option("--text-field", metavar="NAME", help="Field holding the article text (default: text, else maintext).")
@click.option("--id-field", metavar="NAME", help="Field holding the document id (default: id, else url, else a hash of the text).")
@click.option("--keep-fields", "keep_fields", metavar="NAMES", default="", help="Comma-separated bulky input fields to copy into the rows all the same (raw_text, html, raw_html, content_html are left out by default).")
@click.option("-j", "--jobs", type=int, default=1, show_default=True, help="Worker processes on this machine; -1 for every core.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="local: joblib processes; dask: a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (implies --engine dask); without it a local Dask cluster of --jobs workers is started.")
@click.option("--shard", "shard_text", metavar="I/N", help="Scan only share I of N (1-based) of the chunks, to split a dump across machines; give each its own OUT.")
@click.option("--overwrite", is_flag=True, help="Start again, replacing OUT and any interrupted scan into it.")
@click.option("--chunk-size", type=click.IntRange(1), default=None, help="Records per chunk, the unit of work and of resuming (default 250).")
@click.option("--copies/--no-copies", default=True, show_default=True, help="Link copies of one story: story groups, copy_of, relation, copy_evidence.")
@false_alarms_option
@click.option("--max-record-mb", type=NumberRange(0.001, 1000), default=MAX_BYTES / 1e6, show_default=True, help="Records larger than this go to the errors file unread.")
@click.option("--time-budget", type=NumberRange(0, 86400), default=DEFAULT_SECONDS, show_default=True, metavar="SECONDS", help="Scoring one record may take this long before it goes to the errors file; 0: no limit.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write one self-contained HTML page: score histogram, story groups, each document with its evidence (needs a JSONL output).",
)
@exit_zero_option
@model_option
@trust_option
def command(dumps, output, fmt, dolma_experiment, text_field, id_field, keep_fields, jobs, engine, scheduler, shard_text, overwrite, chunk_size, copies, false_alarms, max_record_mb, time_budget, quiet, report_path, exit_zero, model_path, trust_model) -> None:
    """Scan news dumps and write one JSON row per document.

    DUMP is a JSONL file (plain, .gz or .zst; the text in `text` or news-please's
    `maintext`, or an HTML page in `html` / `raw_html`; the id in `id`, `url` or
    trafilatura's `source`), a JSON array of records, a WARC file (.warc, .warc.gz), a
    folder of such files and of .txt / .json / .html articles, or - for JSONL on stdin. Each row is the `score --format json` report plus the input
    record's other fields. Records that cannot be scored (malformed JSON, no text,
    invalid UTF-8, empty text) go to OUT.errors.jsonl with their file and line; the
    summary goes to OUT.summary.json.

    A scan that is interrupted (even killed) finishes when the same command is run again:
    finished chunks are kept in OUT.parts and not scanned twice.

    Exit code: 0 nothing flagged, 1 something flagged, 2 usage, input or output errors
    or any record that could not be scored (the summary still counts the flagged),
    3 an internal error (please report it).
    """
    from ..scan import DEFAULT_CHUNK_RECORDS, ScanError, ScanOptions, parse_shard, scan

    if scheduler:
        engine = "dask"
    try:
        shard = parse_shard(shard_text) if shard_text else None
    except ScanError as error:
        fail(str(error))
    options = ScanOptions(
        output=output,
        format=fmt,
        text_field=text_field,
        id_field=id_field,
        dolma_experiment=dolma_experiment,
        keep_fields=tuple(name.strip() for name in keep_fields.split(",") if name.strip()),
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        shard=shard,
        overwrite=overwrite,
        chunk_records=chunk_size or DEFAULT_CHUNK_RECORDS,
        model_path=model_path,
        trust_model=trust_model,
        max_record_bytes=int(max_record_mb * 1e6),
        time_budget=time_budget or None,
    )
    if report_path is not None:
        from ..scan.report_page import REPORT_FORMATS
        from ..scan.writers import format_from_name

        chosen = fmt or format_from_name(output) or "jsonl"
        if chosen not in REPORT_FORMATS:
            fail(f"{output}: --report reads the scan's rows back and needs a JSONL output; use --output OUT.jsonl")
    detector = load_detector(model_path, trust_model)
    from ..scan.metadata import MetadataHook

    # The metadata pass runs after the copies pass: a page's own declaration beats a guess from its text.
    hooks = ([_story_hook(detector.threshold, human_pair_rate(false_alarms), progress=not quiet and sys.stderr.isatty())] if copies else []) + [MetadataHook()]
    try:
        summary = scan(dumps, options, detector=detector, hooks=hooks, progress=not quiet and sys.stderr.isatty())
    except ScanError as error:
        fail(str(error))
    except KeyboardInterrupt:
        click.echo("mtdetect: interrupted; finished chunks are kept: run the same command again to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for item in summary.get("skipped", []):  # every skipped file, quiet or not: nothing is dropped silently
        click.echo(f"mtdetect: skipped: {item['source']}: {item['reason']}", err=True)
    if not quiet:
        click.echo(describe(summary), err=True)
    if summary["records"] and not summary["documents"]:
        fail(f"no record could be scored; the first: {first_error(summary['errors_file'])}")
    if report_path is not None:
        from ..scan.readers import Fields
        from ..scan.report_page import write_report

        written = write_report(report_path, summary, list(dumps), Fields.choose(text_field, id_field))
        if not quiet:
            click.echo(f"report: {written}", err=True)
    if summary["errors"]:  # shown even with --quiet: the exit code 2 needs its reason
        count = summary["errors"]
        click.echo(
            f"mtdetect: {count:,} of {summary['records']:,} records could not be scored; of the {summary['documents']:,} scored, "
            f"{summary['flagged']:,} flagged; see {summary['errors_file']}",
            err=True,
        )
    sys.exit(exit_code(summary["flagged"], summary["errors"], exit_zero))


def _story_hook(threshold: float, rate: float, progress: bool):
    """The copies pass, with a progress bar on stderr over the pairs it aligns when that is a terminal."""

    from ..scan.stories import StoryHook

    hook = StoryHook(threshold, rate)
    hook.progress = progress
    return hook


def describe(summary: dict) -> str:
    """The end-of-scan summary for people."""
    if summary.get("already_complete"):
        return (
            f"{summary['output']} is already complete: {summary['documents']:,} documents, "
            f"{summary['flagged']:,} flagged, {summary['errors']:,} errors; add --overwrite to scan again"
        )
    run = summary["this_run"]
    lines = [
        f"scanned {run['documents']:,} documents ({run['text_bytes'] / 1e6:,.1f} MB of text) in {summary['wall_seconds']:,.1f} s: "
        f"{summary['mb_per_second'] or 0:,.2f} MB/s, {summary['documents_per_second'] or 0:,.0f} documents/s "
        f"({summary['workers']} {summary['engine']} worker{'s' if summary['workers'] != 1 else ''})",
    ]
    if run["resumed_chunks"]:
        lines.append(f"resumed: {run['resumed_chunks']:,} chunks were already done")
    lines.append(f"documents {summary['documents']:,}, flagged {summary['flagged']:,}, errors {summary['errors']:,}")
    if summary["errors"]:
        lines.append(f"records that could not be scored are listed in {summary['errors_file']}")
    if summary.get("passed_over"):
        lines.append(f"passed over {summary['passed_over']:,} WARC response records that are not HTML pages (images, PDFs, ...)")
    metadata = summary.get("metadata") or {}
    if metadata.get("duplicate_ids"):
        shown = ", ".join(item["id"] for item in metadata["duplicates"][:3])
        lines.append(f"duplicate ids: {metadata['duplicate_ids']:,} ids are carried by {metadata['records_with_duplicate_ids']:,} records (e.g. {shown}); each record has its own row")
    if metadata.get("ids_from_text_hash"):
        lines.append(
            f"records without an id: {metadata['ids_from_text_hash']:,} have no id field (or not the one --id-field names); "
            "their rows' ids are hashes of their text (sha256:...)"
        )
    if metadata.get("linked_by_declaration"):
        lines.append(f"linked by the pages' own machine-translated-from links: {metadata['linked_by_declaration']:,}")
    if summary["ignored_files"]:
        lines.append(f"ignored {summary['ignored_files']:,} files that are not dumps or articles (.jsonl[.gz|.zst], .json, .warc[.gz], .txt, .html)")
    outputs = summary["outputs"]
    shown = outputs[0] if len(outputs) == 1 else f"{len(outputs)} files in {summary['output']}"
    stories = summary.get("copies")
    if stories:
        from ..copies import render_group_table

        lines.append(f"story groups: {stories['stats']['groups']:,}; flagged through cross-copy evidence: {stories['flagged_by_copies']:,}")
        if stories.get("human_pair_rate"):
            lines.append(
                f"a rewrite was called machine-made at log-odds {stories['machine_log_odds']:.1f}, a level {stories['human_pair_rate'] * 100:g} % "
                "of pairs of human translations reach (--copies-false-alarms)"
            )
        lines.append(render_group_table(stories["groups"][:20]))
    lines.append(f"wrote {shown}; summary in {summary['summary_file']}")
    lines.append(f"model {summary['model']}")
    return "\n".join(lines)


def first_error(errors_file: str) -> str:
    try:
        with open(errors_file, encoding="utf-8") as handle:
            error = json.loads(handle.readline())
    except (OSError, ValueError):
        return "see the errors file"
    where = error["source"] + (f":{error['line']}" if error.get("line") else "")
    return f"{where}: {error['reason']}"
