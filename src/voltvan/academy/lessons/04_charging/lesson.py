# %% [markdown]
# # Lesson 4 — Charging: the depot night as a linear program
#
# You will be able to ...
#
# - describe a depot night: vans, their arrival, departure and energy need; connectors; the
#   site's power limit; a time-of-use tariff with a demand charge,
# - plan it with voltvan's charging scheduler and check the schedule independently,
# - say what the linear program decides, what binds it and what the night costs,
# - add a rule of your own (a connector reserved for a van that comes back late) and
#   measure what it costs.
#
# **Prerequisites:** lesson 1; what a linear program is (minimise a linear cost under linear
# constraints) helps. **Time:** about 40 minutes.

# %%
import dataclasses
import importlib
from pathlib import Path

from voltvan import Tariff
from voltvan.charging import (
    ChargeRequest,
    Connector,
    DepotProblem,
    chart_html,
    check_schedule,
    lower_bound,
    plug_sheet,
    schedule_depot,
)
from voltvan.domain import TariffPeriod, format_hhmm

H = 3600.0

# %% [markdown]
# ## 1. A night at the depot
#
# Times are seconds after midnight of the *evening* the vans come back: 18:00 is `18 * H`,
# 05:30 the next morning is `29.5 * H`. Energies are what the battery holds (Wh). Six vans come
# back in the evening and leave early (29:30 below is 05:30 the next morning); V7 does a long
# evening tour and comes back at 02:00.
# Three 11 kW connectors, an 18 kW grid connection, cheap energy from 22:00 to 06:00 and a
# demand charge of 8 EUR per kW of the night's peak.

# %%
vans = [
    ChargeRequest(
        vehicle_id=f"V{k + 1}",
        battery_wh=64_000.0,
        arrival_s=(17.5 + 0.5 * k) * H,
        departure_s=(29.5 + 0.2 * k) * H,
        soc_arrival=0.20 + 0.05 * k,
        energy_needed_wh=48_000.0,
    )
    for k in range(6)
]
late = ChargeRequest(
    vehicle_id="V7",
    battery_wh=77_000.0,
    arrival_s=26 * H,
    departure_s=31 * H,
    soc_arrival=0.15,
    energy_needed_wh=55_000.0,
)
connectors = tuple(
    Connector(charger_id=c, number=n, power_w=11_000.0)
    for c, n in (("C1", 1), ("C1", 2), ("C2", 1))
)
tariff = Tariff(
    periods=(
        TariffPeriod(0.0, 6 * H, 0.12),
        TariffPeriod(6 * H, 22 * H, 0.30),
        TariffPeriod(22 * H, 24 * H, 0.12),
    ),
    demand_charge_per_kw=8.0,
)
problem = DepotProblem(
    requests=(*vans, late), connectors=connectors, site_limit_w=18_000.0, tariff=tariff
)
for r in problem.requests:
    print(
        f"{r.vehicle_id}: {format_hhmm(r.arrival_s)}-{format_hhmm(r.departure_s)}, "
        f"arrives with {r.soc_arrival:.0%}, needs {r.required_wh / 1000:.1f} kWh from the depot"
    )

# %% [markdown]
# ## 2. The schedule
#
# `schedule_depot` first decides who is on which connector when (sessions), then solves a
# linear program (HiGHS) for the power of every van in every 15-minute slot:
#
# - **variables**: the energy each van takes in each slot of its session, its shortfall, and
#   the night's peak;
# - **constraints**: per slot, a van's power is at most its connector's and its own limit
#   (lower as the battery fills: the taper); the sum over vans plus the building stays under
#   the site limit and under the peak; each van's energy reaches its need (or a shortfall is
#   paid for at a price far above any tariff);
# - **objective**: energy cost at each slot's price plus the demand charge on the peak.
#
# `check_schedule` is independent: it recomputes every rule from the power per slot and
# never reads the LP's own totals.

# %%
free = schedule_depot(problem)
print("checker:", check_schedule(problem, free) or "valid")
for row in plug_sheet(free):
    print(
        f"  {row.connector_id}: {row.vehicle_id} {format_hhmm(row.plug_in_s)}-"
        f"{format_hhmm(row.plug_out_s)}"
    )
cost = free.cost()
print(
    f"cost {cost['total']:.2f} EUR = energy {cost['energy']:.2f} + demand "
    f"{cost['demand']:.2f} (peak {cost['peak_kw']:.1f} kW)"
)
print(f"bound with connectors relaxed: {lower_bound(problem).cost()['total']:.2f} EUR")
Path("night.html").write_text(chart_html(free))
print("the chart of the night: night.html")

# %% [markdown]
# The demand charge weighs most here, so the LP spreads power thinly over the whole night
# rather than charging everyone at 11 kW in the cheapest hours; the peak is what binds.
# `lower_bound` solves the same LP as if any number of vans could share the connectors: no
# schedule can cost less, so the gap says what the three connectors cost (nothing, tonight).
#
# ## 3. A rule of your own: a connector kept for the late van
#
# V7's driver comes back at 02:00, tired, and must find a free connector without unplugging
# anyone. The depot wants **C2/1 reserved for V7 all night**: no other van on it at any time.
# The scheduler has no such rule. Pinning V7 (`pinned`, meant for vans already plugged in
# during re-planning) is not enough: others still use C2/1 before V7 comes back.

# %%
pinned = schedule_depot(problem, pinned={"V7": "C2/1"})
others = [
    row for row in plug_sheet(pinned) if row.connector_id == "C2/1" and row.vehicle_id != "V7"
]
for row in others:
    print(
        f"  {row.vehicle_id} is on C2/1 {format_hhmm(row.plug_in_s)}-{format_hhmm(row.plug_out_s)}"
    )

# %% [markdown]
# ## Exercise
#
# In `exercise.py` write `schedule_with_reservation(problem, late_van, connector_id)`: a
# schedule of the whole night in which `connector_id` serves `late_van` only, checked valid
# by `check_schedule`, with every van fully charged, and at a sensible cost. Ideas:
#
# - a `DepotProblem` with only the late van and only its connector is scheduled on its own;
# - the others share the other connectors, and the late van's draw (power / efficiency) is
#   to them like the building's `base_load_w`, which the site limit already counts;
# - keep the slot grid of the night (`start_s=problem.grid_start_s`,
#   `num_slots=problem.grid_num_slots`) so the power lists line up, and put the two parts
#   back together with `dataclasses.replace` (the schedule's `base_load_w` is the building's).
#
# Then `voltvan academy check 4 --dir DIR`. Run this lesson beside your `exercise.py` and the
# last cell prints what the reservation costs on this night.

# %%
try:
    exercise = importlib.import_module("exercise")  # your exercise.py, beside this lesson

    reserved = exercise.schedule_with_reservation(problem, "V7", "C2/1")
    extra = reserved.cost()["total"] - cost["total"]
    print(f"with C2/1 kept for V7: {reserved.cost()['total']:.2f} EUR ({extra:+.2f} EUR)")
except (ImportError, NotImplementedError):
    print("(write schedule_with_reservation in exercise.py to see what the reservation costs)")
alone = dataclasses.replace(problem, requests=(late,))
print(
    f"(V7 alone: {alone.grid_num_slots} slots from {format_hhmm(alone.grid_start_s)}; the night: "
    f"{problem.grid_num_slots} from {format_hhmm(problem.grid_start_s)}: keep the night's grid)"
)
