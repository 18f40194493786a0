"""The single writer: atomic Parquet batches, exact dedup across restarts, last state, locks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.telemetry.ingest_data import SOC, SPEED, T0, batch_message, iso, stored_rows
from voltvan.errors import Conflict
from voltvan.telemetry import Batch, Context, open_query, open_store, parse_message, write_samples
from voltvan.telemetry.ingest._batch import now_us
from voltvan.telemetry.store._layout import SIGNALS_SCHEMA


def batch_of(first: int, count: int, *, vehicle: str = "V1", t0: object = T0) -> Batch:
    out = Batch()
    ctx = Context("mqtt", now_us(), None, f"voltvan/v1/vehicles/{vehicle}/signals")
    parse_message(out, ctx, batch_message(first, count, t0=t0))  # type: ignore[arg-type]
    return out


def test_write_is_a_closed_parquet_file_in_the_day_partition(tmp_path: Path) -> None:
    """Rows land under signals/date=YYYY-MM-DD in the documented schema, no temp files left."""
    with open_store(tmp_path) as store:
        result = store.write(batch_of(0, 10))
    assert (result.stored, result.duplicates, result.rejected) == (40, 0, 0)
    files = list((tmp_path / "signals" / "date=2026-03-02").glob("*"))
    assert len(files) == 1 and files[0].suffix == ".parquet"
    schema = pq.read_schema(files[0])
    assert schema.names == ["vehicle_id", "ts", "name", "value", "value_text", "ingested_at"]
    assert str(schema.field("ts").type) == "timestamp[us, tz=UTC]"
    # written from dictionaries, read back as the documented plain strings by any engine
    assert schema.field("vehicle_id").type == schema.field("name").type == "string"
    assert schema == SIGNALS_SCHEMA


def test_redelivered_batch_is_not_stored_twice_even_after_restart(tmp_path: Path) -> None:
    """The same batch written again, by a new writer process state, adds no row."""
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 10))
        again = store.write(batch_of(5, 10))
    assert (again.stored, again.duplicates) == (20, 20)
    with open_store(tmp_path) as store:
        third = store.write(batch_of(0, 15))
    assert (third.stored, third.duplicates) == (0, 60)
    assert stored_rows(tmp_path) == 60


def test_late_rows_older_than_the_last_state_are_kept_once(tmp_path: Path) -> None:
    """Out-of-order samples (older than the high-water mark) are stored if new, once."""
    with open_store(tmp_path) as store:
        store.write(batch_of(10, 5))
        late = store.write(batch_of(0, 12))
    assert (late.stored, late.duplicates) == (40, 8)
    assert stored_rows(tmp_path) == 60


def test_dedup_survives_a_lost_state_file(tmp_path: Path) -> None:
    """A crash between the signal rename and the state rename cannot cause duplicates."""
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 10))
    (tmp_path / "state" / "last_state.parquet").unlink()
    with open_store(tmp_path) as store:
        again = store.write(batch_of(0, 10))
    assert again.stored == 0 and stored_rows(tmp_path) == 40


def test_dedup_survives_a_crash_with_a_stale_state_file(tmp_path: Path) -> None:
    """Batches written after the (throttled) last-state file are still known after a crash."""
    store = open_store(tmp_path, state_interval_s=3600.0)
    store.write(batch_of(0, 5))  # the first batch writes the state
    store.write(batch_of(5, 5))  # this one does not (interval)
    store._con.close()  # crash: no close(), so no final state write
    store._own.release()
    store._maint.release()
    with open_store(tmp_path) as again:
        result = again.write(batch_of(0, 10))
    assert (result.stored, result.duplicates) == (0, 40)
    assert stored_rows(tmp_path) == 40


def test_duplicate_keys_within_one_batch_are_dropped(tmp_path: Path) -> None:
    """Two samples with the same ts in one message make one row per signal."""
    b = batch_of(0, 3)
    b.extend(batch_of(0, 3))
    with open_store(tmp_path) as store:
        result = store.write(b)
    assert (result.stored, result.duplicates) == (12, 12)


def test_group_commit_counts_each_batch(tmp_path: Path) -> None:
    """write_many writes one file for several batches and counts each batch's own rows."""
    with open_store(tmp_path) as store:
        results = store.write_many([batch_of(0, 5), batch_of(3, 5), batch_of(0, 2, vehicle="V2")])
    assert [(r.stored, r.duplicates) for r in results] == [(20, 0), (12, 8), (8, 0)]
    assert stored_rows(tmp_path) == 40
    assert len(list((tmp_path / "signals").glob("date=*/*.parquet"))) == 1


