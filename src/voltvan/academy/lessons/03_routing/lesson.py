# %% [markdown]
# # Lesson 3 — Routing: local search on electric routes
#
# You will be able to ...
#
# - read an EVRPTW benchmark instance: a depot, customers with time windows and demands,
#   and charging stations,
# - solve it with voltvan's routing engine (PyVRP plus battery and charging stops),
# - judge a route yourself: load, time windows, battery and charging,
# - write a local-search move and measure it against the engine on several instances.
#
# **Prerequisites:** lesson 1; loops over lists. **Time:** about 45 minutes.
#
# The instances are those of Schneider, Stenger & Goeke (2014), *The Electric Vehicle-Routing
# Problem with Time Windows and Recharging Stations* (MIT licence, via the RoutingBlocks paper
# repository), shipped with voltvan in their small sizes (5 to 15 customers).

# %%
import importlib
import itertools

from voltvan.academy import data_file
from voltvan.benchmarks import read_instance
from voltvan.planning.ev import EvInstance, solve_ev

# %% [markdown]
# ## 1. An instance
#
# `read_instance` turns the file into the engine's `EvInstance`: nodes ordered depot,
# customers, stations; distance, travel time and energy matrices; time windows, service
# times and demands. In these instances energy is proportional to distance, the van starts
# full, and a station charges at a fixed rate, partially if that is enough.

# %%
path = data_file("evrptw-small/c202C10.txt")
print(path.read_text().splitlines()[0])
bench = read_instance(path)
instance = bench.instance
van = instance.vehicle_types[0]
print(
    f"{bench.name}: {instance.num_clients} customers, {instance.num_stations} stations; "
    f"battery {van.battery_wh}, load capacity {van.capacity[0]}, shift ends {van.shift_end_s}"
)
for node in list(instance.clients)[:3]:
    print(
        f"  {instance.names[node]}: window {instance.tw_early_s[node]:.0f}-"
        f"{instance.tw_late_s[node]:.0f}, demand {instance.demand[node][0]:.0f}"
    )

# %% [markdown]
# ## 2. The engine
#
# `solve_ev` searches (PyVRP's hybrid genetic search) with battery and charging stops added.
# A fixed seed and an iteration count make it reproducible.

# %%
solution = solve_ev(instance, max_iterations=100, seed=0)
print(f"engine: {len(solution.routes)} vans, distance {solution.distance:.1f}")
for r in solution.routes:
    print("  ", [instance.names[n] for n in r.visits], [round(c, 1) for c in r.charge_wh])

# %% [markdown]
# ## 3. Judging a route yourself
#
# To improve routes you need to judge them. The rule of this lesson: the van leaves the
# depot full at the start of its shift, drives, waits when early, is late never; at a
# station it charges just enough to reach the next station or the depot. The engine plans
# charging amounts more cleverly (it may charge more early to wait less later), so this rule
# is a little stricter than the engine's, never looser. The same function is in your
# `exercise.py`.

# %%
EPS = 1e-6


def evaluate(instance: EvInstance, route: list[int]) -> float | None:
    """The route's length, or None when it breaks load, a time window or the battery."""
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
            return None  # the battery runs flat before j
        time = max(time, float(instance.tw_early_s[j]))  # early: wait
        if time > float(instance.tw_late_s[j]) + EPS:
            return None  # late at j
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


for r in solution.routes:
    print(f"engine route of {len(r.visits)} visits: length {evaluate(instance, list(r.visits))}")

# %% [markdown]
# ## 4. A move: swap two neighbours
#
# Local search starts from a route and tries small changes (*moves*), keeping each one that
# is feasible and shorter, until none helps. The simplest move swaps two neighbouring visits.
# We spoil an engine route on purpose (reverse its middle: often still feasible, and longer)
# and see how far the swap move brings it back.


# %%
def spoil(instance: EvInstance, route: list[int]) -> list[int]:
    """The longest feasible route one reversed stretch away (the route itself if none)."""
    worst, worst_len = route, evaluate(instance, route) or 0.0
    for i, j in itertools.combinations(range(len(route) + 1), 2):
        cand = route[:i] + route[i:j][::-1] + route[j:]
        length = evaluate(instance, cand)
        if length is not None and length > worst_len:
            worst, worst_len = cand, length
    return worst


def swap_neighbours(instance: EvInstance, route: list[int]) -> list[int]:
    best, best_len = list(route), evaluate(instance, route)
    assert best_len is not None
    improved = True
    while improved:
        improved = False
        for k in range(len(best) - 1):
            cand = [*best[:k], best[k + 1], best[k], *best[k + 2 :]]
            length = evaluate(instance, cand)
            if length is not None and length < best_len - EPS:
                best, best_len, improved = cand, length, True
    return best


# %% [markdown]
# ## 5. Measured on several instances
#
# For each instance: the engine's total distance, the spoiled routes, and the spoiled routes
# after the swap move. Once your `improve_route` passes its check, run this lesson in the
# folder of your `exercise.py` and a last column measures your move the same way.

# %%
try:
    exercise = importlib.import_module("exercise")  # your exercise.py, beside this lesson

    yours = exercise.improve_route
    yours(instance, list(solution.routes[0].visits))
except (ImportError, NotImplementedError):
    yours = None
    print("(your improve_route is not there or not written yet: only the swap move is measured)")

for name in ("c101C5", "r104C5", "c202C10", "r203C10"):
    inst = read_instance(data_file(f"evrptw-small/{name}.txt")).instance
    sol = solve_ev(inst, max_iterations=100, seed=0)
    spoiled = [spoil(inst, list(r.visits)) for r in sol.routes]
    total = {
        "spoiled": sum(evaluate(inst, r) or 0.0 for r in spoiled),
        "swap": sum(evaluate(inst, swap_neighbours(inst, r)) or 0.0 for r in spoiled),
    }
    if yours is not None:
        total["yours"] = sum(evaluate(inst, yours(inst, r)) or 0.0 for r in spoiled)
    ratios = ", ".join(f"{k} {v / sol.distance:.3f}" for k, v in total.items())
    print(f"{name}: engine {sol.distance:.1f}; relative to the engine: {ratios}")

# %% [markdown]
# The swap move repairs little: a reversed stretch needs many swaps, and the steps between
# are often infeasible or longer. That is why real local search uses richer moves.
#
# ## Exercise
#
# In `exercise.py` write `improve_route(instance, route)`: local search with a better move,
# **2-opt** (reverse a stretch `route[i:j]`) or **relocate** (take one visit out and put it
# back elsewhere), or both. Keep a move only when `evaluate` says the new route is feasible
# and shorter; repeat until no move helps. Return a new list with the same visits.
#
# `voltvan academy check 3 --dir DIR` runs your move on routes of several instances: it must
# never return an infeasible or longer route (judged by the grader's own copy of the rule),
# must keep every visit, and must shorten the spoiled routes.
