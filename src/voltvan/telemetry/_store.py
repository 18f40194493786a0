"""The single writer of the telemetry store: durable, deduplicated batches of closed Parquet files.

Every write lands in a temporary file that is fsynced and then renamed into place, so a reader
(or a crash) only ever sees whole files. The writer never writes a duplicate key
``(vehicle_id, ts, name)``: rows newer than the last stored timestamp of their
``(vehicle_id, name)`` (the high-water mark, kept in the last-state file) are new by
construction; older rows, such as MQTT redeliveries after a crash, are looked up in the Parquet
files of their day. That makes dedup exact across restarts without a key index that would grow
with the data. Layout: docs/formats/telemetry.md.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from voltvan.errors import Conflict, InvalidInput
from voltvan.telemetry import _duck
from voltvan.telemetry._layout import (
    DAY_US,
    SIGNALS_SCHEMA,
    STATE_SCHEMA,
    TS,
    FileLock,
    arrow_rows,
    day_of,
    file_us,
    rejects_table,
    state_file,
    write_parquet_atomic,
    written_after_state,
)
from voltvan.telemetry._layout import iter_partitions as iter_partitions
from voltvan.telemetry._messages import Batch, Context, add_samples, now_us

_RECENT_US = 10 * 60 * 1_000_000  # redeliveries are looked for here first
_SORT = [("vehicle_id", "ascending"), ("name", "ascending"), ("ts", "ascending")]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one durable write did: rows stored, duplicate rows dropped, dead letters kept."""

    stored: int
    duplicates: int
    rejected: int


