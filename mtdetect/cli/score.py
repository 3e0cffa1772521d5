"""`mtdetect score` (placeholder)."""

import click


@click.command("score")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("'score' is not implemented yet")
