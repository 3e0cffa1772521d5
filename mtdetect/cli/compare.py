"""`mtdetect compare` (placeholder until its issue lands)."""

import click


@click.command("compare")
def command() -> None:
    """Not implemented yet."""
    raise click.UsageError("'compare' is not implemented yet")
