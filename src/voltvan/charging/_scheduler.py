"""Depot schedule = connector sessions + power (LP), and the LP lower bound.

Sessions come first from the session guide (the connector-relaxed LP, its charging blocks
packed onto plugs); when that cannot be shown to sit on the relaxed optimum, the list
heuristics compete too. Shortfalls are lexicographic: first as many vans met as the relaxed
MILP allows, then the least missing energy, then the least cost.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from voltvan.charging._assign import (
    Session,
    assign_sessions,
    assign_sessions_backward,
    widen_sessions,
)
from voltvan.charging._baselines import baseline_sessions
from voltvan.charging._guided import guided_lp, relaxed_windows, sessions_from_profile
from voltvan.charging._lp import LpResult, Window, most_vans_met, solve_lp
from voltvan.charging._model import DepotProblem, rate_w
from voltvan.charging._plugs import fewest_replugs
from voltvan.charging._schedule import Schedule, VanPlan

SHORTFALL_TOLERANCE_WH = 1.0
SHORTFALL_SLACK = 0.02
"""Without the MILP, leaving fewer vans short may cost this share more missing energy."""
MET_WEIGHT = 1000.0
"""Shortfall penalty multiplier for the vans the MILP chose: the LP keeps them whole."""
CERTIFIED_GAP = 1e-3
"""A guided schedule this close to the relaxed LP (same vans met) needs no other candidate."""
CERTIFIED_MISSING_WH = 10.0
"""... and missing at most this much more energy than the relaxed LP."""

Key = tuple[int, float, float]
"""(vans short, missing Wh, cost): smaller is better, in that order."""


@dataclass(frozen=True, slots=True)
class SchedulerParams:
    """Knobs of the scheduler; the defaults suit a depot night with 15-minute slots.

    ``guided``: start from the session guide (relaxed LP blocks packed onto plugs).
    ``most_met``: when energy must be short, a MILP on the relaxed LP (one binary per van,
    at most ``met_node_limit`` branch-and-bound nodes: deterministic) picks the most vans
    that can all be met; the LPs then keep those vans whole. ``heuristics``: when the list
    heuristics also run -- ``"fallback"`` only when the guided schedule is not within
    ``CERTIFIED_GAP`` of the relaxed LP, ``"always"`` or ``"never"``.

    ``session_slacks``: how much longer than the time at expected power a van may hold its
    connector in the list heuristic, run forwards and backwards in time; with
    ``baseline_seeds`` it also tries the sessions EDF and LLF would use, so it never meets
    fewer needs or pays more than they do. ``polish_rounds``: shrink-and-stretch passes that
    hand idle connector time to neighbouring sessions (each pass can only lower the cost).
    ``fewest_replugs``: once the power is planned, re-assign the plugs so that staff re-plug
    as few vans as possible, only in the depot's staffed hours (a MILP, ``_plugs``); not when
    re-planning with vans already plugged in.
    """

    session_slacks: tuple[float, ...] = (1.2,)
    polish_rounds: int = 1
    baseline_seeds: bool = True
    guided: bool = True
    most_met: bool = True
    met_node_limit: int = 200
    heuristics: Literal["fallback", "always", "never"] = "fallback"
    fewest_replugs: bool = True


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: Key
    sessions: dict[str, Session]
    result: LpResult


def schedule_depot(
    problem: DepotProblem,
    params: SchedulerParams | None = None,
    *,
    pinned: dict[str, str] | None = None,
) -> Schedule:
    """Plan the night: connectors first, then the cheapest power that meets every need it can.

    ``pinned`` keeps vans on the connector they already occupy (re-planning during the night).
    """
    params = params or SchedulerParams()
    t0 = time.perf_counter()
    stats: dict[str, object] = {}
    weights: dict[str, float] | None = None
    best: _Candidate | None = None
    certified = False
    if params.guided:
        windows = relaxed_windows(problem, pinned)
        guide = guided_lp(problem, windows)
        if params.most_met and _short_count(guide) > 0:
            # the MILP without the taper first (several times faster); its count bounds the
            # true one from above, so when the taper LP meets all it chose, it is the optimum
            for taper in (False, True):
                found = most_vans_met(
                    problem, windows, node_limit=params.met_node_limit, taper=taper
                )
                if found is None:
                    continue
                weights = dict.fromkeys(found[0], MET_WEIGHT)
                stats["relaxed_most_met_proven"] = found[1]
                guide = guided_lp(problem, windows, shortfall_weights=weights)
                if all(guide.shortfall_wh[v] <= SHORTFALL_TOLERANCE_WH for v in found[0]):
                    break
        guide_key = _key(problem, guide)
        stats["relaxed_cost"] = guide_key[2]
        sessions = sessions_from_profile(problem, guide.power_w, windows, pinned)
        best = _evaluate(problem, sessions, weights)
        certified = (
            best.key[0] <= guide_key[0]
            and best.key[1] <= guide_key[1] + CERTIFIED_MISSING_WH
            and best.key[2] <= guide_key[2] * (1 + CERTIFIED_GAP)
        )
    if params.heuristics == "always" or (params.heuristics == "fallback" and not certified):
        for cand in _heuristic_candidates(problem, params, pinned, weights):
            if best is None or cand.key < best.key:
                best = cand
    assert best is not None, "no candidate: enable guided or the heuristics"
    result = best.result
    if weights is None and _short_count(result) > 0:
        result = _fewer_short_vans(problem, best.sessions, result)
    stats["method"] = "guided" if certified else "best of guided and heuristics"
    sessions = best.sessions
    if params.fewest_replugs and not pinned:
        t_plugs = time.perf_counter()
        sessions, result, plug_stats = fewest_replugs(
            problem,
            sessions,
            result,
            lambda s: solve_lp(problem, _windows(problem, s), shortfall_weights=weights),
        )
        stats |= plug_stats | {"plugs_solve_s": time.perf_counter() - t_plugs}
    out = _to_schedule(problem, sessions, result, time.perf_counter() - t0, stats)
    if stats.get("replugs_moved_power") and params.guided:
        # hand-overs moved into staffed hours: the list heuristics' sessions may fit them better
        alt = schedule_depot(problem, dataclasses.replace(params, guided=False, most_met=False))
        if _schedule_key(alt) < _schedule_key(out):
            return dataclasses.replace(alt, stats={**alt.stats, "method": "heuristics (staffed)"})
    return out


def _schedule_key(s: Schedule) -> Key:
    short = [v.shortfall_wh for v in s.vans if v.shortfall_wh > 0]
    return (len(short), round(sum(short), 0), s.cost()["total"])


def _heuristic_candidates(
    problem: DepotProblem,
    params: SchedulerParams,
    pinned: dict[str, str] | None,
    weights: dict[str, float] | None,
) -> list[_Candidate]:
    """The list heuristic forwards and backwards, the EDF/LLF sessions, and a polish."""
    makers: list[Callable[[], dict[str, Session]]] = []
    for slack in params.session_slacks:
        for assign in (assign_sessions, assign_sessions_backward):
            makers.append(functools.partial(assign, problem, slack=slack, pinned=pinned))
    if params.baseline_seeds and not pinned:
        # the sessions LLF and EDF end up with: the LP on them is never worse than they are
        for policy in ("llf", "edf"):
            makers.append(functools.partial(baseline_sessions, problem, policy))
    out: list[_Candidate] = []
    for make in makers:
        sessions = make()
        if any(c.sessions == sessions for c in out):
            continue
        out.append(_evaluate(problem, sessions, weights))
    if not out:
        return out
    best = min(out, key=lambda c: c.key)
    for _ in range(params.polish_rounds):
        sessions = widen_sessions(problem, _shrink(problem, best.sessions, best.result))
        if sessions == best.sessions:
            break
        cand = _evaluate(problem, sessions, weights)
        if cand.key >= best.key:
            break
        best = cand
        out.append(cand)
    return out


def _evaluate(
    problem: DepotProblem, sessions: dict[str, Session], weights: dict[str, float] | None
) -> _Candidate:
    result = solve_lp(problem, _windows(problem, sessions), shortfall_weights=weights)
    return _Candidate(_key(problem, result), sessions, result)


def _short_count(result: LpResult) -> int:
    return sum(1 for x in result.shortfall_wh.values() if x > SHORTFALL_TOLERANCE_WH)


def _key(problem: DepotProblem, result: LpResult) -> Key:
    """Vans short, missing Wh (rounded), and the night's true cost (no tie-breaks)."""
    missing = round(sum(result.shortfall_wh.values()), 0)
    return (_short_count(result), missing, _cost(problem, result.power_w))


