"""Optimal charging stops for a fixed client sequence: a labelling algorithm over charge points.

PyVRP decides which clients a van serves and in what order; this module decides where the van
charges and how much. Stations may be inserted on any arc of the sequence (at most one per arc,
chosen among the few with the smallest detour). At a station the van charges enough to reach the
next charging point (or the depot) with the reserve intact: charging takes time, so charging more
can only delay later clients, except where the van would wait for a time window anyway; that wait
is spent charging (up to what the rest of the route lacks), for free. Labels are kept
Pareto-optimal in (distance, arrival time, energy left), so among the plans of this policy the
shortest feasible one is found. Time windows are propagated with the segment summaries of
Vidal et al. (2013), so each transition between two charging points costs O(1).

This module tries a sequence without any stop first (most need none), sets up the labelling for
the others and reads the best plan back; the labels, their extension and their dominance are in
:mod:`._labels`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voltvan.planning.ev._labels import EPS, Label, LabelContext, extend, frozen, insert
from voltvan.planning.ev._model import EvInstance


@dataclass(frozen=True)
class RouteEval:
    """A fixed client sequence with its best charging plan (or why there is none)."""

    is_feasible: bool
    visits: tuple[int, ...]
    charge_wh: tuple[float, ...]
    distance: float
    duration_s: float
    end_s: float
    reason: str = ""


class ChargingPlanner:
    """Evaluates client sequences of one vehicle type; caches the candidate stations per arc."""

    def __init__(self, instance: EvInstance, vehicle_type: int, *, stations_per_arc: int = 4):
        self.inst = instance
        self.vt_index = vehicle_type
        self.vt = instance.vehicle_types[vehicle_type]
        self.dist = np.asarray(instance.distance, dtype=float)
        self.dur = np.asarray(instance.duration_s, dtype=float)
        self.energy = np.asarray(instance.energy_wh[vehicle_type], dtype=float)
        self.early = np.asarray(instance.tw_early_s, dtype=float)
        self.late = np.asarray(instance.tw_late_s, dtype=float)
        self.service = np.asarray(instance.service_s, dtype=float)
        self.stations = np.fromiter(instance.stations, dtype=np.int64)
        power = np.minimum(
            np.asarray(instance.station_power_w, dtype=float), self.vt.max_charge_power_w
        )
        self.s_per_wh = np.where(power > 0, 3600.0 / np.maximum(power, EPS), np.inf)
        self.k = stations_per_arc
        self._cand: dict[tuple[int, int], list[tuple[int, float]]] = {}

    def candidates(self, a: int, b: int) -> list[tuple[int, float]]:
        """The stations with the smallest detour between nodes a and b, with their detours."""
        key = (a, b)
        found = self._cand.get(key)
        if found is None:
            if self.stations.size == 0:
                found = []
            else:
                st = self.stations
                detour = self.dist[a, st] + self.dist[st, b] - self.dist[a, b]
                order = np.argsort(detour, kind="stable")[: self.k]
                found = [(int(st[i]), float(detour[i])) for i in order if st[i] not in (a, b)]
            self._cand[key] = found
        return found

    def start_time(self) -> float:
        depot = self.vt.depot
        return float(max(self.vt.shift_start_s, self.early[depot]) + self.service[depot])

    def end_limit(self) -> float:
        return float(min(self.vt.shift_end_s, self.late[self.vt.depot]))

    def evaluate(self, clients: Sequence[int]) -> RouteEval:
        """The shortest charging plan that makes the sequence feasible, if the policy finds one."""
        depot = self.vt.depot
        path = [depot, *clients, depot]
        direct = self._direct(path)
        if direct is not None:
            return direct
        if self.stations.size == 0:
            return RouteEval(False, tuple(clients), (0.0,) * len(clients), 0.0, 0.0, 0.0, "energy")
        return self._label(path)

    def _direct(self, path: list[int]) -> RouteEval | None:
        """The sequence without any stop, if it is feasible; None if it needs charging."""
        frm, to = path[:-1], path[1:]
        legs_t = self.dur[frm, to].tolist()
        legs_e = self.energy[frm, to].tolist()
        dist = float(self.dist[frm, to].sum())
        early = self.early[to].tolist()
        late = self.late[to].tolist()
        service = self.service[to].tolist()
        start = self.start_time()
        t = start
        e = self.vt.start_energy_wh
        lowest = e
        m = len(path) - 2
        for k in range(m + 1):
            t += legs_t[k]
            e -= legs_e[k]
            lowest = min(lowest, e)
            if t > late[k] + EPS:
                return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, dist, 0.0, t, "time")
            if k < m:
                t = max(t, early[k]) + service[k]
        if t > self.end_limit() + EPS:
            return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, dist, 0.0, t, "time")
        if lowest < self.vt.reserve_wh - EPS:
            return None
        return RouteEval(True, tuple(path[1:-1]), (0.0,) * m, dist, t - start, t)

    def _label(self, path: list[int]) -> RouteEval:
        m = len(path) - 2  # clients
        cand = [[s for s, _ in self.candidates(a, b)] for a, b in itertools.pairwise(path)]
        nodes = list(dict.fromkeys([*path, *(s for c in cand for s in c)]))
        loc = {g: i for i, g in enumerate(nodes)}
        ix = np.ix_(nodes, nodes)
        first_station = int(self.stations[0])
        rate = [
            float(self.s_per_wh[g - first_station]) if g >= first_station else 0.0 for g in nodes
        ]
        ctx = LabelContext(
            path=[loc[g] for g in path],
            cand=[[loc[s] for s in c] for c in cand],
            dist=self.dist[ix].tolist(),
            dur=self.dur[ix].tolist(),
            energy=self.energy[ix].tolist(),
            early=self.early[nodes].tolist(),
            late=self.late[nodes].tolist(),
            service=self.service[nodes].tolist(),
            rate=rate,
            suffix=[],
            battery_wh=self.vt.battery_wh,
            reserve_wh=self.vt.reserve_wh,
            end_limit=self.end_limit(),
        )
        legs = [ctx.energy[a][b] for a, b in itertools.pairwise(ctx.path)]
        suffix = [0.0] * (m + 2)
        for k in range(m, -1, -1):
            suffix[k] = suffix[k + 1] + legs[k]
        ctx.suffix = suffix
        vt = self.vt
        buckets: list[dict[int, list[Label]]] = [{} for _ in range(m + 1)]
        source = Label(0.0, self.start_time(), vt.start_energy_wh, None, ctx.path[0], -1)
        best_end = extend(ctx, source, 1, buckets, m)
        d0 = ctx.path[0]
        for s in ctx.cand[0]:
            # a stop straight after the depot tops up a van that left with less than it needs
            e_s = source.energy - ctx.energy[d0][s]
            t_s = source.time + ctx.dur[d0][s]
            if e_s >= vt.reserve_wh - EPS and t_s <= ctx.late[s] + EPS:
                lab0 = Label(ctx.dist[d0][s], t_s, e_s, frozen(source, 0.0), s, 0)
                insert(buckets[0].setdefault(s, []), lab0)
        for j in range(m + 1):
            for labels in buckets[j].values():
                for lab in labels:
                    found = extend(ctx, lab, j + 1, buckets, m)
                    if found is not None and (best_end is None or found[0] < best_end[0] - EPS):
                        best_end = found
        if best_end is None:
            return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, 0.0, 0.0, 0.0, "energy")
        total, last, end_t = best_end
        stops: list[tuple[int, int, float]] = []  # (arc, station, charge)
        walk: Label | None = last
        while walk is not None and walk.arc >= 0:
            stops.append((walk.arc, nodes[walk.node], walk.charge))
            walk = walk.prev
        stops.reverse()
        visits: list[int] = []
        charges: list[float] = []
        si = 0
        for pos in range(m + 1):
            if pos > 0:
                visits.append(path[pos])
                charges.append(0.0)
            while si < len(stops) and stops[si][0] == pos:
                visits.append(stops[si][1])
                charges.append(stops[si][2])
                si += 1
        return RouteEval(
            True, tuple(visits), tuple(charges), total, end_t - self.start_time(), end_t
        )
