"""`bot serve`: the bot as an OpenAI-compatible chat endpoint, for any client or front end.

`POST /v1/chat/completions` answers the last user message, with the earlier turns as the
conversation (follow-ups are condensed as in the chat). The reply is the verified answer with
its `[n]` markers; `citations` and `newsbot` are extra top-level fields (in the last chunk
when streaming). Errors are OpenAI-style JSON with the status a client expects.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.exceptions import HTTPException

from bot.answer.questions import History
from bot.api import Bot
from bot.core.article import ArticleFilter
from bot.core.errors import (
    BotError,
    CorpusError,
    DeadlineError,
    EndpointError,
    QuestionError,
    StoppingError,
    StoreError,
)
from bot.core.results import Answer, AnswerStream, Citation, Retrieved

log = logging.getLogger(__name__)

MODEL_ID = "newsbot"
Event = str | Retrieved
UNEXPECTED = "Something went wrong on our side (see the server log); please try again."

# What each error means to an HTTP client: status, OpenAI error type, code.
_STATUS: list[tuple[type[BotError], int, str, str]] = [
    (QuestionError, 400, "invalid_request_error", "invalid_question"),
    (DeadlineError, 504, "timeout", "deadline_exceeded"),
    (EndpointError, 502, "api_error", "model_endpoint_error"),
    (StoreError, 503, "api_error", "store_unavailable"),
    (StoppingError, 503, "api_error", "shutting_down"),
    (CorpusError, 503, "api_error", "corpus_unavailable"),
]


class Message(BaseModel):
    """One chat message as OpenAI clients send it; content is text or a list of typed parts."""

    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text, its text parts joined."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ArticleScope(BaseModel):
    """`since`, `until` (ISO dates, inclusive) and `outlets`, as `bot ask` takes them."""

    model_config = ConfigDict(extra="forbid")

    since: str | None = None
    until: str | None = None
    outlets: list[str] = []

    def only(self) -> ArticleFilter | None:
        """The filter; a malformed date raises QuestionError (a 400)."""
        return ArticleFilter.of(self.since, self.until, self.outlets)


class ChatRequest(BaseModel):
    """The fields of a chat-completions request the bot reads; others are accepted, ignored."""

    model_config = ConfigDict(extra="ignore")

    model: str = MODEL_ID
    messages: list[Message]
    stream: bool = False
    newsbot: ArticleScope | None = None
    """Which articles the answer may draw on (sent as `extra_body={"newsbot": {...}}`)."""


class ApiError(Exception):
    """An error reply: status, one sentence, its OpenAI type and code."""

    def __init__(
        self, status: int, message: str, kind: str = "invalid_request_error", code: str = ""
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code

    def body(self) -> dict[str, Any]:
        """The error as OpenAI's JSON shape."""
        return {"error": {"message": self.message, "type": self.kind, "code": self.code or None}}

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        """The error as an HTTP reply."""
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def api_error(exc: Exception) -> ApiError:
    """Our errors as their HTTP status; anything else as a 500 that leaks nothing."""
    for kind, status, error_type, code in _STATUS:
        if isinstance(exc, kind):
            return ApiError(status, str(exc), error_type, code)
    if isinstance(exc, BotError):
        return ApiError(500, str(exc), "api_error", "server_error")
    log.error("Unexpected error while answering", exc_info=exc)
    return ApiError(500, UNEXPECTED, "api_error", "server_error")


def conversation(messages: list[Message]) -> tuple[str, History]:
    """The question (the last message, the user's) and the earlier (user, assistant) turns."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise ApiError(400, "The last message must be the user's question.", code="no_question")
    history: History = []
    asked: str | None = None
    for message in turns[:-1]:
        if message.role == "user":
            asked = message.text()
        elif asked is not None:
            history.append((asked, message.text()))
            asked = None
    return turns[-1].text(), history


class Admission:
    """At most `slots` answers at once and `queue` waiting; beyond that a 429."""

    def __init__(self, slots: int, queue: int, retry_after: float) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.capacity = slots + queue
        self.admitted = 0
        self.retry_after = max(1, round(retry_after))

    async def enter(self) -> None:
        """Wait for a slot, or refuse at once when the queue is full."""
        if self.admitted >= self.capacity:
            raise ApiError(
                429,
                "Too many questions at once; retry after the delay in Retry-After.",
                "rate_limit_error",
                "queue_full",
            )
        self.admitted += 1
        try:
            await self.slots.acquire()
        except BaseException:
            self.admitted -= 1
            raise

    def leave(self) -> None:
        """Free the slot for the next waiting request."""
        self.admitted -= 1
        self.slots.release()


def build_api(bot: Bot) -> FastAPI:
    """The HTTP app over one Bot; BOT_API_KEY, when set, is required as a Bearer token."""
    settings = bot.settings
    app = FastAPI(title="newsbot", docs_url=None, redoc_url=None, openapi_url=None)
    admission = Admission(settings.answering_at_once, settings.api_queue, settings.timeout)
    key = settings.api_key.get_secret_value() if settings.api_key else None
    limit = settings.api_max_body_kb * 1024

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"Retry-After": str(admission.retry_after)} if exc.status == 429 else None
        return exc.response(headers)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        return ApiError(exc.status_code, f"{exc.detail}: {request.url.path}.", code=code).response()

    @app.middleware("http")
    async def _authorize(request: Request, call_next: Any) -> Any:
        if key and request.url.path.startswith("/v1/") and not _bearer_matches(request, key):
            return ApiError(
                401,
                "Missing or wrong API key; send it as 'Authorization: Bearer <BOT_API_KEY>'.",
                "authentication_error",
                "invalid_api_key",
            ).response()
        return await call_next(request)

    @app.get("/health")
    async def health() -> JSONResponse:
        try:
            status = await anyio.to_thread.run_sync(bot.status)
        except BotError as exc:
            return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", **status.model_dump()})

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [_model_card()]}

    @app.get("/v1/models/{model}")
    async def model(model: str) -> dict[str, Any]:
        if model != MODEL_ID:
            raise ApiError(404, f"No model {model!r} here; this server serves {MODEL_ID!r}.")
        return _model_card()

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Any:
        asked = await _read_request(request, limit)
        question, history = conversation(asked.messages)
        try:
            only = asked.newsbot.only() if asked.newsbot else None
        except QuestionError as exc:
            raise api_error(exc) from None
        await admission.enter()
        try:
            stream, events = await anyio.to_thread.run_sync(_start, bot, question, history, only)
        except BaseException as exc:
            admission.leave()
            raise _as_api_error(exc) from None
        if asked.stream:
            return StreamingResponse(
                _sse(stream, events, admission),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        try:
            answer = await anyio.to_thread.run_sync(lambda: stream.answer)
        except BaseException as exc:
            raise _as_api_error(exc) from None
        finally:
            admission.leave()
        return completion(answer)

    return app


def _bearer_matches(request: Request, key: str) -> bool:
    """Whether the request carries the key, compared in constant time."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), key)


