"""The writer's high-water marks: late rows, restarts, sort order and the state file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from tests.telemetry.ingest_data import FIX, SOC, SPEED, T0, batch_message, iso, stored_rows
from voltvan.telemetry import Batch, Context, open_query, open_store, parse_message
from voltvan.telemetry.ingest._batch import now_us
from voltvan.telemetry.ingest._signals import signal_codes
from voltvan.telemetry.store._watermark import NO_TS, LastState


def batch_of(seconds: list[int], vehicle: str = "V1") -> Batch:
    out = Batch()
    ctx = Context("mqtt", now_us(), None, f"voltvan/v1/vehicles/{vehicle}/signals")
    for i in seconds:
        parse_message(out, ctx, batch_message(i, 1))
    return out


def test_late_duplicate_after_restart_is_rejected_and_a_late_new_row_kept(tmp_path: Path) -> None:
    """Below the mark, after a restart: a stored key is dropped, a gap second is stored."""
    with open_store(tmp_path) as store:
        store.write(batch_of([0, 1, 3, 4]))
    with open_store(tmp_path) as store:
        result = store.write(batch_of([1, 2, 4, 5]))  # 1 and 4 stored, 2 is a gap, 5 is new
    assert (result.stored, result.duplicates) == (8, 8)
    assert stored_rows(tmp_path) == 24
    con = open_query(tmp_path)
    assert con.execute("SELECT count(*) FROM signals_all").fetchone() == (24,)
    assert con.execute("SELECT count(DISTINCT (ts, name)) FROM signals_all").fetchone() == (24,)


def test_late_rows_found_in_old_files_of_their_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A redelivery older than the 'recent' window is still found in the rest of the day."""
    import voltvan.telemetry.store._store as store_module

    monkeypatch.setattr(store_module, "_RECENT_US", -(10**12))  # every file counts as old
    with open_store(tmp_path) as store:
        store.write(batch_of([0, 1, 2]))
        again = store.write(batch_of([0, 1, 2, 3]))
    assert (again.stored, again.duplicates) == (4, 12)


def test_files_are_sorted_by_vehicle_name_ts_whatever_the_arrival_order(tmp_path: Path) -> None:
    """Vehicles seen in another order than their ids sort still come out in string order."""
    with open_store(tmp_path) as store:
        store.write(batch_of([5], vehicle="V9"))
        b = batch_of([3, 1, 2], vehicle="V10")
        b.extend(batch_of([7, 6], vehicle="V9"))
        b.extend(batch_of([1], vehicle="V1"))
        store.write(b)
    newest = max((tmp_path / "signals").glob("date=*/*.parquet"))
    rows = pq.read_table(newest).select(["vehicle_id", "name", "ts"]).to_pylist()
    keys = [(r["vehicle_id"], r["name"], r["ts"]) for r in rows]
    assert keys == sorted(keys) and len(keys) == 24
    assert keys[0][0] == "V1" and keys[-1][0] == "V9"


def test_string_signal_text_reaches_rows_and_last_state(tmp_path: Path) -> None:
    """A string signal keeps its text in value_text (value null) in rows and last state."""
    msg = {"samples": [{"ts": iso(T0), "signals": {FIX: "THREE_D", SPEED: 3.0}}]}
    b = Batch()
    ctx = Context("mqtt", now_us(), None, "voltvan/v1/vehicles/V1/signals")
    parse_message(b, ctx, json.dumps(msg).encode())
    with open_store(tmp_path) as store:
        assert store.write(b).stored == 2
    con = open_query(tmp_path)
    state = con.execute("SELECT name, value, value_text FROM last_state ORDER BY name").fetchall()
    assert state == [(FIX, None, "THREE_D"), (SPEED, 3.0, None)]
    rows = con.execute("SELECT name, value, value_text FROM signals ORDER BY name").fetchall()
    assert rows == state


def test_state_marks_only_rise(tmp_path: Path) -> None:
    """An older row never lowers the mark or replaces the newest value."""
    with open_store(tmp_path) as store:
        store.write(batch_of([9]))
        store.write(batch_of([2]))
    con = open_query(tmp_path)
    (value,) = con.execute("SELECT value FROM last_state WHERE name = ?", [SOC]).fetchone() or ()
    assert value == 80.0 - 0.09


def test_last_state_table_round_trips_through_load() -> None:
    """The state file written from the marks loads back into the same marks."""
    state = LastState()
    keys = state.vehicle_index(["b", "a", "b"]) * state.width + signal_codes()[SPEED]
    state.update(keys[:2], np.array([5, 7]), np.array([1.0, 2.0]), None, 42)
    again = LastState()
    again.load(state.table())
    assert again.table().equals(state.table())
    assert state.table()["vehicle_id"].to_pylist() == ["a", "b"]
    assert int((state.ts != NO_TS).sum()) == 2
