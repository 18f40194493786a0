"""A generated fleet for the engine comparison: days of driving, stops, charging by every
detection path (and vans that switch path from one day to the next), GPS faults, silences and
re-delivered (duplicate) rows, in the storage layout v1."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.telemetry.analytics_data import Row, write_signals
from voltvan.telemetry.analytics import NET_CAPACITY
from voltvan.telemetry.ingest import (
    BATTERY_POWER,
    ENERGY_KWH,
    IS_CHARGING,
    LATITUDE,
    LONGITUDE,
    SOC,
    SPEED,
)

ODOMETER = "Vehicle.TraveledDistance"
TEMPERATURE = "Vehicle.Exterior.AirTemperature"
START = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
CAPACITY_WH = 40_000.0


def _van(rng: random.Random, van: str, days: int) -> list[Row]:
    """One van's days: drives, stops, charges (path per day), silences and GPS faults."""
    rows: list[Row] = []
    has_odometer, has_energy = rng.random() < 0.5, rng.random() < 0.4
    t = START + timedelta(seconds=rng.randint(0, 3600))
    lat, lon, soc, odo = 48.1 + rng.random() / 10, 11.5 + rng.random() / 10, 80.0, 1e6
    end = START + timedelta(days=days)
    while t < end:
        # the charging path of the day: flag, battery power or SoC alone
        path = ["flag", "power", "soc"][(int(van[1:]) + t.day) % 3]
        what = rng.choice(["drive", "drive", "stop", "charge", "gap", "blip"])
        if what == "gap":
            t += timedelta(seconds=rng.randint(700, 4 * 3600))
            continue
        step = {"drive": 10, "stop": 30, "charge": 60, "blip": 20}[what]
        dur = {"drive": rng.randint(300, 2400), "stop": rng.randint(60, 3600),
               "charge": rng.choice([900, 3 * 3600, 10 * 3600]), "blip": 60}[what]  # fmt: skip
        heading = rng.uniform(0, 2 * math.pi)
        for i in range(dur // step):
            sample: list[tuple[str, float]] = []
            if what == "drive":
                v = rng.uniform(20, 60)
                lat += v / 3.6 * step * math.cos(heading) / 111_000
                lon += v / 3.6 * step * math.sin(heading) / 75_000
                odo += v / 3.6 * step
                soc = max(1.0, soc - v / 3.6 * step * 0.15 / CAPACITY_WH * 100)
                sample.append((SPEED, round(v, 1)))
            else:
                sample.append((SPEED, 0.0)) if i % 2 == 0 else None
            if what in ("charge", "blip"):
                power = rng.uniform(3e3, 11e3)
                soc = min(100.0, soc + power * step / 3600 / CAPACITY_WH * 100)
                if path != "soc":
                    sample.append((BATTERY_POWER, power))
                if path == "flag":
                    sample.append((IS_CHARGING, 1.0))
            elif path == "flag" and i % 5 == 0:
                sample.append((IS_CHARGING, 0.0))
            elif path == "power" and i % 3 == 0:
                sample.append((BATTERY_POWER, -2000.0 if what == "drive" else 0.0))
            sample.append((SOC, round(soc, 1)))
            if i % 2 == 0:
                fix = (0.0, lon) if rng.random() < 0.01 else (lat, lon)  # receiver drop-out
                if rng.random() < 0.005:
                    fix = (lat + 0.05, lon)  # a jump
                sample += [(LATITUDE, fix[0]), (LONGITUDE, fix[1])]
            if has_odometer and i % 3 == 0:
                sample.append((ODOMETER, round(odo)))
            if has_energy and i % 4 == 0:
                sample.append((ENERGY_KWH, soc * CAPACITY_WH / 1e5))
            if i % 10 == 0:
                sample.append((TEMPERATURE, 5.0 + rng.random()))
            rows += [(van, t, name, value) for name, value in sample]
            t += timedelta(seconds=step)
    return rows


def write_fleet(
    data: Path, *, vans: int = 8, days: int = 3, seed: int = 1, duplicates: bool = True
) -> list[Row]:
    """Write the fleet (one van reports its NetCapacity); with ``duplicates``, every 20th row
    a second time (``part-1``), as a re-delivered message stored by a second worker."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for k in range(vans):
        rows += _van(rng, f"V{k:02d}", days)
    rows.append(("V00", START, NET_CAPACITY, 38.5))
    write_signals(data, rows)
    if duplicates:
        write_signals(data, rows[::20], part="part-1")
    return rows
