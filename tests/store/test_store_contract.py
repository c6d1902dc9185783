"""The VectorStore contract: one suite every store inherits (as Haystack's document-store tests
do). A new store passes it by subclassing `StoreContract` with a `store` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.core.article import ArticleMeta
from bot.documents.chunking import Chunk, chunk_id
from bot.store.chroma_store import open_store
from bot.store.embeddings import HashingEmbeddings, unit
from bot.store.protocol import VectorStore

from ..conftest import make_settings
from ..fakes import MemoryStore

TEXTS = {
    "moon.txt": ["Orbital Bakery sells croissants on the Moon.", "A second store opens in 2032."],
    "mars.txt": ["A Martian farm grows potatoes under domes."],
}


def _chunks() -> list[Chunk]:
    """Three chunks of two files."""
    return [
        Chunk(chunk_id(article, text), text, article, "en", 9)
        for source, texts in TEXTS.items()
        for article in [ArticleMeta(source, source.upper(), "en")]
        for text in texts
    ]


class StoreContract:
    """What ingest and retrieval rely on, whatever the engine."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[VectorStore]:
        raise NotImplementedError

    @pytest.fixture
    def filled(self, store: VectorStore) -> VectorStore:
        chunks = _chunks()
        store.write(chunks, store.embed(chunks))
        return store

    def test_an_empty_store_has_nothing(self, store: VectorStore) -> None:
        assert store.count() == 0 and store.ids_by_source() == {}
        assert list(store.iter_chunks()) == []

    def test_written_chunks_come_back_grouped_by_file(self, filled: VectorStore) -> None:
        assert filled.count() == 3
        by_source = filled.ids_by_source()
        assert {s: len(ids) for s, ids in by_source.items()} == {"moon.txt": 2, "mars.txt": 1}
        records = list(filled.iter_chunks(with_vectors=True))
        assert {r.text for r in records} == {t for texts in TEXTS.values() for t in texts}
        assert all(abs(float(np.linalg.norm(r.vector)) - 1.0) < 1e-4 for r in records)
        assert {r.article.source for r in records} == set(TEXTS)

    def test_writing_again_never_duplicates(self, filled: VectorStore) -> None:
        chunks = _chunks()
        filled.write(chunks, filled.embed(chunks))
        assert filled.count() == 3

    def test_nearest_is_closest_first_and_fetch_scores_named_chunks(
        self, filled: VectorStore
    ) -> None:
        query = np.asarray(filled.embed_query("croissants on the Moon"), dtype=np.float32)
        hits = filled.nearest(query, 2)
        assert len(hits) == 2 and hits[0].text == TEXTS["moon.txt"][0]
        assert hits[0].score >= hits[1].score
        named = filled.fetch([hits[1].id, "no-such-id"], query)
        assert [h.id for h in named] == [hits[1].id]
        assert named[0].score == pytest.approx(hits[1].score, abs=1e-4)

    def test_delete_removes_only_the_named_chunks(self, filled: VectorStore) -> None:
        mars = filled.ids_by_source()["mars.txt"]
        filled.delete(sorted(mars))
        filled.delete([])
        assert filled.count() == 2 and set(filled.ids_by_source()) == {"moon.txt"}

    def test_sentences_come_back_by_chunk_as_the_embedder_gives_them(
        self, store: VectorStore
    ) -> None:
        article = ArticleMeta("phobos.txt", "PHOBOS", "en")
        text = "Mars has two moons. Phobos is the larger one."
        two = Chunk(chunk_id(article, text), text, article, "en", 11)
        chunks = [*_chunks(), two]
        store.write_sentences(chunks)
        store.write(chunks, store.embed(chunks))
        got = store.sentence_vectors([two.id, "no-such-id"])
        sentences = ["Mars has two moons.", "Phobos is the larger one."]
        assert list(got) == sentences
        expected = unit(HashingEmbeddings().embed_documents(sentences))
        assert np.allclose(np.stack(list(got.values())), expected, atol=1e-5)
        assert store.sentence_vectors([]) == {}

    def test_a_deleted_chunk_takes_its_sentences_and_an_older_one_has_none(
        self, store: VectorStore
    ) -> None:
        chunks = _chunks()
        assert store.unsentenced() == set()
        store.write(chunks[2:], store.embed(chunks[2:]))
        assert store.unsentenced() == {chunks[2].id}  # as an older release stored it
        store.write_sentences(chunks[:2])
        store.write(chunks[:2], store.embed(chunks[:2]))
        assert store.unsentenced() == {chunks[2].id}  # a backfill cut short: still missing
        moon = [c.id for c in chunks[:2]]
        assert set(store.sentence_vectors(moon)) == set(TEXTS["moon.txt"])
        assert store.sentence_vectors([chunks[2].id]) == {}  # written without them
        store.write_sentences(chunks[2:])
        assert store.unsentenced() == set() == store.unsentenced()
        store.delete([moon[0]])
        assert list(store.sentence_vectors(moon)) == [TEXTS["moon.txt"][1]]
        assert store.unsentenced() == set()

    def test_the_version_changes_with_every_write_and_only_then(self, store: VectorStore) -> None:
        empty = store.version()
        assert store.version() == empty
        chunks = _chunks()
        store.write(chunks, store.embed(chunks))
        written = store.version()
        store.delete([chunks[0].id])
        assert len({empty, written, store.version()}) == 3


class TestMemoryStore(StoreContract):
    """The dict-backed store the tests of our own logic use."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[VectorStore]:
        yield MemoryStore(HashingEmbeddings())


class TestChromaStore(StoreContract):
    """Chroma on a local folder, as `bot ingest` opens it."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[VectorStore]:
        settings = make_settings(tmp_path)
        yield open_store(settings, HashingEmbeddings(), create=True)


@pytest.mark.slow
class TestChromaServerStore(StoreContract):
    """Chroma through a real `chroma run` server (BOT_CHROMA_URL)."""

    @pytest.fixture
    def store(self, tmp_path: Path, chroma_url: str) -> Iterator[VectorStore]:
        settings = make_settings(tmp_path, chroma_url=chroma_url, collection=f"c-{tmp_path.name}")
        yield open_store(settings, HashingEmbeddings(), create=True)
