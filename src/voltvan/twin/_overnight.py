"""The night between two simulated days: the depot charges the vans the day brought back.

The depot's charging schedule is voltvan's own (the LP of :mod:`voltvan.charging`), made from
the states of charge the vans really came back with, when they came back, for the plan's
departures next morning. The night is then either *ideal* (each van gets what the schedule
gives it) or played over *OCPP*: a real central system and one simulated charger per depot
charger on localhost WebSocket ports, on a sped-up clock, so the energy is what the chargers
metered. Either way a depot charger out of order delivers nothing to the vans the schedule put
on it (the schedule does not know it is broken), and a van back late has a short night: the next
day starts from what the night really delivered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from voltvan.charging import (
    Arrival,
    Schedule,
    depot_connectors,
    problem_from_plan,
    run_night,
    schedule_depot,
    simulated_config,
)
from voltvan.domain import Scenario
from voltvan.plan import Plan, Route
from voltvan.twin._record import Night, VanDay, VanNight
from voltvan.twin._telemetry import day_start

OvernightMode = Literal["ideal", "ocpp"]
OVERNIGHT_MODES: tuple[str, ...] = ("ideal", "ocpp")
NIGHT_SPEED = 3600.0
"""How much faster than the wall an OCPP night runs (an hour a second)."""


def charge_night(
    scenario: Scenario,
    plan: Plan,
    vans: Sequence[VanDay],
    *,
    day: int,
    mode: OvernightMode,
    broken: frozenset[str] = frozenset(),
    speed: float = NIGHT_SPEED,
) -> Night:
    """Charge the vans of day ``day`` at their depots; ``broken`` chargers deliver nothing."""
    fleet = scenario.fleet
    by_van = {v.van_id: v for v in vans}
    out: list[VanNight] = []
    for depot in fleet.depots:
        routes = [r for r in plan.routes if r.depot_id == depot.id and r.van_id in by_van]
        if not routes:
            continue
        arrivals = {r.van_id: _arrival(r, by_van[r.van_id]) for r in routes}
        if not depot_connectors(fleet, depot.id):  # nothing to charge with: they leave as back
            out += [_van_night(a, vid, None, 0.0, 0.0, 1.0) for vid, a in arrivals.items()]
            continue
        sub = dataclasses.replace(plan, routes=tuple(routes))
        problem = problem_from_plan(fleet, sub, depot_id=depot.id, arrivals=arrivals)
        schedule = schedule_depot(problem)
        carried = _without_broken(schedule, broken)
        if mode == "ocpp":
            got = _ocpp_night(carried, scenario, day, speed)
        else:
            got = {v.vehicle_id: v.energy_delivered_wh for v in carried.vans if v.connector_id}
        for v in schedule.vans:
            battery = fleet.type_of(fleet.van(v.vehicle_id)).battery_wh
            room = max(0.0, battery - v.soc_arrival * battery)
            delivered = min(room, max(0.0, got.get(v.vehicle_id, 0.0)))
            out.append(
                _van_night(
                    arrivals[v.vehicle_id],
                    v.vehicle_id,
                    v.connector_id,
                    v.energy_delivered_wh,
                    delivered,
                    battery,
                )
            )
    order = {r.van_id: k for k, r in enumerate(plan.routes)}
    return Night(mode, tuple(sorted(out, key=lambda n: order[n.van_id])))


def _arrival(route: Route, rec: VanDay) -> Arrival:
    """When and with what the van is back: a stranded or broken-down van is towed in at its
    planned return (empty, or with what its battery held when it broke down)."""
    soc = max(0.0, rec.trace_wh[-1] / rec.battery_wh) if rec.trace_wh else 0.0
    if rec.end_s is None:
        stopped = rec.stranded_at_s if rec.stranded_at_s is not None else rec.broken_at_s
        held = 0.0 if rec.stranded_at_s is not None else soc
        return Arrival(max(route.end_s, stopped or 0.0), held)
    return Arrival(rec.end_s, soc)


def _van_night(
    arrival: Arrival,
    van_id: str,
    connector: str | None,
    planned_wh: float,
    delivered_wh: float,
    battery_wh: float,
) -> VanNight:
    return VanNight(
        van_id=van_id,
        arrival_s=arrival.arrival_s,
        soc_arrival=arrival.soc,
        connector_id=connector,
        planned_wh=planned_wh,
        delivered_wh=delivered_wh,
        start_soc=min(1.0, arrival.soc + delivered_wh / battery_wh),
    )


def _without_broken(schedule: Schedule, broken: frozenset[str]) -> Schedule:
    """The schedule as the chargers carry it out: a van on a broken charger is never charged."""
    if not broken:
        return schedule
    vans = tuple(
        dataclasses.replace(v, connector_id=None, plug_in=None, plug_out=None)
        if v.connector_id is not None and v.connector_id.rsplit("/", 1)[0] in broken
        else v
        for v in schedule.vans
    )
    return dataclasses.replace(schedule, vans=vans)


def _ocpp_night(schedule: Schedule, scenario: Scenario, day: int, speed: float) -> dict[str, float]:
    """Play the night on real sockets and return what each van's charger metered (Wh)."""
    epoch = day_start(scenario.fleet.date, day).timestamp()
    with tempfile.TemporaryDirectory(prefix="voltvan-night-") as tmp:
        result = asyncio.run(
            run_night(
                schedule,
                simulated_config(schedule),
                data_dir=Path(tmp),
                speed=speed,
                day_start_epoch=epoch,
            )
        )
    return dict(result.metered_wh)
