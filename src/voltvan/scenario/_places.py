"""Refuse coordinates that cannot be right: null island, swapped latitude/longitude, far away.

A bad geocode is valid WGS84, so the domain accepts it; the planner then finds the stop
unreachable and blames its time window, and the report's map zooms out to a continent. These
checks name the line and the likely cause instead. The yardstick is :data:`MAX_DISTANCE_M`: urban
and regional parcel delivery stays well within it, so a place farther than that from everything it
belongs with is a mistake, not a customer. See ``docs/formats/scenario.md``.

Order matters, because one wrong place makes everything else look far: missing geocodes first,
then depots against the stops (a swapped depot would make every stop look far), then chargers,
then the stops against the depots.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from voltvan.domain import Fleet, Stop
from voltvan.errors import InvalidInput
from voltvan.scenario._toml import TomlSource
from voltvan.travel import haversine_m

MAX_DISTANCE_M = 200_000.0
"""How far a stop may lie from its nearest depot (great circle); also how far a depot may lie
from its nearest stop, and a charger from the nearest depot or stop.

Driving there and back is 2 × 200 km × 1.3 (road detour) = 520 km: more than electric delivery
vans are rated to drive on one charge (the long-range large vans of 2025 under 500 km WLTP), and
more than 14 hours at the fastest speed of the urban travel model (36 km/h), longer than any
shift. A fixed limit (rather than one computed from
the fleet) keeps the verdict the same when the fleet changes.
"""

NULL_ISLAND_DEG = 1e-3
"""Both coordinates within this of 0: where geocoders and spreadsheets put a missing address."""

FIELD = "lat/lon"


@dataclass(frozen=True, slots=True)
class Place:
    """A point to check, with what to call it and where the file holds it.

    ``line`` is looked up only when the place is refused: finding a key's line in fleet.toml
    scans the text, too slow to do for every charger of a large fleet on every read.
    """

    name: str
    lat: float
    lon: float
    file: str
    line: Callable[[], int | None]


class Places:
    """Places to measure against, with their coordinates as arrays."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)
        self.lat = np.array([p.lat for p in self.places], dtype=float)
        self.lon = np.array([p.lon for p in self.places], dtype=float)

    def nearest(self, lat: float, lon: float) -> tuple[Place, float]:
        """The place nearest to (lat, lon) and its great-circle distance in metres."""
        d = haversine_m(lat, lon, self.lat, self.lon)
        k = int(np.argmin(d))
        return self.places[k], float(d[k])


def check_fleet_places(fleet: Fleet, src: TomlSource) -> None:
    """The checks that need only fleet.toml: no depot or charger on null island."""
    for place in (*_depot_places(fleet, src), *_charger_places(fleet, src)):
        _refuse_null_island(place)


def check_places(
    fleet: Fleet, src: TomlSource, stops: Sequence[Stop], lines: Sequence[int], stops_label: str
) -> None:
    """Refuse a depot, charger or stop whose place cannot be right (see the module docstring).

    Run after :func:`check_fleet_places`, which has already looked at the fleet alone.
    """
    depots = Places(_depot_places(fleet, src))
    stop_places = Places(
        [
            Place(f"stop {s.id}", s.lat, s.lon, stops_label, _known(line))
            for s, line in zip(stops, lines, strict=True)
        ]
    )
    for place in stop_places.places:
        _refuse_null_island(place)
    if stop_places.places:
        _check_depots(depots, stop_places, Places(_charger_places(fleet, src, public_only=True)))
    around = Places([*depots.places, *stop_places.places])
    for charger in _charger_places(fleet, src):
        _refuse_far(charger, around, what="depot or stop")
    # all stops at once, not one by one: a day may hold thousands
    to_depot = np.min(
        [haversine_m(stop_places.lat, stop_places.lon, d.lat, d.lon) for d in depots.places], axis=0
    )
    far = np.flatnonzero(to_depot > MAX_DISTANCE_M)
    if far.size:
        note = f"; the same holds for all {far.size} stops" if far.size == len(stops) > 1 else ""
        _refuse_far(stop_places.places[int(far[0])], depots, what="depot", note=note)


def _known(line: int) -> Callable[[], int | None]:
    return lambda: line


def _depot_places(fleet: Fleet, src: TomlSource) -> list[Place]:
    return [
        Place(f"depot {d.id}", d.lat, d.lon, src.label, partial(src.line, "depots", i, "lat"))
        for i, d in enumerate(fleet.depots)
    ]


