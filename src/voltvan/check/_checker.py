"""The independent plan checker: replays a plan against its scenario and lists every violation.

It is deliberately written apart from the planner: it shares no evaluation code with
:mod:`voltvan.planning`, only the scenario, the travel model and the physical energy model. It
re-simulates each route visit by visit — travel time from the representative matrix, waiting,
service and charging time, load on board after each delivery, and energy with the full
load-dependent model — so a bug in the planner's bookkeeping cannot hide behind itself.

Conventions it enforces (documented in ``docs/formats/plan.md``): the van spends energy driving
each leg at the mass it carries on that leg and idles through service at a stop
(:func:`voltvan.energy.dwell_energy_wh`); it draws the same parked power while it waits at a stop
for its window (``start_s - arrival_s``) or at a charger for its turn, and nothing at the depot
or while it charges (the charger powers it).

A re-planned route (plan format 2) is replayed the same way, with three more kinds of visit: a
``resume`` visit is observed state (where the van was, when, with how much energy), so the leg
into it is not replayed and the energy restarts from what it says; a ``failed`` visit costs time
and energy like a stop but delivers nothing; a ``reload`` at the depot loads the parcels of the
stops after it (each parcel is loaded at the start or reload before the first visit to its stop).
Given the parent plan, the visits before the resume must be the parent's (``_history``).
"""

from __future__ import annotations

import itertools
from collections import Counter

from voltvan import energy
from voltvan.check._history import check_history, check_structure
from voltvan.check._load import Loading, check_capacity, parcel_loading
from voltvan.check._result import CheckResult, Violation
from voltvan.check._times import check_times
from voltvan.domain import Charger, Scenario, Stop, Van, VehicleType
from voltvan.plan import Plan, Route, Visit
from voltvan.travel import Matrices, MatrixSource

DEFAULT_MATRIX_DEPART_S = 9 * 3600.0
"""The departure time of the representative matrix when the plan does not name one."""

ENERGY_TOL_WH = 1.0
REPORT_TOL_FRACTION = 0.002


def check_plan(plan: Plan, scenario: Scenario, parent: Plan | None = None) -> CheckResult:
    """Replay every route of ``plan`` in ``scenario`` and collect all violations.

    With ``parent`` (the plan this one re-planned), the visits each van made before the re-plan
    must be the parent's, unchanged.
    """
    depart_s = float(plan.stats.get("matrix_depart_s", DEFAULT_MATRIX_DEPART_S))
    matrices = MatrixSource(scenario, depart_s=depart_s)
    stops = {s.id: s for s in scenario.stops}
    chargers = {c.id: c for c in scenario.fleet.chargers}
    out: list[Violation] = []
    _check_coverage(plan, scenario, out)
    used: Counter[str] = Counter(r.van_id for r in plan.routes)
    for van_id, n in used.items():
        if n > 1:
            out.append(Violation(van_id, "", "route", f"van {van_id} drives {n} routes"))
    for route in plan.routes:
        _check_route(route, scenario, stops, chargers, matrices, out)
    if parent is not None:
        out.extend(Violation(*v) for v in check_history(plan, parent))
    return CheckResult(out)


def _check_coverage(plan: Plan, scenario: Scenario, out: list[Violation]) -> None:
    served: Counter[str] = Counter(s for r in plan.routes for s in r.stop_ids)
    listed: Counter[str] = Counter(u.stop_id for u in plan.unassigned)
    known = {s.id for s in scenario.stops}
    for stop in scenario.stops:
        n, u = served[stop.id], listed[stop.id]
        if n + u == 0:
            out.append(
                Violation("", stop.id, "coverage", f"stop {stop.id} is neither served nor listed")
            )
        elif n > 1:
            out.append(Violation("", stop.id, "coverage", f"stop {stop.id} is served {n} times"))
        elif n == 1 and u > 0:
            out.append(
                Violation("", stop.id, "coverage", f"stop {stop.id} is served and also unassigned")
            )
        elif u > 1:
            out.append(Violation("", stop.id, "coverage", f"stop {stop.id} is listed {u} times"))
    for stop_id in sorted((set(served) | set(listed)) - known):
        out.append(Violation("", stop_id, "coverage", f"{stop_id} is not a stop of the scenario"))


def _check_route(
    route: Route,
    scenario: Scenario,
    stops: dict[str, Stop],
    chargers: dict[str, Charger],
    source: MatrixSource,
    out: list[Violation],
) -> None:
    fleet = scenario.fleet
    van = next((v for v in fleet.vans if v.id == route.van_id), None)
    if van is None:
        out.append(Violation(route.van_id, "", "route", f"unknown van {route.van_id!r}"))
        return
    vt = fleet.type_of(van)
    if route.vehicle_type_id != vt.id or route.depot_id != van.depot_id:
        out.append(
            Violation(
                van.id,
                "",
                "route",
                f"route says type {route.vehicle_type_id}/depot {route.depot_id}, "
                f"van is {vt.id}/{van.depot_id}",
            )
        )
    problems = check_structure(route, van.depot_id)
    if problems:
        out.extend(Violation(van.id, loc, "route", msg) for loc, msg in problems[:1])
        return
    unknown = [v.location_id for v in route.visits if not source.knows(v.location_id)]
    if unknown:
        out.append(
            Violation(van.id, unknown[0], "route", f"unknown location {unknown[0]!r} on the route")
        )
        return
    # The route's own matrix: the same numbers as the whole day's, at the size of one route.
    matrices = source.between(tuple(dict.fromkeys(v.location_id for v in route.visits)))
    row = matrices.index()
    loading = parcel_loading(route, stops)
    out.extend(check_capacity(loading, van, vt))
    check_times(route, van, scenario, stops, chargers, vt, matrices, row, out)
    _check_energy(route, loading, van, vt, scenario, stops, chargers, matrices, row, out)


