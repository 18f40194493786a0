"""The schedule JSON round-trips, is written atomically and refuses other versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voltvan.charging import DepotProblem, Schedule, check_schedule, schedule_depot
from voltvan.errors import InvalidInput


def test_round_trip_keeps_the_schedule(tmp_path: Path, three_vans_two_plugs: DepotProblem) -> None:
    """Written and read back, the schedule has the same slots, powers, cost and problem."""
    s = schedule_depot(three_vans_two_plugs)
    path = tmp_path / "schedule.json"
    s.write_json(path)
    back = Schedule.read_json(path)
    assert back.cost() == pytest.approx(s.cost())
    assert back.van("B").power_w == s.van("B").power_w
    assert check_schedule(back.to_problem(), back) == []
    assert not list(tmp_path.glob(".schedule.json.*"))


def test_other_version_is_refused(tmp_path: Path, three_vans_two_plugs: DepotProblem) -> None:
    """A schedule of another format version is an error on the version field."""
    data = schedule_depot(three_vans_two_plugs).to_dict()
    data["version"] = 99
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidInput) as exc:
        Schedule.read_json(path)
    assert exc.value.where.field == "version"


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    """A schedule that is not JSON is reported with its line."""
    path = tmp_path / "s.json"
    path.write_text('{\n "version": 1,\n oops\n}')
    with pytest.raises(InvalidInput) as exc:
        Schedule.read_json(path)
    assert exc.value.where.line == 3
