"""Typed results every entry point returns: the UI, the CLI and the eval read only these."""

from __future__ import annotations

from collections.abc import Generator, Iterator

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
    standing: float = 0.0
    """Standard deviations above the question's similarity to unrelated chunks of the same
    language: comparable across languages, where raw cosines are not."""
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
    unsupported: list[str] = []
    """Sentences the model wrote that no retrieved chunk backs: never part of `text`."""
    quoted: bool = False
    """Nothing the model wrote was backed, so `text` quotes the best chunk sentences."""

    def numbered_citations(self) -> list[tuple[int, Citation]]:
        """Each cited chunk with the number `[n]` the text uses for it."""
        return [(self.contexts.index(c) + 1, c) for c in self.citations]


def left_out_note(count: int) -> str:
    """How the chat and the CLI announce sentences that verification left out."""
    noun = "sentence was" if count == 1 else "sentences were"
    return f"{count} {noun} left out: the sources do not support them"


class Status(BaseModel):
    """What a Bot has loaded, for the UI header and health checks."""

    model_config = ConfigDict(frozen=True)

    model: str
    documents: int
    chunks: int


class AnswerStream(Iterator[str]):
    """Iterate for the verified text as it is written; then `.answer` holds the Answer."""

    def __init__(self, pieces: Generator[str, None, Answer]) -> None:
        self._pieces = pieces
        self._answer: Answer | None = None

    def __next__(self) -> str:
        """The next piece of shown text."""
        if self._answer is not None:
            raise StopIteration
        try:
            return next(self._pieces)
        except StopIteration as done:
            self._answer = done.value
            raise

    @property
    def answer(self) -> Answer:
        """The final Answer; reading it first consumes whatever text is left."""
        for _ in self:
            pass
        if self._answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        return self._answer
