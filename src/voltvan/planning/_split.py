"""Cut a retailer's day into parts one search handles well: a depot, or a sector of one.

After :func:`~voltvan.planning._assign.assign_stops`, a depot with more stops than
``max_stops_per_solve`` is cut into sectors by a sweep around it (Gillett and Miller 1974): stops
sorted by bearing from the depot, the circle opened at its widest empty gap (so no dense district
is cut in two without need), then cut into runs of equal size. Routes leave the depot in one
direction, so a sector is what a group of its vans would cover anyway. The depot's vans are shared
in proportion to the sectors' stops, type by type (largest remainder, at least one van each).

Each part is a scenario of its own: its depot, its vans, the depot's own chargers and every
public charger, its stops (and the rows of the road matrix, when the day has one). Ids are the
day's, so the parts' routes stitch back into one plan without renaming anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from voltvan.domain import Depot, Scenario, Stop, TravelMatrix, Van


@dataclass(frozen=True)
class Part:
    """One independent planning problem of the day."""

    label: str
    depot_id: str
    scenario: Scenario

    @property
    def num_stops(self) -> int:
        return len(self.scenario.stops)


def split_day(
    scenario: Scenario, by_depot: dict[str, list[str]], *, max_stops_per_solve: int
) -> list[Part]:
    """The day's parts: one per depot, or per sector of a depot with too many stops."""
    fleet = scenario.fleet
    stops = {s.id: s for s in scenario.stops}
    parts: list[Part] = []
    for depot in fleet.depots:
        ids = by_depot.get(depot.id, [])
        vans = [v for v in fleet.vans if v.depot_id == depot.id]
        if not ids or not vans:
            continue
        k = min(len(vans), max(1, math.ceil(len(ids) / max_stops_per_solve)))
        sectors = sweep_sectors(depot, [stops[i] for i in ids], k)
        shares = share_vans(vans, [len(s) for s in sectors])
        for c, (sector, sector_vans) in enumerate(zip(sectors, shares, strict=True)):
            label = depot.id if k == 1 else f"{depot.id}/{c + 1}of{k}"
            parts.append(
                Part(label, depot.id, part_scenario(scenario, depot, sector_vans, sector, label))
            )
    return parts


def sweep_sectors(depot: Depot, stops: Sequence[Stop], k: int) -> list[list[Stop]]:
    """``k`` runs of equal size of the stops sorted by bearing from the depot (see above)."""
    if k <= 1 or len(stops) <= 1:
        return [list(stops)]
    lat0 = math.radians(depot.lat)
    angle = np.array(
        [math.atan2(s.lat - depot.lat, (s.lon - depot.lon) * math.cos(lat0)) for s in stops]
    )
    order = np.argsort(angle, kind="stable")
    ordered = angle[order]
    gaps = np.diff(np.concatenate((ordered, [ordered[0] + 2 * math.pi])))
    start = (int(np.argmax(gaps)) + 1) % len(stops)
    order = np.roll(order, -start)
    return [[stops[int(i)] for i in chunk] for chunk in np.array_split(order, k)]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` by the largest remainder (Hamilton)."""
    w = np.asarray(weights, dtype=float)
    quota = total * w / w.sum() if w.sum() > 0 else np.full(len(w), total / max(1, len(w)))
    out = np.floor(quota).astype(int)
    for j in np.argsort(-(quota - out), kind="stable")[: total - int(out.sum())]:
        out[j] += 1
    return [int(n) for n in out]


def share_vans(vans: Sequence[Van], sizes: Sequence[int]) -> list[list[Van]]:
    """The vans of one depot shared over its sectors by stops (at least one each), and within
    that, each type in proportion to the sector's share of the vans still unplaced."""
    room = apportion(len(vans), sizes)
    for c in range(len(room)):
        if room[c] == 0:  # take one from the sector with the most vans per stop
            donor = max(range(len(room)), key=lambda d: room[d] / max(1, sizes[d]))
            room[donor] -= 1
            room[c] += 1
    out: list[list[Van]] = [[] for _ in sizes]
    by_type: dict[str, list[Van]] = {}
    for v in vans:
        by_type.setdefault(v.type_id, []).append(v)
    for group in by_type.values():
        start = 0
        for c, n in enumerate(apportion(len(group), room)):
            out[c] += group[start : start + n]
            room[c] -= n
            start += n
    return out


def part_scenario(
    scenario: Scenario, depot: Depot, vans: Sequence[Van], stops: Sequence[Stop], label: str
) -> Scenario:
    """The scenario of one part: ids as in the day, so its routes stitch back unchanged."""
    fleet = scenario.fleet
    chargers = tuple(c for c in fleet.chargers if c.depot_id in (None, depot.id))
    sub_fleet = replace(fleet, depots=(depot,), vans=tuple(vans), chargers=chargers)
    sub = Scenario(fleet=sub_fleet, stops=tuple(stops), name=f"{scenario.name}/{label}")
    if scenario.matrix is None:
        return sub
    return replace(sub, matrix=_sub_matrix(scenario.matrix, sub.location_ids()))


def _sub_matrix(m: TravelMatrix, ids: Sequence[str]) -> TravelMatrix:
    pos = {loc: i for i, loc in enumerate(m.ids)}
    idx = np.fromiter((pos[i] for i in ids), dtype=np.int64, count=len(ids))
    dist = np.asarray(m.distance_m, dtype=float)[np.ix_(idx, idx)]
    dur = np.asarray(m.duration_s, dtype=float)[np.ix_(idx, idx)]
    return TravelMatrix(ids=tuple(ids), distance_m=dist.tolist(), duration_s=dur.tolist())


__all__ = ["Part", "apportion", "part_scenario", "share_vans", "split_day", "sweep_sectors"]
