"""`bot bench`: this project next to the LangChain tutorial setup, built in the same process.

At seed size both systems embed with the real multilingual-e5-small. The 10k and 100k
corpora are perturbed copies of the seeds; embedding them with e5 would take hours on
2 cores and measure e5 twice, so at those sizes both systems embed passages with the same
cheap hashing embedder (e5 still embeds every query) and the numbers measure what grows
with the corpus: chunking, the store, the indexes and our own code.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnablePassthrough
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.api import Bot
from bot.chunking import count_tokens
from bot.config import Settings
from bot.embeddings import E5Embeddings, HashingEmbeddings
from bot.errors import BotError
from bot.ingest import ingest
from bot.model_catalog import LOCAL_MODELS
from bot.prompts import load_prompt
from bot.reports import nearest_rank

SIZES = {"seeds": 0, "10k": 10_000, "100k": 100_000}
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
                *_p50_p95(ttft),
                *_p50_p95(shown),
                *_p50_p95(total),
                round(memory.peak, 1),
                failures,
            )
        )
    return runs


def _p50_p95(values: list[float]) -> tuple[float, float]:
    """Nearest-rank median and 95th percentile, rounded; zeros when nothing was measured."""
    if not values:
        return 0.0, 0.0
    return round(nearest_rank(values, 50), 2), round(nearest_rank(values, 95), 2)


class PeakMemory:
    """Resident memory sampled every 20 ms; the peak above the start of a phase."""

    def __init__(self) -> None:
        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())

    @property
    def grown_mb(self) -> float:
        """Peak resident memory above the phase's start."""
        return self.peak - self.start


def _rss_mb() -> float:
    """This process's resident set size, from /proc (Linux) or the high-water mark."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def baseline_chain(llm: Runnable, store: Chroma) -> Runnable:
    """The tutorial's chain: plain top-4 similarity, every chunk pasted into one prompt."""
    retriever = store.as_retriever(search_kwargs={"k": 4})
    prompt = ChatPromptTemplate.from_template(load_prompt("baseline"))
    return (
        {"context": retriever | _join_docs, "question": RunnablePassthrough()}
        | prompt
        | llm
        | StrOutputParser()
    )


def _join_docs(docs: list[Document]) -> str:
    return "\n\n".join(d.page_content for d in docs)


def baseline_ingest(corpus: Path, embeddings: Embeddings, directory: Path) -> tuple[Chroma, int]:
    """RecursiveCharacterTextSplitter(1000, 200) and one Chroma.from_documents, as taught."""
    docs = [
        Document(page_content=p.read_text("utf-8", errors="replace"), metadata={"source": p.name})
        for p in sorted(corpus.iterdir())
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(
        docs
    )
    store = Chroma.from_documents(
        splits, embedding=embeddings, persist_directory=str(directory), collection_name="baseline"
    )
    return store, sum(count_tokens(d.page_content) for d in splits)


def time_each(questions: list[str], call: Callable[[str], object]) -> tuple[float, list[float]]:
    """The first call's seconds (it builds indexes), then seconds per call."""
    started = time.perf_counter()
    call(questions[0])
    first = time.perf_counter() - started
    out = []
    for q in questions:
        started = time.perf_counter()
        call(q)
        out.append(time.perf_counter() - started)
    return first, out


def stream_timings(pieces: Callable[[str], Iterator], question: str) -> tuple[float, float]:
    """(time to first non-empty text piece, total) for one streamed answer."""
    started = time.perf_counter()
    first = None
    for piece in pieces(question):
        if first is None and isinstance(piece, str) and piece.strip():
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    return (first if first is not None else total), total


@contextmanager
def _timed() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


def bench_size(
    settings: Settings,
    corpus: Path,
    label: str,
    workdir: Path,
    embeddings: Embeddings,
    questions: list[str],
    answer_questions: list[str],
) -> list[Run]:
    """Ours and the baseline on one corpus: ingest, retrieval, and streamed answers."""
    ours = settings.model_copy(
        update={"vectorstore_dir": workdir / f"ours-{label}", "corpus_dir": corpus}
    )
    with PeakMemory() as memory, _timed() as took:
        report = ingest(ours, corpus, progress=False, embeddings=embeddings)
    bot = Bot(ours, embeddings=embeddings)
    ours_run = Run(
        "newsbot", label, report.chunks, took[0], report.added / took[0],
        report.tokens / took[0], memory.grown_mb, 0.0, 0.0,
    )  # fmt: skip
    with PeakMemory() as memory, _timed() as took:
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
    if answer_questions:
        chain = baseline_chain(bot.chat_model, store)
        for run, pieces in ((ours_run, bot.ask_stream), (base_run, chain.stream)):
            timings, failures = [], []
            for q in answer_questions:
                try:
                    timings.append(stream_timings(pieces, q))
                except Exception as exc:  # e.g. the baseline's prompt overflowing the context
                    failures.append(f"{q[:40]}: {str(exc)[:120]}")
            run.extra["answer_failures"] = failures
            if timings:
                run.ttft_p50_s = statistics.median(t for t, _ in timings)
                run.total_p50_s = statistics.median(t for _, t in timings)
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
    e5 = E5Embeddings()
    runs: list[Run] = []
    chunks_per_copy = 0.0
    for size in sizes:
        progress(f"{size}: ingest, retrieval, answers")
        if SIZES[size] == 0:
            corpus, embeddings, scale = settings.corpus_dir, e5, settings
        else:
            corpus = synthetic_corpus(
                settings.corpus_dir, SIZES[size], chunks_per_copy, workdir / f"corpus-{size}"
            )
            embeddings = HashingEmbeddings(e5)
            scale = settings.model_copy(update={"min_relevance": -1.0})  # always reach the model
        measured = bench_size(
            scale, corpus, size, workdir, embeddings, questions, questions[:answers]
        )
        if SIZES[size] == 0:
            chunks_per_copy = float(measured[0].chunks)
        runs.extend(measured)
    model_runs = []
    if models and answers:
        progress(f"embedded models: {', '.join(models)}")
        seeds = settings.model_copy(update={"vectorstore_dir": workdir / "ours-seeds"})
        model_runs = bench_models(seeds, questions[:answers], list(models))
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
