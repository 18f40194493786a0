"""Simulated OCPP 1.6J charge points on real WebSockets, for tests and the demo.

They behave like the chargers a depot has: authenticate with their password, boot, report
status, start and stop transactions, draw the power their TxProfile allows (full power without
one), report meter values, obey remote start/stop and trigger requests, can fault, and keep
charging through a lost connection, resuming the same transaction when it comes back.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from voltvan.charging.ocpp._ocpp import call16
from voltvan.charging.ocpp._sim_client import SimClient16
from voltvan.charging.ocpp._sim_plug import Plug


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat().replace("+00:00", "Z")


def _epoch(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class SimChargePoint:
    """A charger with ``connectors`` plugs of ``max_power_w`` each; ``clock`` gives epoch s."""

    def __init__(
        self,
        charger_id: str,
        password: str,
        url: str,
        *,
        connectors: int = 1,
        max_power_w: float = 11_000.0,
        clock: Callable[[], float] = time.time,
        meter_every_s: float = 60.0,
        tick_s: float = 0.02,
    ) -> None:
        self.id = charger_id
        self.password = password
        self.url = url.rstrip("/")
        self.max_power_w = max_power_w
        self.clock = clock
        self.meter_every_s = meter_every_s
        self.tick_s = tick_s
        self.plugs = {n: Plug() for n in range(1, connectors + 1)}
        self.profiles_received: list[dict[str, Any]] = []
        self.meter_values_sent = 0
        self._ws: Any = None
        self._cp: SimClient16 | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._last = clock()
        self._last_meter = clock()

    @property
    def online(self) -> bool:
        return self._cp is not None

    async def connect(self) -> None:
        """Open the WebSocket (refused with 401 on a bad password), boot and report status."""
        from websockets.asyncio.client import connect

        token = base64.b64encode(f"{self.id}:{self.password}".encode()).decode()
        self._ws = await connect(
            f"{self.url}/{self.id}",
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            additional_headers={"Authorization": f"Basic {token}"},
        )
        self._cp = SimClient16(self.id, self._ws, self)
        self._tasks.append(asyncio.create_task(self._receive(self._cp)))
        await self._cp.call(
            call16.BootNotification(charge_point_model="SimAC", charge_point_vendor="voltvan")
        )
        for n, plug in self.plugs.items():
            await self.send_status(n, "Charging" if plug.tx_id is not None else "Available")
        if not any(t.get_name() == "run" for t in self._tasks if not t.done()):
            self._tasks.append(asyncio.create_task(self._run(), name="run"))

    async def _receive(self, cp: SimClient16) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            await cp.start()
        if self._cp is cp:
            self._cp = None

    async def disconnect(self) -> None:
        """Drop the connection (the plugs keep charging on their last profile)."""
        cp, self._cp = self._cp, None
        if self._ws is not None:
            await self._ws.close()
        del cp

    async def close(self) -> None:
        await self.disconnect()
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t

    async def call(self, payload: Any) -> Any:
        if self._cp is None:
            raise ConnectionError(f"{self.id} is offline")
        return await self._cp.call(payload)

    async def send_status(self, connector: int, status: str, error: str = "NoError") -> None:
        await self.call(
            call16.StatusNotification(
                connector_id=connector,
                error_code=error,
                status=status,
                timestamp=_iso(self.clock()),
            )
        )

    async def plug_in(
        self, connector: int, id_tag: str, *, max_energy_wh: float | None = None
    ) -> int:
        """A van plugs in and badges: Authorize, StartTransaction; returns the transaction id."""
        self.advance()
        plug = self.plugs[connector]
        await self.call(call16.Authorize(id_tag=id_tag))
        res = await self.call(
            call16.StartTransaction(
                connector_id=connector,
                id_tag=id_tag,
                meter_start=int(plug.meter_wh),
                timestamp=_iso(self.clock()),
            )
        )
        plug.tx_id, plug.id_tag = int(res.transaction_id), id_tag
        plug.max_energy_wh, plug.session_wh = max_energy_wh, 0.0
        await self.send_status(connector, "Charging")
        return plug.tx_id

    async def unplug(self, connector: int, reason: str = "EVDisconnected") -> None:
        self.advance()
        plug = self.plugs[connector]
        if plug.tx_id is None:
            return
        tx, plug.tx_id = plug.tx_id, None
        plug.profile_start, plug.periods, plug.power_w = None, [], 0.0
        await self.call(
            call16.StopTransaction(
                meter_stop=int(plug.meter_wh),
                timestamp=_iso(self.clock()),
                transaction_id=tx,
                reason=reason,
                id_tag=plug.id_tag,
            )
        )
        await self.send_status(connector, "Available")

    async def fault(self, connector: int) -> None:
        """The plug fails: it stops delivering and says so."""
        self.advance()
        self.plugs[connector].faulted = True
        self.plugs[connector].power_w = 0.0
        await self.send_status(connector, "Faulted", "GroundFailure")

    def advance(self) -> None:
        """Integrate each plug's energy since the last step under its profile."""
        now = self.clock()
        dt_s = max(0.0, now - self._last)
        self._last = now
        for plug in self.plugs.values():
            active = plug.tx_id is not None and not plug.faulted
            e = plug.energy_wh(now - dt_s, now, self.max_power_w) if active else 0.0
            if plug.max_energy_wh is not None:
                e = max(0.0, min(e, plug.max_energy_wh - plug.session_wh))
                active = active and plug.session_wh + e < plug.max_energy_wh
            plug.meter_wh += e
            plug.session_wh += e
            plug.power_w = plug.limit_w(now, self.max_power_w) if active else 0.0

    async def send_meter_values(self, connector: int | None = None) -> None:
        ts = _iso(self.clock())
        for n, plug in self.plugs.items():
            if plug.tx_id is None or (connector is not None and n != connector):
                continue
            await self.call(
                call16.MeterValues(
                    connector_id=n,
                    transaction_id=plug.tx_id,
                    meter_value=[
                        {
                            "timestamp": ts,
                            "sampledValue": [
                                {
                                    "value": f"{plug.meter_wh:.1f}",
                                    "measurand": "Energy.Active.Import.Register",
                                    "unit": "Wh",
                                },
                                {
                                    "value": f"{plug.power_w:.1f}",
                                    "measurand": "Power.Active.Import",
                                    "unit": "W",
                                },
                            ],
                        }
                    ],
                )
            )
            self.meter_values_sent += 1

    async def _run(self) -> None:
        while True:
            self.advance()
            if self.online and self.clock() - self._last_meter >= self.meter_every_s:
                self._last_meter = self.clock()
                with contextlib.suppress(Exception):
                    await self.send_meter_values()
            await asyncio.sleep(self.tick_s)

    def apply_profile(self, connector: int, profile: dict[str, Any]) -> str:
        if connector not in self.plugs or profile.get("charging_profile_purpose") != "TxProfile":
            return "Rejected"
        self.advance()
        sched = profile["charging_schedule"]
        plug = self.plugs[connector]
        plug.profile_start = _epoch(sched["start_schedule"])
        plug.periods = [
            (float(p["start_period"]), float(p["limit"])) for p in sched["charging_schedule_period"]
        ]
        self.profiles_received.append(profile)
        self.advance()
        return "Accepted"
