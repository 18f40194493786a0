"""Grades lesson 4 on two nights: voltvan's checker, the reservation rule, full charge, cost.

The schedule is judged by ``check_schedule`` (independent of any scheduler) and by the plug
sheet derived from it; the cost is compared with the unconstrained schedule of the same night.
"""

from __future__ import annotations

import types

from voltvan import Tariff
from voltvan.charging import (
    ChargeRequest,
    Connector,
    DepotProblem,
    Schedule,
    check_schedule,
    plug_sheet,
    schedule_depot,
)
from voltvan.domain import TariffPeriod, format_hhmm

H = 3600.0
SHORT_TOL_WH = 1.0
COST_SLACK = 0.10
"""A reserved night may cost this share more than the free one (the reservation costs little)."""

TARIFF = Tariff(
    periods=(
        TariffPeriod(0.0, 6 * H, 0.12),
        TariffPeriod(6 * H, 22 * H, 0.30),
        TariffPeriod(22 * H, 24 * H, 0.12),
    ),
    demand_charge_per_kw=8.0,
)


def _night(
    late_van: str, connector_id: str, *, shift: float, site_w: float
) -> tuple[DepotProblem, str, str]:
    vans = [
        ChargeRequest(
            vehicle_id=f"E{k + 1}",
            battery_wh=64_000.0,
            arrival_s=(17.5 + shift + 0.5 * k) * H,
            departure_s=(29.5 + 0.2 * k) * H,
            soc_arrival=0.20 + 0.05 * k,
            energy_needed_wh=48_000.0,
        )
        for k in range(6)
    ]
    late = ChargeRequest(
        vehicle_id=late_van,
        battery_wh=77_000.0,
        arrival_s=(26 + shift) * H,
        departure_s=31 * H,
        soc_arrival=0.15,
        energy_needed_wh=55_000.0,
    )
    connectors = tuple(
        Connector(charger_id=c, number=n, power_w=11_000.0)
        for c, n in (("C1", 1), ("C1", 2), ("C2", 1))
    )
    problem = DepotProblem(
        requests=(late, *vans), connectors=connectors, site_limit_w=site_w, tariff=TARIFF
    )
    return problem, late_van, connector_id


NIGHTS = (
    _night("V7", "C2/1", shift=0.0, site_w=18_000.0),
    _night("LATE", "C1/1", shift=0.5, site_w=19_000.0),
)


def _problems(problem: DepotProblem, late: str, cid: str, schedule: object) -> list[str]:
    night = f"the night with {late} kept on {cid}"
    if not isinstance(schedule, Schedule):
        return [f"schedule_with_reservation should return a Schedule, got {schedule!r}"]
    known = {v.vehicle_id for v in schedule.vans}
    missing = sorted({r.vehicle_id for r in problem.requests} - known)
    if missing:
        return [f"{night}: the schedule leaves out {', '.join(missing)}"]
    errors = check_schedule(problem, schedule)
    if errors:
        return [f"{night}: check_schedule says: {e}" for e in errors[:3]]
    for row in plug_sheet(schedule):
        if row.connector_id == cid and row.vehicle_id != late:
            return [
                f"{night}: {row.vehicle_id} uses the reserved connector {cid} "
                f"{format_hhmm(row.plug_in_s)}-{format_hhmm(row.plug_out_s)}"
            ]
        if row.vehicle_id == late and row.connector_id != cid:
            return [f"{night}: {late} charges on {row.connector_id}, not on its connector {cid}"]
    if schedule.van(late).connector_id != cid:
        return [f"{night}: {late} is not on its reserved connector {cid}"]
    for v in schedule.vans:
        short = v.energy_needed_wh - (v.soc_arrival * v.battery_wh + v.energy_delivered_wh)
        if short > SHORT_TOL_WH:
            return [
                f"{night}: {v.vehicle_id} leaves {short:.0f} Wh short; every van can be charged "
                "fully on this night"
            ]
    free = schedule_depot(problem).cost()["total"]
    paid = schedule.cost()["total"]
    if paid > free * (1 + COST_SLACK):
        return [
            f"{night}: costs {paid:.2f}, while the night without the reservation costs "
            f"{free:.2f}; the reservation alone does not cost {paid - free:.2f} (let the "
            "scheduler decide the power)"
        ]
    return []


def grade(module: types.ModuleType) -> list[str]:
    for problem, late, cid in NIGHTS:
        schedule = module.schedule_with_reservation(problem, late, cid)
        problems = _problems(problem, late, cid, schedule)
        if problems:
            return problems
    return []
