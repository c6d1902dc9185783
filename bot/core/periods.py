"""Relative periods in a question ("last week", "la semaine dernière", "tuần trước", in the 15
languages the bot tells apart) as the days they mean on a given day, so the question draws
only on articles published then.

Days, weeks and months only. A year ("this year", "l'an dernier", "năm ngoái") is left alone:
in a question it most often echoes the article's own words, whose year is the article's,
not today's ("How much has Meta committed to AI this year?").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.core.patterns import (
    FRENCH_YESTERDAY,
    HIER_MEANS_HERE,
    LAST_DAYS,
    LAST_MONTH,
    LAST_WEEK,
    THIS_MONTH,
    THIS_WEEK,
    TODAY,
    YESTERDAY,
)

Span = tuple[date, date]


def _week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _month_start(day: date) -> date:
    """The first of `day`'s month."""
    return day.replace(day=1)


def _today(day: date) -> Span:
    return day, day


def _yesterday(day: date) -> Span:
    return day - timedelta(days=1), day - timedelta(days=1)


def _this_week(day: date) -> Span:
    return _week_start(day), day


def _last_week(day: date) -> Span:
    monday = _week_start(day) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


def _this_month(day: date) -> Span:
    return _month_start(day), day


def _last_month(day: date) -> Span:
    end = _month_start(day) - timedelta(days=1)
    return _month_start(end), end


_NAMED: list[tuple[re.Pattern[str], Callable[[date], Span]]] = [
    (TODAY, _today),
    (YESTERDAY, _yesterday),
    (THIS_WEEK, _this_week),
    (LAST_WEEK, _last_week),
    (THIS_MONTH, _this_month),
    (LAST_MONTH, _last_month),
]


def period(question: str, today: date, language: str = "") -> Span | None:
    """The first and last day (inclusive) the question's relative period means on `today`;
    None when it names none. `language`, the question's, tells a French "hier" (yesterday)
    from a German or Dutch one (here)."""
    counted = LAST_DAYS.search(question)
    if counted:
        days = int(next(g for g in counted.groups() if g))
        return today - timedelta(days=days), today
    for pattern, span in _NAMED:
        if pattern.search(question):
            return span(today)
    if language not in HIER_MEANS_HERE and FRENCH_YESTERDAY.search(question):
        return _yesterday(today)
    return None
