"""When staff are at the depot to re-plug vans: staffed hours are time-of-day spans
``(start_s, end_s)`` repeating daily (``end_s`` may pass midnight); none means any time."""

from __future__ import annotations

import math

from voltvan.domain import DAY_S

Staffed = tuple[tuple[float, float], ...]


def first_staffed(staffed_s: Staffed, lo_s: float, hi_s: float) -> float | None:
    """The earliest instant of ``[lo_s, hi_s]`` with staff there (``lo_s`` without hours)."""
    if hi_s < lo_s:
        return None
    if not staffed_s:
        return lo_s
    best: float | None = None
    for a, b in staffed_s:
        day = math.floor((lo_s - a) / DAY_S) * DAY_S  # this window starts at a + day <= lo_s
        start, end = a + day, b + day
        t = lo_s if lo_s <= end else start + DAY_S
        if t <= hi_s and (best is None or t < best):
            best = t
    return best


def last_staffed(staffed_s: Staffed, lo_s: float, hi_s: float) -> float | None:
    """The latest instant of ``[lo_s, hi_s]`` with staff there (``hi_s`` without hours)."""
    if hi_s < lo_s:
        return None
    if not staffed_s:
        return hi_s
    best: float | None = None
    for a, b in staffed_s:
        end = b + math.floor((hi_s - a) / DAY_S) * DAY_S  # its window starts at or before hi_s
        t = min(hi_s, end)
        if t >= lo_s and (best is None or t > best):
            best = t
    return best


def is_staffed(staffed_s: Staffed, t_s: float) -> bool:
    return first_staffed(staffed_s, t_s, t_s) is not None
