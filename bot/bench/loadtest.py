"""`bot loadtest`: concurrent chat sessions against a running web chat or API on this machine.

Each session is its own client (gradio_client, or the official `openai` package for
`bot serve`) with its own history, asks a bounded number of questions (follow-ups included),
and checks that the conversation it gets back is its own.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bot.app.chat import ERROR_MARK, message_text
from bot.app.serving import is_loopback
from bot.core.errors import ConfigError
from bot.core.stats import nearest_rank


@dataclass
class LoadReport:
    """Latency per turn and what went wrong, over every session."""

    sessions: int
    turns: int
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        """Median seconds per turn (nearest rank)."""
        return nearest_rank(self.seconds, 50) if self.seconds else 0.0

    @property
    def p95(self) -> float:
        """95th percentile seconds per turn (nearest rank)."""
        return nearest_rank(self.seconds, 95) if self.seconds else 0.0

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.sessions} sessions x {self.turns} turns: {len(self.seconds)} answered, "
            f"{len(self.failures)} failed; latency p50 {self.p50:.2f} s, p95 {self.p95:.2f} s."
        )


Session = Callable[[list[str]], tuple[list[float], list[str]]]


def chat_load(
    url: str,
    questions: list[str],
    sessions: int = 8,
    turns: int = 2,
    auth: tuple[str, str] | None = None,
) -> LoadReport:
    """Conversations with the web chat at `url`; see `run_load`."""
    return run_load(url, questions, sessions, turns, lambda asked: _session(url, asked, auth))


def api_load(
    url: str, questions: list[str], sessions: int = 16, turns: int = 1, key: str | None = None
) -> LoadReport:
    """Conversations with `bot serve` at `url` (its /v1 base) through the openai package."""
    return run_load(url, questions, sessions, turns, lambda asked: _api_session(url, asked, key))


def run_load(
    url: str, questions: list[str], sessions: int, turns: int, session: Session
) -> LoadReport:
    """Run `sessions` conversations of `turns` questions at once; loopback servers only."""
    if not is_loopback(urlparse(url).hostname or ""):
        raise ConfigError(f"{url} is not on this machine; the load test only runs on loopback.")
    report = LoadReport(sessions, turns)
    n = len(questions)
    plans = [[questions[(s + t) % n] for t in range(turns)] for s in range(sessions)]
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        for seconds, failures in pool.map(session, plans):
            report.seconds.extend(seconds)
            report.failures.extend(failures)
    return report


def _session(
    url: str, asked: list[str], auth: tuple[str, str] | None
) -> tuple[list[float], list[str]]:
    """One conversation; a failure is any error reply or a history that is not ours."""
    from gradio_client import Client

    client = Client(url, auth=auth, verbose=False)
    history: list[dict] = []
    seconds, failures = [], []
    for turn, question in enumerate(asked):
        started = time.perf_counter()
        _, history = client.predict(question, history, api_name="/ask")
        seconds.append(time.perf_counter() - started)
        mine = [html.unescape(message_text(m)) for m in history if m["role"] == "user"]
        replies = [message_text(m) for m in history if m["role"] == "assistant"]
        if mine != asked[: turn + 1]:
            failures.append(f"session history mixed up: asked {asked[: turn + 1]}, got {mine}")
        elif not replies or replies[-1].startswith(ERROR_MARK):
            failures.append(f"{question!r}: {replies[-1] if replies else 'no reply'}")
    return seconds, failures


def _api_session(url: str, asked: list[str], key: str | None) -> tuple[list[float], list[str]]:
    """One conversation through the official client; a failure is an error or a reply that
    answers another session's question."""
    import openai

    client = openai.OpenAI(base_url=url, api_key=key or "none", max_retries=0, timeout=300)
    messages: list[dict[str, str]] = []
    seconds, failures = [], []
    for turn, question in enumerate(asked):
        messages.append({"role": "user", "content": question})
        started = time.perf_counter()
        try:
            reply = client.chat.completions.create(model="newsbot", messages=messages)
        except openai.OpenAIError as exc:
            failures.append(f"{question!r}: {exc}")
            return seconds, failures
        seconds.append(time.perf_counter() - started)
        text = reply.choices[0].message.content or ""
        answered = (reply.model_extra or {}).get("newsbot", {}).get("question")
        if not text.strip():
            failures.append(f"{question!r}: an empty reply")
        elif turn == 0 and answered != question:
            failures.append(f"asked {question!r}, got the answer to {answered!r}")
        messages.append({"role": "assistant", "content": text})
    return seconds, failures
