"""Shared fixtures: tiny, well-understood fleets, the data files the repository ships for tests,
and the independent EVRPTW checker."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from voltvan.domain import (
    Depot,
    Fleet,
    Scenario,
    Stop,
    TimeWindow,
    Van,
    VehicleType,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytest_plugins = ("tests.ci_skips", "tests.ops.databases")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
CHECKER = REPO / "tests" / "tools" / "check_evrptw.py"
PACKAGE_DATA = REPO / "src" / "voltvan" / "academy" / "data"
#: Files the lessons read too live once, in the package data of ``voltvan.academy``.
MOVED = {
    ("real", "rsk-twizy-ev"): PACKAGE_DATA / "rsk-twizy-ev",
    ("bench", "evrptw", "small"): PACKAGE_DATA / "evrptw-small",
}


def data_path(*parts: str) -> Path:
    """A file or folder under tests/data (real data and benchmark instances, see its README).

    The Twizy trips and the small EVRPTW instances are package data of the lessons; their
    old tests/data paths still name them here.

    Never skips: the repository ships every file a test reads, so a missing one is a broken
    checkout or a typo, and the test must fail saying which.
    """
    path = DATA.joinpath(*parts)
    for prefix, folder in MOVED.items():
        if parts[: len(prefix)] == prefix:
            path = folder.joinpath(*parts[len(prefix) :])
    if not path.exists():
        raise FileNotFoundError(f"test data missing: {path} (listed in tests/data/README.md?)")
    return path


def check_evrptw(instance_file: Path, solution: Path) -> dict[str, object]:
    """The verdict of the independent EVRPTW checker (a subprocess: no code shared with us)."""
    run = subprocess.run(
        [sys.executable, str(CHECKER), str(instance_file), str(solution)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = run.stdout.strip().splitlines()
    if not lines:
        raise AssertionError(f"no verdict from the checker (exit {run.returncode}): {run.stderr}")
    result: dict[str, object] = json.loads(lines[-1])
    return result


@pytest.fixture
def large_van() -> VehicleType:
    return VehicleType(
        id="large", battery_wh=68_000, mass_kg=2_600, payload_kg=1_200, volume_m3=12.0
    )


@pytest.fixture
def two_vans_five_stops(large_van: VehicleType) -> Scenario:
    """Depot in central Berlin, five stops within 3 km, two identical large vans."""
    depot = Depot(id="D", lat=52.52, lon=13.40)
    vans = (
        Van(id="V1", type_id="large", depot_id="D"),
        Van(id="V2", type_id="large", depot_id="D"),
    )
    stops = tuple(
        Stop(
            id=f"S{i}",
            lat=52.52 + 0.005 * i,
            lon=13.40 + 0.004 * (i % 3),
            time_windows=(TimeWindow(8 * 3600, 17 * 3600),),
            service_s=180,
            weight_kg=20 * i,
            volume_m3=0.1 * i,
        )
        for i in range(1, 6)
    )
    fleet = Fleet(depots=(depot,), vehicle_types=(large_van,), vans=vans)
    return Scenario(fleet=fleet, stops=stops, name="two_vans_five_stops")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """One Spark session (local[2]) for all Spark tests, planning's and telemetry's: the JVM
    starts once per run. Telemetry's session (its SQL settings) serves planning as well."""
    from voltvan.telemetry.spark import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()
