# %% [markdown]
# # Lesson 5 — Talking OCPP to chargers
#
# A depot charging schedule is only a file until the chargers follow it. They speak OCPP (the
# Open Charge Point Protocol): JSON frames over a WebSocket, the charger reporting what happens
# at the plug, the central system telling it how much power each session may draw. voltvan's
# central system (`voltvan csms`) applies the schedule that `voltvan charge` plans.
#
# You will be able to ...
#
# - plan a depot night with `voltvan charge` and play it on simulated chargers;
# - start voltvan's OCPP central system, connect a charger and read the frames they exchange;
# - read a MeterValues frame in OCPP 1.6 and 2.0.1, whatever unit the charger reports in;
# - write a TxProfile that a charger accepts and that delivers the energy the schedule plans.
#
# **Prerequisites**: lesson 2 (plan a day), Python's `json` and a little `asyncio`.
# **Time**: about 45 minutes. Offline: everything runs on this machine, on free ports.
# Background: [depot charging and the central system](../charging.md),
# [the schedule format](../formats/schedule.md).

# %%
import asyncio
import dataclasses
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from voltvan.charging import Csms, Schedule, SimChargePoint, simulated_config
from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario, write_scenario

work = Path("lesson-05")
work.mkdir(exist_ok=True)
VOLTVAN = shutil.which("voltvan") or str(Path(sys.executable).parent / "voltvan")


def voltvan(*args: str) -> str:
    """Run a voltvan command and return what it printed."""
    done = subprocess.run([VOLTVAN, *args], check=True, capture_output=True, text=True)
    return done.stdout


# %% [markdown]
# ## Tonight's schedule
#
# Tomorrow's plan decides tonight's charging: each van must leave with the energy its route
# needs plus the reserve. We plan a small winter day (the day of lesson 7) and let
# `voltvan charge` schedule the depot night in 15-minute slots.

# %%
scenario = generate_scenario(num_stops=60, num_vans=3, seed=3, day="cold")
write_scenario(scenario, work / "day")
plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=300).write_json(work / "plan.json")
print(voltvan("charge", str(work / "day"), "--plan", str(work / "plan.json"),
              "--out", str(work / "schedule.json")))  # fmt: skip
schedule = Schedule.read_json(work / "schedule.json")
for van in schedule.vans:
    if van.plug_in is None or van.plug_out is None:
        print(f"{van.vehicle_id}: no plug tonight")
        continue
    print(
        f"{van.vehicle_id} on {van.connector_id}: plugged {van.plug_in / 3600:.2f} h to "
        f"{van.plug_out / 3600:.2f} h, {van.energy_delivered_wh / 1000:.1f} kWh"
    )

# %% [markdown]
# `voltvan csms --simulate` plays that night on real WebSockets: the central system and one
# simulated charger per depot charger, vans plugging in and out at their planned times, on a
# clock 20,000 times faster than the wall. At the end it sets what the chargers metered
# against what the schedule promised.

# %%
night = voltvan("csms", "--data", str(work / "sim"), "--simulate",
                "--schedule", str(work / "schedule.json"), "--speed", "20000")  # fmt: skip
print(night[night.index("Simulated night") :])

# %% [markdown]
# ## The frames on the wire
#
# Now the pieces one by one. A real charger needs an account: `voltvan charger add` makes a
# random password, prints it once and stores only its hash. The central system then listens
# (`--port 0`: any free port; it prints which) and we connect a simulated charger to it.
# The `ocpp` library logs every frame the charger sends and receives; we print them.

# %%
password = voltvan("charger", "add", "--data", str(work / "csms"), "--id", "DEPOT-AC01").strip()
server = subprocess.Popen(
    [VOLTVAN, "csms", "--data", str(work / "csms"), "--port", "0"],
    stdout=subprocess.PIPE,
    text=True,
    env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
)
assert server.stdout is not None
first_line = server.stdout.readline()
print(first_line.strip())
listening = re.search(r"ws://[\d.]+:\d+", first_line)
assert listening is not None, first_line
url = listening.group(0)

frames: list[str] = []


class FrameLog(logging.Handler):
    """Keeps each frame the library logs: "CHARGER: send [...]" or "...: receive message [...]"."""

    def emit(self, record: logging.LogRecord) -> None:
        frames.append(record.getMessage())


logging.getLogger("ocpp").addHandler(FrameLog())
logging.getLogger("ocpp").setLevel(logging.INFO)


