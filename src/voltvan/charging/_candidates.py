"""Candidate schedules for the depot night: connector sessions, the LP on them, and their rank.

The scheduler compares candidates by :data:`Key` (vans short, missing energy, cost); this module
makes them (the list heuristics forwards and backwards, the EDF/LLF sessions, a polish pass),
scores them, and leaves fewer vans short when no MILP chose which vans to keep whole.
"""

from __future__ import annotations

import functools
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

SHORTFALL_TOLERANCE_WH = 1.0
SHORTFALL_SLACK = 0.02
"""Without the MILP, leaving fewer vans short may cost this share more missing energy."""

Key = tuple[int, float, float]
"""(vans short, missing Wh, cost): smaller is better, in that order."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """Connector sessions, the LP on them, and how good that is."""

    key: Key
    sessions: dict[str, Session]
    result: LpResult


def heuristic_candidates(
    problem: DepotProblem,
    pinned: dict[str, str] | None,
    weights: dict[str, float] | None,
    *,
    session_slacks: tuple[float, ...],
    baseline_seeds: bool,
    polish_rounds: int,
) -> list[Candidate]:
    """The list heuristic forwards and backwards, the EDF/LLF sessions, and a polish."""
    makers: list[Callable[[], dict[str, Session]]] = []
    for slack in session_slacks:
        for assign in (assign_sessions, assign_sessions_backward):
            makers.append(functools.partial(assign, problem, slack=slack, pinned=pinned))
    if baseline_seeds and not pinned:
        # the sessions LLF and EDF end up with: the LP on them is never worse than they are
        for policy in ("llf", "edf"):
            makers.append(functools.partial(baseline_sessions, problem, policy))
    out: list[Candidate] = []
    for make in makers:
        sessions = make()
        if any(c.sessions == sessions for c in out):
            continue
        out.append(evaluate(problem, sessions, weights))
    if not out:
        return out
    best = min(out, key=lambda c: c.key)
    for _ in range(polish_rounds):
        sessions = widen_sessions(problem, shrink(problem, best.sessions, best.result))
        if sessions == best.sessions:
            break
        cand = evaluate(problem, sessions, weights)
        if cand.key >= best.key:
            break
        best = cand
        out.append(cand)
    return out


def evaluate(
    problem: DepotProblem, sessions: dict[str, Session], weights: dict[str, float] | None
) -> Candidate:
    result = solve_lp(problem, lp_windows(problem, sessions), shortfall_weights=weights)
    return Candidate(key_of(problem, result), sessions, result)


def short_count(result: LpResult) -> int:
    return sum(1 for x in result.shortfall_wh.values() if x > SHORTFALL_TOLERANCE_WH)


def key_of(problem: DepotProblem, result: LpResult) -> Key:
    """Vans short, missing Wh (rounded), and the night's true cost (no tie-breaks)."""
    missing = round(sum(result.shortfall_wh.values()), 0)
    return (short_count(result), missing, night_cost(problem, result.power_w))


def night_cost(problem: DepotProblem, power_w: dict[str, list[float]]) -> float:
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


def fewer_short_vans(
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
        again = solve_lp(problem, lp_windows(problem, sessions), shortfall_weights=weights)
        n_again = sum(1 for x in again.shortfall_wh.values() if x > SHORTFALL_TOLERANCE_WH)
        if (
            n_again >= len(short)
            or sum(again.shortfall_wh.values()) > (1 + SHORTFALL_SLACK) * least + 1.0
        ):
            break
        best = again
    return best


def lp_windows(problem: DepotProblem, sessions: dict[str, Session]) -> dict[str, Window]:
    return {
        vid: Window(
            s.plug_in_s,
            s.plug_out_s,
            rate_w(problem.request(vid), problem.connector(s.connector_id)),
        )
        for vid, s in sessions.items()
    }


def shrink(
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
