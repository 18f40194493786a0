"""What validation hands on: accepted rows as a columnar batch, refusals as dead letters.

These records are the contract between the message checks and everything downstream (the sink,
the store, the metrics), so they sit below the checks and know nothing of JSON or MQTT. The
:class:`Context` travels with every message so that a dead letter says where it came from.
"""

from __future__ import annotations

import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from voltvan.telemetry.ingest._signals import signal_names

RejectReason = Literal[
    "malformed_json",
    "schema",
    "unknown_signal",
    "wrong_type",
    "out_of_range",
    "ts_in_future",
    "ts_before_2000",
    "unknown_vehicle",
    "bad_topic",
]
REJECT_REASONS: tuple[RejectReason, ...] = RejectReason.__args__  # type: ignore[attr-defined]

Source = Literal["mqtt", "http", "import"]


@dataclass(frozen=True, slots=True)
class Reject:
    """One dead letter: what was refused, why, and the offending text (truncated)."""

    received_at_us: int
    source: str
    topic: str | None
    vehicle_id: str | None
    reason: RejectReason
    detail: str
    payload: str


@dataclass(slots=True)
class Batch:
    """Accepted rows plus the dead letters, laid out for a cheap conversion to Arrow.

    Vehicle and time are kept once per sample (``sample_*``, expanded by ``sample_rows``),
    signal names as catalog codes and values in typed arrays that numpy reads without a copy:
    converting Python objects row by row would cost more than parsing. The rare text values
    are kept by row (their ``values`` entry is NaN, which no number can be once validated). The
    properties ``vehicle_id``, ``ts_us``, ``name``, ``value`` and ``value_text`` give the
    per-row view.
    """

    sample_vehicle: list[str] = field(default_factory=list)
    sample_ts_us: list[int] = field(default_factory=list)
    sample_rows: list[int] = field(default_factory=list)
    codes: array[int] = field(default_factory=lambda: array("H"))
    values: array[float] = field(default_factory=lambda: array("d"))
    texts: dict[int, str] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def num_rows(self) -> int:
        return len(self.codes)

    @property
    def num_text(self) -> int:
        return len(self.texts)

    @property
    def vehicle_id(self) -> list[str]:
        return [
            v for v, n in zip(self.sample_vehicle, self.sample_rows, strict=True) for _ in range(n)
        ]

    @property
    def ts_us(self) -> list[int]:
        return [
            t for t, n in zip(self.sample_ts_us, self.sample_rows, strict=True) for _ in range(n)
        ]

    @property
    def name_code(self) -> list[int]:
        return self.codes.tolist()

    @property
    def name(self) -> list[str]:
        names = signal_names()
        return [names[c] for c in self.codes]

    @property
    def value(self) -> list[float | None]:
        return [None if i in self.texts else v for i, v in enumerate(self.values)]

    @property
    def value_text(self) -> list[str | None]:
        return [self.texts.get(i) for i in range(len(self.codes))]

    def reject_counts(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejects)

    def extend(self, other: Batch) -> None:
        base = len(self.codes)
        self.sample_vehicle.extend(other.sample_vehicle)
        self.sample_ts_us.extend(other.sample_ts_us)
        self.sample_rows.extend(other.sample_rows)
        self.codes.extend(other.codes)
        self.values.extend(other.values)
        self.texts.update({base + i: t for i, t in other.texts.items()})
        self.rejects.extend(other.rejects)


class Context(NamedTuple):
    """Where a message came from and what it is checked against (a tuple: one per message)."""

    source: str
    received_at_us: int
    fleet: frozenset[str] | None = None
    topic: str | None = None


def now_us() -> int:
    """Microseconds since the epoch, UTC: the clock every ingest path stamps with."""
    return time.time_ns() // 1000
