"""Small depots and plans for the charging tests, small enough to check by hand."""

from __future__ import annotations

import pytest

from voltvan.charging import ChargeRequest, Connector, DepotProblem
from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Tariff,
    TariffPeriod,
    Van,
    VehicleType,
)
from voltvan.plan import Plan, Route, Visit

H = 3600.0

NIGHT_TARIFF = Tariff(
    periods=(
        TariffPeriod(0.0, 7 * H, 0.10),
        TariffPeriod(7 * H, 17 * H, 0.20),
        TariffPeriod(17 * H, 22 * H, 0.40),
        TariffPeriod(22 * H, 24 * H, 0.10),
    ),
    demand_charge_per_kw=2.0,
)


def request(
    vid: str,
    arrive_h: float,
    depart_h: float,
    soc: float,
    need_wh: float,
    *,
    charger_id: str | None = None,
) -> ChargeRequest:
    return ChargeRequest(
        vid, 60_000, arrive_h * H, depart_h * H, soc, need_wh, 11_000, 50_000, charger_id=charger_id
    )


@pytest.fixture
def three_vans_two_plugs() -> DepotProblem:
    """Three vans share two 11 kW plugs under a 15 kW site limit overnight."""
    reqs = (
        request("A", 18, 30, 0.2, 40_000),
        request("B", 19, 31, 0.3, 45_000),
        request("C", 20, 31, 0.1, 30_000),
    )
    conns = (Connector("CP1", 1, 11_000), Connector("CP1", 2, 11_000))
    return DepotProblem(reqs, conns, site_limit_w=15_000, tariff=NIGHT_TARIFF)


def _visit(
    kind: str, loc: str, t: float, soc: float, lat: float = 52.5, lon: float = 13.4
) -> Visit:
    return Visit(kind, loc, lat, lon, t, t, t, 0.0, 0.0, soc * 60_000, soc)  # type: ignore[arg-type]


def route(van_id: str, start_h: float, end_h: float, need_wh: float) -> Route:
    return Route(
        van_id=van_id,
        vehicle_type_id="e",
        depot_id="D",
        visits=(
            _visit("start", "D", start_h * H, 0.9),
            _visit("stop", "S1", (start_h + 1) * H, 0.6, 52.55, 13.45),
            _visit("end", "D", end_h * H, 0.2),
        ),
        distance_m=80_000,
        energy_wh=need_wh - 6_000,
        charged_wh=0.0,
        energy_needed_wh=need_wh,
    )


@pytest.fixture
def small_fleet() -> Fleet:
    """One depot with two 2-plug AC chargers, a public DC charger and three 60 kWh vans."""
    vt = VehicleType(id="e", battery_wh=60_000, mass_kg=2_500, payload_kg=1_000, volume_m3=10)
    return Fleet(
        depots=(Depot("D", 52.5, 13.4, site_power_limit_w=30_000),),
        vehicle_types=(vt,),
        vans=tuple(Van(f"V{i}", "e", "D") for i in (1, 2, 3)),
        chargers=(
            Charger(
                "CP1", 52.5, 13.4, 11_000, connectors=2, kind="depot", current="AC", depot_id="D"
            ),
            Charger(
                "CP2", 52.5, 13.4, 22_000, connectors=2, kind="depot", current="AC", depot_id="D"
            ),
            Charger("PUB1", 52.56, 13.46, 150_000, kind="public", current="DC"),
            Charger("PUB2", 48.1, 11.5, 150_000, kind="public", current="DC"),
        ),
        tariff=NIGHT_TARIFF,
    )


@pytest.fixture
def small_plan() -> Plan:
    """Tomorrow: three routes of 30-50 kWh leaving at 06:00-08:00."""
    return Plan(
        scenario="small",
        routes=(route("V1", 6, 15, 50_000), route("V2", 7, 16, 40_000), route("V3", 8, 17, 30_000)),
    )
