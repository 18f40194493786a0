"""Re-plan the rest of the night from what actually happened, and turn a plan into OCPP profiles.

Called by the OCPP server when a van plugs in late or a connector faults: vans already plugged
stay where they are (unless their connector failed), their energy so far comes from the meter,
late vans count from now, and failed connectors leave the pool.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

from voltvan.charging._model import DepotProblem
from voltvan.charging._schedule import Schedule, VanPlan
from voltvan.charging._scheduler import schedule_depot


@dataclasses.dataclass(frozen=True, slots=True)
class LiveVan:
    """A van's state right now: its connector (when plugged) and energy received tonight."""

    connector_id: str | None
    delivered_wh: float


def replan(
    schedule: Schedule,
    now_s: float,
    *,
    live: Mapping[str, LiveVan],
    faulted: set[str] | frozenset[str] = frozenset(),
) -> Schedule:
    """A new schedule from ``now_s`` to the last departure (same clock as ``schedule``)."""
    base = schedule.to_problem()
    start = math.floor(now_s / base.slot_s) * base.slot_s
    requests = []
    pinned: dict[str, str] = {}
    for r in base.requests:
        if r.departure_s <= now_s + 1.0:
            continue
        state = live.get(r.vehicle_id)
        delivered = state.delivered_wh if state else 0.0
        energy = min(r.battery_wh, r.energy_arrival_wh + delivered)
        plugged = state is not None and state.connector_id is not None
        arrival = now_s if plugged or r.arrival_s < now_s else r.arrival_s
        requests.append(
            dataclasses.replace(r, arrival_s=arrival, soc_arrival=energy / r.battery_wh)
        )
        if (
            state is not None
            and state.connector_id is not None
            and state.connector_id not in faulted
        ):
            pinned[r.vehicle_id] = state.connector_id
    connectors = tuple(c for c in base.connectors if c.id not in faulted)
    offset = round((start - base.grid_start_s) / base.slot_s)
    end = max((r.departure_s for r in requests), default=start + base.slot_s)
    num = max(1, math.ceil((end - start) / base.slot_s - 1e-9))
    problem = DepotProblem(
        requests=tuple(requests),
        connectors=connectors,
        site_limit_w=base.site_limit_w,
        tariff=base.tariff,
        slot_s=base.slot_s,
        efficiency=base.efficiency,
        base_load_w=tuple(base.base_load_w[offset:]) if offset >= 0 else base.base_load_w,
        start_s=start,
        num_slots=num,
    )
    new = schedule_depot(problem, pinned=pinned)
    return dataclasses.replace(new, stats={**new.stats, "replanned_at_s": now_s})


def profile_periods(
    van: VanPlan, schedule: Schedule, from_s: float
) -> tuple[float, list[tuple[float, float]]]:
    """``(start_s, [(offset_s, limit_w), ...])`` for the van's power from ``from_s`` on.

    Equal neighbouring slots merge into one period; after the last slot the limit is 0.
    """
    k0 = max(0, math.floor((from_s - schedule.start_s) / schedule.slot_s))
    start = schedule.slot_start(k0)
    periods: list[tuple[float, float]] = []
    for k in range(k0, schedule.num_slots):
        limit = round(van.power_w[k], 1)
        if not periods or periods[-1][1] != limit:
            periods.append((schedule.slot_start(k) - start, limit))
    if not periods or periods[-1][1] != 0.0:
        periods.append((schedule.slot_start(schedule.num_slots) - start, 0.0))
    return start, periods