class Store:
    """The writer of one data directory; one per ``writer_id`` (use :func:`open_store`).

    Batches are deduplicated and sorted inside an in-memory DuckDB connection that also holds
    the last state (one row per vehicle and signal), so the per-row work is vectorized.
    """

    def __init__(
        self, data_dir: Path, writer_id: str = "main", *, state_interval_s: float = 1.0
    ) -> None:
        if not writer_id.replace("-", "").replace("_", "").isalnum():
            raise InvalidInput(f"writer id {writer_id!r} must be letters, digits, - or _")
        self.data_dir = data_dir
        self.writer_id = writer_id
        self._maint = FileLock(
            data_dir / ".store.lock", shared=True, what="store maintenance is running"
        )
        try:
            self._own = FileLock(
                data_dir / f".writer-{writer_id}.lock",
                shared=False,
                what=f"another process already writes as {writer_id!r}",
            )
        except Conflict:
            self._maint.release()
            raise
        self._mutex = threading.Lock()
        self._seq = 0
        self.state_interval_s = state_interval_s
        self._state_dirty = False
        self._state_written_at = -math.inf
        self._con = _duck.connect(threads=2)
        self._con.execute("SET TimeZone = 'UTC'")
        self._load_state()

    # -- opening ------------------------------------------------------------------------------

    def _load_state(self) -> None:
        """Rebuild the last state (the high-water marks): all last-state files, plus the signal
        files each writer wrote after its last state (a crash, or the state's write interval)."""
        con = self._con
        con.execute(
            "CREATE TEMP TABLE loaded (vehicle_id VARCHAR, name VARCHAR, ts TIMESTAMPTZ, "
            "value DOUBLE, value_text VARCHAR, ingested_at TIMESTAMPTZ)"
        )
        state_dir = self.data_dir / "state"
        paths = sorted(state_dir.glob("last_state*.parquet")) if state_dir.exists() else []
        if paths:
            con.execute(
                f"INSERT INTO loaded SELECT vehicle_id, name, ts, value, value_text, ingested_at "
                f"FROM read_parquet({_duck.sql_list(paths)})"
            )
        newer = written_after_state(self._signal_files(), paths)
        if newer:
            con.execute(
                f"INSERT INTO loaded SELECT vehicle_id, name, ts, value, value_text, ingested_at "
                f"FROM read_parquet({_duck.sql_list(newer)})"
            )
        con.execute(
            "CREATE TABLE state (vehicle_id VARCHAR, name VARCHAR, ts TIMESTAMPTZ, "
            "value DOUBLE, value_text VARCHAR, ingested_at TIMESTAMPTZ, "
            "PRIMARY KEY (vehicle_id, name))"
        )
        self._fold_state("loaded")
        con.execute("DROP TABLE loaded")

    def _fold_state(self, rows: str) -> None:
        """Upsert the newest row per (vehicle, signal) of table ``rows`` into ``state``; the
        cost grows with the batch, not with the fleet."""
        self._con.execute(
            "INSERT INTO state SELECT vehicle_id, name, max(ts) AS ts, arg_max(value, ts), "
            f"arg_max(value_text, ts), max(ingested_at) FROM {rows} GROUP BY vehicle_id, name "
            "ON CONFLICT (vehicle_id, name) DO UPDATE SET ts = excluded.ts, "
            "value = excluded.value, value_text = excluded.value_text, "
            "ingested_at = excluded.ingested_at WHERE excluded.ts > state.ts"
        )

    def _signal_files(self, day: str | None = None) -> list[Path]:
        base = self.data_dir / "signals"
        pattern = f"date={day}/*.parquet" if day else "date=*/*.parquet"
        return sorted(base.glob(pattern)) if base.exists() else []

    # -- writing ------------------------------------------------------------------------------

    def write(self, batch: Batch) -> WriteResult:
        """Store the valid rows and dead letters of ``batch``; durable when this returns."""
        return self.write_many([batch])[0]

    def write_many(self, batches: Sequence[Batch]) -> list[WriteResult]:
        """Store several batches in one durable write (group commit); a result per batch.

        One file and one fsync for many small HTTP requests instead of one each.
        """
        with self._mutex:
            return self._write(batches)

    def _write(self, batches: Sequence[Batch]) -> list[WriteResult]:
        ingested = now_us()
        stored_by_part: dict[int, int] = {}
        table: pa.Table | None = None
        if any(b.num_rows for b in batches):
            table = self._new_rows(batches, ingested)
            counts = pc.value_counts(table["part"])
            stored_by_part = {int(v["values"]): int(v["counts"]) for v in counts.to_pylist()}
            if len(table):
                self._write_partitions(
                    table.drop_columns(["day_n", "part"]), "signals", table["day_n"]
                )
        rejects = [r for b in batches for r in b.rejects]
        if rejects:
            day_n = pa.array([r.received_at_us // DAY_US for r in rejects], pa.int64())
            self._write_partitions(rejects_table(rejects), "rejected", day_n)
        if table is not None and len(table):
            self._con.register("fresh", table)
            try:
                self._fold_state("fresh")
            finally:
                self._con.unregister("fresh")
            self._state_dirty = True
            if time.monotonic() - self._state_written_at >= self.state_interval_s:
                self._write_state()
        return [
            WriteResult(
                stored_by_part.get(i, 0), b.num_rows - stored_by_part.get(i, 0), len(b.rejects)
            )
            for i, b in enumerate(batches)
        ]

    def _new_rows(self, batches: Sequence[Batch], ingested_us: int) -> pa.Table:
        """The rows of ``batch`` not stored yet, sorted, with their UTC day number ``day_n``.

        A row newer than the last state of its (vehicle, signal) is new by construction; an
        older one (a redelivery, a late sample) is looked up in the files of its day.
        """
        con = self._con
        parts = [arrow_rows(b, i) for i, b in enumerate(batches) if b.num_rows]
        con.register("incoming", pa.concat_tables(parts))
        try:
            joined: pa.Table = _duck.fetch_arrow(
                con,
                "SELECT i.*, coalesce(i.ts <= s.ts, false) AS suspect "
                "FROM incoming i LEFT JOIN state s USING (vehicle_id, name)",
            )
            (row,) = con.execute(
                "SELECT count(*) FROM (SELECT DISTINCT vehicle_id, name, ts FROM incoming)"
            ).fetchall()
        finally:
            con.unregister("incoming")
        if row[0] == len(joined) and not pc.any(joined["suspect"]).as_py():
            fresh = joined.drop_columns(["suspect"])  # the common case: all new, no repeats
        else:
            fresh = self._drop_stored(joined)
        fresh = fresh.sort_by(_SORT)
        stamp = pa.array(np.full(len(fresh), ingested_us, dtype=np.int64)).cast(TS)
        day_n = pc.divide(fresh["ts"].cast(pa.int64()), DAY_US)
        fresh = fresh.append_column("ingested_at", stamp)
        schema = SIGNALS_SCHEMA.append(pa.field("part", pa.int32()))
        return fresh.select(schema.names).cast(schema).append_column("day_n", day_n)

    def _drop_stored(self, joined: pa.Table) -> pa.Table:
        """Drop repeated keys and the suspect rows already in the files of their days.

        Redeliveries are of rows written moments ago, so the files of the last minutes are
        searched first; the rest of the day only for suspects not found there.
        """
        con = self._con
        con.register("cand_in", joined)
        try:
            con.execute("CREATE OR REPLACE TEMP TABLE cand AS SELECT * FROM cand_in")
        finally:
            con.unregister("cand_in")
        days = [
            str(r[0])
            for r in con.execute(
                "SELECT DISTINCT strftime(ts, '%Y-%m-%d') FROM cand WHERE suspect"
            ).fetchall()
        ]
        files = [p for d in days for p in self._signal_files(d)]
        recent_us = now_us() - _RECENT_US
        recent = [p for p in files if file_us(p) >= recent_us]
        older = [p for p in files if file_us(p) < recent_us]
        for group in (recent, older):
            if group and con.execute("SELECT count(*) FROM cand WHERE suspect").fetchall()[0][0]:
                con.execute(
                    "DELETE FROM cand c WHERE suspect AND EXISTS (SELECT 1 FROM "
                    f"read_parquet({_duck.sql_list(group)}) p WHERE p.vehicle_id = c.vehicle_id "
                    "AND p.ts = c.ts AND p.name = c.name)"
                )
        out: pa.Table = _duck.fetch_arrow(
            con,
            "SELECT DISTINCT ON (vehicle_id, name, ts) vehicle_id, ts, name, value, "
            "value_text, part FROM cand "
            "ORDER BY vehicle_id, name, ts, part",  # a repeated key counts for the first batch
        )
        con.execute("DROP TABLE cand")
        return out

    def _write_partitions(self, table: pa.Table, kind: str, day_n: pa.ChunkedArray) -> None:
        for n in pc.unique(day_n).to_pylist():
            part = table.filter(pc.equal(day_n, n))
            self._seq += 1
            name = f"{now_us()}-{self.writer_id}-{self._seq:06d}.parquet"
            day = day_of(int(n) * DAY_US)
            write_parquet_atomic(part, self.data_dir / kind / f"date={day}" / name)

    def _write_state(self) -> None:
        self._state_dirty = False
        self._state_written_at = time.monotonic()
        table = _duck.fetch_arrow(
            self._con,
            "SELECT vehicle_id, name, ts, value, value_text, ingested_at FROM state "
            "ORDER BY vehicle_id, name",
        )
        write_parquet_atomic(table.cast(STATE_SCHEMA), state_file(self.data_dir, self.writer_id))

    def close(self) -> None:
        if self._state_dirty:
            self._write_state()
        self._con.close()
        self._own.release()
        self._maint.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    data_dir: str | Path, *, writer_id: str = "main", state_interval_s: float = 1.0
) -> Store:
    """Open ``data_dir`` for writing as ``writer_id``; Conflict if that writer already runs.

    The last-state file is rewritten after a batch at most every ``state_interval_s`` seconds
    (and on close): it is a few thousand rows, but rewriting it per batch would cost more than
    the batch itself on a busy stream.
    """
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return Store(path, writer_id, state_interval_s=state_interval_s)


def write_samples(
    store: Store,
    vehicle_id: str,
    samples: Iterable[tuple[datetime | str, Mapping[str, object]]],
    *,
    source: str = "import",
    fleet: frozenset[str] | None = None,
) -> WriteResult:
    """Validate ``(ts, {signal: value})`` samples as if they came by MQTT, then store them.

    For importers: the same rules, dead letters and deduplication as live data.
    """
    batch = Batch()
    add_samples(batch, Context(source=source, received_at_us=now_us(), fleet=fleet), vehicle_id,
                samples)  # fmt: skip
    return store.write(batch)
