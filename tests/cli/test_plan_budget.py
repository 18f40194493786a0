"""``voltvan plan``'s time budget: the planner gets the limit less what the command spends."""

from __future__ import annotations

import time

import pytest

from voltvan.cli._plan_budget import (
    FINISH_MIN_S,
    FINISH_S_PER_STOP,
    MIN_PLANNING_S,
    finish_reserve_s,
    planning_budget_s,
)


def test_the_reserve_grows_with_the_stops() -> None:
    """A city day keeps a fraction of a second back, a retailer's day about 48 s more."""
    assert finish_reserve_s(0) == FINISH_MIN_S
    assert finish_reserve_s(40_000) == pytest.approx(FINISH_MIN_S + 40_000 * FINISH_S_PER_STOP)
    assert finish_reserve_s(300) < 1.0 < finish_reserve_s(40_000)


def test_time_already_spent_is_taken_from_the_planner() -> None:
    """Ten seconds spent reading come off a 600 s limit, as does the reserve."""
    now = time.monotonic()
    budget = planning_budget_s(600.0, now - 10.0, 40_000)
    assert budget == pytest.approx(600.0 - 10.0 - finish_reserve_s(40_000), abs=0.5)


def test_the_planner_always_gets_a_little() -> None:
    """Reading that ate the whole limit leaves the planner its minimum, not a negative limit."""
    assert planning_budget_s(1.0, time.monotonic() - 5.0, 10) == MIN_PLANNING_S
