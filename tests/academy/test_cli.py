"""``voltvan academy list | start | check`` as a learner types them: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.academy.helpers import solution
from voltvan.academy import PROGRESS_FILE, lesson

VOLTVAN = [sys.executable, "-c", "from voltvan.cli import main; main()"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VOLTVAN, "academy", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(_src())},
    )


def _src() -> Path:
    import voltvan

    return Path(voltvan.__file__).resolve().parents[1]


def test_list_shows_every_lesson_and_the_progress(tmp_path: Path) -> None:
    """list names lessons 1-4 with their minutes, and marks a started one."""
    (tmp_path / PROGRESS_FILE).write_text(
        json.dumps({"version": 1, "lessons": {"2": {"started": "2026-01-01T00:00:00+00:00"}}})
    )
    run = _run("list", "--dir", str(tmp_path))
    assert run.returncode == 0, run.stderr
    for title in ("Your first plan", "Energy physics", "Routing", "Charging"):
        assert title in run.stdout
    line = next(x for x in run.stdout.splitlines() if "Energy physics" in x)
    assert "started" in line and "40" in line


def test_start_then_check_untouched_is_not_yet_exit_1(tmp_path: Path) -> None:
    """start copies the files; checking the untouched exercise says 'not yet' and exits 1."""
    run = _run("start", "2", "--dir", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "02_energy_physics" / "exercise.py").is_file()
    assert "voltvan academy check 2" in run.stdout
    run = _run("check", "2", "--dir", str(tmp_path))
    assert run.returncode == 1, run.stderr
    assert "steady_drive_wh is not written yet" in run.stdout
    assert "not yet" in run.stdout and "Traceback" not in run.stdout + run.stderr


def test_check_passes_with_the_reference_exit_0(tmp_path: Path) -> None:
    """With the reference solution in place, check says passed, exits 0 and records it."""
    assert _run("start", "4", "--dir", str(tmp_path)).returncode == 0
    target = tmp_path / "04_charging" / "exercise.py"
    target.write_text(solution(lesson(4)).read_text())
    run = _run("check", "4", "--dir", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "passed" in run.stdout
    progress = json.loads((tmp_path / PROGRESS_FILE).read_text())["lessons"]["4"]
    assert progress["passed"] and progress["checks"] == 1
    assert "passed" in next(
        x for x in _run("list", "--dir", str(tmp_path)).stdout.splitlines() if "Charging" in x
    )


def test_check_without_workspace_exits_2_in_one_line(tmp_path: Path) -> None:
    """Checking a lesson never started: one line on stderr naming the start command; exit 2."""
    run = _run("check", "3", "--dir", str(tmp_path))
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("NotFound: no workspace for lesson 3")
    assert "voltvan academy start 3" in lines[0]


def test_unknown_lesson_exits_2_in_one_line(tmp_path: Path) -> None:
    """start 42: one line saying which lessons exist; exit 2; nothing created."""
    run = _run("start", "42", "--dir", str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.strip().startswith("NotFound: there is no lesson 42 (lessons: 1, 2, 3, 4")
    assert not any(tmp_path.iterdir())


def test_start_default_dir_is_the_current_folder(tmp_path: Path) -> None:
    """Without --dir the workspace is the current folder."""
    run = _run("start", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "01_first_plan" / "lesson.py").is_file()
    assert (tmp_path / PROGRESS_FILE).is_file()
