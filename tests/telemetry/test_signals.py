"""The signal catalog: VSS names, types, units and ranges from the shipped VSS 6.0 subset."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import data_path
from voltvan.telemetry import get_signal, signal_catalog


def test_catalog_covers_the_signals_the_issue_names() -> None:
    """Position, speed, odometer, SoC, energy, charging, temperature and payload are there."""
    names = set(signal_catalog())
    for name in (
        "Vehicle.CurrentLocation.Latitude",
        "Vehicle.CurrentLocation.Longitude",
        "Vehicle.CurrentLocation.Altitude",
        "Vehicle.CurrentLocation.Heading",
        "Vehicle.Speed",
        "Vehicle.TraveledDistance",
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
        "Vehicle.Powertrain.TractionBattery.NetCapacity",
        "Vehicle.Powertrain.TractionBattery.Temperature.Average",
        "Vehicle.Powertrain.TractionBattery.Charging.IsCharging",
        "Vehicle.Powertrain.TractionBattery.CurrentPower",
        "Vehicle.Exterior.AirTemperature",
        "Vehicle.CurrentOverallWeight",
    ):
        assert name in names


def test_ranges_come_from_vss_and_datatype() -> None:
    """Latitude keeps VSS's [-90, 90]; a uint32 odometer cannot be negative; SoC is percent."""
    lat = get_signal("Vehicle.CurrentLocation.Latitude")
    odo = get_signal("Vehicle.TraveledDistance")
    soc = get_signal("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current")
    assert lat is not None and (lat.min, lat.max) == (-90.0, 90.0)
    assert odo is not None and odo.min == 0.0 and odo.max == 2**32 - 1 and odo.is_integer
    assert soc is not None and soc.unit == "percent" and soc.to_si(50.0) == pytest.approx(0.5)
    assert get_signal("Vehicle.Nonsense") is None


def test_speed_has_a_plausibility_bound_and_si_conversion() -> None:
    """VSS gives speed no bound; voltvan adds one so corrupt values are refused."""
    speed = get_signal("Vehicle.Speed")
    assert speed is not None and speed.max is not None and speed.max <= 400
    assert speed.to_si(36.0) == pytest.approx(10.0)


def test_subset_matches_the_vss_csv() -> None:
    """Every packaged entry has the datatype and unit of the VSS 6.0 CSV it was copied from."""
    path = data_path("real", "covesa-vss-6.0", "vss_6.0.csv")
    with path.open(newline="") as fh:
        rows = {r["Signal"]: r for r in csv.DictReader(fh)}
    for name, sig in signal_catalog().items():
        assert rows[name]["DataType"] == sig.datatype, name
        assert (rows[name]["Unit"] or None) == sig.unit, name
