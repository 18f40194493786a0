"""Trips and stops segmentation on hand-made speed streams with known trips and stops."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.telemetry.analytics_data import T0, Row, rows_from_series, write_signals
from voltvan.telemetry import SPEED
from voltvan.telemetry.analytics._derived import connect
from voltvan.telemetry.analytics._trips import (
    TripParams,
    day_segments,
    segments,
    stops_sql,
    trips_sql,
)

_MIN = timedelta(minutes=1)


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


MIDNIGHT = datetime(2026, 3, 3, tzinfo=UTC)


def test_trip_across_midnight_is_one_trip_of_its_start_day(tmp_path: Path) -> None:
    """23:50-00:20 at 10 m/s is one 30 min, 18 km trip of the first day; the stops beside it
    belong to the day each starts on."""
    speed = [0.0] * 1200 + [36.0] * 1800 + [0.0] * 1200
    write_signals(tmp_path, rows_from_series("V1", SPEED, speed, start=MIDNIGHT - _MIN * 30))
    con = connect(tmp_path)
    first = day_segments(con, "2026-03-02").to_pylist()
    second = day_segments(con, "2026-03-03").to_pylist()
    (trip,) = [s for s in first if s["is_trip"]]
    assert trip["start_ts"] == MIDNIGHT - _MIN * 10
    assert trip["end_ts"] == MIDNIGHT + _MIN * 20
    assert trip["moving_s"] == pytest.approx(1800)
    assert trip["speed_m"] == pytest.approx(18_000)
    assert [s["start_ts"] for s in first] == [MIDNIGHT - _MIN * 30, MIDNIGHT - _MIN * 10]
    assert [(s["is_trip"], s["start_ts"]) for s in second] == [(False, MIDNIGHT + _MIN * 20)]
    assert segments(con).num_rows == 3  # the same three segments over all data


def _random_stream(rng: random.Random, van: str, start: datetime) -> list[Row]:
    """Driving, standing, creeping, blips and silences of random lengths and sampling rates."""
    rows: list[Row] = []
    t = start + timedelta(seconds=rng.randint(0, 7200))
    for _ in range(rng.randint(5, 40)):
        kind = rng.choice(["drive", "drive", "stand", "stand", "creep", "gap", "blip"])
        step = rng.choice([1, 1, 5, 30, 200])
        if kind == "gap":
            t += timedelta(seconds=rng.randint(100, 3000))
            continue
        dur = {"drive": 2500, "stand": rng.choice([250, 3000]), "creep": 90, "blip": 20}[kind]
        for _ in range(max(1, rng.randint(1, dur) // step)):
            v = {"drive": rng.uniform(10, 60), "stand": 0.0, "creep": rng.uniform(2, 8)}
            rows.append((van, t, SPEED, v.get(kind, 40.0)))
            t += timedelta(seconds=step)
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_day_segments_match_segmentation_over_all_data(tmp_path: Path, seed: int) -> None:
    """Whatever the stream, the segments each day finds are those that segmentation over all
    data finds starting on that day, also with contexts so small (none, minutes) that the
    windows cut through trips and stops."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for k in range(4):
        rows += _random_stream(rng, f"V{k}", MIDNIGHT - timedelta(hours=3))
    write_signals(tmp_path, rows)
    con = connect(tmp_path)
    params = TripParams(min_stop_s=60, max_gap_s=120) if seed % 2 else TripParams()
    full = segments(con, params).to_pylist()
    days = sorted({r[1].date() for r in rows})
    assert len(days) > 1
    for day, contexts in itertools.product(days, [(), (_MIN * 0, _MIN * 5), (_MIN * 30,)]):
        got = day_segments(con, day.isoformat(), params, contexts=contexts)
        want = [s for s in full if s["start_ts"].date() == day]
        assert [_key(s) for s in got.to_pylist()] == [_key(s) for s in want], contexts


def _key(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["vehicle_id"], s["is_trip"], s["start_ts"], s["end_ts"], round(s["speed_m"], 3))
