"""OCPP end to end on real sockets: auth, sessions under profiles, faults, restarts, bad frames."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.charging.ocpp_rig import (
    DAY0,
    PASSWORDS,
    FastClock,
    H,
    new_csms,
    sim,
    two_van_schedule,
    until,
)
from voltvan.charging.ocpp._csms import parse_iso
from voltvan.charging.ocpp._store import Transaction


def test_wrong_password_and_unknown_charger_are_refused(tmp_path: Path) -> None:
    """The handshake answers 401 to a wrong password and to a charger it does not know."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, None)
        port = await csms.start()
        try:
            for cp in (sim("CP1", port, clock, "wrong-password"), sim("CP9", port, clock, "x" * 9)):
                with pytest.raises(InvalidStatus) as exc:
                    await cp.connect()
                assert exc.value.response.status_code == 401
            good = sim("CP1", port, clock)
            await good.connect()
            await until(lambda: "CP1" in csms.connected)
            await good.close()
        finally:
            await csms.stop()

    asyncio.run(go())


def test_session_follows_the_profile_and_is_recorded(tmp_path: Path) -> None:
    """Boot, start, TxProfile applied, power per profile, meter values stored, stop recorded."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            tx = await cp.plug_in(1, "A")
            await until(lambda: len(cp.profiles_received) == 1)
            schedule = csms.schedule  # re-planned if A took another plug than planned
            assert schedule is not None
            sched = cp.profiles_received[0]["charging_schedule"]
            start = parse_iso(sched["start_schedule"]) - DAY0
            k0 = round((start - schedule.start_s) / schedule.slot_s)
            van = schedule.van("A")
            for p in sched["charging_schedule_period"]:
                k = k0 + round(float(p["start_period"]) / schedule.slot_s)
                if k < schedule.num_slots:
                    assert abs(float(p["limit"]) - van.power_w[k]) <= 0.2
            k_before = int((clock() - DAY0 - schedule.start_s) // schedule.slot_s)
            cp.advance()
            k_after = int((clock() - DAY0 - schedule.start_s) // schedule.slot_s)
            drawn = cp.plugs[1].power_w
            assert any(abs(drawn - van.power_w[k]) <= 0.2 for k in range(k_before, k_after + 1))
            await until(lambda: _energy(csms.store.transaction(tx)) > 1_000)
            await cp.unplug(1)
            done = csms.store.transaction(tx)
            assert done is not None and not done.active
            assert done.meter_stop_wh == pytest.approx(int(cp.plugs[1].meter_wh), abs=1.0)
            assert done.energy_wh > 1_000
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


def _energy(tx: Transaction | None) -> float:
    assert tx is not None, "transaction missing"
    return tx.energy_wh


def test_disconnect_and_reconnect_resumes_the_transaction(tmp_path: Path) -> None:
    """A charger that drops out and comes back continues the same transaction and profile."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            tx = await cp.plug_in(1, "A")
            await until(lambda: len(cp.profiles_received) == 1)
            await cp.disconnect()
            await until(lambda: "CP1" not in csms.connected)
            before = csms.store.transaction(tx)
            await asyncio.sleep(0.2)
            await cp.connect()
            await until(lambda: len(cp.profiles_received) == 2)
            assert cp.plugs[1].tx_id == tx
            await cp.send_meter_values()
            after = csms.store.transaction(tx)
            assert before is not None and after is not None and after.active
            assert after.meter_last_wh > before.meter_last_wh
            assert len(csms.store.all()) == 1
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


def test_csms_restart_loses_no_transaction(tmp_path: Path) -> None:
    """A new server on the same state file accepts the meter values and stop of the old session."""

    async def go() -> None:
        clock = FastClock()
        first = new_csms(tmp_path, clock, two_van_schedule())
        port = await first.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            tx = await cp.plug_in(1, "A")
            await first.stop()
            await until(lambda: not cp.online)
            second = new_csms(tmp_path, clock, two_van_schedule())
            await second.start(port=port)
            try:
                await cp.connect()
                await cp.send_meter_values()
                await cp.unplug(1)
                (only,) = second.store.all()
                assert only.id == tx and not only.active and only.energy_wh > 0
            finally:
                await second.stop()
        finally:
            await cp.close()

    asyncio.run(go())


