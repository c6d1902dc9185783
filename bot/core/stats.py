"""The one percentile every report uses."""

from __future__ import annotations


def nearest_rank(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank: always a value that was measured."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]
