"""Plan versions: publishing on the version one built on, what each van sees, what moved."""

from __future__ import annotations

import pytest

from tests.ops.days import DAY, PNG, event, one_day
from voltvan.errors import Conflict, InvalidInput, NotFound
from voltvan.ops import OpsStore


def test_the_first_version_and_the_route_a_driver_sees(day_store: OpsStore) -> None:
    route = day_store.route(DAY, "V01")
    assert route["plan_version"] == 1
    stops = [v for v in route["visits"] if v["kind"] == "stop"]
    assert [v["location_id"] for v in stops] == ["S1", "S2", "S3"]
    assert {v["status"] for v in stops} == {"planned"}
    assert stops[0]["stop"]["name"] == "Customer S1" and stops[0]["stop"]["parcels"] == 2
    assert [v["kind"] for v in route["visits"]][::4] == ["start", "end"]
    assert route["counts"] == {"planned": 3, "arrived": 0, "delivered": 0, "failed": 0}


def test_a_plan_built_on_an_old_version_is_refused(day_store: OpsStore) -> None:
    plan, _ = one_day({"V01": ["S1"], "V02": ["S2", "S3", "S4", "S5"]})
    assert day_store.publish(DAY, plan, base_version=1, by="disp") == 2
    with pytest.raises(Conflict, match="it is at version 2, this was built on version 1"):
        day_store.publish(DAY, plan, base_version=1, by="disp")
    with pytest.raises(Conflict, match="built on no plan"):
        day_store.publish(DAY, plan, base_version=None, by="disp")
    assert day_store.day(DAY)["plan_version"] == 2


def test_a_plan_with_a_stop_the_day_does_not_know_is_refused(day_store: OpsStore) -> None:
    plan, _ = one_day({"V01": ["S1", "S99"]})
    with pytest.raises(InvalidInput, match="not known for 2026-03-02: S99"):
        day_store.publish(DAY, plan, base_version=1, by="disp")
    plan, details = one_day({"V01": ["S1", "S99"]})
    assert day_store.publish(DAY, plan, details, base_version=1, by="disp") == 2


def test_a_stop_on_two_routes_is_refused(store: OpsStore) -> None:
    plan, details = one_day({"V01": ["S1"], "V02": ["S1"]})
    with pytest.raises(InvalidInput, match="S1 is on two routes"):
        store.publish(DAY, plan, details, base_version=None, by="disp")


def test_a_stop_moved_to_another_van_shows_where_it_went(day_store: OpsStore) -> None:
    plan, _ = one_day({"V01": ["S1", "S3"], "V02": ["S4", "S2", "S5"]})
    day_store.publish(DAY, plan, base_version=1, by="disp")
    v01 = day_store.route(DAY, "V01")
    assert v01["moved"] == [
        {"stop_id": "S2", "status": "moved", "to_van": "V02", "last_version": 1}
    ]
    v02 = day_store.route(DAY, "V02")
    assert [v["location_id"] for v in v02["visits"] if v["kind"] == "stop"] == ["S4", "S2", "S5"]
    assert v02["moved"] == []


def test_the_day_counts_each_vans_stops_by_status(day_store: OpsStore) -> None:
    driver = day_store.authenticate(day_store.add_user("d1", "driver", "V01"))
    assert driver is not None
    proof = day_store.put_proof(driver, PNG)["proof"]
    day_store.record(driver, DAY, "V01", event("S1", photo=proof))
    day_store.record(driver, DAY, "V01", event("S2", "failed", reason="not_at_home"))
    day = day_store.day(DAY)
    assert day["vans"]["V01"] == {
        "planned": 1,
        "arrived": 0,
        "delivered": 1,
        "failed": 1,
        "total": 3,
    }
    assert day["vans"]["V02"]["planned"] == 2
    assert [v["version"] for v in day["versions"]] == [1]


def test_a_day_without_a_plan_is_not_found(store: OpsStore) -> None:
    with pytest.raises(NotFound, match="no plan is published for 2026-03-02"):
        store.route(DAY, "V01")
    with pytest.raises(NotFound):
        store.day(DAY)


def test_a_device_that_shows_an_old_version_is_told_what_changed(day_store: OpsStore) -> None:
    plan, details = one_day({"V01": ["S3", "S1", "S6"], "V02": ["S4", "S2", "S5"]})
    day_store.publish(DAY, plan, details, base_version=1, by="disp")
    changes = day_store.route(DAY, "V01", known_version=1)["changes"]
    assert changes == {"since_version": 1, "added": ["S6"], "removed": ["S2"], "reordered": True}
    same = day_store.route(DAY, "V02", known_version=2)["changes"]
    assert same == {"since_version": 2, "added": [], "removed": [], "reordered": False}
    assert "changes" not in day_store.route(DAY, "V01")
    with pytest.raises(NotFound, match="no plan version 3"):
        day_store.route(DAY, "V01", known_version=3)
