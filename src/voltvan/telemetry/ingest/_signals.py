"""The signal catalog: which COVESA VSS 6.0 signals voltvan accepts, with type, unit and range.

The catalog is a subset of the VSS 6.0 catalogue shipped in the package as ``vss_subset.json``
(MPL-2.0, see ``vss_LICENSE.MPL-2.0.txt``), so nothing outside the package is read at run time.
Values are stored in the VSS unit of each signal (``Vehicle.Speed`` in km/h, SoC in percent):
that keeps the stored data readable by any VSS tool. :meth:`Signal.to_si` converts at the edge
where SI is needed. Where VSS gives no bound, voltvan adds a plausibility range (``plausible_*``
in the JSON) so that a corrupt value such as a speed of 10^9 km/h never reaches the tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

#: The VSS names voltvan's own code reads (analytics, live view, log import).
SPEED = "Vehicle.Speed"
LATITUDE = "Vehicle.CurrentLocation.Latitude"
LONGITUDE = "Vehicle.CurrentLocation.Longitude"
ALTITUDE = "Vehicle.CurrentLocation.Altitude"
ODOMETER = "Vehicle.TraveledDistance"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
ENERGY_KWH = "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy"
BATTERY_POWER = "Vehicle.Powertrain.TractionBattery.CurrentPower"
IS_CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"
AIR_TEMPERATURE = "Vehicle.Exterior.AirTemperature"

ValueKind = Literal["number", "boolean", "string"]

_INTEGER_BOUNDS: dict[str, tuple[int, int]] = {
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
_FLOAT_TYPES = frozenset({"float", "double"})

# Factor from the VSS unit to SI (value_si = value * factor + offset).
_TO_SI: dict[str | None, tuple[float, float]] = {
    "km/h": (1 / 3.6, 0.0),
    "percent": (0.01, 0.0),
    "kWh": (3.6e6, 0.0),
    "kW": (1e3, 0.0),
    "Celsius": (1.0, 0.0),
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One VSS signal as voltvan validates it; ``min``/``max`` are the effective bounds."""

    name: str
    group: str
    datatype: str
    unit: str | None
    min: float | None
    max: float | None
    allowed: tuple[str, ...] | None
    description: str

    @property
    def kind(self) -> ValueKind:
        if self.datatype == "boolean":
            return "boolean"
        if self.datatype == "string":
            return "string"
        return "number"

    @property
    def is_integer(self) -> bool:
        return self.datatype in _INTEGER_BOUNDS

    def to_si(self, value: float) -> float:
        """The value in SI (m/s, fraction, J, W, °C): for the energy model and the planner."""
        factor, offset = _TO_SI.get(self.unit, (1.0, 0.0))
        return value * factor + offset


def _bound(*candidates: float | None, tightest: str) -> float | None:
    present = [c for c in candidates if c is not None]
    if not present:
        return None
    return max(present) if tightest == "max" else min(present)


def _signal_from_json(name: str, raw: Mapping[str, object]) -> Signal:
    datatype = str(raw["datatype"])
    type_lo, type_hi = _INTEGER_BOUNDS.get(datatype, (None, None))
    vss_min, vss_max = raw.get("min"), raw.get("max")
    p_min, p_max = raw.get("plausible_min"), raw.get("plausible_max")
    lo = vss_min if vss_min is not None else p_min
    hi = vss_max if vss_max is not None else p_max
    allowed = raw.get("allowed")
    unit = raw.get("unit")
    return Signal(
        name=name,
        group=str(raw["group"]),
        datatype=datatype,
        unit=str(unit) if unit is not None else None,
        min=_bound(_as_float(lo), _as_float(type_lo), tightest="max"),
        max=_bound(_as_float(hi), _as_float(type_hi), tightest="min"),
        allowed=tuple(str(a) for a in allowed) if isinstance(allowed, list) else None,
        description=str(raw.get("description", "")),
    )


def _is_numeric(sig: Signal) -> bool:
    return sig.datatype in _INTEGER_BOUNDS or sig.datatype in _FLOAT_TYPES


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@cache
def signal_catalog() -> Mapping[str, Signal]:
    """Every accepted signal by VSS name (read once from the packaged JSON)."""
    text = (
        resources.files("voltvan.telemetry.ingest").joinpath("vss_subset.json").read_text("utf-8")
    )
    data = json.loads(text)
    signals = {name: _signal_from_json(name, raw) for name, raw in data["signals"].items()}
    unknown = [s.name for s in signals.values() if s.kind == "number" and not _is_numeric(s)]
    assert not unknown, f"catalog has numeric signals of unknown datatype: {unknown}"
    return MappingProxyType(signals)


@cache
def signal_names() -> tuple[str, ...]:
    """Catalog names in a fixed order: a row's signal is stored as its index while batching."""
    return tuple(signal_catalog())


@cache
def signal_codes() -> Mapping[str, int]:
    return MappingProxyType({name: i for i, name in enumerate(signal_names())})


def get_signal(name: str) -> Signal | None:
    """The catalog entry of ``name``, or None for a name voltvan does not accept."""
    return signal_catalog().get(name)


VSS_VERSION = "6.0"