def _cost(problem: DepotProblem, power_w: dict[str, list[float]]) -> float:
    """Energy at the tariff plus demand charge on the site peak, as ``Schedule.cost``."""
    slot_h = problem.slot_s / 3600.0
    prices = problem.prices_per_kwh()
    site = [problem.base_load(k) for k in range(problem.grid_num_slots)]
    energy = 0.0
    for power in power_w.values():
        for k, p in enumerate(power):
            site[k] += p / problem.efficiency
            energy += p / problem.efficiency * slot_h / 1000.0 * prices[k]
    return energy + max(site, default=0.0) / 1000.0 * problem.tariff.demand_charge_per_kw


def _fewer_short_vans(
    problem: DepotProblem, sessions: dict[str, Session], result: LpResult, *, rounds: int = 3
) -> LpResult:
    """Without the MILP, leave as few vans short as we can: reweighted penalties (a van
    short by little gets a dearer shortfall, a van that is met a far dearer one), keeping the
    total shortfall within ``SHORTFALL_SLACK`` of the least possible."""
    least = sum(result.shortfall_wh.values())
    best = result
    for _ in range(rounds):
        short = {v: x for v, x in best.shortfall_wh.items() if x > SHORTFALL_TOLERANCE_WH}
        mean = sum(short.values()) / max(1, len(short))
        weights = {
            v: (mean + 100.0) / (best.shortfall_wh.get(v, 0.0) + 100.0) for v in best.shortfall_wh
        }
        again = solve_lp(problem, _windows(problem, sessions), shortfall_weights=weights)
        n_again = sum(1 for x in again.shortfall_wh.values() if x > SHORTFALL_TOLERANCE_WH)
        if (
            n_again >= len(short)
            or sum(again.shortfall_wh.values()) > (1 + SHORTFALL_SLACK) * least + 1.0
        ):
            break
        best = again
    return best


