"""Dates as the reader writes them. A small model copies a date's month in the article's
language into its answer ("vào ngày 8 February 2007"); the checks rightly accept it, as the
article states that date, and the date is then written again in the reader's words ("8
tháng 2 năm 2007"), as amounts are (`amounts.in_readers_amounts`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bot.answer.prompts import own_group
from bot.core.language import LANGUAGES
from bot.core.patterns import MONTH_NUMBERS
from bot.core.text import fold, spliced

_WORD = re.compile(r"[^\W\d_]+")
_DAY_BEFORE = re.compile(r"(?<!\d)(\d{1,2})(?:er|st|nd|rd|th)?\.?[ \u00a0]+(?:de[ \u00a0]+)?$")
_DAY_AFTER = re.compile(r"[ \u00a0]+(\d{1,2})(?:st|nd|rd|th)?(?![\d.,]\d)")
_YEAR_AFTER = re.compile(r",?[ \u00a0]+(?:de[ \u00a0]+)?(\d{4})(?!\d)")
_REACH = 12
"""How far before a month name its day can start ("1er ", "8. ", "8 de ")."""


@dataclass(frozen=True)
class Date:
    """A date the text writes with its month's name, and where."""

    start: int
    end: int
    month: int
    day: int | None
    year: int | None
    name: str
    """The month's name as written."""


def dates(text: str) -> Iterator[Date]:
    """The dates the text writes with a month's name and a day, a year or both: "8 February
    2007", "October 8, 2015", "juillet 1961", "8 de febrero de 2007"."""
    taken = 0  # where the last date ended: "February 8 March 2007" is not two dates' 8
    for word in _WORD.finditer(text):
        month = _month(word[0])
        if not month or word.start() < taken:
            continue
        start, end, day, year = word.start(), word.end(), None, None
        if before := _DAY_BEFORE.search(text[max(taken, start - _REACH) : start]):
            start, day = start - len(before[0]), int(before[1])
        elif after := _DAY_AFTER.match(text, end):
            end, day = after.end(), int(after[1])
        if found := _YEAR_AFTER.match(text, end):
            end, year = found.end(), int(found[1])
        if (day or year) and (day is None or 1 <= day <= 31):
            taken = end
            yield Date(start, end, month, day, year, word[0])


def _month(word: str) -> int:
    """The month the word names, written as its language writes it (capitalised in English,
    lower case in French: "Mars 2020" is a mission, "mars 2020" a month); 0 for none."""
    folded = fold(word)
    number = MONTH_NUMBERS.get(folded, 0)
    return number if folded in _written_months()[word[:1].isupper()] else 0


@cache
def _written_months() -> dict[bool, frozenset[str]]:
    """The months' names (folded) each reader's language writes, by whether it capitalises
    them."""
    names = [n for code in LANGUAGES for n in _months(code)]
    return {
        case: frozenset(fold(n) for n in names if n[:1].isupper() == case) for case in (True, False)
    }


@cache
def _months(language: str) -> tuple[str, ...]:
    """The language's twelve months' names; none for a language with no texts."""
    listed = own_group("dates", language).get("months", "")
    return tuple(listed.split(",")) if listed else ()


def in_readers_dates(text: str, reader: str) -> str:
    """The text with each date whose month is named in another language than the
    `reader`'s written as the reader's language writes dates; dates its language has no
    form for stay as written."""
    own = {fold(n) for n in _months(reader)}
    edits = [
        (date.start, date.end, new)
        for date in dates(text)
        if fold(date.name) not in own and (new := _written(date, reader, text[: date.start]))
    ]
    return spliced(text, edits)


def written_day(day: str, reader: str, before: str = "") -> str:
    """A day the bot tells (ISO: "2025-04-11") as the reader's language writes dates ("11
    April 2025", "ngày 11 tháng 4 năm 2025"); anything else (a month alone, none), or in a
    language with no forms, as it stands."""
    try:
        parsed = datetime.date.fromisoformat(day)
    except ValueError:
        return day
    told = Date(0, len(day), parsed.month, parsed.day, parsed.year, "")
    return _written(told, reader, before) or day


def with_days(template: str, reader: str, days: tuple[str, ...], **fields: str) -> str:
    """One of the reader's texts filled in, its fields named in `days` (ISO days) written
    as `written_day` writes them, after the words the text writes before each."""
    written = {
        name: written_day(fields[name], reader, template.split(f"{{{name}}}", 1)[0])
        for name in days
    }
    return template.format(**(fields | written))


def _written(date: Date, reader: str, before: str) -> str:
    """The date in the reader's form for it, with their name of its month, "" when their
    language has none; the form's words before the date ("ngày") are not written again
    where the text already writes them (`before`)."""
    forms, months = own_group("dates", reader), _months(reader)
    form = forms.get(_form(date), "")
    if not form or not months:
        return ""
    day = forms["first_day"] if date.day == 1 else date.day
    new = form.format(day=day, month=months[date.month - 1], year=date.year)
    lead = form.split("{", 1)[0]
    said = before.rstrip().lower()
    return new.removeprefix(lead) if lead.strip() and said.endswith(lead.strip().lower()) else new


def _form(date: Date) -> str:
    """Which of the reader's forms writes the date."""
    if date.day and date.year:
        return "day_month_year"
    return "day_month" if date.day else "month_year"
