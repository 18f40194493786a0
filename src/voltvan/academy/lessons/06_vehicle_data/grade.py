"""Grades lesson 6: the learner's SQL runs on a lake of the twin's telemetry and is compared
with voltvan's derived tables and with the trips the twin really drove."""

from __future__ import annotations

import math
import types
from pathlib import Path
from typing import Any

from voltvan.academy import twin_lake
from voltvan.telemetry import open_query
from voltvan.twin import TrueTrip

QUESTIONS = ("KM_FROM_ODOMETER_SQL", "WH_PER_KM_SQL", "LONGEST_TRIP_SQL")


def _run(name: str, sql: Any, lake: Path) -> tuple[list[str], list[tuple[Any, ...]], str | None]:
    if not isinstance(sql, str) or sql.strip() in ("", "TODO"):
        return [], [], f"{name} is not written yet (it is still TODO)"
    con = open_query(lake)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall(), None
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [], [], f"{name} does not run: {first}"
    finally:
        con.close()


def _per_van(
    name: str, column: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> tuple[dict[str, float], str | None]:
    if columns[:1] != ["vehicle_id"] or column not in columns:
        return {}, f"{name} must return the columns vehicle_id, {column} (got {', '.join(columns)})"
    k = columns.index(column)
    got: dict[str, float] = {}
    for row in rows:
        if row[0] in got:
            return {}, f"{name} returns van {row[0]} twice: group by vehicle_id"
        got[str(row[0])] = float("nan") if row[k] is None else float(row[k])
    return got, None


def _compare(name: str, unit: str, got: dict[str, float], want: dict[str, float]) -> list[str]:
    problems = []
    if set(got) != set(want):
        problems.append(f"{name}: the lake has vans {sorted(want)}, you returned {sorted(got)}")
    for van in sorted(set(got) & set(want)):
        if not math.isclose(got[van], want[van], rel_tol=1e-6, abs_tol=1e-6):
            problems.append(f"{name}: van {van}: {want[van]:.2f} {unit}, yours {got[van]:.2f}")
    return problems


def grade(module: types.ModuleType) -> list[str]:
    twin = twin_lake(days=1)  # the twin's one day: its trips, its midnight
    lake, truth, midnight = twin.folder, list(twin.true_trips[0]), twin.midnight_s[0]
    con = open_query(lake)
    try:
        daily = con.execute(
            "SELECT vehicle_id, sum(distance_m), sum(energy_wh) FROM daily_energy GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    km = {v: d / 1000 for v, d, _ in daily}
    wh_per_km = {v: e / (d / 1000) for v, d, e in daily}
    problems: list[str] = []

    columns, rows, error = _run("KM_FROM_ODOMETER_SQL", module.KM_FROM_ODOMETER_SQL, lake)
    if error is None:
        got, error = _per_van("KM_FROM_ODOMETER_SQL", "km", columns, rows)
        if error is None:
            problems += _compare("KM_FROM_ODOMETER_SQL", "km (the trips' total)", got, km)
    problems += [error] if error else []

    columns, rows, error = _run("WH_PER_KM_SQL", module.WH_PER_KM_SQL, lake)
    if error is None:
        got, error = _per_van("WH_PER_KM_SQL", "wh_per_km", columns, rows)
        if error is None:
            problems += _compare("WH_PER_KM_SQL", "Wh/km (daily_energy)", got, wh_per_km)
    problems += [error] if error else []

    problems += grade_longest(module, lake, truth, midnight)
    return problems


def grade_longest(
    module: types.ModuleType, lake: Path, truth: list[TrueTrip], midnight: float
) -> list[str]:
    columns, rows, error = _run("LONGEST_TRIP_SQL", module.LONGEST_TRIP_SQL, lake)
    if error is not None:
        return [error]
    wanted = ["vehicle_id", "start_ts", "distance_m"]
    if columns[:3] != wanted or len(rows) != 1:
        return [
            f"LONGEST_TRIP_SQL must return one row with columns {', '.join(wanted)} "
            f"(got {len(rows)} rows of {', '.join(columns)})"
        ]
    van, start, distance = rows[0][:3]
    longest = max(truth, key=lambda t: t.distance_m)
    start_s = start.timestamp() - midnight if hasattr(start, "timestamp") else None
    if van != longest.van_id or start_s is None or abs(start_s - longest.start_s) > 1.0:
        return [
            f"LONGEST_TRIP_SQL: the longest trip is van {longest.van_id}'s of "
            f"{longest.distance_m / 1000:.1f} km; yours is van {van}'s from {start} "
            f"({float(distance or 0) / 1000:.1f} km)"
        ]
    return []
