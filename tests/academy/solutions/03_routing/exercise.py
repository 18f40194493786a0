"""Lesson 3, reference solution: 2-opt with first improvement, then relocate.

A route is the list of nodes a van visits between leaving and returning to its depot:
customers and charging stations, by their index in the instance (the depot is not in it).
``evaluate`` is the rule of the lesson (given; the grader has its own copy, so changing this
one changes nothing but your own search).
"""

from __future__ import annotations

from voltvan.planning.ev import EvInstance

EPS = 1e-6


def evaluate(instance: EvInstance, route: list[int]) -> float | None:
    """The route's length, or None when it breaks load, a time window or the battery.

    The van leaves the depot full at the start of its shift; at a station it charges just
    enough to reach the next station or the depot (charging takes energy / station power).
    """
    vt = instance.vehicle_types[0]
    depot = vt.depot
    nodes = [depot, *route, depot]
    energy_of = instance.energy_wh[0]
    if sum(float(instance.demand[n][0]) for n in route) > vt.capacity[0] + EPS:
        return None
    energy = vt.start_energy_wh
    time = max(vt.shift_start_s, float(instance.tw_early_s[depot]))
    length = 0.0
    for k in range(1, len(nodes)):
        i, j = nodes[k - 1], nodes[k]
        length += float(instance.distance[i, j])
        time += float(instance.duration_s[i, j])
        energy -= float(energy_of[i, j])
        if energy < vt.reserve_wh - EPS:
            return None
        time = max(time, float(instance.tw_early_s[j]))
        if time > float(instance.tw_late_s[j]) + EPS:
            return None
        if k == len(nodes) - 1:
            break
        if instance.is_station(j):
            need = 0.0
            for a, b in zip(nodes[k:], nodes[k + 1 :], strict=False):
                need += float(energy_of[a, b])
                if instance.is_station(b) or b == depot:
                    break
            charge = min(vt.battery_wh - energy, max(0.0, need + vt.reserve_wh - energy))
            station = j - instance.num_depots - instance.num_clients
            time += charge * 3600.0 / float(instance.station_power_w[station])
            energy += charge
        else:
            time += float(instance.service_s[j])
    return length if time <= vt.shift_end_s + EPS else None


def improve_route(instance: EvInstance, route: list[int]) -> list[int]:
    """2-opt and relocate, each kept when feasible and shorter, until neither helps."""
    best = list(route)
    best_len = evaluate(instance, best)
    assert best_len is not None, "the route given must be feasible"
    improved = True
    while improved:
        improved = False
        for cand in _neighbours(best):
            length = evaluate(instance, cand)
            if length is not None and length < best_len - EPS:
                best, best_len, improved = cand, length, True
                break
    return best


def _neighbours(route: list[int]) -> list[list[int]]:
    n = len(route)
    out = [route[:i] + route[i:j][::-1] + route[j:] for i in range(n) for j in range(i + 2, n + 1)]
    for i in range(n):
        rest = route[:i] + route[i + 1 :]
        out += [[*rest[:k], route[i], *rest[k:]] for k in range(n) if k != i]
    return out
