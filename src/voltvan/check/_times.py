"""Time rules of the replay: travel times, windows, service, charging and the shift.

The leg into a ``resume`` visit is observed, not planned: it is not compared with the matrix, but
the van may not resume before it left the place before.
"""

from __future__ import annotations

import itertools

from voltvan.check._result import Violation
from voltvan.domain import Charger, Scenario, Stop, Van, VehicleType, format_hhmm
from voltvan.plan import Route, Visit
from voltvan.travel import Matrices

TIME_TOL_S = 1.0


def _charge_power_w(charger: Charger, vt: VehicleType) -> float:
    return min(charger.power_w, vt.max_power_w(charger.current))


def check_times(
    route: Route,
    van: Van,
    scenario: Scenario,
    stops: dict[str, Stop],
    chargers: dict[str, Charger],
    vt: VehicleType,
    matrices: Matrices,
    row: dict[str, int],
    out: list[Violation],
) -> None:
    depot = scenario.fleet.depot(van.depot_id)
    first, last = route.visits[0], route.visits[-1]
    earliest = max(van.shift.start_s, depot.opening.start_s)
    latest = min(van.shift.end_s, depot.opening.end_s)
    if first.departure_s < earliest - TIME_TOL_S:
        out.append(
            Violation(
                van.id,
                depot.id,
                "shift",
                f"leaves at {format_hhmm(first.departure_s)}, before {format_hhmm(earliest)}",
            )
        )
    if last.kind == "end" and last.arrival_s > latest + TIME_TOL_S:
        out.append(
            Violation(
                van.id,
                depot.id,
                "shift",
                f"returns at {format_hhmm(last.arrival_s)}, after {format_hhmm(latest)}",
            )
        )
    for prev, cur in itertools.pairwise(route.visits):
        travel = float(matrices.duration_s[row[prev.location_id], row[cur.location_id]])
        expected = prev.departure_s + travel
        if cur.kind == "resume":  # observed: not driven by the plan, but not before leaving
            if cur.arrival_s < prev.departure_s - TIME_TOL_S:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "travel_time",
                        f"resumes at {cur.arrival_s:.0f} s, before it left "
                        f"{prev.location_id} at {prev.departure_s:.0f} s",
                    )
                )
        elif abs(cur.arrival_s - expected) > TIME_TOL_S:
            out.append(
                Violation(
                    van.id,
                    cur.location_id,
                    "travel_time",
                    f"arrives at {cur.arrival_s:.0f} s, travel from {prev.location_id} "
                    f"gives {expected:.0f} s",
                )
            )
        if cur.start_s < cur.arrival_s - TIME_TOL_S or cur.departure_s < cur.start_s - TIME_TOL_S:
            out.append(
                Violation(van.id, cur.location_id, "travel_time", "times out of order at visit")
            )
        if cur.kind in ("stop", "failed") and cur.location_id in stops:
            _check_stop_time(van, cur, stops[cur.location_id], out)
        elif cur.kind == "charge" and cur.location_id in chargers:
            need = cur.charge_wh * 3600.0 / _charge_power_w(chargers[cur.location_id], vt)
            if cur.departure_s - cur.start_s < need - TIME_TOL_S:
                out.append(
                    Violation(
                        van.id,
                        cur.location_id,
                        "charge_time",
                        f"charging {cur.charge_wh:.0f} Wh takes {need:.0f} s, "
                        f"plan allows {cur.departure_s - cur.start_s:.0f} s",
                    )
                )


def _check_stop_time(van: Van, visit: Visit, stop: Stop, out: list[Violation]) -> None:
    if not any(
        tw.start_s - TIME_TOL_S <= visit.start_s <= tw.end_s + TIME_TOL_S
        for tw in stop.time_windows
    ):
        windows = ", ".join(
            f"{format_hhmm(tw.start_s)}-{format_hhmm(tw.end_s)}" for tw in stop.time_windows
        )
        out.append(
            Violation(
                van.id,
                stop.id,
                "time_window",
                f"service starts at {format_hhmm(visit.start_s)}, outside {windows}",
            )
        )
    if visit.departure_s - visit.start_s < stop.service_s - TIME_TOL_S:
        out.append(
            Violation(
                van.id,
                stop.id,
                "service_time",
                f"leaves after {visit.departure_s - visit.start_s:.0f} s, "
                f"service takes {stop.service_s:.0f} s",
            )
        )
