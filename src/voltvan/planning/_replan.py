"""``replan``: from the state of the day at a given time, re-plan what is left as a new version.

The state comes from the parent plan and the events (:mod:`._replan_state`); what is left is fitted
into the vans' remaining routes with as few changes as possible (:mod:`._replan_insert`); the new
plan keeps every van's history visit for visit, marks where it resumes, and says in
``stats.replan`` how many stops moved to another van and how many changed position
(:mod:`._replan_metrics`). New urgent stops make a new scenario (the old one plus them), which
the new plan must be checked against.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.plan import Parent, Plan, Route, Unassigned
from voltvan.planning._context import Context
from voltvan.planning._events import Events
from voltvan.planning._planner import MATRIX_DEPART_S
from voltvan.planning._reasons import NO_CAPACITY
from voltvan.planning._replan_insert import Work, carry, place_depot_parcel, place_own, settle
from voltvan.planning._replan_metrics import ReplanCounts, count_changes
from voltvan.planning._replan_state import NO_TIME_ON_BOARD, VanState, day_state
from voltvan.planning._timeline import time_route
from voltvan.travel import build_matrices


@dataclass(frozen=True)
class Replan:
    """The new plan, the scenario it must be checked against, and what changed."""

    plan: Plan
    scenario: Scenario
    counts: ReplanCounts


def replan(scenario: Scenario, parent: Plan, at_s: float, events: Events | None = None) -> Replan:
    """Re-plan the rest of the day from ``at_s``; ``events`` override "all went to plan"."""
    t0 = time.perf_counter()
    events = events or Events()
    day = _with_new_stops(scenario, events)
    depart_s = float(parent.stats.get("matrix_depart_s", MATRIX_DEPART_S))
    ctx = Context.of(day, build_matrices(day, depart_s=depart_s))
    state = day_state(ctx, parent, at_s, events)
    ready = dict(state.depot_parcels)
    unassigned: dict[str, str] = dict(state.dropped)
    works: dict[str, Work] = {}
    for v in state.vans:
        if v.origin is None:
            continue
        origin = dataclasses.replace(v.origin, ready_s=ready)
        for s in v.retry:
            origin = carry(ctx, origin, s, +1)
        work, back = settle(ctx, v.van, origin, v.own)
        for s in v.retry:
            if not place_own(ctx, work, s):
                back.append(s)
        if v.new_start:  # not loaded yet: what does not fit stays at the depot for others
            for s in back:
                work.origin = carry(ctx, work.origin, s, -1)
                ready[s] = at_s
            work.timed = time_route(ctx, v.van, work.seq(), work.origin)
        else:
            unassigned.update(dict.fromkeys(back, NO_TIME_ON_BOARD))
        works[v.van.id] = work
    order = sorted(ready, key=lambda s: (ctx.stops[s].latest_s, ctx.stops[s].id))
    active = list(works.values())
    left = [s for s in order if place_depot_parcel(ctx, active, s) is None]
    # A second chance for what the cheap first pass left: every position on every van's trip,
    # again while any stop finds a place (one placed can make room for none, but order matters).
    while left:
        placed = [s for s in left if place_depot_parcel(ctx, active, s, limit=None) is not None]
        left = [s for s in left if s not in placed]
        if not placed:
            break
    for s in left:
        unassigned[s] = _reason(parent, s)
    routes = [_route(ctx, v, works.get(v.van.id)) for v in state.vans]
    plan_routes = tuple(r for r in routes if r is not None)
    counts = count_changes(parent, plan_routes)
    stats: dict[str, Any] = {
        "matrix_depart_s": depart_s,
        "planning_time_s": time.perf_counter() - t0,
        "replan": dataclasses.asdict(counts),
    }
    stop_order = {s.id: k for k, s in enumerate(day.stops)}
    plan = Plan(
        scenario=day.name,
        routes=plan_routes,
        unassigned=tuple(
            Unassigned(s, r) for s, r in sorted(unassigned.items(), key=lambda x: stop_order[x[0]])
        ),
        stats=stats,
        revision=parent.revision + 1,
        parent=Parent(revision=parent.revision, replanned_at_s=at_s),
    )
    return Replan(plan, day, counts)


def _with_new_stops(scenario: Scenario, events: Events) -> Scenario:
    if not events.new_stops:
        return scenario
    if scenario.matrix is not None:
        raise events.error(
            "new stops cannot be added to a scenario with a road matrix (no distances to them)",
            f"{events.new_stops[0].field}.stop",
        )
    try:
        return Scenario(
            fleet=scenario.fleet,
            stops=scenario.stops + tuple(n.stop for n in events.new_stops),
            name=scenario.name,
        )
    except InvalidInput as exc:
        raise exc.at(file=events.source) from None


def _reason(parent: Plan, stop_id: str) -> str:
    """A stop that was unassigned keeps its reason; any other could not be fitted in."""
    for u in parent.unassigned:
        if u.stop_id == stop_id:
            return u.reason
    return NO_CAPACITY


def _route(ctx: Context, state: VanState, work: Work | None) -> Route | None:
    """History plus the re-planned remainder, as one route of the new plan.

    A van starting afresh gets its route as replayed (None when it has nothing to do). A van that
    had left keeps the parent's ``energy_needed_wh``: its depot charge is behind it. A van out of
    service in the parent keeps its route as it was.
    """
    vt = ctx.scenario.fleet.type_of(state.van)
    if state.new_start:
        assert work is not None
        route = work.timed.route
        if not route.stop_ids:
            return None
        first = dataclasses.replace(route.visits[0], kind="start")
        return dataclasses.replace(route, visits=(first, *route.visits[1:]))
    assert state.parent is not None
    if state.parent.out_of_service_s is not None:  # out of service since an earlier re-plan
        return state.parent
    history = state.history
    visits = history if work is None else (*history, *work.timed.route.visits)
    until = work.timed.route.visits[0] if work is not None else history[-1]
    used = history[0].energy_wh - until.energy_wh + sum(v.charge_wh for v in history)
    return Route(
        van_id=state.van.id,
        vehicle_type_id=vt.id,
        depot_id=state.van.depot_id,
        visits=tuple(visits),
        distance_m=sum(v.distance_from_prev_m for v in visits),
        energy_wh=used + (work.timed.route.energy_wh if work is not None else 0.0),
        charged_wh=sum(v.charge_wh for v in visits),
        energy_needed_wh=state.parent.energy_needed_wh,
        out_of_service_s=state.out_of_service_s,
    )


__all__ = ["Replan", "replan"]
