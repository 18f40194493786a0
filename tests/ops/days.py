"""Small plans and stop details built in code, so each test says exactly what the day holds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from voltvan.ops import EventIn, StopDetails
from voltvan.plan import Plan, Route, Visit

DAY = "2026-03-02"
#: The smallest valid PNG signature header (magic bytes and more): enough for the sniffing.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _visit(kind: Any, loc: str, t_s: float) -> Visit:
    return Visit(kind, loc, 52.5, 13.4, t_s, t_s, t_s + 60, 0.0, 0.0, 50_000.0, 0.8)


def one_day(routes: Mapping[str, Sequence[str]]) -> tuple[Plan, list[StopDetails]]:
    """A plan whose van ``V`` serves ``routes[V]`` in order, and the details of every stop."""
    built = []
    for van, stops in routes.items():
        visits = [_visit("start", "D1", 7 * 3600)]
        visits += [_visit("stop", s, 8 * 3600 + 600 * i) for i, s in enumerate(stops)]
        visits.append(_visit("end", "D1", 12 * 3600))
        built.append(Route(van, "vt", "D1", tuple(visits), 1000.0, 500.0, 0.0, 500.0))
    details = [
        StopDetails(id=s, lat=52.5, lon=13.4, parcels=2, name=f"Customer {s}", note="ring twice")
        for stops in routes.values()
        for s in stops
    ]
    return Plan(scenario="test-day", routes=tuple(built)), details


def event(
    stop_id: str,
    kind: str = "delivered",
    *,
    version: int = 1,
    at: dt.datetime | None = None,
    event_id: uuid.UUID | None = None,
    **extra: Any,
) -> EventIn:
    data: dict[str, Any] = {
        "event_id": str(event_id or uuid.uuid4()),
        "stop_id": stop_id,
        "kind": kind,
        "at": (at or dt.datetime.now(dt.UTC)).isoformat(),
        "plan_version": version,
    }
    data.update(extra)
    return EventIn.model_validate(data)
