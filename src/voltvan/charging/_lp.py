"""The charging LP on HiGHS (through ``scipy.optimize.linprog``): the only module that solves.

Variables are the battery-side energy of each van in each slot of its session, its shortfall,
the cumulative energy before each slot (only for vans that can reach the taper of their
battery) and the site peak. Constraints: per-van power (connector, van, taper), need (soft,
with a penalty far above any price so shortfalls happen only when physics forces them), ceiling,
site limit minus base load per slot, and the peak. The objective is energy cost plus demand
charge, with two tiny tie-breaks: charge early among equal prices (a plan change then finds
batteries fuller), and a small price on the peak even without a demand charge (smoothing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from voltvan.charging._model import DepotProblem, availability
from voltvan.errors import Infeasible

EARLY_TIE_PER_KWH = 1e-5
SMOOTHING_PER_KW = 1e-3


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


def solve_lp(
    problem: DepotProblem,
    windows: dict[str, Window],
    *,
    occupancy_limit: int | None = None,
    shortfall_weights: dict[str, float] | None = None,
) -> LpResult:
    """Cheapest power schedule inside the given windows.

    ``shortfall_weights`` scale each van's shortfall penalty (default 1): the scheduler uses
    them to concentrate an unavoidable shortfall on few vans.

    ``occupancy_limit`` adds the connector relaxation used for the lower bound: in each slot
    the vans' power, each as a share of its own limit, sums to at most that many connectors.
    """
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
    for r in problem.requests:
        w = windows.get(r.vehicle_id)
        xs: list[int] = []
        if w is not None and w.rate_w > 0 and r.room_wh > 0:
            for k in range(n):
                a = availability(starts[k], slot_s, w.start_s, w.end_s)
                if a <= 0:
                    continue
                c = prices[k] / 1000.0 / eff + EARLY_TIE_PER_KWH / 1000.0 * k / n
                j = var(c, w.rate_w * slot_h * a)
                xs.append(j)
                x_of.append((r.vehicle_id, k, j))
                site_terms[k].append((j, 1.0 / (eff * slot_h)))
                occ_terms[k].append((j, 1.0 / (w.rate_w * slot_h)))
        weight = (shortfall_weights or {}).get(r.vehicle_id, 1.0)
        u = var(penalty * weight, r.required_wh)
        shortfall_var[r.vehicle_id] = u
        row([(j, -1.0) for j in xs] + [(u, -1.0)], -r.required_wh)
        if xs:
            row([(j, 1.0) for j in xs], r.room_wh)
        # taper: power in a slot <= rate * (a + b * soc at the slot's start)
        soc_max = (r.energy_arrival_wh + r.room_wh) / r.battery_wh
        lines = [(a, b) for a, b in r.taper.lines() if a + b * soc_max < 1.0]
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
    res = linprog(
        np.asarray(cost),
        A_ub=a_ub,
        b_ub=np.asarray(rhs),
        A_eq=a_eq,
        b_eq=np.zeros(n_eq) if n_eq else None,
        bounds=np.column_stack([np.zeros(nv), np.asarray(ub)]),
        method="highs",
    )
    if res.status != 0 or res.x is None:
        raise Infeasible(f"the charging LP failed: {res.message}")
    x = res.x
    power: dict[str, list[float]] = {r.vehicle_id: [0.0] * n for r in problem.requests}
    for vid, k, j in x_of:
        power[vid][k] = max(0.0, float(x[j])) / slot_h
    short = {vid: max(0.0, float(x[u])) for vid, u in shortfall_var.items()}
    return LpResult(power_w=power, shortfall_wh=short, objective=float(res.fun))
