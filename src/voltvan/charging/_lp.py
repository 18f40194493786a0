"""The charging LP and MILP on HiGHS (through ``scipy.optimize``): the only module that solves
for power (``_pathcover`` solves the plug assignment).

Variables are the battery-side energy of each van in each slot of its session, its shortfall,
the cumulative energy before each slot (only for vans that can reach the taper of their
battery) and the site peak. Constraints: per-van power (connector, van, taper), need (soft,
with a penalty far above any price so shortfalls happen only when physics forces them), ceiling,
site limit minus base load per slot, and the peak. The objective is energy cost plus demand
charge, with two tiny tie-breaks: charge early among equal prices (a plan change then finds
batteries fuller), and a small price on the peak even without a demand charge (smoothing).
The MILP on the same rows counts the vans that can all get their whole need at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

from voltvan.charging._model import DepotProblem, availability
from voltvan.errors import Infeasible

EARLY_TIE_PER_KWH = 1e-5
SMOOTHING_PER_KW = 1e-3
MET_TOLERANCE_WH = 1.0
"""A van short by less than this counts as met (the LP's own tolerance is far finer)."""


@dataclass(frozen=True, slots=True)
class Window:
    """Where and how fast a van may charge: its session and its power limit there."""

    start_s: float
    end_s: float
    rate_w: float


@dataclass(frozen=True, slots=True)
class LpResult:
    """Average battery-side power per slot for each van, its shortfall, and the objective."""

    power_w: dict[str, list[float]]
    shortfall_wh: dict[str, float]
    objective: float


def shortfall_penalty_per_wh(problem: DepotProblem) -> float:
    """Dear enough that one Wh of need always outweighs its energy price and its peak cost."""
    slot_h = problem.slot_s / 3600.0
    top_price = max(problem.prices_per_kwh(), default=0.0)
    per_wh = top_price / 1000.0 + problem.tariff.demand_charge_per_kw / 1000.0 / slot_h
    return 100.0 * (per_wh / problem.efficiency + 1e-4)


@dataclass(slots=True)
class _Model:
    """The LP in matrix form plus where each van's variables are."""

    cost: np.ndarray
    a_ub: csr_matrix
    b_ub: np.ndarray
    a_eq: csr_matrix | None
    upper: np.ndarray
    x_of: list[tuple[str, int, int]]
    shortfall_var: dict[str, int] = field(default_factory=dict)
    required_wh: dict[str, float] = field(default_factory=dict)


def solve_lp(
    problem: DepotProblem,
    windows: dict[str, Window],
    *,
    occupancy_limit: int | None = None,
    shortfall_weights: dict[str, float] | None = None,
    early_weights: dict[str, float] | None = None,
    early_per_kwh: float = EARLY_TIE_PER_KWH,
    interior: bool = False,
) -> LpResult:
    """Cheapest power schedule inside the given windows.

    ``shortfall_weights`` scale each van's shortfall penalty (default 1): the scheduler uses
    them to keep the vans it chose to meet whole.

    ``occupancy_limit`` adds the connector relaxation used for the lower bound: in each slot
    the vans' power, each as a share of its own limit, sums to at most that many connectors.

    ``early_weights`` scale each van's charge-early tie-break (default 1), and
    ``early_per_kwh`` its size: with weights that differ by van, among equally cheap
    schedules vans with a larger weight charge first, which bunches each van's energy into
    a block of neighbouring slots (the session guide relies on it). ``interior`` solves with
    HiGHS's interior point method and crossover (still a vertex): faster on the whole-stay
    relaxation, slower on short sessions.
    """
    m = _build(problem, windows, occupancy_limit, shortfall_weights, early_weights, early_per_kwh)
    res = linprog(
        m.cost,
        A_ub=m.a_ub,
        b_ub=m.b_ub,
        A_eq=m.a_eq,
        b_eq=np.zeros(m.a_eq.shape[0]) if m.a_eq is not None else None,
        bounds=np.column_stack([np.zeros(len(m.cost)), m.upper]),
        method="highs-ipm" if interior else "highs",
    )
    if res.status != 0 or res.x is None:
        raise Infeasible(f"the charging LP failed: {res.message}")
    power, short = _read(problem, m, res.x)
    return LpResult(power_w=power, shortfall_wh=short, objective=float(res.fun))


def most_vans_met(
    problem: DepotProblem,
    windows: dict[str, Window],
    *,
    node_limit: int = 200,
    taper: bool = True,
) -> tuple[frozenset[str], bool] | None:
    """The largest set of vans that can all get their whole need together, and whether HiGHS
    proved it largest within ``node_limit`` branch-and-bound nodes (deterministic, unlike a
    time limit). ``None`` when the limit came before any solution.

    One binary per van that needs energy: its shortfall may be positive only when the binary
    is 0; maximise the binaries. Prices play no part here: the LP that follows spends least
    on the chosen vans. Without ``taper`` the batteries' slow-down near full is left out: a
    further relaxation (its count can only be larger) that solves several times faster.
    """
    m = _build(problem, windows, None, None, None, EARLY_TIE_PER_KWH, taper=taper)
    vans = [v for v, j in m.shortfall_var.items() if m.required_wh[v] > MET_TOLERANCE_WH]
    nv, nz = len(m.cost), len(vans)
    if nz == 0:
        return frozenset(), True
    # u_v + (R_v - tol) z_v <= R_v: a chosen van misses at most the tolerance
    link = coo_matrix(
        (
            [1.0] * nz + [m.required_wh[v] - MET_TOLERANCE_WH for v in vans],
            (list(range(nz)) * 2, [m.shortfall_var[v] for v in vans] + [nv + i for i in range(nz)]),
        ),
        shape=(nz, nv + nz),
    ).tocsr()
    a_ub = vstack([hstack([m.a_ub, csr_matrix((m.a_ub.shape[0], nz))]), link]).tocsr()
    b_ub = np.concatenate([m.b_ub, [m.required_wh[v] for v in vans]])
    constraints = [LinearConstraint(a_ub, -np.inf, b_ub)]
    if m.a_eq is not None:
        a_eq = hstack([m.a_eq, csr_matrix((m.a_eq.shape[0], nz))]).tocsr()
        constraints.append(LinearConstraint(a_eq, 0.0, 0.0))
    cost = np.concatenate([np.zeros(nv), -np.ones(nz)])
    res = milp(
        cost,
        constraints=constraints,
        integrality=np.concatenate([np.zeros(nv), np.ones(nz)]),
        bounds=Bounds(np.zeros(nv + nz), np.concatenate([m.upper, np.ones(nz)])),
        options={"node_limit": node_limit, "presolve": True},
    )
    if res.x is None:
        return None
    chosen = frozenset(v for i, v in enumerate(vans) if res.x[nv + i] > 0.5)
    return chosen, res.status == 0


def _read(
    problem: DepotProblem, m: _Model, x: np.ndarray
) -> tuple[dict[str, list[float]], dict[str, float]]:
    slot_h = problem.slot_s / 3600.0
    n = problem.grid_num_slots
    power: dict[str, list[float]] = {r.vehicle_id: [0.0] * n for r in problem.requests}
    for vid, k, j in m.x_of:
        power[vid][k] = max(0.0, float(x[j])) / slot_h
    short = {vid: max(0.0, float(x[u])) for vid, u in m.shortfall_var.items()}
    return power, short


def _build(
    problem: DepotProblem,
    windows: dict[str, Window],
    occupancy_limit: int | None,
    shortfall_weights: dict[str, float] | None,
    early_weights: dict[str, float] | None,
    early_per_kwh: float,
    *,
    taper: bool = True,
) -> _Model:
    n = problem.grid_num_slots
    slot_s = problem.slot_s
    slot_h = slot_s / 3600.0
    starts = problem.slot_starts()
    prices = problem.prices_per_kwh()
    eff = problem.efficiency

    cost: list[float] = []
    ub: list[float] = []
    x_of: list[tuple[str, int, int]] = []
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    rhs: list[float] = []
    eq_rows: list[int] = []
    eq_cols: list[int] = []
    eq_vals: list[float] = []
    n_eq = 0

    def var(c: float, upper: float) -> int:
        cost.append(c)
        ub.append(upper)
        return len(cost) - 1

    def row(entries: list[tuple[int, float]], bound: float) -> None:
        r = len(rhs)
        for j, v in entries:
            rows.append(r)
            cols.append(j)
            vals.append(v)
        rhs.append(bound)

    penalty = shortfall_penalty_per_wh(problem)
    site_terms: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    occ_terms: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    shortfall_var: dict[str, int] = {}
    required: dict[str, float] = {}
    for r in problem.requests:
        w = windows.get(r.vehicle_id)
        xs: list[int] = []
        # every Wh costs something (prices, tie-breaks), so no optimum delivers more than the
        # need: capping at it is exact and spares the taper rows of vans that stay below it
        top = min(r.room_wh, r.required_wh)
        if w is not None and w.rate_w > 0 and top > 0:
            early = (early_weights or {}).get(r.vehicle_id, 1.0)
            for k in range(n):
                a = availability(starts[k], slot_s, w.start_s, w.end_s)
                if a <= 0:
                    continue
                c = prices[k] / 1000.0 / eff + early_per_kwh / 1000.0 * k / n * early
                j = var(c, w.rate_w * slot_h * a)
                xs.append(j)
                x_of.append((r.vehicle_id, k, j))
                site_terms[k].append((j, 1.0 / (eff * slot_h)))
                occ_terms[k].append((j, 1.0 / (w.rate_w * slot_h)))
        weight = (shortfall_weights or {}).get(r.vehicle_id, 1.0)
        u = var(penalty * weight, r.required_wh)
        shortfall_var[r.vehicle_id] = u
        required[r.vehicle_id] = r.required_wh
        row([(j, -1.0) for j in xs] + [(u, -1.0)], -r.required_wh)
        if xs:
            row([(j, 1.0) for j in xs], top)
        # taper: power in a slot <= rate * (a + b * soc at the slot's start)
        soc_max = (r.energy_arrival_wh + top) / r.battery_wh
        lines = [(a, b) for a, b in r.taper.lines() if a + b * soc_max < 1.0] if taper else []
        if xs and w is not None and lines:
            cum_prev: int | None = None
            for i, j in enumerate(xs):
                if i == 0:
                    cum = None
                else:
                    cum = var(0.0, np.inf)
                    eq_terms = [(cum, 1.0), (xs[i - 1], -1.0)]
                    if cum_prev is not None:
                        eq_terms.append((cum_prev, -1.0))
                    for jj, v in eq_terms:
                        eq_rows.append(n_eq)
                        eq_cols.append(jj)
                        eq_vals.append(v)
                    n_eq += 1
                for a, b in lines:
                    coef = -w.rate_w * b / r.battery_wh
                    bound = w.rate_w * (a + b * r.energy_arrival_wh / r.battery_wh)
                    row([(j, 1.0 / slot_h)] + ([(cum, coef)] if cum is not None else []), bound)
                cum_prev = cum
    peak = var(problem.tariff.demand_charge_per_kw / 1000.0 + SMOOTHING_PER_KW / 1000.0, np.inf)
    for k, headroom in enumerate(problem.site_headroom_w()):
        if site_terms[k]:
            row(site_terms[k], headroom)
            row([*site_terms[k], (peak, -1.0)], -problem.base_load(k))
        else:
            row([(peak, -1.0)], -problem.base_load(k))
        if occupancy_limit is not None and occ_terms[k]:
            row(occ_terms[k], float(occupancy_limit))

    nv = len(cost)
    a_ub = coo_matrix((vals, (rows, cols)), shape=(len(rhs), nv)).tocsr()
    a_eq = coo_matrix((eq_vals, (eq_rows, eq_cols)), shape=(n_eq, nv)).tocsr() if n_eq else None
    return _Model(
        cost=np.asarray(cost),
        a_ub=a_ub,
        b_ub=np.asarray(rhs),
        a_eq=a_eq,
        upper=np.asarray(ub),
        x_of=x_of,
        shortfall_var=shortfall_var,
        required_wh=required,
    )
