"""Minimum-cost path cover on HiGHS: chains of vans on identical plugs, at most one per plug.

Columns: ``y[v,g]`` van v on class g of identical plugs, ``d[v]`` van v gets no plug (dear),
``x[e,g]`` edge e (two vans in a row on one plug) used in class g. Rows: each van on one
class or dropped; at most one edge out of and one into a van, on its class; per class,
vans minus edges (= chains) at most the number of plugs. With one class and no moved
hand-overs the matrix is a bipartite matching plus one cardinality row, totally unimodular:
the LP optimum is integral and proves itself. HiGHS therefore solves the LP first (30-60 ms on
the benchmark against about a second of branch and bound) and, only when its optimum is
fractional, runs branch and bound to a zero gap within the time limit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from voltvan.charging._model import Connector

SHIFT_COST = 1_000.0
"""A hand-over moved outside the planned charging costs this many re-plugs ..."""
DROP_COST = 1_000_000.0
"""A van that gets no plug at all."""

ClassKey = tuple[str, float, str]


@dataclass(frozen=True, slots=True)
class Edge:
    """``first`` then ``second`` on one plug: ``first`` unplugs at ``out_s``, ``second`` plugs
    in at ``in_s`` (the same instant when staff hand the plug over to a waiting van)."""

    first: str
    second: str
    cost: float
    out_s: float
    in_s: float


def solve_path_cover(
    classes: dict[ClassKey, list[Connector]],
    van_classes: dict[str, list[ClassKey]],
    edges: list[Edge],
    time_limit_s: float,
    min_gap_s: float,
) -> tuple[dict[ClassKey, list[list[str]]], dict[tuple[str, str], Edge], bool] | None:
    """Min-cost path cover per class: y[v,g] van on class g, x[e,g] edge used, d[v] dropped."""
    vans = sorted(van_classes)
    cost: list[float] = []
    y_col: dict[tuple[str, ClassKey], int] = {}
    d_col: dict[str, int] = {}
    x_cols: list[tuple[Edge, ClassKey]] = []
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
    # the LP first: with one class of plugs and no moved hand-overs its vertices are integral
    # (a bipartite matching with one cardinality row is totally unimodular), and whenever its
    # optimum is integral it proves itself; far faster than branch and bound
    res = milp(
        np.array(cost),
        constraints=constraints,
        integrality=np.zeros(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
    )
    if res.x is None or np.any(np.abs(res.x - np.round(res.x)) > 1e-6):
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
    used: dict[tuple[str, str], Edge] = {}
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
    v: str, x_cols: list[tuple[Edge, ClassKey]], x_start: int, min_gap_s: float
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
