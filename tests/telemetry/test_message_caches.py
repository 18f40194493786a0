"""The parse caches stay bounded: a van (or an attacker) sending ever new topics, times or
signal sets cannot grow the ingest's memory without limit, and answers stay right."""

from __future__ import annotations

import itertools
import json
import time
from datetime import timedelta

import voltvan.telemetry.ingest._checks as checks
import voltvan.telemetry.ingest._shapes as shapes
import voltvan.telemetry.ingest._topics as topics
from tests.telemetry.ingest_data import NOW_US, T0, T0_US, iso, parse
from voltvan.telemetry import Batch, Context, add_samples, signal_catalog, vehicle_from_topic
from voltvan.telemetry.ingest._batch import now_us

NUMBERS = sorted(n for n, s in signal_catalog().items() if s.kind == "number" and not s.is_integer)


def test_the_topic_cache_holds_at_most_65536_topics() -> None:
    for i in range(65_536 + 10):
        assert vehicle_from_topic(f"voltvan/v1/vehicles/v{i}/signals") == f"v{i}"
        assert len(topics._TOPIC_VEHICLE) <= 65_536


def test_the_time_cache_holds_at_most_8192_times() -> None:
    out = Batch()
    ctx = Context("import", NOW_US)
    for i in range(8192 + 10):
        add_samples(out, ctx, "V1", [(iso(T0 + timedelta(microseconds=i)), {NUMBERS[0]: 1.0})])
        assert len(checks._TS_CACHE) <= 8192
    assert out.ts_us == [T0_US + i for i in range(8192 + 10)]


def _shapes(count: int) -> list[dict[str, object]]:
    names = itertools.islice(itertools.permutations(NUMBERS, 3), count)
    return [dict.fromkeys(n, 1.0) for n in names]


def test_the_sample_shape_cache_holds_at_most_4096_shapes() -> None:
    out = Batch()
    ctx = Context("import", NOW_US)
    for signals in _shapes(4096 + 10):
        add_samples(out, ctx, "V1", [(iso(T0), signals)])
        assert len(shapes._SHAPES) <= 4096
    assert out.num_rows == 3 * (4096 + 10) and not out.rejects


def test_the_message_shape_cache_holds_at_most_4096_shapes() -> None:
    parse({"ts": iso(T0), "signals": {NUMBERS[0]: 1.0}})  # the ts is known: whole-message path
    rows = 0
    for signals in _shapes(4096 + 10):
        out = parse(json.dumps({"samples": [{"ts": iso(T0), "signals": signals}] * 2}))
        rows += out.num_rows
        assert len(shapes._MESSAGE_SHAPES) <= 4096
    assert rows == 6 * (4096 + 10)


def test_the_receive_clock_is_whole_microseconds_since_the_epoch() -> None:
    """Dead letters and the future bound use it: an int, on the system clock (within a minute,
    so that a clock step cannot fail the test)."""
    stamp = now_us()
    assert type(stamp) is int
    assert abs(stamp - time.time_ns() // 1000) < 60 * 1_000_000
