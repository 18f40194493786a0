"""The plan as data: routes with timing, load and state of charge, charge stops, unassigned stops.

A plan is what the planner produces and what charging, the digital twin, the report and the driver
cockpit read. It is plain data with a versioned JSON form (``docs/formats/plan.md``) and a
GeoJSON view for maps. It knows nothing about how it was found.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from voltvan.errors import InvalidInput
from voltvan.files import read_json

PLAN_FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 plans (no revisions, no mid-day visit kinds) are still read as they are."""

VisitKind = Literal["start", "stop", "charge", "end", "resume", "reload", "failed"]


@dataclass(frozen=True, slots=True)
class Visit:
    """One place on a route, with the van's state when it gets there.

    ``arrival_s`` is when the van arrives, ``start_s`` when service or charging begins (after
    waiting for the time window), ``departure_s`` when it leaves. ``load_kg``/``load_m3`` and
    ``energy_wh``/``soc`` are on arrival; ``charge_wh`` is the energy charged here (charge visits).

    A re-planned route also knows ``resume`` (where and in what state the van continues when the
    plan was re-made: observed, not driven by plan), ``reload`` (parcels loaded at the depot for a
    second trip) and ``failed`` (a delivery tried before the re-plan that did not succeed).
    """

    kind: VisitKind
    location_id: str
    lat: float
    lon: float
    arrival_s: float
    start_s: float
    departure_s: float
    load_kg: float
    load_m3: float
    energy_wh: float
    soc: float
    distance_from_prev_m: float = 0.0
    energy_from_prev_wh: float = 0.0
    charge_wh: float = 0.0


@dataclass(frozen=True, slots=True)
class Route:
    """One van's day: from its depot through stops (and charge stops) back to its depot."""

    van_id: str
    vehicle_type_id: str
    depot_id: str
    visits: tuple[Visit, ...]
    distance_m: float
    energy_wh: float
    charged_wh: float
    energy_needed_wh: float
    out_of_service_s: float | None = None
    """When the van went out of service; its route then ends there, without an ``end`` visit."""

    @property
    def start_s(self) -> float:
        return self.visits[0].departure_s

    @property
    def end_s(self) -> float:
        return self.visits[-1].arrival_s

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def stop_ids(self) -> list[str]:
        return [v.location_id for v in self.visits if v.kind == "stop"]

    @property
    def resume_index(self) -> int | None:
        """Index of the last ``resume`` visit, where the latest re-plan took over (None if none).

        A route resumes once per re-plan it went through; what comes before its last ``resume``
        had happened when the plan was last re-made.
        """
        for k in range(len(self.visits) - 1, -1, -1):
            if self.visits[k].kind == "resume":
                return k
        return None

    @property
    def charge_visits(self) -> list[Visit]:
        return [v for v in self.visits if v.kind == "charge"]

    @property
    def min_soc(self) -> float:
        return min(v.soc for v in self.visits)


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A stop the plan does not serve, and why (never dropped silently)."""

    stop_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Parent:
    """The plan a re-plan was made from: its revision and when during the day it was re-made."""

    revision: int
    replanned_at_s: float


@dataclass(frozen=True, slots=True)
class Plan:
    """Routes, unassigned stops and how the plan was made (solver, runtime, seed).

    ``revision`` counts the versions of one day's plan (0 for the morning plan); a re-plan names
    its ``parent``.
    """

    scenario: str
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)
    version: int = PLAN_FORMAT_VERSION
    revision: int = 0
    parent: Parent | None = None

    @property
    def distance_m(self) -> float:
        return sum(r.distance_m for r in self.routes)

    @property
    def energy_wh(self) -> float:
        return sum(r.energy_wh for r in self.routes)

    @property
    def num_stops_served(self) -> int:
        return sum(len(r.stop_ids) for r in self.routes)

    def route_of(self, van_id: str) -> Route:
        for r in self.routes:
            if r.van_id == van_id:
                return r
        raise InvalidInput(f"the plan has no route for van {van_id!r}", field="van_id")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": PLAN_FORMAT_VERSION,
            "scenario": self.scenario,
            "revision": self.revision,
            "parent": None if self.parent is None else asdict(self.parent),
            "summary": {
                "routes": len(self.routes),
                "stops_served": self.num_stops_served,
                "unassigned": len(self.unassigned),
                "distance_m": self.distance_m,
                "energy_wh": self.energy_wh,
            },
            "routes": [],
            "unassigned": [asdict(u) for u in self.unassigned],
            "stats": dict(self.stats),
        }
        for r in self.routes:
            d = asdict(r)
            d["start_s"], d["end_s"] = r.start_s, r.end_s
            out["routes"].append(d)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "plan") -> Plan:
        try:
            version = int(data.get("version", 0))
            if version not in READABLE_VERSIONS:
                raise InvalidInput(
                    f"plan format version {version} is not supported "
                    f"(this voltvan reads versions {', '.join(map(str, READABLE_VERSIONS))})",
                    file=source,
                    field="version",
                )
            routes = tuple(
                Route(
                    van_id=r["van_id"],
                    vehicle_type_id=r["vehicle_type_id"],
                    depot_id=r["depot_id"],
                    visits=tuple(Visit(**v) for v in r["visits"]),
                    distance_m=float(r["distance_m"]),
                    energy_wh=float(r["energy_wh"]),
                    charged_wh=float(r["charged_wh"]),
                    energy_needed_wh=float(r["energy_needed_wh"]),
                    out_of_service_s=_optional_float(r.get("out_of_service_s")),
                )
                for r in data["routes"]
            )
            unassigned = tuple(Unassigned(**u) for u in data.get("unassigned", []))
            parent_data = data.get("parent")
            parent = None
            if parent_data is not None:
                parent = Parent(
                    revision=int(parent_data["revision"]),
                    replanned_at_s=float(parent_data["replanned_at_s"]),
                )
            revision = int(data.get("revision", 0))
        except InvalidInput:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a voltvan plan: {exc!r}", file=source) from exc
        return cls(
            scenario=str(data.get("scenario", "")),
            routes=routes,
            unassigned=unassigned,
            stats=dict(data.get("stats", {})),
            version=version,
            revision=revision,
            parent=parent,
        )

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def read_json(cls, path: Path) -> Plan:
        return cls.from_dict(read_json(path), source=str(path))

    def to_geojson(self) -> dict[str, Any]:
        """Routes as LineStrings and visits as Points (lon/lat order, as GeoJSON wants)."""
        features: list[dict[str, Any]] = []
        for r in self.routes:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[v.lon, v.lat] for v in r.visits],
                    },
                    "properties": {
                        "kind": "route",
                        "van_id": r.van_id,
                        "vehicle_type_id": r.vehicle_type_id,
                        "distance_m": r.distance_m,
                        "energy_wh": r.energy_wh,
                        "stops": len(r.stop_ids),
                    },
                }
            )
            for seq, v in enumerate(r.visits):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]},
                        "properties": {
                            "kind": v.kind,
                            "van_id": r.van_id,
                            "sequence": seq,
                            "location_id": v.location_id,
                            "arrival_s": v.arrival_s,
                            "soc": v.soc,
                            "charge_wh": v.charge_wh,
                        },
                    }
                )
        return {"type": "FeatureCollection", "features": features}

    def write_geojson(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_geojson()) + "\n", encoding="utf-8")


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)
