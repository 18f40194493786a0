"""Fleet reduction: empty whole routes, for the one-van-less rounds of the fleet-first objective.

Removing a van is what those rounds are for, and the short route elimination among the neighbour
moves (:mod:`._search_moves`) rarely manages it on tight windows. This is the long search that
does: ejection-pool insertion in the manner of Nagata and Braysy's EAMA (2009), where a dead end
shakes the other routes by random feasible relocations instead of giving up.
"""

from __future__ import annotations

from voltvan.planning.ev._charging import RouteEval
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._search_pool import PoolInsertion
from voltvan.planning.ev._search_state import check_bounded


class FleetReduction(PoolInsertion):
    """Removal of whole routes, for the one-van-less rounds of the fleet-first objective."""

    def reduce_fleet(
        self, *, max_attempts: int | None, max_steps: int = 400, until: Deadline | None = None
    ) -> int:
        """Remove whole routes with a long ejection-pool search; returns the routes removed.

        The short elimination among the neighbour moves gives up after a few ejections, which is
        enough for easy routes but not on tight windows (r103 keeps one van above the
        best-known). Here a route's clients go to the pool, and whenever a client cannot even be
        placed by ejecting one other, the other routes are shaken by random feasible relocations
        (the perturbation of Nagata and Braysy's EAMA) instead of giving up. Makes
        ``max_attempts`` removal attempts (deterministic when they end before the deadline), or
        runs until the deadline when ``max_attempts`` is None; ``until`` is an earlier deadline
        for this phase only, to leave time to polish what it found.
        """
        check_bounded(max_attempts, self.deadline if until is None else until)
        saved = self.deadline
        if until is not None:
            self.deadline = until if saved is None or until.end <= saved.end else saved
        try:
            return self._reduce(max_attempts, max_steps)
        finally:
            self.deadline = saved

    def _reduce(self, max_attempts: int | None, max_steps: int) -> int:
        removed = 0
        attempts = 0
        while len(self.routes) > 1 and not self._out_of_time():
            if max_attempts is not None and attempts >= max_attempts:
                break
            attempts += 1
            order = sorted(
                range(len(self.routes)),
                key=lambda r: len(self.routes[r]) + 3 * self.rng.random(),
            )
            r = order[0]
            pool = [int(c) for c in self.rng.permutation(self.routes[r])]
            if self._move_route(r, pool, self._squeeze_pool, max_steps):
                removed += 1
        return removed

    def _squeeze_pool(
        self,
        pool: list[int],
        routes: list[list[int]],
        evals: list[RouteEval],
        *,
        exclude: int,
        max_steps: int,
    ) -> bool:
        """Like :meth:`_insert_pool`, but a dead end shakes the routes instead of failing."""
        failures: dict[int, int] = {}
        steps = 0
        while pool:
            if steps >= max_steps or self._out_of_time():
                return False
            steps += 1
            u = pool.pop()
            found = self._any_insertion(u, routes, evals, exclude)
            if found is None:
                self._shake(routes, evals, exclude, moves=5)
                found = self._any_insertion(u, routes, evals, exclude)
            if found is not None:
                t, cand, ev = found
                routes[t], evals[t] = cand, ev
                continue
            failures[u] = failures.get(u, 0) + 1
            swap = self._best_ejection(u, routes, evals, exclude, failures, positions=None)
            if swap is None:
                self._shake(routes, evals, exclude, moves=20)
                pool.insert(0, u)
                continue
            t, cand, ev, w = swap
            routes[t], evals[t] = cand, ev
            pool.insert(0, w)
            self._shake(routes, evals, exclude, moves=5)
        return True

    def _any_insertion(
        self, u: int, routes: list[list[int]], evals: list[RouteEval], exclude: int
    ) -> tuple[int, list[int], RouteEval] | None:
        """The cheapest feasible place for ``u`` in any route, every position tried.

        Tight windows often leave only a place far from the cheapest detours, which
        :meth:`_best_insertion` does not look at; the cheap time check keeps this affordable.
        """
        best: tuple[float, int, list[int], RouteEval] | None = None
        for t, seq in enumerate(routes):
            if t == exclude or not seq:
                continue
            vt = self.vtypes[t]
            if not self._load_ok(vt, [*seq, u]):
                continue
            base = evals[t].distance
            for at in self._positions(vt, seq, u):
                cand = [*seq[:at], u, *seq[at:]]
                if best is not None and self._plain(vt, cand) - base >= best[0]:
                    break
                ev = self._eval(vt, cand)
                if ev is not None:
                    best = (ev.distance - base, t, cand, ev)
                    break
        return None if best is None else best[1:]

    def _shake(
        self, routes: list[list[int]], evals: list[RouteEval], exclude: int, *, moves: int
    ) -> None:
        """Random feasible relocations between neighbouring routes, whatever their cost."""
        clients = [c for i, seq in enumerate(routes) if i != exclude for c in seq]
        if len(clients) < 2:
            return
        for _ in range(moves):
            u = int(clients[self.rng.integers(len(clients))])
            where = {c: i for i, seq in enumerate(routes) for c in seq}
            ru = where.get(u)
            nbrs = [v for v in self.neighbours.get(u, []) if where.get(v, ru) != ru]
            if ru is None or not nbrs or len(routes[ru]) < 2:
                continue
            v = nbrs[int(self.rng.integers(len(nbrs)))]
            rv = where[v]
            iv = routes[rv].index(v)
            at = iv + int(self.rng.integers(2))
            new_u = [c for c in routes[ru] if c != u]
            new_v = [*routes[rv][:at], u, *routes[rv][at:]]
            ev_u = self._eval(self.vtypes[ru], new_u)
            if ev_u is None:
                continue
            ev_v = self._eval(self.vtypes[rv], new_v)
            if ev_v is None:
                continue
            routes[ru], evals[ru] = new_u, ev_u
            routes[rv], evals[rv] = new_v, ev_v
