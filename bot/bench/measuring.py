"""Measuring: wall-clock per call and per streamed answer, nearest-rank percentiles, and
peak resident memory sampled while a phase runs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core.stats import nearest_rank


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Nearest-rank median and 95th percentile, rounded; zeros when nothing was measured."""
    if not values:
        return 0.0, 0.0
    return round(nearest_rank(values, 50), 2), round(nearest_rank(values, 95), 2)


class PeakMemory:
    """Resident memory sampled every 20 ms; the peak above the start of a phase."""

    def __init__(self) -> None:
        self.start = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())

    @property
    def grown_mb(self) -> float:
        """Peak resident memory above the phase's start."""
        return self.peak - self.start


def rss_mb() -> float:
    """This process's resident set size, from /proc (Linux) or the high-water mark."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_each(questions: list[str], call: Callable[[str], object]) -> tuple[float, list[float]]:
    """The first call's seconds (it builds indexes), then seconds per call."""
    started = time.perf_counter()
    call(questions[0])
    first = time.perf_counter() - started
    out = []
    for q in questions:
        started = time.perf_counter()
        call(q)
        out.append(time.perf_counter() - started)
    return first, out


def stream_timings(pieces: Callable[[str], Iterator], question: str) -> tuple[float, float]:
    """(time to first non-empty text piece, total) for one streamed answer."""
    started = time.perf_counter()
    first = None
    for piece in pieces(question):
        if first is None and isinstance(piece, str) and piece.strip():
            first = time.perf_counter() - started
    total = time.perf_counter() - started
    return (first if first is not None else total), total


@contextmanager
def timed() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)
