"""News goes stale: an answer about an amount, a count or how things stand now says the date
it holds as of, the publication date of the newest source its first sentence cites."""

from __future__ import annotations

from collections.abc import Generator

from bot.answer.prompts import localized
from bot.core.patterns import CHANGING
from bot.core.results import Answer, Citation
from bot.core.text import markers


def as_of(
    stream: Generator[str, None, Answer], question: str, language: str, contexts: list[Citation]
) -> Generator[str, None, Answer]:
    """The answer stream, its first piece led by "As of <date>:" when the question asks about
    something that changes and a source it cites is dated; the Answer carries the date."""
    if not CHANGING.search(question):
        return (yield from stream)
    day, first = "", True
    while True:
        try:
            piece = next(stream)
        except StopIteration as stop:
            answer: Answer = stop.value
            break
        if first:
            first, day = False, newest_cited(piece, contexts)
            piece = f"{_lead(day, language)} {piece}" if day else piece
        yield piece
    if not day:
        return answer
    return answer.model_copy(update={"text": f"{_lead(day, language)} {answer.text}", "as_of": day})


def newest_cited(sentence: str, contexts: list[Citation]) -> str:
    """The newest publication date among the sources the sentence cites; empty if none."""
    cited = [contexts[n - 1] for n in markers(sentence) if 0 < n <= len(contexts)]
    return max((c.published for c in cited), default="")


def _lead(day: str, language: str) -> str:
    """ "As of 2025-04-11:" in the reader's language."""
    return localized("as_of", language).format(date=day)
