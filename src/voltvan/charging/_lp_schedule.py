"""The LP's power per van as a :class:`Schedule`, and the scheduler's lower bound.

The lower bound is the same LP with connectors relaxed: no real schedule costs less while
delivering the same energy, so reports and tests measure the scheduler against it.
"""

from __future__ import annotations

import time

from voltvan.charging._assign import Session
from voltvan.charging._candidates import SHORTFALL_TOLERANCE_WH
from voltvan.charging._lp import LpResult, Window, solve_lp
from voltvan.charging._model import DepotProblem, rate_w
from voltvan.charging._schedule import Schedule, VanPlan


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
    return to_schedule(problem, {}, result, time.perf_counter() - t0, {})


def to_schedule(
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
