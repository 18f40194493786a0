"""``plan_day``: a multi-depot day planned in parts, stitched into one plan the checker accepts."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import (
    NO_CAPACITY,
    NO_VANS,
    NOT_PLACED_IN_TIME,
    OUT_OF_REACH,
    OUT_OF_REACH_LOADED,
    TOO_HEAVY,
    WINDOW_IMPOSSIBLE,
    needs_split,
    plan_day,
)
from voltvan.scenario import generate_metro_scenario, generate_scenario

REASONS = {
    NO_CAPACITY, NO_VANS, NOT_PLACED_IN_TIME, OUT_OF_REACH, OUT_OF_REACH_LOADED, TOO_HEAVY,
    WINDOW_IMPOSSIBLE,
}  # fmt: skip
ITERS = 100


@pytest.fixture(scope="module")
def metro() -> Scenario:
    """150 stops, 6 vans, 3 depots (seed 5)."""
    return generate_metro_scenario(num_stops=150, num_vans=6, num_depots=3, seed=5)


def _each_stop_once(plan: Plan, scenario: Scenario) -> None:
    served = Counter(s for r in plan.routes for s in r.stop_ids)
    listed = Counter(u.stop_id for u in plan.unassigned)
    assert served + listed == Counter(s.id for s in scenario.stops)


def test_split_and_stitched_plan_passes_the_checker(metro: Scenario) -> None:
    """Sectors of at most 25 stops: the stitched plan serves each stop once or names why not,
    every van drives from its own depot, and the independent checker finds nothing."""
    plan = plan_day(metro, workers=1, max_stops_per_solve=25, max_iterations=ITERS, seed=1)
    result = check_plan(plan, metro)
    assert result.is_feasible, result.violations[:3]
    _each_stop_once(plan, metro)
    parts = plan.stats["parts"]
    assert len(parts) == 6 and sum(p["stops"] for p in parts) == len(metro.stops)
    assert {p["depot"] for p in parts} == {d.id for d in metro.fleet.depots}
    vans = {v.id: v for v in metro.fleet.vans}
    assert all(r.depot_id == vans[r.van_id].depot_id for r in plan.routes)
    assert plan.num_stops_served > len(metro.stops) // 2


def test_unserved_stops_carry_reasons(metro: Scenario) -> None:
    """An overloaded day (two vans for 150 stops) leaves stops out, each with a reason
    from the planner's list."""
    few = metro.fleet.vans[:1] + tuple(v for v in metro.fleet.vans if v.depot_id == "D02")[:1]
    day = dataclasses.replace(metro, fleet=dataclasses.replace(metro.fleet, vans=few))
    plan = plan_day(day, workers=1, max_iterations=ITERS, time_limit_s=5.0)
    assert plan.unassigned
    assert {u.reason for u in plan.unassigned} <= REASONS
    _each_stop_once(plan, day)
    assert check_plan(plan, day).is_feasible


def test_parts_in_worker_processes_give_a_checked_plan(metro: Scenario) -> None:
    """Two worker processes plan the three depots; the plan is whole and feasible."""
    plan = plan_day(metro, workers=2, max_iterations=ITERS, time_limit_s=60)
    assert plan.stats["workers"] == 2 and len(plan.stats["parts"]) == 3
    _each_stop_once(plan, metro)
    assert check_plan(plan, metro).is_feasible


def test_the_time_limit_is_shared_not_repeated(metro: Scenario) -> None:
    """No part is given more than the whole limit, and all parts' budgets add up to at most the
    workers' time (generous bounds: the machine may be loaded)."""
    plan = plan_day(metro, workers=1, max_stops_per_solve=25, time_limit_s=6.0)
    budgets = [p["time_limit_s"] for p in plan.stats["parts"]]
    assert all(b <= 6.0 for b in budgets)
    assert sum(budgets) <= 6.0 + 0.5 * len(budgets)
    assert plan.stats["planning_time_s"] < 6.0 + 30.0
    assert check_plan(plan, metro).is_feasible


def test_only_big_or_multi_depot_days_are_split() -> None:
    """A one-depot day under the limit is planned whole; more stops or depots are split."""
    city = generate_scenario(num_stops=50, num_vans=2, seed=1)
    assert not needs_split(city, 100)
    assert needs_split(city, 49)
    assert needs_split(generate_metro_scenario(num_stops=50, num_vans=2, num_depots=2, seed=1))


@pytest.mark.slow
def test_a_medium_day_in_parallel_within_its_limit() -> None:
    """2,400 stops, 18 vans, 3 depots, 30 s on two workers: checked, each stop once, and done
    within a generous bound of its limit (a shared machine slows the parts' fixed work)."""
    day = generate_metro_scenario(num_stops=2400, num_vans=18, num_depots=3, seed=7)
    plan = plan_day(day, workers=2, time_limit_s=30.0)
    assert all(p["time_limit_s"] <= 30.0 for p in plan.stats["parts"])
    assert plan.stats["planning_time_s"] < 30.0 + 300.0
    _each_stop_once(plan, day)
    assert check_plan(plan, day).is_feasible
    assert plan.num_stops_served > 0.5 * len(day.stops)
