"""The checker's rules for re-planned routes: each broken one at a time gives its violation."""

from __future__ import annotations

import dataclasses

import pytest

from tests.planning.replan_cases import NOON_S, busiest, events, planned_day
from voltvan.check import check_plan
from voltvan.check._checker import ENERGY_TOL_WH, REPORT_TOL_FRACTION
from voltvan.domain import Scenario
from voltvan.plan import Plan, Route
from voltvan.planning import Replan, replan


@pytest.fixture(scope="module")
def day() -> tuple[Scenario, Plan]:
    return planned_day()


@pytest.fixture(scope="module")
def broken(day: tuple[Scenario, Plan]) -> Replan:
    """The busiest van breaks down at noon; its parcels go to others on second trips."""
    scenario, parent = day
    van = busiest(parent).van_id
    ev = events(scenario, {"type": "van_out_of_service", "van_id": van, "time": "12:00"})
    return replan(scenario, parent, NOON_S, ev)


def _kinds(plan: Plan, scenario: Scenario, parent: Plan | None = None) -> set[str]:
    return {v.kind for v in check_plan(plan, scenario, parent=parent).violations}


def _route_with(plan: Plan, route: Route) -> Plan:
    routes = tuple(route if r.van_id == route.van_id else r for r in plan.routes)
    return dataclasses.replace(plan, routes=routes)


def _index(route: Route, kind: str) -> int:
    return next(k for k, v in enumerate(route.visits) if v.kind == kind)


def _resumed(plan: Plan) -> Route:
    """A route that resumes after serving stops, with stops after the resume."""
    return next(
        r
        for r in plan.routes
        if any(v.kind == "resume" for v in r.visits)
        and r.visits[[v.kind for v in r.visits].index("resume") + 1].kind == "stop"
        and sum(v.kind == "stop" for v in r.visits[: _index(r, "resume")]) >= 2
    )


def _reloading(plan: Plan) -> Route:
    """A route with a second trip from the depot."""
    return next(r for r in plan.routes if any(v.kind == "reload" for v in r.visits))


