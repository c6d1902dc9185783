"""Which reply sentences make a claim worth verifying, and how a verified one is shown."""

from __future__ import annotations

from bot.patterns import SOURCE_TALK
from bot.text import content_words, name_tokens, stems, with_markers, without_markers


def restates(sentence: str, question: str) -> bool:
    """A sentence with no word the question lacks answers nothing ("Highways in the Amazon
    were built for farmers [3]."), however well the sources back it."""
    return not stems(content_words(without_markers(sentence))) - stems(content_words(question))


def is_debris(sentence: str) -> bool:
    """A sentence that only talks about the sources ("Sources:", "The source is [1].")."""
    text = without_markers(sentence)
    return len(content_words(text)) < 2 or (
        bool(SOURCE_TALK.search(text)) and not name_tokens(text)
    )


def cite(sentence: str, numbers: list[int]) -> str:
    """The sentence as shown: its own markers replaced by the verified ones."""
    return with_markers(without_markers(sentence), numbers)
