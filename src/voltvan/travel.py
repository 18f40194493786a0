"""How far and how long between two places: a road matrix when given, else a model.

Without a road matrix, distance is the great-circle (haversine) distance times a *detour factor*
(road networks are never straight: Newell 1980 measured about 1.2 between random urban points,
O'Sullivan 1996 1.21-1.23, Ballou et al. 2002 about 1.2-1.4 by country; we default to 1.3 because
delivery vans also meet one-way streets and turning restrictions). Speed follows a profile by hour
of day, so a leg driven in the morning rush takes longer than the same leg at 11:00. The default
profile is free flow of 36 km/h at night with delays of up to about 70 % in the rush hours, in line
with the TomTom Traffic Index for German cities (Berlin: 30 % average extra travel time in 2020,
about 40 % in 2024, most of it at the peaks). See ``docs/travel.md``.

Time-dependent travel uses the speed model of Ichoua, Gendreau and Potvin (2003): the van drives at
the speed of the hour it is in and speeds up or slows down at each hour boundary, so that leaving
later never means arriving earlier (the FIFO property). The planner uses one representative matrix
(:func:`build_matrices` at ``depart_s``); the digital twin and reports can call
:func:`duration_at` for the time a leg really takes at the hour it is driven.

Everything is vectorised with numpy so that a 2,000-stop matrix takes well under a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from voltvan.domain import DAY_S, Charger, Depot, Scenario, Stop
from voltvan.errors import InvalidInput

__all__ = [
    "DEFAULT_SPEED_KMH_BY_HOUR",
    "EARTH_RADIUS_M",
    "Matrices",
    "MatrixSource",
    "TravelParams",
    "build_matrices",
    "duration_at",
    "haversine_m",
    "positions",
    "speed_factor",
    "speed_kmh_at",
]

FloatArray = npt.NDArray[np.float64]

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), the usual choice for the haversine formula."""

DEFAULT_DETOUR_FACTOR = 1.3

DEFAULT_SPEED_KMH_BY_HOUR: tuple[float, ...] = (
    36, 36, 36, 36, 36, 34,  # 00-05 free flow
    29, 22, 21, 25, 27, 27,  # 06-11 morning peak at 08
    26, 26, 25, 23, 21, 21,  # 12-17 evening peak at 16-17
    24, 28, 31, 33, 35, 36,  # 18-23 back to free flow
)  # fmt: skip
"""Average urban driving speed (km/h, along the road) for each hour of the day."""

_HOUR_S = 3600.0


@dataclass(frozen=True, slots=True)
class TravelParams:
    """How the travel model turns coordinates into road distance and time.

    ``speed_kmh_by_hour`` holds 24 speeds, one per hour of the day, repeating every day;
    ``free_flow_kmh`` is the speed that :func:`speed_factor` compares against (by default the
    fastest hour of the profile).
    """

    detour_factor: float = DEFAULT_DETOUR_FACTOR
    speed_kmh_by_hour: tuple[float, ...] = DEFAULT_SPEED_KMH_BY_HOUR
    free_flow_kmh: float | None = None
    _speeds_ms: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.detour_factor) and self.detour_factor >= 1.0):
            raise InvalidInput(
                f"detour_factor must be at least 1, got {self.detour_factor}",
                field="detour_factor",
            )
        speeds = tuple(float(v) for v in self.speed_kmh_by_hour)
        if len(speeds) != 24 or not all(math.isfinite(v) and v > 0 for v in speeds):
            raise InvalidInput(
                "speed_kmh_by_hour needs 24 positive speeds, one per hour",
                field="speed_kmh_by_hour",
            )
        if self.free_flow_kmh is not None and not self.free_flow_kmh > 0:
            raise InvalidInput(
                f"free_flow_kmh must be positive, got {self.free_flow_kmh}", field="free_flow_kmh"
            )
        object.__setattr__(self, "speed_kmh_by_hour", speeds)
        object.__setattr__(self, "_speeds_ms", np.asarray(speeds, dtype=np.float64) / 3.6)

    @property
    def reference_kmh(self) -> float:
        return self.free_flow_kmh if self.free_flow_kmh is not None else max(self.speed_kmh_by_hour)

    @classmethod
    def constant(cls, speed_kmh: float, *, detour_factor: float = 1.0) -> TravelParams:
        """One speed all day: handy for tests and for benchmark instances with plain distances."""
        return cls(detour_factor=detour_factor, speed_kmh_by_hour=(speed_kmh,) * 24)


