"""``plan_scenario``: screen, map, solve, replay with the full energy model, tighten, repair.

The loop exists because the engine plans on matrices (one conservative energy per arc and van
type) while the truth is the full model at the real, falling load. Energy grows with mass, so the
conservative matrices should already be safe; where a replay still finds a route below its
reserve (rounding in the engine, a model that is not monotone for some leg), the energy of that
van type is scaled up and the scenario solved again in the time that is left. Whatever is still
wrong after the last attempt is repaired by taking stops out of the offending route, and those
stops (and any the search left out) get a second chance by cheapest feasible insertion
(:mod:`voltvan.planning._insert`) before they are listed as unassigned: a plan is never returned
with a violation it knows about.

The time limit is one deadline for all of it (:class:`~voltvan.planning.ev.Deadline`): building
the matrices and screening the stops count, each solve takes what is left but a reserve for the
replay and repair after it, and a re-solve runs only when a useful share of the limit remains
(otherwise the repair does its work). So no plan runs past its limit by more than the last
replay takes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from voltvan.domain import Scenario, Van
from voltvan.plan import Plan, Route, Unassigned, VisitKind
from voltvan.planning._city import CityModel, build_city_model, group_vans
from voltvan.planning._context import Context
from voltvan.planning._insert import reinsert
from voltvan.planning._reasons import NOT_PLACED_IN_TIME, explain_leftover, screen_stops
from voltvan.planning._replan_insert import with_charge_stop
from voltvan.planning._timeline import Timed, time_route
from voltvan.planning.ev import Deadline, EvProgress, EvSolution, solve_ev
from voltvan.travel import build_matrices

MATRIX_DEPART_S = 9 * 3600.0
"""Departure time of the one representative travel matrix (the morning peak: conservative)."""
MAX_ATTEMPTS = 3
TIGHTEN_MARGIN = 0.02
FINISH_SHARE = 0.05
"""Of the time limit, kept back from each solve for replaying and repairing its routes."""
MIN_RESOLVE_SHARE = 0.1
"""Of the time limit, the least that must be left for a re-solve to be worth starting."""

Seq = list[tuple[VisitKind, str]]


def plan_scenario(
    scenario: Scenario,
    *,
    time_limit_s: float = 60.0,
    seed: int = 0,
    max_iterations: int | None = None,
    on_progress: Callable[[EvProgress], None] | None = None,
    deadline: Deadline | None = None,
) -> Plan:
    """Feasible EV routes for a scenario; stops that cannot be served are listed with a reason.

    ``time_limit_s`` bounds the whole run, counted from this call (or ``deadline``, when the
    caller shares its own); ``max_iterations`` (if given) bounds the search deterministically,
    which is what tests use.
    """
    if deadline is None:
        deadline = Deadline(time_limit_s)
    limit_s = deadline.limit_s if deadline.limit_s is not None else time_limit_s
    matrices = build_matrices(scenario, depart_s=MATRIX_DEPART_S)
    ctx = Context.of(scenario, matrices)
    groups = group_vans(scenario)
    kept, unassigned = screen_stops(scenario, matrices, groups)
    scale: dict[str, float] = {}
    timed: list[Timed] = []
    left: list[str] = list(kept)
    stats: dict[str, Any] = {}
    for attempt in range(MAX_ATTEMPTS if kept else 0):
        if attempt > 0 and deadline.remaining_s() < MIN_RESOLVE_SHARE * limit_s:
            stats["resolve_skipped"] = "no time left"
            break
        model = build_city_model(scenario, matrices, kept, groups, energy_scale=scale)
        solution = solve_ev(
            model.instance,
            deadline=deadline.within(deadline.remaining_s() - FINISH_SHARE * limit_s),
            max_iterations=max_iterations,
            seed=seed + attempt,
            on_progress=on_progress,
        )
        timed, left = _realise(ctx, model, solution)
        stats = {**_solver_stats(solution.stats), "attempts": attempt + 1}
        stats["engine_feasible"] = solution.is_feasible
        excess = _energy_excess(ctx, timed)
        if not excess or not solution.is_feasible:
            break  # an engine that found no feasible plan is not helped by tighter matrices
        for type_id, ratio in excess.items():
            scale[type_id] = scale.get(type_id, 1.0) * (1.0 + ratio + TIGHTEN_MARGIN)
    routes, removed = _repair(ctx, timed)
    used = {r.van_id for r in routes}
    idle = [v for v in scenario.fleet.vans if v.id not in used]
    routes, leftover, untried = reinsert(ctx, routes, [*left, *removed], idle, deadline)
    unassigned += explain_leftover(scenario, matrices, groups, leftover)
    unassigned += [Unassigned(sid, NOT_PLACED_IN_TIME) for sid in untried]
    stats.update(
        {
            "matrix_depart_s": MATRIX_DEPART_S,
            "energy_scale": dict(scale),
            "seed": seed,
            "time_limit_s": limit_s,
            "max_iterations": max_iterations,
            "repaired_stops": len(removed),
            "reinserted_stops": len(left) + len(removed) - len(leftover) - len(untried),
            "planning_time_s": deadline.elapsed_s(),
        }
    )
    order = {s.id: k for k, s in enumerate(scenario.stops)}
    return Plan(
        scenario=scenario.name,
        routes=tuple(routes),
        unassigned=tuple(sorted(unassigned, key=lambda u: order[u.stop_id])),
        stats=stats,
    )


def _realise(ctx: Context, model: CityModel, solution: EvSolution) -> tuple[list[Timed], list[str]]:
    """Give each engine route a concrete van and replay it; stops nobody got are returned."""
    fleet = ctx.scenario.fleet
    free: dict[int, list[str]] = {k: list(g.van_ids) for k, g in enumerate(model.groups)}
    inst = model.instance
    served: set[str] = set()
    timed: list[Timed] = []
    for ev_route in solution.routes:
        seq: Seq = []
        for node in ev_route.visits:
            if inst.is_station(node):
                charger = model.station_charger[node - inst.num_depots - inst.num_clients]
                seq.append(("charge", charger))
            else:
                seq.append(("stop", model.stop_of(node)))
        if not any(kind == "stop" for kind, _ in seq):
            continue
        vans = free.get(ev_route.vehicle_type, [])
        if not vans:  # more routes than vans: the stops go back to the pool
            continue
        van = fleet.van(vans.pop(0))
        seq = _dedupe(seq, served)
        served.update(loc for kind, loc in seq if kind == "stop")
        timed.append(_drop_idle_chargers(ctx, van, seq))
    left = [s for s in dict.fromkeys(model.client_stop) if s not in served]
    return timed, left


def _dedupe(seq: Seq, served: set[str]) -> Seq:
    """A stop already on another route (never expected from the engine) is not visited twice."""
    out: Seq = []
    for kind, loc in seq:
        if kind == "stop" and (loc in served or ("stop", loc) in out):
            continue
        out.append((kind, loc))
    return out


def _drop_idle_chargers(ctx: Context, van: Van, seq: Seq) -> Timed:
    """Charge stops where the real (lighter) van needs no energy are detours: drop them."""
    best = time_route(ctx, van, seq)
    k = 0
    while k < len(seq):
        visit = best.route.visits[k + 1]
        if seq[k][0] == "charge" and visit.charge_wh < 1.0:
            trial_seq = seq[:k] + seq[k + 1 :]
            trial = time_route(ctx, van, trial_seq)
            if len(trial.issues) <= len(best.issues):
                seq, best = trial_seq, trial
                continue
        k += 1
    return best


def _energy_excess(ctx: Context, timed: list[Timed]) -> dict[str, float]:
    """Per van type, the worst shortfall below reserve as a fraction of the route's energy."""
    out: dict[str, float] = {}
    for t in timed:
        if not any(i.kind == "energy" for i in t.issues):
            continue
        r = t.route
        reserve = ctx.scenario.fleet.vehicle_type(r.vehicle_type_id).reserve_wh
        short = max(0.0, reserve - min(v.energy_wh for v in r.visits))
        ratio = max(short / max(r.energy_wh, 1.0), 0.01)
        out[r.vehicle_type_id] = max(out.get(r.vehicle_type_id, 0.0), ratio)
    return out


