"""A CSMS and simulated chargers on 127.0.0.1 with a fast clock (1 wall second = 2 hours)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from voltvan.charging import ChargeRequest, Connector, DepotProblem, Schedule, schedule_depot
from voltvan.charging.ocpp import ChargerAccount, Csms, CsmsConfig
from voltvan.charging.ocpp._simcp import SimChargePoint
from voltvan.domain import Tariff

H = 3600.0
DAY0 = 1_767_225_600.0  # 2026-01-01T00:00Z: midnight of the evening's day
SPEED = 7200.0
PASSWORDS = {"CP1": "secret-one", "CP2": "secret-two"}


class FastClock:
    """Epoch seconds that run SPEED times faster than the wall, starting at 18:00."""

    def __init__(self, start_s: float = 18 * H) -> None:
        self._wall0 = time.monotonic()
        self._t0 = DAY0 + start_s

    def __call__(self) -> float:
        return self._t0 + (time.monotonic() - self._wall0) * SPEED


def two_van_schedule(*, a_plug_h: float = 18.0) -> Schedule:
    """Vans A and B at 18:00 on CP1 and CP2 under a 15 kW site limit, flat price."""
    reqs = (
        ChargeRequest("A", 60_000, a_plug_h * H, 30 * H, 0.2, 40_000, 11_000),
        ChargeRequest("B", 60_000, 18 * H, 30 * H, 0.2, 40_000, 11_000),
    )
    conns = (Connector("CP1", 1, 11_000), Connector("CP2", 1, 11_000))
    return schedule_depot(DepotProblem(reqs, conns, 15_000, Tariff(), efficiency=1.0))


def csms_config(*, late_grace_s: float = 8 * H, watch_every_s: float | None = None) -> CsmsConfig:
    """Both chargers; a long grace because the fast clock makes every badge a bit late; the
    no-show watch only where a test asks for it."""
    return CsmsConfig(
        chargers={k: ChargerAccount(k, v) for k, v in PASSWORDS.items()},
        heartbeat_s=30,
        late_grace_s=late_grace_s,
        watch_every_s=watch_every_s,
    )


async def until(pred: Callable[[], bool], timeout_s: float = 5.0) -> None:
    """Poll until ``pred`` holds (never asserts on time: fails only if it never happens)."""
    for _ in range(int(timeout_s / 0.02)):
        if pred():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition never became true")


def sim(charger: str, port: int, clock: FastClock, password: str | None = None) -> SimChargePoint:
    return SimChargePoint(
        charger,
        password or PASSWORDS[charger],
        f"ws://127.0.0.1:{port}",
        clock=clock,
        meter_every_s=900.0,
    )


def new_csms(
    tmp: Path,
    clock: FastClock,
    schedule: Schedule | None,
    *,
    late_grace_s: float = 8 * H,
    watch_every_s: float | None = None,
) -> Csms:
    return Csms(
        csms_config(late_grace_s=late_grace_s, watch_every_s=watch_every_s),
        store_path=tmp / "csms.sqlite",
        schedule=schedule,
        schedule_out=tmp / "schedule.json",
        day_start_epoch=DAY0,
        clock=clock,
    )
