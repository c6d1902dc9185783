"""Amounts: a number and the magnitude words after it, read in a text's language, and
written again in the reader's by code.

A small model turns "1.4 billion" into "1.4亿" (140 million) and "milliards" into
"миллиона" as it translates; the checks then rightly show the passage in its own language
instead. So the passage and the copied words it writes from have their amounts in the
reader's words already ("14亿", "97,4 млрд"), and it only has to copy them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.core.language import UNSPACED_LANGUAGES
from bot.core.patterns import MAGNITUDES, WRITTEN_MAGNITUDES
from bot.core.text import fold, tokenize

_NUMBER = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d+)*")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*([^\W\d_]+)")
_NEXT_CHARACTER = re.compile(r"[ \t\u00a0]*(\w)")
_DECIMAL_POINT = ("en", "zh", "ja")
"""Languages that write a decimal point; the others the bot writes amounts in, a comma."""
_ONE_BELOW_TWO = ("fr", "pt")
"""Languages whose magnitude word stays singular below two ("1,4 milliard")."""


@dataclass(frozen=True)
class Amount:
    """A number with magnitude words after it, where the text writes it."""

    number: str
    """The number as a token ("97.4" for "97,4")."""
    value: int
    start: int
    digits_end: int
    """Where the number as written ends and its magnitude words begin."""
    end: int


def amounts(text: str, language: str) -> Iterator[Amount]:
    """The numbers the text writes with magnitude words after them, read in its language:
    "97,4 milliards" is 97.4 * 10^9, and "1.4亿" (the magnitude run into the next word)
    140 million; words in a row add up ("mil millones", "3千万")."""
    scale = MAGNITUDES.get(language, {})
    following = _NEXT_CHARACTER if language in UNSPACED_LANGUAGES else _NEXT_WORD
    for match in _NUMBER.finditer(text):
        number = tokenize(match[0])
        if len(number) != 1 or not _DIGITS.fullmatch(number[0]):
            continue
        power, end = 0, match.end()
        while (word := following.match(text, end)) and (folded := fold(word[1])) in scale:
            power, end = power + scale[folded], word.end()
        if power:
            value = round(float(number[0]) * 10**power)
            yield Amount(number[0], value, match.start(), match.end(), end)


def quantities(text: str, *languages: str) -> dict[str, set[int]]:
    """The `amounts` of a text read in each of the languages, by the number as written:
    "97,4 milliards" is {"97.4": {97400000000}} in French."""
    found: dict[str, set[int]] = {}
    for amount in (a for language in languages for a in amounts(text, language)):
        found.setdefault(amount.number, set()).add(amount.value)
    return found


def changes_magnitude(told: dict[str, set[int]], said: dict[str, set[int]]) -> bool:
    """Whether the `quantities` a sentence tells give a number the passage's (`said`) with
    another magnitude: "97,4 миллиона" (million) for "97,4 milliards" (billion), or a French
    "billions" (10^12) for an English "billion". A number the passage writes without one is
    not judged here."""
    return any(number in said and not values & said[number] for number, values in told.items())


def in_readers_amounts(text: str, language: str, reader: str) -> str:
    """The text (in `language`) with each of its amounts written as the `reader`'s language
    writes it: "1.4 billion" is "14亿" for a Chinese reader, "1,4 milliard" for a French one.
    Amounts either language has no magnitude words for stay as they are."""
    if reader not in WRITTEN_MAGNITUDES or language == reader:
        return text
    written, last = [], 0
    for amount in amounts(text, language):
        if new := _written(amount.value, reader):
            written += [text[last : amount.start], new]
            last = amount.end
    return "".join([*written, text[last:]])


def with_magnitude(span: str, passage: str, language: str) -> str:
    """The span with the magnitude words the passage writes after the number it ends on:
    "97,4" copied out of "97,4 milliards" is not the passage's amount."""
    ending, copied = tokenize(span)[-1:], span.rstrip()
    for amount in amounts(passage, language):
        written = passage[amount.start : amount.digits_end]
        if ending == [amount.number] and copied.endswith(written):
            return copied + passage[amount.digits_end : amount.end]
    return span


def _written(value: int, reader: str) -> str:
    """`value` as a number and the largest magnitude word of the reader's it reaches; "" when
    it reaches none."""
    reached = [power for power in WRITTEN_MAGNITUDES[reader] if value >= 10**power]
    if not reached:
        return ""
    power = max(reached)
    one, many = WRITTEN_MAGNITUDES[reader][power]
    count = value / 10**power
    digits = f"{count:.3f}".rstrip("0").rstrip(".")
    if reader not in _DECIMAL_POINT:
        digits = digits.replace(".", ",")
    word = one if count == 1 or (reader in _ONE_BELOW_TWO and count < 2) else many
    gap = "" if reader in UNSPACED_LANGUAGES else " "
    return f"{digits}{gap}{word}"
