"""Odd but valid input (a stop far outside the others): check and plan say so and go on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _voltvan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from voltvan.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _day_with_one_far_stop(tmp_path: Path) -> Path:
    folder = tmp_path / "day"
    shutil.copytree(DATA / "scenario_small", folder)
    shutil.copy(DATA / "stops_one_far_outside.csv", folder / "stops.csv")
    return folder


def _warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Warning: ")]


def test_check_warns_and_passes(tmp_path: Path) -> None:
    """check exits 0, prints its table, and one plain warning line naming file, line and stop."""
    folder = _day_with_one_far_stop(tmp_path)
    run = _voltvan("scenario", "check", str(folder))
    assert run.returncode == 0, run.stderr
    assert "valid, 1 warning above" in run.stdout and ": OK" not in run.stdout
    assert _warning_lines(run.stderr) == [
        f"Warning: {folder / 'stops.csv'}, line 10, field lat/lon: stop S13 at (52.3906, 13.0645) "
        "is 26 km from the nearest depot or the middle of the stops, far outside the others "
        "(half of them lie within 0.4 km): check its address"
    ]
    assert "InputWarning" not in run.stderr  # not Python's own warning format


def test_plan_warns_before_planning(tmp_path: Path) -> None:
    """plan prints the same warning, then plans the day all the same."""
    folder = _day_with_one_far_stop(tmp_path)
    out = tmp_path / "out"
    run = _voltvan("plan", str(folder), "--max-iterations", "50", "--out", str(out))
    warned = _warning_lines(run.stderr)
    assert len(warned) == 1 and "stop S13" in warned[0] and "line 10" in warned[0]
    assert (out / "plan.json").is_file(), run.stdout + run.stderr
