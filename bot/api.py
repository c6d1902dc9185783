"""The public library: `ask`, `ask_stream` and `retrieve`, over one Bot that composes the parts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Sequence
from datetime import date
from functools import cache, partial
from typing import TypeVar

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from bot.answer.answering import (
    QuotePolicy,
    answer_chain,
    not_covered,
    prompt_inputs,
    refusal,
    stream_answer,
)
from bot.answer.evidence import Evidence, select_evidence
from bot.answer.grounding import Grounder
from bot.answer.judging import judge
from bot.answer.questions import (
    History,
    check_question,
    condense_chain,
    condense_inputs,
    standalone,
)
from bot.core.article import ArticleFilter
from bot.core.config import Settings, load_settings
from bot.core.language import detect_language
from bot.core.results import Answer, AnswerStream, Citation, Retrieved, Status
from bot.core.tokens import count_tokens
from bot.models.llm import (
    chat_client,
    collect,
    guarded,
    guarded_call,
    resolve_endpoint,
    token_counter,
)
from bot.models.local_model import Endpoint
from bot.retrieval.retriever import Retriever
from bot.store.chroma_store import open_store
from bot.store.embeddings import make_embeddings
from bot.store.protocol import VectorStore

T = TypeVar("T")


class Bot:
    """The one place that composes the parts; each is built on first use unless passed in."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: VectorStore | None = None,
        chat_model: BaseChatModel | None = None,
        embeddings: Embeddings | None = None,
        retriever: Retriever | None = None,
        grounder: Grounder | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self._lock = threading.RLock()
        self._judge_seconds: dict[bool, float] = {}
        given = {"store": store, "chat_model": chat_model, "embeddings": embeddings}
        given |= {"retriever": retriever, "grounder": grounder}
        self._parts: dict[str, object] = {k: v for k, v in given.items() if v is not None}

    def _part(self, name: str, build: Callable[[], T]) -> T:
        """Build a part on first use, exactly once even when threads race for it."""
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            return self._parts[name]  # type: ignore[return-value]

    @property
    def embeddings(self) -> Embeddings:
        """The embedder that filled the store and embeds questions and reply sentences."""
        return self._part("embeddings", lambda: make_embeddings(self.settings))

    @property
    def store(self) -> VectorStore:
        """The opened vector store; raises StoreError with the fix when it is missing."""
        return self._part("store", lambda: open_store(self.settings, self.embeddings))

    @property
    def retriever(self) -> Retriever:
        """Retrieval over the store; built once, as it holds the keyword index."""
        return self._part(
            "retriever", lambda: Retriever(self.store, self.settings.top_k, self.settings.retriever)
        )

    @property
    def grounder(self) -> Grounder:
        """Sentence verification, with the same embedder as the store."""
        return self._part("grounder", lambda: Grounder(self.embeddings))

    @property
    def endpoint(self) -> Endpoint | None:
        """The chat endpoint (the embedded server starts here); None for a model passed in."""
        if "chat_model" in self._parts and "endpoint" not in self._parts:
            return None
        return self._part("endpoint", lambda: resolve_endpoint(self.settings))

    @property
    def chat_model(self) -> BaseChatModel:
        """The chat model: passed in, or a client for the configured endpoint."""
        return self._part("chat_model", lambda: chat_client(self.settings, self.endpoint))

    @property
    def count_tokens(self) -> Callable[[str], int]:
        """Prompt-size measure for the context budget; built once, so its cache is reused."""
        return self._part(
            "count_tokens",
            lambda: token_counter(self.endpoint) if self.endpoint else count_tokens,
        )

    def status(self) -> Status:
        """What is loaded, for headers: model and corpus size; never starts the model."""
        return Status(
            model=self.settings.model_label,
            documents=self.retriever.documents(),
            chunks=self.retriever.size(),
        )

    def retrieve(
        self, question: str, k: int | None = None, only: ArticleFilter | None = None
    ) -> list[Citation]:
        """The chunks most relevant to `question`, best first (from the articles `only`
        admits: `ArticleFilter.of(since=, until=, outlets=)`)."""
        return self.retriever.retrieve(check_question(question, self.settings), k, only)

    def ask(
        self, question: str, history: History | None = None, only: ArticleFilter | None = None
    ) -> Answer:
        """Answer from the corpus with citations, or refuse when it does not cover the question."""
        return self.ask_stream(question, history, only).answer

    def ask_stream(
        self, question: str, history: History | None = None, only: ArticleFilter | None = None
    ) -> AnswerStream:
        """Verified text as it is written, then `.answer`; BOT_TIMEOUT bounds the whole of it."""
        return AnswerStream(self._answer(check_question(question, self.settings), history, only))

    def _deadline(self) -> float:
        """When the answer must be done; the clock starts once the model is loaded."""
        _ = self.chat_model  # the embedded server loads its model on first use
        return time.monotonic() + self.settings.timeout

    def _answer(
        self, question: str, history: History | None, only: ArticleFilter | None = None
    ) -> Generator[str | Retrieved, None, Answer]:
        """Retrieve, decide whether the corpus covers the question, then answer and verify."""
        language = detect_language(question)
        deadline = self._deadline() if history else None
        asked = self._standalone(question, history, deadline) if history else question
        hits = self.retriever.retrieve(asked, only=only)
        present, missing = self.retriever.mentions(asked)
        evidence = select_evidence(
            hits,
            asked,
            self.grounder,
            self.settings.min_relevance,
            self.settings.context_budget,
            self.count_tokens,
        )
        if evidence.contexts:
            yield Retrieved(contexts=evidence.contexts)
        if missing:
            answer = not_covered(asked, language, present, missing)
        elif evidence.refused:
            answer = refusal(asked, language, "off_topic")
        else:
            inputs = prompt_inputs(asked, language, evidence.contexts)
            deadline = deadline or self._deadline()
            answerable = self._judged(inputs, "", deadline)
            if answerable is not None and answerable < self.settings.min_answerable:
                answer = refusal(asked, language, "unanswerable", evidence.contexts)
            else:
                answer = yield from self._generate(inputs, asked, language, evidence, deadline)
            answer = answer.model_copy(update={"answerable": answerable})
            if not answer.refused:
                return answer
        yield answer.text
        return answer

    def _generate(
        self, inputs: dict[str, str], asked: str, language: str, evidence: Evidence, deadline: float
    ) -> Generator[str, None, Answer]:
        """Stream the model's verified answer; the quote's judge gets the time it last took."""
        chain = answer_chain(self.chat_model)
        quoting = QuotePolicy(
            allowed=evidence.relevance >= self.settings.min_quote_relevance,
            confidence=partial(self._judged, inputs, deadline=deadline)
            if self.settings.judge
            else None,
            min_confidence=self.settings.min_quote_confidence,
        )
        answer = yield from guarded(
            lambda: stream_answer(
                chain.stream(inputs),
                asked,
                language,
                evidence.contexts,
                self.grounder,
                deadline - self._quote_judging_time(),
                quoting,
                vocabularies=self.retriever.vocabularies(),
            ),
            deadline,
            self.settings.max_retries,
            self.endpoint,
        )
        return answer

    def _judged(self, inputs: dict[str, str], candidate: str, deadline: float) -> float | None:
        """The model's P(yes) that the sources (or `candidate`) answer; None when not asked,
        or when a candidate's judging would run past the deadline. Each kind's time is kept:
        the answer leaves that much of BOT_TIMEOUT."""
        if not self.settings.judge:
            return None
        if candidate and time.monotonic() + self._quote_judging_time() > deadline:
            return None
        started = time.monotonic()
        retries, endpoint = self.settings.max_retries, self.endpoint
        chance = guarded_call(
            lambda: judge(self.chat_model, inputs, candidate), deadline, retries, endpoint
        )
        self._judge_seconds[bool(candidate)] = time.monotonic() - started
        return chance

    def _quote_judging_time(self) -> float:
        """How long judging a quote last took on this host; before any, judging the sources
        (whose prompt is not yet cached, so that errs on the long side)."""
        times = self._judge_seconds
        return times.get(True, times.get(False, 0.0))

    def _standalone(self, question: str, history: History, deadline: float) -> str:
        """Rewrite a follow-up so retrieval sees what "it" and "they" refer to."""
        chain, inputs = condense_chain(self.chat_model), condense_inputs(question, history)
        retries, endpoint = self.settings.max_retries, self.endpoint
        stream = guarded(lambda: collect(chain.stream(inputs)), deadline, retries, endpoint)
        return standalone(question, history, "".join(stream))


