"""The places on the map: depots, delivery stops and chargers, each with a checked position.

They share the coordinate check and the plausible ranges of what happens there (how long a
delivery takes, how much it weighs, how much power a charger gives), so that the travel and
energy models can trust every location they are handed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

from voltvan.domain._checks import _lat_lon, _require
from voltvan.domain._time import DAY_S, TimeWindow, format_hhmm
from voltvan.domain._vehicles import CurrentKind
from voltvan.ranges import check_range

ChargerKind = Literal["depot", "public"]


@dataclass(frozen=True, slots=True)
class Depot:
    """Where vans start and end, and where they charge overnight."""

    id: str
    lat: float
    lon: float
    opening: TimeWindow = TimeWindow(0.0, DAY_S)
    site_power_limit_w: float | None = None
    name: str = ""
    staffed: tuple[TimeWindow, ...] = ()
    """When staff are at the depot to re-plug vans (time of day, repeating daily; a window may
    run past midnight up to 48:00). Empty: the depot did not say, any time will do."""

    def __post_init__(self) -> None:
        _require(bool(self.id), "depot id must not be empty", "id")
        _lat_lon(self.lat, self.lon, owner=f"depot {self.id}")
        if self.site_power_limit_w is not None:
            check_range(self.site_power_limit_w, "site_power_limit_w", owner=f"depot {self.id}")
        for w in self.staffed:
            _require(
                0 < w.end_s - w.start_s <= DAY_S and w.start_s < DAY_S,
                f"depot {self.id}: staffed hours {format_hhmm(w.start_s)}-"
                f"{format_hhmm(w.end_s)} must start before 24:00 and last more than nothing "
                "and at most a day",
                "staffed",
            )


@dataclass(frozen=True, slots=True)
class Stop:
    """A delivery: where, when, how long, and how much it takes out of the van.

    ``name``, ``address``, ``note`` and ``parcels`` are for the people on the day (the run sheet
    a driver carries); planning never reads them. ``parcels`` is ``None`` when not known.
    """

    id: str
    lat: float
    lon: float
    time_windows: tuple[TimeWindow, ...] = (TimeWindow(0.0, DAY_S),)
    service_s: float = 0.0
    weight_kg: float = 0.0
    volume_m3: float = 0.0
    parcels: int | None = None
    name: str = ""
    address: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        owner = f"stop {self.id}"
        _require(bool(self.id), "stop id must not be empty", "id")
        _lat_lon(self.lat, self.lon, owner=owner)
        check_range(self.service_s, "service_s", owner=owner)
        check_range(self.weight_kg, "weight_kg", owner=owner)
        check_range(self.volume_m3, "stop_volume_m3", owner=owner, field="volume_m3")
        if self.parcels is not None:
            _require(
                isinstance(self.parcels, int) and not isinstance(self.parcels, bool),
                f"{owner}: parcels must be a whole number, got {self.parcels!r}",
                "parcels",
            )
            check_range(self.parcels, "parcels", owner=owner)
        _require(len(self.time_windows) > 0, f"{owner}: needs a time window", "tw_start")
        ordered = sorted(self.time_windows, key=lambda tw: tw.start_s)
        for a, b in itertools.pairwise(ordered):
            _require(
                b.start_s > a.end_s,
                f"{owner}: time windows overlap ({format_hhmm(a.start_s)}-"
                f"{format_hhmm(a.end_s)} and {format_hhmm(b.start_s)}-{format_hhmm(b.end_s)})",
                "time_windows",
            )
        object.__setattr__(self, "time_windows", tuple(ordered))

    @property
    def earliest_s(self) -> float:
        return self.time_windows[0].start_s

    @property
    def latest_s(self) -> float:
        return self.time_windows[-1].end_s


@dataclass(frozen=True, slots=True)
class Charger:
    """A charging point with one or more connectors, at a depot or in the city."""

    id: str
    lat: float
    lon: float
    power_w: float
    connectors: int = 1
    kind: ChargerKind = "public"
    current: CurrentKind = "DC"
    depot_id: str | None = None
    price_per_kwh: float = 0.0

    def __post_init__(self) -> None:
        owner = f"charger {self.id}"
        _require(bool(self.id), "charger id must not be empty", "id")
        _lat_lon(self.lat, self.lon, owner=owner)
        check_range(self.power_w, "power_w", owner=owner)
        _require(
            isinstance(self.connectors, int) and not isinstance(self.connectors, bool),
            f"{owner}: connectors must be a whole number, got {self.connectors!r}",
            "connectors",
        )
        check_range(self.connectors, "connectors", owner=owner)
        _require(
            self.kind in ("depot", "public"),
            f"{owner}: kind must be depot or public, got {self.kind!r}",
            "kind",
        )
        _require(
            self.current in ("AC", "DC"),
            f"{owner}: current must be AC or DC, got {self.current!r}",
            "current",
        )
        _require(
            self.kind != "depot" or self.depot_id is not None,
            f"{owner}: a depot charger needs depot_id",
            "depot_id",
        )
        check_range(self.price_per_kwh, "price_per_kwh", owner=owner)
