"""Every physical quantity is refused just past its plausible range and accepted inside it."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voltvan.domain import (
    Charger,
    ConsumptionParams,
    Depot,
    Fleet,
    Stop,
    Tariff,
    TariffPeriod,
    Van,
    VehicleType,
)
from voltvan.energy import FIT_BOUNDS
from voltvan.errors import InvalidInput
from voltvan.ranges import RANGES, check_range

DOCS = Path(__file__).resolve().parents[1] / "docs" / "formats" / "scenario.md"
_TYPE = {"battery_wh": 64_000.0, "mass_kg": 2_690.0, "payload_kg": 1_758.0, "volume_m3": 15.1}
_INTEGER = {"connectors", "parcels"}


def _type(**changes: float) -> VehicleType:
    values = {**_TYPE, **changes}
    return VehicleType(
        "t",
        battery_wh=values["battery_wh"],
        mass_kg=values["mass_kg"],
        payload_kg=values["payload_kg"],
        volume_m3=values["volume_m3"],
        **{k: v for k, v in changes.items() if k not in _TYPE},  # type: ignore[arg-type]
    )


def _vehicle_type(key: str) -> Callable[[float], object]:
    return lambda v: _type(**{key: v})


def _fleet(ambient_c: float) -> Fleet:
    return Fleet(
        depots=(Depot("D", 52.5, 13.4),),
        vehicle_types=(_type(),),
        vans=(Van("V", "t", "D"),),
        ambient_c=ambient_c,
    )


#: How to build the owner of each quantity with one value changed (every key of RANGES).
BUILD: dict[str, list[Callable[[float], object]]] = {
    **{k: [_vehicle_type(k)] for k in (*_TYPE, "max_ac_power_w", "max_dc_power_w", "fixed_cost")},
    **{
        k: [lambda v, k=k: ConsumptionParams(**{k: v})]  # type: ignore[misc]
        for k in (
            "drag_coefficient", "frontal_area_m2", "rolling_resistance", "drivetrain_efficiency",
            "regen_efficiency", "auxiliary_w", "hvac_w_per_k", "hvac_max_w", "comfort_c",
            "rotating_mass_factor",
        )
    },
    "site_power_limit_w": [lambda v: Depot("D", 52.5, 13.4, site_power_limit_w=v)],
    "power_w": [lambda v: Charger("C", 52.5, 13.4, power_w=v)],
    "connectors": [lambda v: Charger("C", 52.5, 13.4, power_w=22e3, connectors=int(v))],
    "price_per_kwh": [
        lambda v: Charger("C", 52.5, 13.4, power_w=22e3, price_per_kwh=v),
        lambda v: TariffPeriod(0.0, 3600.0, v),
    ],
    "demand_charge_per_kw": [lambda v: Tariff(demand_charge_per_kw=v)],
    "service_s": [lambda v: Stop("S", 52.5, 13.4, service_s=v)],
    "weight_kg": [lambda v: Stop("S", 52.5, 13.4, weight_kg=v)],
    "stop_volume_m3": [lambda v: Stop("S", 52.5, 13.4, volume_m3=v)],
    "parcels": [lambda v: Stop("S", 52.5, 13.4, parcels=int(v))],
    "ambient_c": [_fleet],
}  # fmt: skip
CASES = [(key, build) for key, builds in BUILD.items() for build in builds]


def _field(key: str) -> str:
    return "volume_m3" if key == "stop_volume_m3" else key


def _past(key: str) -> tuple[float, float]:
    """The nearest values outside the range on either side."""
    r = RANGES[key]
    if key in _INTEGER:
        return r.low - 1, r.high + 1
    return math.nextafter(r.low, -math.inf), math.nextafter(r.high, math.inf)


def test_every_range_has_a_builder() -> None:
    """A quantity added to RANGES without a test of its owner fails here."""
    assert set(BUILD) == set(RANGES)


@pytest.mark.parametrize(("key", "build"), CASES)
def test_bounds_are_accepted_and_just_past_them_refused(
    key: str, build: Callable[[float], object]
) -> None:
    """Both bounds build; the next number outside either is refused naming the field."""
    r = RANGES[key]
    build(r.low)
    build(r.high)
    for value in _past(key):
        with pytest.raises(InvalidInput) as info:
            build(value)
        assert info.value.where.field == _field(key)
        assert f"expected {r.span}" in info.value.message


@given(
    case=st.sampled_from(CASES),
    inside=st.floats(0.0, 1.0),
    outside=st.floats(1e-9, 1e300, allow_subnormal=False),
    below=st.booleans(),
)
def test_any_value_inside_builds_and_any_outside_is_refused(
    case: tuple[str, Callable[[float], object]], inside: float, outside: float, below: bool
) -> None:
    """Values in the range build; values beyond it, by a little or by 1e300, do not."""
    key, build = case
    r = RANGES[key]
    value = r.low + inside * (r.high - r.low)
    build(round(value) if key in _INTEGER else value)
    bad = r.low - outside if below else r.high + outside
    if key in _INTEGER:
        bad = math.floor(bad) if below else math.ceil(bad)
    if r.low <= bad <= r.high:  # too little to change the float (or the integer)
        bad = _past(key)[0 if below else 1]
    with pytest.raises(InvalidInput) as info:
        build(bad)
    assert info.value.where.field == _field(key)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_refused(value: float) -> None:
    """NaN and infinities are refused before any comparison (NaN compares false to everything)."""
    with pytest.raises(InvalidInput, match="must be a finite number") as info:
        ConsumptionParams(drivetrain_efficiency=value)
    assert info.value.where.field == "drivetrain_efficiency"


def test_message_says_what_the_value_is_not_in_plain_words() -> None:
    """The issue's examples: a 1e308 kg van and a 1e-300 efficient drivetrain."""
    with pytest.raises(InvalidInput) as info:
        _type(mass_kg=1e308)
    assert info.value.message == (
        "vehicle type t: mass_kg 1e+308 kg is not a van's mass: expected 300–20,000 kg"
    )
    with pytest.raises(InvalidInput) as info:
        ConsumptionParams(drivetrain_efficiency=1e-300)
    assert info.value.message == (
        "consumption parameters: drivetrain_efficiency 1e-300 is not a drivetrain's "
        "efficiency: expected 0.5–1"
    )


def test_kilo_quantities_are_shown_in_kilo_units() -> None:
    """A battery given in Wh is shown in kWh, as the files and spec sheets speak."""
    with pytest.raises(InvalidInput) as info:
        _type(battery_wh=5e6)
    assert "battery 5,000 kWh is not a van's usable battery: expected 1–1,000 kWh" in str(
        info.value
    )


def test_check_range_refuses_bools() -> None:
    """``True`` is an int to Python, never a quantity to us."""
    with pytest.raises(InvalidInput, match="finite number"):
        check_range(True, "regen_efficiency", owner="x")


def test_energy_fit_bounds_lie_inside_the_plausible_ranges() -> None:
    """A calibrated van must always be a valid van: the fit may never leave the ranges."""
    for key, (low, high) in FIT_BOUNDS.items():
        r = RANGES[key]
        assert r.low <= low and high <= r.high, key


def test_docs_list_every_range() -> None:
    """docs/formats/scenario.md shows each range as the messages do."""
    text = DOCS.read_text(encoding="utf-8")
    for key, r in RANGES.items():
        assert f"| {r.span} |" in text, f"{key}: {r.span} not in {DOCS.name}"
