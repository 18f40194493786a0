"""Lesson 5 (OCPP): the grader tells right from wrong, and agrees with voltvan's own reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.academy.lesson_files import SOLUTIONS, exercise, grader, solution, with_functions
from voltvan.academy import check, lesson
from voltvan.charging.ocpp._meter_values import read_meter

SLUG = "05_ocpp"
GRADE = grader(SLUG)


def test_untouched_exercise_fails_plainly() -> None:
    """The exercise as copied says each function is not written yet."""
    assert GRADE.grade(exercise(SLUG)) == [
        "energy_wh is not written yet (it still raises NotImplementedError)",
        "tx_profile is not written yet (it still raises NotImplementedError)",
    ]


def test_grader_frames_read_as_the_central_system_reads_them() -> None:
    """Every frame's expected Wh is what voltvan's CSMS reads from it."""
    for frame, expected, what in GRADE.meter_frames():
        payload = GRADE._snake_keys(json.loads(frame)[3])
        assert read_meter(payload["meter_value"])[0] == pytest.approx(expected), what


def test_ignoring_the_unit_fails() -> None:
    """Reading kWh as Wh is named with the frame's shape."""

    def no_units(frame: str) -> float | None:
        _, _, _, payload = json.loads(frame)
        values = [
            float(s["value"])
            for mv in payload["meterValue"]
            for s in mv["sampledValue"]
            if s.get("measurand", "Energy.Active.Import.Register")
            == "Energy.Active.Import.Register"
        ]
        return values[-1] if values else None

    problems = GRADE.grade_energy(with_functions(solution(SLUG), energy_wh=no_units))
    assert any(p.startswith("energy_wh: 1.6 in kWh: the meter reads") for p in problems), problems
    assert any("2.0.1 in Wh with multiplier 3" in p for p in problems), problems


def test_profile_without_a_final_zero_fails() -> None:
    """A profile that leaves the last limit standing keeps the charger drawing."""
    right = solution(SLUG).tx_profile

    def endless(*args: Any) -> dict[str, Any]:
        payload: dict[str, Any] = right(*args)
        periods = payload["chargingSchedule"]["chargingSchedulePeriod"]
        payload["chargingSchedule"]["chargingSchedulePeriod"] = periods[:-1]
        return payload

    problems = GRADE.grade_profile(with_functions(solution(SLUG), tx_profile=endless))
    assert len(problems) == 1 and "the charger drew" in problems[0], problems


def test_profile_in_kilowatts_fails() -> None:
    """Limits in kW under rate unit W deliver a thousandth of the energy."""
    right = solution(SLUG).tx_profile

    def kilowatts(tx: int, start: str, slot_s: float, power_w: list[float]) -> dict[str, Any]:
        return dict(right(tx, start, slot_s, [round(w / 1000, 1) for w in power_w]))

    problems = GRADE.grade_profile(with_functions(solution(SLUG), tx_profile=kilowatts))
    assert len(problems) == 1 and "the slots add up to" in problems[0], problems


def test_profile_breaking_the_schema_fails() -> None:
    """An enum value OCPP does not know is refused before it leaves the central system."""
    right = solution(SLUG).tx_profile

    def relative_kind(*args: Any) -> dict[str, Any]:
        payload: dict[str, Any] = right(*args)
        payload["chargingProfileKind"] = "Whenever"
        return payload

    problems = GRADE.grade_profile(with_functions(solution(SLUG), tx_profile=relative_kind))
    assert len(problems) == 1 and "could not send it" in problems[0], problems
    assert "Whenever" in problems[0] and len(problems[0]) < 400


def test_one_period_per_slot_fails() -> None:
    """Not merging equal slots gives more periods than a charger holds."""

    def unmerged(tx: int, start: str, slot_s: float, power_w: list[float]) -> dict[str, Any]:
        periods = [{"startPeriod": int(k * slot_s), "limit": w} for k, w in enumerate(power_w)]
        return {
            "chargingProfileId": tx,
            "transactionId": tx,
            "stackLevel": 1,
            "chargingProfilePurpose": "TxProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "W",
                "startSchedule": start,
                "chargingSchedulePeriod": [
                    *periods,
                    {"startPeriod": len(power_w) * 900, "limit": 0},
                ],
            },
        }

    problems = GRADE.grade_profile(with_functions(solution(SLUG), tx_profile=unmerged))
    assert any("merge equal neighbouring slots" in p for p in problems), problems


def test_learner_exception_names_their_line(tmp_path: Path) -> None:
    """An exception in the learner's code reaches `check`, which names their file and line."""
    exercise_file = tmp_path / SLUG / "exercise.py"
    exercise_file.parent.mkdir()
    source = (SOLUTIONS / SLUG / "exercise.py").read_text()
    exercise_file.write_text(
        source.replace("_, _, action, payload = json.loads(frame)", 'raise KeyError("meterValue")')
    )
    result = check(lesson(5), exercise_file)
    assert len(result.problems) == 1, result.problems
    assert "your code raised KeyError" in result.problems[0]
    assert "exercise.py line" in result.problems[0]
