"""``voltvan plan`` on tiny scenarios: files written, exit codes, unassigned stops said clearly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.planning.cases import with_hopeless_stops
from voltvan.domain import Scenario
from voltvan.scenario import write_scenario


def _voltvan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_plan_writes_the_files_and_exits_0(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    """A feasible plan exits 0 and writes plan.json, routes.geojson and report.html."""
    scenario_dir = write_scenario(two_vans_five_stops, tmp_path / "scenario")
    out = tmp_path / "out"
    run = _voltvan(
        "plan",
        str(scenario_dir),
        "--max-iterations",
        "100",
        "--time-limit",
        "10",
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    plan = json.loads((out / "plan.json").read_text())
    assert plan["summary"]["stops_served"] == 5
    assert json.loads((out / "routes.geojson").read_text())["type"] == "FeatureCollection"
    assert (out / "report.html").stat().st_size > 0
    assert "feasible" in run.stdout


def test_plan_says_clearly_what_is_unassigned(
    tmp_path: Path, two_vans_five_stops: Scenario
) -> None:
    """Stops no van can serve are named with their reason in the output; the plan still passes."""
    scenario_dir = write_scenario(
        with_hopeless_stops(two_vans_five_stops, heavy=False), tmp_path / "sc"
    )
    run = _voltvan("plan", str(scenario_dir), "--max-iterations", "100", "--out", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 stops are unassigned" in run.stdout
    assert "DAWN: time window impossible" in run.stdout


def test_missing_scenario_is_one_line_exit_2(tmp_path: Path) -> None:
    """A scenario folder that does not exist gives one error line and exit code 2."""
    run = _voltvan("plan", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr
