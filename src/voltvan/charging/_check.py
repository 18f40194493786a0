"""An independent check of a schedule against its problem: it recomputes everything itself.

It never reads the LP's own totals; it starts from the per-slot power of each van, so it can
judge the scheduler, the baselines and hand-written schedules alike.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from voltvan.charging._model import DepotProblem, availability, rate_w
from voltvan.charging._schedule import Schedule

POWER_TOL_W = 1.0
ENERGY_TOL_WH = 1.0


def check_schedule(problem: DepotProblem, schedule: Schedule) -> list[str]:
    """Every violated rule, as a sentence; an empty list means the schedule is valid.

    Shortfalls are violations only when the schedule does not report them.
    """
    errors: list[str] = []
    n = problem.grid_num_slots
    slot_h = problem.slot_s / 3600.0
    starts = problem.slot_starts()
    if schedule.num_slots != n or abs(schedule.start_s - problem.grid_start_s) > 1e-6:
        return [f"slot grid differs: {schedule.num_slots} slots from {schedule.start_s}"]
    site = [problem.base_load(k) for k in range(n)]
    by_connector: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    reported = {s["vehicle_id"]: float(s["shortfall_wh"]) for s in schedule.shortfalls}
    for r in problem.requests:
        v = schedule.van(r.vehicle_id)
        if len(v.power_w) != n:
            errors.append(f"{r.vehicle_id}: {len(v.power_w)} power values for {n} slots")
            continue
        if v.connector_id is None:
            limit = 0.0
            lo, hi = r.arrival_s, r.arrival_s
        else:
            conn = problem.connector(v.connector_id)
            limit = rate_w(r, conn)
            lo = v.plug_in if v.plug_in is not None else r.arrival_s
            hi = v.plug_out if v.plug_out is not None else r.departure_s
            if r.charger_id is not None and conn.charger_id != r.charger_id:
                errors.append(f"{r.vehicle_id}: on {conn.id} but pinned to {r.charger_id}")
            if lo < r.arrival_s - 1e-6 or hi > r.departure_s + 1e-6 or hi < lo:
                errors.append(f"{r.vehicle_id}: plugged {lo:.0f}-{hi:.0f} outside its stay")
            by_connector[conn.id].append((lo, hi, r.vehicle_id))
        energy = r.energy_arrival_wh
        for k, p in enumerate(v.power_w):
            if p < -POWER_TOL_W:
                errors.append(f"{r.vehicle_id}: negative power in slot {k}")
            a = availability(starts[k], problem.slot_s, lo, hi)
            allowed = min(limit * a, limit * r.taper.fraction(energy / r.battery_wh))
            if p > allowed + POWER_TOL_W:
                errors.append(
                    f"{r.vehicle_id}: {p:.0f} W in slot {k} exceeds {allowed:.0f} W allowed"
                )
            energy += p * slot_h
            site[k] += p / problem.efficiency
        delivered = energy - r.energy_arrival_wh
        if energy > r.cap_wh + ENERGY_TOL_WH:
            errors.append(f"{r.vehicle_id}: holds {energy:.0f} Wh, above its cap {r.cap_wh:.0f}")
        missing = r.required_wh - delivered
        if missing > ENERGY_TOL_WH and abs(reported.get(r.vehicle_id, 0.0) - missing) > 10.0:
            errors.append(
                f"{r.vehicle_id}: {missing:.0f} Wh short, reported "
                f"{reported.get(r.vehicle_id, 0.0):.0f} Wh"
            )
    for k, p in enumerate(site):
        if p > problem.site_limit_w + POWER_TOL_W and p > problem.base_load(k) + POWER_TOL_W:
            errors.append(
                f"slot {k}: site draws {p:.0f} W over the {problem.site_limit_w:.0f} W limit"
            )
    for cid, spans in by_connector.items():
        spans.sort()
        for first, second in itertools.pairwise(spans):
            if second[0] < first[1] - 1e-6:
                errors.append(f"{cid}: {first[2]} and {second[2]} plugged in at the same time")
    return errors


def delivered_wh(schedule: Schedule) -> dict[str, float]:
    """Battery-side energy each van receives, recomputed from its power per slot."""
    slot_h = schedule.slot_s / 3600.0
    return {v.vehicle_id: sum(v.power_w) * slot_h for v in schedule.vans}
