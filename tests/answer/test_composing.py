"""The answer written around the words copied out of a passage in another language: what
`composed` lets through is the question's words and those words, in the reader's language."""

from __future__ import annotations

import pytest

from bot.answer.composing import as_written, composed

SCHEELE = "When did Carl Wilhelm Scheele discover oxygen?"
FEES = "Phí phát sóng hàng năm cho các kênh là bao nhiêu?"
GEMINI = "What role could Gemini play in Wear OS?"
OFFER = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"
PLAGUE = "How many people died of plague in Paris in 1466?"
NETWORKS = "Ba mạng lưới chiếm bao nhiêu phần trăm số người xem?"


@pytest.mark.parametrize(
    ("sentence", "question", "span", "language"),
    [
        ("Carl Wilhelm Scheele discovered oxygen in 1773.", SCHEELE, "1773", "en"),
        ("Gemini could play a role in Wear OS.", GEMINI, "a role", "en"),
        ("Phí phát sóng hàng năm cho các kênh là £30m.", FEES, "£30m", "vi"),
        ("40,000 people died of plague in Paris in 1466.", PLAGUE, "40.000", "en"),
        ("The bands peak at 687 and 760 nm.", "Where do the bands peak?", "687 and 760 nm", "en"),
        ("Ba mạng lưới chiếm 90% số người xem.", NETWORKS, "90%", "vi"),
        ("Hiệp ước hòa bình được ký năm 1763.", "Hiệp ước hoà bình được ký năm nào?", "1763", "vi"),
    ],
    ids=[
        "a year",
        "the question's names in its order",
        "an amount",
        "a number's digits grouped as the reader groups them",
        "two numbers",
        "the question's words as it writes them",
        "the question's words with their marks set elsewhere",
    ],
)
def test_a_sentence_of_the_question_and_the_copied_words_is_the_answer(
    sentence: str, question: str, span: str, language: str
) -> None:
    assert composed(sentence, question, span, language)


@pytest.mark.parametrize(
    ("sentence", "question", "span", "language"),
    [
        ("Carl Wilhelm Scheele discovered oxygen in 1774.", SCHEELE, "1773", "en"),
        ("Carl Wilhelm Scheele discovered oxygen in Uppsala in 1773.", SCHEELE, "1773", "en"),
        ("Elon Musk đã đề nghị mua OpenAI với 97,4 triệu đô la.", OFFER, "97,4", "vi"),
        ("When did Carl Wilhelm Scheele discover oxygen? 1773.", SCHEELE, "1773", "en"),
        ("Fees for the channels are 30m.", "What are the fees for the channels?", "£30m", "en"),
        ("Wear OS could play a role in Gemini.", GEMINI, "a role", "en"),
        ("Carl Wilhelm Scheele discovered oxygen in 1773.", SCHEELE, "1773", "vi"),
        (
            "Hệ thống Metro Tyne và Wear covers Tyne and Wear.",
            "What covers Tyne and Wear?",
            "Hệ thống Metro Tyne và Wear",
            "en",
        ),
        (
            "The St. Johns River runs dọc theo Jacksonville.",
            "Which river runs by Jacksonville?",
            "The St. Johns River",
            "en",
        ),
        (
            "The St. Johns River runs dọc theo Jacksonville.",
            "Sông nào chảy dọc theo Jacksonville?",
            "The St. Johns River",
            "vi",
        ),
        ("Bà mạng lưới chiếm 90% số người xem.", NETWORKS, "90%", "vi"),
        ("Da số khán giả xem kênh ABC.", "Đa số khán giả xem kênh nào?", "ABC", "vi"),
        ("", SCHEELE, "1773", "en"),
    ],
    ids=[
        "not the copied words",
        "a name neither gave",
        "a magnitude neither gave",
        "the question said back",
        "a symbol of the copied words left out",
        "the question's names the other way round",
        "not the reader's language",
        "copied words in another language",
        "its own words in another language",
        "a word of another language among the reader's",
        "the question's words with other tone marks",
        "the question's đ written as d",
        "nothing written",
    ],
)
def test_a_sentence_that_adds_or_loses_something_is_not(
    sentence: str, question: str, span: str, language: str
) -> None:
    assert not composed(sentence, question, span, language)


@pytest.mark.parametrize(
    ("span", "written"),
    [
        ("30m", "£30m"),
        ("the dot", "the dot"),
        ("six", "six"),
        ("Rollo", "Rollo"),
        ("the logos", "the logo"),
    ],
    ids=[
        "a symbol written against it",
        "quotes around it",
        "part of a word",
        "not there",
        "another ending",
    ],
)
def test_copied_words_are_shown_as_the_passage_writes_them(span: str, written: str) -> None:
    passage = 'Fees of £30m went to the logo, known as "the dot", by a six-time winner.'
    assert as_written(span, passage) == written
