"""Import real driving logs onto VSS signals: the Rabat Twizy trips (RSK Twizy EV data set).

The logs are 1 Hz CSV files (NaitMalek et al., CC BY 4.0; see ``docs/analytics.md``) with local
wall-clock times and a date column that is corrupt on a few rows (``90/02/2032``, ``03/00/2000``).
The date therefore comes from the file name (``T1_03_29_2021.csv``), falling back to the most
common date in the file; a time that goes backwards by more than 12 h means midnight passed.
Values are mapped in VSS units (km/h, percent, degrees, m, °C) and handed to the store writer as
ordinary samples, so that validation, dead letters and deduplication apply exactly as for live
data.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from voltvan.errors import InvalidInput
from voltvan.telemetry.ingest._signals import (
    AIR_TEMPERATURE,
    ALTITUDE,
    LATITUDE,
    LONGITUDE,
    SOC,
    SPEED,
)

#: CSV column -> VSS signal; the CSV units already are the VSS units of each signal.
TWIZY_COLUMNS: dict[str, str] = {
    "Speed": SPEED,
    "LAT": LATITUDE,
    "LON": LONGITUDE,
    "ALT": ALTITUDE,
    "Soc": SOC,
    "Temperature": AIR_TEMPERATURE,
}
DEFAULT_TZ = "Africa/Casablanca"

_NAME_DATE = re.compile(r"_(\d{1,2})_(\d{1,2})_(\d{4})")


@dataclass(frozen=True, slots=True)
class Sample:
    """One timestamp of one van with the signals measured then (the message format's sample)."""

    ts: datetime
    signals: dict[str, float]
    line: int


@dataclass(frozen=True, slots=True)
class LogFile:
    """A parsed log: its samples and how many rows needed their date repaired."""

    path: Path
    samples: tuple[Sample, ...]
    service_date: date
    repaired_dates: int


def read_rsk_twizy_csv(path: Path, *, tz: str = DEFAULT_TZ) -> LogFile:
    """Parse one RSK Twizy CSV into samples with UTC timestamps (local times in ``tz``)."""
    zone = _zone(tz)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError as exc:
        raise InvalidInput("file not found", file=path) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not a UTF-8 text file ({exc.reason})", file=path) from exc
    if not rows:
        raise InvalidInput("empty file (no header)", file=path, line=1)
    header = [h.strip() for h in rows[0]]
    required = ["Date", "Time", *TWIZY_COLUMNS]
    for name in required:
        if name not in header:
            raise InvalidInput(
                f"missing column {name!r} (an RSK Twizy log has {', '.join(required)})",
                file=path,
                line=1,
                field=name,
            )
    col = {name: header.index(name) for name in required}
    body = rows[1:]
    day = _service_date(path, [r[col["Date"]] for r in body if len(r) > col["Date"]])
    samples: list[Sample] = []
    repaired = 0
    offset_days = 0
    prev_tod = -1
    for line, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InvalidInput(
                f"has {len(row)} fields, the header has {len(header)}", file=path, line=line
            )
        tod = _time_of_day(row[col["Time"]], path, line)
        if prev_tod >= 0 and tod < prev_tod - 12 * 3600:
            offset_days += 1
        prev_tod = tod
        if _parse_date(row[col["Date"]]) != day:
            repaired += 1
        wall = datetime(day.year, day.month, day.day) + timedelta(days=offset_days, seconds=tod)
        local = wall.replace(tzinfo=zone)
        signals = {
            vss: _number(row[col[column]], path, line, column)
            for column, vss in TWIZY_COLUMNS.items()
        }
        samples.append(Sample(ts=local.astimezone(UTC), signals=signals, line=line))
    return LogFile(path=path, samples=tuple(samples), service_date=day, repaired_dates=repaired)


def find_logs(directory: Path) -> list[Path]:
    """The CSV logs under a directory (recursively), in name order; a file is taken as is."""
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise InvalidInput("no such file or directory", file=directory)
    found = sorted(directory.rglob("*.csv"), key=lambda p: p.name)
    if not found:
        raise InvalidInput("no *.csv log files in this directory", file=directory)
    return found


def iter_messages(log: LogFile, *, batch: int = 600) -> Iterator[list[dict[str, object]]]:
    """Samples as message-format dicts (``{"ts": RFC 3339, "signals": {...}}``) in batches."""
    chunk: list[dict[str, object]] = []
    for s in log.samples:
        chunk.append({"ts": s.ts.isoformat().replace("+00:00", "Z"), "signals": dict(s.signals)})
        if len(chunk) >= batch:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown time zone {tz!r}", field="tz") from exc


def _parse_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def _service_date(path: Path, dates: Sequence[str]) -> date:
    m = _NAME_DATE.search(path.stem)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        except ValueError:
            pass
    parsed = Counter(d for d in (_parse_date(t) for t in dates) if d is not None)
    if not parsed:
        raise InvalidInput("no valid MM/DD/YYYY date in the file", file=path, field="Date")
    return parsed.most_common(1)[0][0]


def _time_of_day(text: str, path: Path, line: int) -> int:
    parts = text.strip().split(":")
    try:
        h, m, s = (int(p) for p in parts)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not HH:MM:SS", file=path, line=line, field="Time"
        ) from None
    if not (0 <= h < 24 and 0 <= m < 60 and 0 <= s < 61):
        raise InvalidInput(f"{text!r} is not a time of day", file=path, line=line, field="Time")
    return h * 3600 + m * 60 + s


def _number(text: str, path: Path, line: int, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a number", file=path, line=line, field=column
        ) from None
