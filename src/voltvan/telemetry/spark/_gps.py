"""GPS distances of the trips that have no odometer, with the DuckDB path's numpy walk.

Fault flagging walks each van's fixes in order (each fix judged against the last accepted one),
so it is no SQL: Spark groups the fixes by van and day and runs :func:`van_gps_distances` on
each group through Arrow, the very function the DuckDB path calls. As there, a day's walk of a
van covers the fixes from the first start to the last end of that day's trips needing GPS
(over all vans), so a van's flags are the same on both engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voltvan.telemetry.analytics import (
    KMH_TO_MPS,
    SIGNALS_RELATION,
    GpsParams,
    time_bucket_sql,
    time_buckets_sql,
    van_gps_distances,
)
from voltvan.telemetry.ingest import LATITUDE, LONGITUDE, SPEED
from voltvan.telemetry.spark._dialect import to_spark

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

GPS_SCHEMA = "vehicle_id string, start_ts timestamp, gps_m double, gps_faults bigint"

#: Fixes and wheel speed per van and time inside the day windows (as ``positions`` does).
#: Each (van, day) window is exploded into the hours it overlaps and joined on van and hour
#: (``time_buckets_sql``): joined on the van alone, every sample would meet every day's window.
_POSITIONS = f"""
SELECT k.day, s.vehicle_id, s.ts,
    max(s.value) FILTER (WHERE s.name = '{LATITUDE}') AS lat,
    max(s.value) FILTER (WHERE s.name = '{LONGITUDE}') AS lon,
    max(s.value) FILTER (WHERE s.name = '{SPEED}') * {KMH_TO_MPS} AS v
FROM (SELECT *, {time_bucket_sql("ts")} AS bucket FROM {SIGNALS_RELATION}
      WHERE name IN ('{LATITUDE}', '{LONGITUDE}', '{SPEED}')) s
JOIN (SELECT g.vehicle_id, w.day, w.lo, w.hi, {time_buckets_sql("w.lo", "w.hi")} AS bucket
      FROM _gps_vans g JOIN _gps_windows w ON w.day = g.day) k
  ON k.vehicle_id = s.vehicle_id AND k.bucket = s.bucket AND s.ts >= k.lo AND s.ts <= k.hi
GROUP BY k.day, s.vehicle_id, s.ts
"""


def _walk(params: GpsParams) -> Any:
    def walk(fixes: pa.Table, trips: pa.Table) -> pa.Table:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        out: dict[str, list[Any]] = {
            k: [] for k in ("vehicle_id", "start_ts", "gps_m", "gps_faults")
        }
        if fixes.num_rows and trips.num_rows:
            fixes = fixes.sort_by("ts")
            micros = pc.cast(fixes["ts"], pa.int64()).to_numpy().astype(np.float64)
            p = {
                "t": micros / 1e6,
                **{
                    c: np.asarray(fixes[c].to_numpy(zero_copy_only=False), np.float64)
                    for c in ("lat", "lon", "v")
                },
            }
            rows = trips.to_pylist()
            found = van_gps_distances(p, 0, fixes.num_rows, rows, params)
            for (van, start), (dist, faults) in found.items():
                out["vehicle_id"].append(van)
                out["start_ts"].append(start)
                out["gps_m"].append(dist)
                out["gps_faults"].append(faults)
        ts = pa.timestamp("us", tz="UTC")
        return pa.table(
            {
                "vehicle_id": pa.array(out["vehicle_id"], pa.string()),
                "start_ts": pa.array(out["start_ts"], ts),
                "gps_m": pa.array(out["gps_m"], pa.float64()),
                "gps_faults": pa.array(out["gps_faults"], pa.int64()),
            }
        )

    return walk


def gps_distances(spark: SparkSession, need: DataFrame, params: GpsParams) -> DataFrame:
    """(vehicle_id, start_ts, gps_m, gps_faults) of the trips in ``need`` (vehicle_id,
    start_ts, end_ts, day)."""
    need.createOrReplaceTempView("_gps_trips")
    spark.sql(
        "SELECT day, min(start_ts) AS lo, max(end_ts) AS hi FROM _gps_trips GROUP BY day"
    ).createOrReplaceTempView("_gps_windows")
    spark.sql("SELECT DISTINCT day, vehicle_id FROM _gps_trips").createOrReplaceTempView(
        "_gps_vans"
    )
    fixes = spark.sql(to_spark(_POSITIONS))
    trips = need.select("day", "vehicle_id", "start_ts", "end_ts")
    return (
        fixes.groupBy("day", "vehicle_id")
        .cogroup(trips.groupBy("day", "vehicle_id"))
        .applyInArrow(_walk(params), GPS_SCHEMA)
    )
