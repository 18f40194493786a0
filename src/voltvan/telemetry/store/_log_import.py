"""Import real driving logs into the store: read each log (``voltvan.telemetry.ingest``), then
write its samples through the store writer, so that validation, dead letters and deduplication
apply exactly as for live data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voltvan.telemetry.ingest import RSK_TWIZY_TZ, find_logs, read_rsk_twizy_csv, write_samples
from voltvan.telemetry.store._store import open_store


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import stored: per file samples, rows stored, duplicates and dead letters."""

    files: tuple[tuple[str, int, int], ...]  # (file name, samples, repaired dates)
    stored: int
    duplicates: int
    rejected: int

    @property
    def samples(self) -> int:
        return sum(n for _, n, _ in self.files)


def import_rsk_twizy(
    source: Path,
    data_dir: Path,
    *,
    vehicle_id: str,
    tz: str = RSK_TWIZY_TZ,
    fleet: frozenset[str] | None = None,
    on_file: Callable[[str, int], None] | None = None,
) -> ImportSummary:
    """Read every log under ``source`` and store it for ``vehicle_id`` through the store writer."""
    logs = find_logs(source)
    files: list[tuple[str, int, int]] = []
    stored = duplicates = rejected = 0
    with open_store(data_dir, writer_id="import") as store:
        for path in logs:
            log = read_rsk_twizy_csv(path, tz=tz)
            result = write_samples(
                store,
                vehicle_id,
                [(s.ts, s.signals) for s in log.samples],
                source="import",
                fleet=fleet,
            )
            stored += result.stored
            duplicates += result.duplicates
            rejected += result.rejected
            files.append((path.name, len(log.samples), log.repaired_dates))
            if on_file is not None:
                on_file(path.name, len(log.samples))
    return ImportSummary(tuple(files), stored, duplicates, rejected)
