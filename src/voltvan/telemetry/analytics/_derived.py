"""Derived tables: build them from the raw signals, write them as Parquet, expose them as views.

Analytics reads only through the query surface (views over closed Parquet files), so it runs
while an ingest worker writes. Derived tables are written per day under
``derived/<table>/date=YYYY-MM-DD/part-0.parquet`` to a temporary name and renamed, so a reader
never sees half a file and a rebuild of one day replaces exactly that day. A trip, stop or
charging session is written with the day it starts on, whole, however far past midnight it runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.telemetry.analytics._charging_detect import ChargingParams
from voltvan.telemetry.analytics._charging_sessions import SESSION_SCHEMA, charging_sessions
from voltvan.telemetry.analytics._daily import TRIP_SCHEMA, capacities_wh, enrich_trips
from voltvan.telemetry.analytics._gps import GpsParams
from voltvan.telemetry.analytics._trips import (
    TripParams,
    day_trips_and_stops,
    fetch_table,
    interval_fields,
)
from voltvan.telemetry.store import (
    Connection,
    FileLock,
    open_query,
    raw_horizon,
    register_view_hook,
)

if TYPE_CHECKING:
    import pyarrow as pa

DERIVED_TABLES = ("trips", "stops", "charging_sessions", "daily_energy")


def connect(data_dir: Path) -> Connection:
    """The query connection of a data directory; the store's hook adds the derived views."""
    return open_query(data_dir)


def _glob(folder: Path) -> str | None:
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    return str(folder.resolve() / "**" / "*.parquet").replace("'", "''")


def register_derived_views(con: Connection, data_dir: Path) -> None:
    """A view per derived table; an empty view with the right columns where none is built yet."""
    import pyarrow as pa

    for table in DERIVED_TABLES:
        glob = _glob(data_dir / "derived" / table)
        if glob is not None:
            con.execute(
                f"CREATE OR REPLACE VIEW {table} AS SELECT * EXCLUDE (date) "
                f"FROM read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"
            )
        else:
            con.register(f"_empty_{table}", pa.Table.from_pylist([], schema=_SCHEMAS[table]()))
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM _empty_{table}")


# The store sits below analytics and cannot import it: analytics adds its views to every query
# connection from here (``voltvan.telemetry`` imports this module).
register_view_hook(register_derived_views)


def _stop_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([*interval_fields(), ("lat", pa.float64()), ("lon", pa.float64())])


def _daily_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("vehicle_id", pa.string()),
            ("day", pa.date32()),
            ("trips", pa.int64()),
            ("distance_m", pa.float64()),
            ("driving_s", pa.float64()),
            ("energy_wh", pa.float64()),
            ("wh_per_km", pa.float64()),
        ]
    )


_SCHEMAS: Mapping[str, Callable[[], pa.Schema]] = {
    "trips": TRIP_SCHEMA,
    "stops": _stop_schema,
    "charging_sessions": SESSION_SCHEMA,
    "daily_energy": _daily_schema,
}


def write_day_table(data_dir: Path, table: str, day: str, rows: pa.Table) -> Path:
    """Replace one day of a derived table atomically (temp file + rename, old parts removed)."""
    import pyarrow.parquet as pq

    folder = data_dir / "derived" / table / f"date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{uuid.uuid4().hex}.part"  # not *.parquet: readers never see it
    pq.write_table(rows, tmp)
    final = folder / "part-0.parquet"
    tmp.replace(final)
    for old in folder.glob("*.parquet"):
        if old != final:
            old.unlink(missing_ok=True)
    return final


def days_with_signals(data_dir: Path) -> list[str]:
    """The days that have raw signal partitions, oldest first (from the layout, no scan)."""
    base = data_dir / "signals"
    if not base.is_dir():
        return []
    return sorted(p.name.removeprefix("date=") for p in base.glob("date=*") if p.is_dir())


def build_trips_and_stops(
    con: Connection,
    params: TripParams,
    day: str,
    *,
    battery_wh: Mapping[str, float] | None = None,
    gps: GpsParams | None = None,
) -> tuple[pa.Table, pa.Table]:
    """Trips (distance from odometer, else cleaned GPS, else speed; energy) and stops that start
    on a day: the whole trip or stop, however far past midnight it runs."""
    base, stops = day_trips_and_stops(con, params, day)
    return enrich_trips(con, base, battery_wh=battery_wh, gps=gps), stops


