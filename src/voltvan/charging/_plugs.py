"""Which van goes on which plug, with as few re-plugs as the night allows (a MILP on HiGHS).

A re-plug is a visit by staff during the night: unplug a van before it leaves and hand its
connector to a van that is already waiting. Drivers plug in when they arrive and unplug when
they leave; anything else needs someone at the depot.

The charging LP has already decided when each van charges; what it needs from a plug is its
*core*, the span from its first to its last charging slot. Vans that share a connector form a
chain, one after the other, cores in order. Two vans in a row cost nothing when the first
leaves before the second arrives, and one re-plug when their stays overlap: the hand-over
happens at the earliest instant between the end of the first core and the start of the next
(also after the second arrival and before the first departure) at which staff are there.
Finding the chains with the fewest re-plugs on ``k`` identical connectors is a minimum-cost
path cover with at most ``k`` paths (the edges' constraint matrix is totally unimodular, so the
LP relaxation is already integral); vans pinned to a charger or with other power limits split
the connectors into classes of identical plugs, one copy of the cover per class, and the
MILP says which class each van uses. HiGHS solves it to proven optimality on the benchmark's
100 vans in well under a second. Where there are enough connectors, every van's whole stay
fits on its own plug and the optimum is zero re-plugs.

When the depot names its staffed hours and no staffed instant lies between two cores, a
hand-over may move to a staffed instant while both vans are there (the LP then re-plans their
power, which may cost more); that costs far more than a re-plug, and a van that fits no chain
at all is left without a plug, dearer still. Vans that charge nothing get a plug only where
one is free for their whole stay.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from voltvan.charging._assign import Session
from voltvan.charging._guided import allowed
from voltvan.charging._model import ChargeRequest, Connector, DepotProblem, availability, rate_w

USED_W = 0.5
"""A slot with less power than this needs no plug (below the checker's 1 W tolerance)."""
SHIFT_COST = 1_000.0
"""A hand-over moved outside the planned charging costs this many re-plugs."""
MOVED_WH_PER_REPLUG = 100.0
"""... plus one re-plug per this much planned energy it moves."""
DROP_COST = 1_000_000.0
"""A van that gets no plug at all."""
TIME_LIMIT_S = 20.0

ClassKey = tuple[str, float, str]


@dataclass(frozen=True, slots=True)
class PlugPlan:
    """Sessions with the fewest re-plugs; ``moved``: the LP must re-plan the power."""

    sessions: dict[str, Session]
    replugs: int
    proven: bool
    moved: bool


@dataclass(frozen=True, slots=True)
class _Edge:
    """``first`` then ``second`` on one plug: ``first`` unplugs at ``out_s``, ``second`` plugs
    in at ``in_s`` (the same instant when staff hand the plug over to a waiting van)."""

    first: str
    second: str
    cost: float
    out_s: float
    in_s: float


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
    found = _solve(classes, van_classes, edges, time_limit_s, problem.slot_s)
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
) -> list[_Edge]:
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
                out.append(_Edge(u, w, 0.0, ru.departure_s, rw.arrival_s))
                continue
            h = problem.first_staffed(max(u_end, rw.arrival_s), min(w_start, ru.departure_s))
            if h is None:
                # staff unplug the first van before the second arrives (the plug waits free
                # and the second van's driver plugs it in): still one visit
                h = problem.first_staffed(u_end, min(rw.arrival_s, w_start, ru.departure_s))
            if h is not None:
                out.append(_Edge(u, w, 1.0, h, max(h, rw.arrival_s)))
                continue
            # no staff between the cores: the staffed instant while both are there (each
            # keeping a slot of its stay) that cuts the first van's charging or delays the
            # second's least; the LP re-plans the energy it moves
            lo = max(rw.arrival_s, ru.arrival_s + problem.slot_s)
            hi = min(ru.departure_s, rw.departure_s - problem.slot_s)
            moves = []
            h = problem.last_staffed(lo, min(u_end, hi))
            if h is not None:
                moves.append((_energy_wh(problem, power_w[u], h, math.inf), h))
            h = problem.first_staffed(max(lo, w_start), hi)
            if h is not None:
                moves.append((_energy_wh(problem, power_w[w], -math.inf, h), h))
            if moves:
                moved_wh, h = min(moves)
                cost = 1.0 + SHIFT_COST + moved_wh / MOVED_WH_PER_REPLUG
                out.append(_Edge(u, w, cost, h, max(h, rw.arrival_s)))
    return out


def _energy_wh(problem: DepotProblem, power: list[float], lo_s: float, hi_s: float) -> float:
    """Energy the van takes in ``[lo_s, hi_s]`` as planned."""
    return sum(
        p * problem.slot_s / 3600.0 * availability(t, problem.slot_s, lo_s, hi_s)
        for t, p in zip(problem.slot_starts(), power, strict=False)
    )


