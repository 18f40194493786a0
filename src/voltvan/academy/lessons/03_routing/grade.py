"""Grades lesson 3: the learner's move on routes of several EVRPTW instances.

The grader judges every route with its own copy of the lesson's rule (it never calls the
learner's ``evaluate``): a returned route must keep the visits, be feasible and be no longer;
a spoiled route (one stretch reversed: feasible and longer) must come back shorter.
"""

from __future__ import annotations

import collections
import itertools
import random
import types

from voltvan.academy import data_file
from voltvan.benchmarks import read_instance
from voltvan.planning.ev import EvInstance

EPS = 1e-6

#: Routes voltvan's engine found (``solve_ev``, 100 iterations, seed 0), fixed here so that the
#: grade depends on the learner's move only. Node indices as in ``EvInstance``.
ROUTES: dict[str, list[list[int]]] = {
    "c101C5": [[2, 7, 3]],
    "r104C5": [[3, 5, 4], [2, 7, 1]],
    "rc108C5": [[2, 8, 3, 7, 5], [4, 1, 9]],
    "c101C10": [[10, 5, 6, 13, 9], [8, 11, 3, 4], [1, 12, 2, 14, 7, 14]],
    "c202C10": [[6, 9, 12, 3, 4, 13, 8, 11, 1, 15, 5, 14, 10, 2, 7]],
    "r203C10": [[6, 1, 10, 7, 15, 3, 8, 11, 4, 12, 9, 2, 13, 5]],
    "rc202C15": [[8, 17, 11, 6, 9, 18, 7, 15], [4, 12, 19, 2, 10, 19, 14, 1, 13, 20, 5, 20, 3]],
}


def judge(instance: EvInstance, route: list[int]) -> tuple[float | None, str]:
    """(length, "") or (None, what breaks first)."""
    vt = instance.vehicle_types[0]
    depot = vt.depot
    nodes = [depot, *route, depot]
    names = instance.names
    energy_of = instance.energy_wh[0]
    load = sum(float(instance.demand[n][0]) for n in route)
    if load > vt.capacity[0] + EPS:
        return None, f"load {load:g} is over the capacity {vt.capacity[0]:g}"
    energy, length = vt.start_energy_wh, 0.0
    clock = max(vt.shift_start_s, float(instance.tw_early_s[depot]))
    for k, (i, j) in enumerate(itertools.pairwise(nodes), start=1):
        length += float(instance.distance[i, j])
        clock += float(instance.duration_s[i, j])
        energy -= float(energy_of[i, j])
        if energy < vt.reserve_wh - EPS:
            return None, f"the battery runs flat before {names[j]}"
        clock = max(clock, float(instance.tw_early_s[j]))
        if clock > float(instance.tw_late_s[j]) + EPS:
            return None, f"the van reaches {names[j]} at {clock:.1f}, after its window closes"
        if k == len(nodes) - 1:
            break
        if instance.is_station(j):
            ahead = 0.0
            for a, b in zip(nodes[k:], nodes[k + 1 :], strict=False):
                ahead += float(energy_of[a, b])
                if instance.is_station(b) or b == depot:
                    break
            charge = min(vt.battery_wh - energy, max(0.0, ahead + vt.reserve_wh - energy))
            power = float(instance.station_power_w[j - instance.num_depots - instance.num_clients])
            clock += charge * 3600.0 / power
            energy += charge
        else:
            clock += float(instance.service_s[j])
    if clock > vt.shift_end_s + EPS:
        return None, "the van is back after the end of its shift"
    return length, ""


def _reversals(route: list[int]) -> list[list[int]]:
    return [
        route[:i] + route[i:j][::-1] + route[j:]
        for i, j in itertools.combinations(range(len(route) + 1), 2)
        if j - i >= 2
    ]


def _inputs(instance: EvInstance, route: list[int], rng: random.Random) -> list[list[int]]:
    """The route, its longest feasible one-reversal spoiling, and a few feasible neighbours."""
    feasible = [r for r in _reversals(route) if judge(instance, r)[0] is not None]
    spoiled = max(feasible, key=lambda r: judge(instance, r)[0] or 0.0, default=route)
    return [route, spoiled, *rng.sample(feasible, min(3, len(feasible)))]


def _names(instance: EvInstance, route: list[int]) -> str:
    return " ".join(instance.names[n] if 0 <= n < instance.num_nodes else str(n) for n in route)


def grade(module: types.ModuleType) -> list[str]:
    rng = random.Random(3)
    problems: list[str] = []
    for name, routes in ROUTES.items():
        instance = read_instance(data_file(f"evrptw-small/{name}.txt")).instance
        for route in routes:
            inputs = _inputs(instance, route, rng)
            for k, given in enumerate(inputs):
                given_len = judge(instance, given)[0]
                assert given_len is not None, f"{name}: a route of the grader is infeasible"
                copy = list(given)
                out = module.improve_route(instance, copy)
                where = f"improve_route on {name}, route {_names(instance, given)}"
                if copy != given:
                    return [f"{where}: it changed the list it was given (return a new one)"]
                if not isinstance(out, list) or not all(isinstance(n, int) for n in out):
                    return [f"{where}: should return a list of node indices, got {out!r}"]
                if collections.Counter(out) != collections.Counter(given):
                    return [
                        f"{where}: returned {_names(instance, out)}, which does not visit the "
                        "same customers and stations (every visit must stay, none added)"
                    ]
                length, why = judge(instance, out)
                if length is None:
                    return [f"{where}: returned the infeasible {_names(instance, out)}: {why}"]
                if length > given_len + EPS:
                    return [f"{where}: returned a longer route ({length:.2f} > {given_len:.2f})"]
                original = judge(instance, route)[0] or 0.0
                if k == 1 and given_len > original * 1.01 and length > given_len - EPS:
                    problems.append(
                        f"{where}: left this spoiled route at {given_len:.2f}; a reversed "
                        f"stretch brings it back to {original:.2f} (try 2-opt)"
                    )
    more = [f"... and {len(problems) - 3} more spoiled routes left as they were"]
    return problems[:3] + (more if len(problems) > 3 else [])
