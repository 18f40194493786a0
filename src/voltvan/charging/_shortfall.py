"""What to do about vans the depot cannot charge in time: the fixes the plan allows.

Three kinds, best first: swap routes with a van that can take the longer one (checked by
re-solving the schedule, never guessed), plug in earlier (how much earlier at full power), or
stop at a public charger near the route (which one, how much energy, how long). Open depot
chargers stop at "this van falls short"; knowing the routes is what lets us say what to do.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from voltvan.charging._lp_schedule import lower_bound
from voltvan.charging._model import ChargeRequest, DepotProblem, rate_w
from voltvan.charging._schedule import Schedule
from voltvan.charging._scheduler import SchedulerParams, schedule_depot
from voltvan.domain import Fleet
from voltvan.plan import Plan
from voltvan.travel import haversine_m

MAX_SWAP_TRIALS = 8
"""Swaps screened per short van, on the connector-relaxed LP (fast)."""
MAX_SWAP_CHECKS = 2
"""The most promising screened swaps re-solved as real schedules; the first that helps wins."""
SWAP_TRIAL_PARAMS = SchedulerParams(session_slacks=(1.3,), most_met=False)
"""Trials minimise the total missing energy (no MILP): a swap must cut it to be proposed."""


def _total_short(s: Schedule) -> float:
    return sum(v.shortfall_wh for v in s.vans)


def propose_fixes(
    problem: DepotProblem,
    schedule: Schedule,
    *,
    plan: Plan | None = None,
    fleet: Fleet | None = None,
) -> Schedule:
    """The schedule with each shortfall carrying its proposed fixes (best first)."""
    if not schedule.shortfalls:
        return schedule
    # swaps are judged by the least total missing energy, before and after, on equal terms
    base_short = _total_short(schedule_depot(problem, SWAP_TRIAL_PARAMS))
    base_relaxed = _total_short(lower_bound(problem))
    out = []
    for sf in schedule.shortfalls:
        vid = str(sf["vehicle_id"])
        short = float(sf["shortfall_wh"])
        r = problem.request(vid)
        fixes: list[dict[str, Any]] = []
        swap = _best_swap(problem, r, (base_relaxed, base_short), fleet)
        if swap is not None:
            fixes.append(swap)
        fixes.append(_earlier_plug_in(problem, r, short))
        if plan is not None and fleet is not None:
            stop = _charging_stop(r, short, plan, fleet)
            if stop is not None:
                fixes.append(stop)
        out.append({**sf, "fixes": fixes})
    return dataclasses.replace(schedule, shortfalls=tuple(out))


def _compatible(a: ChargeRequest, b: ChargeRequest, fleet: Fleet | None) -> bool:
    if fleet is not None:
        try:
            return fleet.van(a.vehicle_id).type_id == fleet.van(b.vehicle_id).type_id
        except Exception:
            return False
    return a.battery_wh == b.battery_wh


def _best_swap(
    problem: DepotProblem,
    short: ChargeRequest,
    base: tuple[float, float],
    fleet: Fleet | None,
) -> dict[str, Any] | None:
    """Try giving the short van a route that needs less: screen the swaps on the relaxed LP
    (``base[0]`` is its missing energy now), then re-solve the best few as real schedules and
    propose the first that cuts the real missing energy (``base[1]``)."""
    candidates = sorted(
        (
            r
            for r in problem.requests
            if r.vehicle_id != short.vehicle_id
            and r.energy_needed_wh < short.energy_needed_wh
            and _compatible(r, short, fleet)
        ),
        key=lambda r: r.energy_needed_wh,
    )[:MAX_SWAP_TRIALS]
    screened: list[tuple[float, str, ChargeRequest, DepotProblem]] = []
    for other in candidates:
        swapped = []
        for r in problem.requests:
            if r.vehicle_id == short.vehicle_id:
                r = dataclasses.replace(
                    r, energy_needed_wh=other.energy_needed_wh, departure_s=other.departure_s
                )
            elif r.vehicle_id == other.vehicle_id:
                if short.energy_needed_wh > r.battery_wh:
                    break
                r = dataclasses.replace(
                    r, energy_needed_wh=short.energy_needed_wh, departure_s=short.departure_s
                )
            swapped.append(r)
        else:
            trial = dataclasses.replace(problem, requests=tuple(swapped))
            relaxed = _total_short(lower_bound(trial))
            if relaxed < base[0] - 1.0:
                screened.append((relaxed, other.vehicle_id, other, trial))
    best: tuple[float, ChargeRequest] | None = None
    for _, _, other, trial in sorted(screened, key=lambda x: x[:2])[:MAX_SWAP_CHECKS]:
        left = _total_short(schedule_depot(trial, SWAP_TRIAL_PARAMS))
        if left < base[1] - 1.0:
            best = (left, other)
            break
    if best is None:
        return None
    return {
        "kind": "swap_routes",
        "with_vehicle_id": best[1].vehicle_id,
        "shortfall_after_wh": best[0],
        "note": f"{short.vehicle_id} takes the route of {best[1].vehicle_id} "
        f"({best[1].energy_needed_wh / 1000:.1f} kWh) and gives up its own "
        f"({short.energy_needed_wh / 1000:.1f} kWh)",
    }


def _earlier_plug_in(problem: DepotProblem, r: ChargeRequest, short: float) -> dict[str, Any]:
    rate = max((rate_w(r, c) for c in problem.connectors), default=0.0)
    earlier_s = math.inf if rate <= 0 else short * 3600.0 / rate
    by = r.arrival_s - earlier_s
    slot = problem.slot_s
    return {
        "kind": "earlier_plug_in",
        "plug_in_by": math.floor(by / slot) * slot if math.isfinite(by) else None,
        "earlier_by_s": earlier_s if math.isfinite(earlier_s) else None,
        "note": "at full power on the fastest free connector, if the site has headroom",
    }


def _charging_stop(
    r: ChargeRequest, short: float, plan: Plan, fleet: Fleet
) -> dict[str, Any] | None:
    route = next((x for x in plan.routes if x.van_id == r.vehicle_id), None)
    if route is None or not fleet.public_chargers:
        return None
    best: tuple[float, str, str] | None = None
    for ch in fleet.public_chargers:
        for v in route.visits:
            d = float(haversine_m(v.lat, v.lon, ch.lat, ch.lon))
            if best is None or d < best[0]:
                best = (d, ch.id, v.location_id)
    assert best is not None
    ch = next(c for c in fleet.public_chargers if c.id == best[1])
    power = min(ch.power_w, r.max_power_w(ch.current))
    return {
        "kind": "charging_stop",
        "charger_id": ch.id,
        "near_location_id": best[2],
        "detour_distance_m": 2 * best[0],
        "energy_wh": short,
        "duration_s": short * 3600.0 / power if power > 0 else None,
    }
