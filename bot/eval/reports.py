"""Reports as people read them: Markdown tables, PNG charts and gates for `bot eval` and
`bot bench`; those stages measure and return plain dicts, and only this module renders them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from bot.eval.comparison import Comparison


def pyplot() -> ModuleType | None:
    """matplotlib's pyplot drawing to files, or None without the `charts` extra."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


METRIC_LABELS = {
    "hit": "hit@k",
    "mrr": "MRR",
    "recall": "recall",
    "dense_hit": "dense hit@k",
    "dense_mrr": "dense MRR",
    "citation_precision": "cite prec",
    "citation_recall": "cite rec",
    "cited": "cited",
    "facts": "facts",
    "in_language": "in lang",
    "saw_source": "saw source",
    "facts_seen": "facts seen",
    "quoted": "quoted",
    "errors": "errors",
    "unsupported": "unsupported",
    "withheld_facts": "withheld facts",
    "shown_backed": "shown backed",
    "refusal": "refusal",
    "false_refusal": "false ref",
    "right": "right",
    "non_answers": "non-answers",
    "off_language": "off-lang",
    "cut_short": "cut short",
    "first_s_p50": "first p50 s",
    "first_s_p95": "first p95 s",
    "first_s_max": "first max s",
    "total_s_p50": "p50 s",
    "total_s_p95": "p95 s",
    "total_s_max": "max s",
}


READER_METRICS = (
    *("right", "non_answers", "off_language", "quoted", "cut_short", "refusal", "false_refusal"),
    *("first_s_p50", "first_s_p95", "first_s_max", "total_s_p50", "total_s_p95", "total_s_max"),
)
"""What the reader got, in a table of its own; the other metrics say why."""


def eval_table(report: dict, group: str = "by_language", reader: bool = False) -> str:
    """A Markdown table: one row per language (or language pair) and a total row; the
    reader's metrics (`reader`) or the ones that explain them."""
    rows = [*report[group].items(), ("total", report["total"])]
    wanted = READER_METRICS if reader else [k for k in METRIC_LABELS if k not in READER_METRICS]
    keys = [k for k in wanted if any(row.get(k) is not None for _, row in rows)]
    return metric_table("group", rows, keys)


