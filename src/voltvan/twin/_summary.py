"""Sum the simulated days up per van and for the fleet: the numbers and bands of ``twin.json``.

The document is plain JSON data (``docs/formats/twin.md``); the HTML report is drawn from it
alone, so a report can be redrawn from a saved ``twin.json``. Numbers are rounded to what means
something (0.1 s, 0.1 Wh, 0.1 m, SoC to 1e-4) so that files stay small and compare byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from voltvan.domain import Scenario
from voltvan.plan import Plan, Route
from voltvan.twin._record import DayResult, Night, TwinRun, VanDay

TWIN_FORMAT_VERSION = 1
#: Width of a lateness bin and the start of the last, open one, in minutes.
LATE_BIN_MIN = 5
LATE_OPEN_MIN = 60
BAND_PERCENTILES = (5, 50, 95)


def _r(x: float, nd: int = 1) -> float:
    return round(float(x), nd)


def twin_document(run: TwinRun, plan: Plan, scenario: Scenario) -> dict[str, Any]:
    """The whole of ``twin.json`` for a run of ``plan``."""
    vans = [_van_summary(run, route, scenario) for route in plan.routes]
    all_days = [vd for d in run.days for vd in d.vans]
    return {
        "format": "voltvan-twin",
        "version": TWIN_FORMAT_VERSION,
        "scenario": run.scenario,
        "seed": run.seed,
        "days": len(run.days),
        "params": run.params.to_dict(),
        "overnight": run.overnight,
        "summary": _totals(all_days, len(run.days)),
        "lateness_histogram": _histogram([s for vd in all_days for s in vd.late_s]),
        "vans": vans,
        "by_day": [_day(d) for d in run.days],
    }


def _totals(van_days: Sequence[VanDay], days: int) -> dict[str, Any]:
    planned = sum(v.planned_stops for v in van_days)
    late_s = [s for v in van_days for s in v.late_s]
    stranded = [v for v in van_days if v.stranded]
    return {
        "van_days": len(van_days),
        "stops_planned": planned,
        "on_time": sum(v.on_time for v in van_days),
        "on_time_share": _r(sum(v.on_time for v in van_days) / planned, 4) if planned else 1.0,
        "late_stops": len(late_s),
        "minutes_late": _r(sum(late_s) / 60.0),
        "max_minutes_late": _r(max(late_s, default=0.0) / 60.0),
        "failed_deliveries": sum(v.failed for v in van_days),
        "missed_stops": sum(v.missed for v in van_days),
        "stranded_van_days": len(stranded),
        "stranded_vans": len({v.van_id for v in stranded}),
        "stranded_share": _r(len(stranded) / len(van_days), 4) if van_days else 0.0,
        "over_shift_van_days": sum(1 for v in van_days if v.over_shift_s > 0.0),
        "lowest_soc": _r(min((v.lowest_soc for v in van_days), default=1.0), 4),
        "energy_wh_per_day": _r(sum(v.energy_wh for v in van_days) / days),
        "charged_wh_per_day": _r(sum(v.charged_wh for v in van_days) / days),
        "distance_m_per_day": _r(sum(v.distance_m for v in van_days) / days),
        "queue_s": _r(sum(v.queue_s for v in van_days)),
    }


def _van_summary(run: TwinRun, route: Route, scenario: Scenario) -> dict[str, Any]:
    van_days = [vd for d in run.days for vd in d.vans if vd.van_id == route.van_id]
    vt = scenario.fleet.vehicle_type(route.vehicle_type_id)
    out = {"van_id": route.van_id, **_totals(van_days, len(run.days))}
    out.pop("van_days")
    out["stranded_days"] = out.pop("stranded_van_days")
    out.pop("stranded_vans")
    out["over_shift_days"] = out.pop("over_shift_van_days")
    out["plan_min_soc"] = _r(route.min_soc, 4)
    out["reserve_soc"] = _r(vt.reserve_fraction, 4)
    out["plan_soc"] = _plan_line(route, vt.battery_wh)
    out["soc_band"] = _band(van_days, vt.battery_wh, run.params.sample_s)
    return out


def _plan_line(route: Route, battery_wh: float) -> dict[str, list[float]]:
    """The plan's state of charge at each arrival, and after each charge."""
    t, soc = [], []
    for v in route.visits:
        t.append(_r(v.arrival_s))
        soc.append(_r(v.soc, 4))
        if v.kind == "charge" and v.charge_wh > 0:
            t.append(_r(v.departure_s))
            soc.append(_r((v.energy_wh + v.charge_wh) / battery_wh, 4))
    return {"t_s": t, "soc": soc}


