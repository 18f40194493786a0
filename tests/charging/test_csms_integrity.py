"""A charger may touch only its own sessions; ids, units and refused badges are honoured.

Each test breaks one rule a real depot would hit: a charger sending another charger's
transaction id, two 2.0.1 stations using the same id, a station reusing an id after a reboot,
energy reported in kWh, a refused badge, a non-ASCII password, a charger id hidden in a path.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.charging.ocpp_rig import (
    PASSWORDS,
    FastClock,
    csms_config,
    new_csms,
    sim,
    two_van_schedule,
    until,
)
from voltvan.charging.ocpp._csms import Csms, iso
from voltvan.charging.ocpp._csms_auth import charger_id_of
from voltvan.charging.ocpp._meter_values import read_meter
from voltvan.charging.ocpp._ocpp import ChargePoint201, call16, call201

ENERGY = "Energy.Active.Import.Register"


def test_meter_units_are_read_in_both_protocol_versions() -> None:
    """1.6 ``unit``, 2.0.1 ``unitOfMeasure`` with its multiplier; unknown units are skipped."""
    assert read_meter([{"sampled_value": [{"value": "3.0", "unit": "kWh"}]}]) == (3000.0, None)
    uom = {"value": 3.0, "measurand": ENERGY, "unit_of_measure": {"unit": "kWh"}}
    assert read_meter([{"sampled_value": [uom]}]) == (3000.0, None)
    scaled = {"value": 7.0, "unit_of_measure": {"unit": "W", "multiplier": 3}}
    power = {**scaled, "measurand": "Power.Active.Import"}
    assert read_meter([{"sampled_value": [power]}]) == (None, 7000.0)
    odd = {"value": 5.0, "measurand": ENERGY, "unit": "varh"}
    assert read_meter([{"sampled_value": [odd]}]) == (None, None)
    assert read_meter([{"sampled_value": [{"value": 12}]}]) == (12.0, None)


def test_charger_id_is_the_whole_path_after_the_prefix() -> None:
    assert charger_id_of("/CP1", "/") == "CP1"
    assert charger_id_of("/other/CP1", "/") == "other/CP1"
    assert charger_id_of("/ocpp/CP%201", "/ocpp/") == "CP 1"
    assert charger_id_of("/CP1", "/ocpp/") is None
    assert charger_id_of("/ocpp/", "/ocpp/") is None


async def _running(tmp: Path, **config: Any) -> tuple[Csms, FastClock, int]:
    clock = FastClock()
    csms = new_csms(tmp, clock, two_van_schedule())
    if config:
        csms.config = dataclasses.replace(csms.config, **config)
    return csms, clock, await csms.start()


def test_a_charger_cannot_meter_or_stop_another_chargers_session(tmp_path: Path) -> None:
    """CP2, with its own valid password, sends CP1's transaction id: nothing of CP1 changes."""

    async def go() -> None:
        csms, clock, port = await _running(tmp_path)
        cp1, cp2 = sim("CP1", port, clock), sim("CP2", port, clock)
        try:
            await cp1.connect()
            await cp2.connect()
            tx = await cp1.plug_in(1, "A")
            before = csms.store.transaction(tx)
            assert before is not None and before.active
            sampled = [{"value": "99999", "measurand": ENERGY, "unit": "Wh"}]
            await cp2.call(
                call16.MeterValues(
                    connector_id=1,
                    transaction_id=tx,
                    meter_value=[{"timestamp": iso(clock()), "sampled_value": sampled}],
                )
            )
            res = await cp2.call(
                call16.StopTransaction(meter_stop=99_999, timestamp=iso(clock()), transaction_id=tx)
            )
            assert res.id_tag_info is None  # answered, but not accepted as a stop
            after = csms.store.transaction(tx)
            assert after is not None and after.active
            # CP1's own meter may move on meanwhile (its simulator keeps metering); CP2's never
            assert after.meter_last_wh != 99_999
            assert after.meter_last_wh is not None and before.meter_last_wh is not None
            assert after.meter_last_wh >= before.meter_last_wh
        finally:
            await cp1.close()
            await cp2.close()
            await csms.stop()

    asyncio.run(go())