def _charger_places(fleet: Fleet, src: TomlSource, *, public_only: bool = False) -> list[Place]:
    """Chargers with their own coordinates (depot chargers without them stand at their depot)."""
    entries = src.data.get("chargers", [])
    return [
        Place(f"charger {c.id}", c.lat, c.lon, src.label, partial(src.line, "chargers", i, "lat"))
        for i, (c, e) in enumerate(zip(fleet.chargers, entries, strict=True))
        if ("lat" in e or "lon" in e) and (c.kind == "public" or not public_only)
    ]


def _refuse_null_island(p: Place) -> None:
    if abs(p.lat) < NULL_ISLAND_DEG and abs(p.lon) < NULL_ISLAND_DEG:
        raise InvalidInput(
            f'{p.name} is at {pair_text(p.lat, p.lon)}, "null island" in the Gulf of Guinea, '
            "where a missing geocode lands: look its address up again",
            file=p.file, line=p.line(), field=FIELD,
        )  # fmt: skip


def _check_depots(depots: Places, stops: Places, public: Places) -> None:
    """A depot far from every stop is swapped, or (when no depot is near the stops) misplaced.

    One lonely depot among others that do serve the stops is allowed: a fleet file may list a
    depot with no deliveries today. A depot with the fleet's public chargers around it is taken
    to be right, and the stops wrong (a stops file written longitude first, as GeoJSON is): the
    check of the stops then names them.
    """
    lonely = [
        d
        for d in depots.places
        if stops.nearest(d.lat, d.lon)[1] > MAX_DISTANCE_M and not _near(d, public)
    ]
    for depot in lonely:
        _refuse_swapped(depot, stops)
    if lonely and len(lonely) == len(depots.places):
        depot = lonely[0]
        near, dist = stops.nearest(depot.lat, depot.lon)
        raise InvalidInput(
            f"{depot.name} at {pair_text(depot.lat, depot.lon)} is {km_text(dist)} from "
            f"{near.name}, the nearest stop, farther than the {km_text(MAX_DISTANCE_M)} a depot "
            "delivers: the depot or the stops are in the wrong place",
            file=depot.file, line=depot.line(), field=FIELD,
        )  # fmt: skip


def _near(p: Place, places: Places) -> bool:
    return bool(places.places) and places.nearest(p.lat, p.lon)[1] <= MAX_DISTANCE_M


def _refuse_far(p: Place, anchors: Places, *, what: str, note: str = "") -> None:
    near, dist = anchors.nearest(p.lat, p.lon)
    if dist <= MAX_DISTANCE_M:
        return
    _refuse_swapped(p, anchors, note=note)
    raise InvalidInput(
        f"{p.name} at {pair_text(p.lat, p.lon)} is {km_text(dist)} from {near.name}, the "
        f"nearest {what}, farther than the {km_text(MAX_DISTANCE_M)} urban and regional "
        f"delivery goes: check its coordinates{note}",
        file=p.file, line=p.line(), field=FIELD,
    )  # fmt: skip


def _refuse_swapped(p: Place, anchors: Places, *, note: str = "") -> None:
    """Refuse ``p`` as swapped when its swapped pair lies near ``anchors`` (and it does not)."""
    if abs(p.lon) > 90:
        return
    near, dist = anchors.nearest(p.lat, p.lon)
    swapped_near, swapped_dist = anchors.nearest(p.lon, p.lat)
    if dist <= MAX_DISTANCE_M or swapped_dist > MAX_DISTANCE_M:
        return
    raise InvalidInput(
        f"{p.name} at {pair_text(p.lat, p.lon)} is {km_text(dist)} from {near.name}; latitude and "
        f"longitude look swapped ({p.lon:g}, {p.lat:g} is {km_text(swapped_dist)} from "
        f"{swapped_near.name}){note}",
        file=p.file, line=p.line(), field=FIELD,
    )  # fmt: skip


def pair_text(lat: float, lon: float) -> str:
    """Coordinates as a user typed them: ``(52.52, 13.4)``."""
    return f"({lat:g}, {lon:g})"


def km_text(m: float) -> str:
    """A distance in km, with one decimal below 10 km."""
    km = m / 1000
    return f"{km:,.0f} km" if km >= 10 else f"{km:.1f} km"
