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
from dataclasses import dataclass, replace

from bot.core.language import UNSPACED_LANGUAGES
from bot.core.patterns import (
    AMOUNT,
    CURRENCY_OF,
    CURRENCY_SIGNS,
    MAGNITUDES,
    UNIT_LINKS,
    UNIT_SIGNS,
    UNITS,
    WRITTEN_CURRENCIES,
    WRITTEN_MAGNITUDES,
)
from bot.core.text import fold, spliced, tokenize

_NUMBER = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d+)*")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*([^\W\d_]+)")
_NEXT_CHARACTER = re.compile(r"[ \t\u00a0]*(\w)")
_LINKED_WORD = re.compile(r"[ \t\u00a0'\u2019]*([^\W\d_]+)")
_SIGN_AFTER = re.compile(r"[ \t\u00a0\u202f]*(%)")
"""A percent sign after a number, spaced as French and Vietnamese space it or not."""
_NOTHING_AFTER = re.compile(r"[ \t\u00a0]*(?:\[\d+\]|[.,;:!?)]|$)")
"""What may follow an amount that writes no unit at all: a marker, a stop, the end."""
_DECIMAL = re.compile(r"(\d+)[.,](\d{1,2})")
"""A number with one to two decimals, either mark: not thousands grouped."""
_PERCENTAGE = re.compile(rf"(?<![\d.,]){_DECIMAL.pattern}(?={_SIGN_AFTER.pattern})")
"""A share with one to two decimals ("2.5%"): a sign no version number writes."""
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
    kind: str = ""
    """What it counts, from the unit written with it (`UNITS`): "money", "time", "share";
    "" for a unit the bot does not know, or none."""
    currency: str = ""
    """Which money it is ("usd", "eur"), from its sign or its words (`CURRENCY_OF`)."""
    whole: tuple[int, int] = (0, 0)
    """Where the amount starts and ends with its currency: from a sign before it, to the
    last currency word after it ("milliards de dollars")."""


Quantity = tuple[int, str]
"""An amount's value and kind, as `quantities` gives them."""


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
            yield _measured(
                text, Amount(number[0], value, match.start(), match.end(), end), language
            )


def _measured(text: str, amount: Amount, language: str) -> Amount:
    """The amount with what it counts: a sign after it or before it ("$10 billion"), else
    the unit words after it (`_unit`); and, for money, which currency and where it ends."""
    if after := _SIGN_AFTER.match(text, amount.end):
        return replace(amount, kind=UNIT_SIGNS[after[1]], whole=(amount.start, amount.end))
    head = text[: amount.start].rstrip()
    sign = head[-1:]
    if sign in UNIT_SIGNS:
        start = len(head) - 1 if not head[-2:-1].isalpha() else amount.start  # not "US$"
        currency = CURRENCY_SIGNS.get(sign, "") if start < amount.start else ""
        return replace(amount, kind=UNIT_SIGNS[sign], currency=currency, whole=(start, amount.end))
    unit, end = _unit(text, amount.end, language)
    kind = UNITS.get(language, {}).get(unit, "")
    currency = CURRENCY_OF.get(language, {}).get(unit, "")
    return replace(
        amount, kind=kind, currency=currency, whole=(amount.start, end if currency else amount.end)
    )


def _unit(text: str, end: int, language: str) -> tuple[str, int]:
    """The unit the text writes from `end` on, past one link word ("milliards de dollars")
    and an abbreviation's point ("Mrd. Euro"), as `UNITS` keys it (one or two words, as
    written or folded: "đô la"), and where it ends; ("", end) for none."""
    units = UNITS.get(language, {})
    if language in UNSPACED_LANGUAGES:
        rest = text[end:].lstrip()
        found = next((unit for unit in units if rest.startswith(unit)), "")
        return found, (len(text) - len(rest) + len(found) if found else end)
    word = _NEXT_WORD.match(text, end + text.startswith(".", end))
    if word and fold(word[1]) in UNIT_LINKS.get(language, ()):
        word = _LINKED_WORD.match(text, word.end())
    if not word:
        return "", end
    after = _NEXT_WORD.match(text, word.end())
    phrases = [(f"{word[1]} {after[1]}", after.end())] if after else []
    for written, stop in [*phrases, (word[1], word.end())]:
        for key in (written.lower(), fold(written)):
            if key in units:
                return key, stop
    return "", end


def asked_kind(question: str, language: str) -> str:
    """The kind of amount a question asks for, from the unit it names right after asking
    how many ("bao nhiêu năm", "how many years", "combien d'années"); "" for none."""
    units = UNITS.get(language, {})
    named = (_unit(question, m.end(), language)[0] for m in AMOUNT.finditer(question))
    return next((units[unit] for unit in named if unit), "")


def of_another_kind(span: str, passage: str, language: str, kind: str) -> bool:
    """Whether the passage writes the span's numbers only in amounts of a known kind other
    than `kind`: "10" copied out of "10 milliards de dollars" does not say how many years."""
    if not kind:
        return False
    numbers = set(tokenize(span))
    kinds = {a.kind for a in amounts(passage, language) if a.number in numbers}
    return bool(kinds) and kind not in kinds and "" not in kinds


def quantities(text: str, *languages: str) -> dict[str, set[Quantity]]:
    """The `amounts` of a text read in each of the languages, by the number as written:
    "97,4 milliards de dollars" is {"97.4": {(97400000000, "money")}} in French."""
    found: dict[str, set[Quantity]] = {}
    for amount in (a for language in languages for a in amounts(text, language)):
        found.setdefault(amount.number, set()).add((amount.value, amount.kind))
    return found


