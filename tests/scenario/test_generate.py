"""The city-day generator: reproducible, realistic, and sized so that the day can be planned."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from voltvan.catalog import large_van, small_van
from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.scenario import BERLIN, generate_scenario, summarize, window_kind, write_scenario
from voltvan.travel import build_matrices, haversine_m

CENTRE = (52.520, 13.405)  # Berlin-Mitte


@pytest.fixture(scope="module")
def city_day() -> Scenario:
    """A 1,000-stop, 30-van mild day (seed 11)."""
    return generate_scenario(num_stops=1000, num_vans=30, seed=11)


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    """Two runs with one seed write byte-identical files; another seed differs."""
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        write_scenario(generate_scenario(num_stops=200, num_vans=8, seed=seed), tmp_path / name)
    for f in ("fleet.toml", "stops.csv"):
        assert filecmp.cmp(tmp_path / "a" / f, tmp_path / "b" / f, shallow=False)
    assert not filecmp.cmp(
        tmp_path / "a" / "stops.csv", tmp_path / "c" / "stops.csv", shallow=False
    )


def test_everything_lies_in_the_city_frame(city_day: Scenario) -> None:
    """Stops, chargers and the depot are all inside the Berlin frame."""
    fleet = city_day.fleet
    places = [(p.lat, p.lon) for p in city_day.stops]
    places += [(p.lat, p.lon) for p in fleet.chargers] + [(p.lat, p.lon) for p in fleet.depots]
    assert all(BERLIN.contains(lat, lon) for lat, lon in places)


def test_depot_sits_at_the_city_edge(city_day: Scenario) -> None:
    """The depot is farther from the centre than nine in ten stops."""
    d = city_day.fleet.depots[0]
    lat = np.array([s.lat for s in city_day.stops])
    lon = np.array([s.lon for s in city_day.stops])
    from_centre = haversine_m(lat, lon, *CENTRE)
    assert float(haversine_m(d.lat, d.lon, *CENTRE)) > np.percentile(from_centre, 90)


def test_stops_are_denser_in_the_centre(city_day: Scenario) -> None:
    """Neighbours are closer in the centre than in the outskirts, and close like on streets."""
    lat = np.array([s.lat for s in city_day.stops])
    lon = np.array([s.lon for s in city_day.stops])
    dist = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(dist, np.inf)
    nearest = dist.min(axis=1)
    from_centre = haversine_m(lat, lon, *CENTRE)
    inner = np.median(nearest[from_centre < 3_000])
    outer = np.median(nearest[from_centre > 8_000])
    assert inner < 250 < outer
    assert len(set(zip(lat, lon, strict=True))) == len(lat)  # no two stops on one spot


def test_window_mix(city_day: Scenario) -> None:
    """About 30 % business all-day (a few with two windows), 40 % slots, 30 % any time."""
    kinds = Counter(window_kind(s) for s in city_day.stops)
    n = len(city_day.stops)
    assert (kinds["all-day"] + kinds["two windows"]) / n == pytest.approx(0.30, abs=0.01)
    assert kinds["slot"] / n == pytest.approx(0.40, abs=0.01)
    assert kinds["any"] / n == pytest.approx(0.30, abs=0.01)
    assert 0 < kinds["two windows"] < 0.1 * n
    slots = [s.time_windows[0] for s in city_day.stops if window_kind(s) == "slot"]
    assert all(w.duration_s == 2 * 3600 for w in slots)
    assert min(w.start_s for w in slots) >= 8 * 3600
    assert max(w.end_s for w in slots) <= 20 * 3600
    shift = city_day.fleet.vans[0].shift
    assert shift.start_s <= 8 * 3600 and shift.end_s >= 20 * 3600


def test_parcels_and_service_times(city_day: Scenario) -> None:
    """Weights and volumes are positive with a long tail; service is 1-7 minutes."""
    w = np.array([s.weight_kg for s in city_day.stops])
    v = np.array([s.volume_m3 for s in city_day.stops])
    service = np.array([s.service_s for s in city_day.stops])
    assert (w > 0).all() and (v > 0).all()
    assert np.median(w) < 10 and w.max() > 50  # mostly parcels, a few heavy consignments
    assert service.min() >= 60 and service.max() <= 420
    business = [s.service_s for s in city_day.stops if window_kind(s) in ("all-day", "two windows")]
    others = [s.service_s for s in city_day.stops if window_kind(s) in ("slot", "any")]
    assert np.mean(business) > np.mean(others)


def test_demand_fits_the_fleet(city_day: Scenario) -> None:
    """Total weight and volume stay below the fleet's capacity; every stop fits the small van."""
    s = summarize(city_day)
    assert s.weight_share < 0.75 and s.volume_share < 0.75
    small = small_van()
    assert all(x.weight_kg <= small.payload_kg for x in city_day.stops)
    assert all(x.volume_m3 <= small.volume_m3 for x in city_day.stops)


