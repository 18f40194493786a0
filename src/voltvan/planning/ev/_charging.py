"""Optimal charging stops for a fixed client sequence: a labelling algorithm over charge points.

PyVRP decides which clients a van serves and in what order; this module decides where the van
charges and how much. Stations may be inserted on any arc of the sequence (at most one per arc,
chosen among the few with the smallest detour). At a station the van charges just enough to reach
the next charging point (or the depot) with the reserve intact: charging takes time, so charging
more than needed can only delay later clients, except where a later wait would have absorbed it
(which this policy leaves unused, erring on the safe side). Labels are kept Pareto-optimal in
(distance, arrival time, energy left), so among the plans of this policy the shortest feasible one
is found. Time windows are propagated with the segment summaries of Vidal et al. (2013), so each
transition between two charging points costs O(1).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voltvan.planning.ev._model import EvInstance

_EPS = 1e-9
_MAX_LABELS = 6


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


@dataclass
class _Label:
    dist: float
    time: float  # arrival time at the charge point
    energy: float  # energy on arrival
    prev: _Label | None
    node: int  # station node (or depot for the source)
    arc: int  # charge point sits after client position ``arc`` (-1: the source)
    charge: float = 0.0  # decided when the label is extended


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
        self.s_per_wh = np.where(power > 0, 3600.0 / np.maximum(power, _EPS), np.inf)
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
            if t > late[k] + _EPS:
                return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, dist, 0.0, t, "time")
            if k < m:
                t = max(t, early[k]) + service[k]
        if t > self.end_limit() + _EPS:
            return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, dist, 0.0, t, "time")
        if lowest < self.vt.reserve_wh - _EPS:
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
        ctx = _Context(
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
        )
        legs = [ctx.energy[a][b] for a, b in itertools.pairwise(ctx.path)]
        suffix = [0.0] * (m + 2)
        for k in range(m, -1, -1):
            suffix[k] = suffix[k + 1] + legs[k]
        ctx.suffix = suffix
        vt = self.vt
        buckets: list[dict[int, list[_Label]]] = [{} for _ in range(m + 1)]
        source = _Label(0.0, self.start_time(), vt.start_energy_wh, None, ctx.path[0], -1)
        best_end = self._extend(ctx, source, 1, buckets, m)
        d0 = ctx.path[0]
        for s in ctx.cand[0]:
            # a stop straight after the depot tops up a van that left with less than it needs
            e_s = source.energy - ctx.energy[d0][s]
            t_s = source.time + ctx.dur[d0][s]
            if e_s >= vt.reserve_wh - _EPS and t_s <= ctx.late[s] + _EPS:
                lab0 = _Label(ctx.dist[d0][s], t_s, e_s, _copy(source, 0.0), s, 0)
                _insert(buckets[0].setdefault(s, []), lab0)
        for j in range(m + 1):
            for labels in buckets[j].values():
                for lab in labels:
                    found = self._extend(ctx, lab, j + 1, buckets, m)
                    if found is not None and (best_end is None or found[0] < best_end[0] - _EPS):
                        best_end = found
        if best_end is None:
            return RouteEval(False, tuple(path[1:-1]), (0.0,) * m, 0.0, 0.0, 0.0, "energy")
        total, last, end_t = best_end
        stops: list[tuple[int, int, float]] = []  # (arc, station, charge)
        walk: _Label | None = last
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

    def _extend(
        self,
        ctx: _Context,
        lab: _Label,
        first: int,
        buckets: list[dict[int, list[_Label]]],
        m: int,
    ) -> tuple[float, _Label, float] | None:
        """All transitions from ``lab`` to the next charging point; returns the best end label."""
        path, dist, dur, energy = ctx.path, ctx.dist, ctx.dur, ctx.energy
        early, late, service, suffix = ctx.early, ctx.late, ctx.service, ctx.suffix
        vt = self.vt
        p = lab.node
        is_source = lab.arc < 0
        room = 0.0 if is_source else vt.battery_wh - lab.energy  # most that can be charged here
        rate = 0.0 if is_source else ctx.rate[p]
        t_ready = lab.time if is_source else max(lab.time, early[p]) + service[p]
        reserve = vt.reserve_wh
        end_limit = self.end_limit()
        best: tuple[float, _Label, float] | None = None
        # segment summary of clients path[first..j] (Vidal et al.): duration, earliest, latest
        seg_d = seg_e = seg_l = travel0 = 0.0
        cum_e = max_e = d_run = 0.0
        prev = p
        for j in range(first, m + 2):
            node = path[j]
            if j == first:
                travel0 = dur[p][node]
                cum_e = energy[p][node]
                d_run = dist[p][node]
                seg_d = 0.0 if j == m + 1 else service[node]
                seg_e, seg_l = early[node], late[node]
            else:
                t_ij = dur[prev][node]
                delta = seg_d + t_ij
                if seg_e + delta > late[node] + _EPS:
                    break
                wait = max(early[node] - delta - seg_l, 0.0)
                new_e = max(early[node] - delta, seg_e) - wait
                new_l = min(late[node] - delta, seg_l)
                seg_d = seg_d + (0.0 if j == m + 1 else service[node]) + t_ij + wait
                seg_e, seg_l = new_e, new_l
                cum_e += energy[prev][node]
                d_run += dist[prev][node]
            if cum_e > max_e:
                max_e = cum_e
            if max_e + reserve - lab.energy > room + _EPS:
                break  # even a full charge here cannot reach path[j]
            prev = node
            if j == m + 1:  # reached the end depot
                need = max(0.0, max_e + reserve - lab.energy)
                arrive0 = t_ready + need * rate + travel0
                if arrive0 > seg_l + _EPS:
                    continue
                end_t = max(arrive0, seg_e) + seg_d
                if end_t > end_limit + _EPS:
                    continue
                total = lab.dist + d_run
                if best is None or total < best[0] - _EPS:
                    best = (total, _copy(lab, need), end_t)
                continue
            nxt = path[j + 1]
            for s in ctx.cand[j]:
                e_s = cum_e + energy[node][s]
                need = max(0.0, max(max_e, e_s) + reserve - lab.energy)
                if need > room + _EPS:
                    continue
                arrive0 = t_ready + need * rate + travel0
                if arrive0 > seg_l + _EPS:
                    continue
                t_s = max(arrive0, seg_e) + seg_d + dur[node][s]
                if t_s > late[s] + _EPS:
                    continue
                if not is_source:
                    # charge more for free where the van would wait anyway before the next client
                    lacking = energy[s][nxt] + suffix[j + 1] + reserve
                    lacking -= lab.energy + need - e_s
                    free = (seg_e - arrive0) / rate if rate > 0 else math.inf
                    extra = min(max(free, 0.0), room - need, max(lacking, 0.0))
                    if extra > _EPS:
                        need += extra
                new = _Label(
                    lab.dist + d_run + dist[node][s],
                    t_s,
                    lab.energy + need - e_s,
                    _copy(lab, need),
                    s,
                    j,
                )
                _insert(buckets[j].setdefault(s, []), new)
        return best


@dataclass
class _Context:
    """One sequence's data as plain lists over local node numbers (fast scalar access)."""

    path: list[int]
    cand: list[list[int]]
    dist: list[list[float]]
    dur: list[list[float]]
    energy: list[list[float]]
    early: list[float]
    late: list[float]
    service: list[float]
    rate: list[float]
    suffix: list[float]


def _copy(lab: _Label, charge: float) -> _Label:
    """A label frozen with the charge decided for one particular next stop."""
    return _Label(lab.dist, lab.time, lab.energy, lab.prev, lab.node, lab.arc, charge)


def _insert(labels: list[_Label], new: _Label) -> None:
    for old in labels:
        if (
            old.dist <= new.dist + _EPS
            and old.time <= new.time + _EPS
            and old.energy >= new.energy - _EPS
        ):
            return
    labels[:] = [
        old
        for old in labels
        if not (
            new.dist <= old.dist + _EPS
            and new.time <= old.time + _EPS
            and new.energy >= old.energy - _EPS
        )
    ]
    labels.append(new)
    if len(labels) > _MAX_LABELS:
        labels.sort(key=lambda x: x.dist)
        del labels[_MAX_LABELS:]