def _solve(
    classes: dict[ClassKey, list[Connector]],
    van_classes: dict[str, list[ClassKey]],
    edges: list[_Edge],
    time_limit_s: float,
    min_gap_s: float,
) -> tuple[dict[ClassKey, list[list[str]]], dict[tuple[str, str], _Edge], bool] | None:
    """Min-cost path cover per class: y[v,g] van on class g, x[e,g] edge used, d[v] dropped."""
    vans = sorted(van_classes)
    cost: list[float] = []
    y_col: dict[tuple[str, ClassKey], int] = {}
    d_col: dict[str, int] = {}
    x_cols: list[tuple[_Edge, ClassKey]] = []
    for v in vans:
        for g in van_classes[v]:
            y_col[(v, g)] = len(cost)
            cost.append(0.0)
        d_col[v] = len(cost)
        cost.append(DROP_COST)
    x_start = len(cost)
    out_of: dict[tuple[str, ClassKey], list[int]] = defaultdict(list)
    into: dict[tuple[str, ClassKey], list[int]] = defaultdict(list)
    per_class: dict[ClassKey, list[int]] = defaultdict(list)
    for e in edges:
        for g in van_classes[e.first]:
            if g in van_classes[e.second]:
                j = len(cost)
                x_cols.append((e, g))
                cost.append(e.cost)
                out_of[(e.first, g)].append(j)
                into[(e.second, g)].append(j)
                per_class[g].append(j)
    if not cost:
        return {}, {}, True
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        for j, a in entries:
            rows.append(len(lo))
            cols.append(j)
            vals.append(a)
        lo.append(low)
        hi.append(high)

    for v in vans:
        # every van that charges is on exactly one class of plugs, or gets none
        row([(y_col[(v, g)], 1.0) for g in van_classes[v]] + [(d_col[v], 1.0)], 1.0, 1.0)
        for g in van_classes[v]:
            # at most one van after it and one before it on the same plug
            row([(j, 1.0) for j in out_of[(v, g)]] + [(y_col[(v, g)], -1.0)], -np.inf, 0.0)
            row([(j, 1.0) for j in into[(v, g)]] + [(y_col[(v, g)], -1.0)], -np.inf, 0.0)
    if any(e.cost >= SHIFT_COST for e, _ in x_cols):
        for v in vans:
            for entries in _order_rows(v, x_cols, x_start, min_gap_s):
                row(entries, -np.inf, 1.0)
    for g, conns in classes.items():
        ys = [y_col[(v, g)] for v in vans if g in van_classes[v]]
        if ys:
            # chains = vans on the class minus the edges used: at most one chain per plug
            row([(j, 1.0) for j in ys] + [(j, -1.0) for j in per_class[g]], -np.inf, len(conns))
    n = len(cost)
    constraints = [
        LinearConstraint(
            coo_matrix((vals, (rows, cols)), shape=(len(lo), n)).tocsr(), np.array(lo), np.array(hi)
        )
    ]
    res = None
    if len(classes) == 1 and not any(e.cost >= SHIFT_COST for e, _ in x_cols):
        # one class of plugs, no moved hand-overs: a path cover, whose LP has integral
        # vertices (a bipartite matching with one cardinality row is totally unimodular), so
        # the LP optimum proves itself; far faster than branch and bound
        res = milp(
            np.array(cost),
            constraints=constraints,
            integrality=np.zeros(n),
            bounds=Bounds(np.zeros(n), np.ones(n)),
        )
        if res.x is None or np.any(np.abs(res.x - np.round(res.x)) > 1e-6):
            res = None
    if res is None:
        res = milp(
            np.array(cost),
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.ones(n)),
            options={"time_limit": time_limit_s, "mip_rel_gap": 0.0, "presolve": True},
        )
    if res.x is None:
        return None
    nxt: dict[str, str] = {}
    used: dict[tuple[str, str], _Edge] = {}
    for j, (e, _) in enumerate(x_cols):
        if res.x[x_start + j] > 0.5:
            nxt[e.first] = e.second
            used[(e.first, e.second)] = e
    on = {v: g for (v, g), j in y_col.items() if res.x[j] > 0.5}
    has_prev = set(nxt.values())
    chains: dict[ClassKey, list[list[str]]] = defaultdict(list)
    for v in vans:
        if v in on and v not in has_prev:
            chain = [v]
            while chain[-1] in nxt:
                chain.append(nxt[chain[-1]])
            chains[on[v]].append(chain)
    return dict(chains), used, res.status == 0


def _order_rows(
    v: str, x_cols: list[tuple[_Edge, ClassKey]], x_start: int, min_gap_s: float
) -> list[list[tuple[int, float]]]:
    """Moved hand-overs must keep a van's plug time positive: the edge into ``v`` and the edge
    out of it may not both be used when ``v`` would unplug less than ``min_gap_s`` after it
    plugs in. One row per plug-in time t: edges in at t or later plus edges out before
    t + gap count at most 1 (a conflicting pair is caught by the row of its plug-in time)."""
    ins = [(e.in_s, x_start + j) for j, (e, _) in enumerate(x_cols) if e.second == v]
    outs = [(e.out_s, x_start + j) for j, (e, _) in enumerate(x_cols) if e.first == v]
    if not ins or not outs:
        return []
    rows = []
    for t in sorted({t for t, _ in ins}):
        late_out = [(j, 1.0) for t_out, j in outs if t_out < t + min_gap_s]
        if late_out:
            rows.append([(j, 1.0) for t_in, j in ins if t_in >= t] + late_out)
    return rows


def _pairs(chains: dict[ClassKey, list[list[str]]]) -> list[tuple[str, str]]:
    return [(a, b) for heads in chains.values() for c in heads for a, b in itertools.pairwise(c)]


def _place_chain(
    problem: DepotProblem,
    conn: Connector,
    chain: list[str],
    used: dict[tuple[str, str], _Edge],
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