def _windows(problem: DepotProblem, sessions: dict[str, Session]) -> dict[str, Window]:
    return {
        vid: Window(
            s.plug_in_s,
            s.plug_out_s,
            rate_w(problem.request(vid), problem.connector(s.connector_id)),
        )
        for vid, s in sessions.items()
    }


def _shrink(
    problem: DepotProblem, sessions: dict[str, Session], result: LpResult
) -> dict[str, Session]:
    """Cut each session to the slots the LP actually charges in (the solution stays valid), so
    that stretching can hand the freed connector time to the neighbours."""
    out = {}
    starts = problem.slot_starts()
    for vid, s in sessions.items():
        used = [k for k, p in enumerate(result.power_w[vid]) if p > 1e-6]
        if not used:
            out[vid] = s
            continue
        lo = max(s.plug_in_s, starts[used[0]])
        hi = min(s.plug_out_s, starts[used[-1]] + problem.slot_s)
        out[vid] = Session(vid, s.connector_id, lo, hi)
    return out


def lower_bound(problem: DepotProblem) -> Schedule:
    """The LP with connectors relaxed: each van on its best connector for its whole stay,
    and only as many vans (weighted by power share) as there are connectors in each slot.
    No real schedule can cost less while delivering the same energy."""
    t0 = time.perf_counter()
    windows: dict[str, Window] = {}
    for r in problem.requests:
        rates = [
            rate_w(r, c)
            for c in problem.connectors
            if r.charger_id is None or c.charger_id == r.charger_id
        ]
        if rates:
            windows[r.vehicle_id] = Window(r.arrival_s, r.departure_s, max(rates))
    result = solve_lp(problem, windows, occupancy_limit=len(problem.connectors))
    return _to_schedule(problem, {}, result, time.perf_counter() - t0, {})


def _to_schedule(
    problem: DepotProblem,
    sessions: dict[str, Session],
    result: LpResult,
    solve_s: float,
    stats: dict[str, object],
) -> Schedule:
    slot_h = problem.slot_s / 3600.0
    vans = []
    shortfalls = []
    for r in problem.requests:
        s = sessions.get(r.vehicle_id)
        power = tuple(result.power_w[r.vehicle_id])
        delivered = sum(power) * slot_h
        short = max(0.0, r.required_wh - delivered)
        if short < SHORTFALL_TOLERANCE_WH:
            short = 0.0
        vans.append(
            VanPlan(
                vehicle_id=r.vehicle_id,
                connector_id=s.connector_id if s else None,
                plug_in=s.plug_in_s if s else None,
                plug_out=s.plug_out_s if s else None,
                arrival=r.arrival_s,
                departure=r.departure_s,
                soc_arrival=r.soc_arrival,
                battery_wh=r.battery_wh,
                energy_needed_wh=r.energy_needed_wh,
                energy_delivered_wh=delivered,
                shortfall_wh=short,
                cap_wh=r.cap_wh,
                max_ac_power_w=r.max_ac_power_w,
                max_dc_power_w=r.max_dc_power_w,
                power_w=power,
                taper=r.taper.points,
                charger_id=r.charger_id,
            )
        )
        if short > 0:
            reason = "no free connector" if sessions and s is None else "not enough time or power"
            shortfalls.append(
                {"vehicle_id": r.vehicle_id, "shortfall_wh": short, "reason": reason, "fixes": []}
            )
    return Schedule(
        start_s=problem.grid_start_s,
        slot_s=problem.slot_s,
        site_limit_w=problem.site_limit_w,
        efficiency=problem.efficiency,
        prices_per_kwh=tuple(problem.prices_per_kwh()),
        base_load_w=tuple(problem.base_load(k) for k in range(problem.grid_num_slots)),
        vans=tuple(vans),
        connectors=problem.connectors,
        tariff=problem.tariff,
        shortfalls=tuple(shortfalls),
        stats={"solve_s": solve_s, "lp_objective": result.objective, **stats},
        staffed_s=problem.staffed_s,
    )
