"""OCPP 2.0.1 chargers boot, beat, report status and record transactions through events."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from tests.charging.ocpp_rig import PASSWORDS, FastClock, new_csms, two_van_schedule, until
from voltvan.charging.ocpp._csms import iso
from voltvan.charging.ocpp._ocpp import ChargePoint201, call201, on, result201


class Station201(ChargePoint201):  # type: ignore[misc]
    """A bare 2.0.1 station that accepts and keeps the profiles it is sent."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.profiles: list[dict[str, Any]] = []

    @on("SetChargingProfile")
    def on_profile(self, evse_id: int, charging_profile: dict[str, Any], **_: Any) -> Any:
        self.profiles.append(charging_profile)
        return result201.SetChargingProfile(status="Accepted")


def _event(kind: str, seq: int, wh: float, now: float) -> Any:
    return call201.TransactionEvent(
        event_type=kind,
        timestamp=iso(now),
        trigger_reason="CablePluggedIn" if kind == "Started" else "MeterValuePeriodic",
        seq_no=seq,
        transaction_info={"transaction_id": "tx-201"},
        id_token={"id_token": "A", "type": "ISO14443"},
        evse={"id": 1, "connector_id": 1},
        meter_value=[
            {
                "timestamp": iso(now),
                "sampled_value": [{"value": wh, "measurand": "Energy.Active.Import.Register"}],
            }
        ],
    )


def test_ocpp201_transaction_events_are_recorded(tmp_path: Path) -> None:
    """Started/Updated/Ended make one stored transaction with its energy; the van's TxProfile
    is sent in 2.0.1 form when the transaction starts."""

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        port = await csms.start()
        token = base64.b64encode(f"CP2:{PASSWORDS['CP2']}".encode()).decode()
        try:
            async with connect(
                f"ws://127.0.0.1:{port}/CP2",
                subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
                additional_headers={"Authorization": f"Basic {token}"},
            ) as ws:
                cp = Station201("CP2", ws)
                task = asyncio.create_task(cp.start())
                boot = await cp.call(
                    call201.BootNotification(
                        charging_station={"model": "Sim201", "vendor_name": "voltvan"},
                        reason="PowerUp",
                    )
                )
                assert boot.status == "Accepted"
                assert (await cp.call(call201.Heartbeat())).current_time
                await cp.call(
                    call201.StatusNotification(
                        timestamp=iso(clock()),
                        connector_status="Occupied",
                        evse_id=1,
                        connector_id=1,
                    )
                )
                started = await cp.call(_event("Started", 0, 100.0, clock()))
                assert started.id_token_info["status"] == "Accepted"
                await until(lambda: len(cp.profiles) == 1)
                profile = cp.profiles[0]
                assert profile["transaction_id"] == "tx-201"
                assert profile["charging_profile_purpose"] == "TxProfile"
                assert profile["charging_schedule"][0]["charging_rate_unit"] == "W"
                await cp.call(_event("Updated", 1, 5_100.0, clock()))
                await cp.call(_event("Ended", 2, 9_100.0, clock()))
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            (tx,) = csms.store.all()
            assert tx.ocpp_id == "tx-201" and tx.id_tag == "A" and not tx.active
            assert tx.energy_wh == 9_000.0
            assert csms.store.statuses()[("CP2", 1)] == "Occupied"
        finally:
            await csms.stop()

    asyncio.run(go())
