"""A realistic urban parcel-delivery day, generated from a seed.

What makes it realistic (and what the tests check): stops cluster in neighbourhoods whose density
falls from the centre outwards and sit on a jittered street grid; ~30 % are businesses open
09:00-17:00 (a few closed over lunch, so two windows), ~40 % are residential two-hour slots between
08:00 and 20:00, the rest can be served any time in the shift; parcels weigh what parcels weigh
(lognormal, a few heavy consignments); service takes 1-5 minutes, longer for businesses and heavy
stops. Two van types from :mod:`voltvan.catalog`, public DC fast chargers in the city, 22 kW AC
wallboxes at the depot, a site power limit that cannot run them all at once, a time-of-use tariff.
Demand is sized to the fleet so that the day can be planned. Same arguments, same scenario.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Scenario,
    Stop,
    Tariff,
    TariffPeriod,
    TimeWindow,
    Van,
    VehicleType,
)
from voltvan.errors import InvalidInput
from voltvan.scenario._city import BERLIN, CityFrame

Day = Literal["mild", "cold"]
FloatArray = npt.NDArray[np.float64]

DAYS: dict[str, tuple[float, str]] = {"mild": (15.0, "2026-04-15"), "cold": (-5.0, "2026-01-21")}
"""Ambient temperature (°C) and date of each kind of day (a Wednesday in spring / in winter)."""

SHIFT = TimeWindow(7.5 * 3600, 20.5 * 3600)
BUSINESS = TimeWindow(9 * 3600, 17 * 3600)
BUSINESS_LUNCH = (TimeWindow(9 * 3600, 12 * 3600), TimeWindow(14 * 3600, 17 * 3600))
SHARE_BUSINESS, SHARE_RESIDENTIAL = 0.30, 0.40
SHARE_LUNCH_BREAK = 0.10  # of businesses: closed 12:00-14:00, so two windows
SHARE_HEAVY = 0.01
SHARE_BACKGROUND = 0.08  # stops scattered over the whole frame, outside any neighbourhood
MAX_STOPS_PER_VAN = 200
"""Couriers in dense districts deliver 150-200 stops a shift; more is refused as unplannable."""
LOAD_TARGET = 0.70  # total demand at most this share of the fleet's payload and cargo volume
DEPOT_CHARGER_KW = 22.0
SITE_LIMIT_SHARE = 0.5  # of all depot connectors at full power
TARIFF = Tariff(
    periods=(
        TariffPeriod(0.0, 6 * 3600, 0.19),
        TariffPeriod(6 * 3600, 17 * 3600, 0.29),
        TariffPeriod(17 * 3600, 21 * 3600, 0.36),
        TariffPeriod(21 * 3600, 24 * 3600, 0.22),
    )
)
_M_PER_DEG = 111_195.0


def generate_scenario(
    *,
    num_stops: int,
    num_vans: int,
    seed: int,
    day: Day | str = "mild",
    large_share: float = 0.6,
    city: CityFrame = BERLIN,
) -> Scenario:
    """A city day with ``num_stops`` deliveries for ``num_vans`` vans, reproducible by ``seed``.

    ``day`` is ``"mild"`` or ``"cold"`` (plain strings are accepted so that CLI values pass
    straight through; anything else is InvalidInput naming ``day``).
    """
    _check_args(num_stops, num_vans, day, large_share)
    rng = np.random.default_rng(seed)
    ambient_c, date = DAYS[day]
    types = _van_types()
    depot = Depot(
        id="DEPOT",
        name=city.depot_name,
        lat=city.depot_lat,
        lon=city.depot_lon,
        opening=TimeWindow(5 * 3600, 23 * 3600),
        site_power_limit_w=_site_limit_w(num_vans),
    )
    num_large = min(num_vans, max(1 if num_vans > 1 else 0, round(large_share * num_vans)))
    vans = tuple(
        Van(
            id=f"V{k + 1:03d}",
            type_id=types[0].id if k < num_large else types[1].id,
            depot_id=depot.id,
            shift=SHIFT,
            start_soc=1.0,
        )
        for k in range(num_vans)
    )
    stops = _stops(rng, city, num_stops)
    stops = _fit_demand(stops, vans, {t.id: t for t in types})
    chargers = _public_chargers(rng, city) + _depot_chargers(depot, num_vans)
    fleet = Fleet(
        depots=(depot,), vehicle_types=types, vans=vans, chargers=chargers,
        tariff=TARIFF, ambient_c=ambient_c, date=date,
    )  # fmt: skip
    name = f"{city.name}-{day}-{num_stops}stops-{num_vans}vans-seed{seed}"
    return Scenario(fleet=fleet, stops=stops, name=name)


def _check_args(num_stops: int, num_vans: int, day: str, large_share: float) -> None:
    if num_stops < 1:
        raise InvalidInput(f"num_stops must be at least 1, got {num_stops}", field="num_stops")
    if num_vans < 1:
        raise InvalidInput(f"num_vans must be at least 1, got {num_vans}", field="num_vans")
    if num_stops > MAX_STOPS_PER_VAN * num_vans:
        raise InvalidInput(
            f"{num_stops} stops are too many for {num_vans} vans in one shift "
            f"(at most {MAX_STOPS_PER_VAN} per van: use at least "
            f"{math.ceil(num_stops / MAX_STOPS_PER_VAN)} vans)",
            field="num_vans",
        )
    if day not in DAYS:
        raise InvalidInput(f"day must be mild or cold, got {day!r}", field="day")
    if not 0.0 <= large_share <= 1.0:
        raise InvalidInput(
            f"large_share must lie in [0, 1], got {large_share}", field="large_share"
        )


def _van_types() -> tuple[VehicleType, VehicleType]:
    from voltvan.catalog import large_van, small_van

    return large_van(), small_van()


def _site_limit_w(num_vans: int) -> float:
    connectors_w = num_vans * DEPOT_CHARGER_KW * 1000
    return max(2 * DEPOT_CHARGER_KW * 1000, round(SITE_LIMIT_SHARE * connectors_w, -4))


def _points(rng: np.random.Generator, city: CityFrame, n: int, *, central: float) -> FloatArray:
    """``n`` (lat, lon) on streets; ``central`` > 1 pulls points towards dense neighbourhoods."""
    hoods = city.neighbourhoods
    w = np.array([h.weight for h in hoods]) ** central
    out = np.empty((n, 2))
    todo = np.arange(n)
    for _ in range(100):
        if todo.size == 0:
            break
        m = todo.size
        pick = rng.choice(len(hoods), size=m, p=w / w.sum())
        centre = np.array([(hoods[k].lat, hoods[k].lon) for k in pick])
        spread = np.array([hoods[k].spread_m for k in pick])
        block = np.array([hoods[k].block_m for k in pick])
        background = rng.random(m) < SHARE_BACKGROUND
        lat0 = math.radians((city.lat_min + city.lat_max) / 2)
        dy = rng.normal(0.0, 1.0, m) * spread
        dx = rng.normal(0.0, 1.0, m) * spread
        lat = centre[:, 0] + dy / _M_PER_DEG
        lon = centre[:, 1] + dx / (_M_PER_DEG * math.cos(lat0))
        lat = np.where(background, rng.uniform(city.lat_min, city.lat_max, m), lat)
        lon = np.where(background, rng.uniform(city.lon_min, city.lon_max, m), lon)
        lat, lon = _snap_to_streets(rng, lat, lon, np.where(background, 150.0, block), lat0, city)
        inside = (
            (lat >= city.lat_min) & (lat <= city.lat_max)
            & (lon >= city.lon_min) & (lon <= city.lon_max)
        )  # fmt: skip
        out[todo[inside]] = np.column_stack((lat[inside], lon[inside]))
        todo = todo[~inside]
    if todo.size:  # pragma: no cover - needs 100 unlucky draws in a row
        out[todo] = (city.depot_lat, city.depot_lon)
    return np.round(out, 6)


def _snap_to_streets(
    rng: np.random.Generator,
    lat: FloatArray,
    lon: FloatArray,
    block_m: FloatArray,
    lat0: float,
    city: CityFrame,
) -> tuple[FloatArray, FloatArray]:
    """Move each point onto the nearest street of a jittered grid (house numbers: a few metres)."""
    y = (lat - city.lat_min) * _M_PER_DEG
    x = (lon - city.lon_min) * _M_PER_DEG * math.cos(lat0)
    on_ns_street = rng.random(lat.size) < 0.5

    def snap(v: FloatArray) -> FloatArray:
        k = np.round(v / block_m)
        wobble = 0.2 * block_m * np.sin(k * 12.9898 + block_m)  # streets are not quite regular
        return k * block_m + wobble + rng.normal(0.0, 6.0, v.size)

    x = np.where(on_ns_street, snap(x), x)
    y = np.where(on_ns_street, y, snap(y))
    return (
        city.lat_min + y / _M_PER_DEG,
        city.lon_min + x / (_M_PER_DEG * math.cos(lat0)),
    )


def _stops(rng: np.random.Generator, city: CityFrame, n: int) -> tuple[Stop, ...]:
    n_bus = round(SHARE_BUSINESS * n)
    n_res = round(SHARE_RESIDENTIAL * n)
    kind = np.array(["business"] * n_bus + ["residential"] * n_res + ["any"] * (n - n_bus - n_res))
    rng.shuffle(kind)
    is_bus = kind == "business"
    pts = _points(rng, city, n, central=1.0)
    bus_pts = _points(rng, city, n, central=2.0)  # businesses crowd the centre
    pts[is_bus] = bus_pts[is_bus]
    parcels = 1 + np.where(is_bus, rng.poisson(2.0, n), rng.poisson(0.5, n))
    weight = np.zeros(n)
    volume = np.zeros(n)
    for i in range(n):
        w = np.clip(rng.lognormal(math.log(2.5), 0.9, parcels[i]), 0.1, 31.5)
        weight[i] = w.sum()
        volume[i] = np.clip(rng.lognormal(math.log(0.012), 0.8, parcels[i]), 0.001, 0.25).sum()
    heavy = rng.random(n) < SHARE_HEAVY
    weight = np.where(heavy, rng.uniform(60.0, 200.0, n), weight)
    volume = np.where(heavy, rng.uniform(0.3, 1.2, n), volume)
    service = 45.0 + 25.0 * parcels + np.where(is_bus, 60.0, 0.0) + np.where(heavy, 180.0, 0.0)
    service = np.clip(np.round(service / 15) * 15, 60.0, 420.0)
    slot_start = rng.integers(8, 19, n) * 3600.0
    lunch = rng.random(n) < SHARE_LUNCH_BREAK
    width = len(str(n))
    stops = []
    for i in range(n):
        if kind[i] == "business":
            tws: tuple[TimeWindow, ...] = BUSINESS_LUNCH if lunch[i] else (BUSINESS,)
        elif kind[i] == "residential":
            tws = (TimeWindow(float(slot_start[i]), float(slot_start[i]) + 2 * 3600),)
        else:
            tws = (TimeWindow(0.0, 86_400.0),)
        stops.append(
            Stop(
                id=f"S{i + 1:0{max(4, width)}d}",
                lat=float(pts[i, 0]),
                lon=float(pts[i, 1]),
                time_windows=tws,
                service_s=float(service[i]),
                weight_kg=round(float(weight[i]), 1),
                volume_m3=round(float(volume[i]), 3),
                parcels=int(parcels[i]),
                address=f"near {_nearest_hood(city, pts[i, 0], pts[i, 1])} (synthetic)",
            )
        )
    return tuple(stops)


def _nearest_hood(city: CityFrame, lat: float, lon: float) -> str:
    """The district a generated stop lies closest to: all the address a synthetic stop has."""
    k = math.cos(math.radians(lat))
    return min(
        city.neighbourhoods, key=lambda h: (h.lat - lat) ** 2 + ((h.lon - lon) * k) ** 2
    ).name


def _fit_demand(
    stops: tuple[Stop, ...], vans: tuple[Van, ...], types: dict[str, VehicleType]
) -> tuple[Stop, ...]:
    """Scale parcels down where total demand would exceed LOAD_TARGET of the fleet's capacity."""
    cap_kg = sum(types[v.type_id].payload_kg for v in vans)
    cap_m3 = sum(types[v.type_id].volume_m3 for v in vans)
    min_kg = min(t.payload_kg for t in types.values())
    min_m3 = min(t.volume_m3 for t in types.values())
    tot_kg = sum(s.weight_kg for s in stops)
    tot_m3 = sum(s.volume_m3 for s in stops)
    f = min(1.0, LOAD_TARGET * cap_kg / tot_kg, LOAD_TARGET * cap_m3 / tot_m3)
    return tuple(
        replace(
            s,
            weight_kg=max(0.1, round(min(s.weight_kg * f, 0.5 * min_kg), 1)),
            volume_m3=max(0.001, round(min(s.volume_m3 * f, 0.5 * min_m3), 3)),
        )
        for s in stops
    )


