"""Which van goes on which plug, with as few re-plugs as the night allows.

A re-plug is a visit by staff during the night: unplug a van before it leaves and hand its
connector to a van that is already waiting (or will arrive to a free plug). Drivers plug in
when they arrive and unplug when they leave; anything else needs someone at the depot.

The charging LP has already decided when each van charges; what it needs from a plug is its
*core*, the span from its first to its last charging slot. Vans that share a connector form a
chain, one after the other, cores in order. Two vans in a row cost nothing when the first
leaves before the second arrives, and one re-plug when their stays overlap: the hand-over
happens at the earliest instant between the two cores, after the second arrival and before the
first departure, at which staff are there (else staff unplug the first van earlier, between
the cores, and the second van's driver plugs in on arrival). The fewest re-plugs is a
minimum-cost path cover with at most one chain per plug (``_pathcover``), proven least by
HiGHS; where the stays fit the plugs, it is zero.

When the depot names staffed hours and no staffed instant lies between two cores, a hand-over
may move to a staffed instant while both vans are there: the one that cuts the first van's
charging or delays the second's least. It costs far more than a re-plug (plus one per
100 Wh moved) and the LP then re-plans the power inside the new sessions, which may cost more
or leave energy short; a van that fits no chain at all gets no plug. Vans that charge nothing
get a plug only where one is free for their whole stay.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from voltvan.charging._assign import Session
from voltvan.charging._guided import allowed
from voltvan.charging._lp import LpResult
from voltvan.charging._model import ChargeRequest, Connector, DepotProblem, availability, rate_w
from voltvan.charging._pathcover import SHIFT_COST, ClassKey, Edge, solve_path_cover
from voltvan.charging._staffed import first_staffed, last_staffed

USED_W = 0.5
"""A slot with less power than this needs no plug (below the checker's 1 W tolerance)."""
MOVED_WH_PER_REPLUG = 100.0
"""... plus one re-plug per this much planned energy it moves."""
TIME_LIMIT_S = 20.0
REPLAN_ROUNDS = 4
"""Rounds of plugs-then-power after hand-overs moved into staffed hours."""


@dataclass(frozen=True, slots=True)
class PlugPlan:
    """Sessions with the fewest re-plugs; ``moved``: the LP must re-plan the power."""

    sessions: dict[str, Session]
    replugs: int
    proven: bool
    moved: bool


def fewest_replugs(
    problem: DepotProblem,
    sessions: dict[str, Session],
    result: LpResult,
    replan: Callable[[dict[str, Session]], LpResult],
    *,
    rounds: int = REPLAN_ROUNDS,
) -> tuple[dict[str, Session], LpResult, dict[str, object]]:
    """Plugs with the fewest re-plugs for the planned power, and the power that goes with them.

    When hand-overs had to move into staffed hours, ``replan`` (the LP on the new sessions)
    re-plans the power; the plugs are then planned again on the new power, whose cores all fit
    the staffed hand-overs, so vans get back the time around them (plugged from arrival,
    unplugged at departure), and the LP re-plans again, for a few rounds, keeping the best (on
    the benchmark with staff 18:00-02:00 this roughly halves the energy the moves left short
    per round).
    """
    plan = plan_plugs(problem, sessions, result.power_w)
    if plan is None:
        return sessions, result, {}
    stats: dict[str, object] = {"replugs_moved_power": plan.moved}
    sessions = plan.sessions
    if plan.moved:
        result = replan(sessions)
        best = (plan, sessions, result)
        for _ in range(rounds):
            again = plan_plugs(problem, sessions, result.power_w)
            if again is None or again.moved or again.sessions == sessions:
                break
            sessions, result = again.sessions, replan(again.sessions)
            if result.objective < best[2].objective - 1e-6:
                best = (again, sessions, result)
        plan, sessions, result = best
    stats["replugs_proven"] = plan.proven
    return sessions, result, stats


def plan_plugs(
    problem: DepotProblem,
    sessions: dict[str, Session],
    power_w: dict[str, list[float]],
    *,
    time_limit_s: float = TIME_LIMIT_S,
) -> PlugPlan | None:
    """Re-assign plugs to the charging the LP planned; ``None`` when HiGHS found nothing."""
    starts = problem.slot_starts()
    cores: dict[str, tuple[float, float]] = {}
    for r in problem.requests:
        s = sessions.get(r.vehicle_id)
        used = [k for k, p in enumerate(power_w.get(r.vehicle_id, ())) if p > USED_W]
        if s is None or not used:
            continue
        lo = max(r.arrival_s, starts[used[0]])
        hi = min(r.departure_s, starts[used[-1]] + problem.slot_s)
        cores[r.vehicle_id] = (lo, hi)
    classes = _classes(problem)
    van_classes: dict[str, list[ClassKey]] = {}
    for vid in cores:
        r = problem.request(vid)
        old = rate_w(r, problem.connector(sessions[vid].connector_id))
        van_classes[vid] = [
            g
            for g, conns in classes.items()
            if allowed(r, conns[0]) and rate_w(r, conns[0]) >= old - 1e-6
        ]
    edges = _edges(problem, cores, power_w)
    found = solve_path_cover(classes, van_classes, edges, time_limit_s, problem.slot_s)
    if found is None:
        return None
    chains, used_edges, proven = found
    out: dict[str, Session] = {}
    for g, heads in chains.items():
        for conn, chain in zip(classes[g], heads, strict=False):
            _place_chain(problem, conn, chain, used_edges, out)
    dropped = set(cores) - set(out)
    added = _place_idle_vans(problem, out, skip=set(cores))
    moved = (
        bool(dropped)
        or any(used_edges[pair].cost >= SHIFT_COST for pair in _pairs(chains))
        or any(problem.request(v).required_wh > 0 for v in added)
    )
    replugs = sum(1 for pair in _pairs(chains) if used_edges[pair].cost > 0)
    return PlugPlan(out, replugs, proven, moved)


def _classes(problem: DepotProblem) -> dict[ClassKey, list[Connector]]:
    """Identical plugs: same power and current, and the same charger when vans pin to it."""
    pinned = {r.charger_id for r in problem.requests if r.charger_id is not None}
    out: dict[ClassKey, list[Connector]] = defaultdict(list)
    for c in sorted(problem.connectors, key=lambda c: c.id):
        key = (c.charger_id if c.charger_id in pinned else "", c.power_w, c.current)
        out[key].append(c)
    return dict(out)


def _edges(
    problem: DepotProblem, cores: dict[str, tuple[float, float]], power_w: dict[str, list[float]]
) -> list[Edge]:
    """Every ordered pair that may share a plug, with its cost and hand-over instant."""
    out = []
    reqs = {v: problem.request(v) for v in cores}
    for u, (_, u_end) in cores.items():
        ru = reqs[u]
        for w, (w_start, _) in cores.items():
            if u == w or u_end > w_start + 1e-6:
                continue
            rw = reqs[w]
            if ru.departure_s <= rw.arrival_s + 1e-6:
                out.append(Edge(u, w, 0.0, ru.departure_s, rw.arrival_s))
                continue
            h = first_staffed(
                problem.staffed_s, max(u_end, rw.arrival_s), min(w_start, ru.departure_s)
            )
            if h is None:
                # staff unplug the first van before the second arrives (the plug waits free
                # and the second van's driver plugs it in): still one visit
                h = first_staffed(
                    problem.staffed_s, u_end, min(rw.arrival_s, w_start, ru.departure_s)
                )
            if h is not None:
                out.append(Edge(u, w, 1.0, h, max(h, rw.arrival_s)))
                continue
            # no staff between the cores: the staffed instant while both are there (each
            # keeping a slot of its stay) that cuts the first van's charging or delays the
            # second's least; the LP re-plans the energy it moves
            lo = max(rw.arrival_s, ru.arrival_s + problem.slot_s)
            hi = min(ru.departure_s, rw.departure_s - problem.slot_s)
            moves = []
            h = last_staffed(problem.staffed_s, lo, min(u_end, hi))
            if h is not None:
                moves.append((_energy_wh(problem, power_w[u], h, math.inf), h))
            h = first_staffed(problem.staffed_s, max(lo, w_start), hi)
            if h is not None:
                moves.append((_energy_wh(problem, power_w[w], -math.inf, h), h))
            if moves:
                moved_wh, h = min(moves)
                cost = 1.0 + SHIFT_COST + moved_wh / MOVED_WH_PER_REPLUG
                out.append(Edge(u, w, cost, h, max(h, rw.arrival_s)))
    return out


def _energy_wh(problem: DepotProblem, power: list[float], lo_s: float, hi_s: float) -> float:
    """Energy the van takes in ``[lo_s, hi_s]`` as planned."""
    return sum(
        p * problem.slot_s / 3600.0 * availability(t, problem.slot_s, lo_s, hi_s)
        for t, p in zip(problem.slot_starts(), power, strict=False)
    )


def _pairs(chains: dict[ClassKey, list[list[str]]]) -> list[tuple[str, str]]:
    return [(a, b) for heads in chains.values() for c in heads for a, b in itertools.pairwise(c)]


def _place_chain(
    problem: DepotProblem,
    conn: Connector,
    chain: list[str],
    used: dict[tuple[str, str], Edge],
    out: dict[str, Session],
) -> None:
    plug_in = problem.request(chain[0]).arrival_s
    for i, vid in enumerate(chain):
        r = problem.request(vid)
        if i + 1 < len(chain):
            edge = used[(vid, chain[i + 1])]
            plug_out, next_in = edge.out_s, edge.in_s
        else:
            plug_out, next_in = r.departure_s, math.inf
        out[vid] = Session(vid, conn.id, plug_in, plug_out)
        plug_in = next_in


def _place_idle_vans(
    problem: DepotProblem, out: dict[str, Session], *, skip: set[str]
) -> list[str]:
    """Vans without charging get a plug that is free for their whole stay, if there is one."""
    booked: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for s in out.values():
        booked[s.connector_id].append((s.plug_in_s, s.plug_out_s))
    added = []
    idle: list[ChargeRequest] = sorted(
        (r for r in problem.requests if r.vehicle_id not in skip),
        key=lambda r: (r.arrival_s, r.vehicle_id),
    )
    for r in idle:
        for c in sorted(problem.connectors, key=lambda c: (-rate_w(r, c), c.id)):
            if not allowed(r, c):
                continue
            if all(b <= r.arrival_s + 1e-6 or a >= r.departure_s - 1e-6 for a, b in booked[c.id]):
                out[r.vehicle_id] = Session(r.vehicle_id, c.id, r.arrival_s, r.departure_s)
                booked[c.id].append((r.arrival_s, r.departure_s))
                added.append(r.vehicle_id)
                break
    return added