def test_malformed_frames_get_callerror_and_the_connection_stays(tmp_path: Path) -> None:
    """Garbage and schema-violating calls get CALLERROR frames; a Heartbeat still works after."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, None)
        port = await csms.start()
        token = base64.b64encode(f"CP1:{PASSWORDS['CP1']}".encode()).decode()
        try:
            async with connect(
                f"ws://127.0.0.1:{port}/CP1",
                subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                additional_headers={"Authorization": f"Basic {token}"},
            ) as ws:
                await ws.send("this is not json")
                err = json.loads(await ws.recv())
                assert err[0] == 4 and err[1] == "-1"
                await ws.send(json.dumps([2, "m2", "Heartbeat", {"surprise": 1}]))
                err2 = json.loads(await ws.recv())
                assert err2[0] == 4 and err2[1] == "m2"
                await ws.send(json.dumps([2, "m3", "NoSuchAction", {}]))
                err3 = json.loads(await ws.recv())
                assert err3[0] == 4 and err3[2] in ("NotImplemented", "NotSupported")
                await ws.send(json.dumps([2, "m4", "Heartbeat", {}]))
                ok = json.loads(await ws.recv())
                assert ok[0] == 3 and ok[1] == "m4" and "currentTime" in ok[2]
        finally:
            await csms.stop()

    asyncio.run(go())


def test_fault_triggers_a_replan_without_the_failed_connector(tmp_path: Path) -> None:
    """When B's charger faults the server re-plans: nobody is left on it, A gets a new profile."""

    async def go() -> None:
        clock = FastClock()
        schedule = two_van_schedule()
        plug_a, plug_b = (schedule.van(v).connector_id or "" for v in ("A", "B"))
        csms = new_csms(tmp_path, clock, schedule)
        port = await csms.start()
        cp_a, cp_b = sim(plug_a.split("/")[0], port, clock), sim(plug_b.split("/")[0], port, clock)
        try:
            await cp_a.connect()
            await cp_b.connect()
            await cp_a.plug_in(1, "A")
            await cp_b.plug_in(1, "B")
            await until(lambda: len(cp_a.profiles_received) == 1)
            assert csms.replans == []
            await cp_b.fault(1)
            await until(lambda: len(csms.replans) == 1)
            await until(lambda: len(cp_a.profiles_received) == 2)
            assert csms.schedule is not None
            assert all(v.connector_id != plug_b for v in csms.schedule.vans)
            assert "faulted" in csms.replans[0]
            assert (tmp_path / "schedule.json").exists()
        finally:
            await cp_a.close()
            await cp_b.close()
            await csms.stop()

    asyncio.run(go())


def test_late_van_triggers_a_replan(tmp_path: Path) -> None:
    """A van badging in well after its planned plug-in makes the server re-plan from now."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule(), late_grace_s=600.0)
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            await until(lambda: clock() > 1_767_225_600.0 + 19 * H)
            await cp.plug_in(1, "A")
            await until(lambda: len(csms.replans) == 1)
            assert "late" in csms.replans[0]
            assert csms.schedule is not None and csms.schedule.start_s >= 19 * H
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


def test_van_that_never_shows_up_triggers_one_replan(tmp_path: Path) -> None:
    """B never plugs in: once past its plug-in time and the grace, the server re-plans once."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(
            tmp_path, clock, two_van_schedule(), late_grace_s=1_800.0, watch_every_s=0.05
        )
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            await cp.plug_in(1, "A")
            await until(lambda: any("not plugged in" in r for r in csms.replans))
            no_show = [r for r in csms.replans if "not plugged in" in r]
            assert len(no_show) == 1 and "B" in no_show[0] and "A" not in no_show[0]
            assert csms.schedule is not None and csms.schedule.van("B").arrival > 18 * H
            await asyncio.sleep(0.3)
            assert len([r for r in csms.replans if "not plugged in" in r]) == 1
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


def test_remote_start_trigger_and_remote_stop(tmp_path: Path) -> None:
    """The server starts a session remotely, triggers meter values and stops it remotely."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            await until(lambda: "CP1" in csms.connected)
            assert await csms.remote_start("CP1", 1, "A") == "Accepted"
            await until(lambda: len(csms.store.active()) == 1)
            sent = cp.meter_values_sent
            assert await csms.trigger("CP1", "MeterValues", 1) == "Accepted"
            await until(lambda: cp.meter_values_sent > sent)
            (tx,) = csms.store.active()
            assert await csms.remote_stop(tx.id) == "Accepted"
            await until(lambda: not csms.store.active())
            assert await csms.clear_profile("CP1", 1) == "Accepted"
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


def test_unknown_tag_is_not_authorized(tmp_path: Path) -> None:
    """A badge that is no van of the schedule is answered Invalid."""

    async def go() -> None:
        from voltvan.charging.ocpp._ocpp import call16

        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        port = await csms.start()
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            res = await cp.call(call16.Authorize(id_tag="STRANGER"))
            assert res.id_tag_info["status"] == "Invalid"
            res = await cp.call(call16.Authorize(id_tag="A"))
            assert res.id_tag_info["status"] == "Accepted"
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())