@dataclass(frozen=True, slots=True, eq=False)
class Matrices:
    """Distances (m) and durations (s) between locations, rows and columns in ``ids`` order."""

    ids: tuple[str, ...]
    distance_m: FloatArray
    duration_s: FloatArray

    def index(self) -> dict[str, int]:
        """Row number of each location id."""
        return {loc: i for i, loc in enumerate(self.ids)}


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in metres, broadcasting over array arguments."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=float)


def speed_kmh_at(t_s: npt.ArrayLike, params: TravelParams | None = None) -> FloatArray:
    """Profile speed (km/h) in the hour that contains each time of day."""
    p = params or TravelParams()
    hours = (np.floor(np.asarray(t_s, dtype=float) / _HOUR_S) % 24).astype(np.int64)
    return np.asarray(p._speeds_ms[hours] * 3.6, dtype=float)


def speed_factor(t_s: npt.ArrayLike, params: TravelParams | None = None) -> FloatArray:
    """Speed at each time of day relative to free flow: 1.0 at night, about 0.6 at rush hour."""
    p = params or TravelParams()
    return speed_kmh_at(t_s, p) / p.reference_kmh


def duration_at(
    distance_m: npt.ArrayLike, t_s: npt.ArrayLike, params: TravelParams | None = None
) -> FloatArray:
    """Seconds to drive ``distance_m`` of road when leaving at ``t_s``, crossing hour boundaries.

    The van drives each hour at that hour's speed (Ichoua et al. 2003), so durations satisfy FIFO.
    ``distance_m`` is road distance (already including any detour factor).
    """
    p = params or TravelParams()
    dist = np.asarray(distance_m, dtype=float)
    start = np.asarray(t_s, dtype=float)
    if np.any(dist < 0) or not np.all(np.isfinite(dist)):
        raise InvalidInput("distances must be finite and not negative", field="distance_m")
    left, now = np.broadcast_arrays(dist, start)
    left, now = left.astype(float, copy=True), now.astype(float, copy=True)
    t0 = now.copy()
    slowest = float(p._speeds_ms.min())
    # Each pass drives to the next hour boundary (or to the end); the bound on passes is exact.
    max_passes = math.ceil(float(left.max(initial=0.0)) / slowest / _HOUR_S) + 2
    for _ in range(max_passes):
        active = left > 0
        if not active.any():
            break
        hour = (np.floor(now[active] / _HOUR_S) % 24).astype(np.int64)
        speed = p._speeds_ms[hour]
        to_boundary = (np.floor(now[active] / _HOUR_S) + 1) * _HOUR_S - now[active]
        reach = speed * to_boundary
        done = left[active] <= reach
        step_t = np.where(done, left[active] / speed, to_boundary)
        now[active] += step_t
        left[active] = np.where(done, 0.0, left[active] - reach)
    return np.asarray(now - t0, dtype=float)


def build_matrices(
    scenario: Scenario, *, depart_s: float = 9 * 3600, params: TravelParams | None = None
) -> Matrices:
    """Distance and duration matrices over ``scenario.location_ids()`` (depots, stops, chargers).

    A road matrix in the scenario wins (its durations are used as they are; ``depart_s`` and
    ``params`` are then ignored). Otherwise distances come from the haversine formula times the
    detour factor, and durations from the speed profile for legs leaving at ``depart_s``.
    """
    ids = tuple(scenario.location_ids())
    if scenario.matrix is not None:
        return _from_road_matrix(scenario, ids)
    p = params or TravelParams()
    if not (math.isfinite(depart_s) and 0 <= depart_s < 2 * DAY_S):
        raise InvalidInput(f"depart_s must be a time of day, got {depart_s}", field="depart_s")
    lat, lon = _coordinates(scenario)
    dist = _pairwise_great_circle_m(lat, lon) * p.detour_factor
    np.fill_diagonal(dist, 0.0)
    dur = _durations_from(dist, depart_s, p)
    return Matrices(ids=ids, distance_m=dist, duration_s=dur)


