"""The one module that imports PyVRP: the capacitated VRP with time windows core of the engine.

PyVRP takes integers only, so this module owns the scaling. Distances and durations are multiplied
by :data:`DISTANCE_SCALE` and :data:`DURATION_SCALE` and rounded. Unit costs and demands are
passed as they are when they are whole numbers (as in every benchmark: PyVRP's penalty manager is
tuned for that), else multiplied by :data:`COST_SCALE` and :data:`DEMAND_SCALE`. Benchmark
distances carry one decimal (DIMACS) or are unrounded Euclidean, so a scale of 1000 keeps rounding
far below what the objective can see.

Charging stations are not part of the PyVRP model: the engine hands PyVRP the depot-and-client
relaxation (with travel times inflated by the expected charging time, see ``_solve``) and inserts
charging stops into the routes PyVRP returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voltvan.planning.ev._model import EvInstance

if TYPE_CHECKING:
    from pyvrp import ProblemData, Solution
    from pyvrp.stop import StoppingCriterion

DISTANCE_SCALE = 1000
DURATION_SCALE = 1000
COST_SCALE = 100
DEMAND_SCALE = 1000
_INT_MAX = np.iinfo(np.int64).max // 4


@dataclass(frozen=True)
class RelaxedRoute:
    """A route of the relaxation: node indices of the EV instance, stations excluded."""

    vehicle_type: int
    clients: tuple[int, ...]


@dataclass(frozen=True)
class RelaxedSolution:
    routes: tuple[RelaxedRoute, ...]
    is_feasible: bool
    iterations: int


def _to_int(value: float, scale: int) -> int:
    if not np.isfinite(value):
        return int(_INT_MAX)
    return round(value * scale)


class RelaxationModel:
    """Builds the PyVRP data of the client relaxation once; re-solves it with other travel times."""

    def __init__(self, instance: EvInstance) -> None:
        self.instance = instance
        n_keep = instance.num_depots + instance.num_clients
        self._n_keep = n_keep
        costs = [
            c
            for vt in instance.vehicle_types
            for c in (vt.unit_distance_cost, vt.unit_duration_cost, vt.fixed_cost)
        ]
        self.cost_scale = 1 if all(float(c).is_integer() for c in costs) else COST_SCALE
        amounts = np.concatenate(
            [np.ravel(instance.demand), [c for vt in instance.vehicle_types for c in vt.capacity]]
        )
        finite = amounts[np.isfinite(amounts)]
        self.demand_scale = 1 if np.all(finite == np.round(finite)) else DEMAND_SCALE
        self._fleet_cost = 0
        if instance.fleet_minimisation:
            longest = float(np.max(instance.distance[:n_keep, :n_keep]))
            self._fleet_cost = _to_int(
                2.0 * longest * max(instance.num_clients, 1) + 1.0, DISTANCE_SCALE * self.cost_scale
            )

    def data(
        self,
        extra_duration_s: np.ndarray | None = None,
        *,
        start_credit_s: float = 0.0,
        max_vehicles: int | None = None,
    ) -> ProblemData:
        """PyVRP ProblemData; ``extra_duration_s`` (n x n) is added to every travel time.

        ``start_credit_s`` shifts every time window but the vans' earliest start later by that
        much: time the van may spend before its clients notice it (the charging time its full
        battery saves when the extra durations price every arc's charging). ``max_vehicles``
        caps the fleet of each type (the fleet-reduction rounds ask for one van less).
        """
        credit = float(start_credit_s)
        import pyvrp

        inst = self.instance
        k = self._n_keep
        dist = np.round(inst.distance[:k, :k] * DISTANCE_SCALE).astype(np.int64)
        dur_s = inst.duration_s[:k, :k]
        if extra_duration_s is not None:
            dur_s = dur_s + extra_duration_s[:k, :k]
        dur = np.round(dur_s * DURATION_SCALE).astype(np.int64)
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        locations = [pyvrp.Location(0.0, 0.0, name=inst.names[i]) for i in range(k)]
        depots = [
            pyvrp.Depot(
                i,
                tw_early=_to_int(inst.tw_early_s[i] + credit, DURATION_SCALE),
                tw_late=_to_int(inst.tw_late_s[i] + credit, DURATION_SCALE),
                service_duration=_to_int(inst.service_s[i], DURATION_SCALE),
                name=inst.names[i],
            )
            for i in range(inst.num_depots)
        ]
        group_of: dict[int, int] = {}
        for g, members in enumerate(inst.groups):
            for node in members:
                group_of[node] = g
        clients = []
        for i in inst.clients:
            demand = [round(float(q) * self.demand_scale) for q in inst.demand[i]]
            clients.append(
                pyvrp.Client(
                    i,
                    delivery=demand,
                    service_duration=_to_int(inst.service_s[i], DURATION_SCALE),
                    tw_early=_to_int(inst.tw_early_s[i] + credit, DURATION_SCALE),
                    tw_late=_to_int(inst.tw_late_s[i] + credit, DURATION_SCALE),
                    required=i not in group_of,
                    group=group_of.get(i),
                    name=inst.names[i],
                )
            )
        groups = [
            pyvrp.ClientGroup([m - inst.num_depots for m in members], required=True)
            for members in inst.groups
        ]
        vehicle_types = [
            pyvrp.VehicleType(
                vt.num_available if max_vehicles is None else min(vt.num_available, max_vehicles),
                capacity=[_to_int(float(c), self.demand_scale) for c in vt.capacity],
                start_depot=vt.depot,
                end_depot=vt.depot,
                fixed_cost=self._fleet_cost
                + _to_int(vt.fixed_cost, DISTANCE_SCALE * self.cost_scale),
                tw_early=_to_int(vt.shift_start_s, DURATION_SCALE),
                tw_late=_to_int(vt.shift_end_s + credit, DURATION_SCALE),
                unit_distance_cost=round(vt.unit_distance_cost * self.cost_scale),
                unit_duration_cost=round(vt.unit_duration_cost * self.cost_scale),
                name=vt.name,
            )
            for vt in inst.vehicle_types
        ]
        return pyvrp.ProblemData(
            locations, clients, depots, vehicle_types, [dist], [dur], groups=groups
        )

    def solve(
        self,
        data: ProblemData,
        *,
        seed: int,
        time_limit_s: float | None,
        max_iterations: int | None,
        initial: Sequence[RelaxedRoute] | None = None,
    ) -> RelaxedSolution:
        """Run PyVRP's iterated local search; at least one of the two limits must be given."""
        import pyvrp
        from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

        criteria: list[StoppingCriterion] = []
        if time_limit_s is not None:
            criteria.append(MaxRuntime(max(time_limit_s, 0.01)))
        if max_iterations is not None:
            criteria.append(MaxIterations(max(max_iterations, 1)))
        if not criteria:
            raise ValueError("give time_limit_s or max_iterations")
        stop = criteria[0] if len(criteria) == 1 else MultipleCriteria(criteria)
        init = None
        if initial:
            fleet = [vt.num_available for vt in data.vehicle_types()]
            keep = sorted(initial, key=lambda r: -len(r.clients))
            used = [0] * len(fleet)
            kept = []
            for route in keep:  # a smaller fleet leaves the smallest routes' clients unplanned
                if used[route.vehicle_type] < fleet[route.vehicle_type]:
                    used[route.vehicle_type] += 1
                    kept.append(route)
            init = self._solution(data, kept)
        result = pyvrp.solve(
            data,
            stop,
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=init,
        )
        best = result.best
        nd = self.instance.num_depots  # PyVRP numbers clients from 0, the engine after the depots
        routes = tuple(
            RelaxedRoute(int(r.vehicle_type()), tuple(nd + int(a.idx) for a in r if a.is_client()))
            for r in best.routes()
        )
        return RelaxedSolution(routes, bool(best.is_feasible()), int(result.num_iterations))

    def _solution(self, data: ProblemData, routes: Sequence[RelaxedRoute]) -> Solution:
        import pyvrp

        nd = self.instance.num_depots
        objs = [
            pyvrp.Route(data, [c - nd for c in r.clients], r.vehicle_type)
            for r in routes
            if r.clients
        ]
        return pyvrp.Solution(data, objs)
