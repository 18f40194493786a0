"""The search loop: PyVRP on an energy-aware relaxation, exact charging stops, penalty feedback.

Each round solves the client relaxation with PyVRP, where every arc's travel time is inflated by
``rho`` times the time needed to recharge the energy the arc consumes (so PyVRP plans routes with
room for charging), then inserts the charging stops of :mod:`._charging` into every route. Routes
that no charging plan can save are split greedily into feasible pieces. ``rho`` rises when routes
failed and falls when all passed: the penalty feedback of issue 2. The best solution wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from voltvan.planning.ev._charging import ChargingPlanner, RouteEval
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._model import EvInstance, EvProgress, EvRoute, EvSolution
from voltvan.planning.ev._pyvrp import RelaxationModel, RelaxedRoute
from voltvan.planning.ev._search import EvLocalSearch

_DEFAULT_ITERATIONS = 2_000
_NUM_ROUNDS = 8
_FIRST_SHARE = 0.3
_log = logging.getLogger(__name__)
_REDUCTION_RHO_CUT = 0.3
_PERTURB_ROUNDS = 2  # ruin-and-recreate rounds per PyVRP round when iterations bound the run
_PYVRP_SHARE = 0.5  # of each round's time; the EV local search gets the rest
_REDUCE_PYVRP_SHARE = 0.25  # in a one-van-less round, where route elimination needs the time
_REDUCE_SHARE = 0.7  # of a reduction round's EV time spent removing routes
_REDUCE_ATTEMPTS = 3  # route-removal attempts per reduction round when iterations bound the run
_REDUCE_STEPS = 400  # pool steps before one route-removal attempt gives up
_REDUCE_STEPS_COUNTED = 15  # the same when runs are bounded by iterations (tests): kept short


def solve_ev(
    instance: EvInstance,
    *,
    time_limit_s: float | None = None,
    deadline: Deadline | None = None,
    max_iterations: int | None = None,
    seed: int = 0,
    on_progress: Callable[[EvProgress], None] | None = None,
) -> EvSolution:
    """Plan routes with charging stops; deterministic for a given seed and ``max_iterations``.

    With ``max_iterations`` every phase is bounded by counts, so a time limit given as well is
    only a cap (the result is reproducible when the counts run out first); with a time limit
    alone the later phases use all the time they are given. ``deadline`` is shared with the
    caller: the rounds split what is left of it (the earlier of it and ``time_limit_s`` wins),
    and progress reports count the time since it started.
    """
    instance.validate()
    if deadline is None:
        deadline = Deadline(time_limit_s)
    elif time_limit_s is not None:
        deadline = deadline.within(time_limit_s)
    timed = deadline.bounded
    if not timed and max_iterations is None:
        max_iterations = _DEFAULT_ITERATIONS
    counted = max_iterations is not None
    started = deadline.clock()
    budget_s = deadline.remaining_s()
    model = RelaxationModel(instance)
    planners = [ChargingPlanner(instance, v) for v in range(len(instance.vehicle_types))]
    charge_s_per_wh = _charge_time_per_wh(instance)
    needs_energy = _may_need_charging(instance)
    rho = 0.5 if needs_energy else 0.0
    rounds = _NUM_ROUNDS if needs_energy else 1
    best: EvSolution | None = None
    seed_routes: tuple[RelaxedRoute, ...] | None = None
    total_iters = 0
    fleet_weight = _fleet_weight(instance)
    for r in range(rounds):
        share = _FIRST_SHARE if r == 0 else (1 - _FIRST_SHARE) * _round_weight(r, rounds)
        if rounds == 1:
            share = 1.0
        phase: Deadline | None = None
        limit_s = None
        target = None
        if instance.fleet_minimisation and len(instance.vehicle_types) == 1 and best is not None:
            # alternate: one van less than the best so far, then polish at the best fleet size
            target = max(1, len(best.routes) - (r % 2)) if best.is_feasible else None
            seed_routes = _relaxed(instance, best)
        # a fleet-reduction round prices charging lower: the labelling, not PyVRP, has the last word
        reducing = target is not None and r % 2 == 1 and needs_energy
        rho_round = rho if target is None or r % 2 == 0 else max(0.0, rho - _REDUCTION_RHO_CUT)
        extra = rho_round * charge_s_per_wh * instance.energy_wh[0] if rho_round > 0 else None
        data = model.data(extra, max_vehicles=target)
        if timed:
            remaining = deadline.remaining_s()
            if remaining <= 0.05 and best is not None:
                break
            last = r == rounds - 1
            phase = deadline.within(remaining - 0.02 if last else min(remaining, budget_s * share))
            share_pyvrp = _PYVRP_SHARE if needs_energy else 0.98  # nothing to charge: PyVRP is best
            if reducing:
                share_pyvrp = _REDUCE_PYVRP_SHARE
            limit_s = max(0.05, phase.remaining_s() * share_pyvrp)
        iters = None if max_iterations is None else max(1, int(max_iterations * share))
        relaxed = model.solve(
            data,
            seed=seed + r,
            time_limit_s=limit_s,
            max_iterations=iters,
            initial=seed_routes,
        )
        total_iters += relaxed.iterations
        routes, unassigned, shed, num_failed = _realise(planners, relaxed.routes, phase)
        search = EvLocalSearch(
            instance, planners, seed=seed + r, deadline=phase, fleet_weight=fleet_weight
        )
        search.load(routes)
        planned = {c for route in relaxed.routes for c in route.clients}
        in_group = {c for g in instance.groups for c in g}
        missing = [c for c in instance.clients if c not in planned and c not in in_group]
        missing += shed
        unassigned.extend(search.insert_all(missing))
        if reducing:
            # the van less is the point of this round: most EV time goes to route elimination,
            # before the local search (which can eat a short round), the rest to polishing
            until = None if phase is None else phase.within(_REDUCE_SHARE * phase.remaining_s())
            steps = _REDUCE_STEPS_COUNTED if counted else _REDUCE_STEPS
            attempts = _REDUCE_ATTEMPTS if counted else None
            gone = search.reduce_fleet(max_attempts=attempts, max_steps=steps, until=until)
            _log.debug("round %d: route elimination removed %d routes", r, gone)
        search.run()
        if needs_energy:
            search.perturb(max_rounds=_PERTURB_ROUNDS if counted else None)
        candidate = _assemble(
            instance, list(zip(search.vtypes, search.evals, strict=True)), unassigned
        )
        _log.debug(
            "round %d target %s rho %.2f relaxed %d (feasible %s, missing %d) failed %d split %d "
            "searched %d dist %.1f",
            r,
            target,
            rho,
            len(relaxed.routes),
            relaxed.is_feasible,
            len(missing),
            num_failed,
            len(routes),
            len(search.routes),
            candidate.distance,
        )
        if best is None or _key(instance, candidate) < _key(instance, best):
            best = candidate
        seed_routes = tuple(
            RelaxedRoute(v, tuple(search.routes[i])) for i, v in enumerate(search.vtypes)
        )
        rho = min(1.5, rho + 0.15) if num_failed else max(0.0, rho - 0.1)
        if on_progress is not None:
            on_progress(
                EvProgress(
                    deadline.elapsed_s(),
                    total_iters,
                    best.cost,
                    best.is_feasible,
                    len(best.routes),
                )
            )
    assert best is not None
    stats = {
        "runtime_s": deadline.clock() - started,
        "iterations": total_iters,
        "seed": seed,
        "rounds": rounds,
    }
    return EvSolution(
        best.routes, best.unassigned, best.cost, best.distance, best.is_feasible, stats
    )


def _round_weight(r: int, rounds: int) -> float:
    """Share of the later rounds' time: a one-van-less (odd) round gets twice a polishing one."""
    weights = [2.0 if k % 2 == 1 else 1.0 for k in range(1, rounds)]
    return (2.0 if r % 2 == 1 else 1.0) / max(sum(weights), 1.0)


