"""Verification: a sentence is shown only when a retrieved chunk backs it, with that chunk's `[n]`.

A chunk backs a sentence when, together: the sentence addresses the question (its e5
embedding is close to the question's), it makes a claim (enough content words), every number
it states occurs in the chunk, most of its words (accent-folded) occur there too, or, for a
sentence in another language than the chunk, all of its names do, and its embedding is
close to the chunk's. A chunk in the sentence's own language must also name all that the
sentence repeats of the question's names: a passage about Jacksonville does not back "the
first settlement in Newcastle was Fort Caroline", however many of its other words it
shares; and hold at least half of the question's words the sentence says back: a passage
where Jean Ribault charts a river does not back "Jean Ribault invited Huguenot immigration".
`verification.Verifier` applies this to one answer's sentences; when nothing the model wrote
is backed, `quoting.quote` picks chunk sentences.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.text import (
    content_words,
    is_number,
    name_tokens,
    split_sentences,
    stems,
)
from bot.core.thresholds import Thresholds
from bot.store.embeddings import unit

SENTENCE_CACHE = 8192
"""Sentence vectors kept: a few hundred chunks' worth, a few MB."""


class Grounder:
    """Checks sentences against chunks with the store's embedder (query/passage sides)."""

    def __init__(self, embeddings: Embeddings, thresholds: Thresholds | None = None) -> None:
        self.embeddings = embeddings
        self.thresholds = thresholds or Thresholds()
        self.chunk_vector = lru_cache(maxsize=2048)(self._passage)
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _passage(self, text: str) -> np.ndarray:
        """One chunk's vector; cached, as the same chunks come back question after question."""
        return unit(self.embeddings.embed_documents([text]))[0]

    def sentence_vectors(self, text: str) -> np.ndarray:
        """A passage's sentences as vectors: a claim is usually backed by one of them, and a
        translated sentence is much closer to its original than to the whole chunk."""
        return self.embed_sentences(split_sentences(text) or [text])

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
            while len(self._sentences) > SENTENCE_CACHE:
                self._sentences.popitem(last=False)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        """A question or reply sentence as a unit vector on e5's query side."""
        return unit(self.embeddings.embed_query(text))

    def supports(
        self,
        sentence: str,
        chunk_tokens: set[str],
        similarity: float,
        translated: bool = False,
        subject: frozenset[str] = frozenset(),
        echoed: frozenset[str] = frozenset(),
        unwritten: frozenset[str] = frozenset(),
    ) -> bool:
        """Close in meaning, every number and most names in the chunk, and most words too
        (across languages, where only names and numbers carry over, closer in meaning).

        `subject`: the question's names the sentence repeats, stemmed; a chunk in the
        sentence's language must name them all, or the sentence has pinned the question's
        subject onto a passage about something else. `echoed`: all the question's words the
        sentence says back, stemmed; such a chunk must hold half of them, or the sentence
        has pinned the question's claim onto it ("Jean Ribault invited Huguenot immigration"
        on a passage where he charts a river). `unwritten`: the question's names the chunk's
        language translates; across languages their absence says nothing, while a name the
        sentence adds (a place of birth) is its own claim and must be there.
        """
        limits = self.thresholds
        words = content_words(sentence)
        if len(words) < limits.min_words or similarity < limits.similarity:
            return False
        if not translated and (subject or echoed):
            held = stems(chunk_tokens)
            if not subject <= held or len(echoed & held) < limits.echoed * len(echoed):
                return False
        if any(is_number(w) and w not in chunk_tokens for w in words):
            return False
        # A wrong name (Grok for ChatGPT) keeps the topic but changes the claim; some names
        # are translated (China / Trung Quốc), so most, not all, must be in the chunk.
        names = name_tokens(sentence) - (unwritten if translated else frozenset())
        if names and len(names & chunk_tokens) / len(names) < limits.lexical:
            return False
        if len(words & chunk_tokens) / len(words) >= limits.lexical:
            return True
        return translated and bool(names) and similarity >= limits.cross_lingual_similarity
