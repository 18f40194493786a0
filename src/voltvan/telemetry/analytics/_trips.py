"""Trips and stops from the speed stream, set-based in DuckDB SQL (gaps and islands).

Segmentation follows Traccar's report logic with thresholds tuned for parcel vans (documented in
``docs/analytics.md``): a sample is *moving* above ``speed_threshold_mps``; a standstill shorter
than ``min_stop_s`` (a traffic light, a quick drop-off) does not end a trip; motion shorter than
``min_trip_s`` or ``min_trip_m`` (manoeuvring in a yard) is no trip; a silence longer than
``max_gap_s`` ends whatever was going on. It runs as window functions over the ``signals`` view so
that it stays fast on tens of millions of rows; only GPS cleaning (sequential) runs in numpy.
Segmentation never stops at midnight: a trip or stop belongs to the UTC day it starts on, and a
day is segmented with enough of its neighbours to find the same segments as all data would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from voltvan.telemetry.analytics._day_window import DAY_CONTEXTS, RowsQuery, day_rows, ts_sql
from voltvan.telemetry.analytics._time_buckets import bucket_sql, buckets_sql
from voltvan.telemetry.ingest import (
    LATITUDE,
    LONGITUDE,
    SPEED,
)
from voltvan.telemetry.store import Connection

if TYPE_CHECKING:
    import pyarrow as pa

#: The relation analytics reads: the ``signals`` view, the first ingested row of each key. A
#: re-delivered sample stored twice (two workers, a crash between write and acknowledgement) is
#: not harmless: some of a van's rows twice and others once change where trips start and weight
#: averages (the Spark engine, which deduplicates, found 99 trips against 97 on a generated fleet),
#: so the dedup's cost is paid (``docs/analytics.md``, "Duplicates").
SIGNALS = "signals"

#: VSS units of the stored values -> SI: km/h -> m/s, percent -> fraction, kWh -> Wh.
KMH_TO_MPS = 1 / 3.6
PERCENT_TO_FRACTION = 0.01
KWH_TO_WH = 1000.0


def fetch_table(con: Connection, sql: str, args: Sequence[object] | None = None) -> Any:
    """The result of a parameterised query as a pyarrow Table (duckdb 1.x and 2.x)."""
    rel = con.sql(sql, params=list(args) if args else None)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    return fetch()


def interval_fields() -> list[tuple[str, pa.DataType]]:
    """The columns every interval table (trips, stops, charging sessions) starts with."""
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    return [
        ("vehicle_id", pa.string()),
        ("start_ts", ts),
        ("end_ts", ts),
        ("duration_s", pa.float64()),
    ]


def soc_fraction(pct: float | None) -> float | None:
    """A stored SoC (percent) as the interval tables report it: a fraction, None when unknown."""
    return None if pct is None else pct / 100.0


@dataclass(frozen=True, slots=True)
class TripParams:
    """Segmentation thresholds (Traccar's names in brackets; see ``docs/analytics.md``)."""

    speed_threshold_mps: float = 1.0  # [speedThreshold] above it a sample counts as moving
    min_trip_s: float = 60.0  # [minimalTripDuration]
    min_trip_m: float = 200.0  # [minimalTripDistance]
    min_stop_s: float = 180.0  # [minimalParkingDuration]
    max_gap_s: float = 600.0  # [minimalNoDataDuration] silence that splits trips and stops


def _runs_sql(params: TripParams, where: str) -> str:
    """Islands of equal motion state per van, each tiling time until the next sample.

    When ``where`` cuts a van's stream out of a longer one, the segments next to the cut can
    differ from those over all data (a trip seen from its middle). ``settled_start`` and
    ``settled_end`` say that a segment's start (end) cannot depend on data before (after) the
    window: an earlier standing run of at least ``min_stop_s`` is a stop whatever surrounds it,
    and a silence over ``max_gap_s`` separates everything; a segment beginning after the first
    such island (ending before the last one) is therefore the same as over all data.
    """
    return f"""
    WITH s AS (
        SELECT vehicle_id, ts, value * {KMH_TO_MPS} AS v
        FROM {SIGNALS} WHERE name = '{SPEED}' {where}
    ), m AS (
        SELECT *, v > {params.speed_threshold_mps} AS moving,
            lag(v > {params.speed_threshold_mps}) OVER w AS prev_moving,
            epoch(ts) - epoch(lag(ts) OVER w) AS dt_prev,
            lead(ts) OVER w AS next_ts
        FROM s WINDOW w AS (PARTITION BY vehicle_id ORDER BY ts)
    ), r AS (
        SELECT *, sum(CASE WHEN prev_moving IS DISTINCT FROM moving
                           OR dt_prev > {params.max_gap_s} THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS run,
            CASE WHEN next_ts IS NOT NULL
                  AND epoch(next_ts) - epoch(ts) <= {params.max_gap_s}
                 THEN next_ts ELSE ts END AS until_ts,
            CASE WHEN next_ts IS NOT NULL
                  AND epoch(next_ts) - epoch(ts) <= {params.max_gap_s}
                 THEN epoch(next_ts) - epoch(ts) ELSE 0 END AS dt_next
        FROM m
    ), runs AS (
        SELECT vehicle_id, run, bool_or(moving) AS moving, min(ts) AS start_ts,
            max(until_ts) AS end_ts, sum(v * dt_next) AS speed_m,
            sum(CASE WHEN moving THEN dt_next ELSE 0 END) AS moving_s,
            max(CASE WHEN dt_prev > {params.max_gap_s} THEN 1 ELSE 0 END) AS after_gap,
            arg_max(dt_next, ts) = 0 AS before_gap
        FROM r GROUP BY vehicle_id, run
    ), merged AS (  -- short standstills inside motion count as motion
        SELECT *, moving OR (epoch(end_ts) - epoch(start_ts) < {params.min_stop_s}
                             AND NOT before_gap AND after_gap = 0
                             AND coalesce(lag(moving) OVER w, false)
                             AND coalesce(lead(moving) OVER w, false)
                             AND NOT coalesce(lead(after_gap = 1) OVER w, false)) AS active
        FROM runs WINDOW w AS (PARTITION BY vehicle_id ORDER BY run)
    ), flagged AS (
        SELECT *, lag(active) OVER w AS prev_active
        FROM merged WINDOW w AS (PARTITION BY vehicle_id ORDER BY run)
    ), islands AS (
        SELECT *, sum(CASE WHEN prev_active IS DISTINCT FROM active OR after_gap = 1
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY run ROWS UNBOUNDED PRECEDING) AS island
        FROM flagged
    ), spans AS (
        SELECT vehicle_id, island, bool_or(active) AS active, min(start_ts) AS start_ts,
            max(end_ts) AS end_ts, sum(speed_m) AS speed_m, sum(moving_s) AS moving_s,
            bool_or(NOT moving AND epoch(end_ts) - epoch(start_ts) >= {params.min_stop_s})
                AS anchor,
            bool_or(after_gap = 1) AS after_gap
        FROM islands GROUP BY vehicle_id, island
    ), kept AS (  -- motion too short to be a trip falls back to standing
        SELECT *, active AND epoch(end_ts) - epoch(start_ts) >= {params.min_trip_s}
                         AND speed_m >= {params.min_trip_m} AS is_trip,
            min(CASE WHEN after_gap THEN island - 1 WHEN anchor THEN island END) OVER v
                AS settled_after,
            max(CASE WHEN after_gap OR anchor THEN island END) OVER v AS settled_before
        FROM spans WINDOW v AS (PARTITION BY vehicle_id)
    ), kept2 AS (
        SELECT *, lag(is_trip) OVER w AS prev_trip, lag(end_ts) OVER w AS prev_end
        FROM kept WINDOW w AS (PARTITION BY vehicle_id ORDER BY island)
    ), segs AS (
        SELECT *, sum(CASE WHEN prev_trip IS DISTINCT FROM is_trip OR prev_end < start_ts
                           THEN 1 ELSE 0 END)
                  OVER (PARTITION BY vehicle_id ORDER BY island ROWS UNBOUNDED PRECEDING) AS seg
        FROM kept2
    )
    SELECT vehicle_id, seg, bool_or(is_trip) AS is_trip, min(start_ts) AS start_ts,
        max(end_ts) AS end_ts, sum(speed_m) AS speed_m, sum(moving_s) AS moving_s,
        coalesce(min(island) > any_value(settled_after), false) AS settled_start,
        coalesce(max(island) < any_value(settled_before), false) AS settled_end
    FROM segs GROUP BY vehicle_id, seg
    """


#: What a segment table holds (``segments``, ``day_segments``).
_SEGMENT_COLUMNS = "vehicle_id, is_trip, start_ts, end_ts, speed_m, moving_s"


def day_segments(
    con: Connection,
    day: str,
    params: TripParams = TripParams(),
    *,
    vehicle_id: str | None = None,
    contexts: Sequence[timedelta] = DAY_CONTEXTS,
) -> pa.Table:
    """The trip and standing segments that start on ``day`` (UTC), as over all data.

    A segment belongs to the day it starts on, so a trip from 23:50 to 00:20 is one trip of the
    first day, and deriving one day alone gives the same rows as deriving all of them. Reads
    the day with the context of ``DAY_CONTEXTS``; vans it cannot settle are segmented again
    with more (at worst over all their data); ``contexts`` replaces that sequence.
    """
    query = RowsQuery(
        sql=lambda where: (
            f"SELECT {_SEGMENT_COLUMNS}, settled_start, settled_end "
            f"FROM ({_runs_sql(params, where)})"
        ),
        samples=f"SELECT vehicle_id, ts FROM {SIGNALS} WHERE name = '{SPEED}'",
        gap_s=params.max_gap_s,
    )
    return day_rows(con, day, query, vehicle_id=vehicle_id, contexts=contexts)


def segments(
    con: Connection,
    params: TripParams = TripParams(),
    *,
    vehicle_id: str | None = None,
    day: str | None = None,
) -> pa.Table:
    """Trip and standing segments (``is_trip``) tiling each van's covered time.

    With ``day``, the segments starting on that UTC day (:func:`day_segments`).
    """
    if day is not None:
        return day_segments(con, day, params, vehicle_id=vehicle_id)
    where, args = ("", []) if vehicle_id is None else (" AND vehicle_id = ?", [vehicle_id])
    sql = (
        f"SELECT {_SEGMENT_COLUMNS} FROM ({_runs_sql(params, where)}) ORDER BY vehicle_id, start_ts"
    )
    return fetch_table(con, sql, args)


def _trips_from(segs: str) -> str:
    return f"""
    SELECT vehicle_id, start_ts, end_ts,
        epoch(end_ts) - epoch(start_ts) AS duration_s, moving_s AS driving_s,
        speed_m AS speed_distance_m
    FROM {segs} WHERE is_trip
    """


def _stops_from(segs: str, params: TripParams, where: str) -> str:
    """Standing segments of at least ``min_stop_s`` with the median of their fixes."""
    return f"""
    WITH st AS (
        SELECT vehicle_id, start_ts, end_ts, epoch(end_ts) - epoch(start_ts) AS duration_s
        FROM {segs}
        WHERE NOT is_trip AND epoch(end_ts) - epoch(start_ts) >= {params.min_stop_s}
    ), pos AS (
        SELECT vehicle_id, ts, name, value, {bucket_sql("ts")} AS bucket FROM {SIGNALS}
        WHERE name IN ('{LATITUDE}', '{LONGITUDE}') AND abs(value) > 1e-6 {where}
    ), fixes AS (  -- a join, not a correlated subquery: Spark made that a cartesian product
        SELECT b.vehicle_id, b.start_ts,
            median(p.value) FILTER (WHERE p.name = '{LATITUDE}') AS lat,
            median(p.value) FILTER (WHERE p.name = '{LONGITUDE}') AS lon
        FROM (SELECT vehicle_id, start_ts, end_ts, {buckets_sql("start_ts", "end_ts")} AS bucket
              FROM st) b
        JOIN pos p ON p.vehicle_id = b.vehicle_id AND p.bucket = b.bucket
         AND p.ts BETWEEN b.start_ts AND b.end_ts
        GROUP BY b.vehicle_id, b.start_ts
    )
    SELECT st.*, f.lat, f.lon
    FROM st LEFT JOIN fixes f ON f.vehicle_id = st.vehicle_id AND f.start_ts = st.start_ts
    """


def trips_sql(params: TripParams, where: str = "") -> str:
    """SQL of the trips (before distances from odometer/GPS and energy are attached)."""
    return _trips_from(f"({_runs_sql(params, where)})")


def stops_sql(params: TripParams, where: str = "") -> str:
    """SQL of the stops: standing segments of at least ``min_stop_s``, with where they were."""
    return _stops_from(f"({_runs_sql(params, where)})", params, where)


def day_trips_and_stops(con: Connection, params: TripParams, day: str) -> tuple[pa.Table, pa.Table]:
    """The trips (before distances and energy) and the stops that start on ``day`` (UTC)."""
    segs = day_segments(con, day, params)
    con.register("_day_segments", segs)
    try:
        order = " ORDER BY vehicle_id, start_ts"
        trips = fetch_table(con, _trips_from("_day_segments") + order)
        span = ""
        if segs.num_rows:  # fixes of the day's stops only, however far past midnight they run
            lo, hi = min(segs["start_ts"].to_pylist()), max(segs["end_ts"].to_pylist())
            span = f" AND ts >= {ts_sql(lo)} AND ts <= {ts_sql(hi)}"
        stops = fetch_table(con, _stops_from("_day_segments", params, span) + order)
    finally:
        con.unregister("_day_segments")
    return trips, stops
