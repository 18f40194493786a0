"""Fit what is left into the vans' remaining routes, changing each route as little as possible.

Each van's remaining sequence from the parent plan is kept as it is (the warm start). Only three
things are placed, each by the cheapest position that a replay with the full model accepts:

* a failed delivery to retry, on the van that still carries it (anywhere after it resumes);
* a parcel at the depot (the undelivered parcels of a van out of service, new urgent stops,
  stops the parent plan could not serve), on a *second trip*: after the van's own stops it goes
  back to the depot, loads (``reload``) and serves these — a van never picks up parcels in the
  middle of its own trip, so what it has on board and the drivers' sequences stay as they were;
  a parcel on board that finds no place stays on board (``Origin.carried_kg``) back to the depot;
* when a remaining route no longer works (a delay, a low battery), a charge stop first, then its
  stops are taken out from where the first problem shows and put back where they fit on the same
  van (their parcels are on board); what fits nowhere is listed as unassigned.
"""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass

from voltvan.domain import Van
from voltvan.plan import VisitKind
from voltvan.planning._context import Context
from voltvan.planning._origin import Origin
from voltvan.planning._timeline import Timed, time_route

MAX_CANDIDATES = 10
"""Positions replayed per parcel (the cheapest by detour): bounds the work on big days."""
NEAREST_CHARGERS = 4
PER_VAN = 3
"""Positions replayed per van in the second chance for a parcel no cheap position took."""

Seq = list[tuple[VisitKind, str]]


@dataclass
class Work:
    """A van being re-planned: its fixed own part, its second-trip parcels, the replay of both."""

    van: Van
    origin: Origin
    own: Seq
    trip: list[str]
    timed: Timed

    def seq(self) -> Seq:
        if not self.trip:
            return list(self.own)
        return [*self.own, ("reload", self.van.depot_id), *(("stop", s) for s in self.trip)]


def settle(ctx: Context, van: Van, origin: Origin, own: Seq) -> tuple[Work, list[str]]:
    """The van's remaining route made feasible; the stops it had to leave out (still on board)."""
    timed = time_route(ctx, van, own, origin)
    out: list[str] = []
    while timed.issues:
        if any(i.kind == "energy" for i in timed.issues):
            charged = with_charge_stop(ctx, van, origin, own)
            if charged is not None:
                own, timed = charged
                continue
        stops = [k for k, (kind, _) in enumerate(own) if kind == "stop"]
        if not stops:
            break
        first = timed.issues[0].index - 1  # visits index 1.. == seq index 0..
        k = max([j for j in stops if j <= first], default=stops[0])
        out.append(own[k][1])
        origin = carry(ctx, origin, own[k][1], +1)
        own = own[:k] + own[k + 1 :]
        timed = time_route(ctx, van, own, origin)
    work = Work(van, origin, own, [], timed)
    back = [s for s in out if not place_own(ctx, work, s)]
    return work, back


def carry(ctx: Context, origin: Origin, stop_id: str, sign: int) -> Origin:
    """The origin with a parcel that rides along undelivered added (+1) or taken off (-1)."""
    stop = ctx.stops[stop_id]
    return dataclasses.replace(
        origin,
        carried_kg=max(0.0, origin.carried_kg + sign * stop.weight_kg),
        carried_m3=max(0.0, origin.carried_m3 + sign * stop.volume_m3),
    )


def place_own(ctx: Context, work: Work, stop_id: str) -> bool:
    """Deliver a parcel the van carries (counted in ``carried``) somewhere in its own part."""
    dist = ctx.matrices.distance_m
    s = ctx.row[stop_id]
    rows = [ctx.row[loc] for loc in (work.origin.location_id, *(x for _, x in work.own))]
    rows.append(ctx.row[work.van.depot_id])
    ranked = sorted(
        range(len(rows) - 1),
        key=lambda p: float(dist[rows[p], s] + dist[s, rows[p + 1]] - dist[rows[p], rows[p + 1]]),
    )
    origin = carry(ctx, work.origin, stop_id, -1)
    for pos in ranked[:MAX_CANDIDATES]:
        own = [*work.own[:pos], ("stop", stop_id), *work.own[pos:]]
        trial = time_route(
            ctx, work.van, Work(work.van, origin, own, work.trip, work.timed).seq(), origin
        )
        if not trial.issues:
            work.own, work.timed, work.origin = own, trial, origin
            return True
    return False


def place_depot_parcel(
    ctx: Context, works: list[Work], stop_id: str, limit: int | None = MAX_CANDIDATES
) -> Work | None:
    """Put a parcel from the depot on some van's second trip; the van that took it, or None.

    ``limit`` bounds the positions replayed (the cheapest by detour); None tries the
    ``PER_VAN`` cheapest of every van instead (the cheapest overall may all be on one van).
    """
    dist = ctx.matrices.distance_m
    s = ctx.row[stop_id]
    candidates: list[tuple[float, float, int, int]] = []
    for w_i, w in enumerate(works):
        depot = ctx.row[w.van.depot_id]
        rows = [depot, *(ctx.row[t] for t in w.trip), depot]
        free_s = w.timed.route.end_s  # a new trip costs the same for all: the earliest free first
        for p in range(len(rows) - 1):
            a, b = rows[p], rows[p + 1]
            candidates.append((float(dist[a, s] + dist[s, b] - dist[a, b]), free_s, w_i, p))
    if limit is None:  # the cheapest few positions of every van
        ranked = sorted(
            c
            for w_i in range(len(works))
            for c in heapq.nsmallest(PER_VAN, (c for c in candidates if c[2] == w_i))
        )
    else:
        ranked = heapq.nsmallest(limit, candidates)
    for _, _, w_i, p in ranked:
        w = works[w_i]
        trip = [*w.trip[:p], stop_id, *w.trip[p:]]
        trial = time_route(ctx, w.van, Work(w.van, w.origin, w.own, trip, w.timed).seq(), w.origin)
        if not trial.issues:
            w.trip, w.timed = trip, trial
            return w
    return None


def with_charge_stop(
    ctx: Context, van: Van, origin: Origin | None, own: Seq
) -> tuple[Seq, Timed] | None:
    """The shortest feasible route with one more charge stop at one of the nearest chargers
    (nearest to where the van resumes, or to its depot for a route of the whole day)."""
    chargers = list(ctx.scenario.fleet.public_chargers)
    here = ctx.row[origin.location_id if origin is not None else van.depot_id]
    dist = ctx.matrices.distance_m
    chargers.sort(key=lambda c: float(dist[here, ctx.row[c.id]]))
    best: tuple[Seq, Timed] | None = None
    for c in chargers[:NEAREST_CHARGERS]:
        for pos in range(len(own) + 1):
            seq = [*own[:pos], ("charge", c.id), *own[pos:]]
            trial = time_route(ctx, van, seq, origin)
            if trial.issues:
                continue
            if best is None or trial.route.distance_m < best[1].route.distance_m:
                best = (seq, trial)
    return best