def _public_chargers(
    rng: np.random.Generator, city: CityFrame, n: int | None = None
) -> tuple[Charger, ...]:
    """``n`` DC sites (by default 6-12, the city's share of a real network) near the centre."""
    if n is None:
        n = int(rng.integers(6, 13))
    pts = _points(rng, city, n, central=0.5)
    power_kw = rng.choice([50.0, 75.0, 100.0, 150.0, 150.0], n)
    connectors = rng.choice([1, 2, 2, 2, 4], n)
    price = rng.choice([0.49, 0.52, 0.59, 0.62, 0.69], n)
    return tuple(
        Charger(
            id=f"PUB{k + 1:02d}",
            lat=float(pts[k, 0]),
            lon=float(pts[k, 1]),
            power_w=float(power_kw[k]) * 1000,
            connectors=int(connectors[k]),
            kind="public",
            current="DC",
            price_per_kwh=float(price[k]),
        )
        for k in range(n)
    )


def _depot_chargers(depot: Depot, num_vans: int) -> tuple[Charger, ...]:
    """Twin-socket 22 kW AC wallboxes, one socket per van."""
    n = math.ceil(num_vans / 2)
    return tuple(
        Charger(
            id=f"DEPOT-AC{k + 1:02d}",
            lat=depot.lat,
            lon=depot.lon,
            power_w=DEPOT_CHARGER_KW * 1000,
            connectors=2 if 2 * (k + 1) <= num_vans else num_vans - 2 * k,
            kind="depot",
            current="AC",
            depot_id=depot.id,
        )
        for k in range(n)
    )
