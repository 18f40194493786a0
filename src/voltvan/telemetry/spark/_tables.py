"""Trips, stops, charging sessions and daily energy over all days at once, in Spark SQL.

The DuckDB path derives one day at a time from a window around it and proves each row the same
as over all data (``_day_window``); Spark reads all data once, partitions it by van and keeps the
rows that start on the days asked. The segmentation, stop, trip-signal and charging SQL is the
DuckDB text itself (through :func:`._dialect.to_spark`). Written here instead, and why:

* the per-trip choice of distance and energy and the per-session energy are Python loops over
  rows in the DuckDB path (``enrich_trips``, ``_with_energy``); here they are the same rules as
  ``CASE`` expressions, so they run on the executors;
* the DuckDB path picks a van's charging detection (flag, battery power, SoC) from what it sent
  *on the day derived*; one pass over all days computes each path for every van and keeps a
  session where its start day chose that path (:func:`charging_sessions`);
* daily energy sums that day's trips (``daily_energy``'s SQL is a string inside a function).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from voltvan.telemetry.analytics import (
    NET_CAPACITY,
    SIGNALS_RELATION,
    TRIP_SIGNALS_SQL,
    AnalyticsParams,
    charging_flag_sql,
    charging_keep_sql,
    charging_standing_sql,
    segments_sql,
    stops_from_segments_sql,
    trips_from_segments_sql,
)
from voltvan.telemetry.ingest import BATTERY_POWER, ENERGY_KWH, IS_CHARGING, SOC, SPEED
from voltvan.telemetry.spark._dialect import to_spark
from voltvan.telemetry.spark._gps import gps_distances

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

TRIP_COLUMNS = (
    "vehicle_id", "start_ts", "end_ts", "duration_s", "driving_s", "speed_distance_m",
    "distance_m", "distance_source", "gps_faults", "start_soc", "end_soc", "energy_wh",
    "wh_per_km", "ambient_c",
)  # fmt: skip
STOP_COLUMNS = ("vehicle_id", "start_ts", "end_ts", "duration_s", "lat", "lon")
SESSION_COLUMNS = (
    "vehicle_id", "start_ts", "end_ts", "duration_s", "start_soc", "end_soc", "energy_wh",
    "energy_source", "peak_power_w", "source",
)  # fmt: skip
DAILY_COLUMNS = (
    "vehicle_id", "day", "trips", "distance_m", "driving_s", "energy_wh", "wh_per_km",
)  # fmt: skip


def _sql(spark: SparkSession, duck_sql: str) -> DataFrame:
    return spark.sql(to_spark(duck_sql))


def _on_days(df: DataFrame, column: str, days: Sequence[str] | None) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: N812

    day = F.to_date(F.col(column))
    return df if days is None else df.where(day.isin(list(days)))


def capacities_wh(spark: SparkSession, fallback: Mapping[str, float] | None) -> dict[str, float]:
    """As the DuckDB path: each van's last ``NetCapacity``, else the fleet's figure."""
    out = dict(fallback or {})
    rows = _sql(
        spark,
        f"SELECT vehicle_id, arg_max(value, ts) AS kwh FROM {SIGNALS_RELATION} "
        f"WHERE name = '{NET_CAPACITY}' GROUP BY vehicle_id",
    ).collect()
    out.update({str(r[0]): float(r[1]) * 1000.0 for r in rows if r[1]})
    return out


def register_capacities(spark: SparkSession, caps: Mapping[str, float]) -> None:
    spark.createDataFrame(
        [(v, float(c)) for v, c in caps.items()], "vehicle_id string, capacity_wh double"
    ).createOrReplaceTempView("_caps")


def segments(spark: SparkSession, params: AnalyticsParams) -> DataFrame:
    """Trip and standing segments of every van over all its data (the DuckDB SQL)."""
    segs = _sql(spark, segments_sql(params.trips, "")).persist()
    segs.createOrReplaceTempView("_segments")
    return segs


def stops(spark: SparkSession, params: AnalyticsParams, days: Sequence[str] | None) -> DataFrame:
    found = _sql(spark, stops_from_segments_sql("_segments", params.trips, ""))
    return _on_days(found, "start_ts", days).select(*STOP_COLUMNS)


_ENRICH = """
WITH d AS (
    SELECT t.*, e.start_soc_pct, e.end_soc_pct, e.start_kwh, e.end_kwh, e.ambient_c,
        CASE WHEN coalesce(e.odometer_n, 0) >= 2 THEN 'odometer'
             WHEN g.gps_m > 0 THEN 'gps' ELSE 'speed' END AS distance_source,
        e.odometer_m, g.gps_m, g.gps_faults AS gps_n, c.capacity_wh
    FROM _trips_base t
    LEFT JOIN _trip_signals e ON e.vehicle_id = t.vehicle_id AND e.start_ts = t.start_ts
    LEFT JOIN _trip_gps g ON g.vehicle_id = t.vehicle_id AND g.start_ts = t.start_ts
    LEFT JOIN _caps c ON c.vehicle_id = t.vehicle_id
), m AS (
    SELECT *,
        CASE distance_source WHEN 'odometer' THEN odometer_m WHEN 'gps' THEN gps_m
             ELSE speed_distance_m END AS distance_m,
        CASE distance_source WHEN 'gps' THEN gps_n ELSE 0 END AS gps_faults,
        start_soc_pct / 100.0 AS start_soc, end_soc_pct / 100.0 AS end_soc,
        CASE WHEN start_kwh IS NOT NULL AND end_kwh IS NOT NULL
                THEN (start_kwh - end_kwh) * 1000.0
             WHEN start_soc_pct IS NULL OR end_soc_pct IS NULL OR capacity_wh IS NULL THEN NULL
             ELSE (start_soc_pct - end_soc_pct) / 100.0 * capacity_wh END AS energy_wh
    FROM d
)
SELECT *, CASE WHEN energy_wh IS NOT NULL AND distance_m > 0
               THEN energy_wh / (distance_m / 1000.0) END AS wh_per_km
