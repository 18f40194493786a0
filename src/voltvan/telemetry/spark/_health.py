"""Battery state of health per van on Spark: :func:`voltvan.telemetry.estimate_health` as SQL
over the charging sessions, for fleets whose sessions are too many to collect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

HEALTH_COLUMNS = (
    "vehicle_id", "nominal_wh", "capacity_wh", "soh", "num_sessions", "soc_observed",
    "confidence",
)  # fmt: skip


def health(
    spark: SparkSession,
    sessions: DataFrame,
    nominal_wh: Mapping[str, float],
    *,
    min_soc_gain: float = 0.10,
    full_confidence_soc: float = 2.0,
) -> DataFrame:
    """One row per van with a usable session, as ``estimate_health`` (same rules, same
    rounding of the confidence: half to even)."""
    sessions.createOrReplaceTempView("_health_sessions")
    spark.createDataFrame(
        [(v, float(w)) for v, w in nominal_wh.items() if w > 0],
        "vehicle_id string, nominal_wh double",
    ).createOrReplaceTempView("_nominal")
    return spark.sql(
        f"""
        WITH s AS (
            SELECT vehicle_id, end_soc - start_soc AS gain,
                energy_wh / (end_soc - start_soc) AS cap
            FROM _health_sessions
            WHERE energy_source IN ('power', 'energy_signal') AND start_soc IS NOT NULL
              AND end_soc IS NOT NULL AND energy_wh IS NOT NULL
              AND end_soc - start_soc >= {min_soc_gain} AND energy_wh > 0
        ), m AS (
            SELECT vehicle_id, sum(gain) AS total, sum(gain * cap) / sum(gain) AS mean,
                count(*) AS n
            FROM s GROUP BY vehicle_id
        ), v AS (
            SELECT m.*, sum(s.gain * (s.cap - m.mean) * (s.cap - m.mean)) / m.total AS var
            FROM m JOIN s USING (vehicle_id) GROUP BY ALL
        )
        SELECT v.vehicle_id, n.nominal_wh, mean AS capacity_wh, mean / n.nominal_wh AS soh,
            n AS num_sessions, total AS soc_observed,
            bround(least(1.0, total / {full_confidence_soc})
                * greatest(0.0, 1.0 - 5.0 * CASE WHEN mean > 0 THEN sqrt(var) / mean
                                                 ELSE 1.0 END)
                * CASE WHEN n = 1 THEN 0.5 ELSE 1.0 END, 3) AS confidence
        FROM v JOIN _nominal n USING (vehicle_id)
        """
    ).select(*HEALTH_COLUMNS)
