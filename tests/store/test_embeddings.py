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


def test_a_question_asked_again_is_not_embedded_again(monkeypatch) -> None:
    """The kept vectors are the real ones, copies a caller may change, and at most
    QUERIES_KEPT of them (the oldest go first)."""
    from bot.store import embeddings as module

    class Counting:
        """The real e5, noting each question it embeds."""

        def __init__(self, model: object) -> None:
            self.model, self.asked = model, []

        def query(self, text: str) -> object:
            self.asked.append(text)
            return self.model.query(text)

    e5 = E5Embeddings(threads=1)
    e5._model = counting = Counting(real := e5._model)
    monkeypatch.setattr(module, "QUERIES_KEPT", 2)
    first = e5.embed_query("Who bought what?")
    first[0] = 99.0
    assert e5.embed_query("Who bought what?") == real.query("Who bought what?").tolist()
    for question in ("Why?", "When?", "Who bought what?"):
        e5.embed_query(question)
    assert counting.asked == ["Who bought what?", "Why?", "When?", "Who bought what?"]
