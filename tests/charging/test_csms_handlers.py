"""Each OCPP handler on its own: what it stores, what it answers, and what it starts afterwards.

The end-to-end tests (test_csms.py, test_csms201.py) run real chargers over WebSockets; here a
handler is called directly, with the server's re-plan and profile sending recorded instead of
run, and the charger's side of each call answered by hand. That pins the details a session
that merely works would not show: the exact reason of a re-plan, the boundary of "late", the
unit of a meter value, the fields of each request.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.charging.ocpp_rig import DAY0, H, csms_config, two_van_schedule
from voltvan.charging import Schedule
from voltvan.charging.ocpp._csms import Csms, iso
from voltvan.charging.ocpp._csms_ocpp16 import Handler16
from voltvan.charging.ocpp._csms_ocpp201 import Handler201
from voltvan.charging.ocpp._meter_values import read_meter

NOW = DAY0 + 18 * H + 600  # 18:10 on the evening's clock
GRACE_S = 8 * H


class Charger:
    """The charger's side of the calls the server makes: records each, answers ``status``."""

    def __init__(self, status: str | None = "Accepted") -> None:
        self.status = status
        self.sent: list[Any] = []

    async def __call__(self, request: Any) -> Any:
        self.sent.append(request)
        return None if self.status is None else SimpleNamespace(status=self.status)


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    """A and B planned on CP1/1 and CP2/1 from 18:00 (set here, whatever the solver chose)."""
    s = two_van_schedule()
    plugs = {"A": "CP1/1", "B": "CP2/1"}
    vans = tuple(
        dataclasses.replace(v, connector_id=plugs[v.vehicle_id], plug_in=18 * H) for v in s.vans
    )
    return dataclasses.replace(s, vans=vans)


@pytest.fixture
def csms(tmp_path: Path, schedule: Schedule) -> Iterator[Csms]:
    c = Csms(
        csms_config(late_grace_s=GRACE_S),
        store_path=tmp_path / "csms.sqlite",
        schedule=schedule,
        day_start_epoch=DAY0,
        clock=lambda: NOW,
    )
    c.replans_seen: list[str] = []  # type: ignore[misc]
    c.profiles_sent_to: list[str | None] = []  # type: ignore[misc]

    async def replan(reason: str) -> None:
        c.replans_seen.append(reason)  # type: ignore[attr-defined]

    async def apply_profiles(charger_id: str | None = None) -> int:
        c.profiles_sent_to.append(charger_id)  # type: ignore[attr-defined]
        return 0

    c.replan = replan  # type: ignore[method-assign]
    c.apply_profiles = apply_profiles  # type: ignore[method-assign]
    yield c
    c.store.close()


def _boots(csms: Csms) -> list[tuple[Any, ...]]:
    return list(csms.store._db.execute("SELECT * FROM boots"))


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


# ---- meter values ------------------------------------------------------------------------------
def test_read_meter_units_measurands_and_the_last_sample() -> None:
    assert read_meter([]) == (None, None)
    assert read_meter([{"sampled_value": [{"value": "1200"}]}]) == (1200.0, None)  # Energy, Wh
    kilo = [
        {"sampled_value": [{"value": "1.5", "unit": "kWh"}]},
        {"sampled_value": [{"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import"}]},
    ]
    assert read_meter(kilo) == (1500.0, 7200.0)
    assert read_meter(
        [{"sampled_value": [{"value": "900", "measurand": "Power.Active.Import"}]}]
    ) == (None, 900.0)  # power defaults to W
    later_wins = [{"sampled_value": [{"value": "10"}, {"value": "20"}]}, {"sampled_value": []}]
    assert read_meter(later_wins) == (20.0, None)
    others = [{"sampled_value": [{"value": "5", "measurand": "Voltage"}, {"value": "30"}]}]
    assert read_meter(others) == (30.0, None)


