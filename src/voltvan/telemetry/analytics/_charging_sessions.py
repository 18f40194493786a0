"""Charging sessions: when a van charged, from which SoC to which, how much energy, peak power.

The sessions are found by :mod:`._charging_detect`. Energy is the integral of battery power where
the van sends it (measured at the battery, so it can estimate capacity, see :mod:`._health`),
else the ``CurrentEnergy`` rise, else SoC gain times capacity (marked ``energy_source = 'soc'``;
useless for health).

The typical session is an overnight depot charge, so sessions never stop at midnight: a session
belongs to the UTC day it starts on and a day is read through :mod:`._day_window`, like trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from voltvan.telemetry.analytics._charging_detect import (
    SESSION_INPUTS,
    ChargingParams,
    all_vans_send_flag,
    found_sql,
    keep_sql,
    sessions_sql,
)
from voltvan.telemetry.analytics._day_window import DAY_CONTEXTS, RowsQuery, day_bounds, day_rows
from voltvan.telemetry.analytics._trips import SIGNALS, fetch_table, interval_fields, soc_fraction
from voltvan.telemetry.store import Connection

_DEFAULTS = ChargingParams()  # frozen, so one default instance serves every call


def charging_sessions(
    con: Connection,
    params: ChargingParams = _DEFAULTS,
    *,
    day: str | None = None,
    battery_wh: dict[str, float] | None = None,
    contexts: Sequence[timedelta] = DAY_CONTEXTS,
) -> Any:
    """Sessions with energy (and where the energy figure comes from), as an Arrow table.

    With ``day``, the sessions that start on that UTC day, whole however far past midnight they
    run, as over all data (read through :func:`._day_window.day_rows` with ``contexts``); the
    detection path of a van is then chosen from what it sent that day.
    """
    flag_only = all_vans_send_flag(con)
    if day is None:
        sql = sessions_sql(params, flag_only=flag_only) + " ORDER BY vehicle_id, start_ts"
        rows = fetch_table(con, sql)
    else:
        span = day_bounds(day)
        query = RowsQuery(
            sql=lambda where: found_sql(params, where, flag_only=flag_only, span=span),
            samples=f"SELECT vehicle_id, ts FROM {SIGNALS} WHERE name IN ({SESSION_INPUTS})",
            gap_s=params.max_gap_s,
            keep=keep_sql(params),
        )
        rows = day_rows(con, day, query, contexts=contexts)
    return _with_energy(rows, battery_wh)


def _with_energy(rows: Any, battery_wh: dict[str, float] | None) -> Any:
    """The session table: the best energy figure of each found session, SoC as a fraction."""
    import pyarrow as pa

    out = []
    for r in rows.to_pylist():
        gain = (r["end_soc_pct"] or 0.0) - (r["start_soc_pct"] or 0.0)
        cap = (battery_wh or {}).get(r["vehicle_id"])
        if r["has_power"] and r["power_wh"] is not None and r["power_wh"] > 0:
            energy, src = r["power_wh"], "power"
        elif r["kwh_wh"] is not None:
            energy, src = r["kwh_wh"], "energy_signal"
        elif cap is not None:
            energy, src = gain / 100.0 * cap, "soc"
        else:
            energy, src = None, "none"
        out.append(
            {
                "vehicle_id": r["vehicle_id"],
                "start_ts": r["start_ts"],
                "end_ts": r["end_ts"],
                "duration_s": (r["end_ts"] - r["start_ts"]).total_seconds(),
                "start_soc": soc_fraction(r["start_soc_pct"]),
                "end_soc": soc_fraction(r["end_soc_pct"]),
                "energy_wh": energy,
                "energy_source": src,
                "peak_power_w": r["peak_power_w"],
                "source": r["source"],
            }
        )
    return pa.Table.from_pylist(out, schema=SESSION_SCHEMA())


def SESSION_SCHEMA() -> Any:  # noqa: N802 - a schema constant built lazily
    import pyarrow as pa

    return pa.schema(
        [
            *interval_fields(),
            ("start_soc", pa.float64()),
            ("end_soc", pa.float64()),
            ("energy_wh", pa.float64()),
            ("energy_source", pa.string()),
            ("peak_power_w", pa.float64()),
            ("source", pa.string()),
        ]
    )
