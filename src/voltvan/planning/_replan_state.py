"""Where each van is at the re-plan time, from the plan and the events: the start of a re-plan.

"All went to plan" unless an event says otherwise. A visit whose service (or charging) had begun
by then is history and stays as it was; a van that had left a place is committed to the leg it
drives, so it resumes at the place it drives to. A delay moves everything the van had still to do
by that much; a reported position and state of charge replace the plan's (the van then drives
from there to the place it was heading for, by the travel model). A van out of service stops its
route when it broke down, and its undelivered parcels go back to the depot (see
``docs/formats/events.md``). Parcels on board a van can only change vans through the depot.

The parent may itself be a re-plan: its history (an earlier ``resume``, ``failed`` visits) is
cut like any other visits, a van it has out of service stays so with its route unchanged, and
the stops it left unassigned because their parcel is not at the depot (a failed delivery not
retried, no time left on the van that carries it) keep their reason. Only the events given now
are applied: those of earlier re-plans are in the parent already.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from voltvan import energy
from voltvan.domain import Van, format_hhmm
from voltvan.errors import InvalidInput
from voltvan.plan import Plan, Route, Visit, VisitKind
from voltvan.planning._context import Context
from voltvan.planning._events import Events, StopFailed, VanPosition
from voltvan.planning._origin import Origin
from voltvan.travel import TravelParams, duration_at, haversine_m

Seq = list[tuple[VisitKind, str]]

NO_TIME_ON_BOARD = "no time left on the van that carries it (back to the depot)"
NOT_RETRIED = "delivery failed ({}), not retried"


@dataclass
class VanState:
    """One van at the re-plan time: what stays, where it goes on from, what it still carries."""

    van: Van
    history: tuple[Visit, ...]
    origin: Origin | None
    """None for a van out of service: its route ends with its history."""
    own: Seq
    """The rest of its parent route (stops and charge stops), the warm start of the re-plan."""
    retry: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    """Parcels of failed deliveries that ride back to the depot."""
    out_of_service_s: float | None = None
    parent: Route | None = None
    new_start: bool = False
    """A van starting its day now (idle, or not left yet): a ``start`` visit, no history."""


@dataclass
class DayState:
    vans: list[VanState]
    depot_parcels: dict[str, float]
    """Parcels at the depot that any van may load on a reload: stop id -> when they are there."""
    dropped: dict[str, str]
    """Failed deliveries not retried: stop id -> reason for the unassigned list."""


def day_state(ctx: Context, parent: Plan, at_s: float, events: Events) -> DayState:
    fleet = ctx.scenario.fleet
    delays = {d.van_id: d.delay_s for d in events.delays}
    positions = {p.van_id: p for p in events.positions}
    broken = {o.van_id: o for o in events.out_of_service}
    failed = {f.stop_id: f for f in events.failed}
    ready: dict[str, float] = {}
    dropped: dict[str, str] = {}
    for u in parent.unassigned:
        if _not_at_depot(u.reason):
            dropped[u.stop_id] = u.reason
        else:
            ready[u.stop_id] = at_s
    ready.update({n.stop.id: n.time_s for n in events.new_stops})
    vans: list[VanState] = []
    visited: set[str] = set()
    for route in parent.routes:
        van = fleet.van(route.van_id)
        if route.out_of_service_s is not None:  # out of service since an earlier re-plan
            visited.update(v.location_id for v in route.visits if v.kind in ("stop", "failed"))
            out = route.out_of_service_s
            vans.append(VanState(van, route.visits, None, [], out_of_service_s=out, parent=route))
            continue
        delay = delays.get(van.id, 0.0)
        oos = broken.get(van.id)
        cut = oos.time_s if oos else at_s
        h = _history_length(route, cut, delay)
        history = list(route.visits[:h])
        mine: list[str] = []  # failed now (an earlier failure was handled by the parent)
        for k, v in enumerate(history):
            if v.kind == "stop" and v.location_id in failed:
                history[k:] = _failed_from(ctx, history[k:], failed[v.location_id])
                mine.append(v.location_id)
        visited.update(v.location_id for v in history if v.kind in ("stop", "failed"))
        rest, at_depot = _rest(route.visits[h:])
        ready.update(at_depot)
        retry = [s for s in mine if failed[s].retry]
        for s in mine:
            if not failed[s].retry:
                dropped[s] = NOT_RETRIED.format(failed[s].reason)
        if oos is not None:
            for kind, loc in rest:
                if kind == "stop":
                    ready[loc] = oos.parcels_at_depot_s
            for s in retry:
                ready[s] = oos.parcels_at_depot_s
            # kept even before it left (a start only): a van without a route would be idle
            # in the next re-plan
            vans.append(
                VanState(van, tuple(history), None, [], out_of_service_s=oos.time_s, parent=route)
            )
            continue
        if route.visits[0].departure_s + delay > cut:  # not left: parcels still at the depot
            first = route.visits[0]
            origin = Origin(van.depot_id, first.departure_s + delay, first.energy_wh)
            vans.append(VanState(van, (), origin, rest, parent=route, new_start=True))
            continue
        carried = [s for s in mine if not failed[s].retry] + _given_up(route, mine)
        state = VanState(van, tuple(history), None, rest, retry, carried, parent=route)
        state.origin = _origin(ctx, state, route, h, delay, cut, positions.get(van.id))
        vans.append(state)
    for f in events.failed:
        if f.stop_id not in visited:
            raise events.error(
                f"stop {f.stop_id} was not visited by {format_hhmm(at_s)} in the plan",
                f"{f.field}.stop_id",
            )
    used = {r.van_id for r in parent.routes}
    for van in fleet.vans:
        if van.id not in used and van.id not in broken:
            vans.append(_idle(ctx, van, at_s))
    return DayState(vans, ready, dropped)


def _rest(visits: tuple[Visit, ...]) -> tuple[Seq, dict[str, float]]:
    """The van's own stops and charge stops still to do, and the stops of its later trips.

    Parcels for a trip after a ``reload`` that has not begun are still at the depot (by that
    reload at the latest): any van may take them.
    """
    own: Seq = []
    at_depot: dict[str, float] = {}
    reload_s: float | None = None
    for v in visits:
        if v.kind == "reload":
            reload_s = v.start_s if reload_s is None else reload_s
        elif v.kind == "stop" and reload_s is not None:
            at_depot[v.location_id] = reload_s
        elif v.kind in ("stop", "charge"):
            own.append((v.kind, v.location_id))
    return own, at_depot


def _given_up(route: Route, now: list[str]) -> list[str]:
    """Parcels of deliveries that failed before the parent was made, not retried: on board."""
    retried = set(route.stop_ids)
    return [
        v.location_id
        for v in route.visits
        if v.kind == "failed" and v.location_id not in retried and v.location_id not in now
    ]


def _not_at_depot(reason: str) -> bool:
    """A parent's unassigned stop whose parcel is on a van or was given up, not at the depot."""
    failed = NOT_RETRIED.split("{}")
    return reason == NO_TIME_ON_BOARD or (
        reason.startswith(failed[0]) and reason.endswith(failed[1])
    )


