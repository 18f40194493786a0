"""``voltvan solve`` as a user runs it: a solution file the checker accepts; bad files exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import check_evrptw, data_path

VOLTVAN = [sys.executable, "-c", "from voltvan.cli import main; main()"]


def test_solve_writes_a_checked_solution(tmp_path: Path) -> None:
    """c101C10 solved through the CLI is accepted by the independent checker."""
    instance = data_path("bench", "evrptw", "small", "c101C10.txt")
    out = tmp_path / "sol.json"
    args = ["solve", str(instance), "--max-iterations", "200", "--seed", "2", "--out", str(out)]
    run = subprocess.run([*VOLTVAN, *args], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "vehicles" in run.stdout
    verdict = check_evrptw(instance, out)
    assert verdict["feasible"], verdict


def test_bad_instance_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A non-number in the node table: one line naming file, line and field; exit code 2."""
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "StringID Type x y demand ReadyTime DueDate ServiceTime\n"
        "D0 d 0 0 0 0 100 0\nC1 c 1 abc 0 0 100 0\n"
    )
    args = ["solve", str(bad), "--out", str(tmp_path / "s.json")]
    run = subprocess.run([*VOLTVAN, *args], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "line 3" in lines[0] and "field y" in lines[0] and "bad.txt" in lines[0]
