"""A retailer's whole day over a metropolitan area: several depots, each with its own fleet.

The city day (:mod:`voltvan.scenario._generate`) has one depot at the edge of Berlin. A large
retailer delivers the whole metropolitan area from a ring of depots in the logistics parks around
it (the freight villages of Großbeeren, Wustermark and Freienbrink, the airport, the industrial
estates of the outer districts). This frame adds the outer Berlin districts and the suburban
towns, with lower densities and wider spreads than the inner city, so stops are dense in the
centre and thin out through the suburbs.

Each depot gets the vans for the stops that lie nearest to it (largest remainder, at least one
per depot), its own 22 kW AC wallboxes and its own site power limit; public DC chargers are
spread over the area in proportion to its size. Stops, windows, parcels and the van mix follow the
city day's rules. Same arguments, same scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from voltvan.domain import Depot, Fleet, Scenario, Stop, TimeWindow, Van
from voltvan.errors import InvalidInput
from voltvan.scenario._charging_sites import depot_chargers, public_chargers, site_limit_w
from voltvan.scenario._city import BERLIN, CityFrame, Neighbourhood
from voltvan.scenario._deliveries import delivery_stops
from voltvan.scenario._generate import (
    DAYS,
    SHIFT,
    TARIFF,
    Day,
    _check_args,
    _fit_demand,
    _van_types,
)
from voltvan.scenario._streets import FloatArray
from voltvan.travel import haversine_m


@dataclass(frozen=True, slots=True)
class DepotSite:
    """Where a depot of the metropolitan day can stand."""

    name: str
    lat: float
    lon: float


BERLIN_METRO = CityFrame(
    name="berlin-metro",
    lat_min=52.28,
    lat_max=52.72,
    lon_min=12.93,
    lon_max=13.80,
    depot_name=BERLIN.depot_name,
    depot_lat=BERLIN.depot_lat,
    depot_lon=BERLIN.depot_lon,
    neighbourhoods=(
        *BERLIN.neighbourhoods,
        # outer Berlin districts (OpenStreetMap centres): lower density, wider spread
        Neighbourhood("Spandau", 52.535, 13.200, 0.40, 2_000, 140),
        Neighbourhood("Reinickendorf", 52.590, 13.330, 0.35, 2_000, 140),
        Neighbourhood("Marzahn", 52.545, 13.565, 0.40, 1_800, 150),
        Neighbourhood("Hellersdorf", 52.535, 13.605, 0.30, 1_800, 150),
        Neighbourhood("Köpenick", 52.445, 13.575, 0.30, 2_200, 150),
        Neighbourhood("Zehlendorf", 52.435, 13.260, 0.25, 2_200, 160),
        Neighbourhood("Marienfelde", 52.420, 13.365, 0.20, 1_800, 150),
        # suburban towns of the ring around Berlin
        Neighbourhood("Potsdam", 52.396, 13.058, 0.45, 2_500, 120),
        Neighbourhood("Falkensee", 52.560, 13.093, 0.15, 2_000, 170),
        Neighbourhood("Hennigsdorf", 52.637, 13.204, 0.12, 1_500, 160),
        Neighbourhood("Bernau", 52.679, 13.587, 0.15, 1_800, 160),
        Neighbourhood("Hoppegarten", 52.518, 13.673, 0.10, 1_800, 180),
        Neighbourhood("Erkner", 52.422, 13.752, 0.08, 1_500, 180),
        Neighbourhood("Königs Wusterhausen", 52.301, 13.631, 0.12, 1_800, 170),
        Neighbourhood("Schönefeld", 52.390, 13.510, 0.10, 1_800, 180),
        Neighbourhood("Teltow", 52.402, 13.270, 0.15, 1_500, 160),
        Neighbourhood("Ludwigsfelde", 52.303, 13.257, 0.10, 1_500, 170),
        Neighbourhood("Blankenfelde-Mahlow", 52.330, 13.410, 0.10, 2_000, 180),
    ),
)
"""Berlin and its suburban ring (about 49 km x 59 km)."""

DEPOT_SITES: tuple[DepotSite, ...] = (
    DepotSite("Berlin-Marienfelde depot", 52.418, 13.372),
    DepotSite("Berlin-Reinickendorf depot", 52.585, 13.305),
    DepotSite("Berlin-Lichtenberg depot", 52.527, 13.495),
    DepotSite("Wustermark freight village depot", 52.552, 12.960),
    DepotSite("Schönefeld airport depot", 52.375, 13.520),
    DepotSite("Bernau depot", 52.670, 13.570),
    DepotSite("Potsdam-Drewitz depot", 52.368, 13.128),
    DepotSite("Hoppegarten depot", 52.525, 13.660),
    DepotSite("Großbeeren freight village depot", 52.352, 13.306),
    DepotSite("Berlin-Westhafen depot", 52.537, 13.345),
    DepotSite("Hennigsdorf depot", 52.640, 13.210),
    DepotSite("Berlin-Adlershof depot", 52.432, 13.540),
)
"""Depot sites in the order they are used: the first ``num_depots`` of them."""

PUBLIC_CHARGERS_PER_DEPOT = 4
DEPOT_OPENING = TimeWindow(5 * 3600, 23 * 3600)


def generate_metro_scenario(
    *,
    num_stops: int,
    num_vans: int,
    num_depots: int,
    seed: int,
    day: Day | str = "mild",
    large_share: float = 0.6,
) -> Scenario:
    """A metropolitan day: ``num_stops`` deliveries from ``num_depots`` depots of ``num_vans``."""
    _check_args(num_stops, num_vans, day, large_share)
    if not 1 <= num_depots <= len(DEPOT_SITES):
        raise InvalidInput(
            f"num_depots must lie in [1, {len(DEPOT_SITES)}], got {num_depots}",
            field="num_depots",
        )
    if num_vans < num_depots:
        raise InvalidInput(
            f"{num_vans} vans cannot staff {num_depots} depots (at least one van each)",
            field="num_vans",
        )
    rng = np.random.default_rng(seed)
    frame = BERLIN_METRO
    ambient_c, date = DAYS[day]
    types = _van_types()
    stops = delivery_stops(rng, frame, num_stops)
    sites = DEPOT_SITES[:num_depots]
    per_depot = _vans_per_depot(_lat_lon(stops), sites, num_vans)
    depots: list[Depot] = []
    vans: list[Van] = []
    chargers = list(public_chargers(rng, frame, PUBLIC_CHARGERS_PER_DEPOT * num_depots))
    for k, (site, n) in enumerate(zip(sites, per_depot, strict=True)):
        depot = Depot(
            id=f"D{k + 1:02d}",
            name=site.name,
            lat=site.lat,
            lon=site.lon,
            opening=DEPOT_OPENING,
            site_power_limit_w=site_limit_w(n),
        )
        depots.append(depot)
        num_large = min(n, max(1 if n > 1 else 0, round(large_share * n)))
        vans += [
            Van(
                id=f"{depot.id}-V{j + 1:03d}",
                type_id=types[0].id if j < num_large else types[1].id,
                depot_id=depot.id,
                shift=SHIFT,
                start_soc=1.0,
            )
            for j in range(n)
        ]
        chargers += [
            replace(c, id=f"{depot.id}-{c.id.removeprefix('DEPOT-')}")
            for c in depot_chargers(depot, n)
        ]
    stops = _fit_demand(stops, tuple(vans), {t.id: t for t in types})
    fleet = Fleet(
        depots=tuple(depots), vehicle_types=types, vans=tuple(vans), chargers=tuple(chargers),
        tariff=TARIFF, ambient_c=ambient_c, date=date,
    )  # fmt: skip
    name = f"{frame.name}-{day}-{num_stops}stops-{num_vans}vans-{num_depots}depots-seed{seed}"
    return Scenario(fleet=fleet, stops=stops, name=name)


def _lat_lon(stops: Sequence[Stop]) -> FloatArray:
    return np.array([(s.lat, s.lon) for s in stops], dtype=float).reshape(-1, 2)


def _vans_per_depot(pts: FloatArray, sites: tuple[DepotSite, ...], num_vans: int) -> list[int]:
    """Vans in proportion to the stops nearest each depot: largest remainder, at least one."""
    dist = np.stack([haversine_m(pts[:, 0], pts[:, 1], s.lat, s.lon) for s in sites], axis=1)
    nearest = np.bincount(dist.argmin(axis=1), minlength=len(sites)).astype(float)
    spare = num_vans - len(sites)
    quota = spare * nearest / max(1.0, nearest.sum())
    out = np.floor(quota).astype(int)
    order = np.argsort(-(quota - out), kind="stable")
    out[order[: spare - int(out.sum())]] += 1
    return [int(n) + 1 for n in out]


__all__ = ["BERLIN_METRO", "DEPOT_SITES", "DepotSite", "generate_metro_scenario"]
