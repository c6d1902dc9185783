"""Typed results every entry point returns: the UI, the CLI and the eval read only these."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from bot.core.article import ArticleMeta

RefusalReason = Literal[
    "",
    "not_mentioned",
    "off_topic",
    "unanswerable",
    "declined",
    "unbacked",
    "judged",
    "closest",
    "out_of_range",
    "late",
]
"""Why an answer was refused: a name or number the articles never mention, no chunk close
enough to the question, the model judged that the sources do not answer it, the model said
so in its reply, nothing it wrote was backed and no chunk sentence answered well enough to
quote, or the best chunk sentences do not answer: they do not state what the model's own
reply said (`closest`), or the model judged that they do not (`judged`); both show them as
the closest passage. `out_of_range`: no article is dated within the period asked about.
`late`: reading the sources took the time the answer needed (a host slowed after its pace
was measured), so nothing could be checked and shown within BOT_TIMEOUT."""


class Citation(BaseModel):
    """One retrieved chunk of an article, with where it came from and how relevant it is."""

    model_config = ConfigDict(frozen=True)

    source: str
    """File name relative to the corpus folder, e.g. `002_30bfe6abbca3d24b.txt`."""
    title: str
    snippet: str
    score: float
    """Relevance to the question: cosine similarity for dense hits, 1.0 is identical."""
    relevance: float = 0.0
    """The score as a chunk in the question's own language would get it: comparable across
    languages, where raw cosines are not. The answer-or-refuse gates read this; it is the
    score itself unless retrieval calibrated it."""
    chunk_id: str
    text: str = ""
    """The whole chunk, for readers who expand a source."""
    excerpt: str = ""
    """The chunk's sentences the model was shown (those closest to the question); empty
    until the chunk is chosen as evidence."""
    url: str = ""
    language: str = ""
    published: str = ""
    """The article's publication date (ISO `YYYY-MM-DD`), empty when unknown or ambiguous
    (`ArticleMeta.date`)."""
    outlet: str = ""
    author: str = ""
    republisher: str = ""

    @property
    def article(self) -> ArticleMeta:
        """The article this chunk is from, in the document model (its language is the
        chunk's)."""
        return ArticleMeta.from_fields(vars(self))

    @property
    def provenance(self) -> str:
        """`outlet · date · file`, the parts that are known: who published it, when, where."""
        return " · ".join(part for part in (self.outlet, self.published, self.source) if part)

    @property
    def passage(self) -> str:
        """What the model reads of this chunk, and what must back its sentences."""
        return self.excerpt or self.text

    @model_validator(mode="before")
    @classmethod
    def _relevance_defaults_to_score(cls, data: Any) -> Any:
        """A citation built without calibration is as relevant as its raw score says."""
        if isinstance(data, dict) and data.get("relevance") is None and "score" in data:
            return {**data, "relevance": data["score"]}
        return data


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
    refusal_reason: RefusalReason = ""
    """Why `refused` is True; empty for an answer."""
    cut_short: bool = False
    """BOT_TIMEOUT (or the reply's length) ran out while the model was writing: `text` is
    what was verified by then."""
    answerable: float | None = None
    """The model's P(yes) that the sources answer the question (None: not asked)."""
    quote_confidence: float | None = None
    """The model's P(yes) that the quoted chunk sentences answer it (None: not asked)."""
    reading: str | None = None
    """The words the model copied out of the sources as the answer before answering, which
    the first shown sentence had to agree with ("": none; None: not read in time)."""
    as_of: str = ""
    """The date the answer holds as of (its newest cited source's), for a question about
    something that changes; the text then opens with it."""

    def numbered_citations(self) -> list[tuple[int, Citation]]:
        """Each cited chunk with the number `[n]` the text uses for it."""
        return [(self.contexts.index(c) + 1, c) for c in self.citations]


CUT_SHORT_NOTE = (
    "Cut short: the answer's time (BOT_TIMEOUT) or length ran out before the model finished. "
    "What is shown was verified; the rest was not shown."
)
"""How the chat and the CLI mark an answer that is not whole, so it is not read as one."""


def left_out_note(count: int) -> str:
    """How the chat and the CLI announce sentences that verification left out."""
    if count == 1:
        return "1 sentence was left out: the sources do not support it"
    return f"{count} sentences were left out: the sources do not support them"


class Status(BaseModel):
    """What a Bot has loaded, for the UI header and health checks."""

    model_config = ConfigDict(frozen=True)

    model: str
    documents: int
    chunks: int


class Retrieved(BaseModel):
    """The chunks the answer will be drawn from, known tens of milliseconds in: the chat
    shows them while the model is still reading."""

    model_config = ConfigDict(frozen=True)

    contexts: list[Citation]


class AnswerStream(Iterator[str]):
    """Iterate for the verified text as it is written; then `.answer` holds the Answer.
    `events()` also yields the retrieved sources, before any text."""

    def __init__(self, pieces: Generator[str | Retrieved, None, Answer]) -> None:
        self._pieces = pieces
        self._answer: Answer | None = None

    def events(self) -> Iterator[str | Retrieved]:
        """The retrieved sources as soon as they are chosen, then the shown text pieces."""
        while self._answer is None:
            try:
                event = next(self._pieces)
            except StopIteration as done:
                self._answer = done.value
                return
            yield event

    def __next__(self) -> str:
        """The next piece of shown text."""
        for event in self.events():
            if isinstance(event, str):
                return event
        raise StopIteration

    @property
    def answer(self) -> Answer:
        """The final Answer; reading it first consumes whatever text is left."""
        for _ in self:
            pass
        if self._answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        return self._answer
