"""A planning day as the planner gets it: the fleet, the stops and, when known, a road matrix.

Checked as a whole because ids must be unique across stops, depots and chargers (the matrix
and every plan name locations by id alone), and a given matrix must cover them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voltvan.domain._checks import _require, _unique
from voltvan.domain._fleet import Fleet
from voltvan.domain._lookup import _by_id
from voltvan.domain._places import Stop


@dataclass(frozen=True, slots=True)
class TravelMatrix:
    """Road distances and times between locations, when the user has them.

    ``ids`` name the rows and columns (depot, stop and charger ids). Without a matrix, the
    travel model derives both from great-circle distance (see :mod:`voltvan.travel`).
    """

    ids: tuple[str, ...]
    distance_m: Sequence[Sequence[float]]
    duration_s: Sequence[Sequence[float]]

    def __post_init__(self) -> None:
        n = len(self.ids)
        _unique("matrix location", list(self.ids))
        for name, m in (("distance_m", self.distance_m), ("duration_s", self.duration_s)):
            _require(
                len(m) == n and all(len(row) == n for row in m),
                f"matrix: {name} must be {n} x {n}",
                name,
            )


@dataclass(frozen=True, slots=True)
class Scenario:
    """One planning day: the fleet, the stops, and optionally a road matrix."""

    fleet: Fleet
    stops: tuple[Stop, ...]
    matrix: TravelMatrix | None = None
    name: str = ""

    def __post_init__(self) -> None:
        _unique("stop", [s.id for s in self.stops])
        clash = {s.id for s in self.stops} & (
            {d.id for d in self.fleet.depots} | {c.id for c in self.fleet.chargers}
        )
        _require(
            not clash,
            f"ids used for both a stop and a depot/charger: {', '.join(sorted(clash))}",
            "id",
        )
        if self.matrix is not None:
            known = set(self.matrix.ids)
            missing = [i for i in self.location_ids() if i not in known]
            _require(
                not missing,
                f"matrix lacks locations: {', '.join(missing[:5])}"
                + (" ..." if len(missing) > 5 else ""),
                "ids",
            )

    def location_ids(self) -> list[str]:
        """Depots, then stops, then chargers: the order every matrix of the planner uses."""
        return (
            [d.id for d in self.fleet.depots]
            + [s.id for s in self.stops]
            + [c.id for c in self.fleet.chargers]
        )

    def stop(self, stop_id: str) -> Stop:
        return _by_id(self.stops, stop_id, "stop")
