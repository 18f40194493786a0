"""A big depot cut into sectors by a sweep, its vans shared, each part a scenario of its own."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from voltvan.domain import Scenario
from voltvan.planning import assign_stops, split_day
from voltvan.planning._split import apportion, share_vans, sweep_sectors
from voltvan.scenario import generate_scenario


@pytest.fixture(scope="module")
def city() -> Scenario:
    """A one-depot Berlin day of 900 stops and 9 vans (seed 4)."""
    return generate_scenario(num_stops=900, num_vans=9, seed=4)


def test_sectors_are_equal_and_do_not_overlap_in_bearing(city: Scenario) -> None:
    """Four sectors of 225 stops; their bearing ranges from the depot do not interleave."""
    depot = city.fleet.depots[0]
    sectors = sweep_sectors(depot, city.stops, 4)
    assert [len(s) for s in sectors] == [225] * 4
    assert sorted(s.id for sec in sectors for s in sec) == sorted(s.id for s in city.stops)
    k = math.cos(math.radians(depot.lat))

    def bearing(s: object) -> float:
        return math.atan2(s.lat - depot.lat, (s.lon - depot.lon) * k)  # type: ignore[attr-defined]

    spans = [sorted(bearing(s) for s in sec) for sec in sectors]
    for a in range(4):
        for b in range(a + 1, 4):
            inside = [x for x in spans[b] if spans[a][0] < x < spans[a][-1]]
            # a sector may wrap around ±180°, then it holds the others' span only from outside
            assert not inside or len(inside) == len(spans[b])
            assert not inside or (spans[a][-1] - spans[a][0]) > math.pi


def test_apportion_is_largest_remainder() -> None:
    """Ten split 1:1:1 gives 4, 3, 3; the total is kept whatever the weights."""
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(7, [5, 0, 2]) == [5, 0, 2]
    assert sum(apportion(13, [0.3, 2.2, 1.1, 0.05])) == 13


def test_vans_are_shared_by_stops_type_by_type_and_never_left_without(city: Scenario) -> None:
    """Every van goes to one sector, each sector gets at least one, types split alike."""
    vans = list(city.fleet.vans)
    shares = share_vans(vans, [600, 200, 100])
    assert sorted(v.id for s in shares for v in s) == sorted(v.id for v in vans)
    assert all(shares)
    assert len(shares[0]) > len(shares[1]) >= len(shares[2])
    large = Counter(v.type_id for v in vans).most_common(1)[0][0]
    assert sum(v.type_id == large for v in shares[0]) >= 3


def test_a_day_is_cut_into_parts_with_the_days_ids(city: Scenario) -> None:
    """With at most 300 stops per solve, the depot becomes three sectors of three vans each;
    the parts hold every stop once and keep the day's ids and chargers."""
    parts = split_day(city, assign_stops(city), max_stops_per_solve=300)
    assert [p.label for p in parts] == ["DEPOT/1of3", "DEPOT/2of3", "DEPOT/3of3"]
    assert [len(p.scenario.fleet.vans) for p in parts] == [3, 3, 3]
    ids = [s.id for p in parts for s in p.scenario.stops]
    assert sorted(ids) == sorted(s.id for s in city.stops)
    for p in parts:
        assert p.scenario.fleet.chargers == city.fleet.chargers
        assert p.scenario.fleet.depots == city.fleet.depots


def test_no_more_sectors_than_vans(city: Scenario) -> None:
    """A tiny limit cannot cut a depot into more sectors than it has vans."""
    parts = split_day(city, assign_stops(city), max_stops_per_solve=10)
    assert len(parts) == len(city.fleet.vans)
