"""Every lesson: the reference passes, the untouched exercise fails plainly, the notebook runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.academy.helpers import FAST_RUN, SLOW_GRADE, run_lesson, solution
from voltvan.academy import Lesson, check, lesson, lessons

LESSONS = lessons()


def _grade_param(lesson: Lesson) -> object:
    marks = [pytest.mark.slow] if lesson.number in SLOW_GRADE else []
    return pytest.param(lesson, id=lesson.name, marks=marks)


def _run_param(lesson: Lesson) -> object:
    marks = [] if lesson.number in FAST_RUN else [pytest.mark.slow]
    return pytest.param(lesson, id=lesson.name, marks=marks)


def test_lessons_one_to_four_are_shipped() -> None:
    """Lessons 1-4 are found in the package data with their meta data."""
    numbers = [x.number for x in LESSONS]
    assert {1, 2, 3, 4} <= set(numbers)
    assert numbers == sorted(numbers)
    for found in LESSONS:
        assert found.title and found.minutes > 0 and found.goals


@pytest.mark.parametrize("lesson", [_grade_param(x) for x in LESSONS])
def test_reference_solution_passes(lesson: Lesson) -> None:
    """tests/academy/solutions/NN_slug/exercise.py passes its lesson's grader."""
    result = check(lesson, solution(lesson))
    assert result.passed, result.problems


@pytest.mark.parametrize("lesson", [_grade_param(x) for x in LESSONS])
def test_untouched_exercise_fails_plainly(lesson: Lesson) -> None:
    """The shipped exercise is not yet done, and the grader says so in one plain sentence."""
    result = check(lesson, lesson.folder / "exercise.py")
    assert not result.passed and result.problems[0].strip()
    assert "Traceback" not in "\n".join(result.problems)
    if lesson.number <= 4:  # NotImplementedError bodies: named function, file and line
        assert "is not written yet (exercise.py line" in result.problems[0]


@pytest.mark.parametrize("lesson", [_run_param(x) for x in LESSONS])
def test_lesson_runs_top_to_bottom(lesson: Lesson, tmp_path: Path) -> None:
    """``python lesson.py`` in an empty folder runs to the end, offline."""
    run = run_lesson(lesson, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip()


@pytest.mark.parametrize("lesson", [pytest.param(x, id=x.name) for x in LESSONS])
def test_notebook_is_jupytext_percent_with_goals(lesson: Lesson) -> None:
    """The notebook opens with a markdown cell naming its goals, time and prerequisites."""
    text = lesson.notebook.read_text()
    assert text.startswith("# %% [markdown]")
    header = text.split("# %%\n", 1)[0]
    assert "You will be able to" in header
    assert "Prerequisites" in header and "minutes" in header.lower()
    assert "# %%\n" in text


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param(3, ", yours ", id="03_routing", marks=pytest.mark.slow),
        pytest.param(4, "with C2/1 kept for V7: ", id="04_charging"),
    ],
)
def test_lesson_measures_the_learners_answer_beside_it(
    number: int, expected: str, tmp_path: Path
) -> None:
    """Run beside a passing exercise.py, the lesson's last cell measures the learner's code."""
    found = lesson(number)
    (tmp_path / "lesson.py").write_text(found.notebook.read_text())
    (tmp_path / "exercise.py").write_text(solution(found).read_text())
    run = subprocess.run(
        [sys.executable, "lesson.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert expected in run.stdout
