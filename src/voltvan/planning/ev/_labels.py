"""The labels of the charging-stop labelling: how one extends to the next charge point, and
which survive.

A label is a partial charging plan of one client sequence: where the van last charged, with the
distance so far, the arrival time there and the energy left. :mod:`._charging` sets up a sequence
and reads the best plan back; this module holds the inner loop it runs for every label, apart
from that setup because it is the hot path (plain lists over local node numbers, no numpy) and
because the dominance rule that keeps the label sets small belongs with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EPS = 1e-9  # tolerance of every time, energy and distance comparison of the labelling
_MAX_LABELS = 6  # labels kept per (arc, station): the shortest ones when more are Pareto-optimal


@dataclass
class Label:
    """A partial charging plan, ending at a charge point (the depot for the source)."""

    dist: float
    time: float  # arrival time at the charge point
    energy: float  # energy on arrival
    prev: Label | None
    node: int  # station node (or depot for the source)
    arc: int  # charge point sits after client position ``arc`` (-1: the source)
    charge: float = 0.0  # decided when the label is extended


@dataclass
class LabelContext:
    """One sequence's data as plain lists over local node numbers (fast scalar access), with
    the van's limits."""

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
    battery_wh: float
    reserve_wh: float
    end_limit: float  # latest return to the depot


def extend(
    ctx: LabelContext,
    lab: Label,
    first: int,
    buckets: list[dict[int, list[Label]]],
    m: int,
) -> tuple[float, Label, float] | None:
    """All transitions from ``lab`` to the next charging point; returns the best end label."""
    path, dist, dur, energy = ctx.path, ctx.dist, ctx.dur, ctx.energy
    early, late, service, suffix = ctx.early, ctx.late, ctx.service, ctx.suffix
    p = lab.node
    is_source = lab.arc < 0
    room = 0.0 if is_source else ctx.battery_wh - lab.energy  # most that can be charged here
    rate = 0.0 if is_source else ctx.rate[p]
    t_ready = lab.time if is_source else max(lab.time, early[p]) + service[p]
    reserve = ctx.reserve_wh
    end_limit = ctx.end_limit
    best: tuple[float, Label, float] | None = None
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
            if seg_e + delta > late[node] + EPS:
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
        if max_e + reserve - lab.energy > room + EPS:
            break  # even a full charge here cannot reach path[j]
        prev = node
        if j == m + 1:  # reached the end depot
            need = max(0.0, max_e + reserve - lab.energy)
            arrive0 = t_ready + need * rate + travel0
            if arrive0 > seg_l + EPS:
                continue
            end_t = max(arrive0, seg_e) + seg_d
            if end_t > end_limit + EPS:
                continue
            total = lab.dist + d_run
            if best is None or total < best[0] - EPS:
                best = (total, frozen(lab, need), end_t)
            continue
        nxt = path[j + 1]
        for s in ctx.cand[j]:
            e_s = cum_e + energy[node][s]
            need = max(0.0, max(max_e, e_s) + reserve - lab.energy)
            if need > room + EPS:
                continue
            arrive0 = t_ready + need * rate + travel0
            if arrive0 > seg_l + EPS:
                continue
            t_s = max(arrive0, seg_e) + seg_d + dur[node][s]
            if t_s > late[s] + EPS:
                continue
            if not is_source:
                # charge more for free where the van would wait anyway before the next client
                lacking = energy[s][nxt] + suffix[j + 1] + reserve
                lacking -= lab.energy + need - e_s
                free = (seg_e - arrive0) / rate if rate > 0 else math.inf
                extra = min(max(free, 0.0), room - need, max(lacking, 0.0))
                if extra > EPS:
                    need += extra
            new = Label(
                lab.dist + d_run + dist[node][s],
                t_s,
                lab.energy + need - e_s,
                frozen(lab, need),
                s,
                j,
            )
            insert(buckets[j].setdefault(s, []), new)
    return best


def frozen(lab: Label, charge: float) -> Label:
    """A label frozen with the charge decided for one particular next stop."""
    return Label(lab.dist, lab.time, lab.energy, lab.prev, lab.node, lab.arc, charge)


def insert(labels: list[Label], new: Label) -> None:
    """Add ``new`` to a Pareto set unless a label there dominates it, dropping those it dominates.

    Past ``_MAX_LABELS`` only the shortest are kept: a heuristic cut that bounds the work per arc.
    """
    for old in labels:
        if (
            old.dist <= new.dist + EPS
            and old.time <= new.time + EPS
            and old.energy >= new.energy - EPS
        ):
            return
    labels[:] = [
        old
        for old in labels
        if not (
            new.dist <= old.dist + EPS
            and new.time <= old.time + EPS
            and new.energy >= old.energy - EPS
        )
    ]
    labels.append(new)
    if len(labels) > _MAX_LABELS:
        labels.sort(key=lambda x: x.dist)
        del labels[_MAX_LABELS:]
