"""The public library: `ask`, `ask_stream` and `retrieve`, over one Bot that composes the parts."""

from __future__ import annotations

import contextlib
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
    newest_instead,
    not_covered,
    out_of_range,
    prompt_inputs,
    refusal,
    reply_stream,
    stream_answer,
    unknown_source,
)
from bot.answer.claims import credited
from bot.answer.composing import compose, composed, composition_prompt
from bot.answer.dating import Dating, dated
from bot.answer.evidence import Evidence, select_evidence
from bot.answer.extracting import (
    SPAN_TOKENS,
    extract,
    extraction_prompt,
    read_sources,
    reading_prompt,
)
from bot.answer.grounding import Grounder
from bot.answer.judging import judge
from bot.answer.prompts import load_prompt, localized
from bot.answer.provenance import article_asked, asked_about, provenance
from bot.answer.questions import (
    History,
    check_question,
    condense_chain,
    condense_inputs,
    standalone,
)
from bot.answer.translating import GROWTH, SLACK, faithful, translate, translation_prompt
from bot.core.article import ArticleFilter
from bot.core.config import Settings, load_settings
from bot.core.errors import BotError, StoppingError
from bot.core.language import detect_language, load_language_model
from bot.core.patterns import LATEST
from bot.core.periods import period
from bot.core.results import Answer, AnswerStream, Citation, Retrieved, Status
from bot.core.stats import Durations
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
from bot.models.pace import Pace, PaceMeter, measure_pace, server_meter
from bot.retrieval.retriever import Retriever
from bot.store.chroma_store import open_store
from bot.store.embeddings import make_embeddings
from bot.store.protocol import VectorStore

