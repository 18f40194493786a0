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

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from voltvan.errors import Conflict, InvalidInput
from voltvan.telemetry import _duck
from voltvan.telemetry._messages import Batch, Context, Reject, add_samples, now_us

TS = pa.timestamp("us", tz="UTC")
SIGNALS_SCHEMA = pa.schema(
    [
        ("vehicle_id", pa.string()),
        ("ts", TS),
        ("name", pa.string()),
        ("value", pa.float64()),
        ("value_text", pa.string()),
        ("ingested_at", TS),
    ]
)
REJECTED_SCHEMA = pa.schema(
    [
        ("received_at", TS),
        ("source", pa.string()),
        ("topic", pa.string()),
        ("vehicle_id", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("payload", pa.string()),
    ]
)
STATE_SCHEMA = pa.schema(
    [
        ("vehicle_id", pa.string()),
        ("name", pa.string()),
        ("ts", TS),
        ("value", pa.float64()),
        ("value_text", pa.string()),
        ("ingested_at", TS),
    ]
)
_DAY_US = 86_400_000_000
_SORT = [("vehicle_id", "ascending"), ("name", "ascending"), ("ts", "ascending")]


def day_of(ts_us: int) -> str:
    """The ``YYYY-MM-DD`` partition (UTC) of a timestamp in microseconds."""
    return date.fromordinal(719_163 + ts_us // _DAY_US).isoformat()


def state_file(data_dir: Path, writer_id: str) -> Path:
    name = "last_state.parquet" if writer_id == "main" else f"last_state-{writer_id}.parquet"
    return data_dir / "state" / name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` so that ``path`` holds the whole file or nothing, on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    _fsync_dir(path.parent)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one durable write did: rows stored, duplicate rows dropped, dead letters kept."""

    stored: int
    duplicates: int
    rejected: int


class _Lock:
    """An advisory lock file; released when the process dies, so a SIGKILL never wedges it."""

    def __init__(self, path: Path, *, shared: bool, what: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[bytes] | None = path.open("ab")
        try:
            fcntl.flock(self._fh, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            self._fh = None
            raise Conflict(f"{what} ({path})") from None

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class Store:
    """The writer of one data directory; one per ``writer_id`` (use :func:`open_store`)."""

    def __init__(self, data_dir: Path, writer_id: str = "main") -> None:
        if not writer_id.replace("-", "").replace("_", "").isalnum():
            raise InvalidInput(f"writer id {writer_id!r} must be letters, digits, - or _")
        self.data_dir = data_dir
        self.writer_id = writer_id
        self._maint = _Lock(
            data_dir / ".store.lock", shared=True, what="store maintenance is running"
        )
        try:
            self._own = _Lock(
                data_dir / f".writer-{writer_id}.lock",
                shared=False,
                what=f"another process already writes as {writer_id!r}",
            )
        except Conflict:
            self._maint.release()
            raise
        self._mutex = threading.Lock()
        self._seq = 0
        self._con = _duck.connect(threads=1)
        self._state: dict[tuple[str, str], tuple[int, float | None, str | None, int]] = {}
        self._load_state()

    # -- opening ------------------------------------------------------------------------------

    def _load_state(self) -> None:
        """Rebuild the high-water marks: all last-state files, plus the signal files written
        after the oldest of them (a crash can fall between a signal rename and a state rename)."""
        state_dir = self.data_dir / "state"
        paths = sorted(state_dir.glob("last_state*.parquet")) if state_dir.exists() else []
        for path in paths:
            self._merge_state(pq.read_table(path, schema=STATE_SCHEMA).to_pylist())
        since = min(p.stat().st_mtime for p in paths) - 2.0 if paths else None
        newer = [p for p in self._signal_files() if since is None or p.stat().st_mtime >= since]
        if newer:
            sql = (
                "SELECT vehicle_id, name, arg_max(ts, ts) AS ts, arg_max(value, ts) AS value, "
                "arg_max(value_text, ts) AS value_text, max(ingested_at) AS ingested_at "
                f"FROM read_parquet({_duck.sql_list(newer)}) GROUP BY vehicle_id, name"
            )
            self._merge_state(_duck.fetch_arrow(self._con, sql).to_pylist())

    def _merge_state(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            key = (r["vehicle_id"], r["name"])
            ts = _us(r["ts"])
            old = self._state.get(key)
            if old is None or ts > old[0]:
                self._state[key] = (ts, r["value"], r["value_text"], _us(r["ingested_at"]))

    def _signal_files(self, day: str | None = None) -> list[Path]:
        base = self.data_dir / "signals"
        pattern = f"date={day}/*.parquet" if day else "date=*/*.parquet"
        return sorted(base.glob(pattern)) if base.exists() else []

    # -- writing ------------------------------------------------------------------------------

    def write(self, batch: Batch) -> WriteResult:
        """Store the valid rows and dead letters of ``batch``; durable when this returns."""
        with self._mutex:
            return self._write(batch)

    def _write(self, batch: Batch) -> WriteResult:
        ingested = now_us()
        keep, duplicates = self._new_rows(batch)
        if keep:
            table = self._signals_table(batch, keep, ingested)
            self._write_partitions(table, "signals", "ts")
        if batch.rejects:
            self._write_partitions(_rejects_table(batch.rejects), "rejected", "received_at")
        if keep:
            self._advance_state(batch, keep, ingested)
            self._write_state()
        return WriteResult(len(keep), duplicates, len(batch.rejects))

    def _new_rows(self, batch: Batch) -> tuple[list[int], int]:
        """Indices of the rows of ``batch`` that are not stored yet, and the duplicate count."""
        seen: set[tuple[str, int, str]] = set()
        keep: list[int] = []
        suspects: list[int] = []
        state = self._state
        vids, tss, names = batch.vehicle_id, batch.ts_us, batch.name
        for i in range(batch.num_rows):
            key = (vids[i], tss[i], names[i])
            if key in seen:
                continue
            seen.add(key)
            mark = state.get((key[0], key[2]))
            if mark is None or key[1] > mark[0]:
                keep.append(i)
            else:
                suspects.append(i)
        if suspects:
            stored = self._stored_keys(batch, suspects)
            keep.extend(i for i in suspects if (vids[i], tss[i], names[i]) not in stored)
            keep.sort()
        return keep, batch.num_rows - len(keep)

    def _stored_keys(self, batch: Batch, rows: list[int]) -> set[tuple[str, int, str]]:
        """The keys among ``rows`` that are already in the Parquet files of their days."""
        days = sorted({day_of(batch.ts_us[i]) for i in rows})
        files = [p for d in days for p in self._signal_files(d)]
        if not files:
            return set()
        probe = pa.table(
            {
                "vehicle_id": [batch.vehicle_id[i] for i in rows],
                "ts": pa.array([batch.ts_us[i] for i in rows], TS),
                "name": [batch.name[i] for i in rows],
            }
        )
        self._con.register("probe", probe)
        try:
            found = _duck.fetch_arrow(
                self._con,
                "SELECT p.vehicle_id, epoch_us(p.ts) AS ts_us, p.name FROM probe p SEMI JOIN "
                f"read_parquet({_duck.sql_list(files)}) s "
                "ON s.vehicle_id = p.vehicle_id AND s.ts = p.ts AND s.name = p.name",
            )
        finally:
            self._con.unregister("probe")
        return set(zip(*(found.column(c).to_pylist() for c in range(3)), strict=True))

    def _signals_table(self, batch: Batch, keep: list[int], ingested_us: int) -> pa.Table:
        take = pa.array(keep, pa.int64())
        n = len(keep)
        table = pa.table(
            {
                "vehicle_id": pa.array(batch.vehicle_id, pa.string()).take(take),
                "ts": pa.array(batch.ts_us, pa.int64()).take(take).cast(TS),
                "name": pa.array(batch.name, pa.string()).take(take),
                "value": pa.array(batch.value, pa.float64()).take(take),
                "value_text": pa.array(batch.value_text, pa.string()).take(take),
                "ingested_at": pa.array([ingested_us] * n, pa.int64()).cast(TS),
            },
            schema=SIGNALS_SCHEMA,
        )
        return table.sort_by(_SORT)

    def _write_partitions(self, table: pa.Table, kind: str, ts_col: str) -> None:
        days = pc.strftime(table.column(ts_col), format="%Y-%m-%d")
        for day in pc.unique(days).to_pylist():
            part = table.filter(pc.equal(days, day))
            self._seq += 1
            name = f"{now_us()}-{self.writer_id}-{self._seq:06d}.parquet"
            write_parquet_atomic(part, self.data_dir / kind / f"date={day}" / name)

    def _advance_state(self, batch: Batch, keep: list[int], ingested_us: int) -> None:
        state = self._state
        for i in keep:
            key = (batch.vehicle_id[i], batch.name[i])
            old = state.get(key)
            if old is None or batch.ts_us[i] > old[0]:
                state[key] = (batch.ts_us[i], batch.value[i], batch.value_text[i], ingested_us)

    def _write_state(self) -> None:
        keys = sorted(self._state)
        vals = [self._state[k] for k in keys]
        table = pa.table(
            {
                "vehicle_id": [k[0] for k in keys],
                "name": [k[1] for k in keys],
                "ts": pa.array([v[0] for v in vals], pa.int64()).cast(TS),
                "value": pa.array([v[1] for v in vals], pa.float64()),
                "value_text": pa.array([v[2] for v in vals], pa.string()),
                "ingested_at": pa.array([v[3] for v in vals], pa.int64()).cast(TS),
            },
            schema=STATE_SCHEMA,
        )
        write_parquet_atomic(table, state_file(self.data_dir, self.writer_id))

    def close(self) -> None:
        self._con.close()
        self._own.release()
        self._maint.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rejects_table(rejects: list[Reject]) -> pa.Table:
    return pa.table(
        {
            "received_at": pa.array([r.received_at_us for r in rejects], pa.int64()).cast(TS),
            "source": [r.source for r in rejects],
            "topic": pa.array([r.topic for r in rejects], pa.string()),
            "vehicle_id": pa.array([r.vehicle_id for r in rejects], pa.string()),
            "reason": [r.reason for r in rejects],
            "detail": [r.detail for r in rejects],
            "payload": [r.payload for r in rejects],
        },
        schema=REJECTED_SCHEMA,
    )


def _us(value: datetime | int) -> int:
    if isinstance(value, int):
        return value
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def open_store(data_dir: str | Path, *, writer_id: str = "main") -> Store:
    """Open ``data_dir`` for writing as ``writer_id``; Conflict if that writer already runs."""
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return Store(path, writer_id)


def iter_partitions(data_dir: Path, kind: str) -> Iterator[tuple[str, Path]]:
    """``(YYYY-MM-DD, folder)`` of every day partition of ``kind`` (signals, rejected)."""
    base = data_dir / kind
    if base.exists():
        for folder in sorted(base.glob("date=*")):
            if folder.is_dir():
                yield folder.name.removeprefix("date="), folder


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
