"""Frames no parser should choke on: each gets a CALLERROR and the connection stays open."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.charging.ocpp_rig import PASSWORDS, FastClock, new_csms

FRAMES = {
    "nested 1,100 levels": "[" * 1100 + "]" * 1100,
    "nested payload": '[2, "m1", "Heartbeat", ' + "[" * 1100 + "]" * 1100 + "]",
    "binary": b"\x00\xff\xfe not text",
    "not JSON": "this is not json",
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_a_hostile_frame_gets_a_callerror_and_the_charger_stays(tmp_path: Path, name: str) -> None:
    async def go() -> None:
        csms = new_csms(tmp_path, FastClock(), None)
        port = await csms.start()
        token = base64.b64encode(f"CP1:{PASSWORDS['CP1']}".encode()).decode()
        try:
            async with connect(
                f"ws://127.0.0.1:{port}/CP1",
                subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                additional_headers={"Authorization": f"Basic {token}"},
            ) as ws:
                await ws.send(FRAMES[name])
                err = json.loads(await ws.recv())
                assert err[:3] == [4, "-1", "FormatViolation"]
                await ws.send(json.dumps([2, "m2", "Heartbeat", {}]))
                ok = json.loads(await ws.recv())
                assert ok[0] == 3 and ok[1] == "m2"
        finally:
            await csms.stop()

    asyncio.run(go())
