"""The newest rows of the store as they land: what a live map needs, without re-reading the day.

The ingest worker writes closed Parquet files into ``signals/date=<UTC day>/`` and renames each
into place whole, which changes the folder's modification time. So noticing new rows costs one
``stat`` per watched folder and poll; the folder is listed only when that time moved (or is so
recent that a file renamed in the same clock tick could hide behind it), and only the files not
read before are opened. Compacted files hold rows already seen and are skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from voltvan.telemetry.ingest import LATITUDE, LONGITUDE, SOC, SPEED
from voltvan.telemetry.store import _duck
from voltvan.telemetry.store._layout import DAY_US, day_of, file_writer

#: What a live fleet map shows: position, state of charge (percent) and speed (km/h).
LIVE_SIGNALS = (LATITUDE, LONGITUDE, SOC, SPEED)
_COLUMNS = ["vehicle_id", "ts", "name", "value"]
#: A folder changed this recently is listed again even if its time did not move.
_RECENT_NS = 2_000_000_000


def utc_days(start: datetime, end: datetime) -> list[str]:
    """The UTC day partitions that hold rows of ``[start, end)``."""
    first = int(start.timestamp() * 1e6) // DAY_US
    last = (int(end.timestamp() * 1e6) - 1) // DAY_US
    return [day_of(n * DAY_US) for n in range(first, last + 1)]


class LiveTail:
    """New rows of ``names`` in the signal files of some UTC days, file by file as they land."""

    def __init__(
        self, data_dir: Path, days: Sequence[str], names: Sequence[str] = LIVE_SIGNALS
    ) -> None:
        self.folders = [data_dir / "signals" / f"date={d}" for d in days]
        self.names = list(names)
        self._mtime: dict[Path, int] = {}
        self._seen: set[str] = set()

    def skip_existing(self) -> None:
        """Mark the files there now as read (their rows come from :func:`day_series`)."""
        for folder in self.folders:
            self._new_files(folder)

    def poll(self) -> pa.Table | None:
        """Rows (vehicle_id, ts, name, value) of the files written since the last poll."""
        fresh = [f for folder in self.folders for f in self._new_files(folder)]
        if not fresh:
            return None
        tables = []
        for path in fresh:
            try:
                table = pq.read_table(path, columns=_COLUMNS, filters=[("name", "in", self.names)])
            except FileNotFoundError:  # compacted away meanwhile: its rows are in the compaction
                continue
            tables.append(table.cast(_SCHEMA))
        return pa.concat_tables(tables) if tables else None

    def _new_files(self, folder: Path) -> list[Path]:
        try:
            mtime = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        recent = time.time_ns() - mtime < _RECENT_NS
        if self._mtime.get(folder) == mtime and not recent:
            return []
        self._mtime[folder] = mtime
        out = []
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith(".parquet") or name in self._seen:
                    continue
                self._seen.add(name)
                if file_writer(Path(name)) != "compacted":
                    out.append(Path(entry.path))
        return sorted(out)


_SCHEMA = pa.schema(
    [
        ("vehicle_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("name", pa.string()),
        ("value", pa.float64()),
    ]
)


def day_series(
    data_dir: Path, start: datetime, end: datetime, *, bucket_s: int = 60
) -> list[tuple[str, datetime, str, float]]:
    """Each van's live signals over ``[start, end)``, one value per ``bucket_s``: the mean speed,
    the last position and state of charge. Rows ``(vehicle_id, bucket start, name, value)``."""
    files = [
        str(f)
        for day in utc_days(start, end)
        for f in sorted((data_dir / "signals" / f"date={day}").glob("*.parquet"))
    ]
    if not files:
        return []
    con = _duck.connect(threads=1)
    try:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(
            f"SELECT vehicle_id, time_bucket(INTERVAL '{int(bucket_s)} seconds', ts) AS t, name, "
            "CASE WHEN name = ? THEN avg(value) ELSE arg_max(value, ts) END "
            f"FROM read_parquet({_duck.sql_list(files)}) "
            f"WHERE ts >= ? AND ts < ? AND name IN ({', '.join('?' * len(LIVE_SIGNALS))}) "
            "AND value IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            [SPEED, start, end, *LIVE_SIGNALS],
        ).fetchall()
    finally:
        con.close()
    return [(str(v), t, str(n), float(x)) for v, t, n, x in rows]


def live_rows(table: pa.Table) -> Iterable[tuple[str, datetime, str, float]]:
    """The rows of a :meth:`LiveTail.poll` table, oldest first."""
    table = table.sort_by([("ts", "ascending")])
    cols = [table.column(c).to_pylist() for c in _COLUMNS]
    return zip(*cols, strict=True)
