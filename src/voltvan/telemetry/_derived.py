"""Derived tables: build them from the raw signals, write them as Parquet, expose them as views.

Analytics reads only through the query surface (views over closed Parquet files), so it runs
while an ingest worker writes. Derived tables are written per day under
``derived/<table>/date=YYYY-MM-DD/part-0.parquet`` to a temporary name and renamed, so a reader
never sees half a file and a rebuild of one day replaces exactly that day.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.telemetry._duck import Connection
from voltvan.telemetry._trips import TripParams, fetch_table, stops_sql, trips_sql

if TYPE_CHECKING:
    import pyarrow as pa

DERIVED_TABLES = ("trips", "stops", "charging_sessions", "daily_energy")


def connect(data_dir: Path) -> Connection:
    """The query connection of a data directory; the store's hook adds the derived views."""
    from voltvan.telemetry._query import open_query

    return open_query(data_dir)


def _glob(folder: Path) -> str | None:
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    return str(folder / "**" / "*.parquet").replace("'", "''")


def register_derived_views(con: Connection, data_dir: Path) -> None:
    """A view per derived table; an empty view with the right columns where none is built yet."""
    for table in DERIVED_TABLES:
        glob = _glob(data_dir / "derived" / table)
        if glob is not None:
            con.execute(
                f"CREATE OR REPLACE VIEW {table} AS SELECT * EXCLUDE (date) "
                f"FROM read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"
            )
        else:
            con.execute(f"CREATE OR REPLACE VIEW {table} AS {_EMPTY[table]}")


_EMPTY: Mapping[str, str] = {
    "trips": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::TIMESTAMPTZ AS start_ts, "
        "NULL::TIMESTAMPTZ AS end_ts, NULL::DOUBLE AS duration_s, NULL::DOUBLE AS driving_s, "
        "NULL::DOUBLE AS distance_m, NULL::VARCHAR AS distance_source, "
        "NULL::DOUBLE AS energy_wh, NULL::DOUBLE AS wh_per_km, NULL::DOUBLE AS start_soc, "
        "NULL::DOUBLE AS end_soc WHERE false"
    ),
    "stops": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::TIMESTAMPTZ AS start_ts, "
        "NULL::TIMESTAMPTZ AS end_ts, NULL::DOUBLE AS duration_s, NULL::DOUBLE AS lat, "
        "NULL::DOUBLE AS lon WHERE false"
    ),
    "charging_sessions": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::TIMESTAMPTZ AS start_ts, "
        "NULL::TIMESTAMPTZ AS end_ts, NULL::DOUBLE AS start_soc, NULL::DOUBLE AS end_soc, "
        "NULL::DOUBLE AS energy_wh, NULL::DOUBLE AS peak_power_w, NULL::VARCHAR AS source "
        "WHERE false"
    ),
    "daily_energy": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::DATE AS day, NULL::DOUBLE AS distance_m, "
        "NULL::DOUBLE AS driving_s, NULL::DOUBLE AS energy_wh, NULL::DOUBLE AS wh_per_km "
        "WHERE false"
    ),
}


def write_day_table(data_dir: Path, table: str, day: str, rows: pa.Table) -> Path:
    """Replace one day of a derived table atomically (temp file + rename, old parts removed)."""
    import pyarrow.parquet as pq

    folder = data_dir / "derived" / table / f"date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{uuid.uuid4().hex}.parquet"
    pq.write_table(rows, tmp)
    final = folder / "part-0.parquet"
    tmp.replace(final)
    for old in folder.glob("*.parquet"):
        if old != final:
            old.unlink(missing_ok=True)
    return final


def days_with_signals(con: Connection) -> list[str]:
    """The UTC days that have raw signals, oldest first."""
    rows = con.execute(
        "SELECT DISTINCT CAST(ts AT TIME ZONE 'UTC' AS DATE)::VARCHAR AS d FROM signals ORDER BY d"
    ).fetchall()
    return [str(r[0]) for r in rows]


def build_trips_and_stops(
    con: Connection, params: TripParams, day: str
) -> tuple[pa.Table, pa.Table]:
    """Trips (distance from odometer, else cleaned GPS, else speed; energy) and stops of a day."""
    from voltvan.telemetry._daily import enrich_trips

    where = " AND ts >= CAST(? AS DATE) AND ts < CAST(? AS DATE) + INTERVAL 1 DAY"
    base = fetch_table(con, trips_sql(params, where), [day, day])
    stops = fetch_table(con, stops_sql(params, where), [day, day, day, day])
    return enrich_trips(con, base), stops
