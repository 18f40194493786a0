"""The lake as Spark sees it: the raw signals (deduplicated), the last known state, the days.

Paths are URIs (a local folder, ``s3a://bucket/fleet``, ``abfss://...``): everything goes through
Spark and Hadoop's file systems, so the job runs wherever Spark can read the lake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voltvan.telemetry.analytics import SIGNALS_RELATION

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: A null ingested_at ranks last, as in the ``signals`` view of the DuckDB query surface.
_DEDUP = """
SELECT vehicle_id, ts, name, min_by(value, k) AS value, min_by(value_text, k) AS value_text
FROM (SELECT *, coalesce(ingested_at, TIMESTAMP '9999-12-31 23:59:59Z') AS k FROM _raw_signals)
GROUP BY vehicle_id, ts, name
"""


def uri(data: str) -> str:
    """``data`` without a trailing slash (a local path stays a path; Spark reads both)."""
    return data.rstrip("/") or "/"


def read_parquet(spark: SparkSession, path: str) -> DataFrame:
    """Parquet files under ``path``; half-written ``*.tmp`` files of a writer are not read."""
    return spark.read.option("pathGlobFilter", "*.parquet").parquet(path)


def register_signals(spark: SparkSession, data: str) -> DataFrame:
    """The deduplicated signals under the relation name the derived-table SQL reads.

    The first ingested row of each (van, time, signal) wins, as in the ``signals`` view
    (``docs/analytics.md``, "Duplicates"); Spark's ``min_by`` keeps a null value, like DuckDB's
    ``arg_min_null`` there.
    """
    raw = read_parquet(spark, f"{uri(data)}/signals").drop("date")
    raw.createOrReplaceTempView("_raw_signals")
    from pyspark import StorageLevel

    # Read by every table: deduplicated once, kept (spilled to disk when memory is short).
    signals = spark.sql(_DEDUP).persist(StorageLevel.MEMORY_AND_DISK)
    signals.createOrReplaceTempView(SIGNALS_RELATION)
    return signals


def register_last_state(spark: SparkSession, data: str) -> bool:
    """The ``last_state`` view (newest row per van and signal); False when there is none."""
    try:
        state = read_parquet(spark, f"{uri(data)}/state")
    except Exception as exc:  # AnalysisException: the folder is missing or empty
        if "PATH_NOT_FOUND" in str(exc) or "UNABLE_TO_INFER_SCHEMA" in str(exc):
            return False
        raise
    state.createOrReplaceTempView("last_state_all")
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW last_state AS SELECT vehicle_id, name, max(ts) AS ts "
        "FROM last_state_all GROUP BY vehicle_id, name"
    )
    return True


def signal_days(spark: SparkSession, data: str) -> list[str]:
    """The days with raw signal partitions, oldest first (from the file listing, no scan)."""
    files = read_parquet(spark, f"{uri(data)}/signals").inputFiles()
    days = {p.removeprefix("date=") for f in files for p in f.split("/") if p.startswith("date=")}
    return sorted(days)
