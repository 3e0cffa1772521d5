"""`mtdetect train` (placeholder)."""

import click


@click.command("train")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("'train' is not implemented yet")
