"""``derive`` on Spark: the DuckDB path's derived tables, written to the same lake layout.

Writes ``derived/<table>/date=YYYY-MM-DD/`` with Spark's dynamic partition overwrite (each day
written replaces exactly that day; a day that now has no rows loses its old ones), so
``voltvan report`` and the DuckDB views read Spark's output unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.telemetry.analytics import DERIVED_TABLES, AnalyticsParams, rebuild_would_lose
from voltvan.telemetry.spark import _tables
from voltvan.telemetry.spark._lake import register_last_state, register_signals, signal_days, uri
from voltvan.telemetry.spark._session import spark_session
from voltvan.telemetry.store import FileLock

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


@dataclass(frozen=True, slots=True)
class SparkDeriveSummary:
    """Rows written per derived table over the days rebuilt (as ``DeriveSummary``)."""

    days: tuple[str, ...]
    rows: Mapping[str, int]
    kept: tuple[str, ...] = ()
    blank_energy: Mapping[str, int] = field(default_factory=dict)
    no_capacity: tuple[str, ...] = ()


def _is_local(data: str) -> bool:
    return "://" not in data or data.startswith("file://")


def _local_path(data: str) -> Path:
    return Path(data.removeprefix("file://"))


def derived_tables(
    spark: SparkSession,
    data: str,
    *,
    days: Sequence[str] | None = None,
    params: AnalyticsParams | None = None,
    battery_wh: Mapping[str, float] | None = None,
) -> tuple[dict[str, DataFrame], dict[str, float]]:
    """The four derived tables (rows starting on ``days``; all when None) and the capacities.

    Nothing is written; the frames are cached, as they are used more than once.
    """
    p = params or AnalyticsParams()
    register_signals(spark, data)
    has_state = register_last_state(spark, data)
    caps = _tables.capacities_wh(spark, battery_wh)
    _tables.register_capacities(spark, caps)
    _tables.segments(spark, p)
    trips = _tables.trips(spark, p, days).persist()
    tables = {
        "trips": trips,
        "stops": _tables.stops(spark, p, days).persist(),
        "charging_sessions": _tables.charging_sessions(
            spark, p, days, flag_only=_tables.all_vans_send_flag(spark, has_state)
        ).persist(),
        "daily_energy": _tables.daily_energy(spark, trips).persist(),
    }
    return tables, caps


def _write(spark: SparkSession, data: str, name: str, df: DataFrame, days: Sequence[str]) -> int:
    from pyspark.sql import functions as F  # noqa: N812

    column = "day" if name == "daily_energy" else "start_ts"
    out = df.withColumn("date", F.to_date(F.col(column)))
    target = f"{uri(data)}/derived/{name}"
    out.repartition("date").write.mode("overwrite").partitionBy("date").parquet(target)
    counts = {str(r[0]): int(r[1]) for r in out.groupBy("date").count().collect()}
    _drop_days(spark, target, [d for d in days if d not in counts])
    return sum(counts.values())


def _drop_days(spark: SparkSession, target: str, days: Sequence[str]) -> None:
    """Remove old partitions of days that now have no rows (overwrite never touches them)."""
    if not days:
        return
    jvm, jsc = spark.sparkContext._jvm, spark.sparkContext._jsc
    assert jvm is not None and jsc is not None  # a classic (not Connect) session
    conf = jsc.hadoopConfiguration()
    for day in days:
        path = jvm.org.apache.hadoop.fs.Path(f"{target}/date={day}")
        fs = path.getFileSystem(conf)
        if fs.exists(path):
            fs.delete(path, True)


def _blank_energy(tables: Mapping[str, DataFrame]) -> dict[str, int]:
    blank: dict[str, int] = {}
    for name in ("trips", "charging_sessions"):
        rows = tables[name].where("energy_wh IS NULL").groupBy("vehicle_id").count().collect()
        for van, n in rows:
            blank[str(van)] = blank.get(str(van), 0) + int(n)
    return blank


def derive_spark(
    data: str | Path,
    *,
    days: Sequence[str] | None = None,
    params: AnalyticsParams | None = None,
    battery_wh: Mapping[str, float] | None = None,
    spark: SparkSession | None = None,
    master: str | None = None,
    on_table: Callable[[str], None] | None = None,
) -> SparkDeriveSummary:
    """(Re)build trips, stops, charging sessions and daily energy for ``days`` (default: all)
    on Spark, to the same files as :func:`voltvan.telemetry.derive`.

    ``data`` is a folder or a URI Spark can read and write (``s3a://``, ``abfss://``); on a
    local folder the store lock is held shared, as the DuckDB path does, and the days whose raw
    data retention removed are kept as derived.
    """
    data = str(data)
    session = spark or spark_session(master)
    todo = list(days) if days is not None else signal_days(session, data)
    kept: list[str] = []
    lock = None
    if _is_local(data):
        local = _local_path(data)
        kept = [d for d in todo if rebuild_would_lose(local, d)]
        todo = [d for d in todo if d not in kept]
        lock = FileLock(local / ".store.lock", shared=True, what="store maintenance is running")
    try:
        tables, caps = derived_tables(
            session, data, days=todo, params=params, battery_wh=battery_wh
        )
        counts = {}
        for name in DERIVED_TABLES:
            counts[name] = _write(session, data, name, tables[name], todo)
            if on_table is not None:
                on_table(name)
        blank = _blank_energy(tables)
    finally:
        if lock is not None:
            lock.release()
    no_capacity = tuple(sorted(v for v in blank if v not in caps))
    return SparkDeriveSummary(tuple(todo), counts, tuple(kept), blank, no_capacity)
