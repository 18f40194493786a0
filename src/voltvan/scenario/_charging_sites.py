"""The chargers of a generated day: public DC sites in the city, AC wallboxes at the depot.

Charging is what makes an electric van's day hard to plan, so the generated day has both kinds a
real fleet meets: a handful of public fast chargers (priced per kWh, shared connectors) and one
22 kW wallbox socket per van at the depot, behind a site power limit that cannot run them all at
once, so that the planner has to stagger depot charging.
"""

from __future__ import annotations

import math

import numpy as np

from voltvan.domain import Charger, Depot
from voltvan.scenario._city import CityFrame
from voltvan.scenario._streets import street_points

DEPOT_CHARGER_KW = 22.0
SITE_LIMIT_SHARE = 0.5  # of all depot connectors at full power


def site_limit_w(num_vans: int) -> float:
    """The depot's grid connection: too small to run every wallbox at full power at once."""
    connectors_w = num_vans * DEPOT_CHARGER_KW * 1000
    return max(2 * DEPOT_CHARGER_KW * 1000, round(SITE_LIMIT_SHARE * connectors_w, -4))


def public_chargers(
    rng: np.random.Generator, city: CityFrame, n: int | None = None
) -> tuple[Charger, ...]:
    """``n`` DC sites (by default 6-12, the city's share of a real network) near the centre."""
    if n is None:
        n = int(rng.integers(6, 13))
    pts = street_points(rng, city, n, central=0.5)
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


def depot_chargers(depot: Depot, num_vans: int) -> tuple[Charger, ...]:
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
