"""A whole night played on real sockets: chargers meter what the schedule promised."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.charging.ocpp_rig import csms_config, two_van_schedule
from voltvan.charging.ocpp._demo import run_night


def test_night_on_sockets_delivers_the_schedule(tmp_path: Path) -> None:
    """Two vans, two chargers, the night at 20000x: metered energy within 1 % of the plan."""
    schedule = two_van_schedule()
    result = asyncio.run(run_night(schedule, csms_config(), data_dir=tmp_path, speed=20_000.0))
    assert result.replans == []
    for vid, planned in result.planned_wh.items():
        assert planned > 0
        assert abs(result.metered_wh[vid] - planned) <= 0.01 * planned
