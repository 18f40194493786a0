"""Local search on EV routes: every move is judged with its charging stops in place.

PyVRP optimises the relaxation without stations, so it cannot see that one order needs a long
detour to a charger while another passes one on the way. This search closes that gap with moves
evaluated by the charging-stop labelling of :mod:`._charging`. :class:`EvLocalSearch` is what the
rounds of :mod:`._solve` drive: the neighbour moves (:mod:`._search_moves`) to a local optimum,
route removal (:mod:`._search_reduce`), the placement of clients left out
(:mod:`._search_pool`), and ruin and recreate to leave a local optimum, which is here because it
needs both the pool and the moves.
"""

from __future__ import annotations

from voltvan.planning.ev._charging import RouteEval
from voltvan.planning.ev._search_moves import NeighbourMoves
from voltvan.planning.ev._search_reduce import FleetReduction
from voltvan.planning.ev._search_state import COST_EPS, check_bounded


class EvLocalSearch(NeighbourMoves, FleetReduction):
    """Improves a set of routes in place; ``fleet_weight`` prices one vehicle for fleet-first."""

    def perturb(self, *, max_rounds: int | None, removed: int = 8) -> int:
        """Ruin and recreate around a random client; keep what costs less. Returns improvements.

        Runs ``max_rounds`` rounds (deterministic when they end before the deadline), or until the
        deadline when ``max_rounds`` is None. Removal takes a client and its nearest neighbours;
        reinsertion uses the ejection pool.
        """
        check_bounded(max_rounds, self.deadline)
        better = 0
        done = 0
        while not self._out_of_time() and (max_rounds is None or done < max_rounds):
            done += 1
            clients = [c for seq in self.routes for c in seq]
            if len(clients) < 2:
                break
            seed = int(clients[self.rng.integers(len(clients))])
            gone = [seed, *self.neighbours.get(seed, [])[: removed - 1]]
            routes = [[c for c in seq if c not in gone] for seq in self.routes]
            evals: list[RouteEval] = []
            ok = True
            for v, seq, old_seq, old_ev in zip(
                self.vtypes, routes, self.routes, self.evals, strict=True
            ):
                if seq == old_seq or not seq:
                    evals.append(old_ev)
                    continue
                ev = self._eval(v, seq)
                if ev is None:  # removing clients can break a window chain (rare): skip
                    ok = False
                    break
                evals.append(ev)
            if not ok:
                continue
            pool = list(self.rng.permutation(gone))
            pool = [int(c) for c in pool]
            if not self._insert_pool(pool, routes, evals, exclude=-1, max_steps=3 * removed):
                continue
            before = self.total_cost()
            saved = (self.routes, self.vtypes, self.evals)
            self.routes, self.evals = routes, evals
            self.vtypes = list(self.vtypes)
            self._drop_empty()
            if self.total_cost() < before - COST_EPS:
                better += 1
                self.run()
            else:
                self.routes, self.vtypes, self.evals = saved
        return better
