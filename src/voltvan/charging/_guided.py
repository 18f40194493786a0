"""Connector sessions read off the connector-relaxed LP (the session guide).

The relaxed LP (every van may charge anywhere in its stay, at most as many vans as connectors
per slot) is what the lower bound solves. Its optimum is very degenerate: with a flat night
price any van may take any slot. A tie-break that differs by van (a van whose stay lies
earlier pays a little more for each later slot) picks the optimum in which each van's energy
sits in one block of neighbouring slots, in the order of the vans' stays (costs of the form
weight(van) x slot are Monge, so the cheapest assignment is monotone).
A block is a session: the span from its first to its last charging slot. Packing the spans
onto connectors is interval partitioning (sorted by start, each takes a free plug), which
needs no more plugs than the most blocks that overlap; on our nights that is 25-35 blocks
for 40 plugs, so the relaxed optimum itself fits the connectors and the schedule lands on
the bound.
"""

from __future__ import annotations

import math

from voltvan.charging._assign import Session, stretch_sessions
from voltvan.charging._lp import LpResult, Window, solve_lp
from voltvan.charging._model import ChargeRequest, Connector, DepotProblem, rate_w

GUIDE_EARLY_PER_KWH = 1e-4
"""Size of the per-van tie-break: at most 0.01 cent/kWh, far below any tariff step."""
GUIDE_SPREAD = 2.0
"""Weights run from 1 (latest stay) to 1 + this (earliest)."""
CHARGING_W = 1.0
"""A slot with less power than this does not need a plug."""


def relaxed_windows(
    problem: DepotProblem, pinned: dict[str, str] | None = None
) -> dict[str, Window]:
    """Each van's whole stay at its best connector's power (pinned vans: their own plug)."""
    pinned = pinned or {}
    out: dict[str, Window] = {}
    for r in problem.requests:
        if r.vehicle_id in pinned:
            rates = [rate_w(r, problem.connector(pinned[r.vehicle_id]))]
        else:
            rates = [rate_w(r, c) for c in problem.connectors if allowed(r, c)]
        if rates and max(rates) > 0:
            out[r.vehicle_id] = Window(r.arrival_s, r.departure_s, max(rates))
    return out


def guide_weights(problem: DepotProblem) -> dict[str, float]:
    """Charge-early weights by the middle of each van's stay: earlier stays charge first."""
    order = sorted(problem.requests, key=lambda r: (r.arrival_s + r.departure_s, r.vehicle_id))
    n = max(1, len(order))
    return {r.vehicle_id: 1.0 + GUIDE_SPREAD * (n - i) / n for i, r in enumerate(order)}


def guided_lp(
    problem: DepotProblem,
    windows: dict[str, Window],
    *,
    shortfall_weights: dict[str, float] | None = None,
) -> LpResult:
    """The relaxed LP with the block-forming tie-break (same constraints as the bound)."""
    return solve_lp(
        problem,
        windows,
        occupancy_limit=len(problem.connectors),
        shortfall_weights=shortfall_weights,
        early_weights=guide_weights(problem),
        early_per_kwh=GUIDE_EARLY_PER_KWH,
        interior=True,
    )


def allowed(r: ChargeRequest, c: Connector) -> bool:
    """The van may use the connector: its charger pin allows it and it accepts that current."""
    return (r.charger_id is None or c.charger_id == r.charger_id) and (
        (r.max_dc_power_w if c.current == "DC" else r.max_ac_power_w) > 0
    )


def sessions_from_profile(
    problem: DepotProblem,
    power_w: dict[str, list[float]],
    windows: dict[str, Window],
    pinned: dict[str, str] | None = None,
) -> dict[str, Session]:
    """One session per charging van covering its charging slots, packed onto connectors.

    A van that finds no plug free for its whole span takes the free gap of a compatible plug
    that holds most of its planned energy (the LP then re-plans it inside that gap).
    """
    pinned = pinned or {}
    starts = problem.slot_starts()
    booked: dict[str, list[tuple[float, float]]] = {c.id: [] for c in problem.connectors}
    sessions: dict[str, Session] = {}
    for vid, cid in pinned.items():
        r = problem.request(vid)
        sessions[vid] = Session(vid, cid, r.arrival_s, r.departure_s)
        booked[cid].append((r.arrival_s, r.departure_s))
    spans: list[tuple[float, float, ChargeRequest]] = []
    for r in problem.requests:
        used = [k for k, p in enumerate(power_w.get(r.vehicle_id, ())) if p > CHARGING_W]
        if r.vehicle_id in pinned or not used:
            continue
        lo = max(r.arrival_s, starts[used[0]])
        hi = min(r.departure_s, starts[used[-1]] + problem.slot_s)
        spans.append((lo, hi, r))
    spans.sort(key=lambda s: (s[0], s[1], s[2].vehicle_id))
    for lo, hi, r in spans:
        want = windows[r.vehicle_id].rate_w if r.vehicle_id in windows else 0.0
        best: tuple[tuple[bool, float, float, str], Connector] | None = None
        for c in problem.connectors:
            if not allowed(r, c) or not _free(booked[c.id], lo, hi):
                continue
            last_end = max((b for _, b in booked[c.id] if b <= lo), default=-math.inf)
            key = (rate_w(r, c) >= want - 1e-9, rate_w(r, c), last_end, c.id)
            if best is None or key > best[0]:
                best = (key, c)
        if best is not None:
            sessions[r.vehicle_id] = Session(r.vehicle_id, best[1].id, lo, hi)
            booked[best[1].id].append((lo, hi))
            continue
        gap = _best_gap(problem, r, power_w[r.vehicle_id], booked)
        if gap is not None:
            cid, a, b = gap
            sessions[r.vehicle_id] = Session(r.vehicle_id, cid, a, b)
            booked[cid].append((a, b))
    return stretch_sessions(problem, sessions)


def _free(booked: list[tuple[float, float]], lo: float, hi: float) -> bool:
    return all(b <= lo + 1e-6 or a >= hi - 1e-6 for a, b in booked)


def _best_gap(
    problem: DepotProblem,
    r: ChargeRequest,
    power: list[float],
    booked: dict[str, list[tuple[float, float]]],
) -> tuple[str, float, float] | None:
    """The free stretch of a compatible plug, within the stay, holding most planned energy."""
    starts = problem.slot_starts()
    best: tuple[float, str, float, float] | None = None
    for c in problem.connectors:
        if not allowed(r, c):
            continue
        cuts = sorted(booked[c.id])
        edges = [r.arrival_s]
        for a, b in cuts:
            edges += [a, b]
        edges.append(r.departure_s)
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            a, b = max(a, r.arrival_s), min(b, r.departure_s)
            if b - a < 1.0:
                continue
            inside = sum(
                p
                for k, p in enumerate(power)
                if starts[k] >= a - 1e-6 and starts[k] + problem.slot_s <= b + 1e-6
            )
            key = (inside, c.id, a, b)
            if best is None or key[:2] > best[:2]:
                best = key
    return None if best is None else (best[1], best[2], best[3])
