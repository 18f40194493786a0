"""The open algorithms voltvan is measured against, from their definitions (as in ACN-Sim).

All three run slot by slot on the same grid, connectors and tariff as the LP. A waiting van
takes a free connector in priority order and leaves it once it holds its route energy (the yard
re-plugs), or at departure. Power per slot:

- **uncontrolled**: every plugged van at full power, first come first served; the site limit is
  ignored, as a plain charger would.
- **EDF** (earliest deadline first): the site's headroom goes to plugged vans by departure.
- **LLF** (least laxity first): by laxity = time left - time still needed at full power.
"""

from __future__ import annotations

import time
from typing import Literal

from voltvan.charging._assign import Session
from voltvan.charging._model import DepotProblem, availability, rate_w
from voltvan.charging._schedule import Schedule, VanPlan

Policy = Literal["uncontrolled", "edf", "llf"]


def baseline_sessions(problem: DepotProblem, policy: Policy) -> dict[str, Session]:
    """The connector sessions the policy ends up with: a seed the LP can only improve on."""
    out = {}
    for v in run_baseline(problem, policy).vans:
        c, a, b = v.connector_id, v.plug_in, v.plug_out
        if c is not None and a is not None and b is not None and b > a:
            out[v.vehicle_id] = Session(v.vehicle_id, c, a, b)
    return out


def run_baseline(problem: DepotProblem, policy: Policy) -> Schedule:
    """The night as the policy would charge it, in the scheduler's output format."""
    t0 = time.perf_counter()
    n, slot_s = problem.grid_num_slots, problem.slot_s
    slot_h = slot_s / 3600.0
    starts = problem.slot_starts()
    headroom = problem.site_headroom_w()
    reqs = {r.vehicle_id: r for r in problem.requests}
    delivered = dict.fromkeys(reqs, 0.0)
    power = {v: [0.0] * n for v in reqs}
    holder: dict[str, str | None] = {c.id: None for c in problem.connectors}
    session: dict[str, tuple[str, float, float]] = {}
    done: set[str] = set()
    for k in range(n):
        t, t_end = starts[k], starts[k] + slot_s
        for held, occupant in holder.items():
            if occupant is None:
                continue
            q = reqs[occupant]
            if delivered[occupant] >= q.required_wh - 1e-6 or q.departure_s <= t:
                c0, a0, _ = session[occupant]
                session[occupant] = (c0, a0, min(t, q.departure_s))
                holder[held] = None
                done.add(occupant)

        def key(vid: str, now: float = t) -> tuple[float, str]:
            r = reqs[vid]
            if policy == "edf":
                return (r.departure_s, vid)
            if policy == "llf":
                rate = max((rate_w(r, c) for c in problem.connectors), default=1.0)
                need_s = (r.required_wh - delivered[vid]) * 3600.0 / rate
                return (r.departure_s - now - need_s, vid)
            return (r.arrival_s, vid)

        waiting = sorted(
            (
                v
                for v, r in reqs.items()
                if v not in done
                and v not in session
                and r.arrival_s < t_end
                and r.departure_s > t
                and r.required_wh > 0
            ),
            key=key,
        )
        for vid in waiting:
            r = reqs[vid]
            free = [
                c
                for c in problem.connectors
                if holder[c.id] is None and (r.charger_id is None or c.charger_id == r.charger_id)
            ]
            if not free:
                break
            best = max(free, key=lambda c: (rate_w(r, c), c.id))
            holder[best.id] = vid
            session[vid] = (best.id, max(r.arrival_s, t), r.departure_s)
        plugged = sorted((v for v in holder.values() if v is not None), key=key)
        left = headroom[k] * problem.efficiency
        for vid in plugged:
            r = reqs[vid]
            c_id, a_s, b_s = session[vid]
            conn = problem.connector(c_id)
            soc = (r.energy_arrival_wh + delivered[vid]) / r.battery_wh
            cap = rate_w(r, conn) * min(availability(t, slot_s, a_s, b_s), r.taper.fraction(soc))
            want = (min(r.required_wh, r.room_wh) - delivered[vid]) / slot_h
            p = max(0.0, min(cap, want))
            if policy != "uncontrolled":
                p = max(0.0, min(p, left))
                left -= p
            power[vid][k] = p
            delivered[vid] += p * slot_h
    vans = []
    for vid, r in reqs.items():
        c_id, a_s, b_s = session.get(vid, (None, None, None))  # type: ignore[assignment]
        short = max(0.0, r.required_wh - delivered[vid])
        vans.append(
            VanPlan(
                vehicle_id=vid,
                connector_id=c_id,
                plug_in=a_s,
                plug_out=b_s,
                arrival=r.arrival_s,
                departure=r.departure_s,
                soc_arrival=r.soc_arrival,
                battery_wh=r.battery_wh,
                energy_needed_wh=r.energy_needed_wh,
                energy_delivered_wh=delivered[vid],
                shortfall_wh=short if short > 1.0 else 0.0,
                cap_wh=r.cap_wh,
                max_ac_power_w=r.max_ac_power_w,
                max_dc_power_w=r.max_dc_power_w,
                power_w=tuple(power[vid]),
                taper=r.taper.points,
                charger_id=r.charger_id,
            )
        )
    shortfalls = tuple(
        {"vehicle_id": v.vehicle_id, "shortfall_wh": v.shortfall_wh, "reason": policy, "fixes": []}
        for v in vans
        if v.shortfall_wh > 0
    )
    return Schedule(
        start_s=problem.grid_start_s,
        slot_s=slot_s,
        site_limit_w=problem.site_limit_w,
        efficiency=problem.efficiency,
        prices_per_kwh=tuple(problem.prices_per_kwh()),
        base_load_w=tuple(problem.base_load(k) for k in range(n)),
        vans=tuple(vans),
        connectors=problem.connectors,
        tariff=problem.tariff,
        shortfalls=shortfalls,
        stats={"solve_s": time.perf_counter() - t0, "policy": policy},
        staffed_s=problem.staffed_s,
    )
