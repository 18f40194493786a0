"""The derived tables on Spark are the DuckDB path's, row by row: real Twizy logs and a
generated fleet (days, stops, every charging path, GPS faults, silences, duplicate rows)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from tests.conftest import data_path
from tests.telemetry.spark.fleet_data import write_fleet
from voltvan.cli import app
from voltvan.errors import InvalidInput
from voltvan.telemetry.analytics import DERIVED_TABLES, derive, estimate_health
from voltvan.telemetry.spark import derive_spark, health
from voltvan.telemetry.store import import_rsk_twizy, open_query

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Slow: Spark jobs take seconds each even on tiny data (minutes on a loaded machine).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]
CAPS = {f"V{k:02d}": 40_000.0 for k in range(1, 8)}  # V00 sends its NetCapacity


def _rows(data: Path, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = open_query(data).execute(f"SELECT * FROM {table} ORDER BY ALL")
    return [d[0] for d in cur.description or []], cur.fetchall()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def assert_same_tables(duck: Path, spark: Path) -> dict[str, int]:
    """Same columns and rows in every derived table (floats within 1e-9 relative)."""
    counts = {}
    for table in DERIVED_TABLES:
        cols_d, rows_d = _rows(duck, table)
        cols_s, rows_s = _rows(spark, table)
        assert cols_s == cols_d, table
        assert len(rows_s) == len(rows_d), table
        for rd, rs in zip(rows_d, rows_s, strict=True):
            assert all(_same(x, y) for x, y in zip(rd, rs, strict=True)), (table, rd, rs)
        counts[table] = len(rows_d)
    return counts


def test_real_twizy_logs(tmp_path: Path, spark: SparkSession) -> None:
    """The 7 trips (GPS distances with flagged fixes) of the Rabat logs on both engines."""
    duck, on_spark = tmp_path / "duck", tmp_path / "spark"
    import_rsk_twizy(data_path("real", "rsk-twizy-ev", "Analyzed"), duck, vehicle_id="tw")
    shutil.copytree(duck, on_spark)
    derive(duck, battery_wh={"tw": 6_100.0})
    summary = derive_spark(on_spark, battery_wh={"tw": 6_100.0}, spark=spark)
    counts = assert_same_tables(duck, on_spark)
    assert counts["trips"] == summary.rows["trips"] == 7
    faults = open_query(on_spark).execute("SELECT sum(gps_faults) FROM trips").fetchall()
    assert faults[0][0] > 0


def test_generated_fleet(tmp_path: Path, spark: SparkSession) -> None:
    """Both engines read the lake with its re-delivered rows (the first ingested wins) and give
    the tables of the same lake without them."""
    on_spark, duck, clean = tmp_path / "spark", tmp_path / "duck", tmp_path / "clean"
    write_fleet(on_spark, seed=3)  # a seed whose duplicates changed trips when read undeduplicated
    shutil.copytree(on_spark, duck)
    shutil.copytree(on_spark, clean)
    for dup in clean.rglob("part-1.parquet"):
        dup.unlink()
    derive(duck, battery_wh=CAPS)
    derive(clean, battery_wh=CAPS)
    assert_same_tables(clean, duck)
    summary = derive_spark(on_spark, battery_wh=CAPS, spark=spark)
    counts = assert_same_tables(duck, on_spark)
    assert summary.rows == counts
    assert len(summary.days) >= 3
    con = open_query(on_spark)
    sources = con.execute("SELECT DISTINCT source FROM charging_sessions").fetchall()
    assert {s[0] for s in sources} == {"is_charging", "power", "soc"}
    kinds = con.execute("SELECT DISTINCT distance_source FROM trips").fetchall()
    assert {"odometer", "gps"} <= {k[0] for k in kinds}
    assert counts["stops"] > 10
    for table in ("trips", "stops", "charging_sessions"):  # intervals over many hour buckets
        past_midnight = con.execute(
            f"SELECT count(*) FROM {table} WHERE CAST(start_ts AS DATE) < CAST(end_ts AS DATE)"
        ).fetchall()
        assert past_midnight[0][0] > 0, table


def test_one_day_rebuilt_over_duckdb_output(tmp_path: Path, spark: SparkSession) -> None:
    """Spark rewriting one day of a DuckDB-derived lake leaves every table as it was."""
    data, ref = tmp_path / "data", tmp_path / "ref"
    write_fleet(data, seed=2, vans=4, duplicates=False)
    shutil.copytree(data, ref)
    derive(data, battery_wh=CAPS)
    derive(ref, battery_wh=CAPS)
    summary = derive_spark(data, days=["2026-03-03"], battery_wh=CAPS, spark=spark)
    assert summary.days == ("2026-03-03",)
    assert sum(summary.rows.values()) > 0
    assert_same_tables(ref, data)


def test_state_of_health_as_estimate_health(tmp_path: Path, spark: SparkSession) -> None:
    write_fleet(tmp_path, seed=1)
    derive(tmp_path, battery_wh=CAPS)
    _, rows = _rows(tmp_path, "charging_sessions")
    cols, _ = _rows(tmp_path, "charging_sessions")
    sessions = [dict(zip(cols, r, strict=True)) for r in rows]
    nominal = {**CAPS, "V00": 42_000.0}
    want = estimate_health(sessions, nominal)
    assert want
    df = spark.createDataFrame(sessions)
    got = {r["vehicle_id"]: r for r in health(spark, df, nominal).collect()}
    assert sorted(got) == [w.vehicle_id for w in want]
    for w in want:
        g = got[w.vehicle_id]
        assert g["num_sessions"] == w.num_sessions
        for name in ("capacity_wh", "soh", "soc_observed", "confidence", "nominal_wh"):
            assert _same(g[name], getattr(w, name)), (w.vehicle_id, name)


def test_cli_derive_on_spark(tmp_path: Path, spark: SparkSession) -> None:
    """``voltvan derive --engine spark`` writes the tables the reports read."""
    write_fleet(tmp_path, seed=4, vans=3, days=2)
    r = CliRunner().invoke(
        app, ["derive", "--data", str(tmp_path), "--engine", "spark", "--battery-wh", "40000"]
    )
    assert r.exit_code == 0, r.output
    assert "day(s): trips" in r.output
    r = CliRunner().invoke(app, ["report", "trips", "--data", str(tmp_path), "--csv"])
    assert r.exit_code == 0, r.output
    assert r.output.count("\n") > 3


def test_cli_unknown_engine(tmp_path: Path) -> None:
    write_fleet(tmp_path, seed=4, vans=1, days=1)
    r = CliRunner().invoke(app, ["derive", "--data", str(tmp_path), "--engine", "flink"])
    assert isinstance(r.exception, InvalidInput)
    assert "unknown engine 'flink'" in str(r.exception)
