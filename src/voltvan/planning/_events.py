"""What happened during the day, as re-planning reads it (``docs/formats/events.md``).

An events file is versioned JSON: a list of typed events. Each is validated on reading, and a bad
one is refused with the file and the field (``events[2].van_id``) so that a dispatcher can fix it.
Checks that need the scenario (known vans and stops) happen here too; checks that need the plan
(was the stop visited before the re-plan?) happen in the re-planner, naming the same field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voltvan.domain import Scenario, Stop, TimeWindow
from voltvan.errors import InvalidInput
from voltvan.files import read_json
from voltvan.scenario import parse_time

EVENTS_FORMAT_VERSION = 1
DEFAULT_RECOVERY_S = 3600.0
"""Time from a breakdown until the van's parcels are back at the depot, unless the event says."""
FAILURE_REASONS = ("not_at_home", "no_access", "refused", "damaged", "wrong_address", "other")
RETRIED_BY_DEFAULT = ("not_at_home", "no_access")


@dataclass(frozen=True, slots=True)
class OutOfService:
    van_id: str
    time_s: float
    parcels_at_depot_s: float
    field: str


@dataclass(frozen=True, slots=True)
class StopFailed:
    stop_id: str
    time_s: float
    reason: str
    retry: bool
    field: str


@dataclass(frozen=True, slots=True)
class NewStop:
    stop: Stop
    time_s: float
    field: str


@dataclass(frozen=True, slots=True)
class VanPosition:
    van_id: str
    time_s: float
    lat: float
    lon: float
    soc: float
    field: str


@dataclass(frozen=True, slots=True)
class Delay:
    van_id: str
    delay_s: float
    field: str


@dataclass(frozen=True, slots=True)
class Events:
    """All events of one file, by kind; ``source`` names the file in later errors."""

    out_of_service: Sequence[OutOfService] = ()
    failed: Sequence[StopFailed] = ()
    new_stops: Sequence[NewStop] = ()
    positions: Sequence[VanPosition] = ()
    delays: Sequence[Delay] = ()
    source: str = "events"

    def error(self, message: str, where: str) -> InvalidInput:
        return InvalidInput(message, file=self.source, field=where)


