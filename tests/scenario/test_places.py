"""Coordinates: what cannot be right is refused (see test_read.BAD_INPUTS), what is odd is warned.

The refusals themselves (null island, swapped lat/lon, far from every depot, for stops, depots and
chargers) are rows of ``BAD_INPUTS`` in test_read, so that the reader and the CLI are both held to
file, line, field and cause. Here: the warnings, the cases that must not be refused, and the
generated days that must pass without a word.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tests.scenario.conftest import DATA, with_quirk
from voltvan.domain import Depot, Stop
from voltvan.errors import InputWarning, InvalidInput
from voltvan.scenario import (
    generate_scenario,
    read_fleet,
    read_scenario,
    stop_outliers,
    write_scenario,
)
from voltvan.travel import haversine_m

KREUZBERG = (52.4990, 13.4180)


def _grid(n: int, lat: float = KREUZBERG[0], lon: float = KREUZBERG[1]) -> list[Stop]:
    """``n`` stops on a 300 m grid around (lat, lon)."""
    return [
        Stop(id=f"S{k:03d}", lat=lat + 0.0027 * (k % 4), lon=lon + 0.0044 * (k // 4))
        for k in range(n)
    ]


def _east_of(km: float) -> tuple[float, float]:
    """The point ``km`` east of the grid's corner (along the parallel)."""
    lat, lon = KREUZBERG
    deg = km / (float(haversine_m(lat, lon, lat, lon + 1.0)) / 1000)
    return lat, lon + deg


def test_stop_far_outside_the_others_is_warned_with_file_line_and_id(small_dir: Path) -> None:
    """One stop 26 km out (the others within 1 km) is read, with one warning naming it."""
    target = with_quirk(small_dir, "stops_one_far_outside.csv")
    with pytest.warns(InputWarning) as record:
        scenario = read_scenario(small_dir)
    assert len(scenario.stops) == 13
    messages = [str(w.message) for w in record if issubclass(w.category, InputWarning)]
    assert len(messages) == 1
    assert messages[0].startswith(
        f"{target}, line 10, field lat/lon: stop S13 at (52.3906, 13.0645)"
    )
    assert "is 26 km from the nearest depot or the middle of the stops" in messages[0]
    assert "check its address" in messages[0]


def test_second_depot_without_stops_today_is_not_refused(small_dir: Path) -> None:
    """A fleet may list a depot far from today's stops, as long as another depot serves them."""
    fleet = small_dir / "fleet.toml"
    text = fleet.read_text()
    text = text.replace('id_prefix = "L"', 'id_prefix = "L"\ndepot = "D1"')
    text = text.replace(
        "[[vehicle_types]]",
        '[[depots]]\nid = "D2"\nlat = 53.5511\nlon = 9.9937\n\n[[vehicle_types]]',
        1,
    )
    fleet.write_text(text)
    assert [d.id for d in read_scenario(small_dir).fleet.depots] == ["D1", "D2"]


def test_depot_near_null_island_but_not_on_it_is_left_to_the_distance_check(
    small_dir: Path,
) -> None:
    """(0.5, 0.5) is 79 km from null island: not a missing geocode, but far from every stop."""
    fleet = small_dir / "fleet.toml"
    fleet.write_text(
        fleet.read_text().replace("lat = 52.4990\nlon = 13.4180", "lat = 0.5\nlon = 0.5")
    )
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert "null island" not in info.value.message
    assert "the depot or the stops are in the wrong place" in info.value.message


def test_read_fleet_refuses_a_depot_on_null_island() -> None:
    """Reading only the fleet (telemetry does) refuses a missing geocode just the same."""
    path = DATA / "fleet_depot_null_island.toml"
    with pytest.raises(InvalidInput) as info:
        read_fleet(path)
    assert (info.value.where.file, info.value.where.line) == (str(path), 23)
    assert info.value.where.field == "lat/lon"
    assert "null island" in info.value.message


def test_swapped_pair_with_longitude_beyond_90_is_called_far_not_swapped(small_dir: Path) -> None:
    """Tokyo's (35.68, 139.69) cannot be swapped (latitude 139.69 does not exist): it is far."""
    stops = small_dir / "stops.csv"
    stops.write_text(stops.read_text().replace("S05,52.4950,13.4120", "S05,35.6812,139.6917"))
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert (info.value.where.line, info.value.where.field) == (6, "lat/lon")
    assert "swapped" not in info.value.message
    assert "from depot D1, the nearest depot, farther than the 200 km" in info.value.message


@pytest.mark.parametrize(
    ("seed", "stops", "day"),
    [(0, 40, "mild"), (1, 300, "cold"), (23, 150, "cold"), (7, 2000, "cold")],  # last: README's
)
def test_generated_days_pass_without_a_warning(
    tmp_path: Path, seed: int, stops: int, day: str
) -> None:
    """No false alarm: generated Berlin days (stops over the whole city) read back silently.

    Berlin is the generator's only city; 8 % of its stops are scattered up to the city's edge.
    """
    scenario = generate_scenario(num_stops=stops, num_vans=-(-stops // 100), seed=seed, day=day)
    folder = write_scenario(scenario, tmp_path / "day")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        assert read_scenario(folder) == scenario


def test_no_outliers_among_fewer_than_ten_stops() -> None:
    """Nine stops say too little about where the others are: even a far one is not flagged."""
    far = Stop(id="FAR", lat=_east_of(60)[0], lon=_east_of(60)[1])
    assert stop_outliers([*_grid(8), far], []) == ()
    assert [o.index for o in stop_outliers([*_grid(9), far], [])] == [9]


def test_outlier_needs_more_than_twenty_km_beyond_the_median() -> None:
    """15 km out is a far district, 25 km out is odd, however tight the other stops are."""
    near, far = _east_of(15), _east_of(25)
    stops = [*_grid(20), Stop("NEAR", *near), Stop("FAR", *far)]
    found = stop_outliers(stops, [])
    assert [stops[o.index].id for o in found] == ["FAR"]
    assert 24_000 < found[0].distance_m < 26_000
    assert found[0].median_m < 1_000


def test_stops_around_a_second_depot_are_not_outliers() -> None:
    """Distances count from the nearest depot, so a second depot's stops are at home."""
    lat, lon = _east_of(60)
    home = _grid(20)
    away = _grid(3, lat, lon)
    depots = [Depot("D1", *KREUZBERG), Depot("D2", lat, lon)]
    assert stop_outliers([*home, *away], depots) == ()
    assert len(stop_outliers([*home, *away], depots[:1])) == 3


def test_all_stops_lon_first_without_public_chargers_blames_the_depot(small_dir: Path) -> None:
    """With nothing else in fleet.toml to vouch for the depot, one depot against five stops is
    the likelier mistake: the depot is named (with public chargers near it, the stops are)."""
    with_quirk(small_dir, "stops_all_lon_first.csv")
    fleet = small_dir / "fleet.toml"
    text = fleet.read_text()
    fleet.write_text(text[: text.index('[[chargers]]\nid = "PUB1"')])
    with pytest.raises(InvalidInput) as info:
        read_scenario(small_dir)
    assert (info.value.where.file, info.value.where.line) == (str(fleet), 23)
    assert info.value.message == (
        "depot D1 at (52.499, 13.418) is 5,551 km from stop S03; latitude and longitude look "
        "swapped (13.418, 52.499 is 0.3 km from stop S01)"
    )
