"""`bot`: a thin command-line shell over the library; errors are one line, never a traceback."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.errors import BotError


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
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsbot")
def cli() -> None:
    """Ask questions about a folder of news articles and get cited answers.

    Settings come from the environment or a .env file (see .env.example). With no
    OPENAI_BASE_URL, a small model runs in-process with no network.
    """
    quiet_network_defaults()


@cli.command()
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Build the store from scratch, then swap it in.")
@friendly
def ingest(corpus: Path | None, rebuild: bool) -> None:
    """Chunk the articles in CORPUS (default: BOT_CORPUS_DIR, seeds/) into the vector store."""
    from bot.config import load_settings
    from bot.ingest import ingest as run_ingest

    report = run_ingest(load_settings(), corpus, rebuild=rebuild)
    click.echo(report.summary())


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Answer as JSON.")
@friendly
def ask(question: str, as_json: bool) -> None:
    """Answer QUESTION from the corpus, then list the numbered sources it cites."""
    from bot.api import default_bot
    from bot.results import Answer

    answer = None
    for piece in default_bot().ask_stream(question):
        if isinstance(piece, Answer):
            answer = piece
        elif not as_json:
            click.echo(piece, nl=False)
    assert answer is not None
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
        return
    click.echo()
    if answer.citations:
        click.echo("\nSources:")
        for citation in answer.citations:
            n = answer.contexts.index(citation) + 1
            click.echo(f"  [{n}] {citation.source} ({citation.score:.2f}) {citation.title}")


@cli.command()
@click.argument("question")
@click.option("-k", "--k", "k", type=click.IntRange(1, 50), help="How many chunks to return.")
@friendly
def search(question: str, k: int | None) -> None:
    """Show the chunks retrieval finds for QUESTION, without asking the model."""
    from bot.api import default_bot

    for n, hit in enumerate(default_bot().retrieve(question, k), 1):
        click.echo(f"[{n}] {hit.score:.3f} {hit.source}: {hit.snippet}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="bot")
