"""Each embedded chat model answering the same questions on the seeds, end to end: first
token, first verified sentence, total latency and the process's peak memory."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from langchain_core.callbacks import BaseCallbackHandler

from bot.api import Bot
from bot.bench.measuring import PeakMemory, p50_p95
from bot.core.config import Settings
from bot.core.errors import BotError
from bot.core.model_catalog import LOCAL_MODELS


@dataclass
class ModelRun:
    """One embedded chat model answering questions on the seeds, end to end."""

    model: str
    answers: int
    ttft_p50_s: float
    ttft_p95_s: float
    first_sentence_p50_s: float
    first_sentence_p95_s: float
    total_p50_s: float
    total_p95_s: float
    peak_rss_mb: float
    """The whole process's resident memory at its peak: model, embedder, store and app."""
    failures: list[str] = field(default_factory=list)


class _FirstToken(BaseCallbackHandler):
    """Notes when the model's first token arrives, before verification holds it back."""

    def __init__(self) -> None:
        self.at: float | None = None

    def on_llm_new_token(self, token: str, **kwargs: object) -> None:
        if self.at is None and token.strip():
            self.at = time.perf_counter()


def bench_models(settings: Settings, questions: list[str], models: list[str]) -> list[ModelRun]:
    """Each embedded model on the same store and questions: first token, first verified
    sentence and total latency, and peak memory."""
    runs = []
    for name in models:
        bot = Bot(settings.model_copy(update={"local_model": name, "openai_base_url": None}))
        first = _FirstToken()
        bot.chat_model.callbacks = [first]
        ttft, shown, total, failures = [], [], [], []
        with PeakMemory() as memory:
            for question in questions:
                first.at = None
                started = time.perf_counter()
                try:
                    first_piece = None
                    for _ in bot.ask_stream(question):
                        first_piece = first_piece or time.perf_counter()
                except BotError as exc:
                    failures.append(f"{question[:40]}: {exc}")
                    continue
                end = time.perf_counter()
                total.append(end - started)
                ttft.append((first.at or end) - started)
                shown.append((first_piece or end) - started)
        runs.append(
            ModelRun(
                LOCAL_MODELS[name].label,
                len(total),
                *p50_p95(ttft),
                *p50_p95(shown),
                *p50_p95(total),
                round(memory.peak, 1),
                failures,
            )
        )
    return runs