@cache
def default_bot() -> Bot:
    """The Bot for the environment and `.env` as they were at the first call."""
    return Bot(load_settings())


Since = date | str | None


def ask(
    question: str,
    history: History | None = None,
    *,
    since: Since = None,
    until: Since = None,
    outlets: Sequence[str] | None = None,
) -> Answer:
    """Answer a question about the corpus, with citations; `since`/`until` (dates, inclusive)
    and `outlets` limit the articles it may draw on. See `Bot.ask`."""
    return default_bot().ask(question, history, ArticleFilter.of(since, until, outlets))


def ask_stream(
    question: str,
    history: History | None = None,
    *,
    since: Since = None,
    until: Since = None,
    outlets: Sequence[str] | None = None,
) -> AnswerStream:
    """Stream an answer: verified text pieces, then `.answer`; see `ask` and `Bot.ask_stream`."""
    return default_bot().ask_stream(question, history, ArticleFilter.of(since, until, outlets))


def retrieve(
    question: str,
    k: int | None = None,
    *,
    since: Since = None,
    until: Since = None,
    outlets: Sequence[str] | None = None,
) -> list[Citation]:
    """The chunks most relevant to `question`, best first; see `ask` and `Bot.retrieve`."""
    return default_bot().retrieve(question, k, ArticleFilter.of(since, until, outlets))
