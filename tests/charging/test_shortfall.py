"""Shortfalls come with fixes the plan allows: a verified swap, earlier plug-in, a public stop."""

from __future__ import annotations

from tests.charging.conftest import request
from voltvan.charging import Connector, DepotProblem, schedule_depot
from voltvan.charging._build import Arrival, problem_from_plan
from voltvan.charging._shortfall import propose_fixes
from voltvan.domain import Fleet
from voltvan.plan import Plan


def test_swap_gives_the_short_van_the_shorter_route() -> None:
    """A late van with a long route swaps with an early van whose route is short."""
    reqs = (
        request("LATE", 4, 6, 0.3, 50_000),
        request("EARLY", 4, 6, 0.9, 20_000),
    )
    p = DepotProblem(reqs, (Connector("CP1", 1, 11_000), Connector("CP1", 2, 11_000)), 30_000)
    s = propose_fixes(p, schedule_depot(p))
    (sf,) = s.shortfalls
    assert sf["vehicle_id"] == "LATE"
    kinds = [f["kind"] for f in sf["fixes"]]
    assert kinds[0] == "swap_routes"
    assert sf["fixes"][0]["with_vehicle_id"] == "EARLY"
    assert sf["fixes"][0]["shortfall_after_wh"] < sf["shortfall_wh"]
    early = next(f for f in sf["fixes"] if f["kind"] == "earlier_plug_in")
    assert early["plug_in_by"] < 4 * 3600


def test_charging_stop_names_the_public_charger_near_the_route(
    small_fleet: Fleet, small_plan: Plan
) -> None:
    """The stop proposed is the public charger closest to the route, not the far one."""
    p = problem_from_plan(
        small_fleet,
        small_plan,
        arrivals={
            "V1": Arrival(28.5 * 3600, 0.05),
            "V2": Arrival(20 * 3600, 0.9),
            "V3": Arrival(20 * 3600, 0.9),
        },
    )
    s = propose_fixes(p, schedule_depot(p), plan=small_plan, fleet=small_fleet)
    (sf,) = s.shortfalls
    stop = next(f for f in sf["fixes"] if f["kind"] == "charging_stop")
    assert stop["charger_id"] == "PUB1"
    assert stop["energy_wh"] == sf["shortfall_wh"]
    assert stop["duration_s"] > 0
