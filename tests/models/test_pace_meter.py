"""The pace meter's arithmetic, on a scripted chat model that reads and writes for set times
and reports its usage as an OpenAI-compatible stream does (the real server's usage: the
slow test in test_pace.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGenerationChunk

from bot.models.local_model import Endpoint
from bot.models.pace import Pace, PaceMeter, server_meter

START = Pace(prefill=75.0, decode=28.0)


class TimedModel(GenericFakeChatModel):
    """Reads for `reading` seconds, writes `words` words a `writing` apart, then reports
    reading `read` prompt tokens anew and `cached` from the server's cache."""

    messages: Iterator[AIMessage] = iter(())
    read: int
    cached: int = 0
    words: int
    reading: float
    writing: float = 0.0

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        time.sleep(self.reading)
        for word in range(self.words):
            time.sleep(self.writing if word else 0.0)
            yield ChatGenerationChunk(message=AIMessageChunk(content="word "))
        usage = UsageMetadata(
            input_tokens=self.read + self.cached,
            output_tokens=self.words,
            total_tokens=self.read + self.cached + self.words,
            input_token_details={"cache_read": self.cached},
        )
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=usage))


def metered(model: TimedModel, start: Pace | None = START) -> PaceMeter:
    """A meter started at `start`, after `model` answered one streamed request."""
    meter = PaceMeter()
    meter.probed(lambda: start)
    for _ in model.model_copy(update={"callbacks": [meter]}).stream("question"):
        pass
    return meter


def test_scripted_request_retimes_reading_and_writing_from_its_usage() -> None:
    """100 tokens read in 0.1 s and 10 written 0.01 s apart are 1000 and 100 tokens a second
    (sleeps only overrun, so at most that); the 300 the server had cached are not read."""
    pace = metered(TimedModel(read=100, cached=300, words=10, reading=0.1, writing=0.01)).pace
    assert pace
    assert 600 < pace.prefill <= 1000, pace
    assert 60 < pace.decode <= 100, pace


def test_scripted_request_of_few_new_tokens_keeps_the_pace() -> None:
    """A prompt the server had cached but for a few tokens, and a reply of a few words, are
    mostly the request's overhead: they do not re-time the host."""
    model = TimedModel(read=16, cached=400, words=5, reading=0.05, writing=0.01)
    assert metered(model).pace == START


def test_scripted_request_closed_early_keeps_the_pace() -> None:
    """A reply closed at its deadline reports no usage, so it times nothing."""
    meter = PaceMeter()
    meter.probed(lambda: START)
    model = TimedModel(read=300, words=20, reading=0.05, writing=0.01, callbacks=[meter])
    pieces = model.stream("question")
    next(pieces)
    pieces.close()
    assert meter.pace == START


def test_scripted_endpoint_without_a_probe_stays_untimed() -> None:
    """An endpoint other than the embedded server has its own speed: no pace, ever."""
    model = TimedModel(read=300, words=20, reading=0.02, writing=0.001)
    assert metered(model, start=None).pace is None


def test_bots_on_one_embedded_server_share_its_meter_and_probe_it_once() -> None:
    served = Endpoint("http://127.0.0.1:9/v1", "key", "model", embedded=True)
    probes: list[Pace] = []

    def probe() -> Pace:
        probes.append(START)
        return START

    first, second = server_meter(served), server_meter(served)
    assert first is second
    assert first.probed(probe) == START and second.probed(probe) == START
    assert len(probes) == 1
    outside = Endpoint(served.base_url, "key", "model")  # an endpoint's speed is its own
    assert server_meter(outside) is not server_meter(outside)
    assert server_meter(None).pace is None
