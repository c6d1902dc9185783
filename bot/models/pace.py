"""How fast the chat model reads and writes on this host: measured when it starts, then
timed again by every request that reads or writes enough to time, so that an answer's
sources are sized to end within BOT_TIMEOUT on the host as it is now, and a translation is
only asked for when it fits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import httpx
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult

from bot.models.local_model import Endpoint

PROBE_TOKENS = 16
"""Reply tokens the probe asks for: enough to time decoding, few enough to take a second."""
READ_TIMED = 64
"""A request re-times reading when it read this many prompt tokens the server had not
cached: its clock also holds the request's overhead and its first word (about 0.1 s), which
a shorter read would be mostly made of (the answer's 16 tokens after its reading)."""
WRITE_TIMED = 8
"""A request re-times writing when it wrote this many tokens after its first: the clock
between them holds nothing but writing."""


@dataclass(frozen=True)
class Pace:
    """Tokens a second: prompt tokens read (prefill) and reply tokens written (decode)."""

    prefill: float
    decode: float

    def readable(self, seconds: float) -> int:
        """Prompt tokens read in `seconds`."""
        return max(0, int(self.prefill * seconds))

    def reading(self, tokens: int) -> float:
        """Seconds to read `tokens` prompt tokens."""
        return tokens / self.prefill

    def writable(self, seconds: float) -> int:
        """Reply tokens written in `seconds`."""
        return max(0, int(self.decode * seconds))


def measure_pace(
    endpoint: Endpoint, prompt: str, system: str = "", timeout: float = 120.0
) -> Pace | None:
    """One short completion, timed by the server itself (llama.cpp reports `timings`);
    None when the server reports none or cannot be reached (the answer then says why).
    Under the answers' `system` prompt: reading it here times a prompt of a real size, and
    leaves it cached, so the first question does not read it on its own clock. The probe is
    read whole even on a server that has it cached (a measure taken again): timing only the
    few tokens left would time the request's overhead, a pace several times too slow."""
    messages = [{"role": "system", "content": system}] if system else []
    try:
        reply = httpx.post(
            f"{endpoint.base_url}/chat/completions",
            json={
                "model": endpoint.model,
                "messages": [*messages, {"role": "user", "content": prompt}],
                "max_tokens": PROBE_TOKENS,
                "temperature": 0,
                "cache_prompt": False,
            },
            headers={"Authorization": f"Bearer {endpoint.api_key}"},
            timeout=timeout,
        )
        timings = reply.json().get("timings") or {}
        prefill, decode = timings["prompt_per_second"], timings["predicted_per_second"]
    except (httpx.HTTPError, ValueError, KeyError, AttributeError):
        return None
    return Pace(float(prefill), float(decode)) if prefill > 0 and decode > 0 else None


class PaceMeter(BaseCallbackHandler):
    """The pace as last timed: the start's probe, then each streamed request's own reading
    (from its start to its first word) and writing (from its first word to its last), in the
    tokens its usage reports. A host that slows after the probe gets smaller source budgets
    from the next request on, rather than readings that take the answer's time; one that
    recovers gets them back. Callbacks come from the threads that read the replies."""

    def __init__(self) -> None:
        self.pace: Pace | None = None
        """None until the probe: an endpoint that is not timed stays untimed."""
        self._lock = threading.Lock()
        self._probing = threading.Lock()
        self._probed = False
        self._runs: dict[UUID, list[float]] = {}

    def probed(self, probe: Callable[[], Pace | None]) -> Pace | None:
        """The pace, from the `probe` the first caller takes; the others wait for it, then
        read the pace as last timed."""
        with self._probing:
            if not self._probed:
                self.pace, self._probed = probe(), True
        return self.pace

    def on_chat_model_start(
        self, serialized: Any, messages: Any, *, run_id: UUID, **_: Any
    ) -> None:
        """The request's clock starts."""
        with self._lock:
            self._runs[run_id] = [time.monotonic()]

    def on_llm_new_token(self, token: str, *, run_id: UUID, **_: Any) -> None:
        """The first word ends the reading; the last one, the writing."""
        if token:
            with self._lock:
                times, now = self._runs.get(run_id), time.monotonic()
                if times is not None:
                    if len(times) == 1:
                        times.append(now)  # the first word
                    times[2:] = [now]  # the last, so far

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **_: Any) -> None:
        """A request closed early (a deadline, a first paragraph) has no usage to time."""
        with self._lock:
            self._runs.pop(run_id, None)

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **_: Any) -> None:
        """Re-time the pace from the request's usage: the tokens it read and wrote."""
        with self._lock:
            times = self._runs.pop(run_id, None)
        usage = _usage(response)
        if self.pace is None or times is None or len(times) < 3 or usage is None:
            return
        start, first, last = times
        read, written = usage
        with self._lock:
            if read >= READ_TIMED and first > start:
                self.pace = replace(self.pace, prefill=read / (first - start))
            if written - 1 >= WRITE_TIMED and last > first:
                self.pace = replace(self.pace, decode=(written - 1) / (last - first))


_meters: dict[Endpoint, PaceMeter] = {}
_meters_lock = threading.Lock()


def server_meter(endpoint: Endpoint | None) -> PaceMeter:
    """The embedded server's one meter: every Bot on it starts from the pace its first Bot
    measured, and re-times the same one, as their requests share its cores (a second Bot
    in a process, as the tests and the eval build, does not spend 8 s timing it again). A
    meter of its own for any other endpoint, which is never timed."""
    if endpoint is None or not endpoint.embedded:
        return PaceMeter()
    with _meters_lock:
        return _meters.setdefault(endpoint, PaceMeter())


def _usage(response: LLMResult) -> tuple[int, int] | None:
    """(prompt tokens read, not cached; reply tokens written), or None without usage."""
    try:
        usage = response.generations[0][0].message.usage_metadata  # type: ignore[attr-defined]
    except (IndexError, AttributeError):
        return None
    if not usage:
        return None
    cached = (usage.get("input_token_details") or {}).get("cache_read") or 0
    return usage["input_tokens"] - cached, usage["output_tokens"]
