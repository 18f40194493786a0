"""Plan versions of a day: publishing one (optimistic: the publisher names the version it built on).

A day's first version comes from the morning plan; later ones from re-planning. Each version is
the whole plan (``plan.json`` format), so a van's route is always read from one version, and the
table ``plan_stops`` says which van has which stop in which version (what moved, to whom).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from voltvan.domain import DAY_S, Stop, TimeWindow
from voltvan.errors import Conflict, InvalidInput, NotFound
from voltvan.ops._db import writing
from voltvan.ops._model import is_id
from voltvan.ops._schema import day_stops, plan_stops, plan_versions, stop_status
from voltvan.plan import Plan
from voltvan.telemetry import now_us


class StopDetails(BaseModel):
    """What the driver is told about a stop (from the scenario's ``stops.csv``); SI units."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    time_windows: list[tuple[float, float]] = Field(
        default_factory=list, description="[start_s, end_s] pairs, seconds since midnight"
    )
    service_s: float = Field(default=0.0, ge=0)
    weight_kg: float = Field(default=0.0, ge=0)
    volume_m3: float = Field(default=0.0, ge=0)
    parcels: int | None = Field(default=None, ge=0)
    name: str = ""
    address: str = ""
    note: str = ""


def details_of(stop: Stop) -> StopDetails:
    return StopDetails(
        id=stop.id,
        lat=stop.lat,
        lon=stop.lon,
        time_windows=[(tw.start_s, tw.end_s) for tw in stop.time_windows],
        service_s=stop.service_s,
        weight_kg=stop.weight_kg,
        volume_m3=stop.volume_m3,
        parcels=stop.parcels,
        name=stop.name,
        address=stop.address,
        note=stop.note,
    )


def stop_of(details: StopDetails) -> Stop:
    """The stop back from what was published about it (the inverse of :func:`details_of`)."""
    return Stop(
        id=details.id,
        lat=details.lat,
        lon=details.lon,
        time_windows=tuple(TimeWindow(a, b) for a, b in details.time_windows)
        or (TimeWindow(0.0, DAY_S),),
        service_s=details.service_s,
        weight_kg=details.weight_kg,
        volume_m3=details.volume_m3,
        parcels=details.parcels,
        name=details.name,
        address=details.address,
        note=details.note,
    )


def stop_details(conn: Connection, day: str, ids: list[str]) -> list[StopDetails]:
    rows = conn.execute(
        select(day_stops).where(day_stops.c.day == day, day_stops.c.stop_id.in_(ids))
    )
    return [
        StopDetails.model_validate({**json.loads(r.details_json), "id": r.stop_id}) for r in rows
    ]


def current_version(conn: Connection, day: str) -> int | None:
    found = conn.execute(
        select(func.max(plan_versions.c.version)).where(plan_versions.c.day == day)
    ).scalar()
    return int(found) if found is not None else None


def require_version(conn: Connection, day: str) -> int:
    version = current_version(conn, day)
    if version is None:
        raise NotFound(f"no plan is published for {day}")
    return version


def publish(
    engine: Engine,
    day: str,
    plan: Plan,
    stops: Iterable[StopDetails],
    *,
    base_version: int | None,
    by: str,
) -> int:
    """Store ``plan`` as the day's next version; return its number.

    ``base_version`` is the version the publisher built on (None for the day's first): when
    another version was published meanwhile, nothing is stored and :class:`Conflict` says so.
    """
    given = {s.id: s for s in stops}
    assignment = _assignment(plan)
    try:
        with writing(engine) as conn:
            current = current_version(conn, day)
            if current != base_version:
                raise Conflict(_stale(day, base_version, current))
            known = set(conn.execute(select(day_stops.c.stop_id).where(day_stops.c.day == day)))
            known_ids = {row[0] for row in known} | set(given)
            unknown = sorted(set(assignment) - known_ids)
            if unknown:
                raise InvalidInput(
                    f"the plan serves stop(s) not known for {day}: {', '.join(unknown[:10])} "
                    "(give their details)",
                    field="stops",
                )
            version = (current or 0) + 1
            _store(conn, day, version, plan, assignment, given, by)
    except IntegrityError:  # another publisher took this version number first
        raise Conflict(_stale(day, base_version, None)) from None
    return version


