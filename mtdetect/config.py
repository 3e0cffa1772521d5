"""Defaults from `mtdetect.toml` or `[tool.mtdetect]` in pyproject.toml, found from the working folder upward.

    [tool.mtdetect]          # or the same keys at the top of mtdetect.toml
    threshold = 0.9          # flag at this probability (score)
    format = "json"          # score's --format (and compare's, when it has that format)
    skip = ["mixed_quote_styles"]   # artifact features to treat as finding nothing (score)
    exit-zero = true         # exit 0 even when something is flagged (score, scan, compare)

The first folder that has either file wins (mtdetect.toml before pyproject.toml, and a
pyproject.toml without a [tool.mtdetect] table does not count). Options on the command
line override the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

KEYS = {"threshold", "format", "skip", "exit-zero"}


class ConfigError(Exception):
    """A config file that cannot be used; the message names it and says what to fix."""


def find(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest config file and its mtdetect settings, or None."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "mtdetect.toml"
        if own.is_file():
            data = _read(own)
            # Keys at the top, or under [tool.mtdetect] as in pyproject.toml: either reads.
            return own, data["tool"].get("mtdetect", {}) if isinstance(data.get("tool"), dict) else data
        project = candidate / "pyproject.toml"
        if project.is_file():
            settings = _read(project).get("tool", {}).get("mtdetect")
            if settings is not None:
                return project, settings
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it as TOML ({error}); fix the file or remove it") from None


def default_map(start: Path | None = None) -> dict:
    """click's default_map for the commands, from the nearest config file."""
    found = find(start)
    if found is None:
        return {}
    path, settings = found
    unknown = set(settings) - KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown mtdetect setting {sorted(unknown)[0]!r}; known: {', '.join(sorted(KEYS))}")
    score: dict = {}
    scan: dict = {}
    compare: dict = {}
    if "threshold" in settings:
        value = settings["threshold"]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            raise ConfigError(f"{path}: threshold must be a number from 0 to 1, not {value!r}")
        score["threshold"] = float(value)
    if "format" in settings:
        from .report import FORMATS

        value = settings["format"]
        if value not in FORMATS:
            raise ConfigError(f"{path}: format must be one of {', '.join(FORMATS)}, not {value!r}")
        score["fmt"] = value
        if value in ("text", "json", "html"):
            compare["fmt"] = value
    if "skip" in settings:
        value = settings["skip"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: skip must be a list of feature names, e.g. skip = [\"mixed_quote_styles\"]")
        score["skip"] = tuple(value)
    if "exit-zero" in settings:
        value = settings["exit-zero"]
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: exit-zero must be true or false, not {value!r}")
        score["exit_zero"] = scan["exit_zero"] = compare["exit_zero"] = value
    return {name: values for name, values in (("score", score), ("scan", scan), ("compare", compare)) if values}
