"""The domain model: depots, vehicle types, vans, stops, chargers and the fleet that ties them.

Everything here is plain, immutable data in SI units (m, s, kg, W, Wh, °C), checked where it is
built so that no other layer has to distrust it. Times of day are seconds after midnight of the
service day (``0 <= t < 2 * 86400`` so that night shifts can run past midnight). State of charge
is a fraction in [0, 1]. Files and the API convert at their edges.

Beyond sign and type, every physical quantity must lie in its plausible range
(:mod:`voltvan.ranges`): a finite but absurd value (a van of 1e308 kg) would otherwise pass here
and break the arithmetic of every layer above.

This module imports nothing from voltvan but the errors and the ranges: it is the bottom layer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from voltvan.errors import InvalidInput
from voltvan.ranges import check_range

DAY_S = 86_400
MAX_TIME_S = 2 * DAY_S

_T = TypeVar("_T", "Depot", "VehicleType", "Van", "Stop", "Charger")

ChargerKind = Literal["depot", "public"]
CurrentKind = Literal["AC", "DC"]


def _require(ok: bool, message: str, field_name: str) -> None:
    if not ok:
        raise InvalidInput(message, field=field_name)


def _finite(value: float, field_name: str, *, owner: str) -> None:
    _require(
        isinstance(value, int | float) and math.isfinite(value),
        f"{owner}: {field_name} must be a finite number, got {value!r}",
        field_name,
    )


def _non_negative(value: float, field_name: str, *, owner: str) -> None:
    _finite(value, field_name, owner=owner)
    _require(value >= 0, f"{owner}: {field_name} must not be negative, got {value}", field_name)


def _fraction(value: float, field_name: str, *, owner: str) -> None:
    _finite(value, field_name, owner=owner)
    _require(
        0.0 <= value <= 1.0, f"{owner}: {field_name} must lie in [0, 1], got {value}", field_name
    )


def _lat_lon(lat: float, lon: float, *, owner: str) -> None:
    _finite(lat, "lat", owner=owner)
    _finite(lon, "lon", owner=owner)
    _require(-90.0 <= lat <= 90.0, f"{owner}: lat {lat} is outside [-90, 90]", "lat")
    _require(-180.0 <= lon <= 180.0, f"{owner}: lon {lon} is outside [-180, 180]", "lon")


def format_hhmm(t_s: float) -> str:
    """Seconds after midnight as ``HH:MM`` (``25:30`` for 01:30 the next day)."""
    minutes = round(t_s / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A closed interval ``[start_s, end_s]`` of seconds after midnight."""

    start_s: float
    end_s: float

    def __post_init__(self) -> None:
        _non_negative(self.start_s, "tw_start", owner="time window")
        _non_negative(self.end_s, "tw_end", owner="time window")
        _require(
            self.end_s >= self.start_s,
            f"time window ends before it starts "
            f"({format_hhmm(self.start_s)} > {format_hhmm(self.end_s)})",
            "tw_end",
        )
        _require(
            self.end_s <= MAX_TIME_S,
            f"time window ends after the next day ({format_hhmm(self.end_s)})",
            "tw_end",
        )

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def contains(self, t_s: float) -> bool:
        return self.start_s <= t_s <= self.end_s


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


@dataclass(frozen=True, slots=True)
class TariffPeriod:
    """Energy price in a span of the day (seconds after midnight, repeating daily)."""

    start_s: float
    end_s: float
    price_per_kwh: float

    def __post_init__(self) -> None:
        check_range(self.price_per_kwh, "price_per_kwh", owner="tariff period")
        TimeWindow(self.start_s, self.end_s)


@dataclass(frozen=True, slots=True)
class Tariff:
    """A time-of-use tariff with an optional demand charge on the peak power of the period."""

    periods: tuple[TariffPeriod, ...] = (TariffPeriod(0.0, DAY_S, 0.25),)
    demand_charge_per_kw: float = 0.0
    currency: str = "EUR"

    def __post_init__(self) -> None:
        check_range(self.demand_charge_per_kw, "demand_charge_per_kw", owner="tariff")
        _require(len(self.periods) > 0, "tariff needs at least one period", "periods")

    def price_at(self, t_s: float) -> float:
        """Price per kWh at a time of day (wraps at midnight); the last matching period wins."""
        tod = t_s % DAY_S
        price = self.periods[0].price_per_kwh
        for p in self.periods:
            if p.start_s <= tod < p.end_s:
                price = p.price_per_kwh
        return price


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


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        _require(i not in seen, f"duplicate {kind} id {i!r}", "id")
        seen.add(i)


def _by_id(items: Sequence[_T], item_id: str, kind: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise InvalidInput(f"unknown {kind} {item_id!r}", field="id")


def index_by_id(items: Iterable[_T]) -> Mapping[str, _T]:
    return {i.id: i for i in items}
