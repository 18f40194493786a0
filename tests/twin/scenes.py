"""Small hand-made days for the twin: places on a line east of a depot, routes built by hand.

The twin reads from a plan only the order of visits, the departure time and what each charge
stop should bring the battery to, so routes here carry just those (and a plausible SoC line).
"""

from __future__ import annotations

from collections.abc import Sequence

from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Scenario,
    Stop,
    TimeWindow,
    Van,
    VehicleType,
)
from voltvan.plan import Plan, Route, Visit, VisitKind
from voltvan.travel import TravelParams
from voltvan.twin import TwinParams

LAT, LON = 52.5, 13.4
#: Degrees of longitude per kilometre at 52.5° N (great circle; the exact figure does not matter).
DEG_PER_KM = 1.0 / (111.32 * 0.6088)
SPEED_KMH = 36.0
TRAVEL = TravelParams.constant(SPEED_KMH)
DEPART_S = 8 * 3600.0

#: No randomness at all: every number of a day follows from the models.
QUIET = TwinParams(
    leg_sigma_free=0.0,
    leg_sigma_peak=0.0,
    service_sigma=0.0,
    fail_share=0.0,
    style_sigma=0.0,
    leg_energy_sigma=0.0,
    payload_sigma=0.0,
    ambient_sigma_c=0.0,
)


def east(km: float) -> tuple[float, float]:
    return LAT, LON + km * DEG_PER_KM


def van_type(battery_wh: float = 60_000.0) -> VehicleType:
    return VehicleType("e-van", battery_wh=battery_wh, mass_kg=2_000.0, payload_kg=1_000.0,
                       volume_m3=10.0, reserve_fraction=0.1, max_dc_power_w=50_000.0)  # fmt: skip


def stop(
    sid: str, km: float, *, window: tuple[float, float] | None = None, kg: float = 20.0
) -> Stop:
    lat, lon = east(km)
    tws = (TimeWindow(*window),) if window else (TimeWindow(0.0, 86_400.0),)
    return Stop(sid, lat, lon, time_windows=tws, service_s=90.0, weight_kg=kg)


def charger(cid: str, km: float, *, connectors: int = 1, power_w: float = 50_000.0) -> Charger:
    lat, lon = east(km)
    return Charger(cid, lat, lon, power_w=power_w, connectors=connectors)


def scenario(
    stops: Sequence[Stop],
    *,
    vans: int = 1,
    chargers: Sequence[Charger] = (),
    battery_wh: float = 60_000.0,
    start_soc: float = 1.0,
    shift: tuple[float, float] = (7 * 3600.0, 19 * 3600.0),
) -> Scenario:
    fleet = Fleet(
        depots=(Depot("D", LAT, LON),),
        vehicle_types=(van_type(battery_wh),),
        vans=tuple(
            Van(f"V{k}", "e-van", "D", shift=TimeWindow(*shift), start_soc=start_soc)
            for k in range(1, vans + 1)
        ),
        chargers=tuple(chargers),
        ambient_c=0.0,
    )
    return Scenario(fleet=fleet, stops=tuple(stops), name="hand-made")


def route(
    scn: Scenario,
    van_id: str,
    seq: Sequence[tuple[VisitKind, str]],
    *,
    charge_to_soc: float = 0.8,
    depart_s: float = DEPART_S,
) -> Route:
    """A route visiting ``seq`` in order; each charge stop should bring the SoC to
    ``charge_to_soc`` (it arrives empty in the plan's book, so ``charge_wh`` is the whole)."""
    vt = scn.fleet.vehicle_types[0]
    places = {s.id: (s.lat, s.lon) for s in scn.stops}
    places |= {c.id: (c.lat, c.lon) for c in scn.fleet.chargers}
    places["D"] = (LAT, LON)
    visits = []
    full = [("start", "D"), *seq, ("end", "D")]
    for k, (kind, loc) in enumerate(full):
        lat, lon = places[loc]
        t = depart_s + 600.0 * k
        charge = charge_to_soc * vt.battery_wh if kind == "charge" else 0.0
        soc = 0.0 if kind == "charge" else 0.5
        visits.append(Visit(kind, loc, lat, lon, t, t, t, 0.0, 0.0, soc * vt.battery_wh, soc,
                            charge_wh=charge))  # fmt: skip
    return Route(van_id, vt.id, "D", tuple(visits), 0.0, 0.0, 0.0, 0.0)


def plan(scn: Scenario, *routes: Route) -> Plan:
    return Plan(scenario=scn.name, routes=tuple(routes))