T = TypeVar("T")
NEWEST_LISTED = 3
"""How many of the newest articles a refused question after "the latest" names."""


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
        self._judging = {True: Durations(), False: Durations()}  # a candidate, or the sources
        self._overrun = Durations()  # how far past its deadline an answer that reached it ended
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
        """The embedder that filled the store, embedding questions and reply sentences on
        BOT_EMBED_THREADS."""
        return self._part(
            "embeddings", lambda: make_embeddings(self.settings, self.settings.embed_threads)
        )

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
        return self._part("grounder", lambda: Grounder(self.embeddings, self.settings.thresholds))

    @property
    def endpoint(self) -> Endpoint | None:
        """The chat endpoint (the embedded server starts here); None for a model passed in."""
        if "chat_model" in self._parts and "endpoint" not in self._parts:
            return None
        return self._part("endpoint", lambda: resolve_endpoint(self.settings))

    @property
    def chat_model(self) -> BaseChatModel:
        """The chat model: passed in, or a client for the configured endpoint."""
        return self._part(
            "chat_model", lambda: chat_client(self.settings, self.endpoint, [self._meter])
        )

    @property
    def _meter(self) -> PaceMeter:
        """Times the chat model's requests (`pace`): the embedded server's, shared."""
        return self._part("meter", lambda: server_meter(self.endpoint))

    @property
    def pace(self) -> Pace | None:
        """The embedded model's reading and writing speed on this host: measured as it starts,
        then as its last requests took; None for an endpoint (its speed is its own) or a
        model passed in."""
        endpoint = self.endpoint
        if endpoint is None or not endpoint.embedded:
            return None
        return self._meter.probed(
            lambda: measure_pace(endpoint, load_prompt("pace"), load_prompt("system"))
        )

    @property
    def count_tokens(self) -> Callable[[str], int]:
        """Prompt-size measure for the context budget; built once, so its cache is reused."""
        return self._part(
            "count_tokens",
            lambda: token_counter(self.endpoint) if self.endpoint else count_tokens,
        )

    def warm_up(self) -> None:
        """Start the model, time it, open the store and load the language detector before
        the first question, so that question does not wait for them; a failure is left for
        the question to report."""
        load_language_model()
        with contextlib.suppress(BotError):
            self.retriever.prepare()
            _ = self.grounder, self.chat_model, self.pace

    def warm_up_in_background(self) -> None:
        """`warm_up` in a thread: the chat and the API start listening at once. Not a daemon:
        a process that exits meanwhile waits for it, rather than killing it inside llama.cpp."""
        threading.Thread(target=self.warm_up, name="bot-warm-up").start()

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

    def _deadline(self, asked_at: float) -> float:
        """BOT_TIMEOUT after the question came, not counting the model's first start, less
        the longest the last answers that reached theirs took past it (`_overran`)."""
        starting = time.monotonic()
        _ = self.chat_model, self.pace  # the embedded server starts and is timed on first use
        started = time.monotonic() - starting
        return asked_at + self.settings.timeout + started - self._overrun.longest()

    def _overran(self, deadline: float) -> None:
        """Keep how far past its deadline an answer ended that reached it: the checks and the
        passage chosen after the model's last word take seconds more on a busy host (most end
        on time; a few, seconds late), and the next deadlines come the longest recent overrun
        sooner, so whole answers end within BOT_TIMEOUT."""
        past = time.monotonic() - deadline
        if past >= 0:
            self._overrun.record(past)

    def _source_budget(self, deadline: float) -> int:
        """Source tokens the model reads in its share of the time left (BOT_READING_SHARE),
        between half and all of BOT_CONTEXT_TOKENS; all of them when its pace is not known."""
        if self.pace is None:
            return self.settings.context_budget
        reading = SPAN_TOKENS / self.pace.decode if self.settings.second_reading else 0.0
        reserved = self._quote_judging_time() + reading
        left = (deadline - time.monotonic() - reserved) * self.settings.reading_share
        # Never under half: one probe on a busy host must not starve every answer after it.
        budget = self.settings.context_budget
        return max(budget // 2, min(budget, self.pace.readable(left)))

    def _answer(
        self, question: str, history: History | None, only: ArticleFilter | None = None
    ) -> Generator[str | Retrieved, None, Answer]:
        """Retrieve, decide whether the corpus covers the question, then answer and verify."""
        self.retriever.prepare()  # a first question's clock starts once the parts are ready
        _ = self.grounder
        asked_at = time.monotonic()
        language = detect_language(question)
        deadline = self._deadline(asked_at) if history else None
        asked = self._standalone(question, history, deadline) if history else question
        only = self._within_period(asked, language, only)
        hits = self.retriever.retrieve(asked, only=only)
        present, missing = self.retriever.mentions(asked)
        relevant = [h for h in hits if h.relevance >= self.settings.min_relevance]
        if relevant:  # the sources show while the model starts, reads and writes
            yield Retrieved(contexts=relevant)
        dates = only.dated() if only else None
        about = asked_about(asked)
        unknown = [name for name in credited(asked) if not self.retriever.knows_source(name)]
        if dates and not self.retriever.admits_any(dates):
            answer = out_of_range(asked, language, dates, self.retriever.newest())
        elif missing:
            answer = not_covered(asked, language, present, missing)
        elif unknown:
            answer = unknown_source(asked, language, unknown, self.retriever.outlets())
        elif about and relevant:
            article = article_asked(asked, relevant, self.grounder.vectors)
            answer = provenance(asked, language, about, article)
        else:  # the model may be asked: its start is off the clock
            deadline = deadline or self._deadline(asked_at)
            answer = yield from self._from_sources(hits, asked, language, deadline)
            self._overran(deadline)
            if not answer.refused:
                return answer
            if LATEST.search(asked) and not present:  # else the passage on what it names
                newest = self.retriever.newest_articles(asked, NEWEST_LISTED, only)
                answer = newest_instead(answer, newest)
        yield answer.text
        return answer

    def _from_sources(
        self, hits: list[Citation], asked: str, language: str, deadline: float
    ) -> Generator[str, None, Answer]:
        """The sentences of the relevant hits the model can read in time, then its verified
        answer; a refusal when no hit is relevant or the judge finds no answer there. The
        relevant hits' sentence vectors come from the store, where ingest put them."""
        evidence = select_evidence(
            hits,
            asked,
            self.grounder.vectors,
            self.settings.min_relevance,
            self._source_budget(deadline),
            self.count_tokens,
            self.retriever.store.sentence_vectors,
        )
        if evidence.refused:
            return refusal(asked, language, "off_topic")
        inputs = prompt_inputs(asked, language, evidence.contexts)
        answerable = self._judged(inputs, "", deadline)
        if answerable is not None and answerable < self.settings.min_answerable:
            answer = refusal(asked, language, "unanswerable", evidence.contexts)
        else:
            answer = yield from self._generate(inputs, asked, language, evidence, deadline)
        return answer.model_copy(update={"answerable": answerable})

    def _within_period(
        self, question: str, language: str, only: ArticleFilter | None
    ) -> ArticleFilter | None:
        """The filter with the question's relative period ("last week") as its dates, counted
        from BOT_TODAY or the system date; dates given explicitly are kept instead."""
        span = period(question, self.settings.today or date.today(), language)
        if span is None or (only and only.dated()):
            return only
        since, until = (day.isoformat() for day in span)
        return ArticleFilter(since, until, only.outlets if only else ())

    def _generate(
        self, inputs: dict[str, str], asked: str, language: str, evidence: Evidence, deadline: float
    ) -> Generator[str, None, Answer]:
        """Stream the model's verified answer, checked against its second reading of the
        sources; the quote's judge gets the time it last took. A reading that leaves the
        answer no time is a `late` refusal at once: checking anything then would outlast
        BOT_TIMEOUT."""
        until = deadline - self._quote_judging_time()  # a quote's judge gets its time
        reading = self._read(inputs, until)
        guess = self._guessed(inputs, until) if reading == "" else ""
        if time.monotonic() >= until:
            late = localized("late", language)
            return refusal(asked, language, "late", evidence.contexts, text=late)
        quoting = QuotePolicy(
            allowed=evidence.relevance >= self.settings.min_quote_relevance,
            confidence=partial(self._judged, inputs, deadline=deadline)
            if self.settings.judge
            else None,
            min_confidence=self.settings.min_quote_confidence,
            extract=partial(self._extracted, question=asked, deadline=deadline),
            compose=partial(self._composed, question=asked, deadline=deadline),
            translate=partial(self._translated, deadline=deadline),
        )
        answered = guarded(
            lambda: stream_answer(
                reply_stream(self.chat_model, inputs, until),
                asked,
                language,
                evidence.contexts,
                self.grounder,
                until,
                quoting,
                vocabularies=self.retriever.vocabularies(),
                reading=reading,
                guess=guess,
            ),
            deadline,
            self.settings.max_retries,
            self.endpoint,
        )
        limits = self.settings.thresholds
        dating = Dating(self.grounder.vectors, limits.on_topic, limits.lexical)
        answer = yield from dated(answered, asked, language, evidence.contexts, dating)
        return answer.model_copy(update={"reading": reading})

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
        self._judging[bool(candidate)].record(time.monotonic() - started)
        return chance

    def _extracted(self, passage: str, question: str, deadline: float) -> str:
        """The words of a quoted passage the model copies out as the answer in the time
        left; "" for none (the quote checks them)."""
        prompt = self.count_tokens(extraction_prompt(passage, question))
        reply = self._writable(prompt, SPAN_TOKENS, deadline)
        return self._side_call(
            lambda: extract(self.chat_model, passage, question, reply, deadline), reply, deadline
        )

    def _read(self, inputs: dict[str, str], deadline: float) -> str | None:
        """The words of the sources the model copies out as the answer, asked first with the
        answer's prefix, which the answer then reads from the cache ("" for none); None when
        they cannot be had in the time left, or with BOT_SECOND_READING off: the answer goes
        unchecked. An endpoint that fails it fails the answer, as the answer's own request would."""
        if not self.settings.second_reading:
            return None
        reply = self._writable(self.count_tokens(reading_prompt(inputs)), SPAN_TOKENS, deadline)
        if reply < SLACK:
            return None
        call = partial(read_sources, self.chat_model, inputs, reply, deadline)
        return guarded_call(call, deadline, self.settings.max_retries, self.endpoint)

    def _guessed(self, inputs: dict[str, str], deadline: float) -> str:
        """After a reading that found none, the words the model copies out when it may not
        say none, from the prefix the server has cached: what the answer must write to be
        shown. "" for an endpoint other than llama.cpp (it cannot bar a word), or no time."""
        if self.endpoint and not self.endpoint.embedded:
            return ""
        reply = self._writable(0, SPAN_TOKENS, deadline)  # the reading's prompt: cached
        call = partial(read_sources, self.chat_model, inputs, reply, deadline, barred=True)
        return self._side_call(lambda: call() or "", reply, deadline)

    def _composed(self, span: str, language: str, question: str, deadline: float) -> str | None:
        """The answer in the reader's language around the words copied out of a passage in
        another, when the model writes it in the time left and it adds nothing of its own
        (`composed`); else None. It may write the question and the words again, and SLACK."""
        prompt = self.count_tokens(composition_prompt(question, span, language))
        wanted = self.count_tokens(f"{question} {span}") + SLACK
        reply = self._writable(prompt, wanted, deadline)
        sentence = self._side_call(
            lambda: compose(self.chat_model, question, span, language, reply, deadline),
            reply,
            deadline,
        )
        return sentence if composed(sentence, question, span, language) else None

    def _translated(self, text: str, language: str, deadline: float) -> str | None:
        """A quote in the reader's language, when the model can translate it in the time
        left and the translation keeps its numbers, names and meaning; else None. It may
        write as much as the time left holds (up to GROWTH times the original): a
        translation that does not end in that is not shown."""
        prompt = self.count_tokens(translation_prompt(text, language))
        reply = self._writable(prompt, GROWTH * self.count_tokens(text) + SLACK, deadline)
        translation = self._side_call(
            lambda: translate(self.chat_model, text, language, reply, deadline), reply, deadline
        )
        return translation if faithful(text, translation, language, self.grounder) else None

    def _writable(self, prompt: int, wanted: int, deadline: float) -> int:
        """Reply tokens, up to `wanted`, the model can write before the deadline after
        reading a prompt of `prompt` tokens, at this host's measured pace."""
        if not self.pace:
            return wanted
        left = deadline - time.monotonic() - self.pace.reading(prompt)
        return min(wanted, self.pace.writable(left))

    def _side_call(self, call: Callable[[], str], reply: int, deadline: float) -> str:
        """A side request's reply (a translation, an extraction); "" when fewer than SLACK
        reply tokens fit in the time left, or the endpoint fails (the answer stands without)."""
        if reply < SLACK:
            return ""
        try:
            return guarded_call(call, deadline, self.settings.max_retries, self.endpoint)
        except StoppingError:
            raise
        except BotError:
            return ""

    def _quote_judging_time(self) -> float:
        """How long judging a quote takes on this host; before any, judging the sources
        (whose prompt is not yet cached, so that errs on the long side)."""
        return self._judging[True].typical(self._judging[False].typical())

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
