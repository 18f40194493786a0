"""Plausible ranges of every physical quantity a scenario holds, and the one check that uses them.

A value can be a finite, positive number and still no van's: ``mass_kg = 1e308`` passes a sign
check, then overflows the integer scaling of the routing engine or turns energies into NaN, and
the planner runs for minutes on nonsense. So each quantity gets a range wide enough for every
real delivery vehicle (from a Renault Twizy to a heavy electric truck) and narrow enough to keep
the arithmetic downstream finite. The reasons sit next to the numbers; the table in
``docs/formats/scenario.md`` repeats them.

This module imports nothing from voltvan but the errors: the domain model builds on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from voltvan.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Range:
    """A closed interval ``[low, high]`` in SI units, shown to people in ``unit``.

    ``per_unit`` is how many SI units make one shown unit (1000 for kWh shown from Wh), ``what``
    completes the sentence "... is not ___", ``why`` says where the bounds come from and
    ``name`` (when given) is how messages call the quantity instead of its field name.
    """

    low: float
    high: float
    unit: str
    what: str
    why: str
    per_unit: float = 1.0
    name: str = ""

    def shown(self, value: float) -> str:
        return f"{_number(value / self.per_unit)} {self.unit}".rstrip()

    @property
    def span(self) -> str:
        """``300–20,000 kg``: the range as the documentation and the messages show it."""
        low, high = _number(self.low / self.per_unit), _number(self.high / self.per_unit)
        return f"{low}{' to ' if self.low < 0 else '–'}{high} {self.unit}".rstrip()


def _number(x: float) -> str:
    """``20,000``, ``0.031``, ``1e+308``: readable for the sizes a person types."""
    if x == int(x) and abs(x) < 1e12:
        return f"{int(x):,}"
    return f"{x:,g}" if 1e-4 <= abs(x) < 1e6 else f"{x:g}"


_TWIZY = "the catalog's Renault Twizy"
_MCS = "the Megawatt Charging System (MCS) for trucks tops out at 3.75 MW"
_KW = {"per_unit": 1000.0}

#: Every checked quantity by its SI field name (tariff periods and chargers share
#: ``price_per_kwh``; a stop's volume is ``stop_volume_m3`` here).
RANGES: Mapping[str, Range] = {
    # vehicle types
    "battery_wh": Range(1e3, 1e6, "kWh", "a van's usable battery", **_KW, name="battery", why=(
        f"{_TWIZY} has 6.1 kWh, the Ford E-Transit 64 kWh (OpenEV Data); the largest electric "
        "trucks carry about 600 kWh (Mercedes eActros 600: 621 kWh)")),
    "mass_kg": Range(300.0, 20_000.0, "kg", "a van's mass", why=(
        f"{_TWIZY} weighs 474 kg, the E-Transit 2,690 kg (OpenEV Data); an empty three-axle "
        "electric truck stays below 20 t")),
    "payload_kg": Range(10.0, 30_000.0, "kg", "a van's payload", why=(
        f"{_TWIZY} takes 110 kg, the E-Transit 1,758 kg (OpenEV Data); no road vehicle a "
        "depot plans takes more than about 30 t")),
    "volume_m3": Range(0.01, 120.0, "m³", "a van's cargo volume", why=(
        f"{_TWIZY}'s boot holds 0.031 m³, the E-Transit 15.1 m³ (OpenEV Data); a 40-tonne "
        "curtain-sided trailer holds 90-120 m³")),
    "max_ac_power_w": Range(
        0.0, 44e3, "kW", "an on-board AC charger's power", **_KW, name="AC charging power",
        why="0 means no AC charging; three-phase AC (IEC 61851) ends at 63 A x 400 V = "
        "43.6 kW, and vans have 7.4-22 kW on board (OpenEV Data)"),
    "max_dc_power_w": Range(
        0.0, 3.75e6, "kW", "a van's DC charging power", **_KW, name="DC charging power",
        why=f"0 means no DC charging (the Twizy); vans take 50-135 kW (OpenEV Data); {_MCS}"),
    "fixed_cost": Range(0.0, 1e6, "", "a cost of using one van on one day", why=(
        "in the tariff's currency; a day's use of a van costs tens to hundreds of euros, and a "
        "million leaves room for any currency while keeping the engine's integers small")),
    # consumption physics (the energy fit's bounds, voltvan.energy.FIT_BOUNDS, lie inside)
    "drag_coefficient": Range(0.15, 1.5, "", "a road vehicle's drag coefficient", why=(
        "streamlined cars reach 0.2, box vans 0.3-0.4, the open Twizy 0.64, trucks 0.6-0.9; "
        "a flat plate is about 1.2")),
    "frontal_area_m2": Range(0.5, 12.0, "m²", "a road vehicle's frontal area", why=(
        "the Twizy has 1.48 m², the high-roof E-Transit 4.7 m²; a truck is at most 2.55 m wide "
        "and 4 m high (EU Directive 96/53/EC), about 10 m²")),
    "rolling_resistance": Range(0.002, 0.05, "", "a tyre's rolling resistance coefficient", why=(
        "the best truck tyres reach 0.004 (EU tyre label class A), car tyres 0.007-0.012; "
        "0.05 is already a tyre on gravel")),
    "drivetrain_efficiency": Range(0.5, 1.0, "", "a drivetrain's efficiency", why=(
        "electric drivetrains turn 80-95 % of battery power into wheel power; below half the "
        "model would describe a fault, not a van")),
    "regen_efficiency": Range(0.0, 1.0, "", "a share of braking energy recovered", why=(
        "a share: 0 (no regeneration) to 1")),
    "auxiliary_w": Range(0.0, 20_000.0, "W", "a van's auxiliary power", why=(
        "lights, electronics and pumps draw 0.3-1 kW; a refrigeration unit adds 3-8 kW")),
    "hvac_w_per_k": Range(0.0, 1_000.0, "W/K", "a cabin's climate power per kelvin", why=(
        "van cabins need 90-180 W per kelvin (docs/energy.md), a city bus about 1 kW")),
    "hvac_max_w": Range(0.0, 40_000.0, "W", "a van's heating or cooling power", why=(
        "van heat pumps deliver 3.5-5 kW, a city bus's climate system up to 30-40 kW")),
    "comfort_c": Range(10.0, 30.0, "°C", "a cabin temperature", why=(
        "cabins are kept at about 18-24 °C; 10 and 30 leave room either side")),
    "rotating_mass_factor": Range(1.0, 1.5, "", "a rotating-mass factor", why=(
        "wheels and motor add 3-10 % to the mass a van accelerates; 1.5 is far beyond any")),
    # depots, chargers, tariff
    "site_power_limit_w": Range(
        1e3, 5e8, "kW", "a depot's grid connection", **_KW, name="site power limit",
        why="from a 1 kW share of a building's supply to the 10-50 MW the largest bus depots "
        "draw, with a margin of ten"),
    "power_w": Range(
        1e3, 3.75e6, "kW", "a charger's power per connector", **_KW, name="charger power",
        why=f"a household socket gives 1.4 kW (Mode 2, 230 V x 6 A); {_MCS}"),
    "connectors": Range(1.0, 500.0, "", "a charger's number of connectors", why=(
        "one entry is one charging point or bank; the largest depots have a few hundred plugs, "
        "best written as several entries")),
    "price_per_kwh": Range(0.0, 1_000.0, "", "a price per kWh", why=(
        "in the tariff's currency: 0.2-0.8 EUR per kWh at depots and public chargers, hundreds "
        "in currencies with small units (HUF, JPY)")),
    "demand_charge_per_kw": Range(0.0, 10_000.0, "", "a demand charge per kW", why=(
        "in the tariff's currency: grid operators charge 5-200 EUR per kW of peak power and "
        "billing period")),
    # stops
    "service_s": Range(0.0, 12 * 3600.0, "s", "a time spent at one stop", why=(
        "a driver's working day ends after 12-13 hours at most (EU Regulation 561/2006, "
        "Directive 2002/15/EC); no one stop takes longer")),
    "weight_kg": Range(0.0, 30_000.0, "kg", "a weight delivered at one stop", why=(
        "no more than the largest payload; reading also refuses a stop heavier than every "
        "vehicle type of the fleet")),
    "stop_volume_m3": Range(0.0, 120.0, "m³", "a volume delivered at one stop", why=(
        "no more than the largest cargo volume; reading also refuses a stop bulkier than every "
        "vehicle type of the fleet"), name="volume_m3"),
    "parcels": Range(0.0, 100_000.0, "", "a number of parcels at one stop", why=(
        "a van carries a few hundred parcels, a truck to a distribution centre a few thousand")),
    # weather
    "ambient_c": Range(-50.0, 60.0, "°C", "an outdoor temperature", why=(
        "the coldest and hottest air of any delivery day (-50 °C in Siberian winters, 54 °C "
        "in Death Valley)")),
}  # fmt: skip


def check_range(value: float, key: str, *, owner: str, field: str | None = None) -> None:
    """Refuse ``value`` unless it is a finite number inside ``RANGES[key]``, naming the field.

    ``field`` is the name the error carries when it differs from ``key`` (a stop's
    ``volume_m3`` is checked against ``stop_volume_m3``).
    """
    r = RANGES[key]
    name = field or key
    label = r.name or name
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok:
        raise InvalidInput(f"{owner}: {label} must be a finite number, got {value!r}", field=name)
    if not r.low <= value <= r.high:
        raise InvalidInput(
            f"{owner}: {label} {r.shown(value)} is not {r.what}: expected {r.span}", field=name
        )
