"""What every `bot` command shares: one-line errors, offline defaults and the --out option."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.core.errors import BotError

NO_CHARTS = "none (pip install 'newsbot[charts]' to draw one)"


def quiet_network_defaults() -> None:
    """Keep Gradio, Hugging Face and Chroma from phoning home; we run offline."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors into `Error: <sentence>` on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BotError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a full disk or a folder we may not write, outside the store
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(
                f"Error: {exc.strerror or exc}{where}; check free disk space and permissions, "
                "then try again.",
                err=True,
            )
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


def out_option(default: str, files: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out FOLDER`, where a command writes its report files."""
    return click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=Path(default),
        show_default=True,
        help=f"Folder for {files}.",
    )


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--since`, `--until`, `--outlet`: the articles a question may draw on."""
    command = click.option(
        "--outlet", "outlets", multiple=True, help="Only articles from this outlet (repeatable)."
    )(command)
    command = click.option("--until", help="Only articles published on or before this date.")(
        command
    )
    return click.option("--since", help="Only articles published on or after this date.")(command)
