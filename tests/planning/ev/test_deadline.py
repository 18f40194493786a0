"""One deadline for a whole run: every phase gets what is left of it, never a fresh limit.

A fake clock stands in for time, so nothing here measures anything: the search "spends" exactly
what it is given and the tests check what each phase was given.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.conftest import data_path
from voltvan.benchmarks import read_instance
from voltvan.planning.ev import Deadline, solve_ev
from voltvan.planning.ev._pyvrp import RelaxationModel, RelaxedSolution


class FakeClock:
    """Seconds that pass when a test says so, plus ``tick`` at every reading (so that a search
    running until its deadline ends)."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 100.0
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_deadline_counts_down_and_never_goes_negative() -> None:
    """remaining_s falls with the clock, stops at zero, and expired turns true after the end."""
    clock = FakeClock()
    d = Deadline(10.0, clock=clock)
    clock.advance(4.0)
    assert d.remaining_s() == 6.0 and d.elapsed_s() == 4.0 and not d.expired()
    clock.advance(7.0)
    assert d.remaining_s() == 0.0 and d.expired()


def test_a_phase_never_ends_after_the_whole() -> None:
    """within() gives a shorter deadline on the same clock, capped by its parent's end."""
    clock = FakeClock()
    d = Deadline(10.0, clock=clock)
    clock.advance(2.0)
    assert d.within(3.0).remaining_s() == 3.0
    assert d.within(30.0).remaining_s() == 8.0
    assert d.within(-1.0).remaining_s() == 0.0
    assert d.within(3.0).elapsed_s() == 2.0  # progress counts from the run's start


def test_without_a_limit_nothing_ends() -> None:
    """An unbounded deadline has infinite time left and never expires."""
    d = Deadline(None, clock=FakeClock())
    assert not d.bounded and d.remaining_s() == math.inf and not d.expired()
    assert not d.within(math.inf).bounded


@pytest.mark.parametrize("limit", [-1.0, math.nan, math.inf])
def test_a_limit_must_be_a_finite_non_negative_number(limit: float) -> None:
    with pytest.raises(ValueError, match="time limit"):
        Deadline(limit)


def test_solve_rounds_share_one_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each PyVRP phase is given no more than what is left, and together they stay within it.

    The fake PyVRP spends all the time it is given (and stops by an iteration count in reality),
    so a round that took a fresh share of the whole limit would push the clock past the end.
    """
    clock = FakeClock()
    deadline = Deadline(20.0, clock=clock)
    given: list[tuple[float, float]] = []
    original = RelaxationModel.solve

    def spends_its_limit(self: RelaxationModel, data: Any, **kwargs: Any) -> RelaxedSolution:
        limit = kwargs["time_limit_s"]
        given.append((limit, deadline.remaining_s()))
        result = original(self, data, **{**kwargs, "time_limit_s": None, "max_iterations": 30})
        clock.advance(limit)
        return result

    monkeypatch.setattr(RelaxationModel, "solve", spends_its_limit)
    bench = read_instance(data_path("bench", "evrptw", "small", "c101C5.txt"))
    solution = solve_ev(bench.instance, deadline=deadline, max_iterations=100, seed=1)
    assert len(given) > 1, "the instance needs charging: several rounds"
    for limit, remaining in given:
        assert limit <= max(remaining, 0.05)
    assert clock.now - 100.0 <= 20.0 + 0.05  # the floor of one last PyVRP call at most
    assert solution.stats["runtime_s"] == pytest.approx(clock.now - 100.0)


def test_time_limit_and_deadline_the_earlier_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller's deadline of 20 s and a time_limit_s of 4 s give the search 4 s."""
    clock = FakeClock(tick=0.02)
    given: list[float] = []
    original = RelaxationModel.solve

    def records(self: RelaxationModel, data: Any, **kwargs: Any) -> RelaxedSolution:
        given.append(kwargs["time_limit_s"])
        clock.advance(kwargs["time_limit_s"])
        return original(self, data, **{**kwargs, "time_limit_s": None, "max_iterations": 30})

    monkeypatch.setattr(RelaxationModel, "solve", records)
    bench = read_instance(data_path("bench", "evrptw", "small", "c101C5.txt"))
    solve_ev(bench.instance, deadline=Deadline(20.0, clock=clock), time_limit_s=4.0, seed=1)
    assert given and sum(given) <= 4.0 + 0.05
