"""Re-planning through the API: a van breaks down at noon, the day's next version is published,
passes the independent checker, keeps what was served, and the drivers' routes show the change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.planning.replan_cases import busiest, left_at, planned_day
from voltvan.check import check_plan
from voltvan.ops import details_of, open_ops
from voltvan.plan import Plan
from voltvan.scenario import write_scenario
from voltvan.web import WebSettings, create_app

DAY = "2026-03-02"


@dataclass
class Day:
    client: TestClient
    dispatcher: dict[str, str]
    drivers: dict[str, dict[str, str]]
    parent: Plan
    scenario_dir: Path


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def day(db_url: str, tmp_path: Path) -> Iterator[Day]:
    scenario, parent = planned_day()
    folder = write_scenario(scenario, tmp_path / "city")
    store = open_ops(db_url, tmp_path)
    store.publish(DAY, parent, [details_of(s) for s in scenario.stops], base_version=None, by="d")
    dispatcher = auth(store.add_user("disp", "dispatcher"))
    drivers = {v.id: auth(store.add_user(f"d-{v.id}", "driver", v.id)) for v in scenario.fleet.vans}
    store.close()
    settings = WebSettings(data_dir=tmp_path, ops_db=db_url, scenario_dir=folder)
    with TestClient(create_app(settings)) as client:
        yield Day(client, dispatcher, drivers, parent, folder)


def replan(day: Day, body: dict[str, object], headers: dict[str, str] | None = None) -> Any:
    who = day.dispatcher if headers is None else headers
    return day.client.post(f"/v1/ops/days/{DAY}/replan", json=body, headers=who)


def test_a_breakdown_at_noon_is_published_and_drivers_see_their_new_stops(day: Day) -> None:
    from voltvan.scenario import read_scenario

    broken = busiest(day.parent)
    orphans = set(left_at(broken))
    r = replan(day, {"base_version": 1, "at": "12:00", "events": [
        {"type": "van_out_of_service", "van_id": broken.van_id, "time": "12:00"}]})  # fmt: skip
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["plan_version"] == 2 and answer["moved_to_another_van"] > 0
    got = day.client.get(f"/v1/ops/days/{DAY}/plan", headers=day.dispatcher).json()
    new = Plan.from_dict(got.get("plan", got), source="answer")
    check = check_plan(new, read_scenario(day.scenario_dir), parent=day.parent)
    assert check.is_feasible, check.violations[:3]
    served_before = {
        v.location_id: (r.van_id, v.start_s)
        for r in day.parent.routes
        for v in r.visits
        if v.kind == "stop" and v.start_s <= 12 * 3600
    }
    served_now = {
        v.location_id: (r.van_id, v.start_s)
        for r in new.routes
        for v in r.visits
        if v.kind == "stop"
    }
    for stop, where in served_before.items():
        assert served_now[stop] == where
    # every driver who got one of the broken van's stops sees it added since version 1
    takers = {
        r.van_id for r in new.routes if r.van_id != broken.van_id and orphans & set(r.stop_ids)
    }
    assert takers
    for van in takers:
        route = day.client.get(
            f"/v1/ops/days/{DAY}/vans/{van}/route?known_version=1", headers=day.drivers[van]
        ).json()
        added = set(route["changes"]["added"])
        assert added and added <= orphans, route["changes"]


def test_replan_is_for_dispatchers_and_the_current_version_only(day: Day) -> None:
    van = day.parent.routes[0].van_id
    body = {"base_version": 1, "at": "12:00"}
    assert replan(day, body, headers={}).status_code == 401
    assert replan(day, body, headers=day.drivers[van]).status_code == 403
    stale = replan(day, {"base_version": 7, "at": "12:00"})
    assert stale.status_code == 409 and "version 1" in stale.json()["message"]
    bad_time = replan(day, {"base_version": 1, "at": "25:99"})
    assert bad_time.status_code == 422 and bad_time.json()["field"] == "at"
    bad_event = replan(day, {"base_version": 1, "at": "12:00", "events": [{"type": "meteor"}]})
    assert bad_event.status_code == 422


def test_without_a_scenario_the_server_says_what_it_needs(db_url: str, tmp_path: Path) -> None:
    scenario, parent = planned_day()
    store = open_ops(db_url, tmp_path)
    store.publish(DAY, parent, [details_of(s) for s in scenario.stops], base_version=None, by="d")
    dispatcher = auth(store.add_user("disp", "dispatcher"))
    store.close()
    with TestClient(create_app(WebSettings(data_dir=tmp_path, ops_db=db_url))) as client:
        r = client.post(
            f"/v1/ops/days/{DAY}/replan",
            json={"base_version": 1, "at": "12:00"},
            headers=dispatcher,
        )
    assert r.status_code == 409 and "--scenario" in r.json()["message"]


def test_a_replanned_day_is_replanned_again(day: Day) -> None:
    """A breaks down at 11:00 (version 2), B at 13:00: the second re-plan builds on version 2."""
    from voltvan.scenario import read_scenario

    a = busiest(day.parent, 11 * 3600.0).van_id
    first = replan(day, {"base_version": 1, "at": "11:00", "events": [
        {"type": "van_out_of_service", "van_id": a, "time": "11:00"}]})  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["plan_version"] == 2

    def current() -> Plan:
        got = day.client.get(f"/v1/ops/days/{DAY}/plan", headers=day.dispatcher).json()
        return Plan.from_dict(got.get("plan", got), source="answer")

    second_version = current()
    b = busiest(
        Plan(
            scenario=second_version.scenario,
            routes=tuple(
                r
                for r in second_version.routes
                if r.van_id != a and any(v.kind == "resume" for v in r.visits)
            ),
        ),
        13 * 3600.0,
    ).van_id
    second = replan(day, {"base_version": 2, "at": "13:00", "events": [
        {"type": "van_out_of_service", "van_id": b, "time": "13:00"}]})  # fmt: skip
    assert second.status_code == 201, second.text
    assert second.json()["plan_version"] == 3
    third_version = current()
    assert third_version.parent is not None
    assert third_version.parent.revision == second_version.revision
    assert third_version.parent.replanned_at_s == 13 * 3600.0
    check = check_plan(third_version, read_scenario(day.scenario_dir), parent=second_version)
    assert check.is_feasible, check.violations[:3]
    assert third_version.route_of(a) == second_version.route_of(a)
    assert third_version.route_of(b).out_of_service_s == 13 * 3600.0


def test_an_urgent_stop_of_the_first_replan_is_known_to_the_second(day: Day) -> None:
    """The scenario on disk does not have a stop a re-plan added: the second re-plan takes it
    from what the first published, and keeps serving it."""
    depot = read_scenario_of(day).fleet.depots[0]
    urgent = {
        "id": "URGENT1",
        "lat": depot.lat + 0.01,
        "lon": depot.lon + 0.01,
        "tw_start": "13:00",
        "tw_end": "19:00",
        "service_s": 300,
        "weight_kg": 12.5,
    }
    first = replan(day, {"base_version": 1, "at": "11:30", "events": [
        {"type": "new_stop", "time": "11:30", "stop": urgent}]})  # fmt: skip
    assert first.status_code == 201, first.text
    second = replan(day, {"base_version": 2, "at": "12:30"})
    assert second.status_code == 201, second.text
    assert second.json()["plan_version"] == 3
    got = day.client.get(f"/v1/ops/days/{DAY}/plan", headers=day.dispatcher).json()
    plan = Plan.from_dict(got.get("plan", got), source="answer")
    assert "URGENT1" in {s for r in plan.routes for s in r.stop_ids}


def read_scenario_of(day: Day) -> Any:
    from voltvan.scenario import read_scenario

    return read_scenario(day.scenario_dir)
