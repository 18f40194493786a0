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
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from voltvan.errors import Conflict, InvalidInput
from voltvan.telemetry.ingest import Batch, WriteResult, now_us
from voltvan.telemetry.store import _duck
from voltvan.telemetry.store._layout import (
    DAY_US,
    TS,
    FileLock,
    day_of,
    file_us,
    rejects_table,
    state_file,
    write_parquet_atomic,
    written_after_state,
)
from voltvan.telemetry.store._layout import iter_partitions as iter_partitions
from voltvan.telemetry.store._new_rows import new_rows
from voltvan.telemetry.store._watermark import LastState, names_array

_RECENT_US = 10 * 60 * 1_000_000  # redeliveries are looked for here first


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
        self._state = LastState()
        self._load_state()
        # pyarrow imports pandas on the first conversion of a Python list (half a second);
        # pay that now rather than on the first batch of a live stream.
        pa.array([0.0], pa.float64())

    # -- opening ------------------------------------------------------------------------------

    def _load_state(self) -> None:
        """Rebuild the last state (the high-water marks): all last-state files, plus the signal
        files each writer wrote after its last state (a crash, or the state's write interval)."""
        state_dir = self.data_dir / "state"
        paths = sorted(state_dir.glob("last_state*.parquet")) if state_dir.exists() else []
        newer = written_after_state(self._signal_files(), paths)
        for group in (paths, newer):
            if group:
                self._state.load(
                    _duck.fetch_arrow(
                        self._con,
                        "SELECT vehicle_id, name, ts, value, value_text, ingested_at "
                        f"FROM read_parquet({_duck.sql_list(group)})",
                    )
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
        stored = np.zeros(len(batches), np.int64)
        if any(b.num_rows for b in batches):
            fresh = new_rows(batches, ingested, self._state, self._stored_already)
            if fresh is not None:
                table, day_n, part = fresh
                stored = np.bincount(part, minlength=len(batches))
                self._write_partitions(table, "signals", day_n)
        rejects = [r for b in batches for r in b.rejects]
        if rejects:
            days = pa.array([r.received_at_us // DAY_US for r in rejects], pa.int64())
            self._write_partitions(rejects_table(rejects), "rejected", days)
        if stored.any():
            self._state_dirty = True
            if time.monotonic() - self._state_written_at >= self.state_interval_s:
                self._write_state()
        return [
            WriteResult(int(stored[i]), b.num_rows - int(stored[i]), len(b.rejects))
            for i, b in enumerate(batches)
        ]

    def _stored_already(
        self, vehicles: list[str], ts: npt.NDArray[np.int64], code: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        """Which of these (unique) keys are in the signal files of their days.

        Redeliveries are of rows written moments ago, so the files of the last minutes are
        searched first; the rest of the day only for keys not found there.
        """
        con = self._con
        found = np.zeros(len(ts), bool)
        cand = pa.table(
            {
                "i": pa.array(np.arange(len(ts))),
                "vehicle_id": pa.array(vehicles, pa.string()),
                "ts": pa.array(ts).cast(TS),
                "name": names_array().take(pa.array(code)),
            }
        )
        files = [
            p for n in np.unique(ts // DAY_US) for p in self._signal_files(day_of(int(n) * DAY_US))
        ]
        recent_us = now_us() - _RECENT_US
        recent = [p for p in files if file_us(p) >= recent_us]
        older = [p for p in files if file_us(p) < recent_us]
        for group in (recent, older):
            if not group or found.all():
                continue
            con.register("cand", cand.filter(pa.array(~found)))
            try:
                hits = con.execute(
                    "SELECT c.i FROM cand c WHERE EXISTS (SELECT 1 FROM "
                    f"read_parquet({_duck.sql_list(group)}) p WHERE p.vehicle_id = c.vehicle_id "
                    "AND p.ts = c.ts AND p.name = c.name)"
                ).fetchall()
            finally:
                con.unregister("cand")
            found[[h[0] for h in hits]] = True
        return found

    def _write_partitions(self, table: pa.Table, kind: str, day_n: pa.Array) -> None:
        days = pc.unique(day_n).to_pylist()
        for n in days:
            part = table if len(days) == 1 else table.filter(pc.equal(day_n, n))
            self._seq += 1
            name = f"{now_us()}-{self.writer_id}-{self._seq:06d}.parquet"
            day = day_of(int(n) * DAY_US)
            # Dictionary columns are written as plain strings: readers see SIGNALS_SCHEMA.
            write_parquet_atomic(
                part, self.data_dir / kind / f"date={day}" / name, store_schema=kind != "signals"
            )

    def _write_state(self) -> None:
        self._state_dirty = False
        self._state_written_at = time.monotonic()
        write_parquet_atomic(self._state.table(), state_file(self.data_dir, self.writer_id))

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
