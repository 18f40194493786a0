"""Second-chance insertion puts left-out stops where they fit, and only there."""

from __future__ import annotations

import dataclasses

from voltvan.check import check_plan
from voltvan.domain import Scenario
from voltvan.plan import Plan, Unassigned
from voltvan.planning._context import Context
from voltvan.planning._insert import reinsert
from voltvan.planning._planner import MATRIX_DEPART_S
from voltvan.planning._timeline import time_route
from voltvan.travel import build_matrices

from .cases import one_van_too_much_cargo


def test_a_left_out_stop_is_inserted_into_an_existing_route(
    two_vans_five_stops: Scenario,
) -> None:
    """S3 left out of a four-stop route goes back in and the result passes the checker."""
    scenario = two_vans_five_stops
    ctx = Context.of(scenario, build_matrices(scenario, depart_s=MATRIX_DEPART_S))
    van = scenario.fleet.vans[0]
    route = time_route(ctx, van, [("stop", s) for s in ("S1", "S2", "S4", "S5")]).route
    routes, left, _ = reinsert(ctx, [route], ["S3"], idle_vans=[])
    assert left == []
    assert sorted(routes[0].stop_ids) == ["S1", "S2", "S3", "S4", "S5"]
    plan = Plan(scenario=scenario.name, routes=tuple(routes), stats={})
    assert check_plan(plan, scenario).is_feasible


def test_an_idle_van_takes_a_stop_no_route_can() -> None:
    """With the only route full, an idle second van gets a new route for the stop."""
    base = one_van_too_much_cargo()
    v2 = dataclasses.replace(base.fleet.vans[0], id="V2")
    fleet = dataclasses.replace(base.fleet, vans=(*base.fleet.vans, v2))
    scenario = dataclasses.replace(base, fleet=fleet)
    ctx = Context.of(scenario, build_matrices(scenario, depart_s=MATRIX_DEPART_S))
    route = time_route(ctx, fleet.vans[0], [("stop", "S1"), ("stop", "S2")]).route
    routes, left, _ = reinsert(ctx, [route], ["S3"], idle_vans=[v2])
    assert left == []
    assert [(r.van_id, r.stop_ids) for r in routes] == [("V1", ["S1", "S2"]), ("V2", ["S3"])]


def test_a_stop_that_fits_nowhere_stays_out() -> None:
    """Cargo beyond the one van's payload is not forced in."""
    scenario = one_van_too_much_cargo()
    ctx = Context.of(scenario, build_matrices(scenario, depart_s=MATRIX_DEPART_S))
    van = scenario.fleet.vans[0]
    route = time_route(ctx, van, [("stop", "S1"), ("stop", "S2")]).route
    routes, left, _ = reinsert(ctx, [route], ["S3", "S4"], idle_vans=[])
    assert left == ["S3", "S4"]
    plan = Plan(
        scenario=scenario.name,
        routes=tuple(routes),
        unassigned=tuple(Unassigned(s, "x") for s in ("S3", "S4", "S5")),
    )
    assert check_plan(plan, scenario).is_feasible


def test_stops_are_not_tried_after_the_deadline(two_vans_five_stops: Scenario) -> None:
    """Past the deadline no second chance is replayed: the stop comes back as untried."""
    from voltvan.planning import Deadline

    scenario = two_vans_five_stops
    ctx = Context.of(scenario, build_matrices(scenario, depart_s=MATRIX_DEPART_S))
    van = scenario.fleet.vans[0]
    route = time_route(ctx, van, [("stop", s) for s in ("S1", "S2", "S4", "S5")]).route
    routes, left, untried = reinsert(ctx, [route], ["S3"], idle_vans=[], deadline=Deadline(0.0))
    assert (left, untried) == ([], ["S3"])
    assert routes == [route]
