"""Test doubles for the parts a Bot is given: scripted chat models, a model that must not be
called, the hashing embedder and an in-memory store.

Tests that use them pin our own logic (verification, refusal, prompt assembly, streaming,
ingest bookkeeping); they say so in their module docstring. Everything else runs against
real parts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from bot.answer.prompts import load_prompt
from bot.core.text import passage_sentences
from bot.documents.chunking import Chunk
from bot.store.embeddings import HashingEmbeddings, unit
from bot.store.protocol import Hit, Passage, Record, scored

__all__ = [
    "EndingModel",
    "ExplodingModel",
    "HashingEmbeddings",
    "MemoryStore",
    "StallingModel",
    "scripted_model",
    "streamed_model",
]


def asks_to_read(messages) -> bool:
    """The second reading of the sources (`read_sources`), asked before the answer."""
    return str(messages[-1].content).endswith(load_prompt("read"))


def _reading_chunk(reading: str) -> ChatGenerationChunk:
    return ChatGenerationChunk(message=AIMessageChunk(content=reading))


class ScriptedModel(FakeListChatModel):
    """Replies in order; a judge's yes/no question (asked with log-probabilities) gets
    `verdict` instead, and the second reading of the sources gets `reading` ("": none came
    back, so the answer goes unchecked), or `guess` when NONE is barred; none of them uses up
    a reply."""

    verdict: str = "yes"
    reading: str = ""
    guess: str = ""
    asked: list[str] = Field(default_factory=list)
    """The last message of each request a reply was used up on, as the model read it."""

    def _call(self, messages, *args, **kwargs):
        if kwargs.get("logprobs"):
            return self.verdict
        self.asked.append(str(messages[-1].content))
        return super()._call(messages, *args, **kwargs)

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        if asks_to_read(messages):
            yield _reading_chunk(self.guess if kwargs.get("logit_bias") else self.reading)
            return
        self.asked.append(str(messages[-1].content))
        yield from super()._stream(messages, stop, run_manager, **kwargs)


class StreamedModel(GenericFakeChatModel):
    """One reply streamed in the pieces it was given; a judge's question gets `verdict`, the
    second reading of the sources nothing (the answer goes unchecked)."""

    verdict: str = "yes"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        if kwargs.get("logprobs"):
            return ChatResult(generations=[ChatGeneration(message=AIMessage(self.verdict))])
        return super()._generate(messages, stop, run_manager, **kwargs)

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        if asks_to_read(messages):
            yield _reading_chunk("")
            return
        yield from super()._stream(messages, stop, run_manager, **kwargs)


class EndingModel(GenericFakeChatModel):
    """Streams each reply whole, then an empty last chunk that says why it ended, as an
    OpenAI-compatible stream does (its `finish_reason`). The second reading of the sources
    gets nothing back, unless `reads`: then it is the next reply too."""

    reads: bool = False

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        if asks_to_read(messages) and not self.reads:
            yield _reading_chunk("")
            return
        message = next(self.messages)
        yield ChatGenerationChunk(message=AIMessageChunk(content=message.content))
        ended = AIMessageChunk(content="", response_metadata=message.response_metadata)
        yield ChatGenerationChunk(message=ended)


class StallingModel(GenericFakeChatModel):
    """Streams `pieces`, then stalls before the last one until `release` is set (or
    `stall` seconds pass), as a server on a busy host can; the second reading of the sources
    gets nothing, or, with `stalls_reading`, its first word and then the same stall (then
    `read`): a server that sends nothing at all is a timeout, not a slow host.
    `closed` turns true when the answer's stream is closed, as an HTTP response's is."""

    messages: Iterator[AIMessage] = iter(())
    pieces: list[str]
    stall: float = 30.0
    stalls_reading: bool = False
    release: Any = Field(default_factory=threading.Event)
    closed: bool = False
    read: bool = False
    """The stalled reading came back."""

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        if asks_to_read(messages):
            if self.stalls_reading:  # a first word, then the rest held up
                yield _reading_chunk("97,4")
                self.release.wait(self.stall)
                self.read = True
            yield _reading_chunk("")
            return
        try:
            for piece in self.pieces[:-1]:
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
            self.release.wait(self.stall)
            yield ChatGenerationChunk(message=AIMessageChunk(content=self.pieces[-1]))
        finally:
            self.closed = True


def scripted_model(
    *replies: str, verdict: str = "yes", reading: str = "", guess: str = ""
) -> ScriptedModel:
    """A chat model that answers with `replies`, one per call, in order; judges say `verdict`
    and the second reading of the sources copies out `reading` (`guess` when barred from
    saying none)."""
    return ScriptedModel(responses=list(replies), verdict=verdict, reading=reading, guess=guess)


def streamed_model(*pieces: str) -> StreamedModel:
    """A chat model that streams one reply in exactly these pieces; judges say yes."""
    return StreamedModel(messages=iter([AIMessage(content="".join(pieces))]))


class ExplodingModel(FakeListChatModel):
    """A chat model that fails the test if anything calls it."""

    def _call(self, *args, **kwargs):
        raise AssertionError("the model must not be called")

    async def _acall(self, *args, **kwargs):
        raise AssertionError("the model must not be called")


class CountingEmbeddings(Embeddings):
    """Another embedder, keeping every passage it was asked to embed."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.passages: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.passages += texts
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class MemoryStore:
    """The VectorStore protocol in a dict: what Chroma does, without a database."""

    def __init__(self, embeddings: Embeddings | None = None) -> None:
        self.embeddings = embeddings or HashingEmbeddings()
        self.rows: dict[str, Record] = {}
        self.sentences: dict[str, dict[str, np.ndarray]] = {}
        self.writes = 0

    def count(self) -> int:
        return len(self.rows)

    def version(self) -> str:
        return str(self.writes)

    def iter_chunks(self, with_vectors: bool = False) -> Iterator[Record]:
        for row in self.rows.values():
            yield row if with_vectors else Record(row.id, row.text, row.article, row.language)

    def ids_by_source(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in self.rows.values():
            out.setdefault(row.article.source, set()).add(row.id)
        return out

    def nearest(self, query: np.ndarray, n: int) -> list[Hit]:
        return sorted(scored(self.rows.values(), query), key=lambda h: -h.score)[: max(n, 0)]

    def fetch(self, ids: list[str], query: np.ndarray) -> list[Hit]:
        return scored([self.rows[i] for i in ids if i in self.rows], query)

    def embed_query(self, question: str) -> list[float]:
        return self.embeddings.embed_query(question)

    def embed(self, chunks: list[Chunk]) -> list[list[float]]:
        return self.embeddings.embed_documents([c.embedding_text for c in chunks])

    def write(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        for chunk, vector in zip(chunks, vectors, strict=True):
            self.rows[chunk.id] = Record(
                chunk.id, chunk.text, chunk.article, chunk.language, unit(vector)
            )
        self.writes += 1

    def write_sentences(self, chunks: Sequence[Passage]) -> None:
        for chunk in chunks:
            texts = passage_sentences(chunk.text)
            vectors = unit(self.embeddings.embed_documents(texts))
            self.sentences[chunk.id] = dict(zip(texts, vectors, strict=True))

    def unsentenced(self) -> set[str]:
        return set(self.rows) - set(self.sentences)

    def sentence_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        return {text: v for i in ids for text, v in self.sentences.get(i, {}).items()}

    def delete(self, ids: list[str]) -> None:
        for chunk_id in ids:
            self.rows.pop(chunk_id, None)
            self.sentences.pop(chunk_id, None)
        self.writes += 1