def _charge_time_per_wh(instance: EvInstance) -> float:
    """Seconds per Wh at the fastest station for the first van type: the optimistic price."""
    if instance.num_stations == 0:
        return 0.0
    vt = instance.vehicle_types[0]
    power = float(min(np.max(instance.station_power_w), vt.max_charge_power_w))
    return 3600.0 / power if power > 0 else 0.0


def _may_need_charging(instance: EvInstance) -> bool:
    """False when no van can run low even on the longest conceivable tour of all clients."""
    for v, vt in enumerate(instance.vehicle_types):
        e = instance.energy_wh[v]
        k = instance.num_depots + instance.num_clients
        worst = float(np.sum(np.max(np.clip(e[:k, :k], 0, None), axis=1)))
        if worst > vt.start_energy_wh - vt.reserve_wh:
            return True
    return False


def _key(instance: EvInstance, sol: EvSolution) -> tuple[float, ...]:
    vehicles = float(len(sol.routes)) if instance.fleet_minimisation else 0.0
    return (0.0 if sol.is_feasible else 1.0, float(len(sol.unassigned)), vehicles, sol.cost)


def _relaxed(instance: EvInstance, solution: EvSolution) -> tuple[RelaxedRoute, ...]:
    """The solution's routes without their charging stops, to seed PyVRP."""
    return tuple(
        RelaxedRoute(r.vehicle_type, tuple(n for n in r.visits if not instance.is_station(n)))
        for r in solution.routes
    )


def _fleet_weight(instance: EvInstance) -> float:
    """A price per vehicle above any distance saving, for the fleet-first objective."""
    if not instance.fleet_minimisation:
        return 0.0
    return 10.0 * float(np.max(instance.distance)) * max(instance.num_clients, 1)


def _realise(
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


def _assemble(
    instance: EvInstance, routes: list[tuple[int, RouteEval]], unassigned: list[int]
) -> EvSolution:
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
