"""The framework: discovery, data files, workspaces, progress and how a learner's error reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.academy.helpers import problems_of
from voltvan.academy import (
    PROGRESS_FILE,
    check,
    data_file,
    exercise_path,
    lesson,
    lessons,
    read_progress,
    record,
    start,
)
from voltvan.academy._lessons import lessons as lessons_in
from voltvan.errors import InvalidInput, NotFound


def test_data_file_finds_shipped_data_with_licence() -> None:
    """Lesson data ships in the package, each data set beside its licence."""
    trip = data_file("rsk-twizy-ev/Analyzed/T1/T1_07_01_2021.csv")
    assert trip.is_file() and trip.stat().st_size > 100_000
    assert (data_file("rsk-twizy-ev") / "LICENSE.md").is_file()
    assert (data_file("evrptw-small") / "LICENSE").is_file()


def test_data_file_unknown_name_lists_what_is_shipped() -> None:
    """A wrong name is NotFound, naming the data sets there are; no escaping the folder."""
    with pytest.raises(NotFound, match=r"no lesson data file 'nope\.csv'.*rsk-twizy-ev"):
        data_file("nope.csv")
    with pytest.raises(NotFound):
        data_file("../lessons/01_first_plan/meta.toml")


def test_unknown_lesson_number_lists_the_lessons() -> None:
    """Lesson 99 does not exist; the error lists the numbers that do."""
    with pytest.raises(NotFound, match=r"there is no lesson 99 \(lessons: 1, 2, 3, 4"):
        lesson(99)


def _fake_lesson(root: Path, name: str, meta: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for f in ("lesson.py", "exercise.py", "grade.py"):
        (folder / f).write_text("")
    (folder / "meta.toml").write_text(meta)
    return folder


def test_meta_number_must_match_the_folder(tmp_path: Path) -> None:
    """A meta.toml whose number disagrees with its folder is named, with the field."""
    _fake_lesson(tmp_path, "07_x", 'number = 6\ntitle = "X"\nminutes = 5\ngoals = ["a"]\n')
    with pytest.raises(InvalidInput, match=r"meta\.toml, field number: number 6 differs"):
        lessons_in(tmp_path)


def test_lesson_without_a_grader_is_refused(tmp_path: Path) -> None:
    """A lesson folder missing one of its four files says which."""
    folder = _fake_lesson(tmp_path, "05_y", 'number = 5\ntitle = "Y"\nminutes = 5\ngoals = []\n')
    (folder / "grade.py").unlink()
    with pytest.raises(InvalidInput, match=r"the lesson has no grade\.py"):
        lessons_in(tmp_path)


def test_start_copies_and_never_overwrites_the_learners_work(tmp_path: Path) -> None:
    """start copies exercise.py and lesson.py; a second start keeps the edited exercise."""
    first = lesson(1)
    started = start(first, tmp_path)
    assert started.folder == tmp_path / "01_first_plan"
    assert set(started.copied) == {"exercise.py", "lesson.py"}
    mine = started.folder / "exercise.py"
    mine.write_text("# my work\n")
    again = start(first, tmp_path)
    assert "exercise.py" in again.kept and mine.read_text() == "# my work\n"
    assert read_progress(tmp_path)["1"]["started"]


def test_missing_workspace_says_how_to_start(tmp_path: Path) -> None:
    """Checking before starting names the missing file and the start command."""
    with pytest.raises(NotFound, match=r"no workspace for lesson 2 .*voltvan academy start 2"):
        exercise_path(lesson(2), tmp_path)


def test_progress_counts_checks_and_keeps_the_first_pass(tmp_path: Path) -> None:
    """Each check counts; the time of the first pass stays when a later check fails."""
    record(tmp_path, 3, passed=False)
    record(tmp_path, 3, passed=True)
    passed_at = read_progress(tmp_path)["3"]["passed"]
    record(tmp_path, 3, passed=False)
    entry = read_progress(tmp_path)["3"]
    assert entry["checks"] == 3 and entry["passed"] == passed_at
    data = json.loads((tmp_path / PROGRESS_FILE).read_text())
    assert data["version"] == 1


def test_unreadable_progress_is_no_progress(tmp_path: Path) -> None:
    """A damaged progress file never stops a learner: it reads as empty and is rewritten."""
    (tmp_path / PROGRESS_FILE).write_text("{not json")
    assert read_progress(tmp_path) == {}
    record(tmp_path, 2, started=True)
    assert read_progress(tmp_path)["2"]["started"]


def test_exercise_that_fails_on_import_shows_its_line(tmp_path: Path) -> None:
    """An exercise that raises while importing: the learner's file, line and error."""
    source = "import math\n\nVALUE = math.sqrt(-1)\n"
    problems = problems_of(lesson(2), source, tmp_path)
    assert problems == (
        "exercise.py does not import: ValueError: math domain error at exercise.py line 3: "
        "VALUE = math.sqrt(-1)",
    )


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    """A syntax error is reported with its line, not a traceback."""
    problems = problems_of(lesson(2), "def steady_drive_wh(:\n    pass\n", tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("exercise.py does not import: SyntaxError")
    assert "exercise.py line 1" in problems[0]


def test_error_inside_a_learners_function_names_function_and_line(tmp_path: Path) -> None:
    """A function that raises half-way: which function, which line, which error."""
    source = (
        "def steady_drive_wh(params, mass_kg, speed_mps, distance_m, ambient_c):\n"
        "    wheels = mass_kg * 9.81\n"
        "    return wheels / 0\n"
    )
    problems = problems_of(lesson(2), source, tmp_path)
    assert problems == (
        "your code raised ZeroDivisionError: float division by zero at exercise.py line 3 "
        "in steady_drive_wh: return wheels / 0",
    )


def test_check_sees_the_latest_edit(tmp_path: Path) -> None:
    """Two checks of the same path in one process grade the file as it is now."""
    lessons()  # discovery is not cached across edits either
    path = tmp_path / "exercise.py"
    path.write_text("def steady_drive_wh(*a):\n    raise NotImplementedError\n")
    assert "not written yet" in check(lesson(2), path).problems[0]
    path.write_text("def steady_drive_wh(*a):\n    return 'x'\n")
    assert "should return a number" in check(lesson(2), path).problems[0]


def test_exercise_may_import_a_module_beside_it(tmp_path: Path) -> None:
    """A learner who splits their answer into two files in the workspace is graded on it."""
    (tmp_path / "physics.py").write_text(
        (Path(__file__).parent / "solutions" / "02_energy_physics" / "exercise.py").read_text()
    )
    (tmp_path / "exercise.py").write_text(
        "from physics import steady_drive_wh as steady_drive_wh\n"
    )
    assert check(lesson(2), tmp_path / "exercise.py").passed
