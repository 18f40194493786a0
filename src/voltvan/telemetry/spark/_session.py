"""The Spark session of the derive job: local[2] unless told otherwise, UTC, Parquet as DuckDB
reads it. The only module that starts Spark; pyspark is imported when a session is asked for."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from voltvan.errors import VoltvanError
from voltvan.telemetry.spark._dialect import FUNCTIONS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"

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
#: Settings for a local master only: no web UI, few shuffle partitions, quiet logs, and a
#: driver heap of 3 GB. Local mode runs everything in the driver's JVM, which grows to its heap
#: limit before collecting: with 6 GB the 10 M-row derive peaked at 7.3 GB resident; the job
#: spills what does not fit (the cached signals are MEMORY_AND_DISK, sorts spill), so a
#: smaller heap bounds memory rather than failing (``docs/scale.md``). Raise it with
#: ``--conf spark.driver.memory=8g`` when the machine has the room.
LOCAL_SETTINGS: Mapping[str, str] = {
    "spark.driver.memory": "3g",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.showConsoleProgress": "false",
}


class SparkMissing(VoltvanError):
    """pyspark (or Java) is not installed."""


def require_pyspark() -> None:
    """Fail with what to install when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkMissing(
            "the Spark engine needs pyspark: pip install 'voltvan[spark]' (and Java 17+)"
        ) from None


def spark_session(
    master: str | None = None, conf: Mapping[str, str] | None = None, *, app: str = "voltvan"
) -> SparkSession:
    """The active session, or a new one on ``master`` (default ``local[2]``; under
    spark-submit the master and resources come from the submit line, so none is set here)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this Python
    chosen = master or (None if submitted else DEFAULT_MASTER)
    if chosen is not None:
        builder = builder.master(chosen)
    settings = dict(SETTINGS)
    if chosen is not None and chosen.startswith("local"):
        settings.update(LOCAL_SETTINGS)
        # The Python workers of the GPS step run this interpreter (its packages, voltvan's).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if chosen is not None and chosen.startswith("local"):
        session.sparkContext.setLogLevel("ERROR")
    for key in ("spark.sql.session.timeZone", "spark.sql.parquet.outputTimestampType"):
        session.conf.set(key, settings[key])  # also on a session that already existed
    for sql in FUNCTIONS:
        session.sql(sql)
    return session
