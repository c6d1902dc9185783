"""Prompt templates live as files in `prompts/`; code refers to them by name only."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.errors import ConfigError

_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "prompts",  # a source checkout
    Path(__file__).resolve().parent / "_prompts",  # an installed wheel
)


def prompts_dir() -> Path:
    """The folder the templates are read from."""
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise ConfigError("The prompts/ folder is missing; reinstall the package.")


@cache
def load_prompt(name: str) -> str:
    """The template `prompts/<name>.txt`, without its trailing newline."""
    path = prompts_dir() / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        raise ConfigError(f"Prompt template {path} is missing; reinstall the package.") from None


def localized(name: str, language: str) -> str:
    """`prompts/<name>.<language>.txt`, or the English one where no translation exists."""
    try:
        return load_prompt(f"{name}.{language}")
    except ConfigError:
        return load_prompt(f"{name}.en")
