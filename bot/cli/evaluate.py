"""`bot eval`: score the bot on golden Q&A pairs, print the tables and check the gates."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.cli.support import NO_CHARTS, friendly, out_option
from bot.core.errors import BotError

GATES = [
    ("--min-hit", "Fail when hit@k is below this."),
    ("--min-mrr", "Fail when MRR is below this."),
    ("--min-recall", "Fail when source recall is below this."),
    ("--min-refusal", "Fail when refusal accuracy is below this."),
    ("--max-false-refusal", "Fail when false refusals exceed this."),
    ("--min-citation-precision", "Fail below this citation precision."),
    ("--min-cited", "Fail when fewer answers than this cite anything."),
    ("--min-facts", "Fail when key-fact coverage is below this."),
    ("--min-right", "Fail when fewer answerable pairs than this are right."),
    (
        "--max-non-answers",
        "Fail when more shown answers than this lack a key fact or answer the uncovered.",
    ),
    (
        "--max-off-language",
        "Fail when more shown answers than this are not in the question's language.",
    ),
    ("--max-quoted", "Fail when more shown answers than this quote the sources."),
    ("--min-shown-backed", "Fail when a shown sentence lacks a verified marker."),
    ("--min-saw-source", "Fail when fewer answers than this were given the expected article."),
    ("--min-in-language", "Fail when fewer replies than this match the question's language."),
]
"""Each --min/--max gate of `bot eval`: its option, and what failing it means."""


def gate_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Every gate as a float option, in the table's order; `failed_gates` reads them by name."""
    for option, meaning in reversed(GATES):
        command = click.option(option, type=float, help=meaning)(command)
    return command


@click.command("eval")
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
@click.option(
    "--open-gates",
    is_flag=True,
    help="Judge every answer but gate none (BOT_MIN_ANSWERABLE and BOT_MIN_QUOTE_CONFIDENCE "
    "at 0): the run `bot calibrate` fits them on.",
)
@gate_options
@click.option(
    "--per-language",
    multiple=True,
    type=click.Choice(
        [
            *("hit", "mrr", "recall", "citation_precision", "cited", "facts", "in_language"),
            *("refusal", "false_refusal", "saw_source", "right", "non_answers", "off_language"),
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
    open_gates: bool,
    per_language: tuple[str, ...],
    **bounds: float | None,
) -> None:
    """Score the bot on golden Q&A pairs; exit 1 when a --min/--max gate fails."""
    from tqdm import tqdm

    from bot.api import Bot
    from bot.core.config import load_settings
    from bot.eval.evaluation import run_eval
    from bot.eval.golden_sets import DEFAULT_GOLDEN, load_golden
    from bot.eval.golden_sets import sample as spread
    from bot.eval.reports import eval_chart, eval_table, failed_gates

    pairs = spread(load_golden(golden or DEFAULT_GOLDEN), sample)
    settings = load_settings()
    if corpus is not None:
        from bot.ingest.pipeline import ingest as run_ingest

        store = out / "stores" / corpus.resolve().name
        settings = settings.model_copy(
            update={"corpus_dir": corpus, "vectorstore_dir": store, "chroma_url": None}
        )
        click.echo(run_ingest(settings, corpus).summary(), err=True)
    if open_gates:
        settings = settings.model_copy(
            update={"judge": True, "min_answerable": 0.0, "min_quote_confidence": 0.0}
        )
    bot = Bot(settings)
    dense = Bot(settings.model_copy(update={"retriever": "dense"})) if compare_dense else None
    report = run_eval(
        bot, pairs, k, dense, progress=lambda p: tqdm(p, desc="Evaluating", unit="pair")
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    charted = eval_chart(report, out / "report.png")
    pace = report["pace"]
    speed = (
        f"; reads {pace['prefill']:.0f} and writes {pace['decode']:.1f} tokens/s" if pace else ""
    )
    click.echo(
        f"Model: {report['model']} (started and timed in {report['warm_up_seconds']:.1f} s "
        f"before the first pair, as the chat and the API do at launch{speed})\n"
    )
    click.echo("What the reader got:\n")
    for group in ("by_language", "same_vs_cross", "by_fold"):
        click.echo(eval_table(report, group, reader=True) + "\n")
    click.echo("Why:\n")
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


@click.command("calibrate")
@click.argument(
    "reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@friendly
def calibrate(reports: tuple[Path, ...]) -> None:
    """Fit the judge's gates on eval reports run with --open-gates.

    Each article fold is scored with gates fitted on the other; those held-out figures are
    printed, then the gates fitted on every pair, as lines for .env.
    """
    from bot.eval.calibration import calibrate as fit_gates
    from bot.eval.reports import calibration_table

    pairs = [p for path in reports for p in read_report(path)["pairs"]]
    result = fit_gates(pairs)
    click.echo(calibration_table(result))
    gates = result["gates"]
    click.echo(
        f"\nFitted on all {len(pairs)} pairs:\n"
        f"BOT_MIN_ANSWERABLE={gates['answerable']}\nBOT_MIN_QUOTE_CONFIDENCE={gates['quote']}"
    )


@click.command("compare")
@click.argument("before", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("after", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any answer changed.")
@friendly
def compare(before: Path, after: Path, strict: bool) -> None:
    """Compare two eval reports of one golden set: which shown answers changed, word for word.

    Replay the golden set on the code before and after a change meant to keep behaviour
    (`bot eval --out A`, then `--out B`), then run `bot compare A/report.json B/report.json`.
    """
    from bot.eval.comparison import compare as compare_reports
    from bot.eval.reports import comparison_text

    old, new = read_report(before), read_report(after)
    comparison = compare_reports(old, new)
    click.echo(comparison_text(old, new, comparison))
    if strict and comparison.changed:
        sys.exit(1)


def read_report(path: Path) -> dict:
    """A `bot eval` report.json, or one sentence saying the file is not one."""
    try:
        report = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        report = None
    if not isinstance(report, dict) or not isinstance(report.get("pairs"), list):
        raise BotError(f"{path} is not a `bot eval` report; pass the report.json it wrote.")
    return report
