"""Vans: the model of a van (battery, mass, cargo, charging limits, physics) and each real van.

A van model is shared by many vans, so its numbers are checked once here; a van only adds
where it sleeps, when its driver works and how full its battery starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from voltvan.domain._checks import _fraction, _require
from voltvan.domain._time import TimeWindow
from voltvan.ranges import check_range

CurrentKind = Literal["AC", "DC"]


@dataclass(frozen=True, slots=True)
class ConsumptionParams:
    """Physical parameters of a van's energy use; the equations live in :mod:`voltvan.energy`.

    Defaults are those of a large (3.5 t class) electric panel van; see ``docs/energy.md`` for
    sources. ``hvac_w_per_k`` grows the HVAC power with the distance of the ambient temperature
    from ``comfort_c``.
    """

    drag_coefficient: float = 0.36
    frontal_area_m2: float = 4.5
    rolling_resistance: float = 0.009
    drivetrain_efficiency: float = 0.88
    regen_efficiency: float = 0.60
    auxiliary_w: float = 600.0
    hvac_w_per_k: float = 180.0
    hvac_max_w: float = 5_000.0
    comfort_c: float = 20.0
    rotating_mass_factor: float = 1.05

    def __post_init__(self) -> None:
        for name in (
            "drag_coefficient",
            "frontal_area_m2",
            "rolling_resistance",
            "drivetrain_efficiency",
            "regen_efficiency",
            "auxiliary_w",
            "hvac_w_per_k",
            "hvac_max_w",
            "comfort_c",
            "rotating_mass_factor",
        ):
            check_range(getattr(self, name), name, owner="consumption parameters")


@dataclass(frozen=True, slots=True)
class VehicleType:
    """A van model: battery, mass, cargo space, charging limits and consumption physics."""

    id: str
    battery_wh: float
    mass_kg: float
    payload_kg: float
    volume_m3: float
    reserve_fraction: float = 0.10
    max_ac_power_w: float = 11_000.0
    max_dc_power_w: float = 50_000.0
    consumption: ConsumptionParams = field(default_factory=ConsumptionParams)
    name: str = ""
    source: str = ""
    fixed_cost: float = 0.0

    def __post_init__(self) -> None:
        owner = f"vehicle type {self.id}"
        _require(bool(self.id), "vehicle type id must not be empty", "id")
        for name in ("battery_wh", "mass_kg", "payload_kg", "volume_m3"):
            check_range(getattr(self, name), name, owner=owner)
        _require(
            0.0 <= self.reserve_fraction < 1.0,
            f"{owner}: reserve_fraction must lie in [0, 1), got {self.reserve_fraction}",
            "reserve_fraction",
        )
        for name in ("max_ac_power_w", "max_dc_power_w", "fixed_cost"):
            check_range(getattr(self, name), name, owner=owner)

    @property
    def reserve_wh(self) -> float:
        """Energy that must stay in the battery at every point of a route."""
        return self.battery_wh * self.reserve_fraction

    def max_power_w(self, current: CurrentKind) -> float:
        return self.max_dc_power_w if current == "DC" else self.max_ac_power_w


@dataclass(frozen=True, slots=True)
class Van:
    """One physical van of the fleet on the planning day."""

    id: str
    type_id: str
    depot_id: str
    shift: TimeWindow = TimeWindow(7 * 3600.0, 19 * 3600.0)
    start_soc: float = 1.0

    def __post_init__(self) -> None:
        owner = f"van {self.id}"
        _require(bool(self.id), "van id must not be empty", "id")
        _fraction(self.start_soc, "start_soc", owner=owner)
