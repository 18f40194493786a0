"""The deliveries of a generated day: who receives what, when they are in, how long it takes.

Planning is only tested by a realistic mix: ~30 % businesses open 09:00-17:00 (a few closed over
lunch, so two windows) crowding the centre, ~40 % residential two-hour slots between 08:00 and
20:00, the rest any time; parcels weigh what parcels weigh (lognormal, a few heavy consignments);
service takes 1-5 minutes, longer for businesses and heavy stops. The city day and the
metropolitan day draw their stops here, so both follow the same rules.
"""

from __future__ import annotations

import math

import numpy as np

from voltvan.domain import Stop, TimeWindow
from voltvan.scenario._city import CityFrame
from voltvan.scenario._streets import street_points

BUSINESS = TimeWindow(9 * 3600, 17 * 3600)
BUSINESS_LUNCH = (TimeWindow(9 * 3600, 12 * 3600), TimeWindow(14 * 3600, 17 * 3600))
SHARE_BUSINESS, SHARE_RESIDENTIAL = 0.30, 0.40
SHARE_LUNCH_BREAK = 0.10  # of businesses: closed 12:00-14:00, so two windows
SHARE_HEAVY = 0.01


def delivery_stops(rng: np.random.Generator, city: CityFrame, n: int) -> tuple[Stop, ...]:
    """``n`` deliveries: their kind, place, parcels, service time and time windows."""
    n_bus = round(SHARE_BUSINESS * n)
    n_res = round(SHARE_RESIDENTIAL * n)
    kind = np.array(["business"] * n_bus + ["residential"] * n_res + ["any"] * (n - n_bus - n_res))
    rng.shuffle(kind)
    is_bus = kind == "business"
    pts = street_points(rng, city, n, central=1.0)
    bus_pts = street_points(rng, city, n, central=2.0)  # businesses crowd the centre
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
