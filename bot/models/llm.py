"""The chat model behind any OpenAI-compatible endpoint, retried calls, and errors that name it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache
from typing import TypeVar

import httpx
import openai
from langchain_core.callbacks import BaseCallbackHandler
from langchain_openai import ChatOpenAI
from tqdm import tqdm

from bot.core.config import Settings
from bot.core.errors import ConfigError, DeadlineError, EndpointError
from bot.core.tokens import count_tokens
from bot.models.local_model import Endpoint, ServerSpec, embedded_endpoint
from bot.models.model_files import check_gguf, model_file

T = TypeVar("T")
_RETRIABLE = (openai.APIConnectionError, openai.InternalServerError, openai.RateLimitError)
_TIMEOUTS = (openai.APITimeoutError, TimeoutError)  # the client's, or no reply by the deadline


def resolve_endpoint(settings: Settings) -> Endpoint:
    """OPENAI_BASE_URL when set, else the embedded llama.cpp server (started on first use)."""
    if settings.uses_embedded_model:
        return embedded_endpoint(server_spec(settings))
    if not settings.chat_model:
        raise ConfigError(
            "Set BOT_CHAT_MODEL to the model your endpoint serves "
            "(for example gpt-4o-mini, llama3.1 or the name vLLM was started with)."
        )
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return Endpoint(base_url=str(settings.openai_base_url), api_key=key, model=settings.chat_model)


def server_spec(settings: Settings) -> ServerSpec:
    """The embedded server's model file (verified, joined on first use) and its threads."""
    if settings.local_model_path:
        path, alias = check_gguf(settings.local_model_path), settings.local_model_path.stem
    else:
        model = settings.embedded_model
        with tqdm(
            total=model.size,
            unit="B",
            unit_scale=True,
            desc=f"Preparing {model.label}",
            leave=False,
            disable=None,
        ) as bar:
            path = model_file(model, settings.model_cache, lambda done, _: bar.update(done - bar.n))
        alias = model.name
    return ServerSpec(path, alias, settings.local_threads, settings.local_parallel)


def chat_client(
    settings: Settings, endpoint: Endpoint, callbacks: list[BaseCallbackHandler] | None = None
) -> ChatOpenAI:
    """One client for every endpoint: bounded output, timeout and retries with backoff;
    `callbacks` see each request (the pace meter times them)."""
    extra: dict[str, object] = {}
    if "api.openai.com" not in endpoint.base_url:
        extra["max_tokens"] = settings.max_tokens  # some Ollama versions ignore the newer name
    if endpoint.embedded and settings.embedded_model.repeat_penalty != 1.0:
        extra["repeat_penalty"] = settings.embedded_model.repeat_penalty
    return ChatOpenAI(
        base_url=endpoint.base_url,
        api_key=endpoint.api_key,
        model=settings.chat_model or endpoint.model,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout,
        max_retries=0,  # Bot retries, with backoff, within BOT_TIMEOUT
        extra_body=extra or None,
        stream_usage=True,
        callbacks=callbacks,
    )


def token_counter(endpoint: Endpoint, timeout: float = 5.0) -> Callable[[str], int]:
    """Count prompt tokens in the model's own tokenizer where we can ask it, else in cl100k."""
    if not endpoint.embedded:
        return count_tokens
    url = endpoint.base_url.removesuffix("/v1") + "/tokenize"
    headers = {"Authorization": f"Bearer {endpoint.api_key}"}
    # One kept-alive client: a new one per sentence costs ~40 ms of TLS setup, half a second
    # of every answer's evidence selection.
    client = httpx.Client(headers=headers, timeout=timeout)

    @lru_cache(maxsize=4096)
    def count(text: str) -> int:
        try:
            reply = client.post(url, json={"content": text})
            reply.raise_for_status()
            return len(reply.json()["tokens"])
        except (httpx.HTTPError, KeyError, ValueError):
            return count_tokens(text) * 2  # SmolLM2 spends about twice cl100k on non-English

    return count


def endpoint_error(
    exc: Exception, endpoint: Endpoint | None, midway: bool = False
) -> EndpointError:
    """One sentence naming the endpoint and what to do; the API key is never included."""
    if endpoint is None:
        where = "The chat model"
    elif endpoint.embedded:
        where = "The embedded model server"
    else:
        where = f"The endpoint {endpoint.base_url}"
    if midway:
        what = "stopped in the middle of the answer; ask again"
    elif isinstance(exc, _TIMEOUTS):
        what = "timed out; raise BOT_TIMEOUT or try a smaller question"
    elif isinstance(exc, openai.APIConnectionError):
        what = "cannot be reached; check OPENAI_BASE_URL and that the server is running"
    elif isinstance(exc, openai.AuthenticationError):
        what = "rejected the API key; check OPENAI_API_KEY"
    elif isinstance(exc, openai.NotFoundError):
        what = "does not serve that model or path; check BOT_CHAT_MODEL and OPENAI_BASE_URL"
    elif isinstance(exc, openai.APIStatusError):
        what = f"failed with HTTP {exc.status_code}; try again later or check the server's log"
    else:
        what = "sent a reply we could not read; check that it is OpenAI-compatible"
    kind = DeadlineError if isinstance(exc, _TIMEOUTS) and not midway else EndpointError
    return kind(f"{where} {what}.")


def guarded(
    start: Callable[[], Generator[str, None, T]],
    deadline: float,
    retries: int,
    endpoint: Endpoint | None,
) -> Generator[str, None, T]:
    """Endpoint failures as one sentence naming the endpoint; retried while time is left.

    Refused connections, timeouts, 5xx and 429 replies, and streams that break before
    their first shown piece or are not JSON are retried up to `retries` (BOT_MAX_RETRIES)
    times with backoff, never past BOT_TIMEOUT. Once text has reached the reader nothing is
    retried, nor is a reply of which nothing came by the deadline (a TimeoutError).
    """
    for attempt in range(retries + 1):
        started = False
        try:
            pieces = start()
            while True:
                piece = next(pieces)
                started = True
                yield piece
        except StopIteration as done:
            return done.value
        except (*_RETRIABLE, httpx.HTTPError, json.JSONDecodeError) as exc:
            pause = min(8.0, 0.5 * 2**attempt)
            final = attempt == retries
            if started or final or time.monotonic() + pause > deadline:
                raise endpoint_error(exc, endpoint, midway=started or _broke(exc)) from None
            time.sleep(pause)
        except (openai.OpenAIError, TimeoutError) as exc:  # no reply by the deadline: no retry
            raise endpoint_error(exc, endpoint, midway=started) from None
    raise AssertionError("unreachable: the last attempt returns or raises")


def _broke(exc: BaseException) -> bool:
    """Whether the server began its reply and stopped (a stream cut short), which is no
    failure to reach it: a reply read before the answer's first word (the second reading)
    breaks so."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ == "RemoteProtocolError":  # httpx's, or its transport's
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def guarded_call(
    call: Callable[[], T], deadline: float, retries: int, endpoint: Endpoint | None
) -> T:
    """One non-streamed call, retried and its failures worded as `guarded` does."""

    def once() -> Generator[str, None, T]:
        return call()
        yield ""  # a generator, for the guard  # noqa: RUF100

    pieces = guarded(once, deadline, retries, endpoint)
    while True:
        try:
            next(pieces)
        except StopIteration as done:
            return done.value


def collect(pieces: Iterator[str]) -> Generator[str, None, None]:
    """A plain stream as a generator the guard can retry."""
    yield from pieces
