"""GPS fault flagging on hand-made tracks: null-island fixes, jumps, stale fixes, re-acquisition."""

from __future__ import annotations

import numpy as np

from voltvan.telemetry.analytics._gps import GpsParams, flag_gps_faults, path_length_m

LAT0, LON0 = 34.0, -6.8
M_PER_DEG_LAT = 111_195.0


def _straight_track(n: int, speed_mps: float) -> tuple[np.ndarray, ...]:
    t = np.arange(n, dtype=float)
    lat = LAT0 + t * speed_mps / M_PER_DEG_LAT
    lon = np.full(n, LON0)
    return t, lat, lon, np.full(n, speed_mps)


def test_clean_track_has_no_faults() -> None:
    """A van driving straight at 10 m/s with matching fixes keeps every fix."""
    t, lat, lon, v = _straight_track(300, 10.0)
    assert not flag_gps_faults(t, lat, lon, v).any()
    assert abs(path_length_m(lat, lon) - 2990.0) < 5


def test_latitude_zero_for_four_seconds_is_flagged() -> None:
    """Four fixes with latitude 0 (as in the Twizy log) are flagged and only they."""
    t, lat, lon, v = _straight_track(300, 10.0)
    lat[100:104] = 0.0
    faulty = flag_gps_faults(t, lat, lon, v)
    assert list(np.flatnonzero(faulty)) == [100, 101, 102, 103]
    assert abs(path_length_m(lat, lon, faulty) - 2990.0) < 5
    assert path_length_m(lat, lon) > 7_000_000  # uncleaned: thousands of km off


def test_in_range_jump_beyond_wheel_speed_is_flagged() -> None:
    """A 3 s excursion 5 km away while the wheels say 10 m/s is flagged."""
    t, lat, lon, v = _straight_track(300, 10.0)
    lon[150:153] += 0.054  # about 5 km east
    faulty = flag_gps_faults(t, lat, lon, v)
    assert list(np.flatnonzero(faulty)) == [150, 151, 152]


def test_stale_fixes_do_not_cause_false_jumps() -> None:
    """A receiver that repeats its position for 8 s then catches up is not faulty."""
    t, lat, lon, v = _straight_track(300, 15.0)
    for start in range(0, 300, 8):
        lat[start : start + 8] = lat[start]
    assert not flag_gps_faults(t, lat, lon, v).any()


def test_logger_skip_is_reacquired() -> None:
    """After a real relocation (logger skipped 1.5 km) consistent new fixes are accepted again."""
    t, lat, lon, v = _straight_track(300, 10.0)
    lat[100:] += 1500.0 / M_PER_DEG_LAT
    faulty = flag_gps_faults(t, lat, lon, v, GpsParams(confirm_fixes=2))
    assert not faulty[110:].any()
    assert faulty.sum() <= 2


def test_without_wheel_speed_the_max_speed_bounds_jumps() -> None:
    """With no CAN speed, a jump needing more than max_speed_mps is still flagged."""
    t, lat, lon, _ = _straight_track(100, 10.0)
    lat[50] += 0.5  # 55 km in one second
    faulty = flag_gps_faults(t, lat, lon, None)
    assert list(np.flatnonzero(faulty)) == [50]
