"""Lesson 6 (vehicle data): the grader tells right from wrong SQL, and the lesson runs."""

from __future__ import annotations

from tests.academy.lesson_files import exercise, grader, solution, with_functions

SLUG = "06_vehicle_data"
GRADE = grader(SLUG)


def test_untouched_exercise_fails_plainly() -> None:
    """The exercise as copied says each query is still TODO."""
    assert GRADE.grade(exercise(SLUG)) == [
        f"{name} is not written yet (it is still TODO)" for name in GRADE.QUESTIONS
    ]


def test_mean_of_trip_ratios_fails() -> None:
    """Averaging each trip's Wh/km weighs a short trip like a long one: caught per van."""
    wrong = with_functions(
        solution(SLUG),
        WH_PER_KM_SQL="SELECT vehicle_id, avg(wh_per_km) AS wh_per_km FROM trips GROUP BY 1",
    )
    problems = GRADE.grade(wrong)
    assert problems and all(p.startswith("WH_PER_KM_SQL: van ") for p in problems), problems


def test_odometer_of_one_van_for_all_fails() -> None:
    """Forgetting GROUP BY gives one row for the fleet, named as such."""
    wrong = with_functions(
        solution(SLUG),
        KM_FROM_ODOMETER_SQL="SELECT 'V001' AS vehicle_id, (max(value) - min(value)) / 1000 AS km "
        "FROM signals WHERE name = 'Vehicle.TraveledDistance'",
    )
    problems = GRADE.grade(wrong)
    assert any(p.startswith("KM_FROM_ODOMETER_SQL: the lake has vans") for p in problems), problems


def test_wrong_order_fails() -> None:
    """Sorting the wrong way round names the shortest trip, and the grader names the longest."""
    wrong = with_functions(
        solution(SLUG),
        LONGEST_TRIP_SQL="SELECT vehicle_id, start_ts, distance_m FROM trips "
        "ORDER BY distance_m ASC LIMIT 1",
    )
    problems = GRADE.grade(wrong)
    assert len(problems) == 1 and problems[0].startswith("LONGEST_TRIP_SQL: the longest trip is")


def test_sql_error_is_reported_in_one_line() -> None:
    """A query that does not run gets DuckDB's first line, not a traceback."""
    wrong = with_functions(solution(SLUG), LONGEST_TRIP_SQL="SELECT nope FROM trips")
    problems = GRADE.grade(wrong)
    assert len(problems) == 1 and problems[0].startswith("LONGEST_TRIP_SQL does not run: ")
    assert "\n" not in problems[0]