@dataclass(frozen=True, slots=True)
class AnalyticsParams:
    """All thresholds of the derived tables in one place (defaults in ``docs/analytics.md``)."""

    trips: TripParams = field(default_factory=TripParams)
    charging: ChargingParams = field(default_factory=ChargingParams)
    gps: GpsParams = field(default_factory=GpsParams)


@dataclass(frozen=True, slots=True)
class DeriveSummary:
    """Rows written per derived table over the days rebuilt."""

    days: tuple[str, ...]
    rows: Mapping[str, int]
    kept: tuple[str, ...] = ()  # left as derived: their raw data, or the day before's, is gone
    #: Trips and charging sessions per van whose energy stayed blank.
    blank_energy: Mapping[str, int] = field(default_factory=dict)
    #: Those of the vans above with no usable capacity (no ``CurrentEnergy`` signal either):
    #: their energy is the SoC change times a capacity nobody gave.
    no_capacity: tuple[str, ...] = ()


def daily_energy(con: Connection, trips: pa.Table) -> pa.Table:
    """Energy per km, distance and driving time per van per day, from that day's trips."""
    con.register("_day_trips", trips)
    try:
        return fetch_table(
            con,
            """SELECT vehicle_id, CAST(start_ts AS DATE) AS day, count(*) AS trips,
                sum(distance_m) AS distance_m, sum(driving_s) AS driving_s,
                sum(energy_wh) AS energy_wh,
                1000.0 * sum(energy_wh) / nullif(sum(distance_m), 0) AS wh_per_km
            FROM _day_trips GROUP BY ALL ORDER BY vehicle_id, day""",
        )
    finally:
        con.unregister("_day_trips")


def derive(
    data_dir: Path,
    *,
    days: Sequence[str] | None = None,
    params: AnalyticsParams | None = None,
    battery_wh: Mapping[str, float] | None = None,
    on_day: Callable[[str], None] | None = None,
) -> DeriveSummary:
    """(Re)build trips, stops, charging sessions and daily energy for ``days`` (default: all).

    Holds the store lock shared, as the writers do: retention must not delete the raw days being
    read nor the derived days being written.
    """
    p = params or AnalyticsParams()
    todo = list(days) if days is not None else days_with_signals(data_dir)
    kept = [d for d in todo if _rebuild_would_lose(data_dir, d)]
    todo = [d for d in todo if d not in kept]
    con = connect(data_dir)
    counts = dict.fromkeys(DERIVED_TABLES, 0)
    blank: dict[str, int] = {}
    lock = FileLock(data_dir / ".store.lock", shared=True, what="store maintenance is running")
    try:
        caps = capacities_wh(con, battery_wh)
        for day in todo:
            trips, stops = build_trips_and_stops(con, p.trips, day, battery_wh=caps, gps=p.gps)
            sessions = charging_sessions(con, p.charging, day=day, battery_wh=caps)
            tables = {
                "trips": trips,
                "stops": stops,
                "charging_sessions": sessions,
                "daily_energy": daily_energy(con, trips),
            }
            for name, table in tables.items():
                write_day_table(data_dir, name, day, table)
                counts[name] += table.num_rows
            _count_blank_energy(blank, trips, sessions)
            if on_day is not None:
                on_day(day)
    finally:
        lock.release()
    no_capacity = tuple(sorted(v for v in blank if v not in caps))
    return DeriveSummary(tuple(todo), counts, tuple(kept), blank, no_capacity)


def _count_blank_energy(blank: dict[str, int], *tables: pa.Table) -> None:
    for table in tables:
        vans = table.column("vehicle_id").to_pylist()
        for van, energy in zip(vans, table.column("energy_wh").to_pylist(), strict=True):
            if energy is None:
                blank[van] = blank.get(van, 0) + 1


def _rebuild_would_lose(data_dir: Path, day: str) -> bool:
    """Whether rebuilding ``day`` would make its derived rows worse, after retention.

    Before the raw-data horizon there is nothing left to derive from (the derived rows are all
    that remains). On the horizon day itself, a trip or charge that began the day before now
    seems to begin at its first sample and would be counted twice, once on each day; its rows
    were derived while the day before was still there, so they are kept unless missing.
    """
    horizon = raw_horizon(data_dir)
    if horizon is None or day > horizon:
        return False
    return day < horizon or any(
        (data_dir / "derived" / table / f"date={day}").is_dir() for table in DERIVED_TABLES
    )
