"""voltvan csms --metrics-port: the central system's totals move with what its chargers do."""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.request
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.charging.ocpp_rig import PASSWORDS, FastClock, new_csms, sim, two_van_schedule, until
from tests.telemetry.broker import free_port
from tests.web.test_metrics import _value
from voltvan.web import serve_csms_metrics


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=60) as r:
        return str(r.read().decode())


def test_sessions_meter_values_pushes_and_refusals_are_counted(tmp_path: Path) -> None:
    """A session with profiles and meter values, bad frames and a wrong password: each shows in
    the scrape under its own name and reason."""
    port = free_port()

    async def go() -> None:
        clock = FastClock()
        csms = new_csms(tmp_path, clock, two_van_schedule())
        ws_port = await csms.start()
        stop = serve_csms_metrics(csms, port)
        cp = sim("CP1", ws_port, clock)
        try:
            first = await asyncio.to_thread(scrape, port)
            assert "voltvan_csms_connected_chargers 0.0" in first
            assert "voltvan_csms_transactions_started_total 0.0" in first
            await cp.connect()
            await until(lambda: "CP1" in csms.connected)
            await cp.plug_in(1, "A")
            await until(lambda: len(cp.profiles_received) >= 1)
            await cp.send_meter_values(1)
            await cp.send_meter_values(1)
            await cp.unplug(1)
            live = await asyncio.to_thread(scrape, port)
            assert "voltvan_csms_connected_chargers 1.0" in live
            assert "voltvan_csms_transactions_started_total 1.0" in live
            assert "voltvan_csms_transactions_stopped_total 1.0" in live
            pushes = float(len(cp.profiles_received))
            assert f"voltvan_csms_profile_pushes_total {pushes}" in live
            # the simulator also meters on its own clock (fast here): count what it really sent
            assert cp.meter_values_sent >= 2
            assert f"voltvan_csms_meter_values_total {float(cp.meter_values_sent)}" in live
            uri = f"ws://127.0.0.1:{ws_port}/CP2"
            good = base64.b64encode(f"CP2:{PASSWORDS['CP2']}".encode()).decode()
            async with connect(
                uri,
                subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                additional_headers={"Authorization": f"Basic {good}"},
            ) as ws:
                await ws.send("this is not json")
                assert json.loads(await ws.recv())[2] == "FormatViolation"
                await ws.send(json.dumps([2, "m3", "NoSuchAction", {}]))
                assert json.loads(await ws.recv())[2] == "NotSupported"
            bad = base64.b64encode(b"CP2:wrong-password").decode()
            try:
                await connect(uri, additional_headers={"Authorization": f"Basic {bad}"})
            except InvalidStatus as exc:
                assert exc.response.status_code == 401
            else:
                raise AssertionError("a wrong password was let in")
            text = await asyncio.to_thread(scrape, port)
        finally:
            await cp.close()
            stop()
            await csms.stop()
        rejected = "voltvan_csms_rejected_frames_total"
        assert _value(text, rejected, reason="FormatViolation") == 1
        assert _value(text, rejected, reason="NotSupported") == 1
        refused = "voltvan_csms_refused_connections_total"
        assert _value(text, refused, reason="password") == 1

    asyncio.run(go())
