"""Options and helpers shared by the commands."""

from __future__ import annotations

import sys

import click

from ..model import Detector, ModelError, load

model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Model file (.joblib with its .json card beside it). Default: the bundled model.",
)
trust_option = click.option(
    "--trust-model",
    is_flag=True,
    help="Allow loading a model file that is not bundled with mtdetect (loading a model runs code stored in it).",
)


def load_detector(model_path: str | None, trust: bool) -> Detector:
    """Load the model or stop with a one-line error and exit code 2."""
    try:
        return load(model_path, trust=trust)
    except ModelError as error:
        fail(str(error))


def fail(message: str) -> None:
    """One line on stderr, exit code 2, no traceback."""
    click.echo(f"mtdetect: error: {message}", err=True)
    sys.exit(2)


def warn(message: str) -> None:
    click.echo(f"mtdetect: error: {message}", err=True)


# The levels the bundled copy-direction model's card measured (scripts/fit_direction.py, OPERATING_RATES).
FALSE_ALARM_CHOICES = ("2", "5", "10", "20")
false_alarms_option = click.option(
    "--copies-false-alarms",
    "false_alarms",
    type=click.Choice(FALSE_ALARM_CHOICES),
    default="5",
    show_default=True,
    metavar="PCT",
    help="How often two people's versions of one article may be called machine-rewritten, in percent "
    "(2, 5, 10 or 20; measured on pairs of human translations by the sentence votes). Higher finds more "
    "machine-rewritten copies and calls more human rewrites machine-made: the README's accuracy section "
    "gives both at each level.",
)


def human_pair_rate(false_alarms: str) -> float:
    """--copies-false-alarms as the rate the direction model's card keys its thresholds by, or a
    one-line error (exit 2) when the bundled card has no threshold measured at that level."""
    from ..copies import bundled_direction_at

    rate = int(false_alarms) / 100
    try:
        bundled_direction_at(rate)
    except ValueError as error:
        fail(f"--copies-false-alarms: {error}; refit models/copy_direction.json with scripts/fit_direction.py")
    return rate


exit_zero_option = click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when something is flagged (input errors still exit 2)."
)
skip_option = click.option(
    "--skip",
    "skip",
    multiple=True,
    metavar="FEATURE",
    help="Treat this artifact feature as finding nothing (repeatable; `mtdetect features` lists them).",
)


def exit_code(flagged: int, errors: int, exit_zero: bool) -> int:
    """2 when any input failed, else 1 when something was flagged (0 with --exit-zero), else 0."""
    if errors:
        return 2
    return 1 if flagged and not exit_zero else 0


def apply_skip(detector: Detector, skip) -> None:
    if skip:
        try:
            detector.skip(skip)
        except ModelError as error:
            fail(str(error))


class NumberRange(click.FloatRange):
    """click.FloatRange that also refuses NaN, which passes every comparison check by failing it."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number; give one from {self.min:g} to {self.max:g}", param, ctx)
        return number


class Probability(click.ParamType):
    """A number in [0, 1]; NaN is refused (every comparison with it is false, so it would flag nothing)."""

    name = "probability"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number; give a probability between 0 and 1", param, ctx)
        if not 0.0 <= number <= 1.0:  # false for NaN too
            self.fail(f"{value!r} is not between 0 and 1; give a probability such as 0.8", param, ctx)
        return number


threshold_option = click.option(
    "--threshold", type=Probability(), default=None, help="Flag at this probability, 0 to 1 (default: the model's)."
)


def write_output(output, text: str) -> None:
    """Write and flush the report, or stop with one line naming the file (a full disk, -o /dev/full)."""
    try:
        output.write(text)
        output.flush()
    except OSError as error:
        name = getattr(output, "name", "the output")
        try:
            output.close()  # gives up the unwritten buffer, so closing at exit does not fail a second time
        except OSError:
            pass
        fail(f"{name}: cannot write ({error.strerror or error}); free some space or choose another -o")