def test_read_meter_skips_unreadable_samples_and_keeps_the_rest() -> None:
    bad = [{"sampled_value": [{"value": "x"}, {"unit": "Wh"}, {"value": None}, {"value": "40"}]}]
    assert read_meter(bad) == (40.0, None)
    last_bad = [{"sampled_value": [{"value": "40"}, {"value": "oops"}]}]
    assert read_meter(last_bad) == (40.0, None)


# ---- OCPP 1.6 ----------------------------------------------------------------------------------
def test_16_boot_and_heartbeat_answer_with_the_server_clock(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    answer = h.on_boot(charge_point_vendor="ACME", charge_point_model="W11")
    assert (answer.status, answer.interval, answer.current_time) == ("Accepted", 30, iso(NOW))
    assert _boots(csms) == [("CP1", NOW, "ACME", "W11", "ocpp1.6")]
    assert h.on_heartbeat().current_time == iso(NOW)


def test_16_a_charger_back_from_a_drop_out_gets_its_profiles_again(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    _run(h.after_boot())
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]
    csms.store.start("CP2", 1, "B", 0.0, NOW)
    _run(h.after_boot())
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]
    csms.store.start("CP1", 1, "A", 0.0, NOW)
    _run(h.after_boot())
    assert csms.profiles_sent_to == ["CP1"]  # type: ignore[attr-defined]


def test_16_status_is_stored_and_only_a_fault_replans(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    h.on_status(connector_id=1, error_code="GroundFailure", status="Faulted")
    assert csms.store.statuses() == {("CP1", 1): "Faulted"}
    rows = list(csms.store._db.execute("SELECT error_code, ts FROM connectors"))
    assert rows == [("GroundFailure", NOW)]
    _run(h.after_status(connector_id=1, status="Available"))
    assert csms.replans_seen == []  # type: ignore[attr-defined]
    _run(h.after_status(connector_id=1, status="Faulted"))
    assert csms.replans_seen == ["CP1/1 faulted"]  # type: ignore[attr-defined]


def test_16_authorize_knows_the_vans_of_the_schedule(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    assert h.on_authorize(id_tag="A").id_tag_info == {"status": "Accepted"}
    assert h.on_authorize(id_tag="X").id_tag_info == {"status": "Invalid"}


def test_16_start_records_the_transaction_even_for_an_unknown_badge(csms: Csms) -> None:
    """A refused badge still gets a transaction id (OCPP 1.6 wants one), kept but never active."""
    h = Handler16("CP1", object(), csms)
    ok = h.on_start(connector_id=1, id_tag="A", meter_start=1200, timestamp=iso(NOW))
    bad = h.on_start(connector_id=2, id_tag="X", meter_start=0, timestamp=iso(NOW))
    assert ok.id_tag_info == {"status": "Accepted"} and bad.id_tag_info == {"status": "Invalid"}
    txs = csms.store.all()
    assert [t.id for t in txs] == [ok.transaction_id, bad.transaction_id]
    assert (txs[0].charger_id, txs[0].connector, txs[0].id_tag) == ("CP1", 1, "A")
    assert (txs[0].meter_start_wh, txs[0].start_ts) == (1200.0, NOW)
    assert (txs[1].connector, txs[1].id_tag) == (2, "X")
    assert (txs[0].active, txs[1].active, txs[1].reason) == (True, False, "Refused")


def _after_start(csms: Csms, charger: str, connector: int, tag: str, now_s: float) -> None:
    csms.clock = lambda: DAY0 + now_s
    _run(Handler16(charger, object(), csms).after_start(connector_id=connector, id_tag=tag))


def test_16_a_van_on_its_planned_plug_in_time_gets_its_profile(csms: Csms) -> None:
    plug_in = csms.schedule.van("A").plug_in  # type: ignore[union-attr]
    assert csms.schedule.van("A").connector_id == "CP1/1"  # type: ignore[union-attr]
    _after_start(csms, "CP1", 1, "A", plug_in + GRACE_S)  # the last moment that is not late
    assert csms.replans_seen == []  # type: ignore[attr-defined]
    assert csms.profiles_sent_to == ["CP1"]  # type: ignore[attr-defined]


def test_16_a_late_van_replans(csms: Csms) -> None:
    plug_in = csms.schedule.van("A").plug_in  # type: ignore[union-attr]
    _after_start(csms, "CP1", 1, "A", plug_in + GRACE_S + 1)
    assert csms.replans_seen == ["A plugged in late"]  # type: ignore[attr-defined]
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]


def test_16_a_van_on_another_plug_replans(csms: Csms) -> None:
    plug_in = csms.schedule.van("A").plug_in  # type: ignore[union-attr]
    _after_start(csms, "CP2", 1, "A", plug_in)
    assert csms.replans_seen == ["A plugged in on CP2/1 instead of CP1/1"]  # type: ignore[attr-defined]
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("plug_in", [None, 18 * H])
def test_16_a_van_planned_without_a_plug_replans(
    csms: Csms, schedule: Schedule, plug_in: float | None
) -> None:
    """B has no connector in the plan (whatever its plug-in time says)."""
    vans = tuple(
        dataclasses.replace(v, connector_id=None, plug_in=plug_in) if v.vehicle_id == "B" else v
        for v in schedule.vans
    )
    csms.schedule = dataclasses.replace(schedule, vans=vans)
    _after_start(csms, "CP2", 1, "B", 18 * H)
    assert csms.replans_seen == ["B plugged in without a planned connector"]  # type: ignore[attr-defined]
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]


