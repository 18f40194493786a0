"""Hand-built plans and scenarios: the report must not need the planner to be tested."""

from __future__ import annotations

import math
import random
from dataclasses import replace

from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Scenario,
    Stop,
    TimeWindow,
    Van,
    VehicleType,
)
from voltvan.plan import Plan, Route, Unassigned, Visit, VisitKind

SPEED_MPS = 7.0
WH_PER_M = 0.28
CHARGE_W = 50_000.0


def _dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111_320.0
    dx = (a[1] - b[1]) * 111_320.0 * math.cos(lat)
    return 1.3 * math.hypot(dx, dy)


def build_route(
    van: Van, vt: VehicleType, depot: Depot, stops: list[Stop], charger: Charger | None
) -> Route:
    """Drive the stops in order; charge once at ``charger`` when the SoC would pass 35 %."""
    battery = vt.battery_wh
    energy = van.start_soc * battery
    load = sum(s.weight_kg for s in stops)
    t = van.shift.start_s
    here = (depot.lat, depot.lon)
    visits = [
        Visit("start", depot.id, depot.lat, depot.lon, t, t, t, load, 0.0, energy, energy / battery)
    ]
    dist_total = used_total = charged_total = 0.0
    plan_stops: list[tuple[VisitKind, str, float, float, Stop | None]] = [
        ("stop", s.id, s.lat, s.lon, s) for s in stops
    ]
    plan_stops.append(("end", depot.id, depot.lat, depot.lon, None))
    charged = False
    for kind, loc, lat, lon, stop in plan_stops:
        d = _dist_m(here, (lat, lon))
        if charger is not None and not charged and (energy - d * WH_PER_M) / battery < 0.35:
            dc = _dist_m(here, (charger.lat, charger.lon))
            t += dc / SPEED_MPS
            energy -= dc * WH_PER_M
            dist_total += dc
            used_total += dc * WH_PER_M
            add = 0.8 * battery - energy
            visits.append(
                Visit(
                    "charge",
                    charger.id,
                    charger.lat,
                    charger.lon,
                    t,
                    t,
                    t + add / CHARGE_W * 3600,
                    load,
                    0.0,
                    energy,
                    energy / battery,
                    dc,
                    dc * WH_PER_M,
                    add,
                )
            )
            t += add / CHARGE_W * 3600
            energy += add
            charged_total += add
            charged = True
            here = (charger.lat, charger.lon)
            d = _dist_m(here, (lat, lon))
        t += d / SPEED_MPS
        energy -= d * WH_PER_M
        dist_total += d
        used_total += d * WH_PER_M
        start = max(t, stop.earliest_s) if stop is not None else t
        dep = start + (stop.service_s if stop is not None else 0.0)
        visits.append(
            Visit(
                kind,
                loc,
                lat,
                lon,
                t,
                start,
                dep,
                load,
                0.0,
                energy,
                energy / battery,
                d,
                d * WH_PER_M,
            )
        )
        if stop is not None:
            load -= stop.weight_kg
        t = dep
        here = (lat, lon)
    return Route(
        van.id,
        vt.id,
        depot.id,
        tuple(visits),
        dist_total,
        used_total,
        charged_total,
        used_total + vt.reserve_wh,
    )


