"""Turn a visiting order into a timed route with the full energy model, and say what is wrong.

The engine plans on conservative energy matrices; the plan must show what the van really does.
Given a van and its ordered stops and charge stops, this module computes the load on board after
each delivery and the energy of every leg at that real mass, then settles how much to charge at
each charge stop (``_route_energy``) with the times (``_route_times``). Waiting at a stop for its
window draws the parked power; the engine's arc energies cannot hold it (it depends on the
times), so it enters here, where the planner's tightening and repair see it. Anything the
order cannot satisfy comes back as an :class:`Issue` so that the planner can repair the route.
The re-planner uses the same replay for routes that begin mid-day at an
:class:`~voltvan.planning._origin.Origin` and reload at the depot.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from voltvan import energy
from voltvan.domain import Van
from voltvan.plan import Route, Visit, VisitKind
from voltvan.planning._context import Context
from voltvan.planning._origin import Origin, reload_ready, trip_loads
from voltvan.planning._route_energy import (
    EPS_S,
    EPS_WH,
    charges_needed,
    least_departure_wh,
    replay_energy,
    wait_energy_wh,
)
from voltvan.planning._route_times import in_window, visit_times

MAX_WAIT_ROUNDS = 4
"""Rounds of charges -> times -> waiting energy -> charges; one or two settle in practice."""


@dataclass(frozen=True, slots=True)
class Issue:
    """A rule the route breaks, at position ``index`` of its visits (0 = start)."""

    index: int
    kind: str  # capacity, time_window, shift, energy


@dataclass(frozen=True, slots=True)
class Timed:
    """A route with its issues (empty when the route is feasible by the full model)."""

    route: Route
    issues: tuple[Issue, ...]


def time_route(
    ctx: Context,
    van: Van,
    seq: Sequence[tuple[VisitKind, str]],
    origin: Origin | None = None,
) -> Timed:
    """Replay ``seq`` (stops, charge stops and reloads, without the depot) for ``van``.

    Without ``origin`` the van starts its day at the depot; with one it resumes its day there
    (the first visit is then a ``resume`` visit) and may not leave before ``origin.time_s``.
    """
    fleet = ctx.scenario.fleet
    vt = fleet.type_of(van)
    depot = fleet.depot(van.depot_id)
    ambient = fleet.ambient_c
    first: tuple[VisitKind, str] = (
        ("start", depot.id) if origin is None else ("resume", origin.location_id)
    )
    places: list[tuple[VisitKind, str]] = [first, *seq, ("end", depot.id)]
    issues: list[Issue] = []
    trips = trip_loads(ctx.stops, places)
    load_kg = trips[0][0] + (origin.carried_kg if origin else 0.0)
    load_m3 = trips[0][1] + (origin.carried_m3 if origin else 0.0)
    for k, (kg, m3) in trips.items():
        carried = (origin.carried_kg, origin.carried_m3) if origin else (0.0, 0.0)
        if kg + carried[0] > vt.payload_kg + 1e-9 or m3 + carried[1] > vt.volume_m3 + 1e-9:
            nxt = [j for j in trips if j > k]
            issues.append(Issue((nxt[0] if nxt else len(places) - 1) - 1, "capacity"))
    loads: list[tuple[float, float]] = [(load_kg, load_m3)]
    legs: list[float] = [0.0]
    dists: list[float] = [0.0]
    durs: list[float] = [0.0]
    dwell: list[float] = [0.0]
    for (_, a), (kind, b) in itertools.pairwise(places):
        i, j = ctx.row[a], ctx.row[b]
        d = float(ctx.matrices.distance_m[i, j])
        t = float(ctx.matrices.duration_s[i, j])
        legs.append(
            energy.leg_energy_wh(
                vt.consumption,
                distance_m=d,
                duration_s=t,
                mass_kg=energy.vehicle_mass_kg(vt, max(0.0, load_kg)),
                ambient_c=ambient,
            )
        )
        dists.append(d)
        durs.append(t)
        loads.append((load_kg, load_m3))
        if kind == "stop":
            stop = ctx.stops[b]
            dwell.append(
                energy.dwell_energy_wh(vt.consumption, duration_s=stop.service_s, ambient_c=ambient)
            )
            load_kg -= stop.weight_kg
            load_m3 -= stop.volume_m3
        else:
            dwell.append(0.0)
            if kind == "reload":
                load_kg += trips[len(loads) - 1][0]
                load_m3 += trips[len(loads) - 1][1]
    start_wh = van.start_soc * vt.battery_wh if origin is None else origin.energy_wh
    ready = None if origin is None else reload_ready(places, origin)
    parked = list(dwell)
    charges, _ = charges_needed(places, legs, parked, start_wh, vt)
    # Waiting costs energy, the energy to charge sets the charging time, and that moves the
    # waiting: settle the three (charges change by less than EPS_WH within a round or two).
    for _ in range(MAX_WAIT_ROUNDS):
        times = visit_times(ctx, van, vt, places, durs, charges, origin, ready)
        parked = [
            d + wait_energy_wh(vt, ambient, places[k][0], times[k]) for k, d in enumerate(dwell)
        ]
        again, _ = charges_needed(places, legs, parked, start_wh, vt)
        if all(a <= b + EPS_WH for a, b in zip(again, charges, strict=True)):
            break
        # Charges only grow: longer charging only shortens the waits after it, so the charges
        # of the last round then cover the waiting of its own times.
        charges = [max(a, b) for a, b in zip(again, charges, strict=True)]
    else:
        times = visit_times(ctx, van, vt, places, durs, charges, origin, ready)
        parked = [
            d + wait_energy_wh(vt, ambient, places[k][0], times[k]) for k, d in enumerate(dwell)
        ]
    # The energy is replayed with the charges the times were computed with and the waiting of
    # exactly those times, as the checker replays it (a shortfall left here is an issue).
    arrive_wh = replay_energy(places, legs, parked, charges, start_wh)
    for k, e in enumerate(arrive_wh):
        if e < vt.reserve_wh - EPS_WH or e - parked[k] < vt.reserve_wh - EPS_WH:
            issues.append(Issue(k, "energy"))
    start_ok = max(van.shift.start_s, depot.opening.start_s)
    end_ok = min(van.shift.end_s, depot.opening.end_s)
    for k, (kind, loc) in enumerate(places):
        if kind == "stop" and not in_window(ctx.stops[loc], times[k][1]):
            issues.append(Issue(k, "time_window"))
    late_start = origin is None and times[0][2] < start_ok - EPS_S
    if times[-1][0] > end_ok + EPS_S or late_start:
        issues.append(Issue(len(places) - 1, "shift"))
    visits = []
    for k, (kind, loc) in enumerate(places):
        lat, lon = ctx.positions[loc]
        visits.append(
            Visit(
                kind=kind,
                location_id=loc,
                lat=lat,
                lon=lon,
                arrival_s=times[k][0],
                start_s=times[k][1],
                departure_s=times[k][2],
                load_kg=loads[k][0],
                load_m3=loads[k][1],
                energy_wh=arrive_wh[k],
                soc=arrive_wh[k] / vt.battery_wh,
                distance_from_prev_m=dists[k],
                energy_from_prev_wh=legs[k],
                charge_wh=charges[k],
            )
        )
    route = Route(
        van_id=van.id,
        vehicle_type_id=vt.id,
        depot_id=depot.id,
        visits=tuple(visits),
        distance_m=sum(dists),
        energy_wh=sum(legs) + sum(parked),
        charged_wh=sum(charges),
        energy_needed_wh=least_departure_wh(legs, parked, charges, vt.reserve_wh),
    )
    return Timed(route, tuple(sorted(issues, key=lambda x: x.index)))
