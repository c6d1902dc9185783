"""`bot bench` and `bot loadtest`: latency next to the tutorial baseline, and the web chat
under concurrent sessions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.cli.support import NO_CHARTS, friendly, out_option
from bot.core.errors import ConfigError


@click.command()
@click.option(
    "--sizes",
    default="seeds,10k,100k",
    show_default=True,
    help="Comma-separated corpus sizes: seeds, 1k (a quick check), 10k, 100k.",
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
    import importlib.util
    import tempfile

    needed = ("langchain_chroma", "langchain_text_splitters")
    if not all(importlib.util.find_spec(module) for module in needed):
        raise ConfigError(
            "`bot bench` measures against the LangChain tutorial setup, which is not installed; "
            "run pip install 'newsbot[bench]' (make setup does)."
        )
    from bot.bench.benchmark import SIZES, run_bench
    from bot.core.config import load_settings
    from bot.core.model_catalog import LOCAL_MODELS
    from bot.eval.golden_sets import DEFAULT_GOLDEN, load_golden
    from bot.eval.reports import bench_chart, bench_table

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


@click.command()
@click.argument("url", required=False)
@click.option(
    "--sessions", type=click.IntRange(1, 64), help="Concurrent sessions [8; 16 with --api]."
)
@click.option(
    "--turns", type=click.IntRange(1, 10), help="Questions per session [2; 1 with --api]."
)
@click.option(
    "--api", is_flag=True, help="Load `bot serve` (URL default http://127.0.0.1:8080/v1)."
)
@friendly
def loadtest(url: str | None, sessions: int | None, turns: int | None, api: bool) -> None:
    """Run concurrent sessions against the web chat (URL default http://127.0.0.1:7860/), or
    with --api against the OpenAI-compatible API; this machine only."""
    from bot.app.serving import login
    from bot.bench.loadtest import api_load, chat_load
    from bot.core.config import load_settings
    from bot.eval.golden_sets import DEFAULT_GOLDEN, load_golden

    settings = load_settings()
    questions = [p.question for p in load_golden(DEFAULT_GOLDEN) if not p.unanswerable]
    if api:
        key = settings.api_key.get_secret_value() if settings.api_key else None
        url = url or f"http://127.0.0.1:{settings.api_port}/v1"
        report = api_load(url, questions, sessions or 16, turns or 1, key)
    else:
        url = url or f"http://127.0.0.1:{settings.ui_port}/"
        report = chat_load(url, questions, sessions or 8, turns or 2, auth=login(settings))
    click.echo(report.summary())
    for failure in report.failures:
        click.echo(f"  {failure}", err=True)
    if report.failures:
        sys.exit(1)
