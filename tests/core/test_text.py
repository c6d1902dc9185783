"""The shared text logic, in English, French and Vietnamese, and in other scripts."""

from __future__ import annotations

import pytest

from bot.answer.claims import attributed, attributes_truly
from bot.core.text import (
    complete_sentences,
    content_words,
    fold,
    is_syllable,
    joined,
    markers,
    marks,
    name_tokens,
    names,
    reinflects,
    shingles,
    split_sentences,
    stated_numbers,
    tokenize,
    with_markers,
    without_markers,
    word_count,
    written_names,
)


def test_sentences_in_three_languages_keep_numbers_and_abbreviations_whole() -> None:
    assert split_sentences("The U.S. market grew 97.4% in 2025. Then it fell!") == [
        "The U.S. market grew 97.4% in 2025.",
        "Then it fell!",
    ]
    assert split_sentences("Musk a offert 97,4 milliards. « C'est non. » Altman a refusé.") == [
        "Musk a offert 97,4 milliards.",
        "« C'est non. »",
        "Altman a refusé.",
    ]
    assert split_sentences("WeChat có gần 1,4 tỷ người dùng. Tencent tích hợp Ernie X1.") == [
        "WeChat có gần 1,4 tỷ người dùng.",
        "Tencent tích hợp Ernie X1.",
    ]
    assert split_sentences("Ribault charted the St. Johns River. Dr. Lee met Mrs. Kay.") == [
        "Ribault charted the St. Johns River.",
        "Dr. Lee met Mrs. Kay.",
    ]


def test_markers_written_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("Musk offered money. [1] Altman said no [2, 3].\nDone") == [
        "Musk offered money [1].",
        "Altman said no [2, 3].",
        "Done",
    ]
    assert markers("x [2, 3] y [2][5]") == [2, 3, 5]
    assert without_markers("Altman said no [2, 3] .") == "Altman said no."
    assert with_markers("Hợp đồng kéo dài sáu năm.", [1]) == "Hợp đồng kéo dài sáu năm [1]."


def test_a_streamed_sentence_is_complete_only_once_the_next_begins() -> None:
    assert complete_sentences("Meta signed a deal.") == []
    assert complete_sentences("Meta signed a deal. [1") == []
    assert complete_sentences("Meta signed a deal. [1] It") == ["Meta signed a deal [1]."]
    assert complete_sentences("Một câu.\n") == ["Một câu."]


def test_tokens_fold_accents_elisions_and_number_formats() -> None:
    assert tokenize("L'Élysée a payé 97,4 milliards") == [
        "elysee",
        "a",
        "paye",
        "97.4",
        "milliards",
    ]
    assert tokenize("Hợp đồng 10 000 USD") == ["hop", "dong", "10000", "usd"]
    assert tokenize("Dreißig Złoty, cœur") == ["dreissig", "zloty", "coeur"]  # NFD keeps them
    assert content_words("Meta đã ký 6 năm") == {"meta", "6", "nam"}


def test_marks_are_what_folding_takes_off_a_word_wherever_they_stand() -> None:
    assert marks("Ba") == "" and marks("Bà") != marks("Ba")
    assert marks("hoà") == marks("hòa")  # where a mark stands is spelling
    assert marks("Đa") == "đ" and fold("Đa") == "da"


def test_words_in_other_scripts_are_tokens_and_unspaced_ones_pairs_of_characters() -> None:
    assert " ".join(tokenize("Акции выросли на 5,5%, ёмкость")) == "акции выросли на 5.5 емкость"
    assert (
        " ".join(tokenize("삼성전자가 칩을 발표했다")) == "삼성전자가 칩을 발표했다"
    )  # Hangul whole
    assert tokenize("百度发布模型5.0") == ["百度", "度发", "发布", "布模", "模型", "5.0"]
    assert content_words("李彦宏表示") == {"李彦", "彦宏", "宏表", "表示"}