@dataclass
class _Reader:
    scenario: Scenario
    at_s: float
    source: str
    van_ids: set[str] = field(default_factory=set)
    stop_ids: set[str] = field(default_factory=set)

    def fail(self, message: str, where: str) -> InvalidInput:
        return InvalidInput(message, file=self.source, field=where)

    def get(self, item: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in item:
            raise self.fail(f"{key} is missing", f"{where}.{key}")
        return item[key]

    def time(self, item: Mapping[str, Any], key: str, where: str) -> float:
        try:
            t = parse_time(self.get(item, key, where), f"{where}.{key}")
        except InvalidInput as exc:
            raise exc.at(file=self.source) from None
        if key == "time" and t > self.at_s:
            raise self.fail(
                "is after the re-plan time: an event must have happened", f"{where}.{key}"
            )
        return t

    def number(self, item: Mapping[str, Any], key: str, where: str, lo: float, hi: float) -> float:
        value = self.get(item, key, where)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(f"{value!r} is not a number", f"{where}.{key}")
        if not lo <= value <= hi:
            raise self.fail(f"{value!r} is outside {lo:g}..{hi:g}", f"{where}.{key}")
        return float(value)

    def van(self, item: Mapping[str, Any], where: str) -> str:
        van_id = self.get(item, "van_id", where)
        if van_id not in self.van_ids:
            raise self.fail(f"unknown van {van_id!r}", f"{where}.van_id")
        return str(van_id)


def read_events(path: Path, scenario: Scenario, at_s: float) -> Events:
    """Read and validate an events file against the scenario and the re-plan time."""
    return parse_events(read_json(path), scenario, at_s, source=str(path))


def parse_events(data: Any, scenario: Scenario, at_s: float, *, source: str = "events") -> Events:
    r = _Reader(scenario, at_s, source)
    r.van_ids = {v.id for v in scenario.fleet.vans}
    r.stop_ids = {s.id for s in scenario.stops}
    if not isinstance(data, dict):
        raise r.fail("an events file is a JSON object with version and events", "version")
    if data.get("version") != EVENTS_FORMAT_VERSION:
        raise r.fail(
            f"events format version {data.get('version')!r} is not supported "
            f"(this voltvan reads version {EVENTS_FORMAT_VERSION})",
            "version",
        )
    items = data.get("events")
    if not isinstance(items, list):
        raise r.fail("events must be a list", "events")
    out: dict[str, list[Any]] = {k: [] for k in ("oos", "failed", "new", "pos", "delay")}
    for k, item in enumerate(items):
        where = f"events[{k}]"
        if not isinstance(item, dict):
            raise r.fail("an event is a JSON object", where)
        kind = r.get(item, "type", where)
        reader = _READERS.get(kind)
        if reader is None:
            raise r.fail(
                f"unknown event type {kind!r} (known: {', '.join(_READERS)})", f"{where}.type"
            )
        slot, event = reader(r, item, where)
        out[slot].append(event)
    _no_twice(r, out["oos"], "van_id", "is out of service twice")
    _no_twice(r, out["pos"], "van_id", "has two positions; give the latest only")
    _no_twice(r, out["delay"], "van_id", "has two delays; give the total")
    _no_twice(r, out["failed"], "stop_id", "failed twice")
    return Events(out["oos"], out["failed"], out["new"], out["pos"], out["delay"], source)


def _no_twice(r: _Reader, events: list[Any], key: str, message: str) -> None:
    seen: set[str] = set()
    for e in events:
        value = getattr(e, key)
        if value in seen:
            raise r.fail(f"{key.removesuffix('_id')} {value} {message}", f"{e.field}.{key}")
        seen.add(value)


def _out_of_service(r: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    van_id = r.van(item, where)
    t = r.time(item, "time", where)
    ready = t + DEFAULT_RECOVERY_S
    if "parcels_at_depot" in item:
        ready = r.time(item, "parcels_at_depot", where)
        if ready < t:
            raise r.fail("is before the van went out of service", f"{where}.parcels_at_depot")
    return "oos", OutOfService(van_id, t, ready, where)


def _stop_failed(r: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    stop_id = r.get(item, "stop_id", where)
    if stop_id not in r.stop_ids:
        raise r.fail(f"unknown stop {stop_id!r}", f"{where}.stop_id")
    t = r.time(item, "time", where)
    reason = r.get(item, "reason", where)
    if reason not in FAILURE_REASONS:
        raise r.fail(
            f"{reason!r} is not a reason (one of {', '.join(FAILURE_REASONS)})", f"{where}.reason"
        )
    retry = item.get("retry", reason in RETRIED_BY_DEFAULT)
    if not isinstance(retry, bool):
        raise r.fail(f"{retry!r} is not true or false", f"{where}.retry")
    return "failed", StopFailed(str(stop_id), t, str(reason), retry, where)


def _new_stop(r: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    t = r.time(item, "time", where)
    spec = r.get(item, "stop", where)
    at = f"{where}.stop"
    if not isinstance(spec, dict):
        raise r.fail("a new stop is a JSON object", at)
    stop_id = r.get(spec, "id", at)
    taken = (
        r.stop_ids
        | {d.id for d in r.scenario.fleet.depots}
        | {c.id for c in r.scenario.fleet.chargers}
    )
    if not isinstance(stop_id, str) or not stop_id or stop_id in taken:
        raise r.fail(f"{stop_id!r} is not a new, unused id", f"{at}.id")
    lat = r.number(spec, "lat", at, -90, 90)
    lon = r.number(spec, "lon", at, -180, 180)
    windows = (TimeWindow(0.0, 86_400.0),)
    if "tw_start" in spec or "tw_end" in spec:
        start, end = r.time(spec, "tw_start", at), r.time(spec, "tw_end", at)
        if end <= start:
            raise r.fail("ends before it starts", f"{at}.tw_end")
        windows = (TimeWindow(start, end),)
    values = {
        key: (r.number(spec, key, at, 0, 1e6) if key in spec else 0.0)
        for key in ("service_s", "weight_kg", "volume_m3")
    }
    stop = Stop(
        stop_id, lat, lon, windows, values["service_s"], values["weight_kg"], values["volume_m3"]
    )
    r.stop_ids.add(stop_id)
    return "new", NewStop(stop, t, where)


def _van_position(r: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    van_id = r.van(item, where)
    t = r.time(item, "time", where)
    lat = r.number(item, "lat", where, -90, 90)
    lon = r.number(item, "lon", where, -180, 180)
    soc = r.number(item, "soc", where, 0, 1)
    return "pos", VanPosition(van_id, t, lat, lon, soc, where)


def _delay(r: _Reader, item: Mapping[str, Any], where: str) -> tuple[str, Any]:
    van_id = r.van(item, where)
    return "delay", Delay(van_id, r.number(item, "delay_s", where, 0, 86_400), where)


_READERS = {
    "van_out_of_service": _out_of_service,
    "stop_failed": _stop_failed,
    "new_stop": _new_stop,
    "van_position": _van_position,
    "delay": _delay,
}