def test_last_state_holds_the_newest_value_per_signal(tmp_path: Path) -> None:
    """last_state has one row per (vehicle, signal) with the newest ts, and it is a file."""
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 10, vehicle="V1"))
        store.write(batch_of(0, 3, vehicle="V2"))
    con = open_query(tmp_path)
    rows = con.execute(
        "SELECT vehicle_id, ts, value FROM last_state WHERE name = ? ORDER BY vehicle_id", [SOC]
    ).fetchall()
    assert [r[0] for r in rows] == ["V1", "V2"]
    assert rows[0][1] == T0 + timedelta(seconds=9)
    assert rows[0][2] == pytest.approx(80.0 - 0.09)
    assert (tmp_path / "state" / "last_state.parquet").exists()


def test_rejects_go_to_the_dead_letter_table(tmp_path: Path) -> None:
    """Dead letters are stored with reason, source and payload; counted per reason."""
    b = Batch()
    ctx = Context("http", now_us(), frozenset({"V1"}), None)
    parse_message(b, ctx, b"not json", vehicle_id="V1")
    parse_message(b, ctx, b"{}", vehicle_id="V7")
    with open_store(tmp_path) as store:
        assert store.write(b).rejected == 2
    con = open_query(tmp_path)
    counts = dict(con.execute("SELECT reason, n FROM rejected_counts").fetchall())
    assert counts == {"malformed_json": 1, "unknown_vehicle": 1}
    payload = con.execute("SELECT payload FROM rejected WHERE reason = 'malformed_json'").fetchone()
    assert payload == ("not json",)


def test_rows_split_across_days(tmp_path: Path) -> None:
    """A batch spanning midnight UTC writes one file into each day partition."""
    late = T0.replace(hour=23, minute=59, second=58)
    with open_store(tmp_path) as store:
        store.write(batch_of(0, 4, t0=late))
    days = sorted(p.name for p in (tmp_path / "signals").iterdir())
    assert days == ["date=2026-03-02", "date=2026-03-03"]


def test_one_writer_per_id(tmp_path: Path) -> None:
    """A second writer with the same id is refused; another id may write beside it."""
    with open_store(tmp_path) as store:
        with pytest.raises(Conflict):
            open_store(tmp_path)
        with open_store(tmp_path, writer_id="http") as other:
            other.write(batch_of(0, 2, vehicle="V2"))
        store.write(batch_of(0, 2))
    con = open_query(tmp_path)
    assert con.execute("SELECT count(DISTINCT vehicle_id) FROM last_state").fetchone() == (2,)


def test_write_samples_validates_like_live_data(tmp_path: Path) -> None:
    """Importer samples get the same checks and dead letters as MQTT messages."""
    samples: list[tuple[datetime | str, Mapping[str, object]]] = [
        (iso(T0), {SPEED: 12.0}),
        (T0 + timedelta(seconds=1), {SPEED: 9999.0}),
    ]
    with open_store(tmp_path) as store:
        result = write_samples(store, "V1", samples, source="import")
    assert (result.stored, result.rejected) == (1, 1)
    con = open_query(tmp_path)
    assert con.execute("SELECT source, reason FROM rejected").fetchall() == [
        ("import", "out_of_range")
    ]


def test_empty_store_has_typed_empty_views(tmp_path: Path) -> None:
    """Before any write, every raw view exists, is empty, and has its columns."""
    con = open_query(tmp_path)
    for view in ("signals", "last_state", "rejected", "rejected_counts"):
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
    cols = [d[0] for d in con.execute("SELECT * FROM signals").description]
    assert cols == ["vehicle_id", "ts", "name", "value", "value_text"]
