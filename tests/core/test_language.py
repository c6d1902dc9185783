"""Language identification of short texts: by their letters, and by their words less names."""

from __future__ import annotations

import pytest

from bot.core.language import detect_language, vietnamese_by_letters


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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Names and numbers are written alike in every language: left out, they do not
        # outvote the sentence's own words (each read as Dutch or Vietnamese before).
        ("Carl Wilhelm Scheele discovered oxygen in Uppsala, Sweden, in 1773.", "en"),
        ("The Tran dynasty crushed and defeated the Mongols at the Battle of Bạch Đằng.", "en"),
        ("Le 12 mars, OpenAI a annoncé GPT-5 à San Francisco.", "fr"),
        ("Đội Panthers đã ghi nhận 308 điểm.", "vi"),
        ("Who is Sam Altman?", "en"),  # too few words left: read whole
        ("百度发布了Ernie X1和Ernie 4.5两个新的AI模型。", "zh"),  # names run into the Chinese
    ],
)
def test_a_sentence_dense_with_names_is_told_by_its_other_words(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("OpenAI上周宣布了什么？", "zh"),  # one run of letters, no spaces: still Chinese
        ("先週OpenAIは何を発表しましたか？", "ja"),
        ("Berita AI minggu lalu?", "id"),  # short Indonesian, which py3langid reads as Malay
        ("Wie viel hat Elon Musk für OpenAI geboten?", "de"),
        ("지난주 OpenAI는 무엇을 발표했나요?", "ko"),
        ("埃隆·马斯克出价多少收购OpenAI？", "zh"),  # py3langid says Wu Chinese
        ("Tencent (腾讯) has 1.4 billion users.", "en"),  # a name in Han letters
        ("Что сказал Маск?", "ru"),  # short Russian, which py3langid reads as Bulgarian
    ],
)
def test_questions_in_the_other_languages_are_told(text: str, language: str) -> None:
    assert detect_language(text) == language
