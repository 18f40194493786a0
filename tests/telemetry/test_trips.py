"""Trips and stops segmentation on hand-made speed streams with known trips and stops."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.telemetry.analytics_data import T0, rows_from_series, write_signals
from voltvan.telemetry._derived import connect
from voltvan.telemetry._trips import SPEED, TripParams, segments, stops_sql, trips_sql


def _speed_profile() -> list[float]:
    """10 min parked, 15 min at 36 km/h with a 60 s red light, 20 min parked, 12 min driving,
    a 30 s creep in the yard, then 10 min parked (1 Hz, km/h)."""
    v: list[float] = []
    v += [0.0] * 600
    v += [36.0] * 420 + [0.0] * 60 + [36.0] * 420
    v += [0.0] * 1200
    v += [30.0] * 720
    v += [0.0] * 300 + [5.0] * 30 + [0.0] * 600
    return v


@pytest.fixture
def one_van_day(tmp_path: Path) -> Path:
    write_signals(tmp_path, rows_from_series("V1", SPEED, _speed_profile()))
    return tmp_path


def test_two_trips_and_their_stops(one_van_day: Path) -> None:
    """A red light does not split a trip, a yard creep is no trip, the parked spells are stops."""
    con = connect(one_van_day)
    trips = con.execute(trips_sql(TripParams()) + " ORDER BY start_ts").fetchall()
    assert len(trips) == 2
    (_, s1, e1, dur1, drive1, dist1), (_, s2, _, _, _, dist2) = trips
    assert s1 == T0 + timedelta(seconds=600)
    assert e1 == T0 + timedelta(seconds=1500)
    assert dur1 == pytest.approx(900)
    assert drive1 == pytest.approx(840)
    assert dist1 == pytest.approx(8400, rel=0.01)
    assert s2 == T0 + timedelta(seconds=2700)
    assert dist2 == pytest.approx(6000, rel=0.01)
    stops = con.execute(stops_sql(TripParams()) + " ORDER BY start_ts").fetchall()
    durations = [round(r[3]) for r in stops]
    assert durations == [600, 1200, 300 + 30 + 599]


def test_data_gap_splits_a_trip(tmp_path: Path) -> None:
    """A silence longer than max_gap_s ends the trip even though the van moves on both sides."""
    rows = rows_from_series("V1", SPEED, [40.0] * 300)
    rows += rows_from_series("V1", SPEED, [40.0] * 300, start=T0 + timedelta(seconds=1300))
    write_signals(tmp_path, rows)
    trips = connect(tmp_path).execute(trips_sql(TripParams())).fetchall()
    assert len(trips) == 2


def test_vans_are_segmented_independently(tmp_path: Path) -> None:
    """Two vans on the same day get their own trips; the day filter keeps other days out."""
    rows = rows_from_series("V1", SPEED, _speed_profile())
    rows += rows_from_series("V2", SPEED, [0.0] * 100 + [50.0] * 400 + [0.0] * 400)
    rows += rows_from_series("V2", SPEED, [50.0] * 400, start=T0 + timedelta(days=1))
    write_signals(tmp_path, rows)
    seg = segments(connect(tmp_path), day=T0.date().isoformat()).to_pylist()
    trips = [(s["vehicle_id"]) for s in seg if s["is_trip"]]
    assert trips.count("V1") == 2
    assert trips.count("V2") == 1