def test_a_refused_badge_opens_no_active_session(tmp_path: Path) -> None:
    """1.6 StartTransaction with an unknown badge: Invalid, recorded for audit, never active."""

    async def go() -> None:
        csms, clock, port = await _running(tmp_path)
        cp = sim("CP1", port, clock)
        try:
            await cp.connect()
            res = await cp.call(
                call16.StartTransaction(
                    connector_id=1, id_tag="STRANGER", meter_start=0, timestamp=iso(clock())
                )
            )
            assert res.id_tag_info["status"] == "Invalid"
            assert csms.store.active() == []
            (tx,) = csms.store.all()
            assert tx.id == res.transaction_id and tx.id_tag == "STRANGER" and not tx.active
        finally:
            await cp.close()
            await csms.stop()

    asyncio.run(go())


@contextlib.asynccontextmanager
async def station(port: int, charger: str) -> AsyncIterator[ChargePoint201]:
    token = base64.b64encode(f"{charger}:{PASSWORDS[charger]}".encode()).decode()
    async with connect(
        f"ws://127.0.0.1:{port}/{charger}",
        subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
        additional_headers={"Authorization": f"Basic {token}"},
    ) as ws:
        cp = ChargePoint201(charger, ws)
        task = asyncio.create_task(cp.start())
        try:
            yield cp
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def event(kind: str, seq: int, tx_id: str, wh: float, now: float, unit: str = "Wh") -> Any:
    sampled = {"value": wh, "measurand": ENERGY, "unit_of_measure": {"unit": unit}}
    return call201.TransactionEvent(
        event_type=kind,
        timestamp=iso(now),
        trigger_reason="CablePluggedIn" if kind == "Started" else "MeterValuePeriodic",
        seq_no=seq,
        transaction_info={"transaction_id": tx_id},
        id_token={"id_token": "A" if tx_id != "B" else "B", "type": "ISO14443"},
        evse={"id": 1, "connector_id": 1},
        meter_value=[{"timestamp": iso(now), "sampled_value": [sampled]}],
    )


def test_two_stations_with_the_same_transaction_id_keep_their_own_sessions(
    tmp_path: Path,
) -> None:
    """Both stations call their session "1": two sessions, each with its own energy."""

    async def go() -> None:
        csms, clock, port = await _running(tmp_path)
        try:
            async with station(port, "CP1") as one, station(port, "CP2") as two:
                await one.call(event("Started", 0, "1", 100.0, clock()))
                await two.call(event("Started", 0, "1", 5_000.0, clock()))
                await one.call(event("Updated", 1, "1", 2_100.0, clock()))
                await two.call(event("Ended", 1, "1", 5_500.0, clock()))
            by_charger = {tx.charger_id: tx for tx in csms.store.all()}
            assert sorted(by_charger) == ["CP1", "CP2"]
            assert by_charger["CP1"].active and by_charger["CP1"].energy_wh == 2_000.0
            assert not by_charger["CP2"].active and by_charger["CP2"].energy_wh == 500.0
        finally:
            await csms.stop()

    asyncio.run(go())


def test_a_station_reusing_an_id_after_a_reboot_records_a_new_session(tmp_path: Path) -> None:
    """ "1" ended, then "1" started again: two sessions, the second with its own energy, in kWh."""

    async def go() -> None:
        csms, clock, port = await _running(tmp_path)
        try:
            async with station(port, "CP1") as cp:
                await cp.call(event("Started", 0, "1", 100.0, clock()))
                await cp.call(event("Ended", 1, "1", 1_100.0, clock()))
                await cp.call(event("Started", 0, "1", 2.0, clock(), unit="kWh"))
                await cp.call(event("Updated", 1, "1", 5.0, clock(), unit="kWh"))
            first, second = csms.store.all()
            assert not first.active and first.energy_wh == 1_000.0
            assert second.active and second.energy_wh == 3_000.0
        finally:
            await csms.stop()

    asyncio.run(go())