def test_chinese_sentences_end_at_their_full_stops_without_a_space() -> None:
    text = "百度发布了模型。他说：「很好。」然后走了！真的吗？是的 [1]。"
    assert split_sentences(text) == [
        "百度发布了模型。",
        "他说：「很好。」",
        "然后走了！",
        "真的吗？",
        "是的 [1]。",
    ]
    assert with_markers(without_markers("该模型支持文本 [1]。"), [2]) == "该模型支持文本[2]。"
    assert with_markers("微信有14亿用户", [1, 3]) == "微信有14亿用户[1][3]"
    assert with_markers("WeChat a 1,4 milliard d'utilisateurs.", [1]) == (
        "WeChat a 1,4 milliard d'utilisateurs [1]."
    )


def test_a_marker_follows_a_closing_quote_never_stands_inside_the_quotation() -> None:
    assert with_markers('Meta called it "an open strategy."', [3]) == (
        'Meta called it "an open strategy" [3].'
    )
    assert with_markers("他说：「很好。」", [1]) == "他说：「很好」[1]。"
    assert with_markers("Il a dit « non ! »", [2]) == "Il a dit « non ! » [2]"  # spaced
    marked = with_markers('Meta called it "an open strategy."', [3]) + " Then Llama came [2]."
    assert split_sentences(marked)[0].endswith('" [3].')


def test_chinese_sentences_are_joined_without_a_space_as_they_were_written() -> None:
    sentences = split_sentences("百度发布了模型。他说：「很好。」然后走了！")
    assert joined(sentences) == "百度发布了模型。他说：「很好。」然后走了！"
    assert (
        joined(["截至2025-04-11：", "微信有14亿用户[3]。"]) == "截至2025-04-11：微信有14亿用户[3]。"
    )
    assert (
        joined(["As of 2025-04-11:", "", "It is [1].", "Yes."])
        == "As of 2025-04-11: It is [1]. Yes."
    )
    assert joined(["一。", "Two."]) == "一。Two." and joined(["One.", "二。"]) == "One. 二。"


def test_names_among_chinese_are_the_words_in_other_letters_first_or_not() -> None:
    assert names("Meta正在与OpenAI洽谈。") == ["Meta", "OpenAI"]
    assert names("马斯克整合到X中的聊天机器人叫什么名字？") == []  # a lone X, as in English
    # A Vietnamese sentence quoting Chinese keeps its own first-word rule.
    assert names("Trong triều đại của mình, Đại Nguyên (大元通制) ban hành luật.") == [
        "Đại",
        "Nguyên",
    ]
    assert tokenize("5½ sacks") == ["5", "sacks"]  # a fraction sign is no word


def test_a_line_without_spaces_counts_two_characters_a_word() -> None:
    assert word_count("百度发布了文心大模型") == 5
    assert word_count("Nvidia 发布了 Blackwell") == 4
    assert word_count("Nvidia объявила о выручке") == 4


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("drei Jahre, seit März", {"3"}),
        ("seis años, desde marzo", {"6", "3"}),
        ("dodici mesi, da ottobre", {"12", "10"}),
        ("twintig jaar, sinds januari", {"20", "1"}),
        ("dwadzieścia lat, od października", {"20", "10"}),
        ("tujuh tahun, sejak Agustus", {"7", "8"}),
    ],
)
def test_numbers_and_months_in_words_read_as_their_digits(text: str, numbers: set[str]) -> None:
    assert stated_numbers(tokenize(text)) == (set(), numbers)


def test_names_and_numbers_are_what_carries_across_languages() -> None:
    assert names("Combien Elon Musk a-t-il offert pour OpenAI en 2025 ?") == [
        "Elon",
        "Musk",
        "OpenAI",
        "2025",
    ]
    assert names("Giá cổ phiếu của Nvidia là bao nhiêu?") == ["Nvidia"]
    assert names("What do AI firms in the US want?") == []
    assert name_tokens("Yes, Musk offered 97.4 billion to OpenAI.") == {"musk", "97.4", "openai"}
    assert written_names("Doctor Who met people who knew GPT-5") == {"doctor", "who", "gpt", "5"}


def test_numbers_next_in_the_names_stay_apart_and_one_written_in_groups_stays_whole() -> None:
    assert name_tokens("The bands peak at 687 and 760 nm.") == {"687", "760"}
    assert name_tokens("Có 3 500 000 người ở Hà Nội.") == {"3500000", "ha", "noi"}
    assert written_names("Oxygen absorbs at 687 and 760 nm") == {"oxygen", "687", "760"}
    assert written_names("people who knew gpt-5") == {"gpt", "5"}


