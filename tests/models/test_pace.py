"""The host's pace, measured by the real embedded llama.cpp server (SmolLM2, mechanics)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer.prompts import load_prompt
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
