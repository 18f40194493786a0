"""Why a stop cannot be served: screen the hopeless ones before solving, explain the rest after.

A stop leaves the plan only with a reason a dispatcher can act on. Before solving, each stop is
tested against every van group on its own (an out-and-back trip, no other stops), in this order:

1. **too heavy or bulky** — no van type takes its weight and its volume;
2. **window impossible** — no van that could carry it can leave the depot in its shift, reach the
   stop inside one of its windows, serve it and be back by the end of the shift;
3. **out of reach even with charging** — even empty, with a full battery at every public charger
   and the van's start energy at the depot, no chain of legs reaches the stop and gets back with
   the reserve left.

Only these are removed before solving: they are impossible for any plan. A stop that survives but
that the search still leaves out gets :data:`NO_CAPACITY` — unless it is out of reach with a full
load, which is how the planner budgets energy (:func:`explain_leftover`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voltvan import energy
from voltvan.domain import Scenario, Stop
from voltvan.plan import Unassigned
from voltvan.planning._city import VanGroup
from voltvan.travel import Matrices

TOO_HEAVY = "too heavy or bulky for every van"
WINDOW_IMPOSSIBLE = "time window impossible: no van can reach it in its window and shift"
OUT_OF_REACH = "out of reach even with charging"
OUT_OF_REACH_LOADED = "out of reach with a full load, even with charging"
NO_CAPACITY = "no capacity left in the fleet"
NOT_PLACED_IN_TIME = "no place found for it before the time limit ran out"


def screen_stops(
    scenario: Scenario, matrices: Matrices, groups: Sequence[VanGroup]
) -> tuple[list[str], list[Unassigned]]:
    """Split the stops into those worth planning and those no plan can serve (with reasons)."""
    keep: list[str] = []
    dropped: list[Unassigned] = []
    reach = {id(g): _reachable(scenario, matrices, g, loaded=False) for g in groups}
    row = matrices.index()
    for k, stop in enumerate(scenario.stops):
        fits = [g for g in groups if _fits(stop, g)]
        if not fits:
            big = max(groups, key=lambda g: g.vehicle_type.payload_kg).vehicle_type
            dropped.append(
                Unassigned(
                    stop.id,
                    f"{TOO_HEAVY} ({stop.weight_kg:g} kg, {stop.volume_m3:g} m3; the largest "
                    f"van takes {big.payload_kg:g} kg, {big.volume_m3:g} m3)",
                )
            )
            continue
        timely = [g for g in fits if _window_ok(scenario, matrices, row, stop, g)]
        if not timely:
            dropped.append(Unassigned(stop.id, WINDOW_IMPOSSIBLE))
            continue
        if not any(reach[id(g)][k] for g in timely):
            dropped.append(Unassigned(stop.id, OUT_OF_REACH))
            continue
        keep.append(stop.id)
    return keep, dropped


def explain_leftover(
    scenario: Scenario, matrices: Matrices, groups: Sequence[VanGroup], stop_ids: Sequence[str]
) -> list[Unassigned]:
    """Reasons for stops the search did not place although each is possible on its own."""
    if not stop_ids:
        return []
    order = {s.id: k for k, s in enumerate(scenario.stops)}
    reach = [_reachable(scenario, matrices, g, loaded=True) for g in groups]
    out = []
    for sid in stop_ids:
        k = order[sid]
        ok = any(r[k] for r in reach)
        out.append(Unassigned(sid, NO_CAPACITY if ok else OUT_OF_REACH_LOADED))
    return out


def _fits(stop: Stop, g: VanGroup) -> bool:
    vt = g.vehicle_type
    return stop.weight_kg <= vt.payload_kg and stop.volume_m3 <= vt.volume_m3


def _window_ok(
    scenario: Scenario, matrices: Matrices, row: dict[str, int], stop: Stop, g: VanGroup
) -> bool:
    d, s = row[g.depot_id], row[stop.id]
    arrive = g.shift_start_s + float(matrices.duration_s[d, s])
    back = float(matrices.duration_s[s, d])
    for tw in stop.time_windows:
        start = max(arrive, tw.start_s)
        if start <= tw.end_s and start + stop.service_s + back <= g.shift_end_s:
            return True
    return False


def _reachable(scenario: Scenario, matrices: Matrices, g: VanGroup, *, loaded: bool) -> np.ndarray:
    """Per stop: can a van of ``g`` go there and back, charging at public chargers on the way?

    Lenient (``loaded=False``: empty van) for screening; ``loaded=True`` uses the full payload,
    as the planner does. Chargers form a graph whose hops must fit in a full battery above the
    reserve; the stop must be a hop out of the depot (start energy) or a reachable charger, and a
    hop back into the depot or a charger from which the depot is reachable.
    """
    fleet = scenario.fleet
    vt = g.vehicle_type
    mass = energy.vehicle_mass_kg(vt, vt.payload_kg if loaded else 0.0)
    row = matrices.index()
    d = row[g.depot_id]
    s_rows = np.asarray([row[s.id] for s in scenario.stops], dtype=np.int64)
    c_rows = np.asarray([row[c.id] for c in fleet.public_chargers], dtype=np.int64)
    hubs = np.concatenate(([d], c_rows))

    def e(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ix = np.ix_(a, b)
        return np.asarray(
            energy.leg_energy_matrix_wh(
                vt.consumption,
                matrices.distance_m[ix],
                matrices.duration_s[ix],
                mass_kg=mass,
                ambient_c=fleet.ambient_c,
            ),
            dtype=float,
        )

    hop = vt.battery_wh - vt.reserve_wh
    start = g.start_energy_wh - vt.reserve_wh
    hub_e = e(hubs, hubs)
    # Forward reachability (charge to full at every charger) and backward (can get home).
    avail = np.full(len(hubs), -np.inf)
    avail[0] = start
    reached = np.zeros(len(hubs), dtype=bool)
    reached[0] = start >= 0
    home = np.zeros(len(hubs), dtype=bool)
    home[0] = True
    for _ in range(len(hubs)):
        new = reached | np.any(reached[:, None] & (hub_e <= avail[:, None]), axis=0)
        avail = np.where(new, np.where(np.arange(len(hubs)) == 0, start, hop), -np.inf)
        back = home | np.any((hub_e <= hop) & home[None, :], axis=1)
        if np.array_equal(new, reached) and np.array_equal(back, home):
            break
        reached, home = new, back
    service = np.asarray([s.service_s for s in scenario.stops], dtype=float)
    dwell = np.asarray(
        [
            energy.dwell_energy_wh(vt.consumption, duration_s=float(x), ambient_c=fleet.ambient_c)
            for x in service
        ]
    )
    into = e(hubs, s_rows)  # (hubs, stops)
    out_of = e(s_rows, hubs)  # (stops, hubs)
    cost_back = np.where(home[None, :], out_of, np.inf).min(axis=1)
    slack = np.where(reached[:, None], avail[:, None] - into, -np.inf).max(axis=0)
    return np.asarray(slack - dwell - cost_back >= 0)
