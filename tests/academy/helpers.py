"""Where the reference solutions live, and how a lesson is graded or run in the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from voltvan.academy import Lesson, check

SOLUTIONS = Path(__file__).resolve().parent / "solutions"

#: Lessons whose grading takes more than a few seconds (it plans a day, or starts Spark).
SLOW_GRADE = {1, 6, 7, 8}
#: Lessons that run in under 10 s top to bottom; every other lesson's run is marked slow.
FAST_RUN = {2, 4}


def solution(lesson: Lesson) -> Path:
    path = SOLUTIONS / lesson.name / "exercise.py"
    if not path.is_file():
        raise FileNotFoundError(f"no reference solution for lesson {lesson.number}: {path}")
    return path


def problems_of(lesson: Lesson, source: str, tmp_path: Path) -> tuple[str, ...]:
    """The grader's problems with an exercise written as ``source``."""
    path = tmp_path / lesson.name / "exercise.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return check(lesson, path).problems


def run_lesson(lesson: Lesson, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python lesson.py`` in an empty folder, as a learner runs it."""
    return subprocess.run(
        [sys.executable, str(lesson.notebook)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
