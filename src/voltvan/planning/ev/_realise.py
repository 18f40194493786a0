"""Charging stops for PyVRP's routes, and what to do with a route that no plan saves.

PyVRP plans on a relaxation that only prices charging, so some of its routes cannot be made
feasible by any charging plan. Such a route first sheds one or two clients, which the local
search places elsewhere; only if that fails is it cut into feasible pieces, which costs vans.
"""

from __future__ import annotations

from voltvan.planning.ev._charging import ChargingPlanner, RouteEval
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._pyvrp import RelaxedRoute


def realise(
    planners: list[ChargingPlanner],
    routes: tuple[RelaxedRoute, ...],
    deadline: Deadline | None = None,
) -> tuple[list[tuple[int, list[int], RouteEval]], list[int], list[int], int]:
    """Charging stops for every relaxed route.

    A failing route first sheds one or two clients (to be placed elsewhere by the local search);
    only if that does not save it is it split. Returns (routes, unassigned, shed, failures).
    """
    out: list[tuple[int, list[int], RouteEval]] = []
    unassigned: list[int] = []
    shed: list[int] = []
    failed = 0
    for route in routes:
        planner = planners[route.vehicle_type]
        ev = planner.evaluate(route.clients)
        if ev.is_feasible:
            out.append((route.vehicle_type, list(route.clients), ev))
            continue
        failed += 1
        trimmed = _trim(planner, list(route.clients), deadline)
        if trimmed is not None:
            kept, kept_ev, removed = trimmed
            out.append((route.vehicle_type, kept, kept_ev))
            shed.extend(removed)
            continue
        pieces, dropped = _split(planner, route.clients)
        out.extend((route.vehicle_type, _clients(planner, p), p) for p in pieces)
        unassigned.extend(dropped)
    return out, unassigned, shed, failed


def _trim(
    planner: ChargingPlanner, clients: list[int], deadline: Deadline | None = None
) -> tuple[list[int], RouteEval, list[int]] | None:
    """The shortest feasible route left after removing one client, else two; None if neither.

    Each try is a labelling, a third of a second on a long route past a depot with a hundred
    chargers: removing one client is already seconds, removing two is quadratic (a 160-stop route:
    12,720 labellings). So the deadline is asked before each client tried, at both depths: past
    it, the best found so far is kept, or the caller splits the route instead (linear).
    """
    for depth in (1, 2):
        if depth == 2 and deadline is not None and deadline.expired():
            return None
        best: tuple[list[int], RouteEval, list[int]] | None = None
        for i in range(len(clients)):
            if i > 0 and deadline is not None and deadline.expired():
                if depth == 1 and best is None:
                    return None
                break
            for j in range(i + 1, len(clients)) if depth == 2 else (None,):
                gone = [clients[i]] if j is None else [clients[i], clients[j]]
                rest = [c for c in clients if c not in gone]
                if not rest:
                    continue
                ev = planner.evaluate(rest)
                if ev.is_feasible and (best is None or ev.distance < best[1].distance):
                    best = (rest, ev, gone)
        if best is not None:
            return best
    return None


def _clients(planner: ChargingPlanner, ev: RouteEval) -> list[int]:
    return [n for n in ev.visits if not planner.inst.is_station(n)]


def _split(planner: ChargingPlanner, clients: tuple[int, ...]) -> tuple[list[RouteEval], list[int]]:
    """Cut a sequence into the longest feasible runs; clients no van can serve drop out."""
    pieces: list[RouteEval] = []
    dropped: list[int] = []
    start = 0
    while start < len(clients):
        last_ok: RouteEval | None = None
        end = start
        while end < len(clients):
            ev = planner.evaluate(clients[start : end + 1])
            if not ev.is_feasible:
                break
            last_ok = ev
            end += 1
        if last_ok is None:
            dropped.append(clients[start])
            start += 1
        else:
            pieces.append(last_ok)
            start = end
    return pieces, dropped
