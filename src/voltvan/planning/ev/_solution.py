"""From routes with charging stops to an :class:`EvSolution`, and back to PyVRP's routes.

Each round of the search loop ends with routes and their charging plans; they become a solution
with its cost and feasibility (capacity, fleet size, every client served), solutions of different
rounds are ranked, and the best one seeds the next round's PyVRP run without its stations.
"""

from __future__ import annotations

import numpy as np

from voltvan.planning.ev._charging import RouteEval
from voltvan.planning.ev._model import EvInstance, EvRoute, EvSolution
from voltvan.planning.ev._pyvrp import RelaxedRoute


def assemble(
    instance: EvInstance, routes: list[tuple[int, RouteEval]], unassigned: list[int]
) -> EvSolution:
    """One round's routes as a solution, feasible only if every route fits its van, the fleet
    has enough vans and every client (or one of each group) is served."""
    ev_routes: list[EvRoute] = []
    cost = 0.0
    distance = 0.0
    used = [0] * len(instance.vehicle_types)
    capacity_ok = True
    for v, ev in routes:
        vt = instance.vehicle_types[v]
        used[v] += 1
        ev_routes.append(EvRoute(v, ev.visits, ev.charge_wh))
        distance += ev.distance
        cost += vt.fixed_cost + vt.unit_distance_cost * ev.distance
        cost += vt.unit_duration_cost * ev.duration_s
        load = instance.demand[[n for n in ev.visits if not instance.is_station(n)]].sum(axis=0)
        if np.any(load > np.asarray(vt.capacity) + 1e-9):
            capacity_ok = False
    fleet_ok = all(
        u <= vt.num_available for u, vt in zip(used, instance.vehicle_types, strict=True)
    )
    served = {n for r in ev_routes for n in r.visits}
    in_group = {n for g in instance.groups for n in g}
    missing = [c for c in instance.clients if c not in served and c not in in_group]
    missing += [g[0] for g in instance.groups if not served.intersection(g)]
    unassigned_all = tuple(sorted(set(unassigned) | set(missing)))
    feasible = capacity_ok and fleet_ok and not unassigned_all
    return EvSolution(tuple(ev_routes), unassigned_all, cost, distance, feasible, {})


def solution_key(instance: EvInstance, sol: EvSolution) -> tuple[float, ...]:
    """Which of two solutions is better: feasible first, then fewer clients left out, then fewer
    vans (under the fleet-first objective only), then the cost."""
    vehicles = float(len(sol.routes)) if instance.fleet_minimisation else 0.0
    return (0.0 if sol.is_feasible else 1.0, float(len(sol.unassigned)), vehicles, sol.cost)


def relaxed_routes(instance: EvInstance, solution: EvSolution) -> tuple[RelaxedRoute, ...]:
    """The solution's routes without their charging stops, to seed PyVRP."""
    return tuple(
        RelaxedRoute(r.vehicle_type, tuple(n for n in r.visits if not instance.is_station(n)))
        for r in solution.routes
    )
