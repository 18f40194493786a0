"""The city planner end to end on tiny scenarios (deterministic: seed and iteration limit)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import (
    OUT_OF_REACH,
    TOO_HEAVY,
    WINDOW_IMPOSSIBLE,
    plan_scenario,
)

from .cases import cold_far_cluster, two_depots, with_hopeless_stops

ITERS = 200


def test_two_vans_five_stops_plans_feasibly(two_vans_five_stops: Scenario) -> None:
    """All five stops are served and the independent checker finds nothing wrong."""
    plan = plan_scenario(two_vans_five_stops, max_iterations=ITERS, seed=1)
    assert plan.num_stops_served == 5
    assert not plan.unassigned
    result = check_plan(plan, two_vans_five_stops)
    assert result.is_feasible, result.violations


def test_soc_falls_along_the_route_and_load_drops(two_vans_five_stops: Scenario) -> None:
    """SoC on arrival only falls without charging, and the load drops by each delivery."""
    plan = plan_scenario(two_vans_five_stops, max_iterations=ITERS)
    for route in plan.routes:
        socs = [v.soc for v in route.visits]
        assert socs == sorted(socs, reverse=True)
        loads = [v.load_kg for v in route.visits]
        assert loads[0] > loads[-1] == 0.0
        assert route.energy_wh > 0


def test_hopeless_stops_are_unassigned_with_their_reason(two_vans_five_stops: Scenario) -> None:
    """Too heavy and window-impossible stops are listed with the right reason, others served."""
    scenario = with_hopeless_stops(two_vans_five_stops)
    plan = plan_scenario(scenario, max_iterations=ITERS)
    reasons = {u.stop_id: u.reason for u in plan.unassigned}
    assert reasons["HEAVY"].startswith(TOO_HEAVY)
    assert reasons["DAWN"] == WINDOW_IMPOSSIBLE
    assert "FAR" in reasons
    assert plan.num_stops_served == 5
    assert check_plan(plan, scenario).is_feasible


def test_cold_day_route_gets_a_charge_stop_and_passes_the_checker() -> None:
    """A route that cannot be driven on its start energy charges on the way, checked feasible."""
    scenario = cold_far_cluster()
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert plan.num_stops_served == 4
    (route,) = plan.routes
    assert route.charge_visits
    assert route.charged_wh > 0
    assert route.min_soc >= scenario.fleet.vehicle_types[0].reserve_fraction - 1e-9
    result = check_plan(plan, scenario)
    assert result.is_feasible, result.violations


def test_without_charger_the_far_cluster_is_out_of_reach() -> None:
    """Remove the charger and the same stops become unassigned as out of reach."""
    base = cold_far_cluster()
    fleet = dataclasses.replace(base.fleet, chargers=())
    scenario = dataclasses.replace(base, fleet=fleet)
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert not plan.routes
    assert {u.reason for u in plan.unassigned} == {OUT_OF_REACH}
    assert check_plan(plan, scenario).is_feasible


def test_plan_json_round_trips(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    """plan.json read back gives the same plan, and it still passes the checker."""
    plan = plan_scenario(two_vans_five_stops, max_iterations=ITERS)
    path = tmp_path / "plan.json"
    plan.write_json(path)
    again = Plan.read_json(path)
    assert again.to_dict() == plan.to_dict()
    assert check_plan(again, two_vans_five_stops).is_feasible


def test_same_seed_gives_the_same_plan(two_vans_five_stops: Scenario) -> None:
    """Planning is deterministic for a seed and an iteration limit."""
    a = plan_scenario(two_vans_five_stops, max_iterations=ITERS, seed=3)
    b = plan_scenario(two_vans_five_stops, max_iterations=ITERS, seed=3)
    assert [r.stop_ids for r in a.routes] == [r.stop_ids for r in b.routes]


def test_energy_the_replay_rejects_is_tightened_and_resolved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine route that is short of energy by the full model makes the planner re-solve."""
    from voltvan.planning import _planner
    from voltvan.planning.ev import EvSolution, solve_ev

    calls: list[int] = []

    def optimistic_first(*args: Any, **kwargs: Any) -> EvSolution:
        sol = solve_ev(*args, **kwargs)
        calls.append(1)
        if len(calls) > 1:
            return sol
        inst = args[0]
        stripped = tuple(
            dataclasses.replace(
                r,
                visits=tuple(n for n in r.visits if not inst.is_station(n)),
                charge_wh=tuple(
                    c for n, c in zip(r.visits, r.charge_wh, strict=True) if not inst.is_station(n)
                ),
            )
            for r in sol.routes
        )
        return dataclasses.replace(sol, routes=stripped, is_feasible=True)

    monkeypatch.setattr(_planner, "solve_ev", optimistic_first)
    scenario = cold_far_cluster()
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert len(calls) == 2
    assert plan.stats["energy_scale"]["small"] > 1.0
    assert plan.num_stops_served == 4
    assert check_plan(plan, scenario).is_feasible


def test_each_van_starts_and_ends_at_its_own_depot() -> None:
    """With two depots, each van's route begins and ends at its depot and serves nearby stops."""
    scenario = two_depots()
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert plan.num_stops_served == 6
    for route in plan.routes:
        depot = scenario.fleet.van(route.van_id).depot_id
        assert route.visits[0].location_id == route.visits[-1].location_id == depot
    assert check_plan(plan, scenario).is_feasible
