"""Where a route re-planned during the day begins, and what a van loads where.

A route made before the day starts at the depot with every parcel on board. A route re-planned
during the day begins where the van is (its :class:`Origin`) and may go back to the depot for a
second trip: each parcel is loaded at the start or the last ``reload`` before its stop, and a
reload waits until the last of its parcels is at the depot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from voltvan.domain import Stop
from voltvan.plan import VisitKind

RELOAD_S = 900.0
"""Time to load parcels at the depot on a ``reload`` visit (a second trip of the day)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a van re-planned during the day continues from, and its state there.

    ``carried_kg``/``carried_m3`` are parcels on board that this remainder does not deliver
    (failed deliveries riding back to the depot); ``ready_s`` says from when a parcel loaded at
    a ``reload`` visit is at the depot (parcels not listed are there all day).
    """

    location_id: str
    time_s: float
    energy_wh: float
    carried_kg: float = 0.0
    carried_m3: float = 0.0
    ready_s: Mapping[str, float] = field(default_factory=dict)


def trip_loads(
    stops: Mapping[str, Stop], places: Sequence[tuple[VisitKind, str]]
) -> dict[int, tuple[float, float]]:
    """Cargo loaded at the start (index 0) and at each reload: the stops up to the next reload."""
    out: dict[int, tuple[float, float]] = {0: (0.0, 0.0)}
    at = 0
    for k, (kind, loc) in enumerate(places):
        if kind == "reload":
            at = k
            out[k] = (0.0, 0.0)
        elif kind == "stop":
            kg, m3 = out[at]
            out[at] = (kg + stops[loc].weight_kg, m3 + stops[loc].volume_m3)
    return out


def reload_ready(places: Sequence[tuple[VisitKind, str]], origin: Origin) -> dict[int, float]:
    """For each reload, when the last of the parcels it loads is at the depot."""
    out: dict[int, float] = {}
    at: int | None = None
    for k, (kind, loc) in enumerate(places):
        if kind == "reload":
            at = k
            out[k] = 0.0
        elif kind == "stop" and at is not None:
            out[at] = max(out[at], origin.ready_s.get(loc, 0.0))
    return out
