"""Depot schedule = connector sessions + power (LP).

Sessions come first from the session guide (the connector-relaxed LP, its charging blocks
packed onto plugs); when that cannot be shown to sit on the relaxed optimum, the list
heuristics compete too. Shortfalls are lexicographic: first as many vans met as the relaxed
MILP allows, then the least missing energy, then the least cost.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Literal

from voltvan.charging._candidates import (
    SHORTFALL_TOLERANCE_WH,
    Candidate,
    Key,
    evaluate,
    fewer_short_vans,
    heuristic_candidates,
    key_of,
    lp_windows,
    short_count,
)
from voltvan.charging._guided import guided_lp, relaxed_windows, sessions_from_profile
from voltvan.charging._lp import most_vans_met, solve_lp
from voltvan.charging._lp_schedule import to_schedule
from voltvan.charging._model import DepotProblem
from voltvan.charging._plugs import fewest_replugs
from voltvan.charging._schedule import Schedule

MET_WEIGHT = 1000.0
"""Shortfall penalty multiplier for the vans the MILP chose: the LP keeps them whole."""
CERTIFIED_GAP = 1e-3
"""A guided schedule this close to the relaxed LP (same vans met) needs no other candidate."""
CERTIFIED_MISSING_WH = 10.0
"""... and missing at most this much more energy than the relaxed LP."""


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
    best: Candidate | None = None
    certified = False
    if params.guided:
        windows = relaxed_windows(problem, pinned)
        guide = guided_lp(problem, windows)
        if params.most_met and short_count(guide) > 0:
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
        guide_key = key_of(problem, guide)
        stats["relaxed_cost"] = guide_key[2]
        sessions = sessions_from_profile(problem, guide.power_w, windows, pinned)
        best = evaluate(problem, sessions, weights)
        certified = (
            best.key[0] <= guide_key[0]
            and best.key[1] <= guide_key[1] + CERTIFIED_MISSING_WH
            and best.key[2] <= guide_key[2] * (1 + CERTIFIED_GAP)
        )
    if params.heuristics == "always" or (params.heuristics == "fallback" and not certified):
        candidates = heuristic_candidates(
            problem,
            pinned,
            weights,
            session_slacks=params.session_slacks,
            baseline_seeds=params.baseline_seeds,
            polish_rounds=params.polish_rounds,
        )
        for cand in candidates:
            if best is None or cand.key < best.key:
                best = cand
    assert best is not None, "no candidate: enable guided or the heuristics"
    result = best.result
    if weights is None and short_count(result) > 0:
        result = fewer_short_vans(problem, best.sessions, result)
    stats["method"] = "guided" if certified else "best of guided and heuristics"
    sessions = best.sessions
    if params.fewest_replugs and not pinned:
        t_plugs = time.perf_counter()
        sessions, result, plug_stats = fewest_replugs(
            problem,
            sessions,
            result,
            lambda s: solve_lp(problem, lp_windows(problem, s), shortfall_weights=weights),
        )
        stats |= plug_stats | {"plugs_solve_s": time.perf_counter() - t_plugs}
    out = to_schedule(problem, sessions, result, time.perf_counter() - t0, stats)
    if stats.get("replugs_moved_power") and params.guided:
        # hand-overs moved into staffed hours: the list heuristics' sessions may fit them better
        alt = schedule_depot(problem, dataclasses.replace(params, guided=False, most_met=False))
        if _schedule_key(alt) < _schedule_key(out):
            return dataclasses.replace(alt, stats={**alt.stats, "method": "heuristics (staffed)"})
    return out


def _schedule_key(s: Schedule) -> Key:
    short = [v.shortfall_wh for v in s.vans if v.shortfall_wh > 0]
    return (len(short), round(sum(short), 0), s.cost()["total"])
