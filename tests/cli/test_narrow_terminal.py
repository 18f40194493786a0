"""The tables of the day's commands (scenario, plan, charge, solve) read in 80 columns: no line
wider, nothing cut short with an ellipsis, even with long output paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import data_path

VOLTVAN = [sys.executable, "-c", "from voltvan.cli import main; main()"]


def _narrow(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "80"}
    run = subprocess.run(
        [*VOLTVAN, *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def _assert_fits(out: str) -> None:
    lines = out.splitlines()
    assert max(len(x) for x in lines) <= 80, "\n".join(x for x in lines if len(x) > 80)
    assert "…" not in out, out


def test_day_commands_fit_80_columns(tmp_path: Path) -> None:
    """scenario generate/check, plan and charge print their summaries within 80 columns."""
    deep = tmp_path / "a-folder-with-a-rather-long-name-for-its-outputs" / "and-one-more"
    sc = deep / "scenario"
    out = _narrow("scenario", "generate", "--out", str(sc), "--stops", "20", "--vans", "4")
    _assert_fits(out)
    _assert_fits(_narrow("scenario", "check", str(sc)))
    out = _narrow("plan", str(sc), "--max-iterations", "100", "--out", str(deep / "out"))
    _assert_fits(out)
    assert "independent check" in out
    out = _narrow("charge", str(sc), "--plan", str(deep / "out" / "plan.json"),
                  "--out", str(deep / "out" / "schedule.json"))  # fmt: skip
    _assert_fits(out)
    assert "Depot charging schedule" in out


def test_solve_table_folds_a_long_path(tmp_path: Path) -> None:
    """The solution path in the solve table is folded over lines, never cut with an ellipsis."""
    instance = data_path("bench", "evrptw", "small", "c101C10.txt")
    sol = tmp_path / "a-folder-with-a-rather-long-name-for-its-outputs" / "solution.json"
    sol.parent.mkdir()
    out = _narrow("solve", str(instance), "--max-iterations", "20", "--out", str(sol))
    _assert_fits(out)
    assert "solution.json" in "".join(x.strip("│ ") for x in out.splitlines())
