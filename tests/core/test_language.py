"""Language identification of short texts, by their letters."""

from __future__ import annotations

import pytest

from bot.core.language import vietnamese_by_letters


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [
        ("The Doctor has never traveled alone", False),
        ("Le contrat court sur six ans", False),
        ("Meta trả 10 tỷ đô la", True),
        ("Rollo đã đến", True),
        ("It was Hốt Tất Liệt", None),  # a Vietnamese name in an English sentence
        ("Tropical Storm Fay", None),
        ("Năm 1281", None),
    ],
)
def test_a_short_texts_letters_tell_vietnamese_only_when_they_can(
    text: str, vietnamese: bool | None
) -> None:
    assert vietnamese_by_letters(text) is vietnamese
