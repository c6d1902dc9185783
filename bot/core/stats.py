"""The one percentile every report uses, and the running timings answers size themselves by."""

from __future__ import annotations

import threading
from collections import deque

RECENT = 9
"""Timings a `Durations` keeps: enough that one slow or quick step does not steer every
answer after it, few enough to follow the host when its load changes."""


def nearest_rank(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank: always a value that was measured."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


class Durations:
    """How long one kind of step takes on this host: the median of its last few timings.
    Answers running side by side each record theirs, and none overwrites the others'."""

    def __init__(self) -> None:
        self._recent: deque[float] = deque(maxlen=RECENT)
        self._lock = threading.Lock()

    def record(self, seconds: float) -> None:
        """One more timing; the oldest beyond RECENT is forgotten."""
        with self._lock:
            self._recent.append(seconds)

    def typical(self, unknown: float = 0.0) -> float:
        """The median of the recent timings; `unknown` before the first."""
        return self._rank(50, unknown)

    def longest(self, unknown: float = 0.0) -> float:
        """The longest of the recent timings, for a bound; `unknown` before the first."""
        return self._rank(100, unknown)

    def _rank(self, q: float, unknown: float) -> float:
        """The q-th percentile of the recent timings; `unknown` before the first."""
        with self._lock:
            recent = list(self._recent)
        return nearest_rank(recent, q) if recent else unknown
