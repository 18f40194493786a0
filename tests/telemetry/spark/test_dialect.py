"""The DuckDB -> Spark SQL rewrite (no Spark needed) and the error without pyspark."""

from __future__ import annotations

import sys

import pytest

from voltvan.telemetry.analytics import time_bucket_sql, time_buckets_sql
from voltvan.telemetry.spark import SparkMissing, require_pyspark
from voltvan.telemetry.spark._dialect import to_spark


def test_arg_min_skips_null_values_like_duckdb() -> None:
    """Spark's min_by keeps a null value; the key is blanked so that it does not."""
    got = to_spark("SELECT arg_min(s.value, s.ts) FILTER (WHERE s.name = 'a,(')")
    want = "min_by(s.value, CASE WHEN (s.value) IS NOT NULL THEN s.ts END) FILTER"
    assert want in got
    assert "'a,('" in got  # quoted text untouched


def test_nested_calls_and_ignore_nulls() -> None:
    got = to_spark("arg_max(greatest(arg_min(a, b), 0), ts) + last_value(x IGNORE NULLS)")
    assert got.startswith("max_by(greatest(min_by(a, CASE WHEN (a) IS NOT NULL THEN b END), 0)")
    assert got.endswith("last_value(x, true)")


def test_named_window_frame_dropped_inline_frame_kept() -> None:
    sql = (
        "SELECT lead(ts) OVER w, sum(x) OVER (PARTITION BY v ORDER BY ts ROWS UNBOUNDED "
        "PRECEDING) FROM t WINDOW w AS (PARTITION BY v ORDER BY ts ROWS UNBOUNDED PRECEDING)"
    )
    got = to_spark(sql)
    assert got.endswith("WINDOW w AS (PARTITION BY v ORDER BY ts)")
    assert "ORDER BY ts ROWS UNBOUNDED PRECEDING) FROM t" in got


def test_time_buckets_use_spark_built_ins() -> None:
    got = to_spark(f"SELECT {time_buckets_sql('a', 'b')} AS k, {time_bucket_sql('ts')}")
    assert got.startswith("SELECT explode(sequence(CAST(floor(unix_micros(a) / 3600000000)")
    assert "epoch" not in got  # Spark allows no SQL function inside explode


def test_unbalanced_sql_is_an_error() -> None:
    with pytest.raises(ValueError, match="unbalanced"):
        to_spark("SELECT arg_min(a, b FROM t")


def test_missing_pyspark_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(SparkMissing, match=r"voltvan\[spark\]"):
        require_pyspark()
