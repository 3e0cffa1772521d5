"""`mtdetect features`: every registered feature, its version, description and weight."""

from __future__ import annotations

import json

import click

from ..features import load_all
from ..model import ModelError, load
from .common import model_option, trust_option


@click.command("features")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@model_option
@trust_option
def command(fmt, model_path, trust_model) -> None:
    """List the features, with their weight in the model (positive: points to machine) and the human news median."""
    registry = load_all()
    try:
        detector = load(model_path, trust=trust_model)
        weights = detector.feature_weights()
        reference = (detector.card.get("human_reference") or {}).get("document") or {}
    except ModelError as error:
        click.echo(f"mtdetect: note: no weights shown ({error})", err=True)
        weights, reference = {}, {}
    rows = [
        {
            "name": f.name,
            "version": f.version,
            "kind": f.kind,
            "weight": weights.get(f.name),
            "human_median": reference.get(f.name),  # what human news documents show (model card)
            "description": f.description,
        }
        for f in sorted(registry.values(), key=lambda f: f.name)
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        weight = "" if row["weight"] is None else f"{row['weight']:+.2f}"
        median = "" if row["human_median"] is None else f"{row['human_median']:.3g}"
        click.echo(f"{row['name']:28} v{row['version']}  {row['kind']:9} {weight:>6} {median:>7}  {row['description']}")
