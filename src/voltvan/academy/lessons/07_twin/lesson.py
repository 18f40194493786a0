# %% [markdown]
# # Lesson 7 — The twin as a sandbox
#
# A plan is a promise: these vans, in this order, back by the end of the shift, never below the
# reserve. voltvan's digital twin drives the plan through simulated days in which traffic,
# parcels, doorsteps and weather scatter the way they do in real life, and counts what breaks.
# Because it is cheap and repeatable (same seed, same days), it is also a sandbox: break the
# plan on purpose and see how it fails before a real van does.
#
# You will be able to ...
#
# - run voltvan's digital twin on a plan and read its summary and `twin.json`;
# - break a plan on purpose (a half-charged van, a colder week) and watch it fail;
# - explain a stranded van from the fields of `twin.json`;
# - search for the least overnight charge that keeps every van on the road.
#
# **Prerequisites**: lesson 2 (plan a day) and some Python. **Time**: about 40 minutes. Offline;
# no service needed. Background: [the twin](../twin.md) and
# [its file format](../formats/twin.md).

# %%
import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

from voltvan.domain import Scenario
from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario, write_scenario
from voltvan.twin import TwinParams, simulate, twin_document

work = Path("lesson-07")
work.mkdir(exist_ok=True)
VOLTVAN = shutil.which("voltvan") or str(Path(sys.executable).parent / "voltvan")

# %% [markdown]
# ## A small winter day and its plan
#
# Sixty stops in Berlin on a -5 °C January day, three vans. The planner stops after a fixed
# number of iterations, so the plan is the same on every machine.

# %%
scenario = generate_scenario(num_stops=60, num_vans=3, seed=3, day="cold")
write_scenario(scenario, work / "day")
plan = plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=300)
plan.write_json(work / "plan.json")
for route in plan.routes:
    print(
        f"{route.van_id}: {len(route.stop_ids)} stops, {route.distance_m / 1000:.0f} km, "
        f"{route.energy_wh / 1000:.1f} kWh, lowest planned SoC {route.min_soc:.0%}"
    )
print("vans leave with", {v.id: v.start_soc for v in scenario.fleet.vans})

# %% [markdown]
# ## Twenty simulated days
#
# `voltvan twin` is the command; it writes `twin.json` and an HTML report.

# %%
twin_args = ["--plan", str(work / "plan.json"), "--days", "20", "--seed", "1"]
subprocess.run(
    [VOLTVAN, "twin", str(work / "day"), *twin_args, "--out", str(work / "twin")], check=True
)
doc = json.loads((work / "twin" / "twin.json").read_text())
summary = doc["summary"]
print({k: summary[k] for k in ("van_days", "on_time_share", "stranded_van_days", "lowest_soc")})
for van in doc["vans"]:
    print(
        f"{van['van_id']}: plan's lowest SoC {van['plan_min_soc']:.0%}, "
        f"twin's lowest {van['lowest_soc']:.0%}, {van['energy_wh_per_day'] / 1000:.1f} kWh a day"
    )

# %% [markdown]
# The twin's vans use more energy than the plan says: they wait for time windows with the cab
# heated at -5 °C, drivers and parcels scatter, and some legs crawl through the rush hour. The
# plan still holds: no van runs out. The same run in Python is `simulate` plus
# `twin_document`, which is what the rest of the lesson uses.

# %%
run = simulate(scenario, plan, days=20, seed=1)
assert twin_document(run, plan, scenario)["summary"] == summary  # same seed, same days

# %% [markdown]
# ## Break it: the depot did not charge the vans
#
# The plan assumed full batteries. Suppose the depot's charging failed and every van leaves
# at 60 %. The plan is the same; only the scenario's `start_soc` changes.


# %%
def starting_at(soc: float) -> Scenario:
    vans = tuple(dataclasses.replace(v, start_soc=soc) for v in scenario.fleet.vans)
    return dataclasses.replace(scenario, fleet=dataclasses.replace(scenario.fleet, vans=vans))


weak = starting_at(0.6)
broken = twin_document(simulate(weak, plan, days=20, seed=1), plan, weak)
print(
    "stranded van-days:",
    broken["summary"]["stranded_van_days"],
    "of",
    broken["summary"]["van_days"],
)
print("stops never reached:", broken["summary"]["missed_stops"])

# %% [markdown]
# Why did a van strand? Each van-day in `by_day` says when the battery reached zero
# (`stranded_at_s`, seconds after midnight) and lists its events in order; the `stranded`
# event names the place it was driving to.

# %%
day = next(d for d in broken["by_day"] if any(v["stranded_at_s"] is not None for v in d["vans"]))
van = next(v for v in day["vans"] if v["stranded_at_s"] is not None)
hours, minutes = divmod(int(van["stranded_at_s"]) // 60, 60)
print(f"day {day['day']} ({day['ambient_c']} °C): {van['van_id']} empty at {hours:02}:{minutes:02}")
print(
    f"  reached {van['on_time'] + van['late']} stops, missed {van['missed']}, "
    f"used {van['energy_wh']:.0f} Wh"
)
for event in van["events"][-3:]:
    print("  ", event)

# %% [markdown]
# ## Break it another way: a colder week than forecast
#
# Full batteries again, but every day 15 °C colder than the forecast the plan was made for
# (`--colder 15` on the command line). Heating takes more, and the lowest state of charge
# drops; whether a van strands depends on how much margin the plan left.

# %%
cold = twin_document(
    simulate(scenario, plan, days=20, seed=1, params=TwinParams(ambient_offset_c=-15.0)),
    plan,
    scenario,
)
print(
    "lowest SoC, as forecast:",
    summary["lowest_soc"],
    " 15 °C colder:",
    cold["summary"]["lowest_soc"],
)
print("stranded van-days 15 °C colder:", cold["summary"]["stranded_van_days"])

# %% [markdown]
# ## Exercise
#
# Run `voltvan academy start 7` and open `07_twin/exercise.py`. Write:
#
# 1. `stranded_van_days(doc)`: every van-day of a `twin.json` document on which a van ran out
#    of battery, as `(day, van_id, location_id)` sorted by day and van, with the place from the
#    van's `stranded` event.
# 2. `smallest_safe_start_soc(scenario, plan, days=..., seed=...)`: the least start state of
#    charge (a multiple of 0.01, the same for every van) with no stranded van on any of the
#    simulated days. A lower start never strands fewer vans, so a bisection needs about seven
#    twin runs instead of a hundred.
#
# `voltvan academy check 7` grades both on a day of its own: the first against the twin's
# records, the second by running the twin at your answer and one point below it.
