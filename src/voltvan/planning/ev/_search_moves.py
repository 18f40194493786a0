"""The neighbourhoods of the EV local search: relocate, swap and 2-opt* between neighbouring
clients, moves and reversals inside a route, and the short elimination of whole routes.

Each move is proposed to the route state (:mod:`._search_state`), which judges it with its
charging stops; :meth:`NeighbourMoves.run` repeats passes over all clients, in a random order,
until none improves (or the deadline).
"""

from __future__ import annotations

from collections.abc import Callable

from voltvan.planning.ev._search_pool import PoolInsertion


class NeighbourMoves(PoolInsertion):
    """Best-neighbour passes of improving moves, each committed as soon as it is found."""

    def run(self, on_pass: Callable[[], None] | None = None) -> None:
        """Best-neighbour passes until a local optimum (or the deadline)."""
        improved = True
        while improved and not self._out_of_time():
            improved = self._pass()
            if self.fleet_weight > 0 and not self._out_of_time():
                improved = self._eliminate_routes() or improved
            if on_pass is not None:
                on_pass()

    def _pass(self) -> bool:
        improved = False
        clients = [c for seq in self.routes for c in seq]
        self.rng.shuffle(clients)
        for u in clients:
            if self._out_of_time():
                break
            where = self._where()
            for v in self.neighbours.get(u, []):
                if u not in where or v not in where:
                    continue
                if self._moves(u, v, where):
                    improved = True
                    break
        for r in range(len(self.routes)):
            if self._out_of_time():
                break
            if r < len(self.routes) and self._intra(r):
                improved = True
        return improved

    def _moves(self, u: int, v: int, where: dict[int, tuple[int, int]]) -> bool:
        ru, iu = where[u]
        rv, iv = where[v]
        su, sv = self.routes[ru], self.routes[rv]
        if ru != rv:
            # relocate u after v, and before v
            for at in (iv + 1, iv):
                new_u = su[:iu] + su[iu + 1 :]
                new_v = [*sv[:at], u, *sv[at:]]
                if self._try([(ru, new_u), (rv, new_v)]):
                    return True
            # swap u and v
            new_u = [*su[:iu], v, *su[iu + 1 :]]
            new_v = [*sv[:iv], u, *sv[iv + 1 :]]
            if self._try([(ru, new_u), (rv, new_v)]):
                return True
            # 2-opt*: tails after u and after v exchanged, and u joined before v
            if self._try([(ru, su[: iu + 1] + sv[iv + 1 :]), (rv, sv[: iv + 1] + su[iu + 1 :])]):
                return True
            return self._try([(ru, su[:iu] + sv[iv:]), (rv, sv[:iv] + su[iu:])])
        # same route: move u next to v
        seq = su[:iu] + su[iu + 1 :]
        jv = seq.index(v)
        for at in (jv + 1, jv):
            cand = [*seq[:at], u, *seq[at:]]
            if cand != su and self._try([(ru, cand)]):
                return True
        return False

    def _intra(self, r: int) -> bool:
        """Inside one route: move every client to every place, and reverse every segment."""
        seq = self.routes[r]
        n = len(seq)
        for i in range(n):
            rest = seq[:i] + seq[i + 1 :]
            for at in range(n):
                cand = [*rest[:at], seq[i], *rest[at:]]
                if at != i and self._try([(r, cand)]):
                    return True
        for i in range(n - 1):
            for j in range(i + 1, n):
                cand = seq[:i] + seq[i : j + 1][::-1] + seq[j + 1 :]
                if self._try([(r, cand)]):
                    return True
        return False

    def _eliminate_routes(self) -> bool:
        """Try to empty the shortest routes by moving each client to its best feasible place."""
        order = sorted(range(len(self.routes)), key=lambda r: len(self.routes[r]))
        for r in order[:3]:
            if self._out_of_time():
                return False
            if self._empty_route(r):
                return True
        return False

    def _empty_route(self, r: int) -> bool:
        pool = list(self.routes[r])
        return self._move_route(r, pool, self._insert_pool, 20 + 4 * len(pool))