def changes_amount(told: dict[str, set[Quantity]], said: dict[str, set[Quantity]]) -> bool:
    """Whether the `quantities` a sentence tells give a number the passage's (`said`) with
    another magnitude: "97,4 миллиона" (million) for "97,4 milliards" (billion), or a French
    "billions" (10^12) for an English "billion"; or as another kind of thing: "10 tỷ năm"
    (years) for "10 milliards de dollars". A number the passage writes without a magnitude
    is not judged here, nor a kind either text leaves unknown."""
    return any(
        number in said and not any(_same(t, s) for t in readings for s in said[number])
        for number, readings in told.items()
    )


def _same(told: Quantity, said: Quantity) -> bool:
    """One value, and no two kinds known to differ."""
    return told[0] == said[0] and (told[1] == said[1] or not told[1] or not said[1])


def keeps_amounts(text: str, language: str, original: str, source: str) -> bool:
    """Whether a text in the reader's `language`, written from `original` (in `source`),
    tells its amounts at their magnitudes and as their kinds (`changes_amount`). The
    original is read in both languages: its amounts may be in the reader's words already
    (`in_readers_amounts`)."""
    said = quantities(original, source, language)
    return not changes_amount(quantities(text, language), said)


def in_readers_amounts(
    text: str, language: str, reader: str, stated: set[int] | None = None
) -> str:
    """The text (in `language`) with each of its amounts written as the `reader`'s language
    writes it, its currency too: "1.4 billion" is "14亿" for a Chinese reader, "97,4
    milliards de dollars" "97,4 tỷ đô la" for a Vietnamese one. Amounts either language has
    no magnitude words for stay as they are, and so do the words of a currency the reader's
    has none for. `stated`: only amounts of these values are rewritten."""
    if reader not in WRITTEN_MAGNITUDES or language == reader:
        return text
    edits = []
    for amount in amounts(text, language):
        currency = WRITTEN_CURRENCIES[reader].get(amount.currency, "")
        new = _written(amount.value, reader, currency)
        if not new or (stated is not None and amount.value not in stated):
            continue
        start, end = amount.whole if currency else (amount.start, amount.end)
        edits.append((start, end, new))
    return spliced(text, edits)


def in_readers_marks(text: str, reader: str) -> str:
    """The text, in the `reader`'s language, with its amounts' and shares' decimals marked
    as that language marks them: to a Vietnamese reader "1.4 tỷ" is fourteen hundred
    million, and "1,4 tỷ" is what the model meant. A mark before three digits ("1.400") may
    group thousands, and stays; so does a number with neither ("Ernie 4.5", a version)."""
    if reader not in WRITTEN_MAGNITUDES:
        return text
    decimals = [
        decimal
        for amount in amounts(text, reader)
        if (decimal := _DECIMAL.fullmatch(text, amount.start, amount.digits_end))
    ]
    mark = _decimal_mark(reader)
    edits = [
        (decimal.start(), decimal.end(), f"{decimal[1]}{mark}{decimal[2]}")
        for decimal in sorted([*decimals, *_PERCENTAGE.finditer(text)], key=re.Match.start)
    ]
    return spliced(text, edits)


def currencies(text: str, language: str) -> dict[int, str]:
    """The currency of each amount of money the text writes, by value."""
    return {a.value: a.currency for a in amounts(text, language) if a.currency}


def with_currencies(text: str, language: str, stated: dict[int, str]) -> str:
    """The text with the `language`'s words for the currency `stated` of each amount it
    writes with no unit at all ("97,4 tỷ [1]" for "97,4 milliards de dollars"): an amount
    of money without its currency does not say how much."""
    edits = []
    for amount in amounts(text, language):
        code = stated.get(amount.value, "")
        words = WRITTEN_CURRENCIES.get(language, {}).get(code, "")
        if amount.kind or not words or not _NOTHING_AFTER.match(text, amount.end):
            continue
        edits.append((amount.end, amount.end, f"{_gap(language)}{words}"))
    return spliced(text, edits)


def with_whole_amount(span: str, passage: str, language: str) -> str:
    """The span with the magnitude and currency words the passage writes after the number
    (or the magnitude) it ends on: "97,4" or "97,4 milliards" copied out of "97,4 milliards
    de dollars" is not the passage's amount."""
    ending, copied = tokenize(span)[-1:], span.rstrip()
    for amount in amounts(passage, language):
        for stop in (amount.digits_end, amount.end):
            written = passage[amount.start : stop]
            if tokenize(written)[-1:] == ending and copied.endswith(written):
                return copied + passage[stop : amount.whole[1]]
    return span


def _written(value: int, reader: str, currency: str = "") -> str:
    """`value` as a number and the largest magnitude word of the reader's it reaches, then
    the reader's `currency` words if any; "" when it reaches none."""
    reached = [power for power in WRITTEN_MAGNITUDES[reader] if value >= 10**power]
    if not reached:
        return ""
    power = max(reached)
    one, many = WRITTEN_MAGNITUDES[reader][power]
    count = value / 10**power
    digits = f"{count:.3f}".rstrip("0").rstrip(".")
    digits = digits.replace(".", _decimal_mark(reader))
    word = one if count == 1 or (reader in _ONE_BELOW_TWO and count < 2) else many
    gap = _gap(reader)
    amount = f"{digits}{gap}{word}"
    return f"{amount}{gap}{currency}" if currency else amount


def _decimal_mark(language: str) -> str:
    """The mark the language writes before a number's decimals."""
    return "." if language in _DECIMAL_POINT else ","


def _gap(language: str) -> str:
    """What the language writes between a number and its words: a space, or none."""
    return "" if language in UNSPACED_LANGUAGES else " "