def _check_energy(
    route: Route,
    loading: Loading,
    van: Van,
    vt: VehicleType,
    scenario: Scenario,
    stops: dict[str, Stop],
    chargers: dict[str, Charger],
    matrices: Matrices,
    row: dict[str, int],
    out: list[Violation],
) -> None:
    ambient = scenario.fleet.ambient_c
    load_kg, load_m3 = loading.loaded[0]
    e = van.start_soc * vt.battery_wh
    reserve = vt.reserve_wh
    _compare_state(van, route.visits[0], load_kg, load_m3, e, vt, out)
    for k, (prev, cur) in enumerate(itertools.pairwise(route.visits), start=1):
        i, j = row[prev.location_id], row[cur.location_id]
        if cur.kind == "resume":
            e = cur.energy_wh
            if e > vt.battery_wh + ENERGY_TOL_WH or e < 0:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "energy_battery",
                        f"resumes with {e:.0f} Wh, outside the battery's 0-{vt.battery_wh:.0f} Wh",
                    )
                )
        e -= (
            0.0
            if cur.kind == "resume"
            else energy.leg_energy_wh(
                vt.consumption,
                distance_m=float(matrices.distance_m[i, j]),
                duration_s=float(matrices.duration_s[i, j]),
                mass_kg=energy.vehicle_mass_kg(vt, max(0.0, load_kg)),
                ambient_c=ambient,
            )
        )
        _compare_state(van, cur, load_kg, load_m3, e, vt, out)
        if e < reserve - ENERGY_TOL_WH:
            out.append(
                Violation(
                    van.id,
                    cur.location_id,
                    "energy_reserve",
                    f"arrives with {e:.0f} Wh, below the reserve of {reserve:.0f} Wh",
                )
            )
        if cur.kind == "reload":
            kg, m3 = loading.loaded.get(k, (0.0, 0.0))
            load_kg += kg
            load_m3 += m3
        if cur.kind != "resume":  # waits from the replayed arrival: a wrong one is a time rule's
            arrival_s = prev.departure_s + float(matrices.duration_s[i, j])
            e = _wait(van, vt, cur, cur.start_s - arrival_s, e, ambient, out)
        if cur.kind in ("stop", "failed") and cur.location_id in stops:
            stop = stops[cur.location_id]
            e -= energy.dwell_energy_wh(
                vt.consumption, duration_s=stop.service_s, ambient_c=ambient
            )
            if cur.kind == "stop":
                load_kg -= stop.weight_kg
                load_m3 -= stop.volume_m3
            if e < reserve - ENERGY_TOL_WH:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "energy_reserve",
                        f"leaves with {e:.0f} Wh after service, below the reserve {reserve:.0f} Wh",
                    )
                )
        elif cur.kind == "charge":
            if cur.location_id not in chargers:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "unknown_charger",
                        f"charges at {cur.location_id}, which is not a charger of the scenario",
                    )
                )
                continue
            if cur.charge_wh < 0:
                out.append(Violation(van.id, cur.location_id, "energy_battery", "negative charge"))
            e += cur.charge_wh
            if e > vt.battery_wh + ENERGY_TOL_WH:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "energy_battery",
                        f"charged to {e:.0f} Wh, above the battery's {vt.battery_wh:.0f} Wh",
                    )
                )


def _wait(
    van: Van,
    vt: VehicleType,
    visit: Visit,
    wait_s: float,
    e: float,
    ambient_c: float,
    out: list[Violation],
) -> float:
    """Energy left after waiting at a stop or charger with the van on (unchanged elsewhere)."""
    if visit.kind not in ("stop", "failed", "charge") or wait_s <= 0:
        return e
    e -= energy.dwell_energy_wh(vt.consumption, duration_s=wait_s, ambient_c=ambient_c)
    if e < vt.reserve_wh - ENERGY_TOL_WH:
        out.append(
            Violation(
                van.id,
                visit.location_id,
                "energy_reserve",
                f"has {e:.0f} Wh after waiting {wait_s / 60:.0f} min, "
                f"below the reserve of {vt.reserve_wh:.0f} Wh",
            )
        )
    return e


def _compare_state(
    van: Van,
    visit: Visit,
    load_kg: float,
    load_m3: float,
    energy_wh: float,
    vt: VehicleType,
    out: list[Violation],
) -> None:
    """The plan's claimed load and energy on arrival must match the replay (others rely on them)."""
    tol_wh = ENERGY_TOL_WH + REPORT_TOL_FRACTION * vt.battery_wh
    if abs(visit.energy_wh - energy_wh) > tol_wh or abs(visit.soc * vt.battery_wh - energy_wh) > (
        tol_wh
    ):
        out.append(
            Violation(
                van.id,
                visit.location_id,
                "reported_state",
                f"plan says {visit.energy_wh:.0f} Wh on arrival, replay gives {energy_wh:.0f} Wh",
            )
        )
    if abs(visit.load_kg - load_kg) > 1e-3 or abs(visit.load_m3 - load_m3) > 1e-6:
        out.append(
            Violation(
                van.id,
                visit.location_id,
                "reported_state",
                f"plan says {visit.load_kg:.1f} kg on board, replay gives {load_kg:.1f} kg",
            )
        )
