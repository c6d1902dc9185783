"""Prompt templates live as files in `prompts/`; code refers to them by name only. A side
request (a translation, an extraction) gets its reply's first paragraph, in time or not at all."""

from __future__ import annotations

import contextvars
import queue
import threading
import time
import tomllib
from collections.abc import Generator, Iterator
from contextlib import closing
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.prompt_values import PromptValue
from langchain_core.prompts import ChatPromptTemplate

from bot.core.errors import ConfigError, StoppingError
from bot.core.text import whole_words

T = TypeVar("T")
LATE = "deadline"
"""Why a reply ended when its deadline came before its end (beside "stop" and "length")."""

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "prompts",  # a source checkout
    Path(__file__).resolve().parents[1] / "_prompts",  # an installed wheel
)


def prompts_dir() -> Path:
    """The folder the templates are read from."""
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise ConfigError("The prompts/ folder is missing; reinstall the package.")


@cache
def load_prompt(name: str) -> str:
    """The template `prompts/<name>.txt`, without its trailing newline."""
    path = prompts_dir() / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        raise ConfigError(f"Prompt template {path} is missing; reinstall the package.") from None


@cache
def _reader_texts(language: str) -> dict[str, Any]:
    """`prompts/reader/<language>.toml`, every text a reader sees in that language; {} for a
    language with none. One file a language, so a translator adds one file."""
    path = prompts_dir() / "reader" / f"{language}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path} ({exc}); reinstall the package.") from None


def _reader_text(name: str, language: str) -> object:
    """The reader's text (or group of texts) `name` in `language`, or in English for a
    language with no texts."""
    texts = _reader_texts(language) or _reader_texts("en")
    if name not in texts:
        raise ConfigError(f"The reader's text {name!r} is missing; reinstall the package.")
    return texts[name]


def localized(name: str, language: str) -> str:
    """One text the reader sees, in their language where it has texts."""
    return str(_reader_text(name, language))


def localized_group(name: str, language: str) -> dict[str, str]:
    """A group of the reader's texts by kind (`provenance`, `languages`), as `localized`."""
    group = _reader_text(name, language)
    return dict(group) if isinstance(group, dict) else {}


def own_group(name: str, language: str) -> dict[str, str]:
    """A group of the reader's texts in their own language only; {} for a language with no
    texts: English forms (a date's) are no way to write another language."""
    group = _reader_texts(language).get(name, {})
    return dict(group) if isinstance(group, dict) else {}


def origin(code: str, reader: str) -> str:
    """ " (in Vietnamese)": where a passage in language `code` comes from, in the reader's
    language; empty when they match or the language has no name there."""
    if code == reader:
        return ""
    names = localized_group("languages", reader)
    return f" ({names[code]})" if code in names else ""


def chat_prompt(tail: str) -> ChatPromptTemplate:
    """The system prompt, then the sources and the question, then `tail`'s instruction: the
    answer's or a judge's. Every request shares its prefix up to the question, which a
    server that caches prompts (llama.cpp) does not prefill twice."""
    human = load_prompt("sources") + "\n\n" + load_prompt(tail)
    return ChatPromptTemplate.from_messages([("system", load_prompt("system")), ("human", human)])


def streamed(
    llm: BaseChatModel, messages: PromptValue, deadline: float | None = None
) -> Generator[str, None, str]:
    """The model's reply as text pieces, then why it ended ("stop", "length", or `LATE` when
    the `deadline`, a monotonic time, came first); closing it stops the generation. A reply
    of which nothing came before the deadline is a TimeoutError: there is nothing to show.

    Not an LCEL chain's stream: closed early, `prompt | llm | parser` reads the reply to its
    end first (15 s of decoding on 2 cores), past the deadline and into the next question.
    """
    ended, said = "", False
    chunks = in_time(llm.stream(messages), deadline)
    with closing(chunks):
        try:
            while True:
                chunk = next(chunks)
                ended = chunk.response_metadata.get("finish_reason") or ended
                if chunk.content:
                    said = True
                    yield str(chunk.content)
        except StopIteration as done:
            if done.value:
                return ended
            if not said:
                raise TimeoutError("no reply came before the deadline") from None
            return LATE


