# %% [markdown]
# # Lesson 8 — Scale: the same analytics on Spark
#
# One machine with DuckDB answers a fleet of a few thousand vans. A retailer with tens of
# thousands of vans keeps the same lake — day-partitioned Parquet files — on object storage and
# runs the same jobs on a cluster with Apache Spark. voltvan does not have an engine of its own
# for that: `voltvan derive --engine spark` runs the DuckDB path's SQL on Spark, and tests
# compare the two engines table by table. Here Spark runs `local[2]`: the same code, two cores.
#
# You will be able to ...
#
# - read voltvan's day-partitioned Parquet lake with Apache Spark;
# - derive trips, stops, charging sessions and daily energy on Spark and compare them with DuckDB;
# - write a Spark job that keeps the first ingested row of each signal, as both engines do;
# - aggregate a derived table per van and day with the DataFrame API.
#
# **Prerequisites**: lesson 6 (the lake and its SQL). **Time**: about 40 minutes. Needs Java 17
# or newer (Debian package `openjdk-17-jre-headless`) and `pip install 'voltvan[spark]'`.
# Background: [scale](../scale.md), [analytics](../analytics.md),
# [the lake's format](../formats/telemetry.md).

# %%
import importlib
import shutil
import time
from pathlib import Path

from pyspark.sql import functions as sf

from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario
from voltvan.telemetry import derive, open_query, open_store, write_samples
from voltvan.telemetry.spark import derive_spark, spark_session
from voltvan.twin import day_start, iso, simulate, van_samples

work = Path("lesson-08")
shutil.rmtree(work, ignore_errors=True)
work.mkdir()
lake = work / "lake"

# %% [markdown]
# ## A lake to work on
#
# Two days of three vans, driven by the digital twin (lesson 7) and written into a store the
# way `voltvan ingest` writes what arrives over MQTT: `signals/date=YYYY-MM-DD/*.parquet`.

# %%
scenario = generate_scenario(num_stops=45, num_vans=3, seed=11, day="mild")
plan = plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=200)
with open_store(lake) as store:
    for day in simulate(scenario, plan, days=2, seed=2).days:
        midnight = day_start(scenario.fleet.date, day.day)
        for vd in day.vans:
            samples = van_samples(vd, ambient_c=day.ambient_c, odometer_m=50_000)
            write_samples(store, vd.van_id, [(iso(midnight, t), s) for t, s in samples])
for folder in sorted((lake / "signals").iterdir()):
    print(folder.relative_to(lake), len(list(folder.glob("*.parquet"))), "file(s)")

# %% [markdown]
# ## DuckDB first
#
# `derive` builds the derived tables beside the raw signals, one folder per table and day.

# %%
on_duck = work / "duck"
shutil.copytree(lake, on_duck)
started = time.perf_counter()
derive(on_duck)
print(f"DuckDB derive: {time.perf_counter() - started:.1f} s")
with open_query(on_duck) as con:
    duck_counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
        for t in ("trips", "stops", "charging_sessions", "daily_energy")
    }
print(duck_counts)

# %% [markdown]
# ## The same on Spark
#
# A Spark session is a JVM with a scheduler; `local[2]` gives it this machine's two cores. On a
# cluster only the master changes (`spark-submit --master spark://...` or `k8s://...`, see
# `docs/scale.md`). Starting the JVM takes a while: that cost is why DuckDB wins on one machine.

# %%
spark = spark_session(
    "local[2]", {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}
)
spark.sparkContext.setLogLevel("ERROR")
on_spark = work / "spark"
shutil.copytree(lake, on_spark)
started = time.perf_counter()
summary = derive_spark(on_spark, spark=spark)
print(f"Spark derive: {time.perf_counter() - started:.1f} s, days {summary.days}")
print(summary.rows)
assert summary.rows == duck_counts, (summary.rows, duck_counts)
print("same row counts as DuckDB")

# %% [markdown]
# Row counts are the start; `tests/telemetry/spark/test_engines.py` compares every table row by
# row (floats within 1e-9). Here, the trips of one van on both engines:

# %%
with open_query(on_duck) as con:
    duck_trips = con.execute(
        "SELECT start_ts, round(distance_m, 3) FROM trips WHERE vehicle_id = 'V001' ORDER BY 1"
    ).fetchall()
with open_query(on_spark) as con:
    spark_trips = con.execute(
        "SELECT start_ts, round(distance_m, 3) FROM trips WHERE vehicle_id = 'V001' ORDER BY 1"
    ).fetchall()
print(len(duck_trips), "trips of V001; identical:", duck_trips == spark_trips)

# %% [markdown]
# ## Reading the lake with Spark yourself
#
# Spark discovers the `date=` folders as a column of the table: a filter on `date` reads only
# that day's files (partition pruning), as DuckDB's `hive_partitioning` does.

# %%
signals = spark.read.parquet(str(lake / "signals"))
signals.printSchema()
signals.groupBy("date").count().orderBy("date").show()
speed = signals.where((sf.col("name") == "Vehicle.Speed") & (sf.col("date") == summary.days[0]))
speed.groupBy("vehicle_id").agg(sf.max("value").alias("top_kmh")).orderBy("vehicle_id").show()

# %% [markdown]
# ## Exercise
#
# Run `voltvan academy start 8` and open `08_scale/exercise.py`. Write two Spark jobs:
#
# 1. `first_ingested(signals)`: a broker delivers a message again when a worker died before
#    acknowledging it, so a lake may hold a sample twice with different `ingested_at`. Keep one
#    row per `(vehicle_id, ts, name)`, the first ingested (a row with no `ingested_at` last).
#    `dropDuplicates` keeps *some* row: which one is not defined.
# 2. `km_per_van_day(trips)`: kilometres per van and day from the derived `trips` table.
#
# `voltvan academy check 8` runs them on rows built to catch the usual mistakes and on a lake
# of its own, and compares with DuckDB. When your exercise sits beside this lesson, the cell
# below runs it on this lake.

# %%
try:
    exercise = importlib.import_module("exercise")
    km = exercise.km_per_van_day(spark.read.parquet(str(on_spark / "derived" / "trips")))
    km.orderBy("vehicle_id", "date").show()
except (ImportError, NotImplementedError) as why:
    print("exercise not written yet:", why)

# %%
spark.stop()
