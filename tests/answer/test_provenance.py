"""Questions about an article itself, answered from its metadata on the seeded store; the
model must not be called (a fake that fails the test if it is)."""

from __future__ import annotations

import pytest

from bot.answer.provenance import article_asked, asked_about

from ..fakes import ExplodingModel

CHINA_US = "the article about the difference between Chinese and American AI strategies"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        (f"Who wrote {CHINA_US}?", "author"),
        ("Quel journal a publié l'article sur Meta ?", "outlet"),
        ("Bài báo về Meta được đăng ngày nào?", "published"),
        ("Who wrote the letter to OpenAI?", ""),  # not about an article
        ("Thông tin này đến từ báo cáo của trang nào?", ""),  # about the text, not the article
    ],
)
def test_questions_about_an_article_itself_are_told_apart(question: str, field: str) -> None:
    assert asked_about(question) == field


def test_who_wrote_an_article_comes_from_its_byline_not_from_its_text(scripted_bot) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask(f"Who wrote {CHINA_US}?")
    assert not answer.refused and "Lee Chong Ming" in answer.text and answer.text.endswith("[1].")
    assert answer.citations[0].source == "001_53c71910e38b7502.txt"
    when = bot.ask("Quand l'article sur les négociations de Meta avec Google a-t-il été publié ?")
    assert "2025-09-02" in when.text and when.citations[0].outlet == "Tuổi Trẻ"


def test_what_an_article_does_not_say_about_itself_is_not_guessed(scripted_bot) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask("Who wrote the article about the cloud contract between Meta and Google?")
    assert answer.refused and "does not name its author" in answer.text


def test_a_source_no_article_is_from_is_refused_naming_the_outlets_that_are(
    scripted_bot,
) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask("What did Le Monde report about Meta's cloud contract with Google?")
    assert answer.refused and "Le Monde" in answer.text
    assert "Tuổi Trẻ" in answer.text and "Business Insider" in answer.text
    assert bot.retriever.knows_source("The Verge")  # named in an article's text
    assert bot.retriever.knows_source("Lee Chong Ming")  # an author


def test_the_article_asked_about_is_found_by_its_title_not_by_the_best_chunk(seeded_bot) -> None:
    """The best chunk may come from another article on the same news: the title decides."""
    question = "When was the article about Meta's talks with Google and OpenAI published?"
    hits = seeded_bot.retrieve(question)
    talks = next(h for h in hits if h.outlet == "Tuổi Trẻ")
    others = [h for h in seeded_bot.retrieve("Baidu Ernie DeepSeek") if h.source != talks.source]
    found = article_asked(question, [*others[:2], talks], seeded_bot.grounder.vectors)
    assert found.source == talks.source
