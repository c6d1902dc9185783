"""Verified citations with the real multilingual embedder; the replies are scripted text."""

from __future__ import annotations

import pytest

from bot.answering import finish
from bot.embeddings import E5Embeddings
from bot.grounding import Grounder, anchors, markers, split_sentences
from bot.prompts import quote_line
from bot.results import Citation

from .conftest import SEEDS

MUSK = "How much did Elon Musk offer to buy OpenAI?"


def _chunk(n: int, needle: str, language: str) -> Citation:
    """The seed paragraph containing `needle`, as a retrieved chunk."""
    files = sorted(SEEDS.iterdir())
    for path in files:
        for paragraph in path.read_text("utf-8").split("\n"):
            if needle in paragraph:
                return Citation(
                    source=path.name,
                    title="t",
                    snippet=paragraph[:80],
                    score=0.9,
                    chunk_id=f"c{n}",
                    text=paragraph,
                    language=language,
                )
    raise AssertionError(f"{needle!r} is in no seed")


@pytest.fixture(scope="module")
def grounder() -> Grounder:
    return Grounder(E5Embeddings())


@pytest.fixture(scope="module")
def contexts() -> list[Citation]:
    return [_chunk(1, "97,4 milliards", "fr"), _chunk(2, "Google Cloud", "fr")]


def test_sentences_keep_the_markers_written_after_their_full_stop() -> None:
    assert split_sentences("Musk offered money. [1] Altman said no [2, 3].\nDone") == [
        "Musk offered money [1].",
        "Altman said no [2, 3].",
        "Done",
    ]
    assert markers("x [2, 3] y [2][5]") == [2, 3, 5]
    assert anchors("Musk offered 97.4 billion to OpenAI.") == {"97.4", "openai"}


def test_a_backed_marker_is_kept(grounder: Grounder, contexts: list[Citation]) -> None:
    grounded = grounder.ground(
        "Musk offered 97.4 billion dollars to buy OpenAI [1].", MUSK, contexts
    )
    assert grounded.text == "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    assert grounded.citations == [contexts[0]] and grounded.quote is None


def test_a_wrong_marker_moves_to_the_chunk_that_backs_the_sentence(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    grounded = grounder.ground(
        "Musk offered 97.4 billion dollars to buy OpenAI [2].", MUSK, contexts
    )
    assert grounded.text.endswith("[1].") and grounded.citations == [contexts[0]]


def test_an_unmarked_backed_sentence_is_attributed(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    grounded = grounder.ground(
        "Elon Musk offered 97.4 billion dollars to buy OpenAI.", MUSK, contexts
    )
    assert grounded.citations == [contexts[0]] and "[1]" in grounded.text


@pytest.mark.parametrize(
    "reply",
    [
        "Musk offered 12 billion dollars to buy OpenAI [1].",  # a number the chunk never states
        "The weather in Hanoi will be sunny tomorrow [1][2].",  # nothing to do with either chunk
        "Yes [1].",  # too short to check
    ],
)
def test_unbacked_markers_are_dropped_and_a_source_sentence_is_quoted(
    grounder: Grounder, contexts: list[Citation], reply: str
) -> None:
    grounded = grounder.ground(reply, MUSK, contexts)
    assert "[1]" not in grounded.text and "[2]" not in grounded.text
    assert grounded.quote is not None
    n, sentence = grounded.quote
    assert n == 1 and "97,4 milliards" in sentence
    assert grounded.citations == [contexts[0]]


def test_finish_shows_the_quote_in_the_asker_language(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    answer = finish(MUSK, "fr", "Il a proposé beaucoup.", contexts, grounder)
    prefix = quote_line("fr").split("{quote}")[0]
    assert prefix in answer.text and answer.text.rstrip().endswith("[1]")
    assert answer.numbered_citations() == [(1, contexts[0])]


def test_a_backed_sentence_that_does_not_address_the_question_is_not_cited(
    grounder: Grounder,
) -> None:
    labs = _chunk(1, "Superintelligence Labs", "en")
    aside = "Meta created Meta Superintelligence Labs and hired top talent for it [1]."
    assert grounder.ground(aside, "Who won the 2022 FIFA World Cup?", [labs]).quote is not None
    on_topic = grounder.ground(aside, "What lab did Meta create for its AI push?", [labs])
    assert on_topic.quote is None and on_topic.citations == [labs]
