"""The on-disk layout of a telemetry data directory: schemas, file names, atomic writes, locks.

See docs/formats/telemetry.md. Everything that decides what a file is called, what it holds and
how it reaches the disk lives here, so that the writer (``_store``) and maintenance
(``_maintain``) cannot drift apart.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from voltvan.errors import Conflict
from voltvan.files import fsync_dir
from voltvan.telemetry.ingest import Reject

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
DAY_US = 86_400_000_000


def day_of(ts_us: int) -> str:
    """The ``YYYY-MM-DD`` partition (UTC) of a timestamp in microseconds."""
    return date.fromordinal(719_163 + ts_us // DAY_US).isoformat()


def state_file(data_dir: Path, writer_id: str) -> Path:
    name = "last_state.parquet" if writer_id == "main" else f"last_state-{writer_id}.parquet"
    return data_dir / "state" / name


def raw_horizon(data_dir: Path) -> str | None:
    """The first UTC day whose raw signals retention kept (``YYYY-MM-DD``), or None when
    retention never removed any: days before it have derived rows but no raw data."""
    path = data_dir / "state" / "raw_from"
    return path.read_text().strip() if path.exists() else None


def set_raw_horizon(data_dir: Path, day: str) -> None:
    """Record ``day`` as the raw-data horizon (atomically; it only ever moves forward)."""
    old = raw_horizon(data_dir)
    if old is not None and old >= day:
        return
    path = data_dir / "state" / "raw_from"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("raw_from.tmp")
    tmp.write_text(day + "\n")
    tmp.replace(path)
    fsync_dir(path.parent)


def write_parquet_atomic(table: pa.Table, path: Path, *, store_schema: bool = True) -> None:
    """Write ``table`` to ``path`` so that ``path`` holds the whole file or nothing, on disk.

    ``store_schema=False`` leaves out Arrow's own schema, so readers see the Parquet types
    (a dictionary column reads back as plain strings).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        pq.write_table(table, fh, compression="zstd", store_schema=store_schema)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    fsync_dir(path.parent)


class FileLock:
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


def rejects_table(rejects: list[Reject]) -> pa.Table:
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


def file_writer(path: Path) -> str:
    """The writer id in a batch file name ``<us>-<writer>-<seq>.parquet`` (or ``compacted``)."""
    rest = path.stem.split("-", 1)[-1]
    return rest if rest == "compacted" else rest.rsplit("-", 1)[0]


def file_us(path: Path) -> int:
    head = path.stem.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def written_after_state(files: list[Path], states: list[Path]) -> list[Path]:
    """The batch files a writer wrote after its own last-state file (by the time in the name,
    so no file is stat'ed); all files of writers without one; compactions after any state."""
    cutoff: dict[str, int] = {}
    for p in states:
        stem = p.stem.removeprefix("last_state")
        writer = stem.removeprefix("-") if stem else "main"
        cutoff[writer] = int((p.stat().st_mtime - 2.0) * 1_000_000)
    oldest = min(cutoff.values(), default=None)
    out = []
    for f in files:
        writer = file_writer(f)
        limit = oldest if writer == "compacted" else cutoff.get(writer)
        if limit is None or file_us(f) >= limit:
            out.append(f)
    return out


def iter_partitions(data_dir: Path, kind: str) -> Iterator[tuple[str, Path]]:
    """``(YYYY-MM-DD, folder)`` of every day partition of ``kind`` (signals, rejected,
    derived/<table>)."""
    base = data_dir / kind
    if base.exists():
        for folder in sorted(base.glob("date=*")):
            if folder.is_dir():
                yield folder.name.removeprefix("date="), folder