def test_tight_fleet_gets_demand_scaled_down() -> None:
    """With very few vans for many stops, parcels are scaled so demand stays within capacity."""
    s = summarize(generate_scenario(num_stops=1500, num_vans=10, seed=2, large_share=0.0))
    assert s.volume_share <= 0.71 and s.weight_share <= 0.71


def test_fleet_types_and_chargers(city_day: Scenario) -> None:
    """Catalog vans, 6-12 public DC sites of 50-150 kW, a 22 kW AC socket per van, a site limit."""
    fleet = city_day.fleet
    assert fleet.vehicle_types == (large_van(), small_van())
    by_type = Counter(v.type_id for v in fleet.vans)
    assert by_type == {"large": 18, "small": 12}
    public = fleet.public_chargers
    assert 6 <= len(public) <= 12
    assert all(c.current == "DC" and 50_000 <= c.power_w <= 150_000 for c in public)
    depot = [c for c in fleet.chargers if c.kind == "depot"]
    assert all(c.current == "AC" and c.power_w == 22_000 for c in depot)
    assert sum(c.connectors for c in depot) == len(fleet.vans)
    limit = fleet.depots[0].site_power_limit_w
    assert limit is not None and limit < 22_000 * len(fleet.vans)
    prices = [p.price_per_kwh for p in fleet.tariff.periods]
    assert min(prices) < max(prices)  # time of use


@pytest.mark.parametrize(("day", "ambient_c"), [("mild", 15.0), ("cold", -5.0)])
def test_day_sets_temperature(day: str, ambient_c: float) -> None:
    """A cold day is -5 °C in January, a mild one 15 °C in April."""
    sc = generate_scenario(num_stops=20, num_vans=2, seed=1, day=day)
    assert sc.fleet.ambient_c == ambient_c
    assert sc.fleet.date.startswith("2026-01" if day == "cold" else "2026-04")


def test_generated_day_round_trips(tmp_path: Path) -> None:
    """A generated day survives write and read exactly."""
    from voltvan.scenario import read_scenario

    sc = generate_scenario(num_stops=300, num_vans=10, seed=4, day="cold")
    write_scenario(sc, tmp_path / "d")
    assert read_scenario(tmp_path / "d") == sc


def test_travel_matrix_of_a_large_day() -> None:
    """The travel model covers a 2,000-stop day: square, zero diagonal, urban-scale legs."""
    sc = generate_scenario(num_stops=2000, num_vans=60, seed=9)
    m = build_matrices(sc)
    n = len(sc.location_ids())
    assert m.distance_m.shape == (n, n) == m.duration_s.shape
    assert float(m.distance_m.max()) < 60_000
    assert float(np.median(m.duration_s)) < 3_600


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"num_stops": 0, "num_vans": 1}, "num_stops"),
        ({"num_stops": 10, "num_vans": 0}, "num_vans"),
        ({"num_stops": 1000, "num_vans": 2}, "num_vans"),
        ({"num_stops": 10, "num_vans": 1, "day": "hot"}, "day"),
    ],
)
def test_impossible_requests_name_the_argument(kwargs: dict[str, object], field: str) -> None:
    """Asking for no stops, no vans, far too few vans or an unknown day is InvalidInput."""
    with pytest.raises(InvalidInput) as info:
        generate_scenario(seed=1, **kwargs)  # type: ignore[arg-type]
    assert info.value.where.field == field
