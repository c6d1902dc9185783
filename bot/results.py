"""Typed results every entry point returns: the UI, the CLI and the eval read only these."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Citation(BaseModel):
    """One retrieved chunk of an article, with where it came from and how relevant it is."""

    model_config = ConfigDict(frozen=True)

    source: str
    """File name relative to the corpus folder, e.g. `002_30bfe6abbca3d24b.txt`."""
    title: str
    snippet: str
    score: float
    """Relevance to the question: cosine similarity for dense hits, 1.0 is identical."""
    chunk_id: str
    text: str = ""
    """The whole chunk, for readers who expand a source."""
    url: str = ""
    language: str = ""


class Answer(BaseModel):
    """What `ask()` returns: the reply and the evidence behind it."""

    model_config = ConfigDict(frozen=True)

    text: str
    citations: list[Citation]
    """The chunks the text cites, in order of first mention; `[n]` in the text is contexts[n-1]."""
    contexts: list[Citation]
    """Every chunk handed to the model, best first."""
    refused: bool
    question: str = ""
    """The question as answered: a follow-up is rewritten to stand alone."""
    language: str = "en"

    def numbered_citations(self) -> list[tuple[int, Citation]]:
        """Each cited chunk with the number `[n]` the text uses for it."""
        return [(self.contexts.index(c) + 1, c) for c in self.citations]


class Status(BaseModel):
    """What a Bot has loaded, for the UI header and health checks."""

    model_config = ConfigDict(frozen=True)

    model: str
    documents: int
    chunks: int
