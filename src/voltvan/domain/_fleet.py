"""The fleet of one planning day: depots, van models, vans, chargers and the tariff, cross-checked.

Each part is valid on its own; only together can one see that a van names a van model or a
depot that does not exist, or that two vans share an id. Those checks live here, once, so every
layer above may look things up by id without guarding.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain._checks import _require, _unique
from voltvan.domain._lookup import _by_id
from voltvan.domain._places import Charger, Depot
from voltvan.domain._tariff import Tariff
from voltvan.domain._vehicles import Van, VehicleType
from voltvan.ranges import check_range


@dataclass(frozen=True, slots=True)
class Fleet:
    """Depots, vehicle types, vans and chargers of one planning day, cross-checked."""

    depots: tuple[Depot, ...]
    vehicle_types: tuple[VehicleType, ...]
    vans: tuple[Van, ...]
    chargers: tuple[Charger, ...] = ()
    tariff: Tariff = Tariff()
    ambient_c: float = 15.0
    date: str = ""

    def __post_init__(self) -> None:
        _require(len(self.depots) > 0, "fleet needs at least one depot", "depots")
        _require(
            len(self.vehicle_types) > 0, "fleet needs at least one vehicle type", "vehicle_types"
        )
        _require(len(self.vans) > 0, "fleet needs at least one van", "vans")
        check_range(self.ambient_c, "ambient_c", owner="fleet")
        for kind, items in (
            ("depot", self.depots),
            ("vehicle type", self.vehicle_types),
            ("van", self.vans),
            ("charger", self.chargers),
        ):
            _unique(kind, [i.id for i in items])
        depot_ids = {d.id for d in self.depots}
        type_ids = {t.id for t in self.vehicle_types}
        for van in self.vans:
            _require(
                van.type_id in type_ids,
                f"van {van.id}: unknown vehicle type {van.type_id!r} "
                f"(known: {', '.join(sorted(type_ids))})",
                "type",
            )
            _require(
                van.depot_id in depot_ids, f"van {van.id}: unknown depot {van.depot_id!r}", "depot"
            )
        for ch in self.chargers:
            if ch.depot_id is not None:
                _require(
                    ch.depot_id in depot_ids,
                    f"charger {ch.id}: unknown depot {ch.depot_id!r}",
                    "depot_id",
                )

    def vehicle_type(self, type_id: str) -> VehicleType:
        return _by_id(self.vehicle_types, type_id, "vehicle type")

    def depot(self, depot_id: str) -> Depot:
        return _by_id(self.depots, depot_id, "depot")

    def van(self, van_id: str) -> Van:
        return _by_id(self.vans, van_id, "van")

    def type_of(self, van: Van) -> VehicleType:
        return self.vehicle_type(van.type_id)

    @property
    def public_chargers(self) -> tuple[Charger, ...]:
        return tuple(c for c in self.chargers if c.kind == "public")
