"""`mtdetect features` (placeholder)."""

import click


@click.command("features")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("'features' is not implemented yet")
