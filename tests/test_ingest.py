"""Ingest against a real Chroma store and the real multilingual embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.api import Bot
from bot.embeddings import make_embeddings
from bot.errors import CorpusError, StoreError
from bot.ingest import ingest
from bot.store import open_store, write_lock

from .conftest import make_settings


def _stored_sources(settings) -> dict[str, set[str]]:
    return open_store(settings, make_embeddings(settings)).ids_by_source()


def test_ingest_twice_adds_nothing(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False)
    assert first.files == 3 and first.added == first.chunks > 20
    second = ingest(settings, progress=False)
    assert (second.added, second.removed, second.chunks) == (0, 0, first.chunks)
    stored = _stored_sources(settings)
    assert sum(len(ids) for ids in stored.values()) == first.chunks
    assert "Ingested 3 files into" in second.summary()


def test_changed_file_replaces_its_chunks_and_deleted_file_goes(tmp_path, corpus) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False)
    before = _stored_sources(settings)
    changed = corpus / "003_ec62060a0c8869d6.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("97,4 milliards", "98 milliards"),
        encoding="utf-8",
    )
    (corpus / "000_ca31535c36e48615.txt").unlink()
    report = ingest(settings, progress=False)
    after = _stored_sources(settings)
    assert "000_ca31535c36e48615.txt" not in after
    assert after["002_30bfe6abbca3d24b.txt"] == before["002_30bfe6abbca3d24b.txt"]
    assert after["003_ec62060a0c8869d6.txt"] != before["003_ec62060a0c8869d6.txt"]
    assert report.removed >= len(before["000_ca31535c36e48615.txt"]) + 1
    store = open_store(settings, make_embeddings(settings))
    texts = " ".join(record.text for record in store.iter_chunks())
    assert "98 milliards" in texts and "97,4 milliards" not in texts


def test_unreadable_file_keeps_its_chunks(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False)
    target = corpus / "002_30bfe6abbca3d24b.txt"
    target.write_bytes(b"\x00" * 10)  # now binary: skipped, and its old chunks stay
    report = ingest(settings, progress=False)
    assert report.skipped and report.skipped[0][0] == target.name
    assert target.name in _stored_sources(settings)
    assert "Skipped 1 file(s): 002_30bfe6abbca3d24b.txt (binary" in report.summary()


def test_empty_or_missing_corpus_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"No \.txt"):
        ingest(make_settings(tmp_path, corpus_dir=tmp_path / "empty"), progress=False)
    with pytest.raises(CorpusError, match="does not exist"):
        ingest(make_settings(tmp_path, corpus_dir=tmp_path / "missing"), progress=False)


def test_store_built_with_another_embedder_says_how_to_rebuild(tmp_path, corpus) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    ingest(settings, progress=False)
    other = make_settings(
        tmp_path,
        corpus_dir=corpus,
        embeddings_model="text-embedding-3-small",
        openai_base_url="http://127.0.0.1:9/v1",
    )
    with pytest.raises(StoreError) as caught:
        open_store(other, make_embeddings(other))
    assert "bot ingest --rebuild" in str(caught.value)
    assert "multilingual-e5-small" in str(caught.value)


def test_rebuild_swaps_in_a_complete_store(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    first = ingest(settings, progress=False)
    rebuilt = ingest(settings, rebuild=True, progress=False)
    assert rebuilt.added == first.chunks
    assert sum(len(v) for v in _stored_sources(settings).values()) == first.chunks


def test_missing_store_names_the_command_that_builds_it(tmp_path: Path) -> None:
    bot = Bot(make_settings(tmp_path))
    with pytest.raises(StoreError, match="run `bot ingest`"):
        bot.retrieve("Who bought what?")


def test_second_writer_is_told_to_wait(tmp_path: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, corpus_dir=corpus)
    with write_lock(settings), pytest.raises(StoreError, match="Another `bot ingest`"):
        ingest(settings, progress=False)
    shutil.rmtree(tmp_path / "vectorstore")
