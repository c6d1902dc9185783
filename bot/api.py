"""The public library: `ask`, its streaming twin and `retrieve`, over one configured Bot."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TypeVar

import httpx
import openai
from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable
from langchain_openai import ChatOpenAI

from bot.answering import (
    answer_chain,
    condense_chain,
    refusal,
    select_evidence,
    stream_answer,
)
from bot.config import Settings, load_settings
from bot.embeddings import make_embeddings
from bot.errors import QuestionError
from bot.grounding import Grounder
from bot.language import detect_language
from bot.llm import chat_model, endpoint_error, resolve_endpoint, token_counter
from bot.local_model import MODEL_NAME, Endpoint
from bot.results import Answer, Citation, Status
from bot.retrieval import Retriever
from bot.store import VectorStore, open_store

History = list[tuple[str, str]]
T = TypeVar("T")


class Bot:
    """A configured question-answering bot; parts start lazily, on first use, thread-safely."""

    def __init__(
        self, settings: Settings | None = None, embeddings: Embeddings | None = None
    ) -> None:
        self.settings = settings or load_settings()
        self.embeddings = embeddings
        self._lock = threading.RLock()
        self._store: VectorStore | None = None
        self._retriever: Retriever | None = None
        self._endpoint: Endpoint | None = None
        self._llm: ChatOpenAI | None = None
        self._count_tokens: Callable[[str], int] | None = None
        self._grounder: Grounder | None = None

    def _once(self, attr: str, build: Callable[[], T]) -> T:
        """Build a part on first use, exactly once even when threads race for it."""
        with self._lock:
            if getattr(self, attr) is None:
                setattr(self, attr, build())
            return getattr(self, attr)

    @property
    def store(self) -> VectorStore:
        """The opened vector store; raises StoreError with the fix when it is missing."""
        return self._once(
            "_store",
            lambda: open_store(self.settings, self.embeddings or make_embeddings(self.settings)),
        )

    @property
    def retriever(self) -> Retriever:
        """Retrieval over the store; built once, as it holds the keyword index."""
        return self._once(
            "_retriever",
            lambda: Retriever(self.store, self.settings.top_k, self.settings.retriever),
        )

    @property
    def endpoint(self) -> Endpoint:
        """The chat endpoint; the embedded server starts here, not before."""
        return self._once("_endpoint", lambda: resolve_endpoint(self.settings))

    @property
    def llm(self) -> ChatOpenAI:
        """The chat model client."""
        return self._once("_llm", lambda: chat_model(self.settings, self.endpoint))

    @property
    def count_tokens(self) -> Callable[[str], int]:
        """Prompt-size measure used for the context budget; built once, so its cache is reused."""
        return self._once("_count_tokens", lambda: token_counter(self.endpoint))

    def status(self) -> Status:
        """What is loaded, for headers: model name and corpus size; never starts the model.

        The counts come from the retriever's caches, which the first question needs anyway.
        """
        model = self.settings.chat_model or (
            f"{MODEL_NAME} (embedded)" if self.settings.uses_embedded_model else "?"
        )
        return Status(
            model=model, documents=self.retriever.documents(), chunks=self.retriever.size()
        )

    @property
    def grounder(self) -> Grounder:
        """Citation checks, with the embedder that filled the store."""
        return self._once("_grounder", lambda: Grounder(self.store.chroma.embeddings))

    def retrieve(self, question: str, k: int | None = None) -> list[Citation]:
        """The chunks most relevant to `question`, best first."""
        return self.retriever.retrieve(check_question(question, self.settings), k)

    def ask(self, question: str, history: History | None = None) -> Answer:
        """Answer from the corpus with citations, or refuse when it does not cover the question."""
        answer = None
        for item in self.ask_stream(question, history):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, history: History | None = None) -> Iterator[str | Answer]:
        """Yield text pieces as they are written, then the final Answer."""
        question = check_question(question, self.settings)
        language = detect_language(question)
        standalone = self._standalone(question, history) if history else question
        hits = self.retriever.retrieve(standalone)
        evidence = select_evidence(
            hits,
            self.settings.min_relevance,
            self.settings.context_budget,
            lambda text: self.count_tokens(text),  # resolved only if the model will be asked
        )
        if evidence.refused:
            answer = refusal(standalone, language)
            yield answer.text
            yield answer
            return
        yield from self._guard(
            lambda: stream_answer(
                answer_chain(self.llm), standalone, language, evidence.contexts, self.grounder
            )
        )

    def _standalone(self, question: str, history: History) -> str:
        """Rewrite a follow-up so retrieval sees what "it" and "they" refer to."""
        turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history[-3:])
        chain: Runnable = condense_chain(self.llm)
        inputs = {"history": turns, "question": question}
        rewritten = "".join(self._guard(lambda: chain.stream(inputs)))
        rewritten = rewritten.strip().splitlines()[0].strip() if rewritten.strip() else ""
        if not rewritten or len(rewritten) > 3 * len(question) + 200:
            return f"{history[-1][0]} {question}"
        return rewritten

    def _guard(self, start: Callable[[], Iterator]) -> Iterator:
        """Endpoint failures as one sentence naming the endpoint; garbled streams retried.

        The openai client already retries refused connections, timeouts and 5xx replies with
        backoff; a stream that breaks before its first piece or is not JSON is retried here,
        with the same bound. Once text has reached the reader nothing is retried.
        """
        for attempt in range(self.settings.max_retries + 1):
            started = False
            try:
                for piece in start():
                    started = True
                    yield piece
                return
            except openai.OpenAIError as exc:
                raise endpoint_error(exc, self.endpoint, midway=started) from None
            except (httpx.HTTPError, json.JSONDecodeError) as exc:
                if started or attempt == self.settings.max_retries:
                    raise endpoint_error(exc, self.endpoint, midway=started) from None
                time.sleep(min(8.0, 0.5 * 2**attempt))


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


@lru_cache(maxsize=4)
def _bot_for(settings: Settings) -> Bot:
    """One Bot per distinct configuration, so repeated calls reuse the store and model."""
    return Bot(settings)


def default_bot() -> Bot:
    """The Bot for the current environment and `.env`."""
    return _bot_for(load_settings())


def ask(question: str, history: History | None = None) -> Answer:
    """Answer a question about the corpus, with citations; see `Bot.ask`."""
    return default_bot().ask(question, history)


def ask_stream(question: str, history: History | None = None) -> Iterator[str | Answer]:
    """Stream an answer: text pieces, then the final Answer; see `Bot.ask_stream`."""
    return default_bot().ask_stream(question, history)


def retrieve(question: str, k: int | None = None) -> list[Citation]:
    """The chunks most relevant to `question`, best first; see `Bot.retrieve`."""
    return default_bot().retrieve(question, k)