FROM m
"""


def trips(spark: SparkSession, params: AnalyticsParams, days: Sequence[str] | None) -> DataFrame:
    """Trips with distance (odometer, else cleaned GPS, else wheel speed) and energy."""
    from pyspark.sql import functions as F  # noqa: N812

    base = _on_days(_sql(spark, trips_from_segments_sql("_segments")), "start_ts", days)
    base = base.persist()
    base.createOrReplaceTempView("_trips_base")
    extra = _sql(spark, TRIP_SIGNALS_SQL).persist()
    extra.createOrReplaceTempView("_trip_signals")
    need = (
        base.join(
            extra.select("vehicle_id", "start_ts", "odometer_n"), ["vehicle_id", "start_ts"], "left"
        )
        .where(F.coalesce(F.col("odometer_n"), F.lit(0)) < 2)
        .withColumn("day", F.to_date("start_ts"))
    )
    gps_distances(spark, need, params.gps).createOrReplaceTempView("_trip_gps")
    return spark.sql(_ENRICH).select(*TRIP_COLUMNS)


def daily_energy(spark: SparkSession, trips_df: DataFrame) -> DataFrame:
    """Energy per km, distance and driving time per van per day, from that day's trips."""
    trips_df.createOrReplaceTempView("_day_trips")
    return spark.sql(
        """SELECT vehicle_id, CAST(start_ts AS DATE) AS day, count(*) AS trips,
            sum(distance_m) AS distance_m, sum(driving_s) AS driving_s,
            sum(energy_wh) AS energy_wh,
            1000.0 * sum(energy_wh) / nullif(sum(distance_m), 0) AS wh_per_km
        FROM _day_trips GROUP BY ALL"""
    ).select(*DAILY_COLUMNS)


def all_vans_send_flag(spark: SparkSession, has_state: bool) -> bool:
    """As the DuckDB path: every van of the last known state has sent ``IsCharging``."""
    if not has_state:
        return False
    row = spark.sql(
        f"SELECT count(*), count(*) FILTER (WHERE NOT flag) FROM (SELECT vehicle_id, "
        f"bool_or(name = '{IS_CHARGING}') AS flag FROM last_state GROUP BY vehicle_id)"
    ).collect()[0]
    return bool(row[0]) and row[1] == 0