async def one_session() -> None:
    charger = SimChargePoint("DEPOT-AC01", password, url, meter_every_s=3600)
    await charger.connect()  # BootNotification, StatusNotification
    await charger.plug_in(1, "V001")  # Authorize, StartTransaction, StatusNotification
    charger.plugs[1].meter_wh += 1234.5  # the car draws a little
    await charger.send_meter_values()  # MeterValues
    await charger.unplug(1)  # StopTransaction, StatusNotification
    await charger.close()


try:
    asyncio.run(one_session())
finally:
    server.send_signal(signal.SIGINT)  # Ctrl-C: the server closes its connections and stops
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
for frame in frames:
    print(frame[:160])

# %% [markdown]
# Every frame is a JSON array: `2` is a call (`[2, id, action, payload]`), `3` the answer to
# the call with the same id. The charger reports; the central system answers and records each
# session in its own store (`csms.sqlite`) before it answers. The MeterValues frame carries
# the energy register in `sampledValue` with its unit: here Wh, but chargers may send kWh, and
# OCPP 2.0.1 chargers add a power-of-ten `multiplier`. That is the first part of the exercise.
#
# ## Applying a charging profile
#
# Without a schedule the central system only records. With one, it answers every
# StartTransaction with a **SetChargingProfile**: a TxProfile that says, period by period,
# how many watts the session may draw. Here the central system runs inside this script with
# the schedule from above and a clock we move by hand, so the night takes no time.


# %%
class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def night_of_one_van() -> tuple[float, float]:
    van = schedule.vans[0]
    assert van.connector_id is not None and van.plug_in is not None and van.plug_out is not None
    charger_id, plug = van.connector_id.rsplit("/", 1)
    midnight = 1_767_225_600.0  # 2026-01-01T00:00Z; the schedule counts seconds from it
    clock = Clock(midnight + van.plug_in)
    config = dataclasses.replace(simulated_config(schedule), watch_every_s=None)
    csms = Csms(
        config,
        store_path=work / "profile.sqlite",
        schedule=schedule,
        day_start_epoch=midnight,
        clock=clock,
    )
    port = await csms.start("127.0.0.1", 0)
    charger = SimChargePoint(
        charger_id,
        config.chargers[charger_id].basic_auth_password(),
        f"ws://127.0.0.1:{port}",
        clock=clock,
    )
    try:
        await charger.connect()
        frames.clear()
        await charger.plug_in(int(plug), van.vehicle_id)
        while not charger.profiles_received:  # the profile follows the StartTransaction answer
            await asyncio.sleep(0.01)
        while clock.now < midnight + van.plug_out:  # the night, an hour per step
            clock.now = min(clock.now + 3600, midnight + van.plug_out)
            charger.advance()
        metered = charger.plugs[int(plug)].meter_wh
        await charger.unplug(int(plug))
        return van.energy_delivered_wh, metered
    finally:
        await charger.close()
        await csms.stop()


planned_wh, metered_wh = asyncio.run(night_of_one_van())
sent = next(f for f in frames if "SetChargingProfile" in f and ": send " in f)
print("central system to charger:", sent.partition(": send ")[2][:900])
print(f"planned {planned_wh:.0f} Wh, metered {metered_wh:.0f} Wh")

# %% [markdown]
# The profile is *Absolute* (its `startSchedule` is a clock time), its periods start at
# offsets in seconds from there, equal neighbouring slots are merged into one period (chargers
# hold only a few), and the last period's limit is 0 so the charger stops when the schedule
# ends. The charger drew exactly what the schedule planned.
#
# ## Exercise
#
# Run `voltvan academy start 5` and open `05_ocpp/exercise.py`. Write:
#
# 1. `energy_wh(frame)`: the energy register in Wh of a MeterValues frame as it travels on
#    the wire, from a 1.6 or a 2.0.1 charger, in Wh or kWh, with or without a multiplier;
#    `None` when the frame holds no energy reading.
# 2. `tx_profile(transaction_id, start, slot_s, power_w)`: the `csChargingProfiles` object of
#    a SetChargingProfile request for a list of slot powers, like the one printed above.
#
# `voltvan academy check 5` reads frames of every shape with your function, and sends your
# profile from voltvan's central system to a simulated charger over a WebSocket (the `ocpp`
# library checks it against the OCPP 1.6 schema on the way), then meters what the charger draws.