class Waits:
    """The waits for the model in flight, so that a process told to stop (Ctrl+C) ends
    them at once, each with a StoppingError, and starts none: llama.cpp ends a request only
    when its reply is closed, and stopping it with one still being written took half a
    minute."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[queue.SimpleQueue[tuple[bool, Any]]] = set()
        self._stopped = False

    def stop(self) -> None:
        """End every wait now, and every one after it before it starts."""
        with self._lock:
            self._stopped = True
            for arrived in self._open:
                arrived.put((False, STOPPED))

    def opened(self, arrived: queue.SimpleQueue[tuple[bool, Any]]) -> bool:
        """Count a wait in; False when the process is stopping and it must not start."""
        with self._lock:
            if not self._stopped:
                self._open.add(arrived)
            return not self._stopped

    def closed(self, arrived: queue.SimpleQueue[tuple[bool, Any]]) -> None:
        """Count a wait out."""
        with self._lock:
            self._open.discard(arrived)


STOPPED = object()
"""What a stopped wait receives in place of the model's next piece."""
_WAITS = Waits()
"""This process's waits; `stop_waiting` stops them."""
STOPPING = "newsbot is stopping, so this answer was ended; ask again once it is back."


def stop_waiting() -> None:
    """End the answers being written (a StoppingError each): the process is stopping."""
    _WAITS.stop()


def in_time(
    items: Iterator[T], deadline: float | None, waits: Waits = _WAITS
) -> Generator[T, None, bool]:
    """`items` as they come, then whether they all came before the `deadline`. They are read
    on a thread of their own, so no wait for the next (a slow prefill on a busy host, a
    stalled server) outlasts the deadline; when this stops early, that thread closes
    `items` as the next one arrives, which ends the request. A StoppingError once
    `waits.stop` is called, before or while waiting."""
    if deadline is None:
        yield from items
        return True
    arrived: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
    if not waits.opened(arrived):
        raise StoppingError(STOPPING)
    stop = threading.Event()

    def read() -> None:
        try:
            with closing(items):  # type: ignore[type-var]  # a generator, as llm.stream's
                for item in items:
                    if stop.is_set():
                        return
                    arrived.put((True, item))
            arrived.put((False, None))
        except BaseException as exc:  # re-raised to the reader, for the retry logic
            arrived.put((False, exc))

    threading.Thread(target=contextvars.copy_context().run, args=(read,), daemon=True).start()
    try:
        while True:
            try:
                more, item = arrived.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return False
            if item is STOPPED:
                raise StoppingError(STOPPING)
            if isinstance(item, BaseException):
                raise item
            if not more:
                return True
            yield item
    finally:
        stop.set()
        waits.closed(arrived)


def alone(name: str, inputs: dict[str, str]) -> PromptValue:
    """The template `name` asked alone: no system prompt, no sources."""
    return ChatPromptTemplate.from_messages([("human", load_prompt(name))]).invoke(inputs)


def side_reply(
    llm: BaseChatModel,
    messages: PromptValue,
    max_tokens: int,
    deadline: float,
    partial: bool = False,
) -> str:
    """The first paragraph of the reply to `messages`; empty when the `deadline` (a
    monotonic time) cut it off, so the deadline holds however slowly the host writes, or
    `max_tokens` did, unless `partial`: then its whole words so far (`whole_words`: the
    last may be cut in two, in any script)."""
    pieces = streamed(llm.bind(max_tokens=max_tokens), messages, deadline)
    written = ""
    with closing(pieces):
        try:
            while "\n\n" not in written.strip():  # past the first paragraph: not read
                written += next(pieces)
                if time.monotonic() > deadline:
                    return ""
        except StopIteration as done:
            if done.value == "length" and partial:
                written = whole_words(written)
            elif done.value in ("length", LATE):
                return ""
    return written.strip().split("\n\n")[0].strip()
