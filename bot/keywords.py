"""Keyword search that works for Vietnamese, French and English: folded syllables and numbers."""

from __future__ import annotations

import re
import unicodedata

import bm25s
import numpy as np

# l'article, d'OpenAI, qu'il, n'est: the elided article is not a word of its own.
_ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['\u2019](?=\w)", re.IGNORECASE)
# 97,4 / 97.4 / 1,4 / 1.4: one number whatever the decimal mark; 10 000 / 10,000 -> 10000.
_THOUSANDS = re.compile(r"(?<=\d)[ ,.\u00a0\u202f](?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def fold(text: str) -> str:
    """Lowercase and strip diacritics (đ -> d), so `Mỹ` and `My` or `Élysée` and `elysee` match."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def tokenize(text: str) -> list[str]:
    """Syllables and words, accent-folded, elisions dropped, numbers in one canonical form."""
    text = _ELISION.sub(" ", text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub(".", text)
    return _TOKEN.findall(fold(text))


class KeywordIndex:
    """BM25 over chunk texts, built from the store; scores are only used to rank."""

    def __init__(self, ids: list[str], texts: list[str], sources: list[str]) -> None:
        self.ids = ids
        self._bm25 = bm25s.BM25()
        tokens = [tokenize(t) for t in texts]
        if ids:
            self._bm25.index(tokens, show_progress=False)
        self.files = len(set(sources))

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
