"""What every `bot` command shares: one-line errors, offline defaults and the --out option."""

from __future__ import annotations

import contextlib
import functools
import logging
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


def ends_at_once(command: Callable[..., Any]) -> Callable[..., Any]:
    """For the commands that keep running: once one returns or exits, the process ends with
    its exit code and no Python finalization. Finalizing ends the threads still inside the
    store's native code (an answer's, when Ctrl+C stops the chat) with a forced unwind through
    Chroma's Rust frames, which crashes. Nothing is left to write: the store commits each
    batch, and the watch's ingest is stopped first. Click's usage errors pass through."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        logging.shutdown()
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

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
