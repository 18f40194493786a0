"""Lesson 4, reference solution: the late van first, on its connector; the others around it."""

from __future__ import annotations

import dataclasses

from voltvan.charging import DepotProblem, Schedule, schedule_depot


def schedule_with_reservation(problem: DepotProblem, late_van: str, connector_id: str) -> Schedule:
    """Two schedules on the night's slot grid, the first's draw the second's base load."""
    grid = {"start_s": problem.grid_start_s, "num_slots": problem.grid_num_slots}
    alone = dataclasses.replace(
        problem,
        requests=(problem.request(late_van),),
        connectors=(problem.connector(connector_id),),
        **grid,
    )
    first = schedule_depot(alone)
    draw = first.van(late_van).power_w
    base = tuple(
        problem.base_load(k) + draw[k] / problem.efficiency for k in range(problem.grid_num_slots)
    )
    rest = dataclasses.replace(
        problem,
        requests=tuple(r for r in problem.requests if r.vehicle_id != late_van),
        connectors=tuple(c for c in problem.connectors if c.id != connector_id),
        base_load_w=base,
        **grid,
    )
    second = schedule_depot(rest)
    by_id = {v.vehicle_id: v for v in (*second.vans, *first.vans)}
    return dataclasses.replace(
        second,
        vans=tuple(by_id[r.vehicle_id] for r in problem.requests),
        connectors=problem.connectors,
        base_load_w=problem.base_load_w,
        shortfalls=(*first.shortfalls, *second.shortfalls),
    )
