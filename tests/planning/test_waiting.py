"""Waiting for a time window costs the parked power in the planner's replay, as in the twin."""

from __future__ import annotations

import pytest

from tests.planning.cases import cold_wait_for_window
from voltvan import energy
from voltvan.check import check_plan
from voltvan.planning import plan_scenario

ITERS = 100


def test_the_wait_is_in_the_plans_energy() -> None:
    """The van arrives home with exactly the legs, the service and the hour at S2 spent."""
    scenario = cold_wait_for_window()
    plan = plan_scenario(scenario, max_iterations=ITERS)
    (route,) = plan.routes
    s2 = route.visits[2]
    assert s2.location_id == "S2"
    wait_s = s2.start_s - s2.arrival_s
    assert wait_s > 3000.0
    vt = scenario.fleet.vehicle_types[0]
    parked = [
        energy.dwell_energy_wh(vt.consumption, duration_s=s, ambient_c=scenario.fleet.ambient_c)
        for s in (240.0, 240.0, wait_s)
    ]
    legs = sum(v.energy_from_prev_wh for v in route.visits)
    start_wh = route.visits[0].energy_wh
    assert route.visits[-1].energy_wh == pytest.approx(start_wh - legs - sum(parked), abs=1e-6)
    assert route.energy_wh == pytest.approx(legs + sum(parked), abs=1e-6)
    assert check_plan(plan, scenario).violations == []


def test_a_van_that_cannot_afford_the_wait_does_not_wait() -> None:
    """With 3.6 kWh (reserve 1.2) the legs and service fit but the hour's heating does not: the
    planner leaves a stop out rather than return a van below its reserve."""
    scenario = cold_wait_for_window(start_soc=0.3)
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert [u.stop_id for u in plan.unassigned] == ["S2"]
    assert [v.location_id for v in plan.routes[0].visits] == ["D", "S1", "D"]
    assert check_plan(plan, scenario).violations == []


def test_a_wait_the_battery_cannot_afford_is_charged_for_when_a_charger_is_near() -> None:
    """The same van with a charger on its way: the planner adds a charge stop and serves both."""
    scenario = cold_wait_for_window(start_soc=0.3, charger=True)
    plan = plan_scenario(scenario, max_iterations=ITERS)
    assert plan.unassigned == ()
    (route,) = plan.routes
    assert [v.kind for v in route.visits].count("charge") >= 1
    assert sum(v.charge_wh for v in route.visits) > 0.0
    assert check_plan(plan, scenario).violations == []
