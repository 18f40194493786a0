"""When the van is where along a visiting order: arrival, start of service and departure.

Service starts at the first window the van can still make; a charge lasts its energy at the
charger's power (as the van can draw it); a reload waits for the goods of its trip. A day from
the depot leaves as late as the windows allow, since waiting costs energy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from voltvan.domain import Stop, Van, VehicleType
from voltvan.plan import VisitKind
from voltvan.planning._context import Context
from voltvan.planning._origin import RELOAD_S, Origin
from voltvan.planning._route_energy import EPS_S

ON_TIME_MARGIN_S = 900.0
"""Leaving later to wait less never brings a stop closer than this to the end of its window."""


def visit_times(
    ctx: Context,
    van: Van,
    vt: VehicleType,
    places: Sequence[tuple[VisitKind, str]],
    durs: Sequence[float],
    charges: Sequence[float],
    origin: Origin | None,
    ready: Mapping[int, float] | None,
) -> list[tuple[float, float, float]]:
    """A day from the depot leaves as late as its windows allow; a resumed day cannot leave
    before its origin's time, and its reloads wait for their goods (``ready``)."""
    if origin is None:
        return times_from_depot(ctx, van, vt, places, durs, charges)
    return times_forward(ctx, vt, places, durs, charges, origin.time_s, ready)


def times_from_depot(
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
    out = times_forward(ctx, vt, places, durs, charges, depart)
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
        out = times_forward(ctx, vt, places, durs, charges, depart)
    return out


def _window_end(stop: Stop, start_s: float) -> float:
    """The end of the window service starts in."""
    return next(
        (tw.end_s for tw in stop.time_windows if tw.start_s - EPS_S <= start_s <= tw.end_s + EPS_S),
        start_s,
    )


def times_forward(
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


def in_window(stop: Stop, start_s: float) -> bool:
    return any(tw.start_s - EPS_S <= start_s <= tw.end_s + EPS_S for tw in stop.time_windows)
