"""``plan --time-limit`` is a total for the whole command, not a budget per phase."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from voltvan.scenario import generate_scenario, write_scenario

LIMIT_S = 4.0
STARTUP_S = 15.0
"""Starting Python, importing, reading and writing the files, on a loaded machine: generous."""


@pytest.mark.slow
def test_plan_ends_within_its_time_limit(tmp_path: Path) -> None:
    """A 400-stop day planned with a 4 s limit for the whole command: the planner gets less
    (reading, checking and writing count too), its own clock stays within that plus its last
    replay, and the command ends within the limit plus Python's start-up and imports."""
    folder = write_scenario(generate_scenario(num_stops=400, num_vans=12, seed=2), tmp_path / "d")
    out = tmp_path / "out"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", "plan", str(folder),
         "--time-limit", str(LIMIT_S), "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    stats = json.loads((out / "plan.json").read_text())["stats"]
    assert stats["command_time_limit_s"] == LIMIT_S
    assert 0.0 < stats["time_limit_s"] < LIMIT_S
    assert stats["planning_time_s"] < stats["time_limit_s"] + 1.0
    assert elapsed < LIMIT_S + STARTUP_S
