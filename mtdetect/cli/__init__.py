"""The `mtdetect` command line: one module per command, parsing and printing only.

Exit codes (like ruff): 0 nothing flagged, 1 something flagged, 2 usage or input errors.
"""

from __future__ import annotations

import click

from .. import __version__

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mtdetect")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Find news copies that were machine-rewritten by round-trip translation.

    Scores are evidence for a person to weigh, not a verdict on an author.
    Defaults come from mtdetect.toml or [tool.mtdetect] in pyproject.toml, looked up
    from the working folder upward (see the README). Shell completion:
    eval "$(_MTDETECT_COMPLETE=bash_source mtdetect)" (zsh_source, fish_source).
    """
    from ..config import ConfigError, default_map

    if ctx.resilient_parsing:  # shell completion: never fail on a config file
        return
    try:
        ctx.default_map = default_map()
    except ConfigError as error:
        click.echo(f"mtdetect: error: {error}", err=True)
        ctx.exit(EXIT_ERROR)


def _register_commands() -> None:
    from . import compare, features, scan, score, train

    for module in (score, train, features, scan, compare):
        main.add_command(module.command)


_register_commands()