def _history_length(route: Route, cut_s: float, delay_s: float) -> int:
    """Visits that had begun by ``cut_s``: the start once the van has left, then each visit."""
    v = route.visits
    if v[0].departure_s + delay_s > cut_s:
        return 1
    h = 1
    while h < len(v) - 1 and v[h].start_s + delay_s <= cut_s:
        h += 1
    return h


def _failed_from(ctx: Context, visits: list[Visit], event: StopFailed) -> list[Visit]:
    """The failed visit and, after it, the parcel still on board in every later visit."""
    stop = ctx.stops[event.stop_id]
    out = [dataclasses.replace(visits[0], kind="failed")]
    for v in visits[1:]:
        out.append(
            dataclasses.replace(
                v, load_kg=v.load_kg + stop.weight_kg, load_m3=v.load_m3 + stop.volume_m3
            )
        )
    return out


def _origin(
    ctx: Context,
    state: VanState,
    route: Route,
    h: int,
    delay_s: float,
    cut_s: float,
    pos: VanPosition | None,
) -> Origin:
    """Where the van goes on from: the place it is at or drives to, when, with what energy."""
    last, nxt = route.visits[h - 1], route.visits[h]
    if last.departure_s + delay_s > cut_s:  # still serving, charging, or not yet left
        loc, floor_s = last.location_id, last.departure_s + delay_s
        time_s, energy_wh = floor_s, nxt.energy_wh + nxt.energy_from_prev_wh
    else:  # on the road: committed to the place it drives to
        loc, floor_s = nxt.location_id, max(last.departure_s + delay_s, cut_s)
        time_s, energy_wh = max(nxt.arrival_s + delay_s, cut_s), nxt.energy_wh
    if pos is not None:
        time_s, energy_wh = _from_position(ctx, state, pos, loc)
        time_s = max(time_s, floor_s)
    carried = [ctx.stops[s] for s in state.carried]
    return Origin(
        loc,
        time_s,
        energy_wh,
        carried_kg=sum(s.weight_kg for s in carried),
        carried_m3=sum(s.volume_m3 for s in carried),
    )


def _from_position(
    ctx: Context, state: VanState, pos: VanPosition, loc: str
) -> tuple[float, float]:
    """Arrival and energy at ``loc`` driving from the reported position with what is on board."""
    vt = ctx.scenario.fleet.type_of(state.van)
    if loc not in ctx.positions:
        raise InvalidInput(f"the plan names {loc!r}, which is not a place of the scenario")
    lat, lon = ctx.positions[loc]
    params = TravelParams()
    dist = float(haversine_m(pos.lat, pos.lon, lat, lon)) * params.detour_factor
    dur = float(duration_at(dist, pos.time_s, params))
    on_board = [ctx.stops[s] for kind, s in state.own if kind == "stop"]
    on_board += [ctx.stops[s] for s in [*state.retry, *state.carried]]
    leg = energy.leg_energy_wh(
        vt.consumption,
        distance_m=dist,
        duration_s=dur,
        mass_kg=energy.vehicle_mass_kg(vt, sum(s.weight_kg for s in on_board)),
        ambient_c=ctx.scenario.fleet.ambient_c,
    )
    return pos.time_s + dur, pos.soc * vt.battery_wh - leg


def _idle(ctx: Context, van: Van, at_s: float) -> VanState:
    """A van without a route in the parent: it may start a trip from the depot now."""
    fleet = ctx.scenario.fleet
    depot = fleet.depot(van.depot_id)
    t = max(at_s, van.shift.start_s, depot.opening.start_s)
    origin = Origin(depot.id, t, van.start_soc * fleet.type_of(van).battery_wh)
    return VanState(van, (), origin, [], new_start=True)
