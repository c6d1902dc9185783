"""Articles in Cyrillic and Chinese end to end: a real Chroma store and embedder. Ingest keeps
a Chinese article (no spaces between its words), and a reply copied from an article is checked
word by word and shown. The `scripted` tests script the model's reply (a fake), so what they
check is our logic; the `default_model` tests run the real embedded model."""

from __future__ import annotations

import pytest

from bot.api import Bot
from bot.core.model_catalog import DEFAULT_LOCAL_MODEL
from bot.ingest.pipeline import ingest

from .conftest import make_settings
from .fakes import scripted_model

RUSSIAN = (
    "Компания Nvidia объявила о рекордной квартальной выручке в 57 миллиардов долларов. "
    "Это на 62 процента больше, чем годом ранее.\n\n"
    "Генеральный директор Дженсен Хуанг заявил, что спрос на чипы Blackwell очень высок. "
    "Акции компании выросли на 5 процентов после публикации отчёта."
)
CHINESE = (
    "百度在北京举行的世界大会上发布了文心大模型5.0。该模型支持文本、图像、音频和视频的统一理解与生成。\n\n"
    "百度首席执行官李彦宏表示，文心大模型的日均调用量已超过15亿次。他说，人工智能应用正在从实验阶段走向大规模落地。"
)


@pytest.fixture(scope="module")
def scripts_settings(tmp_path_factory: pytest.TempPathFactory):
    """A real store over a Russian and a Chinese article."""
    root = tmp_path_factory.mktemp("scripts")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, outlet, text in (
        ("nvidia.md", "Ведомости", RUSSIAN),
        ("baidu.md", "新华社", CHINESE),
    ):
        page = f"---\npublished: 2025-11-20\noutlet: {outlet}\n---\n{text}\n"
        (corpus / name).write_text(page, encoding="utf-8")
    settings = make_settings(root, corpus_dir=corpus)
    report = ingest(settings, progress=False)
    assert report.skipped == [], report.skipped
    return settings


def _sources(answer) -> set[str]:
    return {c.source for c in answer.citations}


def test_a_chinese_article_is_ingested_whole(scripts_settings) -> None:
    bot = Bot(scripts_settings, chat_model=scripted_model("-"))
    hits = bot.retrieve("文心大模型的日均调用量是多少？")
    assert hits[0].source == "baidu.md"
    assert "15亿次" in " ".join(h.text for h in hits if h.source == "baidu.md")


@pytest.mark.parametrize(
    ("question", "reply", "shown", "source"),
    [
        (
            "Какую выручку объявила Nvidia?",
            "Nvidia объявила о рекордной квартальной выручке в 57 миллиардов долларов [1].",
            "Nvidia объявила о рекордной квартальной выручке в 57 миллиардов долларов [1].",
            "nvidia.md",
        ),
        (
            "文心大模型的日均调用量是多少？",
            "文心大模型的日均调用量已超过15亿次 [1]。",
            "文心大模型的日均调用量已超过15亿次[1]。",
            "baidu.md",
        ),
    ],
    ids=["ru", "zh"],
)
def test_scripted_a_reply_copied_from_the_article_is_shown(
    scripts_settings, question: str, reply: str, shown: str, source: str
) -> None:
    """Shown with its marker, closed up after Chinese as the script writes it."""
    bot = Bot(scripts_settings, chat_model=scripted_model(reply))
    answer = bot.ask(question)
    assert not answer.refused and not answer.quoted, answer.text
    assert answer.text.endswith(shown) and _sources(answer) == {source}


def test_scripted_chinese_sentences_stream_and_show_without_a_space_between(
    scripts_settings,
) -> None:
    reply = "文心大模型的日均调用量已超过15亿次 [1]。百度发布了文心大模型5.0 [1]。"
    stream = Bot(scripts_settings, chat_model=scripted_model(reply)).ask_stream(
        "文心大模型的日均调用量是多少？"
    )
    pieces = list(stream)
    shown = "文心大模型的日均调用量已超过15亿次[1]。百度发布了文心大模型5.0 [1]。"
    assert "".join(pieces) == stream.answer.text and stream.answer.text.endswith(shown)


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        (
            "Какую выручку объявила Nvidia?",
            "Nvidia объявила о выручке в 75 миллиардов долларов [1].",
        ),
        ("文心大模型的日均调用量是多少？", "文心大模型的日均调用量已超过30亿次 [1]。"),
    ],
    ids=["ru", "zh"],
)
def test_scripted_a_changed_number_is_not_shown(scripts_settings, question: str, reply: str):
    answer = Bot(scripts_settings, chat_model=scripted_model(reply)).ask(question)
    assert answer.refused and reply not in answer.text, answer.text


def test_scripted_a_reading_with_another_ending_makes_the_passage_the_answer(
    scripts_settings,
) -> None:
    """The model copies "57 billion" out in another case than the article's: the article's
    words, not the copy, are what the passage must hold. Its own reply is wrong and not shown."""
    wrong = "Nvidia объявила о выручке в 75 миллиардов долларов [1]."
    model = scripted_model(wrong, "NONE", reading="57 миллиарды долларов")
    answer = Bot(scripts_settings, chat_model=model).ask("Какую выручку объявила Nvidia?")
    assert not answer.refused and answer.quoted, answer.text
    assert "57 миллиардов долларов" in answer.text and "75" not in answer.text


@pytest.mark.parametrize(
    ("reading", "written"),
    [
        ("57 миллиардов", "Nvidia宣布的季度收入为570亿美元。"),
        ("57", "Nvidia宣布的季度收入为570亿美元。"),
        ("57 миллиардов долларов", "Nvidia公司宣布创纪录的季度收入为570亿美元。"),
    ],
    ids=["composed", "magnitude from the passage", "translated"],
)
def test_scripted_an_amount_reaches_the_reader_in_the_readers_words(
    scripts_settings, reading: str, written: str
) -> None:
    """Asked in Chinese of a Russian article, the model gives 57 billion as 57亿 (5.7 billion):
    not shown. The amount it copied out is put in Chinese words by code (570亿), and the
    answer written around it, or the passage's translation that keeps it, is shown."""
    wrong = "Nvidia宣布的季度收入为57亿美元 [1]。"
    model = scripted_model(wrong, written, written, reading=reading)
    answer = Bot(scripts_settings, chat_model=model).ask("Nvidia宣布的季度收入是多少？")
    assert not answer.refused and "570亿" in answer.text and "57亿" not in answer.text
    assert answer.unsupported == [wrong.replace(" [1]", "")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "fact", "source"),
    [
        ("Какую выручку объявила Nvidia?", "57", "nvidia.md"),
        ("文心大模型的日均调用量是多少？", "15亿", "baidu.md"),
    ],
    ids=["ru", "zh"],
)
def test_default_model_answers_over_an_article_in_its_script(
    scripts_settings, question: str, fact: str, source: str
) -> None:
    bot = Bot(scripts_settings.model_copy(update={"local_model": DEFAULT_LOCAL_MODEL}))
    answer = bot.ask(question)
    assert not answer.refused, answer.text
    assert fact in answer.text and _sources(answer) == {source}, answer.text
