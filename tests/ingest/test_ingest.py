"""Ingest bookkeeping against a real Chroma store; chunks are embedded with the hashing
embedder (tests/fakes.py), as what is stored, not how well it is found, is under test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.api import Bot
from bot.core.errors import CorpusError, StoreError
from bot.core.text import passage_sentences
from bot.documents.chunking import split_document
from bot.documents.loading import load_corpus
from bot.ingest.pipeline import ingest
from bot.store.chroma_client import write_lock
from bot.store.chroma_store import open_store
from bot.store.embeddings import make_embeddings

from ..conftest import make_settings
from ..fakes import HashingEmbeddings, MemoryStore

HASHING = HashingEmbeddings()


def _stored_sources(settings) -> dict[str, set[str]]:
    return open_store(settings, HASHING).ids_by_source()


def test_ingest_twice_adds_nothing(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False, embeddings=HASHING)
    assert first.files == 3 and first.added == first.chunks > 20
    second = ingest(settings, progress=False, embeddings=HASHING)
    assert (second.added, second.removed, second.chunks) == (0, 0, first.chunks)
    stored = _stored_sources(settings)
    assert sum(len(ids) for ids in stored.values()) == first.chunks
    assert "Ingested 3 files into" in second.summary()


def test_changed_file_replaces_its_chunks_and_deleted_file_goes(tmp_path, corpus) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False, embeddings=HASHING)
    before = _stored_sources(settings)
    changed = corpus / "003_ec62060a0c8869d6.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("97,4 milliards", "98 milliards"),
        encoding="utf-8",
    )
    (corpus / "000_ca31535c36e48615.txt").unlink()
    report = ingest(settings, progress=False, embeddings=HASHING)
    after = _stored_sources(settings)
    assert "000_ca31535c36e48615.txt" not in after
    assert after["002_30bfe6abbca3d24b.txt"] == before["002_30bfe6abbca3d24b.txt"]
    assert after["003_ec62060a0c8869d6.txt"] != before["003_ec62060a0c8869d6.txt"]
    assert report.removed >= len(before["000_ca31535c36e48615.txt"]) + 1
    store = open_store(settings, HASHING)
    texts = " ".join(record.text for record in store.iter_chunks())
    assert "98 milliards" in texts and "97,4 milliards" not in texts


def test_unreadable_file_keeps_its_chunks(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False, embeddings=HASHING)
    target = corpus / "002_30bfe6abbca3d24b.txt"
    target.write_bytes(b"\x00" * 10)  # now binary: skipped, and its old chunks stay
    report = ingest(settings, progress=False, embeddings=HASHING)
    assert report.skipped and report.skipped[0][0] == target.name
    assert target.name in _stored_sources(settings)
    assert "Skipped 1 file: 002_30bfe6abbca3d24b.txt (binary" in report.summary()


def test_a_folder_none_of_whose_files_reads_leaves_the_store_as_it_is(
    tmp_path: Path, corpus: Path
) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False, embeddings=HASHING)
    before = _stored_sources(settings)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "scan.pdf").write_bytes(b"%PDF-1.7\x00\x01")
    with pytest.raises(CorpusError, match=r"could be read, so the store is unchanged: scan\.pdf"):
        ingest(settings, broken, progress=False, embeddings=HASHING)
    assert _stored_sources(settings) == before


def test_empty_or_missing_corpus_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"No \.txt"):
        ingest(make_settings(tmp_path, corpus_dir=tmp_path / "empty"), progress=False)
    with pytest.raises(CorpusError, match="does not exist"):
        ingest(make_settings(tmp_path, corpus_dir=tmp_path / "missing"), progress=False)


def test_store_built_with_another_embedder_says_how_to_rebuild(tmp_path, corpus) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False, embeddings=HASHING)
    other = make_settings(
        tmp_path,
        corpus_dir=corpus,
        embeddings_model="text-embedding-3-small",
        openai_base_url="http://127.0.0.1:9/v1",
    )
    with pytest.raises(StoreError) as caught:
        open_store(other, make_embeddings(other))
    assert "bot ingest --rebuild" in str(caught.value)
    assert "'hashing'" in str(caught.value)


def test_rebuild_swaps_in_a_complete_store(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False, embeddings=HASHING)
    rebuilt = ingest(settings, rebuild=True, progress=False, embeddings=HASHING)
    assert rebuilt.added == first.chunks
    assert sum(len(v) for v in _stored_sources(settings).values()) == first.chunks
    _assert_every_sentence_stored(settings)


def test_ingest_stores_every_chunks_sentences_and_drops_a_gone_files(tmp_path, corpus) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False, embeddings=HASHING)
    _assert_every_sentence_stored(settings)
    gone = _stored_sources(settings)["000_ca31535c36e48615.txt"]
    (corpus / "000_ca31535c36e48615.txt").unlink()
    ingest(settings, progress=False, embeddings=HASHING)
    assert open_store(settings, HASHING).sentence_vectors(sorted(gone)) == {}
    _assert_every_sentence_stored(settings)


@pytest.mark.parametrize(
    ("done", "unread"),
    [(0, False), (5, False), (0, True)],
    ids=["older-release", "backfill-cut-short", "older-release-and-a-file-that-no-longer-reads"],
)
def test_an_older_stores_sentences_are_embedded_by_the_next_ingest(
    tmp_path, corpus, done, unread
) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False, embeddings=HASHING)
    store = open_store(settings, HASHING)
    name = f"{settings.collection}__sentences"
    store.client.delete_collection(name)  # as one left it
    docs = load_corpus(corpus, 10**9).documents
    chunks = [
        c for d in docs for c in split_document(d, settings.chunk_tokens, settings.chunk_overlap)
    ]
    if done:  # an ingest that embedded some, then was killed; else no collection at all
        store.write_sentences(chunks[:done])
    if unread:  # its chunks stay in the store, and get their sentences from there
        (corpus / "002_30bfe6abbca3d24b.txt").write_bytes(b"\x00" * 10)
    again = ingest(settings, progress=False, embeddings=HASHING)
    left = first.chunks - done
    assert (again.added, again.removed, again.sentenced) == (0, 0, left)
    assert f"Embedded the sentences of {left} chunks stored before." in again.summary()
    _assert_every_sentence_stored(settings)
    assert ingest(settings, progress=False, embeddings=HASHING).sentenced == 0
    assert store.client.get_collection(name).metadata["complete"]  # no full read from now on


def _assert_every_sentence_stored(settings) -> None:
    """Each stored chunk's sentences come back from the live store, none missing."""
    store = open_store(settings, HASHING)
    for record in store.iter_chunks():
        assert set(store.sentence_vectors([record.id])) == set(passage_sentences(record.text))


