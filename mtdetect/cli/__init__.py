"""The `mtdetect` command line: one module per command, parsing and printing only.

Exit codes (like ruff): 0 nothing flagged, 1 something flagged, 2 usage or input errors.
"""

from __future__ import annotations

import click

from .. import __version__

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtdetect")
def main() -> None:
    """Find news copies that were machine-rewritten by round-trip translation.

    Scores are evidence for a person to weigh, not a verdict on an author.
    """


def _register_commands() -> None:
    from . import compare, features, scan, score, train

    for module in (score, train, features, scan, compare):
        main.add_command(module.command)


_register_commands()
