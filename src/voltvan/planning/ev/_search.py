"""Local search on EV routes: every move is judged with its charging stops in place.

PyVRP optimises the relaxation without stations, so it cannot see that one order needs a long
detour to a charger while another passes one on the way. This search closes that gap: moves
(relocate, swap, 2-opt*, route elimination) between the nearest neighbours are evaluated with the
charging-stop labelling of :mod:`._charging`. Two cheap necessary conditions prune most moves
before the labelling runs: the plain distance of a sequence is a lower bound of its distance with
stops (triangle inequality), and a sequence late without any stop is late with stops.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from voltvan.planning.ev._charging import ChargingPlanner, RouteEval
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._model import EvInstance

_EPS = 1e-7
_NEIGHBOURS = 12


class EvLocalSearch:
    """Improves a set of routes in place; ``fleet_weight`` prices one vehicle for fleet-first."""

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
        if sum(self._lower(self.vtypes[r], seq) for r, seq in changes) >= old - _EPS:
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
            if new_cost >= old - _EPS:
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

    # -- moves ---------------------------------------------------------------------------------
    def run(self, on_pass: Callable[[], None] | None = None) -> None:
        """Best-neighbour passes until a local optimum (or the deadline)."""
        improved = True
        while improved and not self._out_of_time():
            improved = self._pass()
            if self.fleet_weight > 0 and not self._out_of_time():
                improved = self._eliminate_routes() or improved
            if on_pass is not None:
                on_pass()

    def perturb(self, *, max_rounds: int | None, removed: int = 8) -> int:
        """Ruin and recreate around a random client; keep what costs less. Returns improvements.

        Runs ``max_rounds`` rounds (deterministic when they end before the deadline), or until the
        deadline when ``max_rounds`` is None. Removal takes a client and its nearest neighbours;
        reinsertion uses the ejection pool.
        """
        _check_bounded(max_rounds, self.deadline)
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
            if self.total_cost() < before - _EPS:
                better += 1
                self.run()
            else:
                self.routes, self.vtypes, self.evals = saved
        return better

    def reduce_fleet(
        self, *, max_attempts: int | None, max_steps: int = 400, until: Deadline | None = None
    ) -> int:
        """Remove whole routes with a long ejection-pool search; returns the routes removed.

        The short elimination in :meth:`run` gives up after a few ejections, which is enough for
        easy routes but not on tight windows (r103 keeps one van above the best-known). Here a
        route's clients go to the pool, and whenever a client cannot even be placed by ejecting
        one other, the other routes are shaken by random feasible relocations (the perturbation of
        Nagata and Braysy's EAMA) instead of giving up. Makes ``max_attempts`` removal attempts
        (deterministic when they end before the deadline), or runs until the deadline when
        ``max_attempts`` is None; ``until`` is an earlier deadline for this phase only, to leave
        time to polish what it found.
        """
        _check_bounded(max_attempts, self.deadline if until is None else until)
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


def _check_bounded(count: int | None, deadline: Deadline | None) -> None:
    """A phase without a count runs until its deadline, so it must have one that ends."""
    if count is None and (deadline is None or not deadline.bounded):
        raise ValueError("give a round count or a deadline")
