"""Which reply sentences make a claim worth verifying, and how a verified one is shown."""

from __future__ import annotations

from bot.core.patterns import ATTRIBUTION, NUMBER_WORDS, QUANTITY, SOURCE_TALK
from bot.core.text import (
    MARKER,
    MARKER_AS_WORD,
    content_words,
    is_number,
    name_tokens,
    split_sentences,
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
    """A sentence that only talks about the sources ("Sources:", "The source is [1]."),
    leads into a list ("Meta's deal raises these concerns:") or reads a marker as a word:
    it states nothing itself."""
    text = without_markers(sentence).rstrip()
    return (
        len(content_words(text)) < 2
        or text.endswith(":")
        or (bool(SOURCE_TALK.search(text)) and not name_tokens(text))
        or reads_a_marker_as_a_word(sentence)
    )


def reads_a_marker_as_a_word(sentence: str) -> bool:
    """A marker between two words stands where a fact should be ("methods such as [1] and
    [2]") unless it names a source ("the sources [1] and [2] state that ...")."""
    return any(
        not SOURCE_TALK.search(" ".join(MARKER.sub(" ", sentence[: m.start()]).split()[-2:]))
        for m in MARKER_AS_WORD.finditer(sentence)
    )


def makes_claim(sentence: str, question: str) -> bool:
    """A sentence worth verifying: not talk about the sources, not the question said back,
    not a question of its own."""
    return not (
        is_debris(sentence)
        or restates(sentence, question)
        or sentence.rstrip("»”\"') ").endswith("?")
    )


def claimed(reply: str, question: str) -> str:
    """What a reply claims: its sentences that make a claim, less the rest."""
    return " ".join(s for s in split_sentences(reply) if makes_claim(s, question))


def states_what_is_asked(sentence: str, question: str) -> bool:
    """A question asking how many, how much or which year is answered by a number it does
    not itself hold; a sentence without one leaves it open, however well it is backed."""
    if not QUANTITY.search(question):
        return True
    asked = set(tokenize(question))
    told = tokenize(without_markers(sentence))
    return any((is_number(t) or t in NUMBER_WORDS) and t not in asked for t in told)


def added_terms(reply: str, question: str) -> tuple[set[str], set[str]]:
    """What a reply adds to the question: its numbers and names, which every language writes
    alike, and its other new words (stemmed, folded)."""
    told = without_markers(reply)
    asked = stems(tokenize(question))
    fixed = stems({t for t in tokenize(told) if is_number(t)} | name_tokens(told)) - asked
    return fixed, stems(content_words(told)) - asked - fixed


def corroboration(
    passage: str, fixed: set[str], words: set[str], share: float, same_language: bool
) -> int:
    """How much of what the reply added the passage states; 0 unless that is one of its
    numbers or names (`fixed`), or, in the reply's language, two or more of its new `words`
    and at least `share` of them: one shared word is as often a function word as a fact."""
    held = stems(tokenize(passage))
    named, said = len(fixed & held), len(words & held) if same_language else 0
    return named + said if named or (said >= 2 and said >= share * len(words)) else 0


def cite(sentence: str, numbers: list[int]) -> str:
    """The sentence as shown: its own markers replaced by the verified ones."""
    return with_markers(without_markers(sentence), numbers)


def credited(sentence: str) -> list[str]:
    """The names a sentence says something came from ("according to Le Monde", "Reuters
    reported", "did Le Monde report"), as written; a lone capitalised first word is left
    out, as a capital there says nothing."""
    text = without_markers(sentence)
    found = [m for pattern in ATTRIBUTION for m in pattern.finditer(text)]
    return [m.group(1) for m in found if _after_a_word(text, m.start(1)) or " " in m.group(1)]


def _after_a_word(text: str, start: int) -> bool:
    """Whether a word comes before `start`: not the sentence's first word, whatever opens it
    ("¿Quién escribió …?")."""
    return any(ch.isalnum() for ch in text[:start])


def attributed(sentence: str) -> set[str]:
    """The folded, stemmed names a sentence credits (see `credited`)."""
    return {t for name in credited(sentence) for t in stems(tokenize(name))}


def attributes_truly(sentence: str, passage: str) -> bool:
    """Every source the sentence credits is written as a name in the passage that backs it:
    "Le Monde reported" needs "Le Monde", not the words "le monde"."""
    return attributed(sentence) <= stems(written_names(passage))
