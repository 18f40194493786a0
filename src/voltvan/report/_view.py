"""What the report shows, computed once from a plan and its scenario, before any HTML is written.

The map, the chart and the tables all read these rows, so a van has the same colour, the same
minimum SoC and the same SoC curve everywhere on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain import DAY_S, Scenario, Stop, TimeWindow, VehicleType, format_hhmm
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
    """One route as the report lists it (distances in m, energy in Wh, SoC as a fraction).

    ``model`` is what a dispatcher calls the van ("Ford E-Transit"), not the type's id;
    ``payload_kg``/``cargo_m3`` are ``None`` when the scenario does not know the type.
    """

    route: Route
    colour: str
    battery_wh: float
    reserve_fraction: float
    soc_curve: tuple[SocPoint, ...]
    model: str = ""
    payload_kg: float | None = None
    cargo_m3: float | None = None

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
        """Idle time: early for a time window, or queueing for a charger (not charging itself).

        Slack a dispatcher might fill; :mod:`voltvan.report._waiting` explains it.
        """
        return sum(
            max(v.start_s - v.arrival_s, 0.0)
            for v in self.route.visits
            if v.kind in ("stop", "charge")
        )

    @property
    def load_kg(self) -> float:
        """Weight on board when the van leaves the depot."""
        return self.route.visits[0].load_kg

    @property
    def load_m3(self) -> float:
        return self.route.visits[0].load_m3

    @property
    def load_share_kg(self) -> float | None:
        """Weight at departure as a share of the payload (``None``: capacity unknown)."""
        return self.load_kg / self.payload_kg if self.payload_kg else None

    @property
    def load_share_m3(self) -> float | None:
        return self.load_m3 / self.cargo_m3 if self.cargo_m3 else None

    @property
    def sequence(self) -> tuple[tuple[int | None, Visit], ...]:
        """The visits between leaving and returning, stops numbered 1, 2, ... in driving order.

        Charge stops get no number (``None``), so stop numbers on the map, the run sheet and
        the count of stops agree.
        """
        out: list[tuple[int | None, Visit]] = []
        n = 0
        for v in self.route.visits:
            if v.kind == "stop":
                n += 1
                out.append((n, v))
            elif v.kind == "charge":
                out.append((None, v))
        return tuple(out)

    @property
    def is_below_reserve(self) -> bool:
        """Below the reserve anywhere: the plan breaks its own rule (0.1 point of slack)."""
        return self.min_soc < self.reserve_fraction - 1e-3

    @property
    def is_near_reserve(self) -> bool:
        """Within two points of the reserve: feasible, but a dispatcher should know."""
        return self.min_soc < self.reserve_fraction + 0.02


def vehicle_type_of(route: Route, scenario: Scenario) -> VehicleType | None:
    for vt in scenario.fleet.vehicle_types:
        if vt.id == route.vehicle_type_id:
            return vt
    return None


def battery_wh_of(route: Route, scenario: Scenario) -> float:
    """The route's usable battery; inferred from energy/SoC when the scenario lacks the type."""
    vt = vehicle_type_of(route, scenario)
    if vt is not None:
        return vt.battery_wh
    for v in route.visits:
        if v.soc > 0.0 and v.energy_wh > 0.0:
            return v.energy_wh / v.soc
    return 1.0


def reserve_of(route: Route, scenario: Scenario) -> float:
    vt = vehicle_type_of(route, scenario)
    return vt.reserve_fraction if vt is not None else 0.0


def model_of(vt: VehicleType | None, type_id: str) -> str:
    """The van's model as fleet.toml names it (the type's ``name``), else the type's id."""
    return vt.name if vt is not None and vt.name else type_id


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
        vt = vehicle_type_of(r, scenario)
        views.append(
            RouteView(
                route=r,
                colour=van_colour(i),
                battery_wh=battery,
                reserve_fraction=reserve_of(r, scenario),
                soc_curve=soc_curve(r.visits, battery),
                model=model_of(vt, r.vehicle_type_id),
                payload_kg=vt.payload_kg if vt is not None else None,
                cargo_m3=vt.volume_m3 if vt is not None else None,
            )
        )
    return views


def window_text(stop: Stop | None) -> str:
    """The stop's time windows as ``08:00–12:00`` (``any time`` for the whole day); empty for a
    stop the scenario does not know (``None``). Callers look the stop up in one index per
    report: a scan of the stops per visit made a 40,000-stop day's report take 80 s."""
    if stop is None:
        return ""
    if len(stop.time_windows) == 1 and stop.time_windows[0] == TimeWindow(0.0, DAY_S):
        return "any time"
    return ", ".join(f"{format_hhmm(w.start_s)}–{format_hhmm(w.end_s)}" for w in stop.time_windows)


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
