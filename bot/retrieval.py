"""Question -> the most relevant chunks, as citations ranked best first.

Two retrievers share one interface:
- `dense`: plain cosine top-k over the multilingual embeddings (the tutorial baseline).
- `hybrid` (default): dense candidates fused by reciprocal rank with a keyword search on the
  question's names and numbers, then near-duplicates (the same passage in a summary, or in a
  translation inside one file) are dropped so they cannot crowd out other evidence.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from bot.keywords import KeywordIndex
from bot.results import Citation
from bot.store import Hit, VectorStore

SNIPPET_CHARS = 240
CANDIDATES = 20
RRF_K = 60
DUPLICATE_SIMILARITY = 0.95
SAME_FILE_DUPLICATE_SIMILARITY = 0.90
RETRIEVERS = ("hybrid", "dense")
_ELIDED = re.compile(r"^(?:[ldjmnstc]|qu)['\u2019]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_][\w'\u2019.,-]*")


class Retriever:
    """Finds the chunks that answer a question, in any of the corpus' languages."""

    def __init__(self, store: VectorStore, k: int, mode: str = "hybrid") -> None:
        if mode not in RETRIEVERS:
            raise ValueError(f"Unknown retriever {mode!r}; choose one of {', '.join(RETRIEVERS)}.")
        self.store = store
        self.k = k
        self.mode = mode
        self._keywords: KeywordIndex | None = None
        self._keywords_size = -1
        self._lock = threading.Lock()

    def retrieve(self, question: str, k: int | None = None) -> list[Citation]:
        """The top `k` chunks for the question, best first."""
        k = k or self.k
        query = np.asarray(self.store.embed_query(question), dtype=np.float32)
        dense = self.store.nearest(query, CANDIDATES if self.mode == "hybrid" else k)
        if self.mode == "dense":
            return [to_citation(hit) for hit in dense[:k]]
        keyword_ids = [cid for cid, _ in self.keywords().search(name_terms(question), CANDIDATES)]
        fused = self._fuse(dense, keyword_ids, query)
        return [to_citation(hit) for hit in distinct(fused, k)]

    def keywords(self) -> KeywordIndex:
        """The keyword index, rebuilt when the store has changed size since it was built."""
        with self._lock:
            size = self.store.count()
            if self._keywords is None or size != self._keywords_size:
                ids, texts, sources = [], [], []
                for chunk_id, text, meta in self.store.iter_chunks():
                    ids.append(chunk_id)
                    texts.append(text)
                    sources.append(str((meta or {}).get("source", "")))
                self._keywords = KeywordIndex(ids, texts, sources)
                self._keywords_size = size
            return self._keywords

    def _fuse(self, dense: list[Hit], keyword_ids: list[str], query: np.ndarray) -> list[Hit]:
        """Reciprocal-rank fusion; keyword-only hits get their true cosine score too."""
        by_id = {hit.id: hit for hit in dense}
        missing = [cid for cid in keyword_ids if cid not in by_id]
        for hit in self.store.fetch(missing, query):
            by_id[hit.id] = hit
        fused: dict[str, float] = {}
        for ranking in ([hit.id for hit in dense], keyword_ids):
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted((cid for cid in fused if cid in by_id), key=lambda c: -fused[c])
        return [by_id[cid] for cid in order]


def name_terms(question: str) -> str:
    """Names and numbers in a question: the words that mean the same in every language."""
    words = _WORD.findall(question)
    keep = []
    for i, word in enumerate(words):
        word = _ELIDED.sub("", word.strip(".,'\u2019-"))
        # Short acronyms (AI/IA, US/EU, CEO) are words of one language, not names.
        if not word or (word.isupper() and len(word) <= 3 and word.isalpha()):
            continue
        inner_caps = any(ch.isupper() for ch in word[1:])
        if any(ch.isdigit() for ch in word) or inner_caps or (word[0].isupper() and i > 0):
            keep.append(word)
    return " ".join(keep)


def distinct(hits: list[Hit], k: int) -> list[Hit]:
    """Best-first hits, near-copies of a chosen one moved behind every distinct hit."""
    chosen: list[Hit] = []
    copies: list[Hit] = []
    for hit in hits:
        if len(chosen) == k:
            break
        (copies if any(_duplicates(hit, other) for other in chosen) else chosen).append(hit)
    return (chosen + copies)[:k]


def _duplicates(a: Hit, b: Hit) -> bool:
    """Same passage again: near-identical, or a translation of it in the same file."""
    similarity = float(a.vector @ b.vector)
    same_file = a.metadata.get("source") == b.metadata.get("source")
    return similarity >= DUPLICATE_SIMILARITY or (
        same_file and similarity >= SAME_FILE_DUPLICATE_SIMILARITY
    )


def to_citation(hit: Hit) -> Citation:
    """A stored chunk as the public Citation type."""
    meta = hit.metadata
    return Citation(
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        snippet=snippet(hit.text),
        score=round(hit.score, 4),
        chunk_id=hit.id,
        text=hit.text,
        url=str(meta.get("url", "")),
        language=str(meta.get("language", "")),
    )


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The opening of a chunk, cut at a word boundary."""
    flat = " ".join(text.split()).lstrip("…")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
