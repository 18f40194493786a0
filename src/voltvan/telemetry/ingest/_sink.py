"""What ingest writes into: any object that stores a batch durably and says what it did.

The ingest worker and the log import hand batches to a sink instead of importing the store, so
ingest sits below the store (which reads ingest's message types) and can be tested with a fake.
:class:`voltvan.telemetry.Store` is the sink in production.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from voltvan.telemetry.ingest._batch import Batch, Context, now_us
from voltvan.telemetry.ingest._samples import add_samples


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one durable write did: rows stored, duplicate rows dropped, dead letters kept."""

    stored: int
    duplicates: int
    rejected: int


class Sink(Protocol):
    """Stores a batch; durable when :meth:`write` returns."""

    def write(self, batch: Batch) -> WriteResult: ...


def write_samples(
    store: Sink,
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
