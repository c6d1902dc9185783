"""`bot bench` smoke check at seed and 1k sizes: it runs and reports; no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.bench.benchmark import synthetic_corpus
from bot.cli.main import cli
from bot.documents.loading import load_corpus

from ..conftest import SEEDS

pytestmark = pytest.mark.slow


def test_synthetic_copies_differ_from_each_other_and_the_seeds(tmp_path: Path) -> None:
    out = synthetic_corpus(SEEDS, target_chunks=160, chunks_per_copy=80, out=tmp_path / "c")
    docs = load_corpus(out, 10_000_000).documents
    assert len(docs) == 8 and len({d.text for d in docs}) == 8
    seed_texts = {d.text for d in load_corpus(SEEDS, 10_000_000).documents}
    assert not seed_texts & {d.text for d in docs}


def test_bench_smoke_at_seed_and_1k_sizes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BOT_MAX_TOKENS", "32")
    monkeypatch.setenv("BOT_LOCAL_MODEL", "smollm2-135m")  # mechanics only: the fast model
    monkeypatch.setenv("BOT_CORPUS_DIR", str(SEEDS))
    out = tmp_path / "bench"
    result = CliRunner().invoke(
        cli,
        [
            *("bench", "--sizes", "seeds,1k", "--answers", "1"),
            *("--models", "smollm2-135m", "--out", str(out)),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "bench.json").read_text("utf-8"))
    runs = {(r["system"], r["corpus"]): r for r in report["runs"]}
    assert set(runs) == {(s, c) for s in ("newsbot", "baseline") for c in ("seeds", "1k")}
    assert 800 < runs["newsbot", "1k"]["chunks"] < 1_300
    for run in runs.values():
        assert run["retrieval_p50_ms"] > 0 and run["ttft_p50_s"], run
    assert set(report["ratios"]) == {"seeds", "1k"}
    assert "| 1k | newsbot |" in result.output and (out / "bench.png").stat().st_size > 10_000
    (model,) = report["models"]
    assert model["model"].startswith("SmolLM2") and model["answers"] == 1
    assert 0 < model["ttft_p50_s"] <= model["total_p50_s"] and model["peak_rss_mb"] > 100
    assert "| SmolLM2-135M-Instruct Q4_1 | 1 |" in result.output
