"""Events at the stops: idempotent, refused for a stop's state (kept for audit) or not at all."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from tests.ops.days import DAY, PNG, event, one_day
from voltvan.errors import Conflict, Forbidden, InvalidInput
from voltvan.ops import OpsStore, User
from voltvan.ops._schema import events


@pytest.fixture
def driver(day_store: OpsStore) -> User:
    user = day_store.authenticate(day_store.add_user("d1", "driver", "V01"))
    assert user is not None
    return user


@pytest.fixture
def proof(day_store: OpsStore, driver: User) -> str:
    return str(day_store.put_proof(driver, PNG)["proof"])


def stored(store: OpsStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_the_same_event_twice_is_stored_once_with_the_same_answer(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    ev = event("S1", photo=proof, position={"lat": 52.5, "lon": 13.4, "accuracy_m": 8})
    first = day_store.record(driver, DAY, "V01", ev)
    second = day_store.record(driver, DAY, "V01", ev)
    assert first == second and first.status_code == 200
    assert first.body["status"] == "delivered"
    assert stored(day_store) == 1
    [row] = day_store.events(DAY, "V01")
    assert (row["photo"], row["lat"], row["outcome"]) == (proof, 52.5, "applied")


def test_an_event_id_reused_for_other_content_is_a_conflict(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    ev = event("S1", photo=proof)
    day_store.record(driver, DAY, "V01", ev)
    with pytest.raises(Conflict, match="already used for a different event"):
        day_store.record(driver, DAY, "V01", event("S2", photo=proof, event_id=ev.event_id))
    assert stored(day_store) == 1


def test_a_late_event_for_a_delivered_stop_is_409_and_kept(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    day_store.record(driver, DAY, "V01", event("S1", photo=proof))
    late = event("S1", "failed", reason="not_at_home")
    answer = day_store.record(driver, DAY, "V01", late)
    assert answer.status_code == 409 and answer.body["error"] == "Conflict"
    assert "already delivered" in answer.body["message"]
    assert day_store.record(driver, DAY, "V01", late) == answer
    assert [e["outcome"] for e in day_store.events(DAY, "V01")] == ["applied", "conflict"]
    assert day_store.route(DAY, "V01")["counts"]["delivered"] == 1


def test_failed_then_delivered_on_a_second_try(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    day_store.record(driver, DAY, "V01", event("S1", "arrived"))
    day_store.record(driver, DAY, "V01", event("S1", "failed", reason="no_access"))
    assert day_store.route(DAY, "V01")["visits"][1]["reason"] == "no_access"
    answer = day_store.record(driver, DAY, "V01", event("S1", signature=proof))
    assert answer.body["status"] == "delivered"


@pytest.mark.parametrize(
    ("ev", "field"),
    [
        (lambda p: event("S99", photo=p), "stop_id"),
        (lambda p: event("S1", photo=p, version=2), "plan_version"),
        (lambda p: event("S1", photo="sha256:" + "0" * 64), "photo"),
        (lambda p: event("S1", signature="sha256:" + "0" * 64), "signature"),
        (
            lambda p: event("S1", photo=p, at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)),
            "at",
        ),
    ],
)
def test_events_naming_what_does_not_exist_are_422_and_not_stored(
    day_store: OpsStore, driver: User, proof: str, ev: object, field: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        day_store.record(driver, DAY, "V01", ev(proof))  # type: ignore[operator]
    assert info.value.where.field == field
    assert stored(day_store) == 0


def test_another_vans_stop_and_another_van_are_forbidden(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    with pytest.raises(Forbidden, match="S4 is not on van V01's route"):
        day_store.record(driver, DAY, "V01", event("S4", photo=proof))
    with pytest.raises(Forbidden, match="drives V01, not V02"):
        day_store.record(driver, DAY, "V02", event("S4", photo=proof))
    dispatcher = User("disp", "dispatcher")
    with pytest.raises(Forbidden, match="recorded by the van's driver"):
        day_store.record(dispatcher, DAY, "V01", event("S1", photo=proof))
    assert stored(day_store) == 0


def test_an_event_on_a_stale_version_for_a_moved_stop_is_409_and_kept(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    plan, _ = one_day({"V01": ["S1", "S3"], "V02": ["S4", "S2", "S5"]})
    day_store.publish(DAY, plan, base_version=1, by="disp")
    answer = day_store.record(driver, DAY, "V01", event("S2", photo=proof, version=1))
    assert answer.status_code == 409
    assert (
        "left van V01's route after version 1: in version 2 van V02 has it"
        in (answer.body["message"])
    )
    assert [e["outcome"] for e in day_store.events(DAY)] == ["conflict"]
    # a stop still on the van is fine whatever version the driver saw
    assert day_store.record(driver, DAY, "V01", event("S1", photo=proof)).status_code == 200


def test_undo_within_a_minute_by_the_same_driver(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    t0 = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    done = event("S1", "arrived", at=t0)
    day_store.record(driver, DAY, "V01", done)
    delivered = event("S1", photo=proof, at=t0 + dt.timedelta(seconds=5))
    day_store.record(driver, DAY, "V01", delivered)
    undo = event("S1", "undo", undoes=str(delivered.event_id), at=t0 + dt.timedelta(seconds=64))
    answer = day_store.record(driver, DAY, "V01", undo)
    assert answer.status_code == 200 and answer.body["status"] == "arrived"
    again = event("S1", "undo", undoes=str(delivered.event_id), at=t0 + dt.timedelta(seconds=65))
    assert day_store.record(driver, DAY, "V01", again).status_code == 409


def test_an_undo_after_a_minute_is_409(day_store: OpsStore, driver: User, proof: str) -> None:
    t0 = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    delivered = event("S1", photo=proof, at=t0)
    day_store.record(driver, DAY, "V01", delivered)
    late = event("S1", "undo", undoes=str(delivered.event_id), at=t0 + dt.timedelta(seconds=61))
    answer = day_store.record(driver, DAY, "V01", late)
    assert answer.status_code == 409 and "within 60 s; this one is 61 s" in answer.body["message"]
    assert day_store.route(DAY, "V01")["counts"]["delivered"] == 1


def test_only_the_driver_who_delivered_may_undo(
    day_store: OpsStore, driver: User, proof: str
) -> None:
    delivered = event("S1", photo=proof)
    day_store.record(driver, DAY, "V01", delivered)
    relief = day_store.authenticate(day_store.add_user("d2", "driver", "V01"))
    assert relief is not None
    with pytest.raises(Forbidden, match="only the driver who recorded"):
        day_store.record(relief, DAY, "V01", event("S1", "undo", undoes=str(delivered.event_id)))
    with pytest.raises(InvalidInput, match="to undo"):
        day_store.record(driver, DAY, "V01", event("S1", "undo", undoes=str(uuid.uuid4())))