def _repair(ctx: Context, timed: list[Timed]) -> tuple[list[Route], list[str]]:
    """Take stops out of infeasible routes until each is feasible by the full model."""
    fleet = ctx.scenario.fleet
    routes: list[Route] = []
    removed: list[str] = []
    for t in timed:
        van = fleet.van(t.route.van_id)
        seq: Seq = [(v.kind, v.location_id) for v in t.route.visits[1:-1]]
        current = t
        if any(i.kind == "energy" for i in current.issues):
            # Waiting for windows costs energy the engine could not see: a charge stop first.
            charged = with_charge_stop(ctx, van, None, seq)
            if charged is not None:
                seq, current = charged
        while current.issues and any(kind == "stop" for kind, _ in seq):
            k = _victim(seq, current)
            removed.append(seq[k][1])
            seq = seq[:k] + seq[k + 1 :]
            current = _drop_idle_chargers(ctx, van, seq)
        if current.issues or not any(kind == "stop" for kind, _ in seq):
            continue
        routes.append(current.route)
    return routes, removed


def _victim(seq: Seq, timed: Timed) -> int:
    """The stop to remove: the one where the first issue shows, or the last stop before it."""
    first = timed.issues[0]
    k = min(max(first.index - 1, 0), len(seq) - 1)  # visits index 1.. == seq index 0..
    while k > 0 and seq[k][0] != "stop":
        k -= 1
    if seq[k][0] != "stop":
        k = next(i for i, (kind, _) in enumerate(seq) if kind == "stop")
    return k


def _solver_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's statistics that fit in JSON (numbers, strings, booleans)."""
    return {
        str(k): v for k, v in stats.items() if isinstance(v, str | int | float | bool) or v is None
    }


__all__ = ["FINISH_SHARE", "MATRIX_DEPART_S", "MIN_RESOLVE_SHARE", "plan_scenario"]