def _change(route: Route, k: int, **changes: object) -> Route:
    visits = list(route.visits)
    visits[k] = dataclasses.replace(visits[k], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(route, visits=tuple(visits))


def test_the_replan_passes(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    """The cases below fail only for what they break."""
    assert check_plan(broken.plan, broken.scenario, parent=day[1]).is_feasible


def test_history_time_changed(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    route = _resumed(broken.plan)
    k = _index(route, "stop")
    moved = _change(route, k, start_s=route.visits[k].start_s + 600)
    kinds = _kinds(_route_with(broken.plan, moved), broken.scenario, day[1])
    assert "history" in kinds


def test_history_stop_swapped(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    """A stop served before the re-plan replaced by another (times kept): history changed."""
    route = _resumed(broken.plan)
    stops = [k for k, v in enumerate(route.visits[: _index(route, "resume")]) if v.kind == "stop"]
    a, b = stops[0], stops[1]
    visits = list(route.visits)
    visits[a] = dataclasses.replace(visits[a], location_id=visits[b].location_id)
    visits[b] = dataclasses.replace(visits[b], location_id=route.visits[a].location_id)
    swapped = dataclasses.replace(route, visits=tuple(visits))
    violations = check_plan(_route_with(broken.plan, swapped), broken.scenario, parent=day[1])
    assert "history" in {v.kind for v in violations.violations}


def test_history_without_a_parent_route(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    route = _resumed(broken.plan)
    parent = dataclasses.replace(
        day[1], routes=tuple(r for r in day[1].routes if r.van_id != route.van_id)
    )
    assert "history" in _kinds(broken.plan, broken.scenario, parent)


def test_history_is_not_checked_without_parent(broken: Replan) -> None:
    """Without the parent, the same plan is still replayed but history is not compared."""
    assert "history" not in _kinds(broken.plan, broken.scenario)


def test_resume_before_leaving(broken: Replan) -> None:
    route = _resumed(broken.plan)
    k = _index(route, "resume")
    before = route.visits[k - 1].departure_s - 600
    early = _change(route, k, arrival_s=before, start_s=before, departure_s=before)
    assert "travel_time" in _kinds(_route_with(broken.plan, early), broken.scenario)


def test_resume_above_the_battery(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    route = _resumed(broken.plan)
    battery = next(
        t.battery_wh for t in day[0].fleet.vehicle_types if t.id == route.vehicle_type_id
    )
    k = _index(route, "resume")
    full = _change(route, k, energy_wh=battery * 1.2, soc=1.2)
    assert "energy_battery" in _kinds(_route_with(broken.plan, full), broken.scenario)


def test_a_second_resume_the_parent_never_had(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    """A route may resume once per re-plan, but the history before its last resume must be the
    parent's: a resume the parent route does not have is a changed history, not a structure
    error."""
    route = _resumed(broken.plan)
    k = _index(route, "resume")
    visits = (*route.visits[: k + 1], route.visits[k], *route.visits[k + 1 :])
    twice = _route_with(broken.plan, dataclasses.replace(route, visits=visits))
    assert "route" not in _kinds(twice, broken.scenario)
    assert "history" in _kinds(twice, broken.scenario, day[1])


def test_failed_after_resume(broken: Replan) -> None:
    route = _resumed(broken.plan)
    k = _index(route, "resume") + 1
    assert route.visits[k].kind == "stop"
    late_failure = _change(route, k, kind="failed")
    assert "route" in _kinds(_route_with(broken.plan, late_failure), broken.scenario)


def test_reload_away_from_the_depot(broken: Replan) -> None:
    route = _reloading(broken.plan)
    k = _index(route, "reload")
    away = _change(route, k, location_id=route.visits[k + 1].location_id)
    assert "route" in _kinds(_route_with(broken.plan, away), broken.scenario)


def test_visit_after_out_of_service(broken: Replan) -> None:
    route = next(r for r in broken.plan.routes if r.out_of_service_s is not None)
    early = dataclasses.replace(route, out_of_service_s=route.visits[-1].start_s - 600)
    assert "route" in _kinds(_route_with(broken.plan, early), broken.scenario)


def test_route_without_end_and_in_service(broken: Replan) -> None:
    route = next(r for r in broken.plan.routes if r.out_of_service_s is not None)
    running = dataclasses.replace(route, out_of_service_s=None)
    assert "route" in _kinds(_route_with(broken.plan, running), broken.scenario)


def test_reloaded_parcels_counted_on_board(broken: Replan) -> None:
    """The load after a reload must include the parcels loaded there (reported state)."""
    route = _reloading(broken.plan)
    k = _index(route, "reload") + 1
    light = _change(route, k, load_kg=route.visits[k].load_kg - 5.0)
    assert "reported_state" in _kinds(_route_with(broken.plan, light), broken.scenario)


def test_second_trip_over_payload(broken: Replan, day: tuple[Scenario, Plan]) -> None:
    """A reload trip that takes more than the payload breaks capacity (per trip, not per day)."""
    scenario = day[0]
    route = _reloading(broken.plan)
    trip = [v.location_id for v in route.visits[_index(route, "reload") :] if v.kind == "stop"]
    payload = next(
        t.payload_kg for t in scenario.fleet.vehicle_types if t.id == route.vehicle_type_id
    )
    heavy = tuple(
        dataclasses.replace(s, weight_kg=payload) if s.id == trip[0] else s for s in scenario.stops
    )
    heavier = dataclasses.replace(broken.scenario, stops=heavy)
    assert "capacity" in _kinds(broken.plan, heavier)


def test_failed_parcel_stays_on_board(day: tuple[Scenario, Plan]) -> None:
    """A failed delivery delivers nothing: claiming the parcel left the van is caught."""
    scenario, parent = day
    route = busiest(parent)
    stop = next(v for v in route.visits if v.kind == "stop")
    ev = events(
        scenario,
        {"type": "stop_failed", "stop_id": stop.location_id, "time": "10:00", "reason": "refused"},
    )
    result = replan(scenario, parent, NOON_S, ev)
    assert check_plan(result.plan, result.scenario, parent=parent).is_feasible
    new = result.plan.route_of(route.van_id)
    k = next(k for k, v in enumerate(new.visits) if v.kind == "failed") + 1
    weight = next(s.weight_kg for s in scenario.stops if s.id == stop.location_id)
    delivered = _change(new, k, load_kg=new.visits[k].load_kg - weight)
    assert "reported_state" in _kinds(_route_with(result.plan, delivered), result.scenario)


def _found(plan: Plan, scenario: Scenario) -> list[tuple[str, str, str]]:
    return [(v.kind, v.van_id, v.location_id) for v in check_plan(plan, scenario).violations]


@pytest.mark.parametrize(("early_s", "caught"), [(0.0, False), (1.0, False), (1.5, True)])
def test_resume_before_leaving_to_the_second(broken: Replan, early_s: float, caught: bool) -> None:
    """The van may resume up to a second before it left the place before (rounding), not more."""
    route = _resumed(broken.plan)
    k = _index(route, "resume")
    at = route.visits[k - 1].departure_s - early_s
    assert route.visits[k - 1].departure_s - at == early_s
    moved = _change(route, k, arrival_s=at)
    want = [("travel_time", route.van_id, route.visits[k].location_id)] if caught else []
    assert _found(_route_with(broken.plan, moved), broken.scenario) == want


def _resumed_with(route: Route, k: int, energy_wh: float, battery_wh: float) -> Route:
    """The route resuming at visit ``k`` with ``energy_wh``, and every later visit reporting the
    energy it had shifted by the same amount (the replay restarts from the resume)."""
    delta = energy_wh - route.visits[k].energy_wh
    visits = list(route.visits)
    for j in range(k, len(visits)):
        e = visits[j].energy_wh + delta
        visits[j] = dataclasses.replace(visits[j], energy_wh=e, soc=e / battery_wh)
    return dataclasses.replace(route, visits=tuple(visits))


@pytest.mark.parametrize(("above_wh", "caught"), [(0.0, False), (1.0, False), (1.5, True)])
def test_resume_above_the_battery_to_the_watt_hour(
    broken: Replan, day: tuple[Scenario, Plan], above_wh: float, caught: bool
) -> None:
    """Resuming with more than a full battery is tolerated up to 1 Wh (rounding), no more."""
    route = _resumed(broken.plan)
    battery = next(
        t.battery_wh for t in day[0].fleet.vehicle_types if t.id == route.vehicle_type_id
    )
    k = _index(route, "resume")
    full = _resumed_with(route, k, battery + above_wh, battery)
    kinds = _found(_route_with(broken.plan, full), broken.scenario)
    want = [("energy_battery", route.van_id, route.visits[k].location_id)] if caught else []
    assert [f for f in kinds if f[0] == "energy_battery"] == want
    assert {f[0] for f in kinds} <= {"energy_battery"}


@pytest.mark.parametrize(("energy_wh", "caught"), [(0.0, False), (-0.5, True)])
def test_resume_with_a_negative_energy(
    broken: Replan, day: tuple[Scenario, Plan], energy_wh: float, caught: bool
) -> None:
    """An empty battery is a possible observation (far below the reserve, which is reported on
    its own); a negative one is not."""
    route = _resumed(broken.plan)
    battery = next(
        t.battery_wh for t in day[0].fleet.vehicle_types if t.id == route.vehicle_type_id
    )
    k = _index(route, "resume")
    empty = _resumed_with(route, k, energy_wh, battery)
    kinds = _found(_route_with(broken.plan, empty), broken.scenario)
    want = [("energy_battery", route.van_id, route.visits[k].location_id)] if caught else []
    assert [f for f in kinds if f[0] == "energy_battery"] == want
    assert ("energy_reserve", route.van_id, route.visits[k].location_id) in kinds


def test_the_state_after_a_resume_is_held_to_the_tolerance(
    broken: Replan, day: tuple[Scenario, Plan]
) -> None:
    """The replay picks up at the resumed energy (driving to the resume is in the history): an
    arrival claimed just inside the tolerance passes, just outside it is a reported_state."""
    route = _resumed(broken.plan)
    battery = next(
        t.battery_wh for t in day[0].fleet.vehicle_types if t.id == route.vehicle_type_id
    )
    k = _index(route, "resume") + 1
    tol_wh = ENERGY_TOL_WH + REPORT_TOL_FRACTION * battery
    claimed = route.visits[k].energy_wh

    def claim(wh: float) -> set[str]:
        changed = _change(route, k, energy_wh=wh, soc=wh / battery)
        return _kinds(_route_with(broken.plan, changed), broken.scenario, parent=day[1])

    assert "reported_state" not in claim(claimed + tol_wh - 0.5)
    assert "reported_state" in claim(claimed + tol_wh + 0.5)