def positions(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Latitude and longitude of each depot, stop and charger by id: built once per scenario, so
    the planner and the digital twin look a place up per leg instead of searching for it."""
    fleet = scenario.fleet
    places: tuple[Depot | Stop | Charger, ...] = (*fleet.depots, *scenario.stops, *fleet.chargers)
    return {p.id: (p.lat, p.lon) for p in places}


class MatrixSource:
    """Matrices between any few locations of a scenario, equal to the rows of the full ones.

    A whole-day matrix over 40,000 stops would take 13 GB per quantity; a route visits a few
    hundred places. Built once per scenario (one id lookup), :meth:`between` then costs only the
    locations asked for: the checker replays each route on its own small matrix.
    """

    __slots__ = ("_coords", "_depart_s", "_params", "_road", "_road_pos")

    def __init__(
        self, scenario: Scenario, *, depart_s: float = 9 * 3600, params: TravelParams | None = None
    ) -> None:
        if not (math.isfinite(depart_s) and 0 <= depart_s < 2 * DAY_S):
            raise InvalidInput(f"depart_s must be a time of day, got {depart_s}", field="depart_s")
        self._depart_s = depart_s
        self._params = params or TravelParams()
        self._road = scenario.matrix
        self._road_pos = {loc: i for i, loc in enumerate(self._road.ids)} if self._road else {}
        self._coords = positions(scenario)

    def knows(self, loc: str) -> bool:
        return loc in self._coords

    def between(self, ids: tuple[str, ...]) -> Matrices:
        """Distance and duration matrices over ``ids`` (all known to the scenario), in order."""
        if self._road is not None:
            order = np.fromiter((self._road_pos[i] for i in ids), dtype=np.int64, count=len(ids))
            dist = np.asarray(self._road.distance_m, dtype=float)[np.ix_(order, order)]
            dur = np.asarray(self._road.duration_s, dtype=float)[np.ix_(order, order)]
            return Matrices(ids=ids, distance_m=dist, duration_s=dur)
        coords = np.asarray([self._coords[i] for i in ids], dtype=np.float64).reshape(-1, 2)
        dist = _pairwise_great_circle_m(coords[:, 0], coords[:, 1]) * self._params.detour_factor
        np.fill_diagonal(dist, 0.0)
        return Matrices(
            ids=ids, distance_m=dist, duration_s=_durations_from(dist, self._depart_s, self._params)
        )


def _pairwise_great_circle_m(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """All-pairs great-circle distance via unit vectors: one small matrix product.

    Same sphere as :func:`haversine_m`; the chord form loses at most about a millimetre at
    10 m and a decimetre for coincident points, and is ten times faster on big matrices.
    """
    phi, lmb = np.radians(lat), np.radians(lon)
    xyz = np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))
    half_chord_sq = np.clip((1.0 - xyz @ xyz.T) / 2.0, 0.0, 1.0)
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(half_chord_sq)), dtype=float)


def _durations_from(dist: FloatArray, depart_s: float, p: TravelParams) -> FloatArray:
    # All legs share one departure time, so duration is a piecewise-linear function of distance
    # with kinks where the van crosses an hour boundary: integrate at the kinks and interpolate.
    grid = np.concatenate(([0.0], _boundary_distances(depart_s, float(dist.max(initial=0.0)), p)))
    return np.interp(dist, grid, duration_at(grid, depart_s, p))


def _boundary_distances(depart_s: float, max_m: float, p: TravelParams) -> FloatArray:
    """Distances at which a van leaving at ``depart_s`` crosses an hour boundary (kinks)."""
    out: list[float] = []
    now, covered = depart_s, 0.0
    while covered < max_m:
        nxt = (math.floor(now / _HOUR_S) + 1) * _HOUR_S
        covered += float(p._speeds_ms[int(now // _HOUR_S) % 24]) * (nxt - now)
        out.append(covered)
        now = nxt
    return np.asarray(out, dtype=float)


def _coordinates(scenario: Scenario) -> tuple[FloatArray, FloatArray]:
    fleet = scenario.fleet
    places: list[tuple[float, float]] = [
        *((d.lat, d.lon) for d in fleet.depots),
        *((s.lat, s.lon) for s in scenario.stops),
        *((c.lat, c.lon) for c in fleet.chargers),
    ]
    coords = np.asarray(places, dtype=np.float64).reshape(-1, 2)
    return coords[:, 0].copy(), coords[:, 1].copy()


def _from_road_matrix(scenario: Scenario, ids: tuple[str, ...]) -> Matrices:
    m = scenario.matrix
    assert m is not None
    pos = {loc: i for i, loc in enumerate(m.ids)}
    order = np.fromiter((pos[i] for i in ids), dtype=np.int64, count=len(ids))
    dist = np.asarray(m.distance_m, dtype=float)[np.ix_(order, order)]
    dur = np.asarray(m.duration_s, dtype=float)[np.ix_(order, order)]
    return Matrices(ids=ids, distance_m=dist, duration_s=dur)
