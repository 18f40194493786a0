"""plan.json format 2 round-trips its new fields, and version 1 files are still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.planning.replan_cases import NOON_S, busiest, events, planned_day
from voltvan.errors import InvalidInput
from voltvan.plan import PLAN_FORMAT_VERSION, Plan
from voltvan.planning import replan


def test_a_replan_round_trips(tmp_path: Path) -> None:
    """Revision, parent, mid-day visit kinds and out-of-service survive write and read."""
    scenario, parent = planned_day()
    van = busiest(parent).van_id
    ev = events(scenario, {"type": "van_out_of_service", "van_id": van, "time": "12:00"})
    plan = replan(scenario, parent, NOON_S, ev).plan
    path = tmp_path / "plan.json"
    plan.write_json(path)
    data = json.loads(path.read_text())
    assert data["version"] == PLAN_FORMAT_VERSION == 2
    assert data["revision"] == 1
    assert data["parent"] == {"revision": 0, "replanned_at_s": NOON_S}
    again = Plan.read_json(path)
    assert again.parent == plan.parent
    assert again.revision == 1
    assert again.route_of(van).out_of_service_s == NOON_S
    assert again.routes == plan.routes


def test_version_1_plans_are_still_read(tmp_path: Path) -> None:
    """A plan written before format 2 (no revision, parent or out_of_service_s) reads as before."""
    _, plan = planned_day()
    data = plan.to_dict()
    data["version"] = 1
    del data["revision"], data["parent"]
    for r in data["routes"]:
        del r["out_of_service_s"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    old = Plan.read_json(path)
    assert old.version == 1
    assert old.revision == 0 and old.parent is None
    assert old.routes == plan.routes


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    _, plan = planned_day()
    data = plan.to_dict()
    data["version"] = 3
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidInput) as err:
        Plan.read_json(path)
    assert err.value.where.field == "version"
