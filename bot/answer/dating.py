"""News goes stale. An answer about an amount, a count or how things stand now says the date
it holds as of: the publication date of the newest source its first sentence cites. When a
source of another date gives another figure for the same thing, that figure is shown too,
with its date, rather than one of the two being picked."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from itertools import pairwise

from bot.answer.claims import states_what_is_asked
from bot.answer.dates import with_days
from bot.answer.prompts import localized
from bot.answer.vectors import SentenceVectors
from bot.core.patterns import CHANGING
from bot.core.results import Answer, Citation
from bot.core.text import (
    content_words,
    gap_after,
    is_number,
    joined,
    markers,
    split_sentences,
    tokenize,
    with_markers,
    without_markers,
)


@dataclass(frozen=True)
class Dating:
    """What finding another dated figure needs: the sentence vectors, how close (e5) its
    sentence must be to the answer's (on the same topic, as any shown sentence must be), and
    what share of the answer's words (numbers aside) it must hold, as a backing chunk must."""

    vectors: SentenceVectors
    same_thing: float
    shared: float


def dated(
    stream: Generator[str, None, Answer],
    question: str,
    language: str,
    contexts: list[Citation],
    dating: Dating,
) -> Generator[str, None, Answer]:
    """The answer stream, its first piece led by "As of <date>:" when the question asks about
    something that changes and a source it cites is dated, and followed by another dated
    source's different figure for the same thing, when there is one."""
    if not CHANGING.search(question):
        return (yield from stream)
    first, day = "", ""
    while True:
        try:
            piece = next(stream)
        except StopIteration as stop:
            answer: Answer = stop.value
            break
        if not first:
            first, day = piece, newest_cited(piece, contexts)
            piece = joined([_lead(day, language), piece]) if day else piece
        yield piece
    if not day:
        return answer
    text = joined([_lead(day, language), answer.text])
    other = other_figure(first, question, day, language, contexts, dating)
    if other is None:
        return answer.model_copy(update={"text": text, "as_of": day})
    n, sentence = other
    also = localized("also_dated", language)
    shown = with_days(also, language, ("date",), date=contexts[n - 1].published)
    shown = joined([shown, with_markers(sentence, [n])])
    yield gap_after(text) + shown
    return answer.model_copy(
        update={
            "text": joined([text, shown]),
            "as_of": day,
            "citations": [*answer.citations, contexts[n - 1]],
        }
    )


def newest_cited(sentence: str, contexts: list[Citation]) -> str:
    """The newest publication date among the sources the sentence cites; empty if none."""
    cited = [contexts[n - 1] for n in markers(sentence) if 0 < n <= len(contexts)]
    return max((c.published for c in cited), default="")


def other_figure(
    first: str,
    question: str,
    day: str,
    language: str,
    contexts: list[Citation],
    dating: Dating,
) -> tuple[int, str] | None:
    """A sentence of a source dated other than `day`, in the reader's language, on the
    answer's topic and in most of its words, stating a number the answer does not in the
    same unit: the same thing's figure at another date. Its source's number and the
    sentence."""
    said = without_markers(first)
    numbers = {t for t in tokenize(said) if is_number(t)}
    words = {w for w in content_words(said) if not is_number(w)}
    candidates = [
        (n, s)
        for n, c in enumerate(contexts, 1)
        if c.published and c.published != day and c.language == language
        for s in split_sentences(c.passage)
        if states_what_is_asked(s, question)
        and {t for t in tokenize(s) if is_number(t)} - numbers
        and len(words & content_words(s)) >= dating.shared * len(words)
        and units(said) & units(s)
    ]
    if not candidates:
        return None
    closeness = dating.vectors.embed_sentences([s for _, s in candidates]) @ (
        dating.vectors.embed_query(said)
    )
    best = int(closeness.argmax())
    return candidates[best] if closeness[best] >= dating.same_thing else None


def units(sentence: str) -> set[str]:
    """The words right after its numbers ("250 employees", "97,4 milliards"): a figure for
    the same thing counts the same unit."""
    tokens = tokenize(sentence)
    return {b for a, b in pairwise(tokens) if is_number(a) and not is_number(b)}


def _lead(day: str, language: str) -> str:
    """ "As of 11 April 2025:" in the reader's language."""
    return with_days(localized("as_of", language), language, ("date",), date=day)
