"""What the report shows, computed once from a plan and its scenario, before any HTML is written.

The map, the chart and the tables all read these rows, so a van has the same colour, the same
minimum SoC and the same SoC curve everywhere on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain import Scenario, format_hhmm
from voltvan.errors import InvalidInput
from voltvan.plan import Plan, Route, Visit

# Distinct on white and for the common colour-vision deficiencies first (Okabe-Ito, then
# Tableau 20 shades); beyond that, hues step by the golden angle so that large fleets get no
# two neighbours alike (the van id in legend and popups tells any two apart for sure).
PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#7f3c8d",
    "#3b8b2e",
    "#1f4e79",
    "#b8860b",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#6b6ecf",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
    "#843c39",
    "#7b4173",
)


def van_colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    hue = (index * 137.508) % 360.0
    lightness = (38, 48, 58)[index % 3]
    return f"hsl({hue:.0f}, 65%, {lightness}%)"


@dataclass(frozen=True, slots=True)
class SocPoint:
    """One corner of a van's SoC curve; ``charging`` marks the end of a charging segment."""

    t_s: float
    soc: float
    charging: bool = False


@dataclass(frozen=True, slots=True)
class RouteView:
    """One route as the report lists it (distances in m, energy in Wh, SoC as a fraction)."""

    route: Route
    colour: str
    battery_wh: float
    reserve_fraction: float
    soc_curve: tuple[SocPoint, ...]

    @property
    def van_id(self) -> str:
        return self.route.van_id

    @property
    def num_stops(self) -> int:
        return len(self.route.stop_ids)

    @property
    def num_charges(self) -> int:
        return len(self.route.charge_visits)

    @property
    def min_soc(self) -> float:
        return min(p.soc for p in self.soc_curve)

    @property
    def waiting_s(self) -> float:
        """Time spent waiting for time windows to open: slack a dispatcher might fill."""
        return sum(v.start_s - v.arrival_s for v in self.route.visits if v.kind == "stop")

    @property
    def is_below_reserve(self) -> bool:
        """Below the reserve anywhere: the plan breaks its own rule (0.1 point of slack)."""
        return self.min_soc < self.reserve_fraction - 1e-3

    @property
    def is_near_reserve(self) -> bool:
        """Within two points of the reserve: feasible, but a dispatcher should know."""
        return self.min_soc < self.reserve_fraction + 0.02


def battery_wh_of(route: Route, scenario: Scenario) -> float:
    """The route's usable battery; inferred from energy/SoC when the scenario lacks the type."""
    for vt in scenario.fleet.vehicle_types:
        if vt.id == route.vehicle_type_id:
            return vt.battery_wh
    for v in route.visits:
        if v.soc > 0.0 and v.energy_wh > 0.0:
            return v.energy_wh / v.soc
    return 1.0


def reserve_of(route: Route, scenario: Scenario) -> float:
    for vt in scenario.fleet.vehicle_types:
        if vt.id == route.vehicle_type_id:
            return vt.reserve_fraction
    return 0.0


def soc_curve(visits: tuple[Visit, ...], battery_wh: float) -> tuple[SocPoint, ...]:
    """SoC over the day: flat while waiting and serving, rising while charging, falling driving.

    A visit's SoC is on arrival; charging runs from ``start_s`` to ``departure_s`` and adds
    ``charge_wh``. Driving energy is drawn between one departure and the next arrival.
    """
    points: list[SocPoint] = []
    for i, v in enumerate(visits):
        if i > 0:
            points.append(SocPoint(v.arrival_s, v.soc))
        if v.charge_wh > 0.0:
            points.append(SocPoint(v.start_s, v.soc))
            after = (v.energy_wh + v.charge_wh) / battery_wh
            points.append(SocPoint(v.departure_s, after, charging=True))
        elif i < len(visits) - 1:
            points.append(SocPoint(v.departure_s, v.soc))
    if not points and visits:
        points.append(SocPoint(visits[0].departure_s, visits[0].soc))
    return tuple(points)


def route_views(plan: Plan, scenario: Scenario) -> list[RouteView]:
    """One view per route; a route without visits is a broken plan, named as such."""
    views = []
    for i, r in enumerate(plan.routes):
        if not r.visits:
            raise InvalidInput(f"plan: route of van {r.van_id!r} has no visits", field="visits")
        battery = battery_wh_of(r, scenario)
        views.append(
            RouteView(
                route=r,
                colour=van_colour(i),
                battery_wh=battery,
                reserve_fraction=reserve_of(r, scenario),
                soc_curve=soc_curve(r.visits, battery),
            )
        )
    return views


def window_text(scenario: Scenario, stop_id: str) -> str:
    """The stop's time windows as ``08:00–12:00``; empty when the scenario does not know it."""
    for s in scenario.stops:
        if s.id == stop_id:
            return ", ".join(
                f"{format_hhmm(w.start_s)}–{format_hhmm(w.end_s)}" for w in s.time_windows
            )
    return ""


@dataclass(frozen=True, slots=True)
class Summary:
    """The cards at the top of the report."""

    vans_used: int
    vans_total: int
    stops_served: int
    stops_unassigned: int
    distance_m: float
    energy_wh: float
    charged_wh: float
    num_charges: int
    min_soc: float | None
    min_soc_van: str
    num_near_reserve: int
    num_below_reserve: int


def summarise(plan: Plan, scenario: Scenario, views: list[RouteView]) -> Summary:
    used = [v for v in views if v.num_stops > 0]
    lowest = min(views, key=lambda v: v.min_soc, default=None)
    return Summary(
        vans_used=len(used),
        vans_total=len(scenario.fleet.vans),
        stops_served=plan.num_stops_served,
        stops_unassigned=len(plan.unassigned),
        distance_m=plan.distance_m,
        energy_wh=plan.energy_wh,
        charged_wh=sum(r.charged_wh for r in plan.routes),
        num_charges=sum(v.num_charges for v in views),
        min_soc=lowest.min_soc if lowest is not None else None,
        min_soc_van=lowest.van_id if lowest is not None else "",
        num_near_reserve=sum(v.is_near_reserve and not v.is_below_reserve for v in views),
        num_below_reserve=sum(v.is_below_reserve for v in views),
    )
