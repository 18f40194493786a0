"""``voltvan replan`` end to end: files written, the check against the parent, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.planning.replan_cases import busiest, planned_day
from voltvan.scenario import write_scenario


def _voltvan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The generated day as files, its plan, and the van with most stops left at noon."""
    scenario, plan = planned_day()
    root = tmp_path_factory.mktemp("replan")
    scenario_dir = write_scenario(scenario, root / "scenario")
    plan.write_json(root / "plan.json")
    return scenario_dir, root / "plan.json", busiest(plan).van_id


def test_breakdown_writes_a_checked_new_version(
    files: tuple[Path, Path, str], tmp_path: Path
) -> None:
    scenario_dir, plan, van = files
    ev = tmp_path / "events.json"
    ev.write_text(
        json.dumps(
            {
                "version": 1,
                "events": [{"type": "van_out_of_service", "van_id": van, "time": "12:00"}],
            }
        )
    )
    out = tmp_path / "out"
    run = _voltvan(
        "replan",
        str(scenario_dir),
        "--plan",
        str(plan),
        "--at",
        "12:00",
        "--events",
        str(ev),
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((out / "plan.json").read_text())
    assert data["revision"] == 1 and data["parent"]["replanned_at_s"] == 43200
    moved = data["stats"]["replan"]["moved"]
    assert moved > 0
    assert re.search(rf"moved to another van\s*\S\s*{moved}\s", run.stdout), run.stdout
    assert "feasible (0 violations)" in run.stdout
    assert (out / "routes.geojson").exists()
    assert not (out / "scenario").exists()  # no new stops: the scenario is the same


def test_new_stop_writes_the_scenario_to_check_against(
    files: tuple[Path, Path, str], tmp_path: Path
) -> None:
    scenario_dir, plan, _ = files
    stop = {"id": "URGENT1", "lat": 52.45, "lon": 13.40, "tw_start": "13:00", "tw_end": "19:00"}
    ev = tmp_path / "events.json"
    ev.write_text(
        json.dumps({"version": 1, "events": [{"type": "new_stop", "time": "11:30", "stop": stop}]})
    )
    out = tmp_path / "out"
    run = _voltvan(
        "replan",
        str(scenario_dir),
        "--plan",
        str(plan),
        "--at",
        "12:00",
        "--events",
        str(ev),
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "URGENT1" in (out / "scenario" / "stops.csv").read_text()
    routes = json.loads((out / "plan.json").read_text())["routes"]
    served = {v["location_id"] for r in routes for v in r["visits"] if v["kind"] == "stop"}
    assert "URGENT1" in served


def test_bad_events_file_exits_2_naming_file_and_field(
    files: tuple[Path, Path, str], tmp_path: Path
) -> None:
    scenario_dir, plan, _ = files
    ev = tmp_path / "events.json"
    ev.write_text(
        json.dumps({"version": 1, "events": [{"type": "delay", "van_id": "V999", "delay_s": 60}]})
    )
    run = _voltvan(
        "replan", str(scenario_dir), "--plan", str(plan), "--at", "12:00", "--events", str(ev)
    )
    assert run.returncode == 2
    assert str(ev) in run.stderr and "events[0].van_id" in run.stderr


def test_bad_time_exits_2(files: tuple[Path, Path, str]) -> None:
    scenario_dir, plan, _ = files
    run = _voltvan("replan", str(scenario_dir), "--plan", str(plan), "--at", "noon")
    assert run.returncode == 2
    assert "--at" in run.stderr
