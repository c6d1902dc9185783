"""Keyword search that works for Vietnamese, French and English: folded syllables and numbers."""

from __future__ import annotations

from itertools import pairwise

import bm25s
import numpy as np

from bot.core.text import is_number, tokenize


class KeywordIndex:
    """BM25 over chunk texts, built from the store; scores are only used to rank."""

    def __init__(
        self, ids: list[str], texts: list[str], sources: list[str], languages: list[str]
    ) -> None:
        self.ids = ids
        self._bm25 = bm25s.BM25()
        tokens = [tokenize(t) for t in texts]
        if ids:
            self._bm25.index(tokens, show_progress=False)
        self.files = len(set(sources))
        written: dict[str, set[str]] = {}
        for language, words in zip(languages, tokens, strict=True):
            written.setdefault(language, set()).update(words)
        self.vocabularies = {lang: frozenset(words) for lang, words in written.items()}
        """Each document language's folded tokens: a name one language never writes is
        translated there (Germany / Đức), so its absence from such a chunk says nothing."""
        self._numbered = frozenset(p for words in tokens for p in _numbered_pairs(words))
        """Each number written beside a word ("gpt 5"), as coined names are written."""

    def knows(self, token: str) -> bool:
        """Whether a folded token occurs anywhere in the corpus."""
        return any(token in words for words in self.vocabularies.values())

    def writes(self, name: str) -> bool:
        """Whether a name occurs as written, its number beside its word (GPT-7 is not known
        from a "GPT" in one place and a "7" in another)."""
        words = tokenize(name)
        return all(self.knows(t) for t in words) and _numbered_pairs(words) <= self._numbered

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Up to `k` (chunk id, score) pairs with a positive score, best first."""
        if not self.ids:
            return []
        terms = self._bm25.get_tokens_ids(tokenize(query))
        if not terms:
            return []
        scores = self._bm25.get_scores_from_ids(terms)
        top = np.argsort(-scores)[: min(k, len(self.ids))]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


def _numbered_pairs(words: list[str]) -> set[str]:
    """Adjacent tokens of which one is a number: how a coined name (GPT-7) is written."""
    return {f"{a} {b}" for a, b in pairwise(words) if is_number(a) or is_number(b)}
