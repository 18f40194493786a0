# %% [markdown]
# # Lesson 2 — Energy physics
#
# You will be able to ...
#
# - split a leg's battery energy into rolling resistance, air drag, speed changes, heating
#   and drivetrain losses,
# - say how the load, the speed and a cold day change a van's energy per kilometre,
# - calibrate the model on real trips of a Renault Twizy and measure its error on trips it
#   has not seen,
# - write the energy of a steady drive yourself, from the power balance.
#
# **Prerequisites:** lesson 1; school physics (force × distance = work). **Time:** about 40
# minutes.
#
# voltvan's energy model (`voltvan.energy`, derived in `docs/energy.md`) is one power balance:
#
#     P_wheel = m_eff a v  +  m g c_rr v  +  ½ ρ(T) c_d A v³  +  m g v sin θ
#     P_batt  = P_wheel / η_drive   (driving)     or  P_wheel · η_regen  (braking)
#             + P_aux + P_hvac(T)   (all the time the van is on)

# %%
from voltvan.academy import data_file
from voltvan.catalog import large_van, twizy
from voltvan.energy import (
    DRIVER_KG,
    air_density_kg_m3,
    auxiliary_power_w,
    fit_consumption,
    leg_energy_wh,
    predict_trip_wh,
    read_rsk_trip,
    vehicle_mass_kg,
)

# %% [markdown]
# ## 1. Where a leg's energy goes
#
# A 5 km urban leg in 15 minutes (20 km/h average, stop-and-go) for a large van with 600 kg
# on board, on a cold day (−5 °C). `leg_energy_wh` takes the shape of city traffic (how often
# the van speeds up and brakes) from the WLTC drive cycle. The parameters are physical and
# checked (a rolling resistance of 0 is refused), so we look at the parts one way each:
# the auxiliaries and HVAC run for the whole leg; rolling resistance pushes against the
# van's weight; the rest is drag and speeding up after every stop, less what regenerative
# braking wins back.

# %%
van = large_van()
params = van.consumption
mass_kg = vehicle_mass_kg(van, 600.0)
leg = {"distance_m": 5_000.0, "duration_s": 900.0, "mass_kg": mass_kg}
total = leg_energy_wh(params, **leg, ambient_c=-5.0)
aux_w = auxiliary_power_w(params, -5.0)
aux_wh = aux_w * 900.0 / 3600.0
rolling_wh = mass_kg * 9.80665 * params.rolling_resistance * 5_000.0 / 3600.0
losses_wh = rolling_wh / params.drivetrain_efficiency - rolling_wh
rest_wh = total - aux_wh - rolling_wh - losses_wh
print(f"the leg: {total:.0f} Wh ({total / 5:.0f} Wh/km)")
print(f"  12 V loads and heating, 15 min at {aux_w:.0f} W: {aux_wh:.0f} Wh")
print(f"  rolling resistance: {rolling_wh:.0f} Wh (+{losses_wh:.0f} Wh drivetrain losses)")
print(f"  drag, speed changes, their losses, less regeneration: {rest_wh:.0f} Wh")
print(f"the same leg at 20 °C (no heating): {leg_energy_wh(params, **leg, ambient_c=20.0):.0f} Wh")

# %% [markdown]
# On a cold day the heating dominates a slow urban leg: it runs for the whole 15 minutes,
# whatever the distance.
#
# ## 2. Mass and speed

# %%
for load_kg in (0.0, 600.0, 1200.0):
    e = leg_energy_wh(
        params,
        distance_m=5_000.0,
        duration_s=900.0,
        mass_kg=vehicle_mass_kg(van, load_kg),
        ambient_c=15.0,
    )
    print(f"load {load_kg:5.0f} kg: {e / 5:.0f} Wh/km")
for kmh in (15.0, 30.0, 50.0, 80.0):
    e = leg_energy_wh(
        params,
        distance_m=5_000.0,
        duration_s=5_000.0 / (kmh / 3.6),
        mass_kg=mass_kg,
        ambient_c=15.0,
    )
    print(f"{kmh:4.0f} km/h average: {e / 5:.0f} Wh/km")

# %% [markdown]
# Slow legs pay for heating and for stop-and-go; fast legs pay for drag, which grows with the
# square of speed. Cold air is also denser, so drag grows on a cold day:

# %%
for ambient_c in (-10.0, 15.0, 35.0):
    print(f"{ambient_c:+.0f} °C: air density {float(air_density_kg_m3(ambient_c)):.3f} kg/m³")

# %% [markdown]
# ## 3. Calibrate on real trips
#
# The RSK data set (NaitMalek et al., CC BY 4.0) logs a Renault Twizy at 1 Hz on seven trips
# around Rabat: speed from the CAN bus, state of charge, GPS altitude (with real GPS faults,
# which `read_rsk_trip` cleans). The observed energy of a trip is its drop in state of charge
# times the usable battery. We fit the drivetrain efficiency on five trips and predict the two
# we held out: an honest error, on trips the fit has not seen.

# %%
car = twizy()
files = sorted(data_file("rsk-twizy-ev/Analyzed").glob("T*/*.csv"))
trips = [
    read_rsk_trip(f, battery_wh=car.battery_wh, mass_kg=car.mass_kg + DRIVER_KG + 10.0)
    for f in files
]
train, held_out = trips[:5], trips[5:]
fit = fit_consumption(train, car.consumption, fit=("drivetrain_efficiency",))
print(
    f"fitted drivetrain efficiency {fit.params.drivetrain_efficiency:.2f} "
    f"(error on the training trips {fit.mean_abs_pct_error:.1f} %)"
)
for trip in held_out:
    predicted = predict_trip_wh(fit.params, trip)
    error = 100.0 * (predicted - trip.observed_energy_wh) / trip.observed_energy_wh
    print(
        f"held out {trip.name}: {trip.distance_m / 1000:.1f} km, observed "
        f"{trip.observed_energy_wh:.0f} Wh, predicted {predicted:.0f} Wh ({error:+.1f} %)"
    )

# %% [markdown]
# A few per cent on whole trips it has never seen. (`voltvan.energy.cross_validate` holds out
# each trip in turn; `docs/energy.md` reports the result against a plain Wh/km baseline.)
#
# ## Exercise
#
# In `exercise.py` write `steady_drive_wh(params, mass_kg, speed_mps, distance_m, ambient_c)`:
# the battery energy of driving `distance_m` at one constant speed on a flat road, in Wh.
# At constant speed no energy goes into speeding up, so the power balance keeps rolling
# resistance and air drag at the wheels (divided by the drivetrain efficiency) plus the 12 V
# loads and heating or cooling for as long as the drive takes. Use `air_density_kg_m3` and
# `auxiliary_power_w` from `voltvan.energy` (shown above) and g = 9.80665 m/s².
#
# The grader compares your function with voltvan's trace model on a seeded sample of vans,
# loads, speeds and temperatures (within 0.5 %), and tells you which term looks missing.
