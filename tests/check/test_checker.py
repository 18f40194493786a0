"""The independent checker catches every kind of broken plan, and accepts good ones."""

from __future__ import annotations

import dataclasses

import pytest

from tests.planning.cases import cold_far_cluster
from voltvan.check import check_plan
from voltvan.domain import Scenario, TimeWindow
from voltvan.plan import Plan, Route, Unassigned
from voltvan.planning import plan_scenario

ITERS = 200


@pytest.fixture
def good(two_vans_five_stops: Scenario) -> Plan:
    return plan_scenario(two_vans_five_stops, max_iterations=ITERS)


@pytest.fixture
def cold_plan() -> Plan:
    return plan_scenario(cold_far_cluster(), max_iterations=ITERS)


def _with_route(plan: Plan, k: int, route: Route) -> Plan:
    routes = list(plan.routes)
    routes[k] = route
    return dataclasses.replace(plan, routes=tuple(routes))


def _with_visit(plan: Plan, k: int, j: int, **changes: float | str) -> Plan:
    route = plan.routes[k]
    visits = list(route.visits)
    visits[j] = dataclasses.replace(visits[j], **changes)  # type: ignore[arg-type]
    return _with_route(plan, k, dataclasses.replace(route, visits=tuple(visits)))


def _kinds(plan: Plan, scenario: Scenario) -> set[str]:
    return {v.kind for v in check_plan(plan, scenario).violations}


def _first_stop(route: Route) -> int:
    return next(j for j, v in enumerate(route.visits) if v.kind == "stop")


def test_a_good_plan_has_no_violation(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The planner's plan passes, so the cases below fail only for what they break."""
    assert check_plan(good, two_vans_five_stops).is_feasible


def test_missing_stop_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A stop that is neither served nor listed unassigned is a coverage violation."""
    route = good.routes[0]
    j = _first_stop(route)
    visits = route.visits[:j] + route.visits[j + 1 :]
    broken = _with_route(good, 0, dataclasses.replace(route, visits=visits))
    assert "coverage" in _kinds(broken, two_vans_five_stops)


def test_served_and_unassigned_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A stop served and also listed as unassigned is a coverage violation."""
    sid = good.routes[0].stop_ids[0]
    broken = dataclasses.replace(good, unassigned=(Unassigned(sid, "x"),))
    assert _kinds(broken, two_vans_five_stops) == {"coverage"}


def test_capacity_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A van type with less payload than the route's load is a capacity violation."""
    fleet = two_vans_five_stops.fleet
    tiny = dataclasses.replace(fleet.vehicle_types[0], payload_kg=10.0)
    scenario = dataclasses.replace(
        two_vans_five_stops, fleet=dataclasses.replace(fleet, vehicle_types=(tiny,))
    )
    assert "capacity" in _kinds(good, scenario)


def test_time_window_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Service outside every window of the stop is a time-window violation."""
    sid = good.routes[0].stop_ids[0]
    stops = tuple(
        dataclasses.replace(s, time_windows=(TimeWindow(20 * 3600, 21 * 3600),))
        if s.id == sid
        else s
        for s in two_vans_five_stops.stops
    )
    scenario = dataclasses.replace(two_vans_five_stops, stops=stops)
    assert _kinds(good, scenario) == {"time_window"}


def test_shift_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A van back at the depot after its shift ends is a shift violation."""
    fleet = two_vans_five_stops.fleet
    vans = tuple(dataclasses.replace(v, shift=TimeWindow(7 * 3600, 8 * 3600)) for v in fleet.vans)
    scenario = dataclasses.replace(two_vans_five_stops, fleet=dataclasses.replace(fleet, vans=vans))
    assert "shift" in _kinds(good, scenario)


def test_impossible_travel_time_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Arriving faster than the travel model allows is a travel-time violation."""
    route = good.routes[0]
    j = _first_stop(route)
    v = route.visits[j]
    broken = _with_visit(good, 0, j, arrival_s=v.arrival_s - 600)
    assert "travel_time" in _kinds(broken, two_vans_five_stops)


def test_short_service_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Leaving a stop before its service time is over is a service-time violation."""
    j = _first_stop(good.routes[0])
    v = good.routes[0].visits[j]
    broken = _with_visit(good, 0, j, departure_s=v.start_s + 10)
    assert "service_time" in _kinds(broken, two_vans_five_stops)


def test_energy_below_reserve_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A van that starts nearly empty falls below its reserve on the replay."""
    fleet = two_vans_five_stops.fleet
    vans = tuple(dataclasses.replace(v, start_soc=0.11) for v in fleet.vans)
    scenario = dataclasses.replace(two_vans_five_stops, fleet=dataclasses.replace(fleet, vans=vans))
    kinds = _kinds(good, scenario)
    assert "energy_reserve" in kinds
    assert "reported_state" in kinds  # the plan's SoC no longer matches the replay


def test_short_charging_is_caught(cold_plan: Plan) -> None:
    """Charging more energy than the charger can deliver in the stop's time is caught."""
    route = cold_plan.routes[0]
    j = next(j for j, v in enumerate(route.visits) if v.kind == "charge")
    v = route.visits[j]
    broken = _with_visit(cold_plan, 0, j, departure_s=v.start_s + 60)
    assert "charge_time" in _kinds(broken, cold_far_cluster())


def test_overcharging_is_caught(cold_plan: Plan) -> None:
    """Charging above the battery's capacity is an energy-battery violation."""
    route = cold_plan.routes[0]
    j = next(j for j, v in enumerate(route.visits) if v.kind == "charge")
    broken = _with_visit(cold_plan, 0, j, charge_wh=route.visits[j].charge_wh + 20_000)
    assert "energy_battery" in _kinds(broken, cold_far_cluster())


def test_charging_where_there_is_no_charger_is_caught(cold_plan: Plan) -> None:
    """A charge stop at a place that is not a charger is an unknown-charger violation."""
    route = cold_plan.routes[0]
    j = next(j for j, v in enumerate(route.visits) if v.kind == "charge")
    broken = _with_visit(cold_plan, 0, j, location_id="D")
    assert "unknown_charger" in _kinds(broken, cold_far_cluster())


def test_unknown_van_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A route for a van that is not in the fleet is a route violation."""
    broken = _with_route(good, 0, dataclasses.replace(good.routes[0], van_id="GHOST"))
    assert "route" in _kinds(broken, two_vans_five_stops)


def test_one_van_two_routes_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The same van cannot drive two routes."""
    broken = dataclasses.replace(good, routes=(good.routes[0], good.routes[0]))
    kinds = _kinds(broken, two_vans_five_stops)
    assert {"route", "coverage"} <= kinds


def test_wrong_reported_soc_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A SoC on arrival that the replay does not reproduce is a reported-state violation."""
    j = _first_stop(good.routes[0])
    broken = _with_visit(good, 0, j, soc=0.2, energy_wh=0.2 * 68_000)
    assert _kinds(broken, two_vans_five_stops) == {"reported_state"}


def test_checker_shares_no_code_with_the_planner() -> None:
    """The checker's modules import nothing from voltvan.planning (independence by construction)."""
    import ast
    from pathlib import Path

    import voltvan.check

    for path in Path(voltvan.check.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("voltvan.planning"), path
            elif isinstance(node, ast.Import):
                assert all(not a.name.startswith("voltvan.planning") for a in node.names), path
