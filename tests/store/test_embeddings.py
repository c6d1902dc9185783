"""The in-process e5's threads: one while answering, every core to ingest (real engine)."""

from __future__ import annotations

from bot.core.config import usable_cores
from bot.store.embeddings import E5Embeddings


def _threads_after(embeddings: E5Embeddings) -> int:
    """OpenMP's thread count on this thread after an embedding: what the next one takes."""
    embeddings.embed_query("How many people use WeChat?")
    return embeddings._model._lib.omp_get_max_threads()


def test_each_e5_call_takes_its_own_embedders_threads() -> None:
    """The answer's e5 and ingest's share the model and may share a thread (the eval ingests,
    then answers): each call sets its own count, so neither inherits the other's."""
    assert _threads_after(E5Embeddings(threads=1)) == 1
    assert _threads_after(E5Embeddings()) == usable_cores()
    assert _threads_after(E5Embeddings(threads=1)) == 1
    assert E5Embeddings(threads=1).embed_documents(["a"]) == E5Embeddings().embed_documents(["a"])
