"""The ``signals`` view: exactly the first ingested row of each key; key filters pushed down."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from tests.telemetry.ingest_data import FIX, SOC, SPEED, T0
from voltvan.telemetry import open_query
from voltvan.telemetry.store._layout import SIGNALS_SCHEMA, write_parquet_atomic

Row = tuple[str, datetime, str, float | None, str | None, datetime | None]


def _write(data: Path, rows: list[Row], part: str) -> None:
    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {f.name: pa.array(col, type=f.type) for f, col in zip(SIGNALS_SCHEMA, columns, strict=True)}
    )
    write_parquet_atomic(table, data / "signals" / "date=2026-03-02" / f"{part}.parquet")


def _duplicated_rows(rng: random.Random) -> list[Row]:
    """Keys stored one to three times with different values; some ingested_at left null."""
    rows: list[Row] = []
    for v in range(4):
        for s in range(30):
            ts = T0 + timedelta(seconds=s)
            for name in (SPEED, SOC, FIX):
                copies = rng.choice([1, 1, 2, 3])
                for c in range(copies):
                    ingested = T0 + timedelta(hours=1, seconds=rng.randrange(10_000))
                    unknown = (c == 1 and s % 7 == 0) or (copies == 1 and s % 5 == 0)
                    at = None if unknown else ingested + timedelta(microseconds=c)
                    number = None if name == FIX else float(rng.randrange(100))
                    text = rng.choice(["TWO_D", "THREE_D"]) if name == FIX else None
                    rows.append((f"V{v}", ts, name, number, text, at))
    rng.shuffle(rows)
    return rows


def _first_ingested(rows: list[Row]) -> set[tuple[Any, ...]]:
    best: dict[tuple[str, datetime, str], Row] = {}
    for row in rows:
        key = row[:3]
        old = best.get(key)
        if old is None or (row[5] is not None and (old[5] is None or row[5] < old[5])):
            best[key] = row
    return {r[:5] for r in best.values()}


def test_signals_is_the_first_ingested_row_of_each_key(tmp_path: Path) -> None:
    """Duplicates across and inside files, numbers and text: the earliest ingested row wins."""
    rows = _duplicated_rows(random.Random(5))
    third = len(rows) // 3
    for k, part in enumerate((rows[:third], rows[third : 2 * third], rows[2 * third :])):
        _write(tmp_path, part, f"part-{k}")
    expected = _first_ingested(rows)
    assert len(expected) < len(rows)  # the data does hold duplicates
    con = open_query(tmp_path)
    got = con.execute("SELECT vehicle_id, ts, name, value, value_text FROM signals").fetchall()
    assert len(got) == len(expected)
    assert {(v, ts.astimezone(T0.tzinfo), n, x, t) for v, ts, n, x, t in got} == expected


def test_a_filter_on_a_value_never_reaches_a_later_duplicate(tmp_path: Path) -> None:
    """A value filter applies after the dedup: a repeat ingested later cannot satisfy it."""
    first = (T0 + timedelta(hours=1), 5.0)
    later = (T0 + timedelta(hours=2), 0.0)
    _write(tmp_path, [("V1", T0, SPEED, first[1], None, first[0])], "a")
    _write(tmp_path, [("V1", T0, SPEED, later[1], None, later[0])], "b")
    con = open_query(tmp_path)
    assert con.execute("SELECT count(*) FROM signals WHERE value < 1").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM signals_all WHERE value < 1").fetchone() == (1,)


def _scan_filters_below_the_dedup(plan: list[dict[str, Any]]) -> list[str]:
    """The Parquet scan filters under the dedup aggregate of a JSON query plan."""

    def below(node: dict[str, Any], in_dedup: bool) -> list[str]:
        in_dedup = in_dedup or "GROUP_BY" in node["name"] or "WINDOW" in node["name"]
        found: list[str] = []
        if node["name"] == "READ_PARQUET" and in_dedup:
            found += node["extra_info"].get("Filters", [])
        for child in node["children"]:
            found += below(child, in_dedup)
        return found

    return [f for node in plan for f in below(node, False)]


def test_filters_on_vehicle_time_and_name_go_below_the_dedup(tmp_path: Path) -> None:
    """The dedup runs on the rows a query selects by key, not on every stored row."""
    _write(tmp_path, _duplicated_rows(random.Random(1)), "part-0")
    con = open_query(tmp_path)
    sql = (
        f"SELECT ts, value FROM signals WHERE vehicle_id = 'V2' AND name = '{SPEED}' "
        f"AND ts >= TIMESTAMPTZ '{(T0 + timedelta(seconds=10)).isoformat()}'"
    )
    row = con.execute(f"EXPLAIN (FORMAT json) {sql}").fetchone()
    assert row is not None
    filters = " ".join(_scan_filters_below_the_dedup(json.loads(row[1])))
    for column in ("vehicle_id", "name", "ts"):
        assert f"({column} " in filters, filters
