"""Split cleaned articles into token-bounded chunks on paragraph and sentence boundaries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from bot.core.article import ArticleMeta
from bot.core.language import detect_language
from bot.core.text import split_sentences
from bot.core.tokens import count_tokens, encoding
from bot.documents.loading import SourceDocument


@dataclass(frozen=True)
class Chunk:
    """A passage of one article, identified by its content so re-ingesting is idempotent."""

    id: str
    text: str
    article: ArticleMeta
    language: str
    """The passage's own language (an article may quote another)."""
    tokens: int

    @property
    def source(self) -> str:
        """The file the passage comes from."""
        return self.article.source

    @property
    def embedding_text(self) -> str:
        """What gets embedded: the article title situates a passage that never names its topic."""
        title = self.article.title
        return f"{title}\n\n{self.text}" if title else self.text


def chunk_id(article: ArticleMeta, text: str) -> str:
    """Same article, same passage, same id: upserts then never duplicate, and an article whose
    metadata changed (a sidecar edited) is stored again."""
    key = json.dumps(article.fields(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{key}\x00{text}".encode()).hexdigest()[:32]


def split_document(doc: SourceDocument, max_tokens: int, overlap: int) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_tokens`, repeating ~`overlap` tokens."""
    pieces = [p for para in doc.text.split("\n\n") for p in _sentences(para, max_tokens)]
    texts = _pack(pieces, max_tokens, overlap)
    return [
        Chunk(
            id=chunk_id(doc.article, text),
            text=text,
            article=doc.article,
            language=detect_language(text, default=doc.article.language),
            tokens=count_tokens(text),
        )
        for text in dict.fromkeys(texts)
    ]


def _sentences(paragraph: str, max_tokens: int) -> list[tuple[str, bool]]:
    """Sentences of a paragraph as (text, starts_paragraph); over-long ones are cut by tokens."""
    out: list[tuple[str, bool]] = []
    for sentence in split_sentences(paragraph):
        tokens = encoding().encode(sentence, disallowed_special=())
        for start in range(0, len(tokens), max_tokens):
            out.append((encoding().decode(tokens[start : start + max_tokens]).strip(), not out))
    return [(text, first) for text, first in out if text]


def _pack(pieces: list[tuple[str, bool]], max_tokens: int, overlap: int) -> list[str]:
    """Greedy packing; each new chunk starts with the previous chunk's last sentences."""
    chunks: list[str] = []
    current: list[tuple[str, bool, int]] = []
    size = 0
    for text, new_paragraph, n in ((t, p, count_tokens(t) + 1) for t, p in pieces):
        if current and size + n > max_tokens:
            chunks.append(_render(current))
            current = _tail(current, overlap, max_tokens - n)
            size = sum(c[2] for c in current)
        current.append((text, new_paragraph, n))
        size += n
    if current:
        chunks.append(_render(current))
    return chunks


def _tail(
    current: list[tuple[str, bool, int]], overlap: int, room: int
) -> list[tuple[str, bool, int]]:
    """The last sentences of a chunk that fit in the overlap, to carry context across the cut.

    A last sentence up to twice the overlap is carried whole, so a fact cut at the boundary
    is whole in one chunk; a longer one carries its closing words.
    """
    budget = min(overlap, room)
    if current and current[-1][2] <= min(2 * overlap, room):
        budget = max(budget, current[-1][2])
    tail: list[tuple[str, bool, int]] = []
    size = 0
    for item in reversed(current):
        if size + item[2] > budget:
            break
        tail.insert(0, item)
        size += item[2]
    if not tail and budget >= 8:
        tokens = encoding().encode(current[-1][0], disallowed_special=())[-budget:]
        words = encoding().decode(tokens).split(" ", 1)
        fragment = "…" + (words[1] if len(words) > 1 else words[0]).strip()
        tail = [(fragment, False, count_tokens(fragment) + 1)]
    return tail


def _render(items: list[tuple[str, bool, int]]) -> str:
    """Rejoin sentences, keeping paragraph breaks where the source had them."""
    out = ""
    for text, new_paragraph, _ in items:
        out += ("\n\n" if new_paragraph else " ") + text if out else text
    return out
