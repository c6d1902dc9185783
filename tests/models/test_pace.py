"""The host's pace, measured by the real embedded llama.cpp server (SmolLM2, mechanics)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from bot.answer.prompts import load_prompt
from bot.api import Bot
from bot.core.config import Settings
from bot.models.llm import server_spec
from bot.models.local_model import embedded_endpoint
from bot.models.pace import measure_pace

from ..conftest import make_settings

pytestmark = pytest.mark.slow


def test_a_second_measure_on_a_warm_server_reads_the_whole_probe(tmp_path: Path) -> None:
    """Each Bot measures the pace as it starts; on a server whose cache already holds the
    probe, a measure of the few tokens left to read would time the request's overhead, not
    reading, and size every later answer's sources for a host several times slower."""
    endpoint = embedded_endpoint(server_spec(make_settings(tmp_path)))
    prompt, system = load_prompt("pace"), load_prompt("system")
    first, second = measure_pace(endpoint, prompt, system), measure_pace(endpoint, prompt, system)
    assert first and second
    assert second.prefill > 0.5 * first.prefill, (first, second)


def test_a_prompt_the_server_reads_anew_retimes_the_pace(seeded_settings: Settings) -> None:
    """The Bot's own requests time the host as it is now: a prompt the server has not cached
    re-times reading; the same prompt again, read from the server's cache (as its usage
    reports), does not."""
    bot = Bot(seeded_settings)
    probe = bot.pace
    assert probe
    model, prompt = bot.chat_model.bind(max_tokens=4), f"{uuid4()}\n{load_prompt('pace')}"
    for _ in model.stream(prompt):
        pass
    timed = bot.pace
    assert timed and timed.prefill != probe.prefill
    for _ in model.stream(prompt):
        pass
    assert bot.pace and bot.pace.prefill == timed.prefill