_PATH_DAYS = f"""
SELECT vehicle_id, CAST(ts AS DATE) AS day,
    bool_or(name = '{IS_CHARGING}') AS flag, bool_or(name = '{BATTERY_POWER}') AS power,
    bool_or(name IN ('{BATTERY_POWER}', '{SOC}', '{SPEED}', '{ENERGY_KWH}')) AS standing
FROM {SIGNALS_RELATION}
WHERE name IN ('{IS_CHARGING}', '{BATTERY_POWER}', '{SOC}', '{SPEED}', '{ENERGY_KWH}')
GROUP BY ALL
"""

#: The standing path without the vans of the flag path: those are chosen per day below.
_NO_FLAG_VANS = f"flag_vans AS (SELECT vehicle_id FROM {SIGNALS_RELATION} WHERE false)"

_SESSIONS = """
SELECT f.vehicle_id, f.start_ts, f.end_ts,
    (unix_micros(f.end_ts) - unix_micros(f.start_ts)) / 1e6 AS duration_s,
    f.start_soc_pct / 100.0 AS start_soc, f.end_soc_pct / 100.0 AS end_soc,
    CASE WHEN f.has_power AND f.power_wh > 0 THEN f.power_wh
         WHEN f.kwh_wh IS NOT NULL THEN f.kwh_wh
         WHEN c.capacity_wh IS NOT NULL
            THEN (coalesce(f.end_soc_pct, 0.0) - coalesce(f.start_soc_pct, 0.0)) / 100.0
                 * c.capacity_wh END AS energy_wh,
    CASE WHEN f.has_power AND f.power_wh > 0 THEN 'power'
         WHEN f.kwh_wh IS NOT NULL THEN 'energy_signal'
         WHEN c.capacity_wh IS NOT NULL THEN 'soc' ELSE 'none' END AS energy_source,
    f.peak_power_w, f.source
FROM _found_sessions f LEFT JOIN _caps c ON c.vehicle_id = f.vehicle_id
"""


def charging_sessions(
    spark: SparkSession, params: AnalyticsParams, days: Sequence[str] | None, *, flag_only: bool
) -> DataFrame:
    """Sessions with energy; each van's detection path chosen per start day, as in DuckDB.

    Over all data the flag path runs for every van that ever sent the flag, the power path for
    every van as if it sent power (``kind`` over all its samples), and the SoC path as if it
    did not (``kind`` over its samples without power: ``has_power`` is false wherever a row is
    left). A session stays when its start day chose its path: the flag when the van sent it
    that day, else power when it sent power that day, else SoC.
    """
    from pyspark.sql import functions as F  # noqa: N812

    p = params.charging
    path_days = spark.sql(_PATH_DAYS)
    flagged = _sql(spark, f"WITH {charging_flag_sql(p, '', '')} SELECT * FROM flagged")
    found = flagged.withColumn("path", F.lit("flag"))
    if not flag_only:
        power = _sql(
            spark,
            f"WITH {_NO_FLAG_VANS}, {charging_standing_sql(p, '', '')} SELECT * FROM explicit",
        )
        soc = _sql(
            spark,
            f"WITH {_NO_FLAG_VANS}, {charging_standing_sql(p, '', ' AND p_w IS NULL')} "
            "SELECT * FROM implicit",
        )
        found = found.unionByName(power.withColumn("path", F.lit("power"))).unionByName(
            soc.withColumn("path", F.lit("soc"))
        )
    chosen = F.when(F.col("d.flag"), "flag").when(F.col("d.power"), "power").otherwise("soc")
    found = (
        found.alias("f")
        .join(
            path_days.alias("d"),
            (F.col("f.vehicle_id") == F.col("d.vehicle_id"))
            & (F.to_date(F.col("f.start_ts")) == F.col("d.day")),
        )
        .where(F.col("f.path") == chosen)
        .select("f.*")
    )
    found.where(to_spark(charging_keep_sql(p))).createOrReplaceTempView("_found_sessions")
    return _on_days(spark.sql(_SESSIONS), "start_ts", days).select(*SESSION_COLUMNS)
