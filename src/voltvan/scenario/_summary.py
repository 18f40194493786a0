"""Figures a dispatcher checks before planning a day: demand against capacity, window mix, chargers.

Kept apart from the CLI so that tests and reports read the same numbers the table shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from voltvan.domain import Scenario, Stop

WindowKind = str  # "any", "slot", "all-day", "two windows", "other"


def window_kind(stop: Stop) -> WindowKind:
    """Classify a stop's windows: any time, a slot of up to 3 h, all-day (6 h+), or two windows."""
    tws = stop.time_windows
    if len(tws) > 1:
        return "two windows"
    span = tws[0].duration_s
    if span >= 20 * 3600:
        return "any"
    if span <= 3 * 3600:
        return "slot"
    if span >= 6 * 3600:
        return "all-day"
    return "other"


@dataclass(frozen=True, slots=True)
class ScenarioSummary:
    name: str
    date: str
    ambient_c: float
    num_stops: int
    vans_by_type: dict[str, int]
    total_weight_kg: float
    capacity_kg: float
    total_volume_m3: float
    capacity_m3: float
    windows: dict[WindowKind, int]
    total_service_s: float
    num_public_chargers: int
    public_connectors: int
    public_max_kw: float
    num_depot_chargers: int
    depot_connectors: int
    site_limit_kw: float | None
    has_matrix: bool

    @property
    def weight_share(self) -> float:
        return self.total_weight_kg / self.capacity_kg

    @property
    def volume_share(self) -> float:
        return self.total_volume_m3 / self.capacity_m3


def summarize(scenario: Scenario) -> ScenarioSummary:
    fleet = scenario.fleet
    types = {t.id: t for t in fleet.vehicle_types}
    public = [c for c in fleet.chargers if c.kind == "public"]
    depot = [c for c in fleet.chargers if c.kind == "depot"]
    limits = [d.site_power_limit_w for d in fleet.depots if d.site_power_limit_w is not None]
    kinds = Counter(window_kind(s) for s in scenario.stops)
    return ScenarioSummary(
        name=scenario.name,
        date=fleet.date,
        ambient_c=fleet.ambient_c,
        num_stops=len(scenario.stops),
        vans_by_type=dict(Counter(v.type_id for v in fleet.vans)),
        total_weight_kg=sum(s.weight_kg for s in scenario.stops),
        capacity_kg=sum(types[v.type_id].payload_kg for v in fleet.vans),
        total_volume_m3=sum(s.volume_m3 for s in scenario.stops),
        capacity_m3=sum(types[v.type_id].volume_m3 for v in fleet.vans),
        windows={k: kinds.get(k, 0) for k in ("any", "slot", "all-day", "two windows", "other")},
        total_service_s=sum(s.service_s for s in scenario.stops),
        num_public_chargers=len(public),
        public_connectors=sum(c.connectors for c in public),
        public_max_kw=max((c.power_w for c in public), default=0.0) / 1000,
        num_depot_chargers=len(depot),
        depot_connectors=sum(c.connectors for c in depot),
        site_limit_kw=sum(limits) / 1000 if limits else None,
        has_matrix=scenario.matrix is not None,
    )
