"""A realistic urban parcel-delivery day, generated from a seed.

What makes it realistic (and what the tests check): stops cluster in neighbourhoods whose density
falls from the centre outwards and sit on a jittered street grid; ~30 % are businesses open
09:00-17:00 (a few closed over lunch, so two windows), ~40 % are residential two-hour slots between
08:00 and 20:00, the rest can be served any time in the shift; parcels weigh what parcels weigh
(lognormal, a few heavy consignments); service takes 1-5 minutes, longer for businesses and heavy
stops. Two van types from :mod:`voltvan.catalog`, public DC fast chargers in the city, 22 kW AC
wallboxes at the depot, a site power limit that cannot run them all at once, a time-of-use tariff.
Demand is sized to the fleet so that the day can be planned. Same arguments, same scenario.

This module assembles the day (fleet, depot, demand sizing); where places stand, what the stops
are and which chargers exist are drawn in :mod:`._streets`, :mod:`._deliveries` and
:mod:`._charging_sites`, shared with the metropolitan day.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Literal

import numpy as np

from voltvan.domain import (
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
from voltvan.scenario._charging_sites import depot_chargers, public_chargers, site_limit_w
from voltvan.scenario._city import BERLIN, CityFrame
from voltvan.scenario._deliveries import delivery_stops

Day = Literal["mild", "cold"]

DAYS: dict[str, tuple[float, str]] = {"mild": (15.0, "2026-04-15"), "cold": (-5.0, "2026-01-21")}
"""Ambient temperature (°C) and date of each kind of day (a Wednesday in spring / in winter)."""

SHIFT = TimeWindow(7.5 * 3600, 20.5 * 3600)
MAX_STOPS_PER_VAN = 200
"""Couriers in dense districts deliver 150-200 stops a shift; more is refused as unplannable."""
LOAD_TARGET = 0.70  # total demand at most this share of the fleet's payload and cargo volume
TARIFF = Tariff(
    periods=(
        TariffPeriod(0.0, 6 * 3600, 0.19),
        TariffPeriod(6 * 3600, 17 * 3600, 0.29),
        TariffPeriod(17 * 3600, 21 * 3600, 0.36),
        TariffPeriod(21 * 3600, 24 * 3600, 0.22),
    )
)


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
        site_power_limit_w=site_limit_w(num_vans),
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
    stops = delivery_stops(rng, city, num_stops)
    stops = _fit_demand(stops, vans, {t.id: t for t in types})
    chargers = public_chargers(rng, city) + depot_chargers(depot, num_vans)
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
