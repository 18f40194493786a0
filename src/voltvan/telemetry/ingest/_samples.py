"""One sample's values checked into rows: the full check, one signal value at a time.

The unit of acceptance is one signal value, i.e. one row ``(vehicle_id, ts, name, value)``: a
faulty GPS longitude must not throw away the speed and SoC sent in the same second. A bad or
missing ``ts`` makes the whole sample meaningless, so it refuses the sample. A row is appended to
all columns at once after every check has passed, so a half-written row cannot exist. File
imports come in here directly, with the same rules and dead letters as messages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime

from voltvan.telemetry.ingest._batch import Batch, Context
from voltvan.telemetry.ingest._checks import (
    _check_value,
    _fast_checks,
    _Invalid,
    _parse_ts,
    _reject,
)
from voltvan.telemetry.ingest._shapes import _add_by_shape
from voltvan.telemetry.ingest._signals import signal_catalog, signal_codes


def add_sample(
    out: Batch, ctx: Context, vehicle_id: str, ts: object, signals: Mapping[str, object]
) -> None:
    """Validate one sample and append its valid rows and its dead letters to ``out``."""
    try:
        ts_us = _parse_ts(ts, ctx.received_at_us)
    except _Invalid as bad:
        _reject(out, ctx, vehicle_id, bad, {"ts": ts, "signals": signals})
        return
    if type(signals) is dict and _add_by_shape(out, vehicle_id, ts_us, signals):
        return
    fast = _fast_checks()
    codes: list[int] = []
    values: list[float | None] = []
    texts: list[tuple[int, str]] = []  # (position in this sample, text): strings are rare
    for name, raw in signals.items():
        # Fast path: an in-range number or a boolean (NaN and infinities fail the comparison).
        f = fast.get(name)
        if f is not None:
            kind = type(raw)
            if kind is float:
                if f[3] and f[1] <= raw <= f[2]:  # type: ignore[operator]
                    codes.append(f[0])
                    values.append(raw)  # type: ignore[arg-type]
                    continue
            elif kind is int:
                if not f[4] and f[1] <= raw <= f[2]:  # type: ignore[operator]
                    codes.append(f[0])
                    values.append(float(raw))  # type: ignore[arg-type]
                    continue
            elif kind is bool and f[4]:
                codes.append(f[0])
                values.append(1.0 if raw else 0.0)
                continue
        sig = signal_catalog().get(name)
        try:
            if sig is None:
                raise _Invalid("unknown_signal", f"{name[:120]!r} is not in the signal catalog")
            value, text = _check_value(sig, raw)
        except _Invalid as bad:
            _reject(out, ctx, vehicle_id, bad, {"ts": ts, "signals": {name: raw}})
            continue
        if text is not None:
            texts.append((len(codes), text))
        codes.append(signal_codes()[name])
        values.append(value)
    if codes:
        out.sample_vehicle.append(vehicle_id)
        out.sample_ts_us.append(ts_us)
        out.sample_rows.append(len(codes))
        base = len(out.codes)
        out.codes.fromlist(codes)
        out.values.fromlist([math.nan if v is None else v for v in values])
        for at, text in texts:
            out.texts[base + at] = text


def add_samples(
    out: Batch,
    ctx: Context,
    vehicle_id: str,
    samples: Iterable[tuple[datetime | str, Mapping[str, object]]],
) -> None:
    """Validate samples that do not come as JSON (file imports): same rules, same dead letters."""
    if ctx.fleet is not None and vehicle_id not in ctx.fleet:
        bad = _Invalid("unknown_vehicle", f"vehicle {vehicle_id!r} is not in the fleet")
        _reject(out, ctx, vehicle_id, bad, "")
        return
    for ts, signals in samples:
        text = ts.isoformat() if isinstance(ts, datetime) else ts
        add_sample(out, ctx, vehicle_id, text, signals)