def _stale(day: str, base: int | None, current: int | None) -> str:
    now = f"version {current}" if current is not None else "a newer version"
    return (
        f"the plan of {day} changed: it is at {now}, this was built on "
        f"{'no plan' if base is None else f'version {base}'}; re-plan from the current version"
    )


def _assignment(plan: Plan) -> dict[str, tuple[str, int]]:
    """stop id -> (van id, position on its route); a stop on two routes is refused."""
    out: dict[str, tuple[str, int]] = {}
    for i, route in enumerate(plan.routes):
        if not is_id(route.van_id):
            raise InvalidInput(f"van id {route.van_id!r} is not valid", field=f"routes[{i}]")
        for seq, stop_id in enumerate(route.stop_ids):
            if not is_id(stop_id):
                raise InvalidInput(f"stop id {stop_id!r} is not valid", field=f"routes[{i}]")
            if stop_id in out:
                raise InvalidInput(
                    f"stop {stop_id} is on two routes ({out[stop_id][0]} and {route.van_id})",
                    field=f"routes[{i}]",
                )
            out[stop_id] = (route.van_id, seq)
    return out


def _store(
    conn: Connection,
    day: str,
    version: int,
    plan: Plan,
    assignment: Mapping[str, tuple[str, int]],
    given: Mapping[str, StopDetails],
    by: str,
) -> None:
    now = now_us()
    conn.execute(
        insert(plan_versions).values(
            day=day,
            version=version,
            scenario=plan.scenario[:200],
            plan_json=json.dumps(plan.to_dict(), separators=(",", ":")),
            published_us=now,
            published_by=by,
        )
    )
    if assignment:
        conn.execute(
            insert(plan_stops),
            [
                {"day": day, "version": version, "stop_id": s, "van_id": v, "seq": q}
                for s, (v, q) in assignment.items()
            ],
        )
    if given:
        conn.execute(
            delete(day_stops).where(day_stops.c.day == day, day_stops.c.stop_id.in_(list(given)))
        )
        conn.execute(
            insert(day_stops),
            [
                {"day": day, "stop_id": s, "details_json": d.model_dump_json(exclude={"id"})}
                for s, d in given.items()
            ],
        )
    have = {
        r[0] for r in conn.execute(select(stop_status.c.stop_id).where(stop_status.c.day == day))
    }
    new = [s for s in assignment if s not in have]
    if new:
        conn.execute(
            insert(stop_status),
            [{"day": day, "stop_id": s, "status": "planned", "updated_us": now} for s in new],
        )


def read_plan(conn: Connection, day: str, version: int) -> Plan:
    text = conn.execute(
        select(plan_versions.c.plan_json).where(
            plan_versions.c.day == day, plan_versions.c.version == version
        )
    ).scalar()
    if text is None:
        raise NotFound(f"{day} has no plan version {version}")
    return Plan.from_dict(json.loads(text), source=f"plan version {version} of {day}")


def versions(conn: Connection, day: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            plan_versions.c.version,
            plan_versions.c.scenario,
            plan_versions.c.published_us,
            plan_versions.c.published_by,
        )
        .where(plan_versions.c.day == day)
        .order_by(plan_versions.c.version)
    )
    return [dict(r._mapping) for r in rows]


def van_of(conn: Connection, day: str, version: int, stop_id: str) -> str | None:
    """The van that has ``stop_id`` in ``version`` (None: no van has it)."""
    found = conn.execute(
        select(plan_stops.c.van_id).where(
            plan_stops.c.day == day,
            plan_stops.c.version == version,
            plan_stops.c.stop_id == stop_id,
        )
    ).scalar()
    return str(found) if found is not None else None


def stop_is_known(conn: Connection, day: str, stop_id: str) -> bool:
    found = conn.execute(
        select(day_stops.c.stop_id).where(day_stops.c.day == day, day_stops.c.stop_id == stop_id)
    ).first()
    return found is not None


def stop_ids_of(conn: Connection, day: str, version: int, van_id: str) -> Sequence[str]:
    rows = conn.execute(
        select(plan_stops.c.stop_id)
        .where(
            plan_stops.c.day == day,
            plan_stops.c.version == version,
            plan_stops.c.van_id == van_id,
        )
        .order_by(plan_stops.c.seq)
    )
    return [r[0] for r in rows]
