"""Unassigned stops carry the right reason, before and after solving."""

from __future__ import annotations

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.planning import NO_CAPACITY, TOO_HEAVY, WINDOW_IMPOSSIBLE, plan_scenario
from voltvan.planning._city import group_vans
from voltvan.planning._planner import MATRIX_DEPART_S
from voltvan.planning._reasons import screen_stops
from voltvan.travel import build_matrices

from .cases import one_van_too_much_cargo, with_hopeless_stops


def test_screening_keeps_the_possible_and_names_the_impossible(
    two_vans_five_stops: Scenario,
) -> None:
    """Screening keeps the five ordinary stops and drops the three hopeless ones, in order."""
    scenario = with_hopeless_stops(two_vans_five_stops)
    matrices = build_matrices(scenario, depart_s=MATRIX_DEPART_S)
    keep, dropped = screen_stops(scenario, matrices, group_vans(scenario))
    assert keep == [f"S{i}" for i in range(1, 6)]
    assert [u.stop_id for u in dropped] == ["HEAVY", "DAWN", "FAR"]
    assert dropped[0].reason.startswith(TOO_HEAVY)
    assert "1200 kg" in dropped[0].reason
    assert dropped[1].reason == WINDOW_IMPOSSIBLE


def test_stops_beyond_the_fleet_capacity_are_no_capacity_left() -> None:
    """With more cargo than the one van takes, the rest are unassigned as no capacity left."""
    scenario = one_van_too_much_cargo()
    plan = plan_scenario(scenario, max_iterations=300)
    assert plan.num_stops_served == 2
    assert len(plan.unassigned) == 3
    assert {u.reason for u in plan.unassigned} == {NO_CAPACITY}
    assert sum(v.load_kg for v in plan.routes[0].visits[:1]) <= 1_200
    assert check_plan(plan, scenario).is_feasible


def test_every_stop_is_served_or_explained(two_vans_five_stops: Scenario) -> None:
    """No stop disappears: served plus unassigned is exactly the scenario's stops."""
    scenario = with_hopeless_stops(two_vans_five_stops)
    plan = plan_scenario(scenario, max_iterations=100)
    served = [s for r in plan.routes for s in r.stop_ids]
    listed = [u.stop_id for u in plan.unassigned]
    assert sorted(served + listed) == sorted(s.id for s in scenario.stops)
