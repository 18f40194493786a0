"""A whole night on real sockets: the OCPP server plus one simulated charger per charger of
the schedule, vans plugging in and out at their planned times, on a clock that runs fast.

It is the demo of ``voltvan csms --simulate`` and an end-to-end check: at the end, what the
chargers metered is set against what the schedule promised.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voltvan.charging._schedule import Schedule
from voltvan.charging.ocpp._csms import Csms
from voltvan.charging.ocpp._csms_config import ChargerAccount, CsmsConfig

if TYPE_CHECKING:
    from voltvan.charging.ocpp._sim_plug import Plug


class SimClock:
    """Epoch seconds running ``speed`` times faster than the wall, from ``start_epoch``."""

    def __init__(self, start_epoch: float, speed: float) -> None:
        self._wall0 = time.monotonic()
        self._start = start_epoch
        self.speed = speed

        self._frozen: float | None = None

    def __call__(self) -> float:
        if self._frozen is not None:
            return self._frozen
        return self._start + (time.monotonic() - self._wall0) * self.speed

    def hold(self, epoch: float) -> None:
        """Set the clock back to ``epoch`` now (after the setup, which must not eat the night)."""
        self._wall0 = time.monotonic()
        self._start = epoch
        self._frozen = None

    def pause(self) -> None:
        """Stop simulated time while a handshake runs (milliseconds are minutes when fast)."""
        self._frozen = self()

    def resume(self) -> None:
        if self._frozen is not None:
            self.hold(self._frozen)


@dataclass(frozen=True, slots=True)
class NightResult:
    """Per van: energy the schedule promised and energy the chargers metered (Wh)."""

    planned_wh: dict[str, float]
    metered_wh: dict[str, float]
    replans: list[str]


def simulated_config(schedule: Schedule) -> CsmsConfig:
    """Accounts for the chargers the schedule uses, with passwords good for one night.

    A simulated night needs no ``chargers.toml``: the server and its simulated chargers run in
    one process, so the depot's chargers as the schedule names them are all it takes.
    """
    plugs: dict[str, int] = {}
    for c in schedule.connectors:
        plugs[c.charger_id] = max(plugs.get(c.charger_id, 0), c.number)
    return CsmsConfig(
        chargers={
            cid: ChargerAccount(cid, secrets.token_urlsafe(16), n)
            for cid, n in sorted(plugs.items())
        }
    )


async def run_night(
    schedule: Schedule,
    config: CsmsConfig,
    *,
    data_dir: Path,
    speed: float = 3600.0,
    day_start_epoch: float = 1_767_225_600.0,
    on_tick: Callable[[Csms, float], None] | None = None,
) -> NightResult:
    """Play the night from the first slot to the last departure; return planned vs metered.

    The state goes to a fresh ``csms-simulated.sqlite`` beside the real one.
    """
    from voltvan.charging.ocpp._simcp import SimChargePoint

    # half a wall second of plug-in latency is minutes on a fast clock: not a late van
    config = dataclasses.replace(config, late_grace_s=max(config.late_grace_s, 0.5 * speed))
    clock = SimClock(day_start_epoch + schedule.start_s, speed)
    store = data_dir / "csms-simulated.sqlite"
    for old in data_dir.glob("csms-simulated.sqlite*"):
        old.unlink()
    csms = Csms(
        config,
        store_path=store,
        schedule=schedule,
        schedule_out=data_dir / "schedule.live.json",
        day_start_epoch=day_start_epoch,
        clock=clock,
    )
    port = await csms.start()
    chargers = {c.charger_id for c in schedule.connectors}
    sims = {
        cid: SimChargePoint(
            cid,
            config.chargers[cid].basic_auth_password(),
            f"ws://127.0.0.1:{port}",
            connectors=max(c.number for c in schedule.connectors if c.charger_id == cid),
            max_power_w=max(c.power_w for c in schedule.connectors if c.charger_id == cid),
            clock=clock,
            meter_every_s=schedule.slot_s,
        )
        for cid in sorted(chargers)
    }
    events: list[tuple[float, int, str, str, int]] = []
    for v in schedule.vans:
        if v.connector_id is None or v.plug_in is None or v.plug_out is None:
            continue
        where, plug = v.connector_id.rsplit("/", 1)
        events.append((v.plug_in, 1, v.vehicle_id, where, int(plug)))
        events.append((v.plug_out, 0, v.vehicle_id, where, int(plug)))
    events.sort()
    try:
        for sim in sims.values():
            await sim.connect()
        clock.hold(day_start_epoch + schedule.start_s)
        for sim in sims.values():
            sim.advance()
        for at_s, kind, vid, charger, number in events:
            while clock() - day_start_epoch < at_s:
                if on_tick is not None:
                    on_tick(csms, clock() - day_start_epoch)
                await asyncio.sleep(
                    min(0.05, max(0.001, (at_s - clock() + day_start_epoch) / speed))
                )
            clock.pause()
            try:
                if kind == 1:
                    await sims[charger].plug_in(number, vid)
                    await _profile_or_timeout(sims[charger].plugs[number])
                else:
                    await sims[charger].unplug(number)
            finally:
                clock.resume()
        metered: dict[str, float] = {}
        for tx in csms.store.all():
            metered[tx.id_tag] = metered.get(tx.id_tag, 0.0) + tx.energy_wh
        planned = {v.vehicle_id: v.energy_delivered_wh for v in schedule.vans}
        return NightResult(planned, metered, list(csms.replans))
    finally:
        for sim in sims.values():
            with contextlib.suppress(Exception):
                await sim.close()
        await csms.stop()


async def _profile_or_timeout(plug: Plug, timeout_s: float = 2.0) -> None:
    """Wait (in wall time) until the server has sent the plug its profile."""
    for _ in range(int(timeout_s / 0.005)):
        if plug.profile_start is not None:
            return
        await asyncio.sleep(0.005)