def _band(van_days: Sequence[VanDay], battery_wh: float, step_s: float) -> dict[str, Any]:
    """5th, 50th and 95th percentile of the state of charge over the days, on a time grid."""
    traces = [(v.trace_t_s, v.trace_wh) for v in van_days if v.trace_t_s]
    if not traces:
        return {"t_s": [], **{f"p{q}": [] for q in BAND_PERCENTILES}}
    first = min(t[0] for t, _ in traces)
    last = max(t[-1] for t, _ in traces)
    grid = np.arange(np.floor(first / step_s) * step_s, last + step_s, step_s)
    socs = np.vstack([np.interp(grid, t, wh) / battery_wh for t, wh in traces])
    qs = np.percentile(socs, BAND_PERCENTILES, axis=0)
    band: dict[str, Any] = {"t_s": [_r(x) for x in grid]}
    for q, row in zip(BAND_PERCENTILES, qs, strict=True):
        band[f"p{q}"] = [_r(x, 4) for x in row]
    return band


def _histogram(late_s: Sequence[float]) -> dict[str, Any]:
    edges = list(range(0, LATE_OPEN_MIN + 1, LATE_BIN_MIN))
    counts = [0] * len(edges)
    for s in late_s:
        k = min(int(s / 60.0 // LATE_BIN_MIN), len(edges) - 1)
        counts[k] += 1
    return {"edges_min": edges, "counts": counts}


def _night(night: Night | None) -> dict[str, Any] | None:
    if night is None:
        return None
    return {
        "mode": night.mode,
        "vans": [
            {
                "van_id": n.van_id,
                "arrival_s": _r(n.arrival_s),
                "soc_arrival": _r(n.soc_arrival, 4),
                "connector_id": n.connector_id,
                "planned_wh": _r(n.planned_wh),
                "delivered_wh": _r(n.delivered_wh),
                "start_soc": _r(n.start_soc, 4),
            }
            for n in night.vans
        ],
    }


def _day(d: DayResult) -> dict[str, Any]:
    return {
        "day": d.day,
        "ambient_c": _r(d.ambient_c, 2),
        "out_of_order": list(d.out_of_order),
        "night": _night(d.night),
        "vans": [
            {
                "van_id": v.van_id,
                "start_soc": _r(v.start_soc, 4),
                "on_time": v.on_time,
                "late": v.late,
                "failed": v.failed,
                "missed": v.missed,
                "minutes_late": _r(sum(v.late_s) / 60.0),
                "stranded_at_s": None if v.stranded_at_s is None else _r(v.stranded_at_s),
                "broken_at_s": None if v.broken_at_s is None else _r(v.broken_at_s),
                "lowest_soc": _r(v.lowest_soc, 4),
                "energy_wh": _r(v.energy_wh),
                "charged_wh": _r(v.charged_wh),
                "distance_m": _r(v.distance_m),
                "queue_s": _r(v.queue_s),
                "over_shift_s": _r(v.over_shift_s),
                "end_s": None if v.end_s is None else _r(v.end_s),
                "events": [
                    {
                        "t_s": _r(e.t_s),
                        "kind": e.kind,
                        "location_id": e.location_id,
                        "value": _r(e.value),
                        "note": e.note,
                    }
                    for e in v.events
                ],
            }
            for v in d.vans
        ],
    }
