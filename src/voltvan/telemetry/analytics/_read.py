"""Reading the derived tables back: rows of one van or one day, the vans seen, the latest SoC.

The reports (``voltvan report ...``) and anything else that shows analytics read through here,
so the SQL over the derived views lives with the tables it reads. Values stay as stored (SI:
s, m, Wh; SoC as a fraction); converting to km, kWh or percent is the caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from voltvan.energy import ObservedTrip
from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest import SOC
from voltvan.telemetry.store import Connection

DerivedTable = Literal["trips", "stops", "charging_sessions", "daily_energy"]

#: The column each derived table is filtered and ordered by in time.
_TIME_COLUMN: dict[str, str] = {
    "trips": "start_ts",
    "stops": "start_ts",
    "charging_sessions": "start_ts",
    "daily_energy": "day",
}


def check_day(day: str | None) -> None:
    """``day`` is None or a ``YYYY-MM-DD`` date (the derived tables' UTC days)."""
    if day is None:
        return
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise InvalidInput(f"{day!r} is not a YYYY-MM-DD date", field="day") from None


def day_filter(vehicle: str | None, day: str | None, ts_col: str) -> tuple[str, list[object]]:
    """An ``AND ...`` clause and its parameters: only ``vehicle``, only the UTC ``day``."""
    check_day(day)
    where, args = "", list[object]()
    if vehicle is not None:
        where += " AND vehicle_id = ?"
        args.append(vehicle)
    if day is not None:
        where += f" AND CAST({ts_col} AS DATE) = CAST(? AS DATE)"
        args.append(day)
    return where, args


def _dicts(con: Connection, sql: str, args: Sequence[object]) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(args))
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def derived_rows(
    con: Connection, table: DerivedTable, *, vehicle: str | None = None, day: str | None = None
) -> list[dict[str, Any]]:
    """The rows of a derived table as dicts, by vehicle and time; only ``vehicle``/``day``."""
    ts_col = _TIME_COLUMN[table]
    where, args = day_filter(vehicle, day, ts_col)
    return _dicts(
        con, f"SELECT * FROM {table} WHERE true {where} ORDER BY vehicle_id, {ts_col}", args
    )


def vehicle_ids(con: Connection) -> list[str]:
    """Every vehicle the store holds a last state for."""
    return [str(r[0]) for r in con.execute("SELECT DISTINCT vehicle_id FROM last_state").fetchall()]


def vans_without_capacity(con: Connection, vans: Sequence[str]) -> list[str]:
    """Of ``vans``, those with trips whose SoC was seen at both ends but whose energy is blank:
    derive knew no usable battery for them."""
    if not vans:
        return []
    marks = ", ".join("?" * len(vans))
    found = con.execute(
        f"""SELECT DISTINCT vehicle_id FROM trips WHERE energy_wh IS NULL
            AND start_soc IS NOT NULL AND end_soc IS NOT NULL AND vehicle_id IN ({marks})""",
        list(vans),
    ).fetchall()
    return sorted(str(r[0]) for r in found)


def latest_soc(con: Connection) -> dict[str, tuple[datetime, float]]:
    """Per vehicle: when its state of charge was last seen, and its value as a fraction."""
    rows = con.execute(
        "SELECT vehicle_id, ts, value FROM last_state WHERE name = ?", [SOC]
    ).fetchall()
    return {str(v): (ts, float(val) / 100.0) for v, ts, val in rows}


def newest_signal_ts(con: Connection) -> datetime | None:
    """The time of the newest signal in the store (None when it is empty)."""
    newest = con.execute("SELECT max(ts) FROM last_state").fetchall()
    return newest[0][0] if newest and newest[0][0] is not None else None


def match_observed(
    trips: Sequence[Mapping[str, Any]], observed: Sequence[ObservedTrip]
) -> list[tuple[Mapping[str, Any], ObservedTrip]]:
    """Pair trips with their observations from :func:`observed_trips` (which skips some), by
    the name it gives each (vehicle and start time)."""
    by_name = {o.name: o for o in observed}
    out = []
    for t in trips:
        name = f"{t['vehicle_id']} {t['start_ts']:%Y-%m-%d %H:%M}"
        if name in by_name:
            out.append((t, by_name[name]))
    return out
