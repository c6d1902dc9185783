"""Questions about an article itself, answered from its metadata on the seeded store; the
model must not be called (a fake that fails the test if it is)."""

from __future__ import annotations

import pytest

from bot.answer.answering import about_the_news
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


# Who wrote it, which outlet, when: in each of the other languages the bot tells apart.
ASKED_ELSEWHERE = {
    "author": [
        "Wer hat den Artikel über Meta geschrieben?",
        "¿Quién escribió el artículo sobre Meta?",
        "Chi ha scritto l'articolo su Meta?",
        "Quem escreveu o artigo sobre a Meta?",
        "Wie heeft het artikel over Meta geschreven?",
        "Кто написал статью о Meta?",
        "Kto napisał artykuł o Meta?",
        "Siapa yang menulis artikel tentang Meta?",
        "关于Meta的文章是谁写的？",
        "Metaについての記事は誰が書きましたか？",
        "메타에 관한 기사는 누가 썼나요?",
        "من كتب المقال عن ميتا؟",
    ],
    "outlet": [
        "Welche Zeitung hat den Artikel über Meta veröffentlicht?",
        "¿Qué periódico publicó el artículo sobre Meta?",
        "Quale giornale ha pubblicato l'articolo su Meta?",
        "Qual jornal publicou o artigo sobre a Meta?",
        "Welke krant publiceerde het artikel over Meta?",
        "Какое издание опубликовало статью о Meta?",
        "Jaka gazeta opublikowała artykuł o Meta?",
        "Media apa yang menerbitkan artikel tentang Meta?",
        "哪家媒体发表了关于Meta的文章？",
        "Metaについての記事はどの新聞に載りましたか？",
        "메타에 관한 기사는 어느 언론에 실렸나요?",
        "أي صحيفة نشرت المقال عن ميتا؟",
    ],
    "published": [
        "Wann wurde der Artikel über Meta veröffentlicht?",
        "¿Cuándo se publicó el artículo sobre Meta?",
        "Quando è stato pubblicato l'articolo su Meta?",
        "Quando foi publicado o artigo sobre a Meta?",
        "Wanneer is het artikel over Meta gepubliceerd?",
        "Когда была опубликована статья о Meta?",
        "Kiedy opublikowano artykuł o Meta?",
        "Kapan artikel tentang Meta diterbitkan?",
        "关于Meta的文章是什么时候发表的？",
        "Metaについての記事はいつ公開されましたか？",
        "메타에 관한 기사는 언제 게재되었나요?",
        "متى نُشر المقال عن ميتا؟",
    ],
    "": [  # a letter is not an article, and an amount is no provenance
        "Wer hat den Brief an OpenAI geschrieben?",
        "¿Quién escribió la carta a OpenAI?",
        "¿Cuánto ofreció Elon Musk por OpenAI?",
        "Кто написал письмо OpenAI?",
        "Кто написал, что Nvidia может стать лидером рынка?",  # стать: become, not статья
    ],
}


@pytest.mark.parametrize(
    ("question", "field"),
    [(question, field) for field, questions in ASKED_ELSEWHERE.items() for question in questions],
)
def test_questions_about_an_article_are_told_apart_in_every_language(
    question: str, field: str
) -> None:
    assert asked_about(question) == field


def test_a_spanish_reader_gets_the_byline_in_spanish_not_a_person_the_text_quotes(
    scripted_bot,
) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask("¿Quién escribió el artículo sobre las estrategias de IA de China y EE. UU.?")
    assert not answer.refused and answer.text.endswith("fue escrito por Lee Chong Ming [1].")


def test_who_wrote_an_article_comes_from_its_byline_not_from_its_text(scripted_bot) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask(f"Who wrote {CHINA_US}?")
    assert not answer.refused and "Lee Chong Ming" in answer.text and answer.text.endswith("[1].")
    assert answer.citations[0].source == "001_53c71910e38b7502.txt"
    when = bot.ask("Quand l'article sur les négociations de Meta avec Google a-t-il été publié ?")
    assert "le 2 septembre 2025" in when.text and when.citations[0].outlet == "Tuổi Trẻ"


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


@pytest.mark.parametrize(
    "question",
    [
        "Was ist die neueste Zahl der Mitarbeiter?",
        "¿Cuál es el modelo más reciente de Meta?",
        "Qual è l'ultimo modello di Meta?",
        "Qual é o modelo mais recente da Meta?",
        "Wat is het nieuwste model van Meta?",
        "Какая последняя модель Meta?",
        "Jaki jest najnowszy model Meta?",
        "Apa model terbaru Meta?",
        "Meta最新的模型是什么？",
        "Metaの最新モデルは何ですか？",
        "메타의 최신 모델은 무엇인가요?",
        "ما هو أحدث نموذج من ميتا؟",
    ],
)
def test_a_question_after_the_latest_news_is_told_in_every_language(question: str) -> None:
    assert about_the_news(question)
