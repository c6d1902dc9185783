"""The percentile the reports use, and the running timings answers are sized by."""

from __future__ import annotations

import threading

from bot.core.stats import RECENT, Durations, nearest_rank


def test_nearest_rank_is_always_a_measured_value() -> None:
    values = [3.0, 1.0, 2.0, 10.0]
    assert nearest_rank(values, 50) == 2.0
    assert nearest_rank(values, 95) == 10.0
    assert nearest_rank([7.0], 50) == 7.0


def test_durations_before_any_timing_give_what_the_caller_assumes() -> None:
    assert Durations().typical() == 0.0
    assert Durations().typical(4.0) == 4.0


def test_one_slow_timing_does_not_steer_the_typical_one() -> None:
    durations = Durations()
    for seconds in (0.2, 0.3, 0.25, 9.0):  # one check on a host busy for a moment
        durations.record(seconds)
    assert durations.typical() == 0.25


def test_the_longest_recent_timing_is_kept_for_a_bound_until_it_is_forgotten() -> None:
    durations = Durations()
    assert durations.longest() == 0.0
    for seconds in (0.0, 5.0, 0.1):  # most answers end on time; one, seconds late
        durations.record(seconds)
    assert durations.longest() == 5.0
    for _ in range(RECENT):
        durations.record(0.1)
    assert durations.longest() == 0.1


def test_durations_follow_the_host_when_its_load_changes() -> None:
    durations = Durations()
    for _ in range(RECENT):
        durations.record(0.2)
    for _ in range(RECENT):
        durations.record(2.0)  # the host got busy and stayed so
    assert durations.typical() == 2.0


def test_answers_side_by_side_each_record_theirs() -> None:
    durations = Durations()
    threads = [
        threading.Thread(target=lambda: [durations.record(1.0) for _ in range(1000)])
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert durations.typical() == 1.0
