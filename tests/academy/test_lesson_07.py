"""Lesson 7 (the twin as a sandbox): the grader tells right from wrong, the lesson runs."""

from __future__ import annotations

from typing import Any

from tests.academy.lesson_files import exercise, grader, solution, with_functions

SLUG = "07_twin"
GRADE = grader(SLUG)


def test_untouched_exercise_fails_plainly() -> None:
    """The exercise as copied says each function is not written yet."""
    problems = GRADE.grade(exercise(SLUG))
    assert any("stranded_van_days is not written yet" in p for p in problems)
    assert any("smallest_safe_start_soc is not written yet" in p for p in problems)


def test_stranded_from_missed_stops_fails() -> None:
    """Taking 'missed stops' for 'stranded' misses vans that ran out on the way home."""

    def by_missed(doc: dict[str, Any]) -> list[tuple[int, str, str]]:
        return sorted(
            (d["day"], v["van_id"], v["events"][-1]["location_id"])
            for d in doc["by_day"]
            for v in d["vans"]
            if v["missed"] > 0
        )

    problems = GRADE.grade_stranded(with_functions(solution(SLUG), stranded_van_days=by_missed))
    assert any("stranded_van_days: the twin stranded" in p for p in problems), problems


def test_wrong_place_fails() -> None:
    """Naming the last stop reached instead of where the battery ran out is caught."""
    right = solution(SLUG).stranded_van_days

    def first_event_place(doc: dict[str, Any]) -> list[tuple[int, str, str]]:
        return [(d, v, "S0001") for d, v, _ in right(doc)]

    problems = GRADE.grade_stranded(
        with_functions(solution(SLUG), stranded_van_days=first_event_place)
    )
    assert any("not S0001: read its 'stranded' event" in p for p in problems), problems


def test_too_much_charge_fails() -> None:
    """Answering a full battery is safe but not the smallest."""
    problems = GRADE.grade_search(
        with_functions(solution(SLUG), smallest_safe_start_soc=lambda *a, **k: 1.0)
    )
    assert problems == [
        "smallest_safe_start_soc: 99% is enough too (no van strands), so 100% is not the smallest"
    ]


def test_one_point_short_fails() -> None:
    """One point below the smallest safe charge strands a van, and the grader says so."""
    right = solution(SLUG).smallest_safe_start_soc

    def short(*args: Any, **kwargs: Any) -> float:
        return round(right(*args, **kwargs) - 0.01, 2)

    problems = GRADE.grade_search(with_functions(solution(SLUG), smallest_safe_start_soc=short))
    assert len(problems) == 1 and "still strands" in problems[0], problems
