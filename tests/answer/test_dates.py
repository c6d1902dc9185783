"""Dates and decimals in the reader's words: a month the model copied in the article's
language, or a decimal point a Vietnamese reader reads as grouping thousands, is written
again as the reader's language writes it. Pure text, no model."""

from __future__ import annotations

import pytest

from bot.answer.amounts import in_readers_marks
from bot.answer.answering import out_of_range
from bot.answer.dates import dates, in_readers_dates, with_days, written_day
from bot.answer.prompts import localized
from bot.core.article import ArticleFilter


@pytest.mark.parametrize(
    ("text", "reader", "shown"),
    [
        ("Vào ngày 8 February 2007 [1].", "vi", "Vào ngày 8 tháng 2 năm 2007 [1]."),
        ("Vào 8 February 2007 [1].", "vi", "Vào ngày 8 tháng 2 năm 2007 [1]."),
        ("Bầu vào October 8, 2015 [1].", "vi", "Bầu vào ngày 8 tháng 10 năm 2015 [1]."),
        ("Ủy ban họp vào July 1961 [1].", "vi", "Ủy ban họp vào tháng 7 năm 1961 [1]."),
        ("He was born on 8 février 2007 [1].", "en", "He was born on 8 February 2007 [1]."),
        ("Il est né le 1 March 2007.", "fr", "Il est né le 1er mars 2007."),
        ("Am 8 de febrero de 2007.", "de", "Am 8. Februar 2007."),
        ("July 28 [1]", "ko", "7월 28일 [1]"),
        ("8 February 2007", "zh", "2007年2月8日"),
    ],
)
def test_a_date_named_in_another_language_is_written_as_the_reader_writes_dates(
    text: str, reader: str, shown: str
) -> None:
    assert in_readers_dates(text, reader) == shown


@pytest.mark.parametrize(
    ("text", "reader"),
    [
        ("He was elected on October 8, 2015 [1].", "en"),  # the reader's own month
        ("Le rover Mars 2020 s'est posé [1].", "fr"),  # a mission: French writes "mars"
        ("Tàu Mars 2020 đã hạ cánh [1].", "vi"),
        ("Hẹn sáng mai 8 giờ [1].", "vi"),  # "mai" is tomorrow, not May
        ("Newcastle thay ông vào tháng 1/1756 [1].", "vi"),  # already the reader's
        ("Signed in March [1].", "vi"),  # a month alone is no date
        ("le 8 février 2007", "sw"),  # no forms for a language without texts
        ("в феврале 2007 года", "ru"),  # its case depends on the words before: as written
    ],
)
def test_what_is_no_date_or_has_no_form_for_the_reader_stays_as_written(
    text: str, reader: str
) -> None:
    assert in_readers_dates(text, reader) == text


def test_dates_read_their_day_and_year_around_the_month() -> None:
    found = [(d.day, d.month, d.year) for d in dates("On 8 February 2007 and October 8, 2015.")]
    assert found == [(8, 2, 2007), (8, 10, 2015)]
    assert [d.day for d in dates("On 45 March 2007.")] == []
    apart = [(d.day, d.month, d.year) for d in dates("February 8 March 2007")]
    assert apart == [(8, 2, None), (None, 3, 2007)]  # one day is one date's


@pytest.mark.parametrize(
    ("text", "reader", "shown"),
    [
        ("Dân số 1.4 tỷ người [1].", "vi", "Dân số 1,4 tỷ người [1]."),
        ("A population of 1,4 billion [1].", "en", "A population of 1.4 billion [1]."),
        ("Ernie 4.5 : 2.75 milliards d'euros.", "fr", "Ernie 4.5 : 2,75 milliards d'euros."),
        ("Khoản đầu tư 1.400 tỷ đồng [1].", "vi", "Khoản đầu tư 1.400 tỷ đồng [1]."),
        (
            "Une hausse de 2.5% et de 0.75 %, v1.2 [1].",
            "fr",
            "Une hausse de 2,5% et de 0,75 %, v1.2 [1].",
        ),
        ("Up 12,25% to 1,5 billion [1].", "en", "Up 12.25% to 1.5 billion [1]."),
        ("Growth of 1.250% [1].", "vi", "Growth of 1.250% [1]."),
        ("Tăng 3.5\u202f% [1].", "vi", "Tăng 3,5\u202f% [1]."),  # French typography's narrow space
    ],
)
def test_an_amounts_decimal_is_marked_as_the_readers_language_marks_it(
    text: str, reader: str, shown: str
) -> None:
    assert in_readers_marks(text, reader) == shown


@pytest.mark.parametrize(
    ("reader", "shown"),
    [
        ("en", "As of 1 April 2025:"),
        ("fr", "Au 1er avril 2025 :"),
        ("vi", "Tính đến ngày 1 tháng 4 năm 2025:"),
        ("zh", "截至2025年4月1日："),
        ("sw", "As of 2025-04-01:"),  # no forms for a language without texts: as it stands
    ],
)
def test_a_day_the_bot_tells_is_written_as_the_readers_language_writes_dates(
    reader: str, shown: str
) -> None:
    assert with_days(localized("as_of", reader), reader, ("date",), date="2025-04-01") == shown


def test_a_forms_lead_word_the_text_writes_before_the_day_is_not_written_twice() -> None:
    template = "bài mới nhất đăng ngày {newest}."
    assert with_days(template, "vi", ("newest",), newest="2025-04-11") == (
        "bài mới nhất đăng ngày 11 tháng 4 năm 2025."
    )


def test_what_is_no_day_stays_as_it_stands() -> None:
    assert written_day("2025-09", "en") == "2025-09"  # a month alone
    assert written_day("…", "vi") == "…"
    assert written_day("2025-09-01", "ru") == "1 сентября 2025 года"


@pytest.mark.parametrize(
    ("since", "until", "reader", "shown"),
    [
        ("2026-12-07", "2026-12-07", "vi", "Không có bài báo nào đăng ngày 7 tháng 12 năm 2026;"),
        ("2026-12-07", "2026-12-07", "en", "No article is dated 7 December 2026;"),
        ("2026-12-01", "2026-12-07", "en", "No article is dated from 1 December 2026 to 7"),
        ("2026-12-01", "", "en", "No article is dated 1 December 2026 or later;"),
        ("", "2020-01-31", "fr", "Aucun article n'est daté du 31 janvier 2020 ou avant ;"),
        ("2026-12-01", "", "vi", "Không có bài báo nào đăng từ ngày 1 tháng 12 năm 2026 trở đi;"),
    ],
)
def test_a_period_is_named_as_it_was_asked_in_a_refusal(
    since: str, until: str, reader: str, shown: str
) -> None:
    refused = out_of_range("?", reader, ArticleFilter(since, until), "2025-09-02")
    assert refused.text.startswith(shown)


def test_a_period_in_articles_with_no_dates_is_named_as_it_was_asked() -> None:
    refused = out_of_range("?", "en", ArticleFilter("", "2020-01-31"), "")
    assert refused.text == (
        "No article has a publication date, so none can be placed on or before 31 January 2020."
    )