async def _read_request(request: Request, limit: int) -> ChatRequest:
    """The body as a ChatRequest: 413 when too large, 400 when not the expected JSON."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = b""
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise _too_large(limit)
    try:
        return ChatRequest.model_validate(json.loads(body))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.", code="invalid_json") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ApiError(
            400, f"The request's {where} is invalid: {first['msg'].lower()}.", code="invalid_body"
        ) from None


def _too_large(limit: int) -> ApiError:
    """The one sentence for an over-large body."""
    return ApiError(
        413,
        f"The request body is over {limit // 1024} KB (BOT_API_MAX_BODY_KB); send less history.",
        code="body_too_large",
    )


def _as_api_error(exc: BaseException) -> BaseException:
    """ApiErrors and cancellations pass as they are; the rest become an ApiError."""
    if isinstance(exc, ApiError | asyncio.CancelledError) or not isinstance(exc, Exception):
        return exc
    return api_error(exc)


def _start(
    bot: Bot, question: str, history: History, only: ArticleFilter | None
) -> tuple[AnswerStream, Iterator[Event]]:
    """Start answering and wait for the first event, so that a missing store or a bad question
    is an error status rather than an error inside a 200 stream."""
    stream = bot.ask_stream(question, history, only)
    events = stream.events()
    first = next(events, None)
    return stream, itertools.chain([first] if first is not None else [], events)


async def _sse(
    stream: AnswerStream, events: Iterator[Event], admission: Admission
) -> AsyncIterator[str]:
    """The answer as chat.completion.chunk events, its citations in the last one."""
    reply = _completion_id()
    try:
        try:
            yield _event(_chunk(reply, {"role": "assistant", "content": ""}))
            while (event := await anyio.to_thread.run_sync(_next, events)) is not None:
                if isinstance(event, str):
                    yield _event(_chunk(reply, {"content": event}))
            answer = stream.answer
            last = _chunk(reply, {}, finish_reason=_finish_reason(answer))
            yield _event({**last, **extras(answer)})
        except Exception as exc:
            yield _event(api_error(exc).body())
        yield "data: [DONE]\n\n"
    finally:
        admission.leave()


def _next(events: Iterator[Event]) -> Event | None:
    """The next event, or None at the end (StopIteration cannot cross a thread)."""
    return next(events, None)


def completion(answer: Answer) -> dict[str, Any]:
    """The Answer as a chat.completion object, with the bot's extra fields."""
    return {
        "id": _completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text},
                "finish_reason": _finish_reason(answer),
            }
        ],
        **extras(answer),
    }


def extras(answer: Answer) -> dict[str, Any]:
    """`citations`, numbered as the text's [n] markers, and `newsbot`: how it was answered,
    and what the model `read` for it, cited or not (a refusal's passages too)."""
    return {
        "citations": [_source(n, c) for n, c in answer.numbered_citations()],
        "newsbot": {
            "read": [_source(n, c) for n, c in enumerate(answer.contexts, 1)],
            "refused": answer.refused,
            "refusal_reason": answer.refusal_reason or None,
            "quoted": answer.quoted,
            "cut_short": answer.cut_short,
            "question": answer.question,
            "language": answer.language,
            "left_out": answer.unsupported,
            "as_of": answer.as_of or None,
        },
    }


def _source(n: int, c: Citation) -> dict[str, Any]:
    """One passage as a client reads it: its number, its article and where that came from."""
    return {
        "n": n,
        "source": c.source,
        "title": c.title,
        "url": c.url or None,
        "snippet": c.snippet,
        "relevance": c.relevance,
        "language": c.language or None,
        "published": c.published or None,
        "outlet": c.outlet or None,
        "author": c.author or None,
        "republisher": c.republisher or None,
    }


def _finish_reason(answer: Answer) -> str:
    """'length' when BOT_TIMEOUT cut the answer short, as OpenAI reports a cut reply."""
    return "length" if answer.cut_short else "stop"


def _chunk(reply: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    """One chat.completion.chunk."""
    return {
        "id": reply,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _event(data: dict[str, Any]) -> str:
    """One server-sent event."""
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _completion_id() -> str:
    """A completion id in OpenAI's style."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def _model_card() -> dict[str, Any]:
    """The one model this server lists."""
    return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "newsbot"}
