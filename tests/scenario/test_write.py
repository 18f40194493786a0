"""Writing scenarios: a write-read round trip gives back an equal scenario, exactly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Scenario,
    Stop,
    Tariff,
    TariffPeriod,
    TimeWindow,
    TravelMatrix,
    Van,
    VehicleType,
)
from voltvan.errors import InvalidInput
from voltvan.scenario import read_scenario, write_scenario


def _awkward() -> Scenario:
    """Values that do not fit human units: odd Wh, fractional seconds, night shifts."""
    vt = VehicleType(
        id="odd",
        battery_wh=68_123.4567,
        mass_kg=2_600.5,
        payload_kg=999.9,
        volume_m3=11.75,
        max_ac_power_w=7_400.0,
        max_dc_power_w=49_999.0,
    )
    depot = Depot(id="D", lat=52.123456789, lon=13.987654321, site_power_limit_w=123_456.7)
    stops = (
        Stop("A", 52.1, 13.1, (TimeWindow(8 * 3600 + 0.25, 10 * 3600 + 1.5),), 61.5, 0.3, 0.001),
        Stop("B", 52.2, 13.2, (TimeWindow(22 * 3600, 26 * 3600),), 0.0, 0.0, 0.0),
        Stop("C", 52.3, 13.3),
    )
    chargers = (
        Charger("P", 52.0, 13.0, 50_001.0, 3, price_per_kwh=0.123),
        Charger("Q", 52.0, 13.0, 22_000.0, 1, kind="depot", current="AC", depot_id="D"),
    )
    fleet = Fleet(
        depots=(depot,),
        vehicle_types=(vt,),
        vans=(Van("V", "odd", "D", TimeWindow(20 * 3600, 30 * 3600 + 17), 0.437),),
        chargers=chargers,
        tariff=Tariff((TariffPeriod(0, 7 * 3600 + 30, 0.1234),), demand_charge_per_kw=7.5),
        ambient_c=-7.25,
        date="2026-12-24",
    )
    return Scenario(fleet=fleet, stops=stops, name="awkward")


def test_round_trip_is_exact_for_awkward_values(tmp_path: Path) -> None:
    """Odd Wh, fractional seconds and windows past midnight survive write and read exactly."""
    sc = _awkward()
    write_scenario(sc, tmp_path / "s")
    assert read_scenario(tmp_path / "s") == sc


def test_round_trip_of_hand_written_scenario(small_dir: Path, tmp_path: Path) -> None:
    """Reading, writing and reading the hand-written scenario gives the same scenario."""
    sc = read_scenario(small_dir)
    write_scenario(sc, tmp_path / "again")
    assert read_scenario(tmp_path / "again") == sc


def test_round_trip_with_matrix(tmp_path: Path) -> None:
    """A road matrix is written as matrix.csv, named in fleet.toml and read back."""
    sc = _awkward()
    ids = tuple(sc.location_ids())
    n = len(ids)
    dist = [[0.0 if i == j else 1000.5 * (i + 1) + j for j in range(n)] for i in range(n)]
    dur = [[0.0 if i == j else 60.25 * (i + 1) + j for j in range(n)] for i in range(n)]
    sc = dataclasses.replace(sc, matrix=TravelMatrix(ids, dist, dur))
    write_scenario(sc, tmp_path / "m")
    assert 'matrix_file = "matrix.csv"' in (tmp_path / "m" / "fleet.toml").read_text()
    assert read_scenario(tmp_path / "m") == sc


def test_written_files_use_human_units(tmp_path: Path) -> None:
    """Round numbers are written as kWh, kW and HH:MM, which is what people read."""
    sc = _awkward()
    vt = dataclasses.replace(sc.fleet.vehicle_types[0], battery_wh=64_000.0)
    sc = dataclasses.replace(sc, fleet=dataclasses.replace(sc.fleet, vehicle_types=(vt,)))
    write_scenario(sc, tmp_path / "h")
    text = (tmp_path / "h" / "fleet.toml").read_text()
    assert "battery_kwh = 64\n" in text
    assert 'shift_start = "20:00"' in text
    stops = (tmp_path / "h" / "stops.csv").read_text().splitlines()
    assert stops[0] == "id,lat,lon,tw_start,tw_end,service_s,weight_kg,volume_m3"
    assert stops[2].startswith("B,52.2,13.2,22:00,26:00,")


def test_writing_onto_a_file_is_refused(tmp_path: Path) -> None:
    """An --out that is an existing file is bad input naming it, not an OSError."""
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(InvalidInput, match="exists and is not a folder") as info:
        write_scenario(_awkward(), target)
    assert info.value.where.file == str(target)
