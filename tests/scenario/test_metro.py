"""The retailer's metropolitan day: reproducible, several depots each with its own fleet."""

from __future__ import annotations

import filecmp
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.scenario import (
    BERLIN_METRO,
    DEPOT_SITES,
    generate_metro_scenario,
    read_scenario,
    write_scenario,
)
from voltvan.travel import haversine_m

CENTRE = (52.520, 13.405)  # Berlin-Mitte


@pytest.fixture(scope="module")
def metro_day() -> Scenario:
    """2,000 stops, 40 vans, 5 depots (seed 3)."""
    return generate_metro_scenario(num_stops=2000, num_vans=40, num_depots=5, seed=3)


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    """Two runs with one seed write byte-identical files; another seed differs."""
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        day = generate_metro_scenario(num_stops=300, num_vans=9, num_depots=3, seed=seed)
        write_scenario(day, tmp_path / name)
    for f in ("fleet.toml", "stops.csv"):
        assert filecmp.cmp(tmp_path / "a" / f, tmp_path / "b" / f, shallow=False)
    assert not filecmp.cmp(
        tmp_path / "a" / "stops.csv", tmp_path / "c" / "stops.csv", shallow=False
    )


def test_each_depot_has_its_own_fleet_chargers_and_site_limit(metro_day: Scenario) -> None:
    """Five depots at the first five sites; every van, wallbox and limit belongs to one."""
    fleet = metro_day.fleet
    assert [(d.lat, d.lon) for d in fleet.depots] == [(s.lat, s.lon) for s in DEPOT_SITES[:5]]
    vans = Counter(v.depot_id for v in fleet.vans)
    assert sum(vans.values()) == 40 and set(vans) == {d.id for d in fleet.depots}
    sockets = Counter()
    for c in fleet.chargers:
        if c.kind == "depot":
            sockets[c.depot_id] += c.connectors
    assert sockets == vans  # one socket per van, at the van's own depot
    assert all(d.site_power_limit_w for d in fleet.depots)
    assert len(fleet.public_chargers) == 20


def test_vans_follow_the_stops_nearest_each_depot(metro_day: Scenario) -> None:
    """A depot's share of the vans is within one van of its share of the nearest stops."""
    depots = metro_day.fleet.depots
    lat = np.array([s.lat for s in metro_day.stops])
    lon = np.array([s.lon for s in metro_day.stops])
    dist = np.stack([haversine_m(lat, lon, d.lat, d.lon) for d in depots], axis=1)
    nearest = np.bincount(dist.argmin(axis=1), minlength=len(depots))
    vans = Counter(v.depot_id for v in metro_day.fleet.vans)
    for k, d in enumerate(depots):
        assert abs(vans[d.id] - 40 * nearest[k] / len(lat)) <= 2


def test_denser_in_the_centre_than_in_the_suburbs(metro_day: Scenario) -> None:
    """All in the frame; more stops within 10 km of Mitte than in the whole ring beyond 15 km,
    but the suburbs still get some."""
    lat = np.array([s.lat for s in metro_day.stops])
    lon = np.array([s.lon for s in metro_day.stops])
    assert all(BERLIN_METRO.contains(a, b) for a, b in zip(lat, lon, strict=True))
    r = haversine_m(lat, lon, *CENTRE)
    inner, outer = np.sum(r < 10_000), np.sum(r > 15_000)
    assert inner > 2 * outer > 0.1 * len(lat)


def test_the_written_day_reads_back_without_warnings(tmp_path: Path) -> None:
    """The scenario format holds ten depots: read back, it is the same day, and with a depot in
    every part of the area no stop is far outside the others."""
    day = generate_metro_scenario(num_stops=1500, num_vans=20, num_depots=10, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = read_scenario(write_scenario(day, tmp_path / "day"))
    assert back.fleet.depots == day.fleet.depots
    assert [v.depot_id for v in back.fleet.vans] == [v.depot_id for v in day.fleet.vans]
    assert [(s.id, s.lat, s.lon) for s in back.stops] == [(s.id, s.lat, s.lon) for s in day.stops]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"num_depots": 0}, "num_depots"),
        ({"num_depots": len(DEPOT_SITES) + 1}, "num_depots"),
        ({"num_depots": 5, "num_vans": 4}, "num_vans"),
    ],
)
def test_bad_arguments_name_their_field(kwargs: dict[str, int], field: str) -> None:
    """Too many or too few depots, or fewer vans than depots, are refused by name."""
    args = {"num_stops": 100, "num_vans": 10, "num_depots": 3, "seed": 1, **kwargs}
    with pytest.raises(InvalidInput) as err:
        generate_metro_scenario(**args)  # type: ignore[arg-type]
    assert err.value.where.field == field
