"""`mtdetect scan` (placeholder until its issue lands)."""

import click


@click.command("scan")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("'scan' is not implemented yet")
