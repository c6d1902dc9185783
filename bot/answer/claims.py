"""Which reply sentences make a claim worth verifying, and how a verified one is shown."""

from __future__ import annotations

from bot.core.patterns import ATTRIBUTION, SOURCE_TALK
from bot.core.text import (
    content_words,
    name_tokens,
    stems,
    tokenize,
    with_markers,
    without_markers,
    written_names,
)


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


def attributed(sentence: str) -> set[str]:
    """The folded names a sentence says something came from ("according to Le Monde",
    "Reuters reported"): its first word is left out, as a capital there says nothing."""
    text = without_markers(sentence)
    found = [m for pattern in ATTRIBUTION for m in pattern.finditer(text)]
    return {
        t for m in found for t in stems(tokenize(m.group(1))) if m.start(1) > 0 or " " in m.group(1)
    }


def attributes_truly(sentence: str, passage: str) -> bool:
    """Every source the sentence credits is written as a name in the passage that backs it:
    "Le Monde reported" needs "Le Monde", not the words "le monde"."""
    return attributed(sentence) <= stems(written_names(passage))
