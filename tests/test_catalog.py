"""The default van catalog: sheet values, sources, and plausible urban consumption."""

from __future__ import annotations

import json

import pytest

from tests.conftest import data_path
from voltvan.catalog import large_van, small_van, twizy, vehicle_types
from voltvan.domain import VehicleType
from voltvan.energy import leg_energy_wh, vehicle_mass_kg

URBAN_LEG = {"distance_m": 10_000.0, "duration_s": 10_000.0 / (25.0 / 3.6)}


def _urban_wh_per_km(van: VehicleType, ambient_c: float) -> float:
    mass_kg = vehicle_mass_kg(van, van.payload_kg / 2)
    return leg_energy_wh(van.consumption, mass_kg=mass_kg, ambient_c=ambient_c, **URBAN_LEG) / 10


@pytest.mark.parametrize(
    ("van", "sheet"),
    [
        (large_van(), ("ford", "e_transit", "2024", "e_transit.json")),
        (small_van(), ("volkswagen", "id_buzz", "2024", "id_buzz_cargo.json")),
    ],
)
def test_catalog_values_are_the_spec_sheet(van: VehicleType, sheet: tuple[str, ...]) -> None:
    """Usable battery, kerb mass, cargo volume and AC/DC power equal the cited OpenEV sheet."""
    data = json.loads(data_path("real", "open-ev-data-vans", "src", *sheet).read_text())
    assert van.battery_wh == data["battery"]["pack_capacity_kwh_net"] * 1_000
    assert van.mass_kg == data["weights"]["curb_weight_kg"]
    assert van.volume_m3 == pytest.approx(data["capacity"]["cargo_l"] / 1_000)
    assert van.max_ac_power_w == pytest.approx(data["charging"]["ac"]["max_power_kw"] * 1_000)
    assert van.max_dc_power_w == pytest.approx(data["charging"]["dc"]["max_power_kw"] * 1_000)
    if "max_payload_kg" in data["weights"]:
        assert van.payload_kg == data["weights"]["max_payload_kg"]
    assert "/".join(sheet) in van.source and "CDLA-Permissive-2.0" in van.source


def test_vehicle_types_are_large_then_small_with_distinct_ids() -> None:
    """The default fleet has the large van first, then the small one, ids unique."""
    types = vehicle_types()
    assert [t.id for t in types] == ["large", "small"]
    assert types[0].payload_kg > types[1].payload_kg
    assert types[0].volume_m3 > types[1].volume_m3


def test_large_van_urban_consumption_is_plausible() -> None:
    """10 km at 25 km/h, half payload, 20 °C: 240-350 Wh/km (measured 250)."""
    assert 240.0 <= _urban_wh_per_km(large_van(), 20.0) <= 350.0


def test_small_van_urban_consumption_is_plausible() -> None:
    """Same leg for the ID. Buzz Cargo: 165-250 Wh/km (measured 173)."""
    assert 165.0 <= _urban_wh_per_km(small_van(), 20.0) <= 250.0


@pytest.mark.parametrize("make", [large_van, small_van])
def test_cold_day_costs_noticeably_more(make: object) -> None:
    """At -5 °C the urban leg costs at least 30 % more than at 20 °C (heating)."""
    van = make()  # type: ignore[operator]
    assert _urban_wh_per_km(van, -5.0) > 1.3 * _urban_wh_per_km(van, 20.0)


def test_twizy_has_no_hvac_and_its_battery() -> None:
    """The Twizy has its 6.1 kWh and no HVAC: cold costs it only the drag of denser air."""
    car = twizy()
    assert car.battery_wh == 6_100.0
    assert car.consumption.hvac_w_per_k == 0.0
    cold, mild = _urban_wh_per_km(car, -5.0), _urban_wh_per_km(car, 20.0)
    assert mild < cold < 1.05 * mild
