"""The top k as distinct passages: copies of a chosen one moved behind the rest, and each
other language's best candidate given a place near the top."""

from __future__ import annotations

from bot.core.text import shingles
from bot.retrieval.language_pools import hit_language
from bot.store.protocol import Hit

COPIED_SHARE = 0.5
"""A chunk that repeats half of a chosen one word for word (its three-word runs) is a copy:
a repost, or a summary quoting the body. Not e5: chunks of one article score 0.91-0.92 with
each other (median, both golden sets), as high as a copy."""


def balanced(candidates: list[Hit], k: int) -> list[Hit]:
    """The top `k` distinct passages, with each other language's best candidate second when it
    is more relevant than the hit it displaces: fused ranks still favour the question's own
    language, and a chunk the model never sees cannot answer (XQuAD, cross-language: saw
    source 0.87 -> 0.92). A translation shares no word runs, so only the top needs `distinct`.
    """
    chosen = distinct(candidates, k)
    if len(chosen) < 2:
        return chosen
    taken = {hit.id for hit in chosen}
    best: dict[str, Hit] = {}
    for hit in candidates:
        if hit.id not in taken:
            best.setdefault(hit_language(hit), hit)
    kept = {hit_language(hit) for hit in chosen}
    bar = chosen[1].relevance or 0.0
    extra = [h for lang, h in best.items() if lang not in kept and (h.relevance or 0.0) >= bar]
    return (chosen[:1] + extra + chosen[1:])[:k]


def distinct(hits: list[Hit], k: int) -> list[Hit]:
    """Best-first hits, copies of a chosen passage moved behind every other hit."""
    chosen: list[tuple[Hit, set[str]]] = []
    copies: list[Hit] = []
    for hit in hits:
        if len(chosen) == k:
            break
        runs = shingles(hit.text)
        if any(_copies(runs, other) for _, other in chosen):
            copies.append(hit)
        else:
            chosen.append((hit, runs))
    return [hit for hit, _ in chosen] + copies[: k - len(chosen)]


def _copies(runs: set[str], other: set[str]) -> bool:
    """The shorter passage shares at least COPIED_SHARE of its word runs with the other."""
    return len(runs & other) >= COPIED_SHARE * max(1, min(len(runs), len(other)))