def city_day(num_vans: int, num_stops: int, *, seed: int = 7) -> tuple[Plan, Scenario]:
    """A Berlin-like day: stops shared round-robin by angle, two public chargers, two unserved."""
    rng = random.Random(seed)
    depot = Depot(id="DEPOT", lat=52.46, lon=13.30, name="Berlin Süd")
    large = VehicleType(
        id="large", battery_wh=40_000, mass_kg=2_600, payload_kg=1_200, volume_m3=12.0
    )
    small = VehicleType(
        id="small",
        battery_wh=30_000,
        mass_kg=1_900,
        payload_kg=700,
        volume_m3=6.0,
        reserve_fraction=0.15,
    )
    vans = tuple(
        Van(id=f"V{i + 1:02d}", type_id="large" if i % 3 else "small", depot_id=depot.id)
        for i in range(num_vans)
    )
    chargers = (
        Charger(id="PC-Mitte", lat=52.52, lon=13.40, power_w=50_000, connectors=2),
        Charger(id="PC-Nord", lat=52.56, lon=13.35, power_w=150_000),
        Charger(id="PC-Ost", lat=52.50, lon=13.47, power_w=50_000),
    )
    stops = []
    for i in range(num_stops + 2):
        lat = 52.52 + rng.gauss(0, 0.035)
        lon = 13.40 + rng.gauss(0, 0.06)
        if rng.random() < 0.5:
            tw = TimeWindow(8 * 3600, 18 * 3600)
        else:
            h = rng.choice((8, 10, 12, 14))
            tw = TimeWindow(h * 3600, (h + 2) * 3600)
        stops.append(
            Stop(
                id=f"S{i + 1:03d}",
                lat=lat,
                lon=lon,
                time_windows=(tw,),
                service_s=240,
                weight_kg=round(rng.uniform(1, 25), 1),
            )
        )
    stops[-1] = Stop(id=stops[-1].id, lat=52.50, lon=13.25, service_s=5_400, weight_kg=1_100)
    fleet = Fleet(
        depots=(depot,),
        vehicle_types=(large, small),
        vans=vans,
        chargers=chargers,
        ambient_c=-5.0,
        date="2026-01-14",
    )
    scenario = Scenario(fleet=fleet, stops=tuple(stops), name=f"berlin-{num_stops}")
    served = sorted(
        stops[:num_stops],
        key=lambda s: math.atan2(s.lat - depot.lat, s.lon - depot.lon),
    )
    per = math.ceil(len(served) / num_vans)
    routes = []
    for k, van in enumerate(vans):
        mine = sorted(served[k * per : (k + 1) * per], key=lambda s: s.earliest_s)
        if not mine:
            continue
        vt = large if van.type_id == "large" else small
        charger = min(chargers, key=lambda c: _dist_m((c.lat, c.lon), (mine[0].lat, mine[0].lon)))
        routes.append(build_route(van, vt, depot, mine, charger))
    unassigned = (
        Unassigned(stops[-2].id, "time window cannot be met: 2-hour slot too far from the depot"),
        Unassigned(stops[-1].id, "1100 kg and 90 min of service: no van has the room left"),
    )
    plan = Plan(
        scenario=scenario.name,
        routes=tuple(routes),
        unassigned=unassigned,
        stats={"solver": "hand-built", "seed": seed},
    )
    return plan, scenario


def waiting_day(*, late_window_h: float, fleet_vans: int) -> tuple[Plan, Scenario]:
    """One van serves two stops near the depot, the second not before ``late_window_h``.

    The van arrives there around 07:30, so a late window makes it wait for hours; the fleet has
    ``fleet_vans`` vans, of which only the first is used.
    """
    depot = Depot(id="DEPOT", lat=52.46, lon=13.30)
    vt = VehicleType(id="large", battery_wh=40_000, mass_kg=2_600, payload_kg=1_000, volume_m3=12.0)
    vans = tuple(Van(id=f"V{i + 1}", type_id="large", depot_id=depot.id) for i in range(fleet_vans))
    late = TimeWindow(late_window_h * 3600, late_window_h * 3600 + 7200)
    stops = (
        Stop(id="S1", lat=52.47, lon=13.31, service_s=300, weight_kg=300.0),
        Stop(id="S2", lat=52.48, lon=13.30, time_windows=(late,), service_s=300, weight_kg=200.0),
    )
    fleet = Fleet(depots=(depot,), vehicle_types=(vt,), vans=vans)
    scenario = Scenario(fleet=fleet, stops=stops, name="waiting")
    route = build_route(vans[0], vt, depot, list(stops), None)
    return Plan(scenario="waiting", routes=(route,)), scenario


FAR_WEST = (52.52, 12.50)
"""About 60 km west of the city day's stops: where a geocode of the wrong town would land."""


def with_far_stop(scenario: Scenario, stop_id: str) -> Scenario:
    """The same day with stop ``stop_id`` moved to :data:`FAR_WEST`."""
    stops = tuple(
        replace(s, lat=FAR_WEST[0], lon=FAR_WEST[1]) if s.id == stop_id else s
        for s in scenario.stops
    )
    return replace(scenario, stops=stops)
