"""Compaction and retention: fewer files, same rows, no duplicates; old days go, writers block."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.telemetry.ingest_data import stored_rows
from tests.telemetry.test_store import batch_of
from voltvan.errors import Conflict
from voltvan.telemetry import open_query, open_store
from voltvan.telemetry._maintain import compact, retain
from voltvan.telemetry._store import write_parquet_atomic


def _files(data: Path, kind: str = "signals") -> list[Path]:
    return sorted((data / kind).glob("date=*/*.parquet"))


def test_compaction_merges_a_day_into_one_sorted_file(tmp_path: Path) -> None:
    """Five batch files become one; rows and the query answer are unchanged."""
    with open_store(tmp_path) as store:
        for k in range(5):
            store.write(batch_of(k * 10, 10, vehicle=f"V{k % 2}"))
    q = "SELECT count(*), round(sum(value), 6), count(DISTINCT vehicle_id) FROM signals"
    before = open_query(tmp_path).execute(q).fetchone()
    results = compact(tmp_path)
    assert [(r.kind, r.files_before, r.rows_before, r.rows_after) for r in results] == [
        ("signals", 5, 200, 200)
    ]
    files = _files(tmp_path)
    assert len(files) == 1 and files[0].name.endswith("-compacted.parquet")
    assert open_query(tmp_path).execute(q).fetchone() == before
    keys = pq.read_table(files[0], columns=["vehicle_id", "name", "ts"]).to_pylist()
    as_tuples = [(k["vehicle_id"], k["name"], k["ts"]) for k in keys]
    assert as_tuples == sorted(as_tuples)


def test_compaction_drops_duplicate_keys(tmp_path: Path) -> None:
    """A duplicate file (as a crash mid-compaction could leave) is folded away."""
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 10))
    original = _files(tmp_path)[0]
    write_parquet_atomic(pq.read_table(original), original.with_name("copy.parquet"))
    assert stored_rows(tmp_path) == 80
    assert open_query(tmp_path).execute("SELECT count(*) FROM signals").fetchone() == (40,)
    compact(tmp_path)
    assert stored_rows(tmp_path) == 40


def test_maintenance_refuses_to_run_beside_a_writer(tmp_path: Path) -> None:
    """While a writer holds the store, compaction and retention raise Conflict."""
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 2))
        with pytest.raises(Conflict):
            compact(tmp_path)
        with pytest.raises(Conflict):
            retain(tmp_path, days=1)
    assert compact(tmp_path) == []  # one file per day: nothing to merge


def test_retention_removes_old_days_only(tmp_path: Path) -> None:
    """Days older than the window disappear from signals; newer ones and the state stay."""
    from tests.telemetry.ingest_data import T0

    with open_store(tmp_path) as store:
        store.write(batch_of(0, 2, t0=T0.replace(day=1)))
        store.write(batch_of(0, 2, t0=T0.replace(day=5)))
    removed = retain(tmp_path, days=3, today=date(2026, 3, 6))
    assert removed == ["signals/date=2026-03-01"]
    days = [p.name for p in (tmp_path / "signals").iterdir()]
    assert days == ["date=2026-03-05"]
    assert (tmp_path / "state" / "last_state.parquet").exists()
