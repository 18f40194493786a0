"""The rules one timestamp and one signal value must pass, and the dead letter a broken one makes.

A broken rule raises :class:`_Invalid` with its reason code; the caller decides how much it
throws away (a value, a sample or a message) and turns it into one dead letter with ``_reject``.
The text of a dead letter is made storable here, since one unencodable character would fail the
write of the whole batch. ``_fast_checks`` condenses the catalog into the bounds the fast paths
compare against, so that they never accept what ``_check_value`` would refuse.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime
from functools import cache

from voltvan.telemetry.ingest._batch import Batch, Context, Reject, RejectReason
from voltvan.telemetry.ingest._signals import Signal, signal_catalog, signal_codes

MAX_DEAD_LETTER_CHARS = 64 * 1024
MAX_FUTURE_US = 5 * 60 * 1_000_000
MIN_TS_US = 946_684_800_000_000  # 2000-01-01T00:00:00Z
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Invalid(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason: RejectReason = reason
        self.detail = detail


def _reject(out: Batch, ctx: Context, vid: str | None, bad: _Invalid, payload: object) -> None:
    out.rejects.append(
        Reject(
            received_at_us=ctx.received_at_us,
            source=ctx.source,
            topic=ctx.topic,
            vehicle_id=vid,
            reason=bad.reason,
            detail=_storable_text(bad.detail),
            payload=_dead_text(payload),
        )
    )


_TS_CACHE: dict[str, int] = {}  # a fleet sends the same second from many vans: parse it once


def _parse_ts(raw: object, now_us: int) -> int:
    if not isinstance(raw, str):
        raise _Invalid("schema", f"ts must be an RFC 3339 string, got {type(raw).__name__}")
    ts_us = _TS_CACHE.get(raw)
    if ts_us is None:
        ts_us = _ts_us(raw)
        if len(_TS_CACHE) >= 8192:
            _TS_CACHE.clear()
        _TS_CACHE[raw] = ts_us
    if ts_us < MIN_TS_US:
        raise _Invalid("ts_before_2000", f"ts {raw[:40]} is before 2000-01-01")
    if ts_us > now_us + MAX_FUTURE_US:
        raise _Invalid("ts_in_future", f"ts {raw[:40]} is more than 5 min in the future")
    return ts_us


def _ts_us(raw: str) -> int:
    try:
        ts = datetime.fromisoformat(raw)
    except ValueError:
        raise _Invalid("schema", f"ts {raw[:40]!r} is not an RFC 3339 time") from None
    if ts.tzinfo is None:
        raise _Invalid("schema", f"ts {raw[:40]!r} has no time zone offset")
    delta = ts - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@cache
def _fast_checks() -> dict[str, tuple[int, float, float, bool, bool]]:
    """(code, min, max, takes fractions, is boolean) of every number and boolean signal: what
    a value needs to pass without the full check (finite bounds, so one comparison chain)."""
    big = sys.float_info.max
    codes = signal_codes()
    out: dict[str, tuple[int, float, float, bool, bool]] = {}
    for name, sig in signal_catalog().items():
        if sig.kind == "number":
            lo = sig.min if sig.min is not None else -big
            hi = sig.max if sig.max is not None else big
            out[name] = (codes[name], lo, hi, not sig.is_integer, False)
        elif sig.kind == "boolean":
            out[name] = (codes[name], 0.0, 1.0, False, True)
    return out


def _check_value(sig: Signal, raw: object) -> tuple[float | None, str | None]:
    """The stored (value, value_text) of one signal value, or _Invalid."""
    kind = sig.kind
    if kind == "boolean":
        if type(raw) is not bool:
            raise _Invalid("wrong_type", f"{sig.name} must be true/false, got {raw!r:.40}")
        return (1.0 if raw else 0.0), None
    if kind == "string":
        if not isinstance(raw, str):
            raise _Invalid("wrong_type", f"{sig.name} must be a string, got {raw!r:.40}")
        if sig.allowed is not None and raw not in sig.allowed:
            raise _Invalid("out_of_range", f"{sig.name} {raw[:40]!r} is not an allowed value")
        if _storable_text(raw) != raw:
            raise _Invalid("wrong_type", f"{sig.name} {raw[:40]!r} is not valid Unicode text")
        return None, raw
    if type(raw) is int:
        if (sig.min is not None and raw < sig.min) or (sig.max is not None and raw > sig.max):
            raise _Invalid("out_of_range", _range_text(sig, raw))
        return float(raw), None
    if type(raw) is not float:
        raise _Invalid("wrong_type", f"{sig.name} must be a number, got {raw!r:.40}")
    if not math.isfinite(raw):
        raise _Invalid("out_of_range", f"{sig.name} must be finite")
    if sig.is_integer and not raw.is_integer():
        raise _Invalid("wrong_type", f"{sig.name} is {sig.datatype}, got {raw!r}")
    if (sig.min is not None and raw < sig.min) or (sig.max is not None and raw > sig.max):
        raise _Invalid("out_of_range", _range_text(sig, raw))
    return raw, None


def _range_text(sig: Signal, raw: float) -> str:
    unit = f" {sig.unit}" if sig.unit else ""
    return f"{sig.name} {raw!r:.40} is outside [{sig.min}, {sig.max}]{unit}"


def _dead_text(obj: object) -> str:
    try:
        text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(obj)
    return _storable_text(text[:MAX_DEAD_LETTER_CHARS])


def _storable_text(text: str) -> str:
    """``text`` with every lone surrogate written as its escape (``\\ud800``).

    JSON may carry a lone surrogate as a pure-ASCII escape; parsed, it has no UTF-8 encoding,
    and one such character in a dead letter would make the whole batch's write fail, so the
    message would come back forever. The escape keeps what was sent readable.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
