"""Edits that break a valid plan or scenario in one place, and the checker's verdict as tuples.

Each negative test starts from a plan the checker accepts and changes one thing, so that the
violation it expects can only come from the rule it breaks.
"""

from __future__ import annotations

import dataclasses

from voltvan.check import check_plan
from voltvan.domain import Charger, Depot, Scenario, Stop, Van, VehicleType
from voltvan.plan import Plan, Route, Visit

Found = tuple[str, str, str]
"""(kind, van id, location id) of one violation."""


def found(plan: Plan, scenario: Scenario) -> list[Found]:
    """Every violation the checker reports, in its order."""
    return [(v.kind, v.van_id, v.location_id) for v in check_plan(plan, scenario).violations]


def messages(plan: Plan, scenario: Scenario) -> list[str]:
    return [v.message for v in check_plan(plan, scenario).violations]


def with_route(plan: Plan, k: int, route: Route) -> Plan:
    routes = list(plan.routes)
    routes[k] = route
    return dataclasses.replace(plan, routes=tuple(routes))


def with_visits(plan: Plan, k: int, visits: list[Visit]) -> Plan:
    return with_route(plan, k, dataclasses.replace(plan.routes[k], visits=tuple(visits)))


def with_visit(plan: Plan, k: int, j: int, **changes: float | str) -> Plan:
    visits = list(plan.routes[k].visits)
    visits[j] = dataclasses.replace(visits[j], **changes)  # type: ignore[arg-type]
    return with_visits(plan, k, visits)


def with_pause(plan: Plan, k: int, j: int, **changes: float | str) -> Plan:
    """A zero-length visit inserted before visit ``j``, at its place, when the van arrives there.

    The van reaches it with the state it reaches visit ``j`` with and travels nothing from it to
    visit ``j``, so every other visit keeps its times and state: only what ``changes`` says
    differs (by default it is an empty charge).
    """
    visits = list(plan.routes[k].visits)
    at = visits[j]
    t = at.arrival_s
    pause = dataclasses.replace(
        at, kind="charge", start_s=t, departure_s=t, distance_from_prev_m=0.0, charge_wh=0.0
    )
    visits.insert(j, dataclasses.replace(pause, **changes))  # type: ignore[arg-type]
    return with_visits(plan, k, visits)


def with_energy_shift(plan: Plan, k: int, after: int, delta_wh: float) -> Plan:
    """The energy the plan reports on every visit after ``after`` raised by ``delta_wh``.

    It keeps the plan's report in line with a changed charge, so that only the charge rule breaks.
    """
    visits = list(plan.routes[k].visits)
    battery_wh = visits[0].energy_wh / visits[0].soc
    for j in range(after + 1, len(visits)):
        e = visits[j].energy_wh + delta_wh
        visits[j] = dataclasses.replace(visits[j], energy_wh=e, soc=e / battery_wh)
    return with_visits(plan, k, visits)


def index_of(route: Route, kind: str) -> int:
    """The position of the first visit of ``kind``."""
    return next(j for j, v in enumerate(route.visits) if v.kind == kind)


def with_stop(scenario: Scenario, stop_id: str, **changes: object) -> Scenario:
    stops = tuple(
        dataclasses.replace(s, **changes) if s.id == stop_id else s  # type: ignore[arg-type]
        for s in scenario.stops
    )
    return dataclasses.replace(scenario, stops=stops)


def with_extra_stop(scenario: Scenario, stop: Stop) -> Scenario:
    return dataclasses.replace(scenario, stops=(*scenario.stops, stop))


def with_vans(scenario: Scenario, **changes: object) -> Scenario:
    fleet = scenario.fleet
    vans: tuple[Van, ...] = tuple(
        dataclasses.replace(v, **changes)  # type: ignore[arg-type]
        for v in fleet.vans
    )
    return dataclasses.replace(scenario, fleet=dataclasses.replace(fleet, vans=vans))


def with_vehicle_type(scenario: Scenario, **changes: object) -> Scenario:
    fleet = scenario.fleet
    types: tuple[VehicleType, ...] = tuple(
        dataclasses.replace(t, **changes)  # type: ignore[arg-type]
        for t in fleet.vehicle_types
    )
    return dataclasses.replace(scenario, fleet=dataclasses.replace(fleet, vehicle_types=types))


def with_depots(scenario: Scenario, **changes: object) -> Scenario:
    fleet = scenario.fleet
    depots: tuple[Depot, ...] = tuple(
        dataclasses.replace(d, **changes)  # type: ignore[arg-type]
        for d in fleet.depots
    )
    return dataclasses.replace(scenario, fleet=dataclasses.replace(fleet, depots=depots))


def with_chargers(scenario: Scenario, **changes: object) -> Scenario:
    fleet = scenario.fleet
    chargers: tuple[Charger, ...] = tuple(
        dataclasses.replace(c, **changes)  # type: ignore[arg-type]
        for c in fleet.chargers
    )
    return dataclasses.replace(scenario, fleet=dataclasses.replace(fleet, chargers=chargers))
