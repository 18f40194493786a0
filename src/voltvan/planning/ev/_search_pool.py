"""Placing clients into the routes through an ejection pool (Nagata and Braysy's EAMA idea).

Clients that have no route yet (those PyVRP left out, those shed by a failing route, those of a
route being emptied, those removed by a ruin) go to a pool. Each takes its cheapest feasible place
near its neighbours; where there is none, it ejects the least troublesome client of a route, who
goes back to the pool. Route elimination (:mod:`._search_moves`, :mod:`._search_reduce`) and ruin
and recreate (:mod:`._search`) are built on this.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from voltvan.planning.ev._charging import RouteEval
from voltvan.planning.ev._search_state import SearchState


class PoolInsertion(SearchState):
    """Insertion and ejection of pooled clients on top of the route state."""

    def _move_route(
        self, r: int, pool: list[int], insert: Callable[..., bool], max_steps: int
    ) -> bool:
        """Put route ``r``'s clients (``pool``, in the order to try) into the other routes with
        ``insert``; commit and drop the emptied route only if all of them found a place."""
        routes = [list(s) for s in self.routes]
        evals = list(self.evals)
        routes[r] = []
        if not insert(pool, routes, evals, exclude=r, max_steps=max_steps):
            return False
        self.routes, self.evals = routes, evals
        self._drop_empty()
        return True

    def _insert_pool(
        self,
        pool: list[int],
        routes: list[list[int]],
        evals: list[RouteEval],
        *,
        exclude: int,
        max_steps: int,
    ) -> bool:
        """Insert every pooled client; where none fits, eject one (Nagata and Braysy's EAMA idea).

        A client that failed to fit gains a penalty; ejections prefer clients with few failures,
        so hard clients get placed first and easy ones are moved around them. ``routes`` and
        ``evals`` are changed in place; on failure the pool keeps the clients still out.
        """
        failures: dict[int, int] = {}
        steps = 0
        while pool:
            if steps >= max_steps or self._out_of_time():
                return False
            u = pool.pop()
            found = self._best_insertion(u, routes, evals, exclude=exclude)
            if found is not None:
                t, cand, ev = found
                routes[t], evals[t] = cand, ev
                continue
            steps += 1
            failures[u] = failures.get(u, 0) + 1
            swap = self._best_ejection(u, routes, evals, exclude, failures)
            if swap is None:
                pool.append(u)
                return False
            t, cand, ev, w = swap
            routes[t], evals[t] = cand, ev
            pool.insert(0, w)
        return True

    def _best_ejection(
        self,
        u: int,
        routes: list[list[int]],
        evals: list[RouteEval],
        exclude: int,
        failures: dict[int, int],
        positions: int | None = 2,
    ) -> tuple[int, list[int], RouteEval, int] | None:
        best: tuple[tuple[int, float], int, list[int], RouteEval, int] | None = None
        for t in self._targets(u, routes, exclude):
            seq = routes[t]
            vt = self.vtypes[t]
            for at in self._positions(vt, seq, u)[:positions]:
                with_u = [*seq[:at], u, *seq[at:]]
                for w in seq:
                    if best is not None and failures.get(w, 0) > best[0][0]:
                        continue
                    cand = [x for x in with_u if x != w]
                    ev = self._eval(vt, cand)
                    if ev is None:
                        continue
                    key = (failures.get(w, 0), ev.distance - evals[t].distance)
                    if best is None or key < best[0]:
                        best = (key, t, cand, ev, w)
        return None if best is None else best[1:]

    def _targets(self, u: int, routes: list[list[int]], exclude: int) -> list[int]:
        where = {c: i for i, seq in enumerate(routes) for c in seq}
        found = {where[v] for v in self.neighbours.get(u, []) if v in where}
        found.discard(exclude)
        return sorted(found)

    def _positions(self, v: int, seq: list[int], u: int) -> list[int]:
        """Insertion places of ``u`` in ``seq``, cheapest detour first."""
        depot = self.inst.vehicle_types[v].depot
        path = [depot, *seq, depot]
        a, b = path[:-1], path[1:]
        delta = self.dist[a, u] + self.dist[u, b] - self.dist[a, b]
        return [int(i) for i in np.argsort(delta, kind="stable")]

    def _best_insertion(
        self, u: int, routes: list[list[int]], evals: list[RouteEval], *, exclude: int = -1
    ) -> tuple[int, list[int], RouteEval] | None:
        """The cheapest feasible place for ``u`` in the routes holding its neighbours."""
        best: tuple[float, int, list[int], RouteEval] | None = None
        for t in self._targets(u, routes, exclude):
            seq = routes[t]
            base = evals[t].distance
            vt = self.vtypes[t]
            for at in self._positions(vt, seq, u)[:4]:
                cand = [*seq[:at], u, *seq[at:]]
                if best is not None and self._plain(vt, cand) - base >= best[0]:
                    break
                ev = self._eval(vt, cand)
                if ev is not None and (best is None or ev.distance - base < best[0]):
                    best = (ev.distance - base, t, cand, ev)
                    break
        return None if best is None else best[1:]

    def insert_all(self, clients: list[int], vehicle_type: int = 0) -> list[int]:
        """Put the clients into the routes (ejecting others if need be), else on new routes.

        Returns the clients that not even a route of their own can serve. Past the deadline a
        client still out gets a route of its own straight away: trying its places in long routes
        costs a labelling each (seconds for a hundred clients), a route of one costs almost
        nothing, and the caller decides what to do with routes beyond its fleet.
        """
        pool = list(clients)
        routes = [list(s) for s in self.routes]
        evals = list(self.evals)
        # on failure the routes are still all feasible and the pool holds the clients still out
        self._insert_pool(pool, routes, evals, exclude=-1, max_steps=10 * len(pool))
        self.routes, self.evals = routes, evals
        rest: list[int] = []
        for u in pool:
            found = (
                None if self._out_of_time() else self._best_insertion(u, self.routes, self.evals)
            )
            if found is not None:
                t, cand, ev = found
                self.routes[t] = cand
                self.evals[t] = ev
                continue
            ev_new = self._eval(vehicle_type, [u])
            if ev_new is None:
                rest.append(u)
                continue
            self.routes.append([u])
            self.vtypes.append(vehicle_type)
            self.evals.append(ev_new)
        return rest
