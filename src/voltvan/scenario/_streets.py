"""Where generated places stand: in neighbourhoods, on streets, inside the city frame.

A uniform scatter would put deliveries in rivers and parks and make every tour look alike. Real
parcel addresses crowd into districts whose density falls from the centre outwards and line up
along streets; the city day's stops and its public chargers both take their places from here, so
they share one notion of where the city is.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from voltvan.scenario._city import CityFrame

FloatArray = npt.NDArray[np.float64]

SHARE_BACKGROUND = 0.08  # stops scattered over the whole frame, outside any neighbourhood
_M_PER_DEG = 111_195.0


def street_points(
    rng: np.random.Generator, city: CityFrame, n: int, *, central: float
) -> FloatArray:
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
