"""The Spark session of the derive job: :func:`voltvan.spark.spark_session` (local[2] unless told
otherwise) with the SQL settings the job needs and its functions registered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from voltvan.spark import spark_session as start_session
from voltvan.telemetry.spark._dialect import FUNCTIONS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: Settings the job needs whatever the cluster: times in UTC (a trip's day is its UTC day),
#: timestamps written as Parquet micros with the UTC flag (DuckDB reads them as TIMESTAMPTZ, the
#: store's type; Spark's default INT96 would not be), one day rewritten at a time, no _SUCCESS.
SETTINGS: Mapping[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def spark_session(
    master: str | None = None, conf: Mapping[str, str] | None = None, *, app: str = "voltvan"
) -> SparkSession:
    """The active session, or a new one on ``master``, ready for the derive job's SQL."""
    settings = {**SETTINGS, **(conf or {})}
    session = start_session(master, settings, app=app)
    for key in ("spark.sql.session.timeZone", "spark.sql.parquet.outputTimestampType"):
        session.conf.set(key, settings[key])  # also on a session that already existed
    for sql in FUNCTIONS:
        session.sql(sql)
    return session
