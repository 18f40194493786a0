"""Store maintenance: compaction (a day's small batch files into one sorted file) and retention.

Both remove files, so they run only while no writer holds the store (they take the store lock
exclusively; every writer holds it shared). Readers may run meanwhile: compaction writes the
merged file before it deletes the parts, and the ``signals`` view drops the duplicates a reader
could see in between.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from voltvan.errors import InvalidInput
from voltvan.files import fsync_dir
from voltvan.telemetry.ingest import now_us
from voltvan.telemetry.store import _duck
from voltvan.telemetry.store._layout import FileLock, iter_partitions, set_raw_horizon

_KINDS = {"signals": "vehicle_id, name, ts", "rejected": "received_at"}


@dataclass(frozen=True, slots=True)
class CompactResult:
    kind: str
    day: str
    files_before: int
    rows_before: int
    rows_after: int


def _exclusive(data_dir: Path) -> FileLock:
    return FileLock(
        data_dir / ".store.lock",
        shared=False,
        what=(
            "a writer (voltvan ingest/serve/import/derive) is running on this data directory; "
            "stop it first"
        ),
    )


def compact(data_dir: Path, *, day: str | None = None, min_files: int = 2) -> list[CompactResult]:
    """Merge each day's files (or one ``day``'s) into one file sorted by vehicle, signal, time.

    Signal rows are deduplicated on (vehicle_id, ts, name), keeping the first ingested.
    """
    if day is not None:
        _check_day(day)
    lock = _exclusive(data_dir)
    try:
        con = _duck.connect()
        out = []
        for kind, order in _KINDS.items():
            for d, folder in iter_partitions(data_dir, kind):
                files = sorted(folder.glob("*.parquet"))
                if (day is None or d == day) and len(files) >= min_files:
                    out.append(_compact_folder(con, kind, d, folder, files, order))
        con.close()
        return out
    finally:
        lock.release()


def _compact_folder(
    con: _duck.Connection, kind: str, day: str, folder: Path, files: list[Path], order: str
) -> CompactResult:
    src = f"read_parquet({_duck.sql_list(files)}, hive_partitioning = false)"
    rows_before = int(con.sql(f"SELECT count(*) FROM {src}").fetchall()[0][0])
    query = f"SELECT * FROM {src}"
    if kind == "signals":
        query += (
            " QUALIFY row_number() OVER "
            "(PARTITION BY vehicle_id, ts, name ORDER BY ingested_at) = 1"
        )
    final = folder / f"{now_us()}-compacted.parquet"
    tmp = final.with_name(final.name + ".tmp")
    con.execute(
        f"COPY ({query} ORDER BY {order}) TO {_duck.sql_string(tmp)} "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(final)
    fsync_dir(folder)
    for f in files:
        f.unlink()
    fsync_dir(folder)
    rows_after = int(con.sql(f"SELECT count(*) FROM {_duck.sql_string(final)}").fetchall()[0][0])
    return CompactResult(kind, day, len(files), rows_before, rows_after)


def retain(
    data_dir: Path, *, days: int, derived_days: int | None = None, today: date | None = None
) -> list[str]:
    """Delete signal and dead-letter days older than ``days`` days before ``today`` (UTC), and
    derived-table days older than ``derived_days`` when it is given.

    Derived tables stay by default: they are small, and a fleet keeps its daily summaries far
    longer than its 1 Hz raw data (``derive`` rebuilds only days that still have raw signals, so
    it leaves them alone). Returns the partitions removed. Last-known state is kept: it is the
    newest value anyway.
    """
    if days < 1:
        raise InvalidInput(f"--days must be at least 1, got {days}", field="days")
    if derived_days is not None and derived_days < 1:
        raise InvalidInput(
            f"--derived-days must be at least 1, got {derived_days}", field="derived_days"
        )
    today = today or date.fromordinal(719_163 + now_us() // 86_400_000_000)
    kinds = dict.fromkeys(_KINDS, days)
    if derived_days is not None:
        kinds.update({f"derived/{table}": derived_days for table in _derived_tables(data_dir)})
    lock = _exclusive(data_dir)
    try:
        removed = []
        for kind, keep in kinds.items():
            cutoff = (today - timedelta(days=keep)).isoformat()
            for d, folder in list(iter_partitions(data_dir, kind)):
                if d < cutoff:
                    # beside the table, not in it: out of every reader's glob at once
                    trash = folder.parent.parent / f".trash-{folder.parent.name}-{d}-{now_us()}"
                    folder.rename(trash)
                    shutil.rmtree(trash)
                    removed.append(f"{kind}/{folder.name}")
                    if kind == "signals":
                        # derive must not rebuild the first kept day without the day before
                        set_raw_horizon(data_dir, cutoff)
        return removed
    finally:
        lock.release()


def _derived_tables(data_dir: Path) -> list[str]:
    """The derived tables on disk (``derived/<table>/date=*``), whatever analytics wrote."""
    base = data_dir / "derived"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def _check_day(day: str) -> None:
    try:
        date.fromisoformat(day)
    except ValueError:
        raise InvalidInput(f"{day!r} is not a YYYY-MM-DD date", field="day") from None
