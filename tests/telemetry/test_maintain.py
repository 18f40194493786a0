"""Compaction and retention: fewer files, same rows, no duplicates; old days go (derived ones
only on request), writers and derive block."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.telemetry.ingest_data import stored_rows
from tests.telemetry.test_store import batch_of
from voltvan.errors import Conflict, InvalidInput
from voltvan.telemetry import derive, open_query, open_store
from voltvan.telemetry.analytics._derived import DERIVED_TABLES
from voltvan.telemetry.store._layout import FileLock
from voltvan.telemetry.store._maintain import compact, retain
from voltvan.telemetry.store._store import write_parquet_atomic


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


def _derived_days(data: Path) -> list[tuple[str, str]]:
    return sorted((p.parent.name, p.name) for p in (data / "derived").glob("*/date=*"))


@pytest.fixture
def derived_store(tmp_path: Path) -> Path:
    """A 10 km trip on 1 and on 5 March, derived: every derived table has both days."""
    from tests.telemetry.analytics_data import T0, rows_from_series, write_signals
    from voltvan.telemetry import SPEED

    speed = [0.0] * 300 + [36.0] * 1000 + [0.0] * 300
    for day in (1, 5):
        write_signals(tmp_path, rows_from_series("V1", SPEED, speed, start=T0.replace(day=day)))
    derive(tmp_path)
    assert len(_derived_days(tmp_path)) == 2 * len(DERIVED_TABLES)
    return tmp_path


def test_retention_keeps_derived_tables_by_default(derived_store: Path) -> None:
    """Raw days go; every derived day stays, is still queried, and a new derive keeps it."""
    before = _derived_days(derived_store)
    removed = retain(derived_store, days=3, today=date(2026, 3, 6))
    assert removed == ["signals/date=2026-03-01"]
    assert _derived_days(derived_store) == before
    derive(derived_store)  # rebuilds only the days that still have raw signals
    trips = "SELECT CAST(start_ts AS DATE)::VARCHAR FROM trips ORDER BY 1"
    assert open_query(derived_store).execute(trips).fetchall() == [("2026-03-01",), ("2026-03-05",)]


def test_retention_of_derived_days_on_request(derived_store: Path) -> None:
    """--derived-days removes the old day of every derived table and nothing newer."""
    removed = retain(derived_store, days=1, derived_days=3, today=date(2026, 3, 6))
    assert removed == ["signals/date=2026-03-01"] + [
        f"derived/{t}/date=2026-03-01" for t in sorted(DERIVED_TABLES)
    ]
    assert _derived_days(derived_store) == [(t, "date=2026-03-05") for t in sorted(DERIVED_TABLES)]
    assert not [p for p in (derived_store / "derived").iterdir() if p.name.startswith(".")]
    trips = "SELECT CAST(start_ts AS DATE)::VARCHAR FROM trips"
    assert open_query(derived_store).execute(trips).fetchall() == [("2026-03-05",)]
    assert retain(derived_store, days=1, derived_days=30, today=date(2026, 3, 6)) == []


def test_retention_checks_its_windows(derived_store: Path) -> None:
    """A derived window under a day is a mistake, reported with the option it came from."""
    with pytest.raises(InvalidInput, match="--derived-days"):
        retain(derived_store, days=3, derived_days=0)


def test_derive_refuses_to_run_beside_maintenance(derived_store: Path) -> None:
    """Retention could delete the days derive reads or writes, so they exclude each other."""
    lock = FileLock(derived_store / ".store.lock", shared=False, what="maintenance")
    try:
        with pytest.raises(Conflict, match="store maintenance"):
            derive(derived_store)
    finally:
        lock.release()
    with open_store(derived_store):  # a writer and derive share the store
        derive(derived_store, days=["2026-03-05"])


def test_derive_after_retention_keeps_a_trip_from_a_removed_day_once(tmp_path: Path) -> None:
    """A trip from 23:30 on 4 March to 00:30 on 5 March, derived; then 4 March's raw data is
    retained away. Deriving again must not count the trip a second time on 5 March (where it
    would seem to start), nor empty 4 March's derived rows (it has no raw data left)."""
    from tests.telemetry.analytics_data import rows_from_series, write_signals
    from voltvan.telemetry import SPEED

    start = datetime(2026, 3, 4, 23, 0, tzinfo=UTC)
    speed = [0.0] * 1800 + [36.0] * 3600 + [0.0] * 1800  # 23:30 to 00:30, 36 km
    write_signals(tmp_path, rows_from_series("V1", SPEED, speed, start=start))
    derive(tmp_path)
    trips = "SELECT CAST(start_ts AS DATE)::VARCHAR, round(distance_m) FROM trips"
    once = [("2026-03-04", 36_000.0)]
    assert open_query(tmp_path).execute(trips).fetchall() == once

    assert retain(tmp_path, days=3, today=date(2026, 3, 8)) == ["signals/date=2026-03-04"]
    summary = derive(tmp_path)
    assert summary.days == () and summary.kept == ("2026-03-05",)
    assert derive(tmp_path, days=["2026-03-04"]).kept == ("2026-03-04",)
    assert open_query(tmp_path).execute(trips).fetchall() == once
