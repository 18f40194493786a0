"""The search loop: PyVRP on an energy-aware relaxation, exact charging stops, penalty feedback.

Each round solves the client relaxation with PyVRP, where every arc's travel time is inflated by
``rho`` times the time needed to recharge the energy the arc consumes (so PyVRP plans routes with
room for charging), then inserts the charging stops of :mod:`._charging` into every route. Routes
that no charging plan can save shed clients or are split greedily into feasible pieces
(:mod:`._realise`), and the EV local search (:mod:`._search`) improves the result. ``rho`` rises
when routes failed and falls when all passed: the penalty feedback of issue 2. The best solution
wins (:mod:`._solution`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from voltvan.planning.ev._charging import ChargingPlanner
from voltvan.planning.ev._deadline import Deadline
from voltvan.planning.ev._model import EvInstance, EvProgress, EvSolution
from voltvan.planning.ev._prices import charge_time_per_wh, fleet_weight_for, may_need_charging
from voltvan.planning.ev._pyvrp import RelaxationModel, RelaxedRoute
from voltvan.planning.ev._realise import realise
from voltvan.planning.ev._search import EvLocalSearch
from voltvan.planning.ev._solution import assemble, relaxed_routes, solution_key

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
    charge_s_per_wh = charge_time_per_wh(instance)
    needs_energy = may_need_charging(instance)
    rho = 0.5 if needs_energy else 0.0
    rounds = _NUM_ROUNDS if needs_energy else 1
    best: EvSolution | None = None
    seed_routes: tuple[RelaxedRoute, ...] | None = None
    total_iters = 0
    fleet_weight = fleet_weight_for(instance)
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
            seed_routes = relaxed_routes(instance, best)
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
        routes, unassigned, shed, num_failed = realise(planners, relaxed.routes, phase)
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
        candidate = assemble(
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
        if best is None or solution_key(instance, candidate) < solution_key(instance, best):
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
