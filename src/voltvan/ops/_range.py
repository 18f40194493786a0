"""Route-aware range: the state of charge a van will have at each stop it has left, and back home.

The plan already knows the energy on arrival at every visit (the energy model's profile). What the
plan cannot know is how the day went: the van's live state of charge from telemetry shifts the
whole remaining profile by the difference between what the battery holds now and what the plan
expected it to hold on leaving the last stop reached. When the shifted profile dips below the
reserve, the driver is told before driving on, with the public charger the day's plan uses
nearest to where the energy runs short.

Everything needed comes from the published plan: the battery (energy over state of charge at the
start) and the reserve (``energy_needed_wh`` is the worst net use plus the reserve).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from voltvan.ops._db import reading
from voltvan.ops._model import iso_from_us
from voltvan.ops._plans import read_plan, require_version
from voltvan.ops._schema import stop_status
from voltvan.plan import Route, Visit
from voltvan.travel import haversine_m

#: Statuses after which a stop needs no more driving.
DONE = frozenset({"delivered", "failed"})
#: Statuses of a stop the van has reached: the driving of the rest starts there (one rule for the
#: cockpit's range and the console's return state of charge).
REACHED = DONE | {"arrived"}


@dataclass(frozen=True, slots=True)
class LiveSoc:
    """The van's state of charge as telemetry last reported it (a fraction, 0-1)."""

    soc: float
    at_us: int


def range_view(engine: Engine, day: str, van_id: str, live: LiveSoc | None) -> dict[str, Any]:
    """The van's range over the rest of its route in the current plan version."""
    with reading(engine) as conn:
        version = require_version(conn, day)
        plan = read_plan(conn, day, version)
        route = next((r for r in plan.routes if r.van_id == van_id), None)
        ids = route.stop_ids if route is not None else []
        statuses = {
            r.stop_id: r.status
            for r in conn.execute(
                select(stop_status.c.stop_id, stop_status.c.status).where(
                    stop_status.c.day == day, stop_status.c.stop_id.in_(ids)
                )
            )
        }
    charge_points = [v for r in plan.routes for v in r.visits if v.kind == "charge"]
    out = range_ahead(route, statuses, charge_points, live) if route is not None else _no_route()
    return {"day": day, "van_id": van_id, "plan_version": version, **out}


def _no_route() -> dict[str, Any]:
    return {
        "battery_wh": None,
        "reserve_wh": None,
        "live": None,
        "offset_wh": 0.0,
        "ahead": [],
        "return_soc": None,
        "short_wh": 0.0,
        "warning": None,
        "charger": None,
    }


def battery_wh(route: Route) -> float:
    """The usable battery, from the plan's own profile (energy over state of charge)."""
    for v in route.visits:
        if v.soc > 0:
            return v.energy_wh / v.soc
    return max((v.energy_wh for v in route.visits), default=0.0)


def reserve_wh(route: Route) -> float:
    """What the planner kept in the battery: ``energy_needed_wh`` less the worst net use."""
    if not route.visits:
        return 0.0
    start = route.visits[0].energy_wh
    # energy on arrival already counts what was charged before: start - arrival is the net use
    worst = max(start - v.energy_wh for v in route.visits)
    return max(0.0, route.energy_needed_wh - worst)


