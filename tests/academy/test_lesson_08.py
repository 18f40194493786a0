"""Lesson 8 (Spark): the grader tells right from wrong; each wrong job gets its own message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.academy.lesson_files import exercise, grader, solution, with_functions

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SLUG = "08_scale"
GRADE = grader(SLUG)

pytestmark = pytest.mark.slow  # a Spark session (a JVM) per test run


def test_untouched_exercise_fails_plainly() -> None:
    with pytest.raises(NotImplementedError, match="ingested first"):
        GRADE.grade(exercise(SLUG))


def test_drop_duplicates_keeps_an_undefined_row() -> None:
    """``dropDuplicates`` keeps a row per key, not the first ingested one."""

    def any_row(signals: DataFrame) -> DataFrame:
        return signals.dropDuplicates(["vehicle_id", "ts", "name"])

    problems = GRADE.grade(with_functions(solution(SLUG), first_ingested=any_row))
    assert any("you kept a re-delivery ingested later" in p for p in problems), problems
    assert any("a text signal re-delivered later" in p for p in problems), problems


def test_nulls_first_is_caught() -> None:
    """Spark sorts nulls first in ascending order: a row with no ingested_at must rank last."""
    from pyspark.sql import Window
    from pyspark.sql import functions as sf

    def nulls_first(signals: DataFrame) -> DataFrame:
        key = Window.partitionBy("vehicle_id", "ts", "name").orderBy("ingested_at")
        return signals.withColumn("r", sf.row_number().over(key)).where("r = 1")

    problems = GRADE.grade(with_functions(solution(SLUG), first_ingested=nulls_first))
    assert problems == [
        "for V1's Vehicle.Speed at 08:00:01 UTC you kept a row with no ingested_at (7.0); "
        "the first ingested holds 8.0 (order by ingested_at, no time last)"
    ]


def test_two_rows_per_key_are_caught() -> None:
    def everything(signals: DataFrame) -> DataFrame:
        return signals

    problems = GRADE.grade(with_functions(solution(SLUG), first_ingested=everything))
    assert problems[0].startswith("first_ingested keeps 2 rows of V1's Vehicle.Speed at 08:00")


def test_metres_and_missing_dates_are_caught() -> None:
    from pyspark.sql import functions as sf

    def metres(trips: DataFrame) -> DataFrame:
        return trips.groupBy("vehicle_id", "date").agg(sf.sum("distance_m").alias("km"))

    def per_van(trips: DataFrame) -> DataFrame:
        return trips.groupBy("vehicle_id").agg(
            sf.max("date").alias("date"), (sf.sum("distance_m") / 1000).alias("km")
        )

    problems = GRADE.grade(with_functions(solution(SLUG), km_per_van_day=metres))
    assert len(problems) == 1 and "(metres, not km?)" in problems[0], problems
    problems = GRADE.grade(with_functions(solution(SLUG), km_per_van_day=per_van))
    assert len(problems) == 1 and "van-days; the lake has" in problems[0], problems
