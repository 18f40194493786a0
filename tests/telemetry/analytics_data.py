"""Hand-made signal streams for the analytics tests, written in the storage layout v1."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

Row = tuple[str, datetime, str, float]


def rows_from_series(
    vehicle_id: str,
    name: str,
    values: Sequence[float],
    *,
    start: datetime = T0,
    step_s: float = 1.0,
) -> list[Row]:
    """One signal sampled every ``step_s`` seconds from ``start``."""
    return [
        (vehicle_id, start + timedelta(seconds=i * step_s), name, float(v))
        for i, v in enumerate(values)
    ]


def write_signals(data_dir: Path, rows: Iterable[Row], *, part: str = "part-0") -> None:
    """Write rows as Parquet under ``signals/date=YYYY-MM-DD/`` (one file per day)."""
    by_day: dict[str, list[Row]] = {}
    for r in rows:
        by_day.setdefault(r[1].date().isoformat(), []).append(r)
    for day, day_rows in by_day.items():
        out = data_dir / "signals" / f"date={day}"
        out.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "vehicle_id": pa.array([r[0] for r in day_rows], pa.string()),
                "ts": pa.array([r[1] for r in day_rows], pa.timestamp("us", tz="UTC")),
                "name": pa.array([r[2] for r in day_rows], pa.string()),
                "value": pa.array([r[3] for r in day_rows], pa.float64()),
                "value_text": pa.array([None] * len(day_rows), pa.string()),
                "ingested_at": pa.array([r[1] for r in day_rows], pa.timestamp("us", tz="UTC")),
            }
        )
        pq.write_table(table, out / f"{part}.parquet")
