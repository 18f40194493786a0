"""What the people on the day read: a van's route with each stop's status, and the day at a glance.

Both are read from the current plan version in one transaction, so a driver never sees half of a
newly published version. A stop this van had in an earlier version and another van (or none)
has now is listed under ``moved`` with where it went.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select

from voltvan.errors import NotFound
from voltvan.ops._db import reading
from voltvan.ops._model import iso_from_us
from voltvan.ops._plans import read_plan, require_version, stop_ids_of, versions
from voltvan.ops._schema import day_stops, plan_stops, stop_status


def route_view(
    engine: Engine, day: str, van_id: str, known_version: int | None = None
) -> dict[str, Any]:
    """The van's route in the current version: every visit, each stop with details and status.

    With ``known_version`` (the version the device shows), ``changes`` says what is new for
    this van since then, so the cockpit can tell the driver before they drive on.
    """
    with reading(engine) as conn:
        version = require_version(conn, day)
        if known_version is not None and not 1 <= known_version <= version:
            raise NotFound(f"{day} has no plan version {known_version} (it is at {version})")
        plan = read_plan(conn, day, version)
        route = next((r for r in plan.routes if r.van_id == van_id), None)
        ids = route.stop_ids if route is not None else []
        status = {
            r.stop_id: r
            for r in conn.execute(
                select(stop_status).where(stop_status.c.day == day, stop_status.c.stop_id.in_(ids))
            )
        }
        details = {
            r.stop_id: json.loads(r.details_json)
            for r in conn.execute(
                select(day_stops).where(day_stops.c.day == day, day_stops.c.stop_id.in_(ids))
            )
        }
        moved = _moved_away(conn, day, version, van_id)
        changes = (
            _changes(
                stop_ids_of(conn, day, known_version, van_id), ids, since_version=known_version
            )
            if known_version is not None
            else None
        )
    visits: list[dict[str, Any]] = []
    for v in route.visits if route is not None else ():
        visit: dict[str, Any] = {
            "kind": v.kind,
            "location_id": v.location_id,
            "lat": v.lat,
            "lon": v.lon,
            "arrival_s": v.arrival_s,
            "start_s": v.start_s,
            "departure_s": v.departure_s,
            "soc": v.soc,
            "charge_wh": v.charge_wh,
        }
        if v.kind == "stop":
            row = status.get(v.location_id)
            visit["stop"] = details.get(v.location_id, {})
            visit["status"] = row.status if row is not None else "planned"
            visit["reason"] = row.reason if row is not None else None
            visit["event_id"] = row.event_id if row is not None else None
        visits.append(visit)
    counts = Counter(v["status"] for v in visits if v["kind"] == "stop")
    out = {
        "day": day,
        "van_id": van_id,
        "plan_version": version,
        "visits": visits,
        "moved": moved,
        "counts": {s: counts.get(s, 0) for s in ("planned", "arrived", "delivered", "failed")},
    }
    if changes is not None:
        out["changes"] = changes
    return out


def _changes(before: Sequence[str], after: Sequence[str], *, since_version: int) -> dict[str, Any]:
    """Stops added to and removed from a route, and whether the ones kept changed order."""
    had, has = set(before), set(after)
    return {
        "since_version": since_version,
        "added": [s for s in after if s not in had],
        "removed": [s for s in before if s not in has],
        "reordered": [s for s in before if s in has] != [s for s in after if s in had],
    }


def _moved_away(conn: Any, day: str, version: int, van_id: str) -> list[dict[str, Any]]:
    earlier = {
        r.stop_id: int(r.version)
        for r in conn.execute(
            select(plan_stops.c.stop_id, plan_stops.c.version)
            .where(
                plan_stops.c.day == day,
                plan_stops.c.van_id == van_id,
                plan_stops.c.version < version,
            )
            .order_by(plan_stops.c.version)
        )
    }
    if not earlier:
        return []
    now = {
        r.stop_id: r.van_id
        for r in conn.execute(
            select(plan_stops.c.stop_id, plan_stops.c.van_id).where(
                plan_stops.c.day == day,
                plan_stops.c.version == version,
                plan_stops.c.stop_id.in_(list(earlier)),
            )
        )
    }
    return [
        {"stop_id": s, "status": "moved", "to_van": now.get(s), "last_version": v}
        for s, v in sorted(earlier.items())
        if now.get(s) != van_id
    ]


def day_view(engine: Engine, day: str) -> dict[str, Any]:
    """Per van of the current version: how many stops are planned, arrived, delivered, failed."""
    with reading(engine) as conn:
        version = require_version(conn, day)
        rows = conn.execute(
            select(plan_stops.c.van_id, stop_status.c.status)
            .join(
                stop_status,
                (stop_status.c.day == plan_stops.c.day)
                & (stop_status.c.stop_id == plan_stops.c.stop_id),
            )
            .where(plan_stops.c.day == day, plan_stops.c.version == version)
        ).all()
        history = versions(conn, day)
    vans: dict[str, dict[str, int]] = {}
    for van, status in rows:
        counts = vans.setdefault(
            van, {"planned": 0, "arrived": 0, "delivered": 0, "failed": 0, "total": 0}
        )
        counts[status] += 1
        counts["total"] += 1
    return {
        "day": day,
        "plan_version": version,
        "versions": [
            {
                "version": h["version"],
                "scenario": h["scenario"],
                "published_at": iso_from_us(h["published_us"]),
                "published_by": h["published_by"],
            }
            for h in history
        ],
        "vans": dict(sorted(vans.items())),
    }
