"""Ctrl+C ends the answers being written: every wait for the model ends at once, and none
starts after. Scripted replies stand in for the model; the real model and server are in
tests/app/test_openai_api.py (`bot serve` stopped while it answers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from bot.answer.prompts import Waits, in_time
from bot.core.errors import StoppingError


def _stalled(release: threading.Event) -> Iterator[str]:
    """A reply whose prompt is still being read: nothing comes until `release`."""
    release.wait(10)
    yield "late"


def test_scripted_stop_ends_a_wait_for_a_reply_at_once_and_starts_no_other() -> None:
    waits, release, read = Waits(), threading.Event(), []
    waiting = in_time(_stalled(release), time.monotonic() + 600, waits)
    threading.Timer(0.1, waits.stop).start()
    with pytest.raises(StoppingError, match="stopping"):  # the deadline's end raises none
        next(waiting)
    release.set()

    def recorded() -> Iterator[str]:
        read.append("asked")
        yield "never"

    with pytest.raises(StoppingError):
        next(in_time(recorded(), time.monotonic() + 600, waits))
    assert read == []  # the request was never sent
