"""Chunking: token bounds, sentence boundaries, overlap and content-derived ids."""

from __future__ import annotations

import itertools

from bot.core.article import ArticleMeta
from bot.core.tokens import count_tokens
from bot.documents.chunking import split_document
from bot.documents.loading import SourceDocument, load_corpus

from ..conftest import SEEDS


def _doc(text: str) -> SourceDocument:
    return SourceDocument(ArticleMeta("a.txt", "T", "en"), text)


def test_chunks_respect_the_token_bound_and_cover_every_sentence() -> None:
    for doc in load_corpus(SEEDS, 10_000_000).documents:
        chunks = split_document(doc, max_tokens=160, overlap=32)
        assert chunks, doc.article.source
        assert all(c.tokens <= 160 + 8 for c in chunks)
        joined = " ".join(c.text for c in chunks)
        for sentence in doc.text.replace("\n\n", " ").split(". ")[:20]:
            assert sentence.split()[0] in joined


def test_chunks_end_on_sentence_boundaries_and_overlap() -> None:
    sentences = [f"Sentence number {i} says something about topic {i}." for i in range(60)]
    chunks = split_document(_doc(" ".join(sentences)), max_tokens=60, overlap=15)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.text.rstrip().endswith(".")
    for before, after in itertools.pairwise(chunks):
        last_sentence = before.text.rsplit(". ", 1)[-1]
        assert last_sentence in after.text  # the cut is bridged


def test_overlong_sentence_is_cut_by_tokens() -> None:
    chunks = split_document(_doc(" ".join(f"w{i}" for i in range(500))), 100, overlap=10)
    assert all(count_tokens(c.text) <= 110 for c in chunks)
    assert len(chunks) >= 5


def test_ids_derive_from_source_and_content() -> None:
    text = "A first sentence about rockets. " * 30
    a = split_document(_doc(text), 50, 10)
    b = split_document(_doc(text), 50, 10)
    assert [c.id for c in a] == [c.id for c in b]
    other = SourceDocument(ArticleMeta("b.txt", "T", "en"), text)
    assert {c.id for c in split_document(other, 50, 10)}.isdisjoint({c.id for c in a})
    assert len({c.id for c in a}) == len(a)