def metric_table(corner: str, rows: list[tuple[str, dict]], keys: list[str]) -> str:
    """Rows of metrics as Markdown: a name and its pair count, then each metric to 2 places."""
    header = f"| {corner} | pairs | " + " | ".join(METRIC_LABELS[k] for k in keys) + " |"
    lines = [header, "|" + "---|" * (len(keys) + 2)]
    for name, row in rows:
        cells = ["-" if row[k] is None else f"{row[k]:.2f}" for k in keys]
        lines.append(f"| {name} | {row['pairs']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparison_text(before: dict, after: dict, comparison: Comparison, width: int = 160) -> str:
    """The reader's figures of both runs, how many answers read the same, then each change."""
    rows = [("before", before["total"]), ("after", after["total"])]
    keys = [k for k in READER_METRICS if all(row.get(k) is not None for _, row in rows)]
    lines = [metric_table("run", rows, keys), ""]
    paces = [report.get("pace") for report in (before, after)]
    if all(paces):
        read, wrote = (" / ".join(f"{p[k]:.1f}" for p in paces) for k in ("prefill", "decode"))
        lines.append(
            f"The model read {read} and wrote {wrote} tokens/s (before / after): sources and "
            "translations are sized to that pace, so a different pace can change answers."
        )
    lines.append(
        f"{comparison.same} of {comparison.pairs} answers are the same, word for word"
        + (
            f"; {len(comparison.unmatched)} pairs are in one report only."
            if comparison.unmatched
            else "."
        )
    )
    for change in comparison.changed:
        lines += [
            f"\n{change.id}",
            f"  before: {change.before[:width]}",
            f"  after:  {change.after[:width]}",
        ]
    return "\n".join(lines)


def calibration_table(result: dict) -> str:
    """Held-out figures per language, then the gates each fold was scored with."""
    keys = ["right", "non_answers", "refusal", "false_refusal"]
    rows = [*result["fold_out"].items(), ("gates open", result["open"])]
    lines = [metric_table("fold-out", rows, keys)]
    for fold, gates in result["fold_gates"].items():
        lines.append(
            f"\n{fold} scored with gates fitted on the other: answerable >= "
            f"{gates['answerable']:.2f}, quote >= {gates['quote']:.2f}"
        )
    return "\n".join(lines)


def failed_gates(
    report: dict, bounds: dict[str, float | None], per_language: tuple[str, ...] = ()
) -> list[str]:
    """Each metric outside its `min_<metric>` / `max_<metric>` bound, as a readable line.

    Bounds apply to the total, and also to every language for metrics named in `per_language`.
    """
    rows = [("", report["total"])]
    rows += [(f" ({lang})", row) for lang, row in report["by_language"].items()]
    failures = []
    for name, bound in bounds.items():
        if bound is None:
            continue
        kind, key = name.split("_", 1)
        for where, row in rows:
            if where and key not in per_language:
                continue
            value = row.get(key)
            if kind == "min" and (value is None or value < bound):
                shown = "None" if value is None else f"{value:.3f}"
                failures.append(f"{METRIC_LABELS[key]}{where} {shown} is below {bound}")
            elif kind == "max" and value is not None and value > bound:
                failures.append(f"{METRIC_LABELS[key]}{where} {value:.3f} is above {bound}")
    return failures


def eval_chart(report: dict, path: Path) -> bool:
    """Metrics per language, and the latency distribution, as one PNG; False without charts."""
    plt = pyplot()
    if plt is None:
        return False

    metrics = [
        "hit",
        "mrr",
        "cited",
        "citation_precision",
        "facts",
        "in_language",
        "saw_source",
        "refusal",
        "false_refusal",
    ]
    languages = list(report["by_language"])
    fig, (bars, hist) = plt.subplots(1, 2, figsize=(13, 4.5))
    width = 0.8 / max(len(languages), 1)
    for i, lang in enumerate(languages):
        row = report["by_language"][lang]
        values = [row.get(m) or 0.0 for m in metrics]
        bars.bar(np.arange(len(metrics)) + i * width, values, width, label=lang)
    bars.set_xticks(np.arange(len(metrics)) + width * (len(languages) - 1) / 2)
    bars.set_xticklabels([METRIC_LABELS[m] for m in metrics], rotation=30, ha="right")
    bars.set_ylim(0, 1.05)
    bars.set_title(f"Metrics per language (k={report['k']}, {report['retriever']})")
    bars.legend()
    hist.hist([p["seconds"] for p in report["pairs"]], bins=15, color="#4477aa")
    hist.set_title("Latency per question (s)")
    hist.set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def bench_table(report: dict) -> str:
    """Markdown: one row per system and corpus, then ratios to the baseline."""
    head = (
        "| corpus | system | chunks | chunks/s | tokens/s | peak MB | retrieval p50 ms | "
        "p95 ms | TTFT p50 s | total p50 s | failed answers |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [head]
    for r in report["runs"]:
        rows.append(
            f"| {r['corpus']} | {r['system']} | {r['chunks']:,} | {r['chunks_per_s']:.1f} | "
            f"{r['tokens_per_s']:.0f} | {r['peak_mb']:.0f} | {r['retrieval_p50_ms']:.1f} | "
            f"{r['retrieval_p95_ms']:.1f} | {_num(r['ttft_p50_s'])} | {_num(r['total_p50_s'])} | "
            f"{len(r['extra'].get('answer_failures', []))} |"
        )
    rows.append(
        "\nOurs / baseline:\n\n| corpus | chunks/s | tokens/s | retrieval p50 | TTFT | total |"
    )
    rows.append("|---|---|---|---|---|---|")
    for corpus, x in report["ratios"].items():
        rows.append(
            f"| {corpus} | {_num(x['chunks_per_s'])} | {_num(x['tokens_per_s'])} | "
            f"{_num(x['retrieval_p50'])} | {_num(x['ttft_p50'])} | {_num(x['total_p50'])} |"
        )
    if report.get("models"):
        rows.append(
            "\nEmbedded models (seeds, end to end; seconds):\n\n| model | answers | first token "
            "p50 / p95 | first shown sentence p50 / p95 | total p50 / p95 | peak RSS MB |"
        )
        rows.append("|---|---|---|---|---|---|")
        for m in report["models"]:
            rows.append(
                f"| {m['model']} | {m['answers']} | {m['ttft_p50_s']:.2f} / {m['ttft_p95_s']:.2f} "
                f"| {m['first_sentence_p50_s']:.2f} / {m['first_sentence_p95_s']:.2f} | "
                f"{m['total_p50_s']:.2f} / {m['total_p95_s']:.2f} | {m['peak_rss_mb']:.0f} |"
            )
    return "\n".join(rows)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def bench_chart(report: dict, path: Path) -> bool:
    """Retrieval p50 and TTFT against corpus size, ours next to the baseline."""
    plt = pyplot()
    if plt is None:
        return False

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for system in ("newsbot", "baseline"):
        runs = [r for r in report["runs"] if r["system"] == system]
        sizes = [r["chunks"] for r in runs]
        axes[0].plot(sizes, [r["retrieval_p50_ms"] for r in runs], marker="o", label=system)
        ttft = [(r["chunks"], r["ttft_p50_s"]) for r in runs if r["ttft_p50_s"] is not None]
        if ttft:
            axes[1].plot(*zip(*ttft, strict=True), marker="o", label=system)
    for ax, title in zip(axes, ("retrieval p50 (ms)", "time to first token p50 (s)"), strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("chunks in the store")
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
