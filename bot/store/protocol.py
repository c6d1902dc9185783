"""The store protocol: the few operations ingest, retrieval and answering need from a vector
store.

Chroma (`chroma_store.py`) is the one engine; another is a module whose class has these
methods, chosen in `Bot(store=...)` and `ingest(store=...)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from bot.core.article import ArticleMeta
from bot.core.results import Citation
from bot.core.text import snippet
from bot.documents.chunking import Chunk
from bot.store.embeddings import unit


@dataclass
class Hit:
    """A stored chunk with its unit vector and cosine similarity to the query."""

    id: str
    text: str
    article: ArticleMeta
    language: str
    vector: np.ndarray
    score: float
    relevance: float | None = None
    """The score moved by the question's language gap to the chunk (set by retrieval)."""

    def citation(self) -> Citation:
        """The chunk as the public Citation type."""
        article = self.article
        return Citation(
            source=article.source,
            title=article.title,
            snippet=snippet(self.text),
            score=round(self.score, 4),
            relevance=None if self.relevance is None else round(self.relevance, 4),
            chunk_id=self.id,
            text=self.text,
            url=article.url,
            language=self.language,
            published=article.date,
            outlet=article.outlet,
            author=article.author,
            republisher=article.republisher,
        )


@dataclass(frozen=True)
class Record:
    """One stored chunk: its text, its article, its language; `vector` only when asked for."""

    id: str
    text: str
    article: ArticleMeta
    language: str
    vector: np.ndarray | None = None


class Passage(Protocol):
    """A chunk's id and text, all its sentences need: a chunk read from its file, or one
    read back from the store (its file no longer reads)."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...


def scored(records: Iterable[Record], query: np.ndarray) -> list[Hit]:
    """Records with vectors as Hits, scored by cosine similarity to the query."""
    q = unit(query)
    hits = []
    for record in records:
        vector = unit(record.vector)
        score = float(vector @ q)
        hits.append(Hit(record.id, record.text, record.article, record.language, vector, score))
    return hits


class VectorStore(Protocol):
    """Chunks with their vectors, and their sentences': written by ingest, searched by retrieval,
    read by answering."""

    def count(self) -> int:
        """Number of chunks stored."""
        ...

    def version(self) -> str:
        """A stamp that changes whenever the stored chunks do, whoever wrote them."""
        ...

    def iter_chunks(self, with_vectors: bool = False) -> Iterator[Record]:
        """Every stored chunk, with its unit vector when asked."""
        ...

    def ids_by_source(self) -> dict[str, set[str]]:
        """Every stored chunk id, grouped by the file it came from."""
        ...

    def nearest(self, query: np.ndarray, n: int) -> list[Hit]:
        """The `n` chunks closest to the query vector, closest first."""
        ...

    def fetch(self, ids: list[str], query: np.ndarray) -> list[Hit]:
        """Named chunks, scored against the query vector."""
        ...

    def embed_query(self, question: str) -> list[float]:
        """The question's vector, from the embedder that filled the store."""
        ...

    def embed(self, chunks: list[Chunk]) -> list[list[float]]:
        """Chunk vectors from the store's embedder."""
        ...

    def write(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Upsert embedded chunks; a retry never duplicates."""
        ...

    def write_sentences(self, chunks: Sequence[Passage]) -> None:
        """Embed and keep the chunks' sentences (`passage_sentences`), by chunk: answering
        reads their vectors instead of embedding them. Written before the chunks, so a
        stored chunk has its sentences; a retry never duplicates."""
        ...

    def unsentenced(self) -> set[str]:
        """Stored chunk ids without their sentences: none once every chunk has them; some or
        all in a store an older release wrote, or whose ingest stopped before embedding them
        all. Ingest embeds those of the chunks it keeps."""
        ...

    def sentence_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The named chunks' sentences as unit vectors, by sentence; a chunk stored without
        them (by an ingest older than them) has none."""
        ...

    def delete(self, ids: list[str]) -> None:
        """Remove chunks by id, and their sentences."""
        ...
