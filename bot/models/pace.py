"""How fast the chat model reads and writes on this host, measured once when it starts, so
that an answer's sources are sized to end within BOT_TIMEOUT, and a translation is only
asked for when it fits."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.models.local_model import Endpoint

PROBE_TOKENS = 16
"""Reply tokens the probe asks for: enough to time decoding, few enough to take a second."""


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
    read whole even on a server that has it cached (a second Bot's measure): timing only the
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
