"""The words of a passage that answer the question, as the model copies them out. Asked of
a quoted passage alone, a small model finds an answer it missed among all the sources, and
says NONE for a passage its wrong reply pointed to. The copy is checked, not trusted: it
must stand in the passage word for word and add words the question lacks. Then the passage
is the answer; otherwise it stays the closest passage."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from bot.answer.prompts import load_prompt, side_reply
from bot.core.patterns import SPELLED_NUMBERS
from bot.core.text import tokenize, without_markers

SPAN_TOKENS = 24
"""Reply tokens an extraction may take: a name, a number or a short phrase."""
NO_SPAN = "NONE"
"""What the prompt tells the model to write when the passage does not answer."""


def extraction_prompt(passage: str, question: str) -> str:
    """The extraction request as the model reads it, to count its tokens."""
    return load_prompt("extract").format(passage=passage, question=question)


def extract(
    llm: BaseChatModel, passage: str, question: str, max_tokens: int, deadline: float
) -> str:
    """The words of `passage` the model says answer `question`; empty when it finds none or
    `max_tokens` or the `deadline` (a monotonic time) cut it off."""
    inputs = {"passage": passage, "question": question}
    span = side_reply(llm, "extract", inputs, max_tokens, deadline).strip(" \t\"'“”«».:")
    return "" if span.upper() == NO_SPAN else span


def holds(sentence: str, span: str) -> bool:
    """Whether the sentence writes the span word for word (case and accents aside, a number
    in digits or in words: "6" stands in "six-time Grammy winner")."""
    return bool(span) and _words(span) in _words(without_markers(sentence))


def answers_in(span: str, passage: str, question: str, new: float) -> bool:
    """A span that answers: copied from the passage, and more than a `new` share of its
    words not the question's (more than the question said back)."""
    words = set(tokenize(span))
    return holds(passage, span) and len(words - set(tokenize(question))) > new * len(words)


def _words(text: str) -> str:
    """The folded words without punctuation, numbers as digits, padded so a match starts
    and ends at a word."""
    return f" {' '.join(SPELLED_NUMBERS.get(t, t) for t in tokenize(text))} "
