# %% [markdown]
# # Lesson 1 — Your first plan
#
# You will be able to ...
#
# - generate a city delivery day (a fleet of electric vans and its stops) and read it back,
# - plan it with voltvan and have the plan checked by an independent checker,
# - read the report: the map, the state-of-charge chart and the route table,
# - read `plan.json` yourself and answer a dispatcher's questions from it.
#
# **Prerequisites:** Python basics (lists, dicts, functions). **Time:** about 30 minutes.
#
# Run this file top to bottom (`python lesson.py`) or open it as a notebook
# (`jupytext --to notebook lesson.py`). It writes everything into the current folder.

# %%
import json
from pathlib import Path

from voltvan.check import check_plan
from voltvan.planning import plan_scenario
from voltvan.report import write_report
from voltvan.scenario import generate_scenario, read_scenario, summarize, write_scenario

# %% [markdown]
# ## 1. A city day
#
# A planning day is a folder with `fleet.toml` (depot, van types, vans, chargers, tariff, the
# day's temperature) and `stops.csv` (one delivery per line: position, time window, service
# time, weight and volume). voltvan's generator makes a reproducible day in Berlin: the same
# seed always gives the same day. We write it to `city-day/` and read it back, as you would
# read a day exported from your own order system.

# %%
day = generate_scenario(num_stops=60, num_vans=5, seed=7, day="cold")
write_scenario(day, "city-day")
scenario = read_scenario("city-day")
print("\n".join(Path("city-day/fleet.toml").read_text().splitlines()[:5]))
print("\n".join(Path("city-day/stops.csv").read_text().splitlines()[:3]))
summary = summarize(scenario)
print(
    f"{summary.num_stops} stops, vans {summary.vans_by_type}, {summary.ambient_c} °C; "
    f"{summary.total_weight_kg:.0f} kg to deliver, {summary.capacity_kg:.0f} kg of payload; "
    f"time windows {summary.windows}"
)
for vt in scenario.fleet.vehicle_types:
    print(f"van type {vt.id}: battery {vt.battery_wh / 1000:.0f} kWh, payload {vt.payload_kg} kg")

# %% [markdown]
# ## 2. Plan it
#
# `plan_scenario` builds routes every van can actually drive: on time, within payload and
# volume, and with enough energy at the day's temperature and the load on board. The time
# limit bounds the search; 60 s gives better plans, 10 s is plenty to learn. The independent
# checker `check_plan` then replays every route with the full energy model: it shares no code
# with the planner, so the planner cannot certify its own mistakes.

# %%
plan = plan_scenario(scenario, time_limit_s=10, seed=0)
result = check_plan(plan, scenario)
print(
    f"{len(plan.routes)} routes, {plan.num_stops_served} stops served, "
    f"{len(plan.unassigned)} unassigned; checker: "
    f"{'feasible' if result.is_feasible else result.violations}"
)
assert result.is_feasible

# %% [markdown]
# ## 3. The files a dispatcher reads
#
# `plan.json` is the plan as data (format: `docs/formats/plan.md`), `routes.geojson` the same
# routes for any map tool, and `report.html` a single self-contained page that opens offline.

# %%
out = Path("first-plan")
out.mkdir(exist_ok=True)
plan.write_json(out / "plan.json")
plan.write_geojson(out / "routes.geojson")
report = write_report(plan, scenario, out / "report.html")
print(f"open {report} in a browser")

# %% [markdown]
# Open the report. What it says:
#
# - **The map** draws each van's route in its own colour from the depot through its stops
#   (and public chargers, if a route needs one) back to the depot. Long thin spokes are vans
#   serving a far neighbourhood; tangled routes are a hint the time windows forced the order.
# - **The state-of-charge chart** shows each van's battery over the day. It falls on every
#   leg (steeper on long or fast legs and on a cold day, when heating runs), stays almost
#   flat during service, and jumps up at a charge stop. The lowest point of each line must stay
#   above the reserve; the end of the line is what the depot must put back tonight.
# - **The route table** lists per van the stops, kilometres, energy and lowest state of charge.
#
# The same numbers are in `plan.json`, which is what other programs read:

# %%
for route in plan.routes:
    back = route.visits[-1]
    print(
        f"{route.van_id} ({route.vehicle_type_id}): {len(route.stop_ids)} stops, "
        f"{route.distance_m / 1000:.1f} km, {route.energy_wh / 1000:.1f} kWh, "
        f"back at {back.arrival_s / 3600:.1f} h with {back.soc:.0%}"
    )

# %% [markdown]
# Each route is a list of visits: `start` at the depot, `stop`s and `charge`s, `end` back at
# the depot. Every visit carries `arrival_s` (seconds after midnight), `soc` (0..1) and
# `energy_wh` on arrival, and the leg that led there (`distance_from_prev_m`, metres).

# %%
data = json.loads((out / "plan.json").read_text())
print("a route has:", ", ".join(data["routes"][0]))
print(json.dumps(data["routes"][0]["visits"][:2], indent=1))

# %% [markdown]
# ## Exercise
#
# A dispatcher asks two questions every evening: *how far did each van drive?* and *which van
# comes back emptiest?* (it must be plugged in first). Answer them from the plan file alone,
# the way a program without voltvan would: in `exercise.py` write
#
# - `km_per_van(plan)`: kilometres each van drives, keyed by van id;
# - `lowest_return_soc(plan)`: the van that returns with the lowest state of charge, and that
#   state of charge (a fraction, 0..1).
#
# `plan` is the parsed JSON (`json.load` of a `plan.json`). Mind the units (metres, fractions)
# and that vans have batteries of different sizes. Then run
# `voltvan academy check 1 --dir DIR`: the grader plans another day and compares your answers
# with voltvan's own numbers.
