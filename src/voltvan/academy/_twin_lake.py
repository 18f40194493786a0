"""A telemetry lake the graders score against: days of the twin's vans, written and derived.

Graders compare the learner's queries with what the twin really drove, so the lake is built the
same way for every lesson that needs one (a fixed scenario, plan and seed, the store written
directly, no broker) and once per process: planning and simulating take seconds.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voltvan.twin import TrueTrip


@dataclass(frozen=True, slots=True)
class TwinLake:
    """The lake's folder (signals and derived tables) and, per simulated day, its midnight
    (epoch s) and the trips the twin drove (``start_s`` after that midnight)."""

    folder: Path
    midnight_s: tuple[float, ...]
    true_trips: tuple[tuple[TrueTrip, ...], ...]


@functools.cache
def twin_lake(days: int) -> TwinLake:
    """``days`` days of three vans (45 stops) in a fresh temporary store, derived by DuckDB;
    removed when the process exits."""
    from voltvan.planning import plan_scenario
    from voltvan.scenario import generate_scenario
    from voltvan.telemetry import derive, open_store, write_samples
    from voltvan.twin import day_start, iso, simulate, true_trips, van_samples

    scenario = generate_scenario(num_stops=45, num_vans=3, seed=11, day="mild")
    plan = plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=200)
    folder = Path(tempfile.mkdtemp(prefix="voltvan-academy-lake-"))
    atexit.register(shutil.rmtree, folder, True)
    midnights: list[float] = []
    trips: list[tuple[TrueTrip, ...]] = []
    with open_store(folder) as store:
        for day in simulate(scenario, plan, days=days, seed=2).days:
            midnight = day_start(scenario.fleet.date, day.day)
            for vd in day.vans:
                samples = van_samples(vd, ambient_c=day.ambient_c, odometer_m=50_000)
                write_samples(store, vd.van_id, [(iso(midnight, t), s) for t, s in samples])
            midnights.append(midnight.timestamp())
            trips.append(tuple(t for vd in day.vans for t in true_trips(vd)))
    derive(folder)
    return TwinLake(folder, tuple(midnights), tuple(trips))
