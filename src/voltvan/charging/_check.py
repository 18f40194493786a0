"""An independent check of a schedule against its problem: it recomputes everything itself.

It never reads the LP's own totals; it starts from the per-slot power of each van, so it can
judge the scheduler, the baselines and hand-written schedules alike.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

from voltvan.charging._model import DepotProblem, availability, rate_w
from voltvan.charging._plugsheet import PlugRow, plug_sheet
from voltvan.charging._schedule import Schedule
from voltvan.charging._staffed import is_staffed
from voltvan.domain import DAY_S, format_hhmm

POWER_TOL_W = 1.0
ENERGY_TOL_WH = 1.0
REPORT_TOL_WH = 10.0
"""How far a reported shortfall may be from the recomputed one, either way."""
STAFF_TOL_S = 1.0
"""A plug-in within this of the arrival (unplug within this of the departure) is the driver's."""


def check_schedule(problem: DepotProblem, schedule: Schedule) -> list[str]:
    """Every violated rule, as a sentence; an empty list means the schedule is valid.

    Shortfalls are violations only when the schedule does not report them, and a reported
    shortfall must be real: a van that got its energy is not short.
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
        short = max(0.0, r.required_wh - delivered)
        reported_wh = reported.get(r.vehicle_id, 0.0)
        if abs(reported_wh - short) > REPORT_TOL_WH:
            errors.append(f"{r.vehicle_id}: {short:.0f} Wh short, reported {reported_wh:.0f} Wh")
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


def check_plugs(
    problem: DepotProblem, schedule: Schedule, rows: Sequence[PlugRow] | None = None
) -> list[str]:
    """Every broken plug rule of a plug sheet (default: the schedule's own), as a sentence.

    One van per connector at a time; a van is on at most one connector, and on one whenever it
    charges; plug-in not before its arrival, unplug not after its departure nor before the
    plug-in; the sheet agrees with the schedule; staff plug in or unplug a van (before its
    departure, after its arrival) only in the depot's staffed hours.
    """
    rows = plug_sheet(schedule) if rows is None else list(rows)
    known_vans = {r.vehicle_id for r in problem.requests}
    known_conns = {c.id for c in problem.connectors}
    errors = [
        f"{row.vehicle_id}: the plug sheet names unknown "
        + ("van" if row.vehicle_id not in known_vans else f"connector {row.connector_id}")
        for row in rows
        if row.vehicle_id not in known_vans or row.connector_id not in known_conns
    ]
    rows = [r for r in rows if r.vehicle_id in known_vans and r.connector_id in known_conns]
    errors += _one_van_per_plug(rows)
    errors += _one_plug_per_van(problem, schedule, rows)
    errors += _plugged_within_stay(problem, rows)
    errors += _staff_in_staffed_hours(problem, rows)
    return errors


def _one_van_per_plug(rows: Sequence[PlugRow]) -> list[str]:
    errors = []
    by_connector: dict[str, list[PlugRow]] = defaultdict(list)
    for row in rows:
        by_connector[row.connector_id].append(row)
    for cid, spans in sorted(by_connector.items()):
        spans.sort(key=lambda r: (r.plug_in_s, r.plug_out_s))
        for i, first in enumerate(spans):
            for second in spans[i + 1 :]:
                if second.plug_in_s < first.plug_out_s - 1e-6:
                    errors.append(
                        f"{cid}: {first.vehicle_id} and {second.vehicle_id} on the plug at the "
                        f"same time ({format_hhmm(second.plug_in_s % DAY_S)})"
                    )
    return errors


def _one_plug_per_van(
    problem: DepotProblem, schedule: Schedule, rows: Sequence[PlugRow]
) -> list[str]:
    errors = []
    by_van: dict[str, list[PlugRow]] = defaultdict(list)
    for row in rows:
        by_van[row.vehicle_id].append(row)
    for r in problem.requests:
        mine = by_van.get(r.vehicle_id, [])
        v = schedule.van(r.vehicle_id)
        if len(mine) > 1:
            plugs = ", ".join(sorted(row.connector_id for row in mine))
            errors.append(f"{r.vehicle_id}: on {len(mine)} plugs ({plugs}), not one")
        elif not mine and max(v.power_w, default=0.0) > POWER_TOL_W:
            errors.append(f"{r.vehicle_id}: charges but is on no plug")
        elif mine and (
            mine[0].connector_id != v.connector_id
            or v.plug_in is None
            or v.plug_out is None
            or abs(mine[0].plug_in_s - v.plug_in) > 1e-6
            or abs(mine[0].plug_out_s - v.plug_out) > 1e-6
        ):
            errors.append(
                f"{r.vehicle_id}: the plug sheet has {mine[0].connector_id} "
                f"{mine[0].plug_in_s:.0f}-{mine[0].plug_out_s:.0f} s, the schedule "
                f"{v.connector_id} {v.plug_in}-{v.plug_out} s"
            )
    return errors


def _plugged_within_stay(problem: DepotProblem, rows: Sequence[PlugRow]) -> list[str]:
    errors = []
    for row in rows:
        r = problem.request(row.vehicle_id)
        if row.plug_in_s < r.arrival_s - 1e-6:
            errors.append(
                f"{r.vehicle_id}: plugged in at {format_hhmm(row.plug_in_s % DAY_S)}, before "
                f"it arrives at {format_hhmm(r.arrival_s % DAY_S)}"
            )
        if row.plug_out_s > r.departure_s + 1e-6:
            errors.append(
                f"{r.vehicle_id}: unplugged at {format_hhmm(row.plug_out_s % DAY_S)}, after "
                f"it leaves at {format_hhmm(r.departure_s % DAY_S)}"
            )
        if row.plug_out_s < row.plug_in_s:
            errors.append(f"{r.vehicle_id}: unplugged before it is plugged in")
    return errors


def _staff_in_staffed_hours(problem: DepotProblem, rows: Sequence[PlugRow]) -> list[str]:
    """A plug-in after the arrival or an unplug before the departure needs staff there."""
    errors = []
    for row in rows:
        r = problem.request(row.vehicle_id)
        for what, t, by_staff in (
            ("plugged in", row.plug_in_s, row.plug_in_s > r.arrival_s + STAFF_TOL_S),
            ("unplugged", row.plug_out_s, row.plug_out_s < r.departure_s - STAFF_TOL_S),
        ):
            if by_staff and not is_staffed(problem.staffed_s, t):
                errors.append(
                    f"{r.vehicle_id}: {what} by staff at {format_hhmm(t % DAY_S)}, outside "
                    "the staffed hours"
                )
    return errors