def test_missing_store_names_the_command_that_builds_it(tmp_path: Path) -> None:
    bot = Bot(make_settings(tmp_path))
    with pytest.raises(StoreError, match="run `bot ingest`"):
        bot.retrieve("Who bought what?")


def test_second_writer_is_told_to_wait(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    with write_lock(settings), pytest.raises(StoreError, match="Another `bot ingest`"):
        ingest(settings, progress=False, embeddings=HASHING)
    shutil.rmtree(tmp_path / "vectorstore")


def test_ingest_mirrors_into_any_store_that_keeps_the_protocol(tmp_path, corpus) -> None:
    store = MemoryStore()
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False, store=store)
    assert store.count() == first.chunks and not (tmp_path / "vectorstore").exists()
    (corpus / "000_ca31535c36e48615.txt").unlink()
    again = ingest(settings, progress=False, store=store)
    assert again.removed > 0 and store.count() == again.chunks
    bot = Bot(settings, store=store, embeddings=store.embeddings)
    (best, *_) = bot.retrieve("Musk 97,4 milliards OpenAI")
    assert best.source == "003_ec62060a0c8869d6.txt" and "97,4" in best.text
    with pytest.raises(ValueError, match="configured Chroma store only"):
        ingest(settings, progress=False, store=store, rebuild=True)


def test_hashing_embedder_is_deterministic_and_unit_length() -> None:
    a, b = HASHING.embed_documents(["Musk offered 97.4 billion", "Musk offered 97.4 billion"])
    assert a == b and abs(sum(x * x for x in a) - 1) < 1e-5
    assert HASHING.embed_query("Musk offered 97.4 billion") == a
