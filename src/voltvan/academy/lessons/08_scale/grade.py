"""Grades lesson 8: the learner's Spark jobs run on rows built to catch the usual mistakes and
on a lake of the twin's telemetry; the answers come from DuckDB, not from Spark."""

from __future__ import annotations

import datetime as dt
import math
import types
from typing import TYPE_CHECKING, Any

import duckdb

from voltvan.academy import twin_lake
from voltvan.telemetry.spark import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPEED = "Vehicle.Speed"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
T0 = dt.datetime(2026, 4, 15, 8, 0, tzinfo=dt.UTC)
COLUMNS = ("vehicle_id", "ts", "name", "value", "value_text", "ingested_at")


def _at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


#: (row, why): each later-ingested or unstamped row comes first, where a careless job keeps it.
ROWS: tuple[tuple[tuple[Any, ...], str], ...] = (
    (("V1", _at(0), SPEED, 10.0, None, _at(50)), "a re-delivery ingested later"),
    (("V1", _at(0), SPEED, 12.0, None, _at(10)), ""),
    (("V1", _at(0), SOC, 80.0, None, _at(10)), ""),
    (("V1", _at(1), SPEED, 7.0, None, None), "a row with no ingested_at"),
    (("V1", _at(1), SPEED, 8.0, None, _at(20)), ""),
    (("V2", _at(0), SPEED, 3.0, None, _at(30)), ""),
    (("V2", _at(0), SPEED, 3.0, None, _at(30)), "an exact duplicate"),
    (("V2", _at(0), GEAR, None, "R", _at(90)), "a text signal re-delivered later"),
    (("V2", _at(0), GEAR, None, "D", _at(40)), ""),
)
#: (vehicle_id, epoch s, name) -> (value, value_text) of the first ingested row
WANT = {
    ("V1", _at(0).timestamp(), SPEED): (12.0, None),
    ("V1", _at(0).timestamp(), SOC): (80.0, None),
    ("V1", _at(1).timestamp(), SPEED): (8.0, None),
    ("V2", _at(0).timestamp(), SPEED): (3.0, None),
    ("V2", _at(0).timestamp(), GEAR): (None, "D"),
}


def _named(key: tuple[Any, ...]) -> str:
    at = dt.datetime.fromtimestamp(key[1], dt.UTC)
    return f"{key[0]}'s {key[2]} at {at:%H:%M:%S} UTC"


def _key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return (row[0], row[1].timestamp(), row[2])


def _spark() -> SparkSession:
    """The running session, or a small local one (the learner's machine has two cores)."""
    return spark_session(
        "local[2]", {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}
    )


def _first_ingested(module: types.ModuleType, spark: SparkSession) -> list[str]:
    rows = [r for r, _ in ROWS]
    schema = (
        "vehicle_id string, ts timestamp, name string, value double, value_text string, "
        "ingested_at timestamp"
    )
    signals = spark.createDataFrame(rows, schema).coalesce(1)
    out = module.first_ingested(signals)
    missing = [c for c in COLUMNS[:5] if c not in out.columns]
    if missing:
        return [f"first_ingested must keep the columns {', '.join(missing)}"]
    got: dict[tuple[Any, ...], list[tuple[Any, Any]]] = {}
    for r in out.select(*COLUMNS[:5]).collect():
        # Spark hands timestamps back in the machine's local time, naive: .timestamp() agrees
        key = (r["vehicle_id"], r["ts"].timestamp(), r["name"])
        got.setdefault(key, []).append((r["value"], r["value_text"]))
    problems = []
    twice = sorted(k for k, v in got.items() if len(v) > 1)
    if twice:
        problems.append(
            f"first_ingested keeps {len(got[twice[0]])} rows of {_named(twice[0])}: "
            "one row per (vehicle_id, ts, name)"
        )
    if set(got) != set(WANT):
        problems.append(f"first_ingested returns {len(got)} keys; the rows hold {len(WANT)}")
    for key, (value, text) in WANT.items():
        kept = got.get(key, [])
        if len(kept) == 1 and kept[0] != (value, text):
            why = next(
                (w for r, w in ROWS if _key(r) == key and (r[3], r[4]) == kept[0] and w),
                "another row",
            )
            problems.append(
                f"for {_named(key)} you kept {why} "
                f"({kept[0][0] if text is None else kept[0][1]!r}); the first ingested holds "
                f"{value if text is None else text!r} (order by ingested_at, no time last)"
            )
    return problems


def _km_per_van_day(module: types.ModuleType, spark: SparkSession) -> list[str]:
    lake = twin_lake(days=2).folder  # two days: van-days, not vans
    pattern = str(lake / "derived" / "trips" / "*" / "*.parquet")
    want = {
        (van, str(day)): km
        for van, day, km in duckdb.connect()
        .execute(
            "SELECT vehicle_id, date, sum(distance_m) / 1000 FROM "
            f"read_parquet('{pattern}', hive_partitioning = true) GROUP BY ALL"
        )
        .fetchall()
    }
    trips: DataFrame = spark.read.parquet(str(lake / "derived" / "trips"))
    out = module.km_per_van_day(trips)
    missing = [c for c in ("vehicle_id", "date", "km") if c not in out.columns]
    if missing:
        return [f"km_per_van_day must return the columns vehicle_id, date, km (no {missing[0]})"]
    got: dict[tuple[str, str], float] = {}
    for r in out.select("vehicle_id", "date", "km").collect():
        key = (str(r["vehicle_id"]), str(r["date"]))
        if key in got:
            return [f"km_per_van_day returns {key[0]} on {key[1]} twice: group by van and date"]
        got[key] = float("nan") if r["km"] is None else float(r["km"])
    if set(got) != set(want):
        return [f"km_per_van_day has {len(got)} van-days; the lake has {len(want)} with trips"]
    for key in sorted(want):
        if not math.isclose(got[key], want[key], rel_tol=1e-9, abs_tol=1e-9):
            hint = " (metres, not km?)" if math.isclose(got[key], want[key] * 1000) else ""
            return [
                f"km_per_van_day: {key[0]} on {key[1]} drove {want[key]:.3f} km, "
                f"yours {got[key]:.3f}{hint}"
            ]
    return []


def grade(module: types.ModuleType) -> list[str]:
    spark = _spark()
    return _first_ingested(module, spark) + _km_per_van_day(module, spark)
