"""Dated news end to end: a real Chroma store and embedder over articles with publication
dates; "last week" resolved against BOT_TODAY, explicit date filters, "as of" on amounts, a
period no article is dated in refused with the newest date. The `scripted` tests script the
model's reply (a fake), so what they check is our logic; the CLI test runs the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.api import Bot
from bot.core.article import ArticleFilter
from bot.core.text import markers, split_sentences
from bot.ingest.pipeline import ingest

from .conftest import make_settings
from .fakes import scripted_model

TODAY = "2025-12-02"  # a Tuesday: "last week" is 2025-11-24 .. 2025-11-30
STORY = "The company builds warehouse robots in Ohio and sells them across the country."
ARTICLES = {  # name: (published, outlet, staff)
    "older.md": ("2025-11-18", "Ohio Ledger", 100),
    "newer.md": ("2025-11-26", "Valley Times", 250),
}
STAFF = "How many employees does Acme Robotics have"


def _write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, (published, outlet, staff) in ARTICLES.items():
        (folder / name).write_text(
            f"---\npublished: {published}\noutlet: {outlet}\n---\n# Acme Robotics staff\n\n"
            f"Acme Robotics has {staff} employees, its chief executive said. {STORY}\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def dated_settings(tmp_path_factory: pytest.TempPathFactory):
    """A real Chroma store over the two dated articles, with today fixed."""
    root = tmp_path_factory.mktemp("dated")
    corpus = _write_corpus(root / "corpus")
    settings = make_settings(root, corpus_dir=corpus, today=TODAY)
    ingest(settings, progress=False)
    return settings


def _bot(settings, reply: str) -> Bot:
    return Bot(settings, chat_model=scripted_model(reply))


def test_scripted_last_week_draws_only_on_last_weeks_article_and_says_as_of(dated_settings):
    answer = _bot(dated_settings, "Acme Robotics has 250 employees [1].").ask(f"{STAFF} last week?")
    assert not answer.refused, answer.text
    assert {c.source for c in answer.contexts} == {"newer.md"}
    assert answer.as_of == "2025-11-26"
    assert answer.text == "As of 26 November 2025: Acme Robotics has 250 employees [1]."


def test_scripted_a_german_amount_is_dated_too(dated_settings):
    bot = _bot(dated_settings, "Acme Robotics hat 250 Mitarbeiter [1].")
    answer = bot.ask("Wie viele Mitarbeiter hat Acme Robotics letzte Woche?")
    shown = "Stand 26. November 2025: Acme Robotics hat 250 Mitarbeiter [1]."
    assert answer.text == shown, answer.text


def test_scripted_explicit_dates_win_over_the_questions_period(dated_settings):
    bot = _bot(dated_settings, "Acme Robotics has 100 employees [1].")
    answer = bot.ask(f"{STAFF} last week?", only=ArticleFilter.of(until="2025-11-20"))
    assert {c.source for c in answer.contexts} == {"older.md"}
    assert answer.text.startswith("As of 18 November 2025:") and "100" in answer.text


def test_scripted_figures_of_two_dates_are_both_shown_each_with_its_date(dated_settings):
    answer = _bot(dated_settings, "Acme Robotics has 250 employees [1].").ask(f"{STAFF}?")
    assert answer.text.startswith("As of 26 November 2025: Acme Robotics has 250 employees [")
    also = "Another source, dated 18 November 2025, gives: Acme Robotics has 100 employees"
    assert also in answer.text
    assert [c.source for c in answer.citations] == ["newer.md", "older.md"]
    for sentence in split_sentences(answer.text):
        assert markers(sentence), sentence


def test_another_dated_figure_must_count_the_same_thing() -> None:
    """Close in wording is not enough: 40 warehouses is no figure for 250 employees."""
    from bot.answer.dating import Dating, other_figure
    from bot.answer.vectors import SentenceVectors
    from bot.core.results import Citation
    from bot.store.embeddings import E5Embeddings

    def source(n: int, published: str, text: str) -> Citation:
        return Citation(
            source=f"{n}.md",
            title="t",
            snippet="s",
            score=0.9,
            chunk_id=f"c{n}",
            text=text,
            language="en",
            published=published,
        )

    first = "Acme Robotics has 250 employees [1]."
    newer = source(1, "2025-11-26", "Acme Robotics has 250 employees, its chief executive said.")
    dating = Dating(SentenceVectors(E5Embeddings()), 0.82, 0.6)
    counted = [newer, source(2, "2025-11-18", "Acme Robotics has 100 employees in Ohio.")]
    found = other_figure(first, f"{STAFF}?", "2025-11-26", "en", counted, dating)
    assert found == (2, "Acme Robotics has 100 employees in Ohio.")
    stored = [newer, source(2, "2025-11-18", "Acme Robotics has 40 warehouses in Ohio.")]
    assert other_figure(first, f"{STAFF}?", "2025-11-26", "en", stored, dating) is None


def test_a_period_no_article_is_dated_in_is_refused_naming_the_newest_date(dated_settings):
    bot = _bot(dated_settings, "unused")
    answer = bot.ask(f"{STAFF} yesterday?")
    assert answer.refused and answer.refusal_reason == "out_of_range"
    assert answer.text == (
        "No article is dated 1 December 2025; the newest is from 26 November 2025."
    )
    french = bot.ask("Combien d'employés Acme Robotics a-t-elle eus hier ?")
    assert french.refused and "26 novembre 2025" in french.text and french.text.startswith("Aucun")


def test_scripted_the_latest_news_unanswered_names_the_newest_articles_newest_first(
    dated_settings,
):
    bot = _bot(dated_settings, "I don't know.")
    answer = bot.ask("What is the latest news?")
    assert answer.refused and [c.source for c in answer.contexts] == ["newer.md", "older.md"]
    assert answer.text == (
        "No article answers this directly. The newest articles: "
        "“Acme Robotics staff” (Valley Times, 26 November 2025) [1]. "
        "“Acme Robotics staff” (Ohio Ledger, 18 November 2025) [2]."
    )
    assert [n for n, _ in answer.numbered_citations()] == [1, 2]
    french = bot.ask("Quoi de neuf ?", only=ArticleFilter.of(outlets=["Ohio Ledger"]))
    assert french.text.startswith("Aucun article ne répond directement à cette question. Les")
    assert [c.source for c in french.contexts] == ["older.md"]


def test_scripted_the_latest_on_a_name_the_articles_write_keeps_its_own_refusal(dated_settings):
    answer = _bot(dated_settings, "I don't know.").ask("What is the latest on Acme Robotics?")
    assert answer.refused and "newest articles" not in answer.text


def test_a_question_on_a_fixed_fact_gets_no_as_of(dated_settings):
    answer = _bot(dated_settings, "Acme Robotics builds warehouse robots in Ohio [1].").ask(
        "What does Acme Robotics build in Ohio?"
    )
    assert not answer.refused and answer.as_of == ""
    assert answer.text == "Acme Robotics builds warehouse robots in Ohio [1]."


@pytest.mark.slow
def test_cli_date_filters_and_the_latest_news_with_the_real_model(dated_settings) -> None:
    """`bot ask --since/--until` and "latest", through the CLI, the embedded model and Chroma."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "OPENAI_"))}
    env |= {
        "BOT_VECTORSTORE_DIR": str(dated_settings.vectorstore_dir),
        "BOT_LOCAL_MODEL": "smollm2-135m",
        "BOT_TODAY": TODAY,
    }

    def ask(*args: str) -> dict:
        run = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    older = ask(f"{STAFF}?", "--until", "2025-11-20")
    assert {c["source"] for c in older["contexts"]} == {"older.md"}
    newer = ask(f"{STAFF}?", "--since", "2025-11-20", "--outlet", "Valley Times")
    assert {c["source"] for c in newer["contexts"]} == {"newer.md"}
    latest = ask("What is the latest number of employees at Acme Robotics?")
    assert [c["published"] for c in latest["contexts"]][:1] == ["2025-11-26"]
    news = ask("What is the latest news?")  # no topic: the newest article first, answered or not
    assert [c["published"] for c in news["contexts"]][:1] == ["2025-11-26"]
    none = ask(f"{STAFF} yesterday?")
    assert none["refusal_reason"] == "out_of_range" and "26 November 2025" in none["text"]
