"""The `mtdetect` command line: one module per command, parsing and printing only.

Exit codes (like ruff): 0 nothing flagged, 1 something flagged, 2 usage, input or
output errors, 3 an internal error (a bug: it is never reported as "flagged").
"""

from __future__ import annotations

import errno
import sys

import click

from .. import __version__

EXIT_CLEAN, EXIT_FLAGGED, EXIT_ERROR, EXIT_CRASH = 0, 1, 2, 3


class Commands(click.Group):
    """The command group; whatever a command did not handle becomes one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (`| head`): nothing more to say
            sys.exit(EXIT_ERROR)
        except OSError as error:  # the machine's, not ours: a full disk, a read-only folder
            where = f"{error.filename}: " if error.filename else ""
            hint = "free some space" if error.errno == errno.ENOSPC else "check the path and its permissions"
            click.echo(f"mtdetect: error: {where}{error.strerror or error}; {hint}", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as error:
            click.echo(
                f"mtdetect: internal error: {type(error).__name__}: {error}; "
                "please report this to the mtdetect maintainers with the command and its input",
                err=True,
            )
            sys.exit(EXIT_CRASH)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