def test_ocpp201_authorize_meter_values_and_notifications_are_answered(tmp_path: Path) -> None:
    """Real stations send these; an unanswered Authorize blocks charging."""

    async def go() -> None:
        csms, clock, port = await _running(tmp_path)
        try:
            async with station(port, "CP1") as cp:
                ok = await cp.call(
                    call201.Authorize(id_token={"id_token": "A", "type": "ISO14443"})
                )
                assert ok.id_token_info["status"] == "Accepted"
                no = await cp.call(call201.Authorize(id_token={"id_token": "X", "type": "Local"}))
                assert no.id_token_info["status"] == "Invalid"
                await cp.call(event("Started", 0, "t1", 100.0, clock()))
                sampled = [{"value": 1.5, "measurand": ENERGY, "unit_of_measure": {"unit": "kWh"}}]
                await cp.call(
                    call201.MeterValues(
                        evse_id=1,
                        meter_value=[{"timestamp": iso(clock()), "sampled_value": sampled}],
                    )
                )
                (tx,) = csms.store.active("CP1")
                assert tx.energy_wh == 1_400.0
                await cp.call(
                    call201.NotifyEvent(
                        generated_at=iso(clock()),
                        seq_no=0,
                        event_data=[
                            {
                                "event_id": 1,
                                "timestamp": iso(clock()),
                                "trigger": "Alerting",
                                "actual_value": "true",
                                "event_notification_type": "HardWiredNotification",
                                "component": {"name": "Connector"},
                                "variable": {"name": "Problem"},
                            }
                        ],
                    )
                )
                await cp.call(
                    call201.SecurityEventNotification(
                        type="FirmwareUpdated", timestamp=iso(clock())
                    )
                )
        finally:
            await csms.stop()

    asyncio.run(go())


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize(
    ("path", "user", "password"),
    [
        ("/CP1", "CP1", "pässwörd-ünïcode"),  # non-ASCII: a 500 before
        ("/other/CP1", "CP1", PASSWORDS["CP1"]),  # the right password under another path
        ("/CP1", "CP2", PASSWORDS["CP2"]),  # another charger's account for this path
    ],
)
def test_bad_handshakes_get_401(tmp_path: Path, path: str, user: str, password: str) -> None:
    async def go() -> None:
        csms, _, port = await _running(tmp_path)
        try:
            with pytest.raises(InvalidStatus) as exc:
                async with connect(
                    f"ws://127.0.0.1:{port}{path}",
                    subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                    additional_headers=_basic(user, password),
                ):
                    pass
            assert exc.value.response.status_code == 401
        finally:
            await csms.stop()

    asyncio.run(go())


def test_a_configured_prefix_is_where_chargers_connect(tmp_path: Path) -> None:
    async def go() -> None:
        csms, _, port = await _running(tmp_path, path_prefix="/ocpp/")
        try:
            async with connect(
                f"ws://127.0.0.1:{port}/ocpp/CP1",
                subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                additional_headers=_basic("CP1", PASSWORDS["CP1"]),
            ):
                await until(lambda: "CP1" in csms.connected)
        finally:
            await csms.stop()

    asyncio.run(go())


def test_a_hashed_password_lets_its_charger_in_and_no_one_else(tmp_path: Path) -> None:
    from voltvan.passwords import hash_password

    async def go() -> None:
        hashed = {
            cid: dataclasses.replace(acc, password=hash_password(PASSWORDS[cid], log2_n=10))
            for cid, acc in csms_config().chargers.items()
        }
        csms, _, port = await _running(tmp_path, chargers=hashed)
        try:
            with pytest.raises(InvalidStatus) as exc:
                async with connect(
                    f"ws://127.0.0.1:{port}/CP1",
                    subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                    additional_headers=_basic("CP1", hashed["CP1"].password),  # the hash itself
                ):
                    pass
            assert exc.value.response.status_code == 401
            async with connect(
                f"ws://127.0.0.1:{port}/CP1",
                subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                additional_headers=_basic("CP1", PASSWORDS["CP1"]),
            ):
                await until(lambda: "CP1" in csms.connected)
        finally:
            await csms.stop()

    asyncio.run(go())
