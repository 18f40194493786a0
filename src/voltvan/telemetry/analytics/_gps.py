"""GPS fix flagging: which position fixes are physically impossible and must not count.

Receivers fail in two ways that wreck distances: a coordinate drops to 0 or to garbage for a few
seconds (the Rabat Twizy logs have latitude 0 for 4 s), or a fix jumps somewhere the van cannot
have driven. Out-of-range values never reach the store (validation rejects them); this module
catches the in-range but impossible ones by comparing the distance a fix implies with the distance
the van's own wheel speed (CAN) allows. The walk is sequential — each fix is judged against the
last *accepted* one — so it lives in numpy/Python, not SQL. Rules and defaults are documented in
``docs/analytics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from voltvan.travel import haversine_m

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class GpsParams:
    """Thresholds of the fault rules (see ``docs/analytics.md``).

    A fix is faulty when it lies within ``null_island_deg`` of latitude 0 or longitude 0, or
    when the distance from the last accepted fix exceeds
    ``jump_ratio * can_distance + jump_tolerance_m`` (CAN distance = integral of wheel speed
    since that fix; ``max_speed_mps`` stands in for the wheel speed where it is unknown).
    After ``reacquire_s`` of rejections in a row the next fix is accepted as a new anchor, so
    one bad anchor cannot reject the rest of the day; sooner, when ``confirm_fixes`` new
    positions after a rejected one agree with it over at least ``confirm_s`` while none agrees
    with the old anchor (the logger skipped and the van really moved; a short excursion that
    comes back is still flagged).
    """

    jump_ratio: float = 2.0
    jump_tolerance_m: float = 100.0
    max_speed_mps: float = 60.0
    null_island_deg: float = 1e-6
    reacquire_s: float = 60.0
    confirm_fixes: int = 2
    confirm_s: float = 10.0


def flag_gps_faults(
    ts_s: FloatArray,
    lat: FloatArray,
    lon: FloatArray,
    speed_mps: FloatArray | None = None,
    params: GpsParams = GpsParams(),
) -> BoolArray:
    """True for every fix that must be excluded from distances (inputs sorted by time).

    ``speed_mps`` is the wheel speed at each fix (NaN where unknown). A position repeated
    unchanged is a stale fix, not a new one: the jump test measures from the time the accepted
    position was *first* seen, so a receiver that updates every few seconds is not punished.
    """
    n = len(ts_s)
    faulty = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return faulty
    ts = np.asarray(ts_s, np.float64)
    la = np.asarray(lat, np.float64)
    lo = np.asarray(lon, np.float64)
    bad = (
        ~np.isfinite(la)
        | ~np.isfinite(lo)
        | (np.abs(la) > 90.0)
        | (np.abs(lo) > 180.0)
        | (np.abs(la) <= params.null_island_deg)
        | (np.abs(lo) <= params.null_island_deg)
    )
    faulty |= bad
    can_cum = _can_distance_cumulative(ts, speed_mps, params.max_speed_mps)
    anchor = -1  # last accepted fix; distances are measured from where it was first seen
    anchor_first = 0
    cand = -1  # a rejected fix that later fixes may confirm (the anchor was the odd one out)
    cand_first = 0
    cand_start = 0
    confirmations = 0
    rejected_since = np.nan
    for i in range(n):
        if bad[i]:
            continue
        if anchor < 0:
            anchor = anchor_first = i
            continue
        if la[i] == la[anchor] and lo[i] == lo[anchor]:
            anchor = i  # stale repeat of the accepted position: nothing new
            continue
        reacquire = np.isfinite(rejected_since) and ts[i] - rejected_since >= params.reacquire_s
        if reacquire or _plausible(la, lo, can_cum, anchor, anchor_first, i, params):
            anchor = anchor_first = i
            cand, rejected_since = -1, np.nan
            continue
        faulty[i] = True
        if not np.isfinite(rejected_since):
            rejected_since = ts[i]
        if cand >= 0 and la[i] == la[cand] and lo[i] == lo[cand]:
            cand = i
        elif cand >= 0 and _plausible(la, lo, can_cum, cand, cand_first, i, params):
            cand, cand_first, confirmations = i, i, confirmations + 1
            if confirmations >= params.confirm_fixes and ts[i] - ts[cand_start] >= params.confirm_s:
                faulty[cand_start : i + 1] = bad[cand_start : i + 1]
                anchor = anchor_first = i
                cand, rejected_since = -1, np.nan
        else:
            cand = cand_first = cand_start = i
            confirmations = 0
    return faulty


def _plausible(
    la: FloatArray,
    lo: FloatArray,
    can_cum: FloatArray,
    ref: int,
    ref_first: int,
    i: int,
    params: GpsParams,
) -> bool:
    """Whether fix ``i`` is reachable from fix ``ref`` given the wheel distance since then."""
    jump = float(haversine_m(la[ref : ref + 1], lo[ref : ref + 1], la[i : i + 1], lo[i : i + 1])[0])
    allowed = params.jump_ratio * (can_cum[i] - can_cum[ref_first]) + params.jump_tolerance_m
    return bool(jump <= allowed)


def _can_distance_cumulative(
    ts: FloatArray, speed_mps: FloatArray | None, fallback_mps: float
) -> FloatArray:
    """Distance the wheels allow up to each sample: trapezoid of speed, max speed where unknown.

    Each interval takes the larger of its two end speeds so that a hard acceleration between
    samples is never mistaken for a jump.
    """
    n = len(ts)
    out = np.zeros(n, np.float64)
    if n < 2:
        return out
    dt = np.diff(ts)
    if speed_mps is None:
        v = np.full(n - 1, fallback_mps)
    else:
        s = np.asarray(speed_mps, np.float64)
        v = np.fmax(s[:-1], s[1:])
        v = np.where(np.isfinite(v), v, fallback_mps)
    out[1:] = np.cumsum(np.clip(v, 0.0, None) * dt)
    return out


def path_length_m(lat: FloatArray, lon: FloatArray, faulty: BoolArray | None = None) -> float:
    """Length of the polyline through the fixes that are not flagged, in metres."""
    keep = np.ones(len(lat), np.bool_) if faulty is None else ~np.asarray(faulty, np.bool_)
    la = np.asarray(lat, np.float64)[keep]
    lo = np.asarray(lon, np.float64)[keep]
    if len(la) < 2:
        return 0.0
    return float(np.sum(haversine_m(la[:-1], lo[:-1], la[1:], lo[1:])))
