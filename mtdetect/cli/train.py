"""`mtdetect train DATA... --out models/NAME.joblib`: fit, validate, write model and card."""

from __future__ import annotations

import collections
import contextlib
import math
import sys
import threading
import time
from pathlib import Path

import click

from .. import model, training
from ..data import DataError, read_examples
from ..features import feature_names
from .common import NumberRange, fail


@click.command("train")
@click.argument("data", nargs=-1, required=True, metavar="DATA...")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="Where to write the model (.joblib); the card goes beside it (.json).")
@click.option("--classifier", type=click.Choice(["logistic", "boosting"]), default="logistic", show_default=True)
@click.option("--fpr", type=NumberRange(0.001, 0.5), default=training.HUMAN_FPR_TARGET, show_default=True, help="False-positive rate on human documents that sets the threshold.")
@click.option("--domain", "domains", multiple=True, help="Keep only examples of this domain (when the data has a 'domain' field); repeatable.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Processes for feature extraction (-1: all cores).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the validation split.")
@click.option("--overwrite", is_flag=True, help="Replace a model (and its card) already at --out.")
def command(data, out, classifier, fpr, domains, jobs, seed, overwrite) -> None:
    """Train a model on labelled examples and write it with its model card.

    DATA is JSONL ({"text", "label"} with label machine or human, or the WMT format
    with "segments"), CSV with text,label columns, or a folder with human/*.txt and
    machine/*.txt. Validation holds out whole documents and whole MT systems. Warns
    when validation misses the false-positive target or the data is too small to trust.
    """
    existing = [p for p in (Path(out), model.card_path(Path(out))) if p.exists()]
    if existing and not overwrite:
        fail(f"{existing[0]}: a model is already there; pass --overwrite to replace it, or choose another --out")
    try:
        examples = [e for path in data for e in read_examples(path)]
    except DataError as error:
        fail(str(error))
    if domains:
        examples = [e for e in examples if e.meta.get("domain") in domains]
    counts = collections.Counter(e.label for e in examples)
    if len(counts) < 2:
        only = "machine" if 1 in counts else "human"
        fail(f"{', '.join(data)}: only {only} examples{' in the chosen domains' if domains else ''}; training needs both machine and human examples")
    if min(counts.values()) < 6:
        fail(f"{', '.join(data)}: {counts[1]} machine and {counts[0]} human examples; training and validation need at least 6 of each")

    names = feature_names()
    with _progress(len(examples), "features") as bar:
        table = training.featurise(examples, names, jobs=jobs, progress=bar.update)
    try:
        with _elapsed(f"validating ({classifier}, documents and systems held out) and fitting"):
            detector, report = training.train(table, classifier, fpr, seed)
    except ValueError as error:
        fail(f"{', '.join(data)}: {error}; add more examples of both kinds")
    card = {
        "name": Path(out).stem,
        "training": {
            "data": [str(p) for p in data],
            "documents": len(examples),
            "machine": counts[1],
            "human": counts[0],
            "by_kind": dict(collections.Counter(str(e.meta.get("kind", "unknown")) for e in examples)),
            "domains": list(domains) or "all",
            "classifier": classifier,
        },
        "validation": report,
        "threshold_fpr_target": fpr,
    }
    model.save(detector, out, card)
    click.echo(summary(report))
    for warning in warnings(report, fpr, counts):
        click.echo(f"mtdetect: warning: {warning}", err=True)
    click.echo(f"wrote {out} and {model.card_path(Path(out)).name} ({detector.signature})")


# Below this many examples of a kind, validation figures swing by several points between splits.
MIN_TRUSTED_EXAMPLES = 200


def warnings(report: dict, fpr: float, counts: dict) -> list[str]:
    """What a person should know before using this model: a missed target, too little data."""
    found = []
    human = report.get("human") or counts.get(0, 0)
    rate = report.get("human_flagged")
    if rate is not None and human:
        # Two standard errors of a rate measured on this many human documents.
        allowed = fpr + 2 * math.sqrt(fpr * (1 - fpr) / human)
        if rate > allowed:
            found.append(
                f"validation flagged {100 * rate:.1f} % of human documents, above the {100 * fpr:.1f} % target "
                f"(more than chance allows with {human} human documents): the threshold does not carry over between "
                "folds; check the data or use --classifier logistic"
            )
    small = [f"{counts.get(label, 0)} {name}" for label, name in ((1, "machine"), (0, "human")) if counts.get(label, 0) < MIN_TRUSTED_EXAMPLES]
    if small:
        found.append(
            f"only {' and '.join(small)} examples: validation figures and the threshold's false-positive rate are "
            f"rough (use {MIN_TRUSTED_EXAMPLES}+ of each to trust them)"
        )
    return found


@contextlib.contextmanager
def _elapsed(what: str):
    """A line on stderr with the seconds passing, for a step that reports no progress of its own."""
    if not sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        while not done.wait(1.0):
            click.echo(f"\r{what}: {time.monotonic() - started:,.0f} s", err=True, nl=False)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        click.echo(f"\r{what}: done in {time.monotonic() - started:,.0f} s", err=True)


def summary(report: dict) -> str:
    keys = ["documents", "auc", "auc_vs_human_translation", "auc_vs_original", "paragraph_auc", "threshold", "machine_flagged", "human_flagged"]
    lines = ["validation (held-out documents and systems):"]
    lines += [f"  {k:26} {report.get(k)}" for k in keys]
    for group in ("by_language", "by_system"):
        rows = report.get(group) or {}
        if rows:
            lines.append(f"  {group}: " + ", ".join(f"{k} {v['auc']}" for k, v in rows.items()))
    return "\n".join(lines)


def _progress(total: int, unit: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=" " + unit, file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
