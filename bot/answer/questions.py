"""The question, before any retrieval: checked for what a question must be, and a follow-up
rewritten to stand on its own so retrieval sees what "it" and "they" refer to."""

from __future__ import annotations

import unicodedata

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from bot.answer.prompts import load_prompt
from bot.core.config import Settings
from bot.core.errors import QuestionError

History = list[tuple[str, str]]
TURNS = 3
"""Earlier turns the rewrite reads: enough for "it", short enough to prefill fast."""


def check_question(question: str, settings: Settings) -> str:
    """Refuse empty, wordless or over-long questions before any work is done."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    cleaned = "".join(
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in question
    ).strip()
    if not cleaned:
        raise QuestionError("The question is empty; type a question about the articles.")
    if len(cleaned) > settings.max_question_chars:
        raise QuestionError(
            f"The question is {len(cleaned):,} characters long; the limit is "
            f"{settings.max_question_chars:,} (BOT_MAX_QUESTION_CHARS), so please shorten it."
        )
    if not any(ch.isalnum() for ch in cleaned):
        raise QuestionError("The question has no words in it; please ask it in words.")
    return " ".join(cleaned.split())


def condense_chain(llm: BaseChatModel) -> Runnable:
    """Follow-up + history -> one standalone question for retrieval."""
    prompt = ChatPromptTemplate.from_messages([("human", load_prompt("condense"))])
    return prompt | llm | StrOutputParser()


def condense_inputs(question: str, history: History) -> dict[str, str]:
    """The variables of the rewrite prompt: the last turns and the follow-up."""
    turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history[-TURNS:])
    return {"history": turns, "question": question}


def standalone(question: str, history: History, rewritten: str) -> str:
    """The rewrite's first line; the last question and this one joined when the model
    wrote nothing or ran on far past a question's length."""
    line = rewritten.strip().splitlines()[0].strip() if rewritten.strip() else ""
    if not line or len(line) > 3 * len(question) + 200:
        return f"{history[-1][0]} {question}"
    return line
