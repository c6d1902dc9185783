"""Sentence and title vectors on the store's embedder, cached: the same chunks and articles
come back question after question, and evidence, verification and quoting all embed their
sentences."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.text import passage_sentences
from bot.store.embeddings import unit

SENTENCE_CACHE = 8192
"""Sentence vectors kept: a few hundred chunks' worth, a few MB."""


class SentenceVectors:
    """Unit vectors of questions (e5's query side), titles and sentences (its passage side)."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings
        self.title_vector = lru_cache(maxsize=2048)(self._passage)
        self.embed_query = lru_cache(maxsize=256)(self._query)
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _passage(self, text: str) -> np.ndarray:
        """An article title's vector; cached, as the same articles come back question after
        question."""
        return unit(self.embeddings.embed_documents([text]))[0]

    def sentence_vectors(self, text: str) -> np.ndarray:
        """A passage's sentences as vectors: a claim is usually backed by one of them, and a
        translated sentence is much closer to its original than to the whole chunk."""
        return self.embed_sentences(passage_sentences(text))

    def remember(self, stored: dict[str, np.ndarray]) -> None:
        """Take sentence vectors the store kept from ingest: the hits' sentences are then not
        embedded again as the evidence is chosen (0.6 s an answer on one thread)."""
        with self._lock:
            for sentence, vector in stored.items():
                self._sentences[sentence] = vector
                self._sentences.move_to_end(sentence)
            self._trim()

    def embed_sentences(self, sentences: list[str]) -> np.ndarray:
        """Sentences as passage vectors, cached by sentence: excerpts of one chunk share them."""
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._sentences]
        fresh = unit(self.embeddings.embed_documents(missing)) if missing else []
        with self._lock:
            self._sentences.update(zip(missing, fresh, strict=True))
            for sentence in sentences:
                self._sentences.move_to_end(sentence)
            vectors = np.stack([self._sentences[s] for s in sentences])
            self._trim()
        return vectors

    def _trim(self) -> None:
        """Drop the least recently used sentences past SENTENCE_CACHE; under the lock."""
        while len(self._sentences) > SENTENCE_CACHE:
            self._sentences.popitem(last=False)

    def _query(self, text: str) -> np.ndarray:
        """A question or reply sentence as a unit vector on e5's query side; cached, as the
        evidence, the verifier and the provenance check each take the question's."""
        return unit(self.embeddings.embed_query(text))
