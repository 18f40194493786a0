"""The travel model: haversine distances, detours, speed by hour and road matrices."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from voltvan.domain import Scenario, TravelMatrix
from voltvan.errors import InvalidInput
from voltvan.travel import (
    MatrixSource,
    TravelParams,
    build_matrices,
    duration_at,
    haversine_m,
    speed_factor,
    speed_kmh_at,
)

BERLIN = (52.5200, 13.4050)
MUNICH = (48.1351, 11.5820)


def test_haversine_berlin_munich_is_about_504_km() -> None:
    """Berlin-Munich city centres are about 504 km apart as the crow flies."""
    d = float(haversine_m(*BERLIN, *MUNICH))
    assert 500_000 < d < 508_000


def test_haversine_zero_and_symmetric() -> None:
    """A point is 0 m from itself and distance does not depend on direction."""
    assert float(haversine_m(*BERLIN, *BERLIN)) == 0.0
    assert float(haversine_m(*BERLIN, *MUNICH)) == pytest.approx(
        float(haversine_m(*MUNICH, *BERLIN))
    )


def test_one_degree_of_latitude_is_about_111_km() -> None:
    """One degree along a meridian is about 111.2 km on the mean-radius sphere."""
    assert float(haversine_m(0.0, 0.0, 1.0, 0.0)) == pytest.approx(111_195, rel=1e-3)


def test_speed_profile_is_slower_in_rush_hour_than_at_night() -> None:
    """The default profile is free flow at 03:00 and markedly slower at 08:00 and 17:00."""
    f = speed_factor(np.array([3, 8, 11, 17]) * 3600.0)
    assert f[0] == pytest.approx(1.0)
    assert f[1] < 0.65 and f[3] < 0.65
    assert f[1] < f[2] < f[0]


def test_speed_profile_repeats_daily() -> None:
    """Times past midnight (night shifts) use the hour of day."""
    assert float(speed_kmh_at(25 * 3600.0)) == float(speed_kmh_at(3600.0))


def test_duration_crosses_hour_boundary() -> None:
    """A leg leaving at 07:30 drives at the 07:00 speed until 08:00, then at the 08:00 speed."""
    p = TravelParams.constant(30.0)
    speeds = [30.0] * 24
    speeds[8] = 15.0
    p = dataclasses.replace(p, speed_kmh_by_hour=tuple(speeds))
    # 15 km at 30 km/h takes exactly 30 min to 08:00, then 5 km more at 15 km/h = 20 min.
    d = float(duration_at(20_000.0, 7.5 * 3600, p))
    assert d == pytest.approx(50 * 60)


def test_durations_are_fifo() -> None:
    """Leaving later never means arriving earlier, across the whole day."""
    starts = np.arange(0, 24 * 3600, 300, dtype=float)
    arrive = starts + duration_at(25_000.0, starts)
    assert np.all(np.diff(arrive) > 0)


def test_negative_distance_is_refused() -> None:
    """A negative distance is bad input naming distance_m."""
    with pytest.raises(InvalidInput) as info:
        duration_at(-1.0, 0.0)
    assert info.value.where.field == "distance_m"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"detour_factor": 0.9}, "detour_factor"),
        ({"speed_kmh_by_hour": (30.0,) * 23}, "speed_kmh_by_hour"),
        ({"speed_kmh_by_hour": (0.0,) * 24}, "speed_kmh_by_hour"),
    ],
)
def test_bad_params_name_field(kwargs: dict[str, object], field: str) -> None:
    """Impossible travel parameters are refused naming the field."""
    with pytest.raises(InvalidInput) as info:
        TravelParams(**kwargs)  # type: ignore[arg-type]
    assert info.value.where.field == field


def test_build_matrices_uses_haversine_detour_and_profile(two_vans_five_stops: Scenario) -> None:
    """Without a road matrix, distance = haversine x detour and time follows the 09:00 speed."""
    sc = two_vans_five_stops
    p = TravelParams(detour_factor=1.3)
    m = build_matrices(sc, depart_s=9 * 3600, params=p)
    assert m.ids == tuple(sc.location_ids())
    assert m.distance_m.shape == (6, 6)
    assert np.all(np.diag(m.distance_m) == 0)
    d, s1 = sc.fleet.depots[0], sc.stops[0]
    expect = float(haversine_m(d.lat, d.lon, s1.lat, s1.lon)) * 1.3
    assert m.distance_m[0, 1] == pytest.approx(expect)
    assert m.duration_s[0, 1] == pytest.approx(expect / (speed_kmh_at(9 * 3600.0) / 3.6))
    np.testing.assert_allclose(m.distance_m, m.distance_m.T)


def test_build_matrices_matches_duration_at_for_long_legs(two_vans_five_stops: Scenario) -> None:
    """The fast interpolated matrix equals exact integration even across hour boundaries."""
    p = TravelParams(detour_factor=40.0)  # stretch legs so they cross several hours
    m = build_matrices(two_vans_five_stops, depart_s=7.9 * 3600, params=p)
    exact = duration_at(m.distance_m, 7.9 * 3600, p)
    np.testing.assert_allclose(m.duration_s, exact, rtol=1e-9, atol=1e-6)
    assert m.duration_s.max() > 3600


def test_build_matrices_uses_road_matrix_when_given(two_vans_five_stops: Scenario) -> None:
    """A road matrix in the scenario is used as is, reordered to location_ids order."""
    sc = two_vans_five_stops
    ids = list(reversed(sc.location_ids()))
    n = len(ids)
    dist = [[float(100 * i + j) for j in range(n)] for i in range(n)]
    dur = [[float(10 * i + j) for j in range(n)] for i in range(n)]
    sc2 = dataclasses.replace(sc, matrix=TravelMatrix(tuple(ids), dist, dur))
    m = build_matrices(sc2)
    # location_ids()[0] is the depot, which sits last (index n-1) in the reversed matrix.
    assert m.distance_m[0, 1] == (n - 1) * 100 + (n - 2)
    assert m.duration_s[1, 0] == (n - 2) * 10 + (n - 1)


@pytest.mark.parametrize("road", [False, True])
def test_matrix_source_gives_the_full_matrices_numbers(
    two_vans_five_stops: Scenario, road: bool
) -> None:
    """Between a few places, in any order, the same distances and times as the whole matrix
    (from the model, or from the scenario's road matrix)."""
    sc = two_vans_five_stops
    if road:
        ids = sc.location_ids()
        n = len(ids)
        dist = [[float(100 * i + j) * (i != j) for j in range(n)] for i in range(n)]
        dur = [[float(10 * i + j) * (i != j) for j in range(n)] for i in range(n)]
        sc = dataclasses.replace(sc, matrix=TravelMatrix(tuple(ids), dist, dur))
    full = build_matrices(sc, depart_s=8 * 3600)
    row = full.index()
    few = ("S3", sc.fleet.depots[0].id, "S1")
    part = MatrixSource(sc, depart_s=8 * 3600).between(few)
    idx = np.array([row[i] for i in few])
    np.testing.assert_allclose(part.distance_m, full.distance_m[np.ix_(idx, idx)], rtol=1e-9)
    np.testing.assert_allclose(part.duration_s, full.duration_s[np.ix_(idx, idx)], rtol=1e-9)
    assert MatrixSource(sc).knows("S1") and not MatrixSource(sc).knows("nowhere")
