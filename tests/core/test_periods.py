"""Relative periods in questions, resolved against a fixed day (a Tuesday)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.periods import period

TUESDAY = date(2025, 12, 2)


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("What did OpenAI announce last week?", "2025-11-24", "2025-11-30"),
        ("Qu'a annoncé OpenAI la semaine dernière ?", "2025-11-24", "2025-11-30"),
        ("OpenAI đã công bố gì tuần trước?", "2025-11-24", "2025-11-30"),
        ("What happened this week?", "2025-12-01", "2025-12-02"),
        ("What did Meta say yesterday?", "2025-12-01", "2025-12-01"),
        ("Que s'est-il passé hier ?", "2025-12-01", "2025-12-01"),
        ("Hôm nay có tin gì về AI?", "2025-12-02", "2025-12-02"),
        ("Any news about Nvidia last month?", "2025-11-01", "2025-11-30"),
        ("Quoi de neuf le mois dernier ?", "2025-11-01", "2025-11-30"),
        ("Tháng này có gì mới?", "2025-12-01", "2025-12-02"),
        ("What was reported in the last 10 days?", "2025-11-22", "2025-12-02"),
        ("Les 3 derniers jours ?", "2025-11-29", "2025-12-02"),
        ("Tin AI 7 ngày qua?", "2025-11-25", "2025-12-02"),
        ("Was hat OpenAI letzte Woche angekündigt?", "2025-11-24", "2025-11-30"),
        ("¿Qué anunció OpenAI la semana pasada?", "2025-11-24", "2025-11-30"),
        ("Cosa è successo ieri?", "2025-12-01", "2025-12-01"),
        ("O que aconteceu ontem?", "2025-12-01", "2025-12-01"),
        ("Nieuws van vorige maand?", "2025-11-01", "2025-11-30"),
        ("Новости за последние 7 дней?", "2025-11-25", "2025-12-02"),
        ("Co się stało wczoraj?", "2025-12-01", "2025-12-01"),
        ("Berita AI minggu ini?", "2025-12-01", "2025-12-02"),
        ("OpenAI上周宣布了什么？", "2025-11-24", "2025-11-30"),
        ("今月のAIニュースは？", "2025-12-01", "2025-12-02"),
        ("지난주 OpenAI는 무엇을 발표했나요?", "2025-11-24", "2025-11-30"),
        ("ماذا أعلنت OpenAI الأسبوع الماضي؟", "2025-11-24", "2025-11-30"),
    ],
)
def test_relative_periods_resolve_against_the_given_day(question: str, first: str, last: str):
    span = period(question, TUESDAY)
    assert span is not None and (span[0].isoformat(), span[1].isoformat()) == (first, last)


@pytest.mark.parametrize(
    "question",
    [
        "How much has Mark Zuckerberg committed to AI this year?",
        "Combien Meta investit-elle cette année ?",
        "Đầu tư tư nhân năm ngoái là bao nhiêu?",
        "How much did Elon Musk offer to buy OpenAI?",
        "Who wrote the hierarchy report?",
    ],
)
def test_years_and_questions_without_a_period_are_not_resolved(question: str) -> None:
    """A year in a question echoes the article's own words; its year is the article's."""
    assert period(question, TUESDAY) is None


@pytest.mark.parametrize(
    ("question", "language", "yesterday"),
    [
        ("Que s'est-il passé hier ?", "fr", True),
        ("Was steht hier über Meta?", "de", False),  # German and Dutch "hier" is "here"
        ("Wat staat hier over Meta?", "nl", False),
    ],
)
def test_hier_is_yesterday_only_where_it_is_not_here(
    question: str, language: str, yesterday: bool
) -> None:
    assert (period(question, TUESDAY, language) is not None) == yesterday
