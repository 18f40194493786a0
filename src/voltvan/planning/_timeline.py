"""Turn a visiting order into a timed route with the full energy model, and say what is wrong.

The engine plans on conservative energy matrices; the plan must show what the van really does.
Given a van and its ordered stops and charge stops, this module computes the load on board after
each delivery, the energy of every leg at that real mass, how much to charge at each charge stop
(just enough to reach the next charge stop or the depot with the reserve left, never above the
battery — this minimises charging, hence time, for the fixed order), and the times. Waiting at a
stop for its window draws the parked power (:func:`voltvan.energy.dwell_energy_wh`, the van is on
and the cab warm, as in the twin); the engine's arc energies cannot hold it (it depends on the
times), so it enters here, where the planner's tightening and repair see it. Anything the
order cannot satisfy comes back as an :class:`Issue` so that the planner can repair the route.
The re-planner uses the same replay for routes that begin mid-day at an
:class:`~voltvan.planning._origin.Origin` and reload at the depot.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from voltvan import energy
from voltvan.domain import Charger, Scenario, Stop, Van, VehicleType
from voltvan.plan import Route, Visit, VisitKind
from voltvan.planning._origin import RELOAD_S, Origin, reload_ready, trip_loads
from voltvan.travel import Matrices

EPS_WH = 1e-6
EPS_S = 1e-6
ON_TIME_MARGIN_S = 900.0
"""Leaving later to wait less never brings a stop closer than this to the end of its window."""
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


@dataclass(frozen=True, slots=True)
class Context:
    """What every route of one scenario shares."""

    scenario: Scenario
    matrices: Matrices
    row: dict[str, int]
    stops: dict[str, Stop]
    chargers: dict[str, Charger]

    @classmethod
    def of(cls, scenario: Scenario, matrices: Matrices) -> Context:
        return cls(
            scenario=scenario,
            matrices=matrices,
            row=matrices.index(),
            stops={s.id: s for s in scenario.stops},
            chargers={c.id: c for c in scenario.fleet.chargers},
        )


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
    charges, _ = _charges(places, legs, parked, start_wh, vt)
    # Waiting costs energy, the energy to charge sets the charging time, and that moves the
    # waiting: settle the three (charges change by less than EPS_WH within a round or two).
    for _ in range(MAX_WAIT_ROUNDS):
        times = _timed(ctx, van, vt, places, durs, charges, origin, ready)
        parked = [d + _wait_wh(vt, ambient, places[k][0], times[k]) for k, d in enumerate(dwell)]
        again, _ = _charges(places, legs, parked, start_wh, vt)
        if all(a <= b + EPS_WH for a, b in zip(again, charges, strict=True)):
            break
        # Charges only grow: longer charging only shortens the waits after it, so the charges
        # of the last round then cover the waiting of its own times.
        charges = [max(a, b) for a, b in zip(again, charges, strict=True)]
    else:
        times = _timed(ctx, van, vt, places, durs, charges, origin, ready)
        parked = [d + _wait_wh(vt, ambient, places[k][0], times[k]) for k, d in enumerate(dwell)]
    # The energy is replayed with the charges the times were computed with and the waiting of
    # exactly those times, as the checker replays it (a shortfall left here is an issue).
    arrive_wh = _replay(places, legs, parked, charges, start_wh)
    for k, e in enumerate(arrive_wh):
        if e < vt.reserve_wh - EPS_WH or e - parked[k] < vt.reserve_wh - EPS_WH:
            issues.append(Issue(k, "energy"))
    start_ok = max(van.shift.start_s, depot.opening.start_s)
    end_ok = min(van.shift.end_s, depot.opening.end_s)
    for k, (kind, loc) in enumerate(places):
        if kind == "stop" and not _in_window(ctx.stops[loc], times[k][1]):
            issues.append(Issue(k, "time_window"))
    late_start = origin is None and times[0][2] < start_ok - EPS_S
    if times[-1][0] > end_ok + EPS_S or late_start:
        issues.append(Issue(len(places) - 1, "shift"))
    visits = []
    for k, (kind, loc) in enumerate(places):
        lat, lon = lat_lon(ctx, loc)
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
        energy_needed_wh=_energy_needed(legs, parked, charges, vt.reserve_wh),
    )
    return Timed(route, tuple(sorted(issues, key=lambda x: x.index)))


def _charges(
    places: Sequence[tuple[VisitKind, str]],
    legs: Sequence[float],
    dwell: Sequence[float],
    start_wh: float,
    vt: VehicleType,
) -> tuple[list[float], list[float]]:
    """Energy charged at each place and energy on arrival, charging only what is needed."""
    n = len(places)
    # use[k]: energy spent from leaving place k-1 until leaving place k (leg, waiting, service).
    use = [legs[k] + dwell[k] for k in range(n)]
    charges = [0.0] * n
    arrive = [0.0] * n
    e = start_wh
    arrive[0] = e
    for k in range(1, n):
        e -= legs[k]
        arrive[k] = e
        e -= dwell[k]
        if places[k][0] == "charge":
            need = vt.reserve_wh
            for m in range(k + 1, n):
                need += use[m]
                if places[m][0] == "charge":
                    break
            amount = min(max(0.0, need - e), max(0.0, vt.battery_wh - e))
            charges[k] = amount
            e += amount
    return charges, arrive


def _timed(
    ctx: Context,
    van: Van,
    vt: VehicleType,
    places: Sequence[tuple[VisitKind, str]],
    durs: Sequence[float],
    charges: Sequence[float],
    origin: Origin | None,
    ready: Mapping[int, float] | None,
) -> list[tuple[float, float, float]]:
    if origin is None:
        return _times(ctx, van, vt, places, durs, charges)
    return _forward(ctx, vt, places, durs, charges, origin.time_s, ready)


def _wait_wh(
    vt: VehicleType, ambient_c: float, kind: VisitKind, time: tuple[float, float, float]
) -> float:
    """Parked energy while the van waits at a stop for its window (or for a charger).

    The van is on and the cab kept warm, as in the twin; at the depot (start, reload, end) it
    is off or plugged in and draws nothing.
    """
    wait_s = time[1] - time[0]
    if kind not in ("stop", "charge") or wait_s <= EPS_S:
        return 0.0
    return energy.dwell_energy_wh(vt.consumption, duration_s=wait_s, ambient_c=ambient_c)


def _replay(
    places: Sequence[tuple[VisitKind, str]],
    legs: Sequence[float],
    parked: Sequence[float],
    charges: Sequence[float],
    start_wh: float,
) -> list[float]:
    """Energy on arrival at each place for given charges."""
    arrive = [start_wh]
    e = start_wh
    for k in range(1, len(places)):
        e -= legs[k]
        arrive.append(e)
        e += charges[k] - parked[k]
    return arrive


def _times(
    ctx: Context,
    van: Van,
    vt: VehicleType,
    places: Sequence[tuple[VisitKind, str]],
    durs: Sequence[float],
    charges: Sequence[float],
) -> list[tuple[float, float, float]]:
    """(arrival, start, departure) per place; leaves as late as the windows allow.

    Waiting costs energy (the van is on): the departure moves later by the first wait of the
    day, as far as every earlier stop keeps ``ON_TIME_MARGIN_S`` before its window closes (a
    real day runs late, not early); the end of the day does not move, since the visits after
    that wait keep their times.
    """
    depot = ctx.scenario.fleet.depot(van.depot_id)
    depart = max(van.shift.start_s, depot.opening.start_s)
    out = _forward(ctx, vt, places, durs, charges, depart)
    for _ in range(len(places)):
        waits = [k for k in range(1, len(places)) if out[k][1] - out[k][0] > EPS_S]
        if not waits or places[waits[0]][0] != "stop":
            break
        k = waits[0]
        slack = min(
            (_window_end(ctx.stops[loc], out[j][1]) - out[j][1] - ON_TIME_MARGIN_S
             for j, (kind, loc) in enumerate(places[:k]) if kind == "stop"),
            default=float("inf"),
        )  # fmt: skip
        shift = min(out[k][1] - out[k][0], slack)
        if shift <= EPS_S:
            break
        depart += shift
        out = _forward(ctx, vt, places, durs, charges, depart)
    return out


def _window_end(stop: Stop, start_s: float) -> float:
    """The end of the window service starts in."""
    return next(
        (tw.end_s for tw in stop.time_windows if tw.start_s - EPS_S <= start_s <= tw.end_s + EPS_S),
        start_s,
    )


def _forward(
    ctx: Context,
    vt: VehicleType,
    places: Sequence[tuple[VisitKind, str]],
    durs: Sequence[float],
    charges: Sequence[float],
    depart: float,
    ready: Mapping[int, float] | None = None,
) -> list[tuple[float, float, float]]:
    out = [(depart, depart, depart)]
    t = depart
    for k in range(1, len(places)):
        kind, loc = places[k]
        arrival = t + durs[k]
        start = arrival
        if kind == "reload":
            start = max(arrival, (ready or {}).get(k, 0.0))
            t = start + RELOAD_S
        elif kind == "stop":
            stop = ctx.stops[loc]
            for tw in stop.time_windows:
                if arrival <= tw.end_s:
                    start = max(arrival, tw.start_s)
                    break
            t = start + stop.service_s
        elif kind == "charge":
            ch = ctx.chargers[loc]
            power = min(ch.power_w, vt.max_power_w(ch.current))
            t = start + charges[k] * 3600.0 / power
        else:
            t = arrival
        out.append((arrival, start, t))
    return out


def _in_window(stop: Stop, start_s: float) -> bool:
    return any(tw.start_s - EPS_S <= start_s <= tw.end_s + EPS_S for tw in stop.time_windows)


def _energy_needed(
    legs: Sequence[float], dwell: Sequence[float], charges: Sequence[float], reserve_wh: float
) -> float:
    """Least energy on leaving the depot that keeps the reserve everywhere, given the charges."""
    worst = 0.0
    net = 0.0
    for k in range(1, len(legs)):
        net += legs[k]
        worst = max(worst, net)
        net += dwell[k]
        worst = max(worst, net)
        net -= charges[k]
    return worst + reserve_wh


def lat_lon(ctx: Context, loc: str) -> tuple[float, float]:
    """Where a stop, charger or depot of the scenario is."""
    if loc in ctx.stops:
        return ctx.stops[loc].lat, ctx.stops[loc].lon
    if loc in ctx.chargers:
        return ctx.chargers[loc].lat, ctx.chargers[loc].lon
    d = ctx.scenario.fleet.depot(loc)
    return d.lat, d.lon
