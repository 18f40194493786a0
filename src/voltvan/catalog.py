"""The default van catalog: real vans, with every number traced to where it comes from.

Battery (usable), kerb mass, payload, cargo volume and charging power come from the OpenEV Data
spec sheets (``open-ev-data/open-ev-data-dataset`` commit 8edb266, Community Data License
Agreement - Permissive 2.0; a copy sits in ``tests/data/real/open-ev-data-vans``). Drag, frontal
area, rolling resistance, efficiencies and auxiliary power are not on spec sheets; their values
and sources are argued in ``docs/energy.md`` (section "Default vans"). The data set has no
110 kWh van (no eSprinter): the large van is the Ford E-Transit with its 64 kWh.
"""

from __future__ import annotations

from voltvan.domain import ConsumptionParams, VehicleType

_OPEN_EV_DATA = (
    "OpenEV Data (open-ev-data/open-ev-data-dataset @8edb266, CDLA-Permissive-2.0), {sheet}"
)

#: Ford E-Transit body: Cd 0.37 class of high-roof panel vans, frontal area 0.9 x 2.06 m width x
#: 2.55 m height; light-truck (C2) tyres; heat pump, hence the moderate HVAC slope.
LARGE_VAN_CONSUMPTION = ConsumptionParams(
    drag_coefficient=0.37,
    frontal_area_m2=4.7,
    rolling_resistance=0.008,
    drivetrain_efficiency=0.88,
    regen_efficiency=0.60,
    auxiliary_w=500.0,
    hvac_w_per_k=110.0,
    hvac_max_w=4_000.0,
    comfort_c=20.0,
    rotating_mass_factor=1.05,
)

#: VW ID. Buzz Cargo: Cd 0.29 (Volkswagen), frontal area 0.9 x 1.985 m x 1.937 m; passenger-car
#: (C1) tyres; smaller cabin, hence a smaller HVAC slope.
SMALL_VAN_CONSUMPTION = ConsumptionParams(
    drag_coefficient=0.29,
    frontal_area_m2=3.46,
    rolling_resistance=0.0075,
    drivetrain_efficiency=0.89,
    regen_efficiency=0.60,
    auxiliary_w=400.0,
    hvac_w_per_k=90.0,
    hvac_max_w=3_500.0,
    comfort_c=20.0,
    rotating_mass_factor=1.05,
)

#: Renault Twizy 80 (no HVAC at all; open sides make it draggy for its size).
TWIZY_CONSUMPTION = ConsumptionParams(
    drag_coefficient=0.64,
    frontal_area_m2=1.48,
    rolling_resistance=0.012,
    drivetrain_efficiency=0.85,
    regen_efficiency=0.50,
    auxiliary_w=120.0,
    hvac_w_per_k=0.0,
    hvac_max_w=0.0,
    comfort_c=20.0,
    rotating_mass_factor=1.05,
)


def large_van() -> VehicleType:
    """Ford E-Transit (2024, 64 kWh usable): the large panel van of the default fleet."""
    return VehicleType(
        id="large",
        name="Ford E-Transit (64 kWh)",
        battery_wh=64_000.0,
        mass_kg=2_690.0,
        payload_kg=1_758.0,
        volume_m3=15.1,
        reserve_fraction=0.10,
        max_ac_power_w=11_300.0,
        max_dc_power_w=115_000.0,
        consumption=LARGE_VAN_CONSUMPTION,
        source=_OPEN_EV_DATA.format(sheet="src/ford/e_transit/2024/e_transit.json"),
    )


def small_van() -> VehicleType:
    """VW ID. Buzz Cargo (2024, 77 kWh usable): the smaller, longer-range van.

    The sheet gives no payload; 650 kg is Volkswagen's published figure for the Cargo.
    """
    return VehicleType(
        id="small",
        name="VW ID. Buzz Cargo (77 kWh)",
        battery_wh=77_000.0,
        mass_kg=2_280.0,
        payload_kg=650.0,
        volume_m3=3.9,
        reserve_fraction=0.10,
        max_ac_power_w=11_000.0,
        max_dc_power_w=135_000.0,
        consumption=SMALL_VAN_CONSUMPTION,
        source=_OPEN_EV_DATA.format(sheet="src/volkswagen/id_buzz/2024/id_buzz_cargo.json")
        + "; payload: Volkswagen Commercial Vehicles",
    )


def twizy() -> VehicleType:
    """Renault Twizy 80, the car of the RSK real-trip data set, for validating the model."""
    return VehicleType(
        id="twizy",
        name="Renault Twizy 80",
        battery_wh=6_100.0,
        mass_kg=474.0,
        payload_kg=110.0,
        volume_m3=0.031,
        reserve_fraction=0.0,
        max_ac_power_w=2_000.0,
        max_dc_power_w=0.0,
        consumption=TWIZY_CONSUMPTION,
        source="Renault Twizy 80 specification (6.1 kWh battery, 474 kg kerb mass incl. battery); "
        "drag and tyres: see docs/energy.md",
    )


def vehicle_types() -> tuple[VehicleType, ...]:
    """The van types a generated scenario uses, large first."""
    return (large_van(), small_van())
