"""Question -> the most relevant chunks, as citations ranked best first, in any language.

Two retrievers share one interface:
- `dense`: plain cosine top-k over the multilingual embeddings (the tutorial baseline).
- `hybrid` (default): a candidate pool per document language, ranked after removing part of
  each language's mean vector, fused by reciprocal rank with a keyword search on the
  question's names and numbers; copies of a chosen passage are then moved behind the rest.
Each hit's `relevance` is what the same match would score in the question's own language
(see `language_pools.calibrate`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import numpy as np

from bot.core.article import ArticleFilter, ArticleMeta
from bot.core.language import detect_language
from bot.core.patterns import LATEST
from bot.core.results import Citation
from bot.core.text import is_coined, is_ordinal, name_runs, names, tokenize, written_names
from bot.retrieval.diversity import balanced
from bot.retrieval.keywords import KeywordIndex
from bot.retrieval.language_pools import LanguagePool, calibrate, debiased, language_pools
from bot.store.embeddings import unit
from bot.store.protocol import Hit, VectorStore

CANDIDATES = 20
RRF_K = 60
RETRIEVERS = ("hybrid", "dense")
RECOUNT_SECONDS = 2.0  # how stale a replica's view of another process's ingest may get
FUSED_POOL = 3  # keyword-only hits are fetched from this many fused places per requested one


def newest_first(hits: list[Citation]) -> list[Citation]:
    """Hits from the newest article first (undated ones last), each article's in rank order:
    "the latest" asks for the newest news, not the closest wording."""
    return sorted(hits, key=lambda h: h.published, reverse=True)


class Retriever:
    """Finds the chunks that answer a question, in any of the corpus' languages."""

    def __init__(self, store: VectorStore, k: int, mode: str = "hybrid") -> None:
        if mode not in RETRIEVERS:
            raise ValueError(f"Unknown retriever {mode!r}; choose one of {', '.join(RETRIEVERS)}.")
        self.store = store
        self.k = k
        self.mode = mode
        self._keywords: KeywordIndex | None = None
        self._pools: dict[str, LanguagePool] = {}
        self._articles: dict[str, ArticleMeta] = {}
        self._named: set[str] = set()
        self._written: set[str] = set()
        self._built_at: str | None = None
        self._size, self._version = 0, ""
        self._counted_at = -RECOUNT_SECONDS
        self._lock = threading.Lock()

    def retrieve(
        self, question: str, k: int | None = None, only: ArticleFilter | None = None
    ) -> list[Citation]:
        """The top `k` chunks for the question, best first; with `only`, from the articles it
        admits (dates and outlets), searched among them rather than filtered afterwards."""
        k = k or self.k
        if self.size() == 0:
            return []
        query = np.asarray(self.store.embed_query(question), dtype=np.float32)
        allowed = self._admitted(only)
        if self.mode == "dense":
            hits = self.store.nearest(query, k if allowed is None else CANDIDATES * 5)
            return [h.citation() for h in hits if allowed is None or h.id in allowed][:k]
        keywords, pools = self._indexes()
        language = detect_language(question)
        dense = self._pooled(query, pools, language, allowed)
        keyword_ids = [
            cid
            for cid, _ in keywords.search(" ".join(names(question)), CANDIDATES)
            if allowed is None or cid in allowed
        ]
        fused = self._fuse(dense, keyword_ids, query, k)
        candidates = calibrate(fused, unit(query), pools, language)
        found = [hit.citation() for hit in balanced(candidates, k)]
        return newest_first(found) if LATEST.search(question) else found

    def mentions(self, question: str) -> tuple[list[str], list[str]]:
        """The question's names the corpus mentions, and those it surely never does, each as
        the question writes it: a name of several words ("FIFA World Cup 2022") is missing
        when one of its words surely is, and mentioned when none is and one is written.

        Numbers and coined names (GPT-6, iPhone) are written the same in every language, so
        their absence is proof; not a rank's (15th), which a text may write as a year of the
        century it names. A plain name may be translated (China / Trung Quốc, Kublai / Hốt
        Tất Liệt), so its absence counts only when every document is in the question's
        language.
        """
        keywords, pools = self._indexes()
        monolingual = set(pools) <= {detect_language(question)}
        present, missing = [], []
        for name in dict.fromkeys(name_runs(question)):
            words = name.split()
            written = [keywords.writes(word) for word in words]
            if any(
                not known and (monolingual or is_coined(word)) and not is_ordinal(word)
                for word, known in zip(words, written, strict=True)
            ):
                missing.append(name)
            elif any(written):
                present.append(name)
        return present, missing

    def prepare(self) -> None:
        """Build the keyword index and language pools now, not on a question's clock (after
        a start, or an ingest that changed the store)."""
        if self.size():
            self._indexes()

    def size(self) -> int:
        """Chunks in the store, counted at most every RECOUNT_SECONDS (a count costs a scan)."""
        return self._poll()[0]

    def _poll(self) -> tuple[int, str]:
        """The store's size and write stamp, read at most every RECOUNT_SECONDS: how soon an
        ingest (this process's or a watcher's) reaches the answers."""
        with self._lock:
            now = time.monotonic()
            if now - self._counted_at >= RECOUNT_SECONDS:
                self._size, self._version = self.store.count(), self.store.version()
                self._counted_at = now
            return self._size, self._version

    def knows_source(self, name: str) -> bool:
        """Whether `name` is an outlet, author or republisher of an article, or written as a
        name in one (capitalised: "Le Monde", not the words "le monde"): a source the
        question credits that is none of these is in no article."""
        self._indexes()
        tokens = set(tokenize(name))
        return tokens <= self._named or tokens <= self._written

    def outlets(self) -> list[str]:
        """The outlets the articles come from, as their metadata names them."""
        self._indexes()
        return sorted({a.outlet for a in self._articles.values() if a.outlet})

    def newest(self) -> str:
        """The newest article's publication date; empty when none is dated."""
        self._indexes()
        return max((a.date for a in self._articles.values()), default="")

    def newest_articles(
        self, question: str, n: int, only: ArticleFilter | None = None
    ) -> list[Citation]:
        """The `n` newest dated articles `only` admits, newest first, each as its chunk
        closest to the question: what "the latest" names when no passage answers it."""
        self._indexes()
        allowed = self._admitted(only)
        chunks: dict[str, list[str]] = {}
        for cid, article in self._articles.items():
            if article.date and (allowed is None or cid in allowed):
                chunks.setdefault(article.source, []).append(cid)
        dated = sorted(chunks, key=lambda s: self._articles[chunks[s][0]].date, reverse=True)
        query = np.asarray(self.store.embed_query(question), dtype=np.float32)
        best: dict[str, Hit] = {}
        for hit in self.store.fetch([cid for s in dated[:n] for cid in chunks[s]], query):
            if hit.article.source not in best or hit.score > best[hit.article.source].score:
                best[hit.article.source] = hit
        return [best[source].citation() for source in dated[:n] if source in best]

    def admits_any(self, only: ArticleFilter) -> bool:
        """Whether any stored article passes the filter."""
        self._indexes()
        return any(only.admits(article) for article in self._articles.values())

    def documents(self) -> int:
        """Files with chunks in the store, from the keyword index rather than another scan."""
        return self._indexes()[0].files

    def vocabularies(self) -> dict[str, frozenset[str]]:
        """Each document language's folded tokens, for telling a translated name from a
        missing one."""
        return self._indexes()[0].vocabularies

    def languages_of_documents(self) -> dict[str, str]:
        """Each file's language: the one most of its chunks are written in."""
        counts: dict[str, Counter[str]] = {}
        for record in self.store.iter_chunks():
            counts.setdefault(record.article.source, Counter())[record.language] += 1
        return {source: c.most_common(1)[0][0] for source, c in counts.items()}

    def _indexes(self) -> tuple[KeywordIndex, dict[str, LanguagePool]]:
        """The keyword index and language pools, rebuilt when the store was written to."""
        version = self._poll()[1]
        with self._lock:
            if self._keywords is None or version != self._built_at:
                ids, texts, sources, languages, vectors = [], [], [], [], []
                self._articles = {}
                for record in self.store.iter_chunks(with_vectors=True):
                    self._articles[record.id] = record.article
                    ids.append(record.id)
                    texts.append(record.text)
                    sources.append(record.article.source)
                    languages.append(record.language)
                    vectors.append(record.vector)
                self._keywords = KeywordIndex(ids, texts, sources, languages)
                self._written = {token for text in texts for token in written_names(text)}
                self._named = {
                    token for article in self._articles.values() for token in article.source_tokens
                }
                self._pools = language_pools(ids, languages, vectors)
                self._built_at = version
            return self._keywords, self._pools

    def _admitted(self, only: ArticleFilter | None) -> set[str] | None:
        """The chunk ids `only` admits; None for no filter."""
        if only is None:
            return None
        self._indexes()
        return {cid for cid, article in self._articles.items() if only.admits(article)}

    def _pooled(
        self,
        query: np.ndarray,
        pools: dict[str, LanguagePool],
        language: str,
        allowed: set[str] | None = None,
    ) -> list[Hit]:
        """A candidate pool per document language, ranked after removing the language pull.

        Multilingual embeddings put a question closer to any text in its own language; one
        shared top-20 then holds few chunks of the other languages (cross-language hit@4 on
        XQuAD: 0.83 with one pool, 0.92 with one per language), and part of each language's
        mean vector, removed from question and chunks, carries that pull. The pools are read
        from the store's rows, not its search index, which a local Chroma client does not
        reload when another process (a watcher) writes.
        """
        q = unit(query)
        ids = [cid for pool in pools.values() for cid in pool.nearest(q, CANDIDATES, allowed)]
        hits = self.store.fetch(ids, query)
        if len(pools) < 2:
            return sorted(hits, key=lambda hit: -hit.score)
        return debiased(hits, q, pools, language)

    def _fuse(
        self,
        dense: list[Hit],
        keyword_ids: list[str],
        query: np.ndarray,
        k: int,
    ) -> list[Hit]:
        """Reciprocal-rank fusion; keyword-only hits near the top are fetched, the rest dropped."""
        fused: dict[str, float] = {}
        for ranking in ([hit.id for hit in dense], keyword_ids):
            for rank, cid in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(fused, key=lambda c: -fused[c])
        by_id = {hit.id: hit for hit in dense}
        near_top = [cid for cid in order[: k * FUSED_POOL] if cid not in by_id]
        for hit in self.store.fetch(near_top, query):
            by_id[hit.id] = hit
        return [by_id[cid] for cid in order if cid in by_id]
