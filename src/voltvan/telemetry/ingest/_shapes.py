"""The fast path of ingest: whole samples and whole messages accepted by their shape.

A fleet sends the same signal names with the same value types again and again, so what those
names need (catalog codes and bounds) is looked up once per shape and cached; a sample or a
message of a known shape then costs a few C-level passes over its values. The fast path only
ever says yes or "not sure": anything unusual returns False with nothing appended, and the
full per-value check decides. The fuzz tests hold both paths to the same answers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import cast

from voltvan.telemetry.ingest._batch import Batch, Context
from voltvan.telemetry.ingest._checks import _TS_CACHE, MAX_FUTURE_US, MIN_TS_US, _fast_checks


@dataclass(frozen=True, slots=True)
class _Shape:
    """What every sample with these names and value types needs: codes and bounds in order."""

    codes: list[int]  # a list: array.fromlist is the fast way in (extend goes item by item)
    lo: tuple[float, ...]
    hi: tuple[float, ...]


_SHAPES: dict[tuple[tuple[str, ...], tuple[type, ...]], _Shape | None] = {}
_SHAPE_TYPES = {(False, False): (float, int), (True, False): (int,), (False, True): (bool,)}


def _shape_of(names: tuple[str, ...], types: tuple[type, ...]) -> _Shape | None:
    """The shape of a sample whose every value passes on type and range alone, else None."""
    fast = _fast_checks()
    checks = [fast.get(n) for n in names]
    if any(
        c is None or t not in _SHAPE_TYPES[(not c[3] and not c[4], c[4])]
        for c, t in zip(checks, types, strict=True)
    ):
        return None
    return _Shape(
        [c[0] for c in checks if c is not None],
        tuple(c[1] for c in checks if c is not None),
        tuple(c[2] for c in checks if c is not None),
    )


def _add_by_shape(out: Batch, vehicle_id: str, ts_us: int, signals: dict[str, object]) -> bool:
    """Append a sample whose values are all plain in-range numbers or booleans, checking them
    with C-level loops; False (nothing appended) when any value needs the full check.

    A fleet sends the same names with the same value types in every sample, so the per-name
    lookups are done once per (names, types) and a sample costs a few list operations.
    """
    names = tuple(signals)
    values = list(signals.values())
    key = (names, tuple(map(type, values)))
    shape = _SHAPES.get(key, _UNSEEN)
    if shape is _UNSEEN:
        if len(_SHAPES) >= 4096:
            _SHAPES.clear()
        shape = _SHAPES[key] = _shape_of(*key)
    if shape is None or not (all(map(_le, shape.lo, values)) and all(map(_le, values, shape.hi))):
        return False  # NaN fails both comparisons; infinities fail the finite bounds
    out.sample_vehicle.append(vehicle_id)
    out.sample_ts_us.append(ts_us)
    out.sample_rows.append(len(values))
    out.codes.fromlist(shape.codes)
    out.values.fromlist(values)  # type: ignore[arg-type]  # numbers and booleans, as doubles
    return True


_UNSEEN = _Shape([], (), ())
_MESSAGE_SHAPES: dict[tuple[tuple[str, ...], tuple[type, ...]], _Shape | None] = {}
_signals_of = operator.itemgetter("signals")
_ts_of = operator.itemgetter("ts")
_DICT = frozenset({dict})


def _add_message_by_shape(out: Batch, ctx: Context, vid: str, samples: list[object]) -> bool:
    """Append a whole message whose samples are all valid on shape alone; False (nothing
    appended) when any part needs the sample-by-sample check.

    A telematics unit sends the same signals in every sample of a batch, so the checks run once
    per message as C-level ``map`` passes over all its values, not once per sample in Python:
    this is the hot path of ingest. It accepts exactly what the full check accepts (the fuzz
    tests compare the two), and anything unusual falls through to that check.
    """
    n = len(samples)
    if not n or set(map(type, samples)) != _DICT or set(map(len, samples)) != {2}:  # type: ignore[arg-type]
        return False
    dicts = cast(list[dict[str, object]], samples)
    try:
        signals: list[dict[str, object]] = list(map(_signals_of, dicts))
        ts_us: list[int | None] = list(map(_TS_CACHE.get, map(_ts_of, dicts)))
    except (KeyError, TypeError):  # a key missing, or an unhashable ts
        return False
    if set(map(type, signals)) != _DICT or None in ts_us:  # unseen ts: the full path parses it
        return False
    names = tuple(signals[0])
    if not names or list(map(tuple, signals)).count(names) != n:
        return False
    if min(ts_us) < MIN_TS_US or max(ts_us) > ctx.received_at_us + MAX_FUTURE_US:  # type: ignore[type-var, operator]
        return False
    values = list(chain.from_iterable(map(dict.values, signals)))
    key = (names, tuple(map(type, values)))
    shape = _MESSAGE_SHAPES.get(key, _UNSEEN)
    if shape is _UNSEEN:
        if len(_MESSAGE_SHAPES) >= 4096:
            _MESSAGE_SHAPES.clear()
        shape = _MESSAGE_SHAPES[key] = _shape_of(names * n, key[1])
    if shape is None or not (all(map(_le, shape.lo, values)) and all(map(_le, values, shape.hi))):
        return False  # NaN fails both comparisons; infinities fail the finite bounds
    out.sample_vehicle.extend([vid] * n)
    out.sample_ts_us.extend(ts_us)  # type: ignore[arg-type]
    out.sample_rows.extend([len(names)] * n)
    out.codes.fromlist(shape.codes)
    out.values.fromlist(values)  # type: ignore[arg-type]  # numbers and booleans, as doubles
    return True


_le: Callable[[object, object], bool] = operator.le  # type: ignore[assignment]  # numbers by shape