def range_ahead(
    route: Route,
    statuses: Mapping[str, str],
    charge_points: Sequence[Visit],
    live: LiveSoc | None,
) -> dict[str, Any]:
    """The remaining visits with their predicted state of charge, and a warning if short.

    The last stop reached (arrived, delivered or failed; in route order) is where the van is
    taken to be: that stop if it is not done yet, and what follows it and is not done, remain.
    A stop skipped before it has no prediction (the plan cannot say when the driver goes back).
    Live telemetry is taken as read at that stop: while the van drives on, the leg it is on is
    counted whole, so the prediction errs on the low side.
    """
    visits = route.visits
    battery = battery_wh(route)
    reserve = reserve_wh(route)
    done = [v.kind == "stop" and statuses.get(v.location_id) in DONE for v in visits]
    reached = [v.kind == "stop" and statuses.get(v.location_id) in REACHED for v in visits]
    anchor = max((i for i, r in enumerate(reached) if r), default=0)
    here = anchor > 0 and not done[anchor]  # arrived at the anchor: it is still to be done
    first = anchor if here else anchor + 1
    rest = [v for i, v in enumerate(visits) if i >= first and not done[i]]
    offset = 0.0
    if live is not None and anchor + 1 < len(visits) and battery > 0:
        nxt = visits[anchor + 1]
        planned_leaving = nxt.energy_wh + nxt.energy_from_prev_wh
        offset = live.soc * battery - planned_leaving
    # From the shifted arrival at the next visit, the plan's change from visit to visit (legs,
    # dwell, charges): a charge stop cannot fill the battery past full, so a van above its plan
    # gains less there than the plan says.
    walked: dict[int, float] = {}
    energy = 0.0
    for i in range(anchor + 1, len(visits)):
        if i == anchor + 1:
            energy = visits[i].energy_wh + offset
        else:
            prev = visits[i - 1]
            charged = min(battery, energy + prev.charge_wh)
            energy = charged + visits[i].energy_wh - prev.energy_wh - prev.charge_wh
        walked[i] = min(battery, energy)
    if here:  # standing at the anchor: what the battery holds now
        walked[anchor] = min(battery, visits[anchor].energy_wh + offset)
    energies = [walked[i] for i, v in enumerate(visits) if i in walked and not done[i]]
    ahead: list[dict[str, Any]] = []
    for v, energy in zip(rest, energies, strict=True):
        ahead.append(
            {
                "kind": v.kind,
                "location_id": v.location_id,
                "arrival_s": v.arrival_s,
                "planned_soc": v.soc,
                "energy_wh": energy,
                "soc": energy / battery if battery > 0 else None,
                "below_reserve": energy < reserve,
            }
        )
    lowest = min(energies, default=reserve)
    short = max(0.0, reserve - lowest)
    out: dict[str, Any] = {
        "battery_wh": battery,
        "reserve_wh": reserve,
        "live": ({"soc": live.soc, "at": iso_from_us(live.at_us)} if live is not None else None),
        "offset_wh": offset,
        "ahead": ahead,
        "return_soc": ahead[-1]["soc"] if ahead and ahead[-1]["kind"] == "end" else None,
        "short_wh": short,
        "warning": None,
        "charger": None,
    }
    if short > 0:
        first = next(i for i, a in enumerate(ahead) if a["below_reserve"])
        before = rest[first - 1] if first > 0 else visits[anchor]
        out["warning"] = (
            f"the rest of the route needs {short / 1000:.1f} kWh more than the battery holds "
            f"above its reserve: charge before {rest[first].location_id}"
        )
        out["charger"] = _charger(before, short, charge_points, rest)
    return out


def _charger(
    near: Visit, short_wh: float, charge_points: Sequence[Visit], rest: Sequence[Visit]
) -> dict[str, Any] | None:
    """The charge stop this route still has, else the day's nearest one to ``near``."""
    own = [v for v in rest if v.kind == "charge"]
    candidates = own or list({v.location_id: v for v in charge_points}.values())
    if not candidates:
        return None
    distance = [float(haversine_m(near.lat, near.lon, c.lat, c.lon)) for c in candidates]
    best = min(range(len(candidates)), key=distance.__getitem__)
    c = candidates[best]
    powers = [
        v.charge_wh / (v.departure_s - v.start_s) * 3600
        for v in charge_points
        if v.location_id == c.location_id and v.charge_wh > 0 and v.departure_s > v.start_s
    ]
    power_w = max(powers, default=0.0)
    return {
        "location_id": c.location_id,
        "lat": c.lat,
        "lon": c.lon,
        "planned": bool(own),
        "detour_m": 2 * distance[best],
        "power_w": power_w or None,
        "charge_s": short_wh / power_w * 3600 if power_w > 0 else None,
    }