def test_a_possessive_is_not_part_of_a_name() -> None:
    assert names("When was Kublai's administration short of money?") == ["Kublai"]
    assert name_tokens("What are BSkyB\u2019s broadcasts and the Normans' lands?") == {
        "bskyb",
        "normans",
    }
    assert written_names("Google's deal with Meta's lab.") == {"google", "meta"}


def test_a_capital_opening_any_sentence_says_nothing() -> None:
    assert names("Musk made an offer. This was in 2025, and Altman refused.") == ["2025", "Altman"]
    assert names("Elon Musk made an offer. Then OpenAI refused.") == ["Musk", "OpenAI"]


def test_a_vietnamese_question_may_open_on_a_name_no_vietnamese_syllable_spells() -> None:
    assert names("Newcastle có bao nhiêu trường đại học?") == ["Newcastle"]
    assert names("Người lãnh đạo Đức nào đã mời người Huguenot?") == ["Đức", "Huguenot"]
    assert names("Describe what Meta signed.") == ["Meta"]  # not Vietnamese: the opener is not
    assert all(map(is_syllable, ["nghiêng", "người", "khuyến", "quốc", "giữa", "trường", "thuở"]))
    assert not any(map(is_syllable, ["Newcastle", "Wei", "Meta", "Huguenot"]))


def test_shingles_are_runs_of_folded_words_that_a_copy_keeps() -> None:
    assert shingles("Đà Nẵng, Mỹ và Pháp") == {"da nang my", "nang my va", "my va phap"}
    assert shingles("Meta") == {"meta"}
    copy, reworded = shingles("Meta signed a cloud deal"), shingles("Meta agreed to a deal")
    assert copy <= shingles("Yesterday Meta signed a cloud deal with Google.")
    assert not reworded & copy


@pytest.mark.parametrize(
    ("sentence", "credited"),
    [
        ("Le Monde reported that Meta signed [1].", {"le", "monde"}),
        ("According to Reuters, Meta signed.", {"reuter"}),
        ("Selon Le Monde, Meta a signé.", {"monde"}),
        ("Theo báo Tuổi Trẻ, Meta đã ký.", {"tuoi", "tre"}),
        ("The deal, Bloomberg reported, is worth 10 billion.", {"bloomberg"}),
        ("Meta signed a six-year contract with Google Cloud [1].", set()),
        ("Officials said the deal was done.", set()),
        ("Laut der Financial Times hat Meta unterschrieben.", {"financial", "time"}),
        ("Según El País, Meta firmó.", {"pais"}),
        ("Secondo Il Messaggero, Meta ha firmato.", {"messaggero"}),
        ("Il secondo Gran Premio è finito.", set()),
        ("Volgens De Telegraaf tekende Meta.", {"telegraaf"}),
        ("Meta hat unterschrieben, wie Reuters berichtete.", {"reuter"}),
        ("¿Quién escribió el artículo?", set()),
        ("По данным Reuters, Meta подписала контракт.", {"reuter"}),
        ("Menurut Kompas, Meta menandatangani.", {"kompa"}),
    ],
)
def test_attributions_name_who_a_sentence_credits(sentence: str, credited: set[str]) -> None:
    assert attributed(sentence) == credited


def test_an_attribution_needs_the_name_written_as_a_name() -> None:
    assert not attributes_truly(
        "Le Monde reported that Meta signed.", "le monde sait que Meta a signé"
    )
    assert attributes_truly("Selon Reuters, Meta a signé.", "Meta a signé, selon Reuters.")


@pytest.mark.parametrize(
    ("copied", "written", "same"),
    [
        ("миллиарды", "миллиардов", True),
        ("milliard", "milliards", True),
        ("annoncee", "annonce", True),
        ("57", "570", False),
        ("nguon", "nguoi", False),
        ("mars", "mai", False),
        ("marche", "marque", False),
    ],
    ids=[
        "Russian case",
        "French plural",
        "French gender",
        "a number",
        "Vietnamese",
        "short",
        "another word",
    ],
)
def test_a_copied_word_with_another_ending_is_the_written_word(
    copied: str, written: str, same: bool
) -> None:
    assert reinflects(copied, written) is same
