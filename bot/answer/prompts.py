"""Prompt templates live as files in `prompts/`; code refers to them by name only. A side
request (a translation, an extraction) gets its reply's first paragraph, in time or not at all."""

from __future__ import annotations

import time
from collections.abc import Generator
from contextlib import closing
from functools import cache
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.prompt_values import PromptValue
from langchain_core.prompts import ChatPromptTemplate

from bot.core.errors import ConfigError

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


def localized(name: str, language: str) -> str:
    """`prompts/<name>.<language>.txt`, or the English one where no translation exists."""
    try:
        return load_prompt(f"{name}.{language}")
    except ConfigError:
        return load_prompt(f"{name}.en")


def origin(code: str, reader: str) -> str:
    """ " (in Vietnamese)": where a passage in language `code` comes from, in the reader's
    language; empty when they match or the language has no name there."""
    if code == reader:
        return ""
    lines = localized("languages", reader).splitlines()
    names = dict(line.split(": ", 1) for line in lines if ": " in line)
    return f" ({names[code]})" if code in names else ""


def chat_prompt(tail: str) -> ChatPromptTemplate:
    """The system prompt, then the sources and the question, then `tail`'s instruction: the
    answer's or a judge's. Every request shares its prefix up to the question, which a
    server that caches prompts (llama.cpp) does not prefill twice."""
    human = load_prompt("sources") + "\n\n" + load_prompt(tail)
    return ChatPromptTemplate.from_messages([("system", load_prompt("system")), ("human", human)])


def streamed(llm: BaseChatModel, messages: PromptValue) -> Generator[str, None, str]:
    """The model's reply as text pieces, then why it ended ("stop", "length"); closing it
    stops the generation at once.

    Not an LCEL chain's stream: closed early, `prompt | llm | parser` reads the reply to its
    end first (15 s of decoding on 2 cores), past the deadline and into the next question.
    """
    ended = ""
    with closing(llm.stream(messages)) as chunks:
        for chunk in chunks:
            ended = chunk.response_metadata.get("finish_reason") or ended
            if chunk.content:
                yield str(chunk.content)
    return ended


def alone(name: str, inputs: dict[str, str]) -> PromptValue:
    """The template `name` asked alone: no system prompt, no sources."""
    return ChatPromptTemplate.from_messages([("human", load_prompt(name))]).invoke(inputs)


def side_reply(llm: BaseChatModel, messages: PromptValue, max_tokens: int, deadline: float) -> str:
    """The first paragraph of the reply to `messages`; empty when `max_tokens` or the
    `deadline` (a monotonic time) cut it off, so the deadline holds however slowly the host
    writes."""
    pieces = streamed(llm.bind(max_tokens=max_tokens), messages)
    written = ""
    with closing(pieces):
        try:
            while "\n\n" not in written.strip():  # past the first paragraph: not read
                written += next(pieces)
                if time.monotonic() > deadline:
                    return ""
        except StopIteration as done:
            if done.value == "length":
                return ""
    return written.strip().split("\n\n")[0].strip()
