"""`bot bench`: this project next to the LangChain tutorial setup, built in the same process.

At seed size both systems embed with the real multilingual-e5-small. The 1k, 10k and 100k
corpora are perturbed copies of the seeds; embedding them with e5 would take hours on
2 cores and measure e5 twice, so at those sizes both systems embed passages with the same
cheap hashing embedder (e5 still embeds every query) and the numbers measure what grows
with the corpus: chunking, the store, the indexes and our own code.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.api import Bot
from bot.bench.baseline import baseline_chain, baseline_ingest, tutorial_model
from bot.bench.measuring import PeakMemory, stream_timings, time_each, timed
from bot.bench.model_bench import bench_models
from bot.core.config import Settings
from bot.core.stats import nearest_rank
from bot.ingest.pipeline import ingest
from bot.store.embeddings import E5Embeddings, HashingEmbeddings

SIZES = {"seeds": 0, "1k": 1_000, "10k": 10_000, "100k": 100_000}
_NUMBER = re.compile(r"\d+")


@dataclass
class Run:
    """One system measured on one corpus."""

    system: str
    corpus: str
    chunks: int
    ingest_seconds: float
    chunks_per_s: float
    tokens_per_s: float
    peak_mb: float
    retrieval_p50_ms: float
    retrieval_p95_ms: float
    ttft_p50_s: float | None = None
    total_p50_s: float | None = None
    extra: dict = field(default_factory=dict)


def synthetic_corpus(seeds: Path, target_chunks: int, chunks_per_copy: float, out: Path) -> Path:
    """Perturbed copies of the seeds: numbers shifted and sentences shuffled, never identical."""
    out.mkdir(parents=True, exist_ok=True)
    originals = sorted(p for p in seeds.iterdir() if p.is_file())
    copies = max(1, round(target_chunks / chunks_per_copy))
    rng = random.Random(7)
    for i in range(copies):
        for path in originals:
            lines = path.read_text("utf-8").split("\n")
            body = lines[1:]
            rng.shuffle(body)
            text = "\n".join([f"{lines[0]} ({i})", *body])
            text = _NUMBER.sub(lambda m, i=i: str(int(m.group()) + i), text)
            (out / f"{i:06d}_{path.name}").write_text(text, "utf-8")
    return out


def bench_size(
    settings: Settings,
    corpus: Path,
    label: str,
    workdir: Path,
    embeddings: Embeddings,
    asking: Embeddings,
    questions: list[str],
    answer_questions: list[str],
) -> list[Run]:
    """Ours and the baseline on one corpus: ingest, retrieval, and streamed answers; the
    same vectors, made on every core to ingest and on BOT_EMBED_THREADS (`asking`) for
    our answers, as `bot ingest` and the Bot make them."""
    ours = settings.model_copy(
        update={"vectorstore_dir": workdir / f"ours-{label}", "corpus_dir": corpus}
    )
    with PeakMemory() as memory, timed() as took:
        report = ingest(ours, corpus, progress=False, embeddings=embeddings)
    bot = Bot(ours, embeddings=asking)
    ours_run = Run(
        "newsbot", label, report.chunks, took[0], report.added / took[0],
        report.tokens / took[0], memory.grown_mb, 0.0, 0.0,
    )  # fmt: skip
    with PeakMemory() as memory, timed() as took:
        store, tokens = baseline_ingest(corpus, embeddings, workdir / f"baseline-{label}")
    chunks = len(store.get(include=[])["ids"])
    base_run = Run(
        "baseline", label, chunks, took[0], chunks / took[0], tokens / took[0],
        memory.grown_mb, 0.0, 0.0,
    )  # fmt: skip
    for run, search in (
        (ours_run, lambda q: bot.retrieve(q)),
        (base_run, lambda q: store.similarity_search(q, k=4)),
    ):
        first, seconds = time_each(questions, search)
        ms = [s * 1000 for s in seconds]
        run.extra["first_query_s"] = round(first, 3)
        run.retrieval_p50_ms, run.retrieval_p95_ms = nearest_rank(ms, 50), nearest_rank(ms, 95)
    if answer_questions and (endpoint := bot.endpoint):
        chain = baseline_chain(tutorial_model(settings, endpoint), store)
        for run, pieces in ((ours_run, bot.ask_stream), (base_run, chain.stream)):
            timings, failures = [], []
            for q in answer_questions:
                try:
                    timings.append(stream_timings(pieces, q))
                except Exception as exc:  # e.g. the baseline's prompt overflowing the context
                    failures.append(f"{q[:40]}: {str(exc)[:120]}")
            run.extra["answer_failures"] = failures
            if timings:
                run.ttft_p50_s = nearest_rank([t for t, _ in timings], 50)
                run.total_p50_s = nearest_rank([t for _, t in timings], 50)
    return [ours_run, base_run]


def run_bench(
    settings: Settings,
    sizes: list[str],
    workdir: Path,
    questions: list[str],
    answers: int,
    progress: Callable[[str], None] = lambda _: None,
    models: list[str] = (),
) -> dict:
    """Every requested size; the seed size fixes chunks per copy for the synthetic ones."""
    e5, answering = E5Embeddings(), E5Embeddings(settings.embed_threads)
    runs: list[Run] = []
    chunks_per_copy = 0.0
    for size in sizes:
        progress(f"{size}: ingest, retrieval, answers")
        if SIZES[size] == 0:
            corpus, embeddings, asking, scale = settings.corpus_dir, e5, answering, settings
        else:
            corpus = synthetic_corpus(
                settings.corpus_dir, SIZES[size], chunks_per_copy, workdir / f"corpus-{size}"
            )
            embeddings, asking = HashingEmbeddings(e5), HashingEmbeddings(answering)
            scale = settings.model_copy(update={"min_relevance": -1.0})  # always reach the model
        measured = bench_size(
            scale, corpus, size, workdir, embeddings, asking, questions, questions[:answers]
        )
        if SIZES[size] == 0:
            chunks_per_copy = float(measured[0].chunks)
        runs.extend(measured)
    model_runs = []
    if models and answers:
        progress(f"embedded models: {', '.join(models)}")
        seeds = settings.model_copy(update={"vectorstore_dir": workdir / "ours-seeds"})
        # Questions the sizes did not ask: the embedded server keeps recent prompts, and a
        # repeated one skips its prefill (first token 0.18 s instead of 3.7 s).
        unasked = questions[answers : 2 * answers] or questions[:answers]
        model_runs = bench_models(seeds, unasked, list(models))
    return {
        "runs": [asdict(r) for r in runs],
        "ratios": ratios(runs),
        "models": [asdict(m) for m in model_runs],
    }


def ratios(runs: list[Run]) -> dict[str, dict[str, float | None]]:
    """Ours divided by the baseline per corpus (higher is better for throughput only)."""
    out: dict[str, dict[str, float | None]] = {}
    for ours in (r for r in runs if r.system == "newsbot"):
        base = next(r for r in runs if r.system == "baseline" and r.corpus == ours.corpus)
        out[ours.corpus] = {
            "chunks_per_s": _ratio(ours.chunks_per_s, base.chunks_per_s),
            "tokens_per_s": _ratio(ours.tokens_per_s, base.tokens_per_s),
            "retrieval_p50": _ratio(ours.retrieval_p50_ms, base.retrieval_p50_ms),
            "ttft_p50": _ratio(ours.ttft_p50_s, base.ttft_p50_s),
            "total_p50": _ratio(ours.total_p50_s, base.total_p50_s),
        }
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None
