"""A part of the day that runs far past the day's time is stopped, not waited for."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import NOT_PLACED_IN_TIME, assign_stops, plan_day
from voltvan.planning import _day as day_module
from voltvan.scenario import generate_metro_scenario

LIMIT_S = 2.0
STUCK_PART = "D02"


def _stuck_on_one_part(scenario: Scenario, end_wall_s: float, seed: int, it: int | None) -> Plan:
    """A worker that never answers for one depot (as a stalled process would)."""
    if scenario.name.endswith("/" + STUCK_PART):
        time.sleep(3600)
    return day_module.plan_part(scenario, end_wall_s, seed, it)


@pytest.mark.slow
def test_a_part_past_the_grace_is_stopped_and_its_stops_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three depots on two workers, one worker stuck: the day ends within the limit and its
    grace, the stuck depot's stops are listed as not placed in time, the others are planned,
    the plan passes the checker and no worker is left running."""
    metro = generate_metro_scenario(num_stops=90, num_vans=6, num_depots=3, seed=5)
    monkeypatch.setattr(day_module, "plan_part", _stuck_on_one_part)
    before = set(multiprocessing.active_children())
    started = time.monotonic()
    plan = plan_day(metro, workers=2, time_limit_s=LIMIT_S, max_iterations=50)
    elapsed = time.monotonic() - started
    assert plan.stats["stopped_parts"] == [STUCK_PART]
    reasons = {u.stop_id: u.reason for u in plan.unassigned}
    stuck = assign_stops(metro, "nearest")[STUCK_PART]
    assert stuck and all(reasons.get(s) == NOT_PLACED_IN_TIME for s in stuck)
    assert plan.num_stops_served > 0
    assert {p["part"] for p in plan.stats["parts"]} == {"D01", "D03"}
    assert check_plan(plan, metro).is_feasible
    assert elapsed < 300.0  # the limit and its grace (30 s), not the stuck worker's hour
    assert set(multiprocessing.active_children()) <= before
