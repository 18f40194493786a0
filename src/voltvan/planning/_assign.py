"""Stops to depots before planning: each depot then plans alone, in parallel with the others.

A retailer's day has too many stops for one search, and a van ends where it starts, so the first
cut is by depot. Each depot has a capacity from its own fleet: :data:`MAX_LOAD_SHARE` of its
vans' payload and cargo volume, and :data:`MAX_SERVICE_SHARE` of their shift time spent serving
(the rest is driving and waiting). Two ways to fill them, compared in ``bench/retailer.py``:

* ``nearest``: stops by *regret* (how much farther their second-nearest depot is), each to the
  nearest depot with room left. Stops that matter most to their nearest depot choose first.
* ``transport``: the transportation problem (Hitchcock 1941) as a linear programme with HiGHS:
  least total depot-to-stop distance under the three capacities; the few stops the LP splits go
  to the depot holding most of them.

When every depot is full, a stop goes to its nearest depot with vans; that depot's planner then
names it unassigned with its reason. Distances are great-circle: the road detour factor is the
same for every pair and does not change which depot is nearer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from voltvan.domain import Scenario, Stop
from voltvan.travel import haversine_m

AssignMethod = Literal["nearest", "transport"]
ASSIGN_METHODS: tuple[str, ...] = ("nearest", "transport")
MAX_LOAD_SHARE = 0.9
"""Of a depot fleet's payload and cargo volume: the share its stops may fill."""
MAX_SERVICE_SHARE = 0.6
"""Of a depot fleet's shift time: the share its stops' service may take."""

FloatArray = npt.NDArray[np.float64]


def depot_capacity(scenario: Scenario) -> FloatArray:
    """Per depot (rows in fleet order): kg, m³ and service seconds its fleet can take."""
    fleet = scenario.fleet
    row = {d.id: k for k, d in enumerate(fleet.depots)}
    cap = np.zeros((len(fleet.depots), 3))
    for van in fleet.vans:
        vt = fleet.type_of(van)
        cap[row[van.depot_id]] += (
            MAX_LOAD_SHARE * vt.payload_kg,
            MAX_LOAD_SHARE * vt.volume_m3,
            MAX_SERVICE_SHARE * van.shift.duration_s,
        )
    return cap


def assign_stops(
    scenario: Scenario, method: AssignMethod | str = "nearest"
) -> dict[str, list[str]]:
    """Depot id -> ids of the stops it serves (scenario order); every stop in exactly one list.

    Depots without vans get no stops. ``method`` is ``nearest`` or ``transport``.
    """
    if method not in ASSIGN_METHODS:
        raise ValueError(f"assignment method must be one of {', '.join(ASSIGN_METHODS)}")
    depots = scenario.fleet.depots
    out: dict[str, list[str]] = {d.id: [] for d in depots}
    cap = depot_capacity(scenario)
    staffed = np.flatnonzero(cap[:, 2] > 0)
    if staffed.size == 0 or not scenario.stops:
        return out
    dist = _distances(scenario.stops, [(depots[j].lat, depots[j].lon) for j in staffed])
    need = np.array([(s.weight_kg, s.volume_m3, s.service_s) for s in scenario.stops], dtype=float)
    if method == "transport" and staffed.size > 1:
        pick = _transport(dist, need, cap[staffed])
    else:
        pick = _nearest(dist, need, cap[staffed])
    for stop, j in zip(scenario.stops, pick, strict=True):
        out[depots[staffed[j]].id].append(stop.id)
    return out


def _distances(stops: Sequence[Stop], places: Sequence[tuple[float, float]]) -> FloatArray:
    lat = np.array([s.lat for s in stops], dtype=float)
    lon = np.array([s.lon for s in stops], dtype=float)
    return np.stack([haversine_m(lat, lon, a, b) for a, b in places], axis=1)


def _nearest(dist: FloatArray, need: FloatArray, cap: FloatArray) -> list[int]:
    """Regret order, nearest depot with room; the nearest of all when none has room."""
    rank = np.argsort(dist, axis=1, kind="stable")
    regret = (
        dist[np.arange(len(dist)), rank[:, 1]] - dist[np.arange(len(dist)), rank[:, 0]]
        if dist.shape[1] > 1
        else np.zeros(len(dist))
    )
    used = np.zeros_like(cap)
    pick = [int(r[0]) for r in rank]
    for i in np.argsort(-regret, kind="stable"):
        for j in rank[i]:
            if np.all(used[j] + need[i] <= cap[j]):
                pick[i] = int(j)
                break
        used[pick[i]] += need[i]
    return pick


def _transport(dist: FloatArray, need: FloatArray, cap: FloatArray) -> list[int]:
    """Least total distance under the depots' capacities (LP relaxation, rounded by the argmax)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n, m = dist.shape
    total = need.sum(axis=0)
    room = cap * np.maximum(1.0, total / np.maximum(cap.sum(axis=0), 1e-9))[None, :] * 1.0001
    cols = np.arange(n * m)
    stop_of, depot_of = cols // m, cols % m
    a_eq = coo_matrix((np.ones(n * m), (stop_of, cols)), shape=(n, n * m))
    rows = np.concatenate([depot_of * 3 + d for d in range(3)])
    vals = np.concatenate([need[stop_of, d] for d in range(3)])
    a_ub = coo_matrix((vals, (rows, np.tile(cols, 3))), shape=(3 * m, n * m))
    res = linprog(
        dist.ravel() / 1000.0,
        A_ub=a_ub.tocsr(),
        b_ub=room.ravel(),
        A_eq=a_eq.tocsr(),
        b_eq=np.ones(n),
        bounds=(0.0, 1.0),
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - capacities are widened to the demand above
        return _nearest(dist, need, cap)
    x = np.asarray(res.x, dtype=float).reshape(n, m)
    return [int(j) for j in x.argmax(axis=1)]


__all__ = ["ASSIGN_METHODS", "AssignMethod", "assign_stops", "depot_capacity"]
