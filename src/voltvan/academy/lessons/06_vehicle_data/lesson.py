# %% [markdown]
# # Lesson 6 — Vehicle data: from MQTT to SQL
#
# Vans report what they do as COVESA VSS signals (speed, position, odometer, state of charge,
# ...) over MQTT. voltvan ingests them into day-partitioned Parquet files (the *lake*), derives
# trips, stops, charging sessions and energy per km from them, and answers SQL over all of it
# with DuckDB. In this lesson the vans are the digital twin's, driving a planned day, and the
# broker is a Mosquitto started for the lesson.
#
# You will be able to ...
#
# - publish a fleet's VSS telemetry to an MQTT broker and ingest it with voltvan;
# - find the Parquet lake's tables and derive trips and daily energy from raw signals;
# - answer fleet questions in SQL with DuckDB: distance, energy per km, the longest trip.
#
# **Prerequisites**: lesson 2 (plan a day), basic SQL (`GROUP BY`, `ORDER BY`).
# **Time**: about 45 minutes. Needs `mosquitto` (Debian package `mosquitto`); without it the
# lesson uses a broker already running on 127.0.0.1:1883. Background:
# [telemetry](../telemetry.md), [analytics](../analytics.md),
# [the lake's format](../formats/telemetry.md).

# %%
import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario, write_scenario
from voltvan.telemetry import Publisher, open_query, topic_for

work = Path("lesson-06")
work.mkdir(exist_ok=True)
lake = work / "lake"
VOLTVAN = shutil.which("voltvan") or str(Path(sys.executable).parent / "voltvan")
QUIET = {**os.environ, "COLUMNS": "120"}


def show(sql: str) -> list[tuple[Any, ...]]:
    """Run SQL on the lake, print the answer as a small table and return its rows."""
    with open_query(lake) as con:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        print(" | ".join(d[0] for d in cursor.description or []))
    for row in rows:
        print(" | ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in row))
    return rows


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a service this lesson started (SIGTERM: it writes what it holds, then exits)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def voltvan(*args: str) -> str:
    """Run a voltvan command and return what it printed."""
    return subprocess.run(
        [VOLTVAN, *args], check=True, capture_output=True, text=True, env=QUIET
    ).stdout


# %% [markdown]
# ## A broker
#
# Mosquitto on a free port of this machine, anonymous and in memory, with room to queue every
# message for a slow subscriber: enough for a lesson (a real deployment has one user per van
# and an ACL, see the telemetry guide).

# %%
MOSQUITTO = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin")
broker = None
if MOSQUITTO:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = Path(tempfile.mkdtemp()) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        # keep every QoS 1 message for the ingest, however far behind it falls (the default
        # queue of 1000 would drop the rest while the twin publishes at full speed)
        "max_queued_messages 1000000\nmax_inflight_messages 0\n"
    )
    broker = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stderr=subprocess.DEVNULL)
    atexit.register(stop, broker)  # also when a cell fails
    for _ in range(600):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
else:
    port = 1883
MQTT = f"mqtt://127.0.0.1:{port}"
print("broker:", MQTT)

# %% [markdown]
# ## The day and the ingest
#
# The day of lessons 5 and 7, planned. `voltvan ingest` subscribes to
# `voltvan/v1/vehicles/+/signals` and writes what it receives into the lake folder; `--fleet`
# tells it which vans exist. A message from any other van is not lost silently: it goes to the
# dead-letter table `rejected` with a reason. We use that to know the subscription is live.

# %%
scenario = generate_scenario(num_stops=60, num_vans=3, seed=3, day="cold")
write_scenario(scenario, work / "day")
plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=300).write_json(work / "plan.json")
fleet = str(work / "day" / "fleet.toml")
ingest = subprocess.Popen(
    [VOLTVAN, "ingest", "--mqtt", MQTT, "--data", str(lake), "--fleet", fleet],
    stderr=subprocess.DEVNULL,
    env=QUIET,
)
atexit.register(stop, ingest)
probe = json.dumps({"ts": "2026-01-07T06:00:00Z", "signals": {"Vehicle.Speed": 0.0}}).encode()
with Publisher("127.0.0.1", port, "lesson-06-probe") as publisher:
    for _ in range(1200):
        publisher.publish_many([(topic_for("NOT-IN-FLEET"), probe)])
        time.sleep(0.1)
        if (lake / "rejected").exists():
            with open_query(lake) as con:
                rejected = con.execute("SELECT count(*) FROM rejected").fetchall()[0][0]
            if rejected:
                break
