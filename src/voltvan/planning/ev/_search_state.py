"""The routes a local search works on, their costs, and the cheap bounds that spare the labelling.

Every move of the EV local search is judged with its charging stops, which costs a labelling
(:mod:`._charging`) per candidate sequence. Most candidates can be refused for much less: the plain
distance of a sequence is a lower bound of its distance with stops (triangle inequality), a
sequence over capacity stays so, and a sequence late without any stop is late with stops. This
module holds the routes and those bounds, and commits a change only if it is feasible and cheaper;
the neighbourhoods built on it (:mod:`._search_pool`, :mod:`._search_moves`,
:mod:`._search_reduce`) only propose sequences.
"""

from __future__ import annotations

import numpy as np

from voltvan.planning.ev._charging import ChargingPlanner, RouteEval
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._model import EvInstance

COST_EPS = 1e-7  # a change must save more than this to count as cheaper
_NEIGHBOURS = 12


class SearchState:
    """The routes being improved, with their van types and charging plans; ``fleet_weight``
    prices one vehicle for fleet-first."""

    def __init__(
        self,
        instance: EvInstance,
        planners: list[ChargingPlanner],
        *,
        seed: int,
        deadline: Deadline | None,
        fleet_weight: float,
    ) -> None:
        self.inst = instance
        self.planners = planners
        self.rng = np.random.default_rng(seed)
        self.deadline = deadline
        self.fleet_weight = fleet_weight
        self.dist = np.asarray(instance.distance, dtype=float)
        clients = np.fromiter(instance.clients, dtype=np.int64)
        sub = self.dist[np.ix_(clients, clients)] + self.dist[np.ix_(clients, clients)].T
        np.fill_diagonal(sub, np.inf)
        k = min(_NEIGHBOURS, max(len(clients) - 1, 0))
        order = np.argsort(sub, axis=1)[:, :k]
        self.neighbours = {
            int(c): [int(clients[j]) for j in order[i]] for i, c in enumerate(clients)
        }
        self.routes: list[list[int]] = []
        self.vtypes: list[int] = []
        self.evals: list[RouteEval] = []
        self.evaluations = 0

    # -- state ---------------------------------------------------------------------------------
    def load(self, routes: list[tuple[int, list[int], RouteEval]]) -> None:
        self.routes = [list(r) for _, r, _ in routes]
        self.vtypes = [v for v, _, _ in routes]
        self.evals = [ev for _, _, ev in routes]

    def cost_of(self, v: int, ev: RouteEval) -> float:
        vt = self.inst.vehicle_types[v]
        return (
            self.fleet_weight
            + vt.fixed_cost
            + vt.unit_distance_cost * ev.distance
            + vt.unit_duration_cost * ev.duration_s
        )

    def total_cost(self) -> float:
        return sum(self.cost_of(v, ev) for v, ev in zip(self.vtypes, self.evals, strict=True))

    def _out_of_time(self) -> bool:
        return self.deadline is not None and self.deadline.expired()

    # -- cheap bounds --------------------------------------------------------------------------
    def _plain(self, v: int, seq: list[int]) -> float:
        if not seq:
            return 0.0
        depot = self.inst.vehicle_types[v].depot
        path = [depot, *seq, depot]
        return float(self.dist[path[:-1], path[1:]].sum())

    def _load_ok(self, v: int, seq: list[int]) -> bool:
        if not seq:
            return True
        load = self.inst.demand[seq].sum(axis=0)
        cap = np.asarray(self.inst.vehicle_types[v].capacity) + 1e-9
        return bool(np.all(load <= cap))

    def _time_ok(self, v: int, seq: list[int]) -> bool:
        p = self.planners[v]
        depot = p.vt.depot
        path = [depot, *seq, depot]
        legs = p.dur[path[:-1], path[1:]].tolist()
        late = p.late[seq].tolist()
        early = p.early[seq].tolist()
        service = p.service[seq].tolist()
        t = p.start_time()
        for k in range(len(seq)):
            t += legs[k]
            if t > late[k] + 1e-9:
                return False
            t = max(t, early[k]) + service[k]
        return bool(t + legs[-1] <= p.end_limit() + 1e-9)

    def _lower(self, v: int, seq: list[int]) -> float:
        if not seq:
            return 0.0
        vt = self.inst.vehicle_types[v]
        return self.fleet_weight + vt.fixed_cost + vt.unit_distance_cost * self._plain(v, seq)

    def _eval(self, v: int, seq: list[int]) -> RouteEval | None:
        if not self._load_ok(v, seq) or not self._time_ok(v, seq):
            return None
        self.evaluations += 1
        ev = self.planners[v].evaluate(seq)
        return ev if ev.is_feasible else None

    def _try(self, changes: list[tuple[int, list[int]]]) -> bool:
        """Apply new sequences for some routes if they are all feasible and cost less."""
        old = sum(self.cost_of(self.vtypes[r], self.evals[r]) for r, _ in changes)
        if sum(self._lower(self.vtypes[r], seq) for r, seq in changes) >= old - COST_EPS:
            return False
        new_evals: list[RouteEval | None] = []
        new_cost = 0.0
        for r, seq in changes:
            if not seq:
                new_evals.append(None)
                continue
            ev = self._eval(self.vtypes[r], seq)
            if ev is None:
                return False
            new_cost += self.cost_of(self.vtypes[r], ev)
            if new_cost >= old - COST_EPS:
                return False
            new_evals.append(ev)
        for (r, seq), ev in zip(changes, new_evals, strict=True):
            self.routes[r] = seq
            if ev is not None:
                self.evals[r] = ev
        self._drop_empty()
        return True

    def _drop_empty(self) -> None:
        keep = [i for i, r in enumerate(self.routes) if r]
        self.routes = [self.routes[i] for i in keep]
        self.vtypes = [self.vtypes[i] for i in keep]
        self.evals = [self.evals[i] for i in keep]

    def _where(self) -> dict[int, tuple[int, int]]:
        return {c: (r, i) for r, seq in enumerate(self.routes) for i, c in enumerate(seq)}


def check_bounded(count: int | None, deadline: Deadline | None) -> None:
    """A phase without a count runs until its deadline, so it must have one that ends."""
    if count is None and (deadline is None or not deadline.bounded):
        raise ValueError("give a round count or a deadline")
