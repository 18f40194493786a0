"""What analytics needs to know of each van beyond its signals: usable battery, mass, consumption.

Energy is the SoC drop times the usable battery, and the energy model's calibration needs each
van's mass and consumption parameters; they come from a fleet file, a catalog vehicle type for
vans the file does not list, or one battery size for all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voltvan.domain import ConsumptionParams
from voltvan.errors import InvalidInput

#: Why energy figures are blank, and what to do: shared by ``derive`` and the reports.
NEEDS_CAPACITY = (
    "energy is the SoC drop times the usable battery capacity, which was unknown when "
    "`voltvan derive` ran: give derive --fleet fleet.toml (the battery of each van's type), "
    "--vehicle-type or --battery-wh, or have the vans send NetCapacity, and run it again"
)


@dataclass(frozen=True, slots=True)
class FleetFacts:
    """Per van id: usable battery (Wh), mass without load (kg), consumption parameters."""

    battery_wh: dict[str, float] = field(default_factory=dict)
    mass_kg: dict[str, float] = field(default_factory=dict)
    consumption: dict[str, ConsumptionParams] = field(default_factory=dict)


def fleet_facts(
    path: Path | None, vehicle_type: str | None = None, vans: Sequence[str] = ()
) -> FleetFacts:
    """The facts of the vans in ``path`` (fleet.toml or its scenario folder), then of ``vans``
    as catalog ``vehicle_type`` (``large``, ``small``, ``twizy``) where the file says nothing."""
    from voltvan.energy import vehicle_mass_kg

    info = FleetFacts()
    if path is not None:
        from voltvan.scenario import read_fleet

        fleet = read_fleet(path)
        types = {t.id: t for t in fleet.vehicle_types}
        for v in fleet.vans:
            vt = types[v.type_id]
            info.battery_wh[v.id] = vt.battery_wh
            info.mass_kg[v.id] = vehicle_mass_kg(vt, 0.0)
            info.consumption[v.id] = vt.consumption
    if vehicle_type is not None:
        from voltvan import catalog

        makers = {"large": catalog.large_van, "small": catalog.small_van, "twizy": catalog.twizy}
        if vehicle_type not in makers:
            raise InvalidInput(
                f"unknown vehicle type {vehicle_type!r} (known: {', '.join(makers)})",
                field="vehicle_type",
            )
        vt = makers[vehicle_type]()
        for van in vans:
            info.battery_wh.setdefault(van, vt.battery_wh)
            info.mass_kg.setdefault(van, vehicle_mass_kg(vt, 0.0))
            info.consumption.setdefault(van, vt.consumption)
    return info


def capacities(info: FleetFacts, battery_wh: float | None, vans: Sequence[str]) -> dict[str, float]:
    """Usable battery per van: the fleet's, else ``battery_wh`` for every van in ``vans``."""
    caps = dict(info.battery_wh)
    if battery_wh is not None:
        if battery_wh <= 0:
            raise InvalidInput(f"must be positive, got {battery_wh}", field="battery_wh")
        for v in vans:
            caps.setdefault(v, battery_wh)
    return caps
