"""Give stops that the search or the repair left out a second chance before calling them unserved.

A stop is put where it adds the least distance among the cheapest few positions over all routes
(ranked by the matrix detour ``d(a,s) + d(s,b) - d(a,b)``), each candidate replayed with the full
model; failing that, an idle van gets a new route. Only when every candidate breaks a rule does
the stop stay unassigned ("no capacity left in the fleet") — a claim the planner can then back.
On a crowded day each replay is a whole route through the energy model, so the second chances
stop at the run's deadline; the stops not tried by then are returned apart and named for it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from voltvan.domain import Van
from voltvan.plan import Route, VisitKind
from voltvan.planning._context import Context
from voltvan.planning._timeline import time_route
from voltvan.planning.ev import Deadline

MAX_CANDIDATES = 8
"""Positions replayed per stop (the cheapest by detour); bounds the work on big days."""
MAX_STOPS = 300
"""Stops given a second chance per plan; the rest stay unassigned without the extra search."""

Seq = list[tuple[VisitKind, str]]


def reinsert(
    ctx: Context,
    routes: list[Route],
    stop_ids: Sequence[str],
    idle_vans: Sequence[Van],
    deadline: Deadline | None = None,
) -> tuple[list[Route], list[str], list[str]]:
    """Routes with as many of ``stop_ids`` inserted as fit, the stops that did not, and those
    not tried because ``deadline`` had passed."""
    routes = list(routes)
    idle = list(idle_vans)
    left: list[str] = []
    untried: list[str] = []
    for n, sid in enumerate(stop_ids):
        if deadline is not None and deadline.expired():
            untried.append(sid)
        elif n >= MAX_STOPS or not _place(ctx, routes, idle, sid):
            left.append(sid)
    return routes, left, untried


def _place(ctx: Context, routes: list[Route], idle: list[Van], sid: str) -> bool:
    fleet = ctx.scenario.fleet
    stop = ctx.stops[sid]
    dist = ctx.matrices.distance_m
    s = ctx.row[sid]
    heap: list[tuple[float, int, int]] = []
    for ri, r in enumerate(routes):
        vt = fleet.vehicle_type(r.vehicle_type_id)
        if (
            r.visits[0].load_kg + stop.weight_kg > vt.payload_kg
            or r.visits[0].load_m3 + stop.volume_m3 > vt.volume_m3
        ):
            continue
        for pos in range(len(r.visits) - 1):
            a, b = ctx.row[r.visits[pos].location_id], ctx.row[r.visits[pos + 1].location_id]
            detour = float(dist[a, s] + dist[s, b] - dist[a, b])
            item = (-detour, ri, pos)
            if len(heap) < MAX_CANDIDATES:
                heapq.heappush(heap, item)
            elif item > heap[0]:
                heapq.heapreplace(heap, item)
    for _, ri, pos in sorted(heap, reverse=True):
        r = routes[ri]
        seq: Seq = [(v.kind, v.location_id) for v in r.visits[1:-1]]
        trial = time_route(ctx, fleet.van(r.van_id), [*seq[:pos], ("stop", sid), *seq[pos:]])
        if not trial.issues:
            routes[ri] = trial.route
            return True
    tried: set[tuple[str, str, float, float, float]] = set()
    for k, van in enumerate(idle):
        key = (van.type_id, van.depot_id, van.shift.start_s, van.shift.end_s, van.start_soc)
        if key in tried:
            continue
        tried.add(key)
        trial = time_route(ctx, van, [("stop", sid)])
        if not trial.issues:
            routes.append(trial.route)
            del idle[k]
            return True
    return False