def test_16_an_unknown_badge_starts_nothing_and_without_a_schedule_profiles_go_out(
    csms: Csms,
) -> None:
    _after_start(csms, "CP2", 1, "X", 18 * H)
    assert (csms.replans_seen, csms.profiles_sent_to) == ([], [])  # type: ignore[attr-defined]
    csms.schedule = None  # any badge is known then
    _after_start(csms, "CP1", 1, "A", 30 * H)
    assert csms.replans_seen == []  # type: ignore[attr-defined]
    assert csms.profiles_sent_to == ["CP1"]  # type: ignore[attr-defined]


def test_16_meter_values_update_the_running_transaction(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    tx = csms.store.start("CP1", 1, "A", 1000.0, NOW - 60)
    energy = [{"sampled_value": [{"value": "2.5", "unit": "kWh"}]}]
    power = [{"sampled_value": [{"value": "7000", "measurand": "Power.Active.Import"}]}]
    h.on_meter(connector_id=1, meter_value=energy)  # no transaction id: ignored
    h.on_meter(connector_id=1, meter_value=power, transaction_id=tx)  # no energy: ignored
    t = csms.store.transaction(tx)
    assert t is not None and (t.meter_last_wh, t.power_w, t.last_ts) == (1000.0, 0.0, NOW - 60)
    h.on_meter(connector_id=1, meter_value=energy + power, transaction_id=tx)
    t = csms.store.transaction(tx)
    assert t is not None and (t.meter_last_wh, t.power_w, t.last_ts) == (2500.0, 7000.0, NOW)
    other = Handler16("CP2", object(), csms)  # another charger cannot touch CP1's session
    other.on_meter(connector_id=1, meter_value=_meter(9000), transaction_id=tx)
    assert csms.store.transaction(tx).meter_last_wh == 2500.0  # type: ignore[union-attr]


def test_16_stop_closes_the_transaction_with_its_reason(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    tx = csms.store.start("CP1", 1, "A", 1000.0, NOW - 60)
    answer = h.on_stop(
        meter_stop=9000, timestamp=iso(NOW), transaction_id=tx, reason="EVDisconnected"
    )
    assert answer.id_tag_info == {"status": "Accepted"}
    t = csms.store.transaction(tx)
    assert t is not None and not t.active
    assert (t.meter_stop_wh, t.stop_ts, t.reason) == (9000.0, NOW, "EVDisconnected")
    again = h.on_stop(meter_stop=9500, timestamp=iso(NOW), transaction_id=tx)  # not running
    assert again.id_tag_info is None
    assert csms.store.transaction(tx).meter_stop_wh == 9000.0  # type: ignore[union-attr]


PROFILE = {
    "charging_profile_id": 7,
    "stack_level": 1,
    "charging_profile_purpose": "TxProfile",
    "charging_profile_kind": "Absolute",
    "transaction_id": 7,
    "charging_schedule": {
        "charging_rate_unit": "W",
        "start_schedule": iso(NOW),
        "duration": 1800,
        "charging_schedule_period": [
            {"start_period": 0, "limit": 7000.0},
            {"start_period": 900, "limit": 0.0},
        ],
    },
}


def test_16_set_profile_sends_the_tx_profile_and_reads_the_answer(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    h.call = Charger("Accepted")
    assert _run(h.set_profile(2, PROFILE)) is True
    sent = h.call.sent[0]
    assert sent.connector_id == 2
    cp = sent.cs_charging_profiles
    assert (cp.charging_profile_id, cp.stack_level, cp.transaction_id) == (7, 1, 7)
    assert (cp.charging_profile_purpose, cp.charging_profile_kind) == ("TxProfile", "Absolute")
    cs = cp.charging_schedule
    assert (cs.charging_rate_unit, cs.start_schedule, cs.duration) == ("W", iso(NOW), 1800)
    assert [(p.start_period, p.limit) for p in cs.charging_schedule_period] == [
        (0, 7000.0),
        (900, 0.0),
    ]
    h.call = Charger("Rejected")
    assert _run(h.set_profile(2, PROFILE)) is False
    h.call = Charger(None)
    assert _run(h.set_profile(2, PROFILE)) is False


def test_16_remote_calls_carry_their_fields_and_return_the_status(csms: Csms) -> None:
    h = Handler16("CP1", object(), csms)
    h.call = Charger("Accepted")
    assert _run(h.clear_profile(1)) == "Accepted"
    assert _run(h.remote_start(2, "A")) == "Accepted"
    assert _run(h.remote_stop(5)) == "Accepted"
    assert _run(h.trigger("MeterValues", 1)) == "Accepted"
    clear, start, stop, trigger = h.call.sent
    assert (clear.connector_id, clear.charging_profile_purpose) == (1, "TxProfile")
    assert (start.connector_id, start.id_tag) == (2, "A")
    assert stop.transaction_id == 5
    assert (trigger.requested_message, trigger.connector_id) == ("MeterValues", 1)
    h.call = Charger(None)  # no answer (timeout)
    assert _run(h.clear_profile(1)) == ""
    assert _run(h.remote_start(2, "A")) == ""
    assert _run(h.remote_stop(5)) == ""
    assert _run(h.trigger("MeterValues", None)) == ""


# ---- OCPP 2.0.1 --------------------------------------------------------------------------------
def test_201_boot_heartbeat_and_status(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    answer = h.on_boot(charging_station={"vendor_name": "ACME", "model": "D50"}, reason="PowerUp")
    assert (answer.status, answer.interval, answer.current_time) == ("Accepted", 30, iso(NOW))
    h.on_boot(charging_station={}, reason="PowerUp")
    assert _boots(csms) == [
        ("CP2", NOW, "ACME", "D50", "ocpp2.0.1"),
        ("CP2", NOW, "", "", "ocpp2.0.1"),
    ]
    assert h.on_heartbeat().current_time == iso(NOW)
    h.on_status(connector_status="Occupied", evse_id=2, connector_id=1)
    assert csms.store.statuses() == {("CP2", 2): "Occupied"}
    _run(h.after_status(connector_status="Occupied", evse_id=2))
    assert csms.replans_seen == []  # type: ignore[attr-defined]
    _run(h.after_status(connector_status="Faulted", evse_id=2))
    assert csms.replans_seen == ["CP2/2 faulted"]  # type: ignore[attr-defined]


def _meter(wh: float) -> list[dict[str, Any]]:
    return [{"sampled_value": [{"value": str(wh)}]}]


def test_201_transaction_events_start_meter_and_end_a_session(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    started = h.on_transaction_event(
        event_type="Started",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-1"},
        id_token={"id_token": "B", "type": "Central"},
        evse={"id": 2},
        meter_value=_meter(500),
    )
    assert started.id_token_info == {"status": "Accepted"}
    tx = csms.store.active_by_ocpp_id("CP2", "t-1")
    assert tx is not None and (tx.charger_id, tx.connector, tx.id_tag) == ("CP2", 2, "B")
    assert tx.meter_start_wh == 500.0
    updated = h.on_transaction_event(
        event_type="Updated",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-1"},
        meter_value=_meter(1500),
    )
    assert updated.id_token_info is None
    assert csms.store.transaction(tx.id).meter_last_wh == 1500.0  # type: ignore[union-attr]
    h.on_transaction_event(  # no meter value: nothing to record
        event_type="Updated", timestamp=iso(NOW), transaction_info={"transaction_id": "t-1"}
    )
    assert csms.store.transaction(tx.id).meter_last_wh == 1500.0  # type: ignore[union-attr]
    h.on_transaction_event(
        event_type="Ended",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-1", "stopped_reason": "EVDisconnected"},
    )
    t = csms.store.transaction(tx.id)
    assert t is not None and not t.active
    assert (t.meter_stop_wh, t.reason) == (1500.0, "EVDisconnected")  # the last reading
    assert len(csms.store.all()) == 1


def test_201_an_update_for_an_unknown_session_starts_it_and_an_end_with_a_reading(
    csms: Csms,
) -> None:
    """A station that reconnects mid-session sends Updated first: the session starts there,
    on EVSE 1 when none is named, at 0 Wh when nothing was read."""
    h = Handler201("CP2", object(), csms)
    answer = h.on_transaction_event(
        event_type="Updated",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-2"},
        id_token={"id_token": "B", "type": "Central"},
    )
    assert answer.id_token_info == {"status": "Accepted"}
    tx = csms.store.active_by_ocpp_id("CP2", "t-2")
    assert tx is not None and (tx.connector, tx.id_tag, tx.meter_start_wh) == (1, "B", 0.0)
    h.on_transaction_event(
        event_type="Ended",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-2"},
        meter_value=_meter(800),
    )
    t = csms.store.transaction(tx.id)
    assert t is not None and (t.active, t.meter_stop_wh, t.reason) == (False, 800.0, None)
    h.on_transaction_event(  # an end for a session never seen starts nothing
        event_type="Ended", timestamp=iso(NOW), transaction_info={"transaction_id": "t-3"}
    )
    assert len(csms.store.all()) == 1


def test_201_an_unknown_badge_is_refused_and_its_session_kept_inactive(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    answer = h.on_transaction_event(
        event_type="Started",
        timestamp=iso(NOW),
        transaction_info={"transaction_id": "t-4"},
        id_token={"id_token": "X", "type": "Central"},
    )
    assert answer.id_token_info == {"status": "Invalid"}
    [t] = csms.store.all()
    assert (t.ocpp_id, t.id_tag, t.active, t.reason) == ("t-4", "X", False, "Refused")
    assert csms.store.active_by_ocpp_id("CP2", "t-4") is None


def test_201_only_a_started_session_gets_profiles_at_once(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    _run(h.after_transaction_event(event_type="Updated"))
    _run(h.after_transaction_event(event_type="Ended"))
    assert csms.profiles_sent_to == []  # type: ignore[attr-defined]
    _run(h.after_transaction_event(event_type="Started"))
    assert csms.profiles_sent_to == ["CP2"]  # type: ignore[attr-defined]


def test_201_set_profile_is_bound_to_the_stations_transaction(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    h.call = Charger("Accepted")
    assert _run(h.set_profile(2, PROFILE)) is False  # no transaction 7
    ours = csms.store.start("CP2", 2, "B", 0.0, NOW)  # started by 1.6 rules: no station id
    assert _run(h.set_profile(2, {**PROFILE, "transaction_id": ours})) is False
    assert h.call.sent == []
    tx = csms.store.start("CP2", 2, "B", 0.0, NOW, ocpp_id="t-9")
    assert _run(h.set_profile(2, {**PROFILE, "transaction_id": tx})) is True
    sent = h.call.sent[0]
    assert sent.evse_id == 2
    cp = sent.charging_profile
    assert (cp["id"], cp["stack_level"], cp["transaction_id"]) == (7, 1, "t-9")
    assert (cp["charging_profile_purpose"], cp["charging_profile_kind"]) == (
        "TxProfile",
        "Absolute",
    )
    [cs] = cp["charging_schedule"]
    assert (cs["id"], cs["charging_rate_unit"], cs["duration"]) == (7, "W", 1800)
    assert cs["start_schedule"] == iso(NOW)
    assert (
        cs["charging_schedule_period"] == PROFILE["charging_schedule"]["charging_schedule_period"]
    )  # type: ignore[index]
    h.call = Charger("Rejected")
    assert _run(h.set_profile(2, {**PROFILE, "transaction_id": tx})) is False
    h.call = Charger(None)
    assert _run(h.set_profile(2, {**PROFILE, "transaction_id": tx})) is False


def test_201_trigger(csms: Csms) -> None:
    h = Handler201("CP2", object(), csms)
    h.call = Charger("Accepted")
    assert _run(h.trigger("StatusNotification", None)) == "Accepted"
    assert h.call.sent[0].requested_message == "StatusNotification"
    h.call = Charger(None)
    assert _run(h.trigger("StatusNotification", None)) == ""


def test_the_store_file_holds_what_the_handlers_wrote(csms: Csms, tmp_path: Path) -> None:
    """Written before the answer: another connection sees the boot at once."""
    Handler16("CP1", object(), csms).on_boot(charge_point_vendor="V", charge_point_model="M")
    with sqlite3.connect(tmp_path / "csms.sqlite") as other:
        assert list(other.execute("SELECT charger_id FROM boots")) == [("CP1",)]


def test_201_authorize_meter_values_and_events(csms: Csms) -> None:
    """MeterValues outside a TransactionEvent count for the session on that EVSE."""
    h = Handler201("CP2", object(), csms)
    assert h.on_authorize(id_token={"id_token": "B"}).id_token_info == {"status": "Accepted"}
    assert h.on_authorize(id_token={"id_token": "X"}).id_token_info == {"status": "Invalid"}
    assert h.on_authorize(id_token={}).id_token_info == {"status": "Invalid"}
    first = csms.store.start("CP2", 2, "B", 100.0, NOW - 60, ocpp_id="t-5")
    csms.store.start("CP2", 1, "A", 100.0, NOW - 60, ocpp_id="t-6")
    h.on_meter(evse_id=2, meter_value=[{"sampled_value": [{"value": "300"}]}])
    h.on_meter(evse_id=2, meter_value=[])  # nothing read: nothing changes
    h.on_meter(evse_id=3, meter_value=[{"sampled_value": [{"value": "900"}]}])  # no session
    assert [t.meter_last_wh for t in csms.store.all()] == [300.0, 100.0]
    assert csms.store.transaction(first).last_ts == NOW  # type: ignore[union-attr]
    assert h.on_notify_event(event_data=[{"event_id": 1}]) is not None
    assert h.on_security_event(type="FirmwareUpdated", timestamp=iso(NOW)) is not None