show("SELECT vehicle_id, reason, detail FROM rejected LIMIT 1")

# %% [markdown]
# ## The vans drive and report
#
# `voltvan twin --mqtt` drives the plan through a simulated day and publishes each van's
# signals as a real van would: one message every 5 simulated seconds while driving, QoS 1.
# `--speed 0` sends as fast as the broker takes them. A message looks like this:

# %%
day_args = [str(work / "day"), "--plan", str(work / "plan.json"), "--days", "1", "--seed", "1"]
out = voltvan("twin", *day_args, "--out", str(work / "twin"), "--mqtt", MQTT, "--speed", "0")
said = re.search(r"published ([\d,]+) messages", out)
assert said is not None, out
published = int(said.group(1).replace(",", ""))
print(f"{published} messages published; the first sample of V001 in the lake:")
show("SELECT ts, name, value FROM signals WHERE vehicle_id = 'V001' ORDER BY ts, name LIMIT 8")

# %% [markdown]
# Each message is acknowledged only once it is on disk. We wait until every sample is in
# the lake, then stop the ingest (it writes what it holds and exits).

# %%
stored, last_change = 0, time.monotonic()
while time.monotonic() - last_change < 30:  # until all are in, or nothing came for 30 s
    with open_query(lake) as con:
        sql = "SELECT count(*) FROM (SELECT DISTINCT vehicle_id, ts FROM signals_all)"
        now_stored = con.execute(sql).fetchall()[0][0]
    if now_stored != stored:
        stored, last_change = now_stored, time.monotonic()
    if stored >= published:
        break
    time.sleep(0.2)
stop(ingest)
print(f"{stored} samples stored of {published} published")
print(sorted(str(p.relative_to(lake)) for p in lake.glob("signals/*/*.parquet"))[:3])

# %% [markdown]
# ## From signals to trips
#
# The lake is plain Parquet, one folder per UTC day. `voltvan derive` turns raw signals into
# trips (moving between stops of at least three minutes), stops, charging sessions and energy
# per km per van and day, each a table you can query like the signals.

# %%
print(voltvan("derive", "--data", str(lake)))
show(
    "SELECT vehicle_id, count(*) AS trips, sum(distance_m) / 1000 AS km, "
    "sum(energy_wh) / 1000 AS kwh FROM trips GROUP BY 1 ORDER BY 1"
)
show("SELECT vehicle_id, day, trips, distance_m, energy_wh, wh_per_km FROM daily_energy")

# %% [markdown]
# The twin also wrote the truth: every trip as it really drove it (`truth_trips.csv`). The
# trips found in the data should match it.

# %%
show(
    "SELECT (SELECT count(*) FROM trips) AS trips_found, "
    f"(SELECT count(*) FROM read_csv('{work / 'twin' / 'truth_trips.csv'}')) AS trips_driven"
)

# %% [markdown]
# `voltvan query --data DIR "SQL"` runs the same SQL from a shell, and any engine that reads
# Parquet (Spark, Trino, pandas) reads the same files.

# %%
print(voltvan("query", "--data", str(lake), "SELECT name, count(*) AS n FROM signals GROUP BY 1"))

if broker is not None:
    stop(broker)

# %% [markdown]
# ## Exercise
#
# Run `voltvan academy start 6` and open `06_vehicle_data/exercise.py`. Write three queries:
#
# 1. `KM_FROM_ODOMETER_SQL`: kilometres per van from the raw odometer signal
#    (`Vehicle.TraveledDistance`) alone;
# 2. `WH_PER_KM_SQL`: energy per km per van over all its trips, weighted by distance;
# 3. `LONGEST_TRIP_SQL`: the fleet's longest trip (van, start, distance).
#
# `voltvan academy check 6` runs them on a lake of its own and compares the answers with
# voltvan's `daily_energy` table and with the trips the twin really drove.
