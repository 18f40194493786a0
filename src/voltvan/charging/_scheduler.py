"""Depot schedule = connector sessions (list heuristic) + power (LP), and the LP lower bound."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from voltvan.charging._assign import (
    Session,
    assign_sessions,
    assign_sessions_backward,
    widen_sessions,
)
from voltvan.charging._baselines import baseline_sessions
from voltvan.charging._lp import LpResult, Window, solve_lp
from voltvan.charging._model import DepotProblem, rate_w
from voltvan.charging._schedule import Schedule, VanPlan

SHORTFALL_TOLERANCE_WH = 1.0
SHORTFALL_SLACK = 0.02
"""Leaving fewer vans short may cost this share more missing energy in total."""


@dataclass(frozen=True, slots=True)
class SchedulerParams:
    """Knobs of the scheduler; the defaults suit a depot night with 15-minute slots.

    ``session_slacks``: how much longer than the time at expected power a van may hold its
    connector; the scheduler tries each, forwards and backwards in time, and keeps the cheapest
    schedule with the least shortfall (short sessions free connectors, long ones let the LP
    shave the peak); with ``baseline_seeds`` it also tries the sessions EDF and LLF would use,
    so it never meets fewer needs or pays more than they do. ``polish_rounds``:
    shrink-and-stretch passes that hand idle connector time to neighbouring sessions (each pass
    can only lower the cost).
    """

    session_slacks: tuple[float, ...] = (1.2,)
    polish_rounds: int = 1
    baseline_seeds: bool = True


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
    best: tuple[tuple[float, float], dict[str, Session], LpResult] | None = None
    seen: list[dict[str, Session]] = []
    candidates: list[Callable[[], dict[str, Session]]] = []
    for slack in params.session_slacks:
        for assign in (assign_sessions, assign_sessions_backward):
            candidates.append(functools.partial(assign, problem, slack=slack, pinned=pinned))
    if params.baseline_seeds and not pinned:
        # the sessions LLF and EDF end up with: the LP on them is never worse than they are
        for policy in ("llf", "edf"):
            candidates.append(functools.partial(baseline_sessions, problem, policy))
    for make in candidates:
        sessions = make()
        if sessions in seen:
            continue
        seen.append(sessions)
        result = solve_lp(problem, _windows(problem, sessions))
        key = (round(sum(result.shortfall_wh.values()), 0), result.objective)
        if best is None or key < best[0]:
            best = (key, sessions, result)
    assert best is not None, "session_slacks must not be empty"
    for _ in range(params.polish_rounds):
        sessions = widen_sessions(problem, _shrink(problem, best[1], best[2]))
        if sessions == best[1]:
            break
        result = solve_lp(problem, _windows(problem, sessions))
        key = (round(sum(result.shortfall_wh.values()), 0), result.objective)
        if key >= best[0]:
            break
        best = (key, sessions, result)
    result = best[2]
    if any(v > SHORTFALL_TOLERANCE_WH for v in result.shortfall_wh.values()):
        result = _fewer_short_vans(problem, best[1], result)
    return _to_schedule(problem, best[1], result, time.perf_counter() - t0)


def _fewer_short_vans(
    problem: DepotProblem, sessions: dict[str, Session], result: LpResult, *, rounds: int = 3
) -> LpResult:
    """When energy must be short, leave as few vans short as we can: reweighted penalties (a van
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
    return _to_schedule(problem, {}, result, time.perf_counter() - t0)


def _to_schedule(
    problem: DepotProblem, sessions: dict[str, Session], result: LpResult, solve_s: float
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
        stats={"solve_s": solve_s, "lp_objective": result.objective},
    )
