"""A hand-built route with round numbers: the console's arithmetic is checked against it."""

from __future__ import annotations

from voltvan.plan import Plan, Route, Visit

BATTERY_WH = 50_000.0
DEPOT = (52.50, 13.40)


def visit(
    kind: str, loc: str, arrival_s: float, leg_wh: float, energy_wh: float, *,
    lat: float = 52.52, lon: float = 13.45, service_s: float = 300.0, charge_wh: float = 0.0,
) -> Visit:  # fmt: skip
    return Visit(
        kind,  # type: ignore[arg-type]
        loc, lat, lon, arrival_s, arrival_s, arrival_s + service_s, 0.0, 0.0,
        energy_wh, energy_wh / BATTERY_WH, 1_000.0, leg_wh, charge_wh,
    )  # fmt: skip


def route(van: str = "V1", legs_wh: tuple[float, ...] = (5_000, 5_000, 10_000, 5_000)) -> Route:
    """Depot 08:00 -> A 08:10 -> B 08:25 -> C 08:40 -> depot 08:55; energy per leg ``legs_wh``
    from a full 50 kWh battery (A 90 %, B 80 %, C 60 %, back 50 % with the default legs)."""
    energy = BATTERY_WH
    visits = [visit("start", "D1", 28_800, 0, energy, lat=DEPOT[0], lon=DEPOT[1], service_s=0)]
    for i, (loc, leg) in enumerate(zip(("A", "B", "C"), legs_wh, strict=False)):
        energy -= leg
        visits.append(visit("stop", loc, 29_400 + 900 * i, leg, energy, lat=52.52 + i / 100))
    energy -= legs_wh[-1]
    visits.append(
        visit("end", "D1", 32_100, legs_wh[-1], energy, lat=DEPOT[0], lon=DEPOT[1], service_s=0)
    )
    return Route(van, "t", "D1", tuple(visits), 10_000.0, sum(legs_wh), 0.0, sum(legs_wh))


def plan(*routes: Route) -> Plan:
    return Plan(scenario="hand", routes=routes or (route(),))
