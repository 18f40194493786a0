"""The independent checker accepts good plans and names each broken coverage or route rule.

Every negative test breaks one rule of a plan the checker accepts and asserts the exact list of
violations (kind, van, location): nothing else may fire, and the one that fires must say where.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.check.edits import found, index_of, messages, with_pause, with_route, with_visit
from voltvan.check import check_plan
from voltvan.domain import Scenario, Stop
from voltvan.plan import Plan, Unassigned


def _parked(plan: Plan, van_id: str) -> Plan:
    """``plan`` plus a route on which ``van_id`` leaves its depot and comes straight back."""
    first = plan.routes[0]
    start, end = first.visits[0], first.visits[-1]
    start = dataclasses.replace(start, load_kg=0.0, load_m3=0.0)
    parked = dataclasses.replace(
        first,
        van_id=van_id,
        visits=(start, dataclasses.replace(start, kind="end")),
        distance_m=0.0,
        energy_wh=0.0,
    )
    assert end.location_id == start.location_id
    return dataclasses.replace(plan, routes=(*plan.routes, parked))


def test_a_good_plan_has_no_violation(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The planner's plan passes, so the cases below fail only for what they break."""
    assert good.routes and all(r.stop_ids for r in good.routes)
    assert check_plan(good, two_vans_five_stops).is_feasible


def test_a_plan_without_its_matrix_time_is_replayed_at_nine(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """Older plan files do not say when their matrix was built: the checker then assumes
    09:00, the planner's default, and the planner's plan still passes."""
    assert good.stats["matrix_depart_s"] == 9 * 3600
    stats = {k: v for k, v in good.stats.items() if k != "matrix_depart_s"}
    assert found(dataclasses.replace(good, stats=stats), two_vans_five_stops) == []


def test_the_verdict_counts_violations_by_kind(good: Plan, two_vans_five_stops: Scenario) -> None:
    """``count`` and ``is_feasible`` read the same list of violations."""
    copy = dataclasses.replace(good.routes[0], van_id="V2")
    result = check_plan(
        dataclasses.replace(good, routes=(good.routes[0], copy)), two_vans_five_stops
    )
    assert not result.is_feasible
    assert result.count("coverage") == 5 and result.count("route") == 0
    assert len(set(result.violations)) == 5  # violations are values: hashable, one per stop


def test_a_good_plan_with_a_charge_has_no_violation(cold_plan: Plan, cold: Scenario) -> None:
    """The cold plan charges once; the checker accepts it, so the charge cases start clean."""
    assert [v.location_id for v in cold_plan.routes[0].charge_visits] == ["C1"]
    assert found(cold_plan, cold) == []


# --- coverage -------------------------------------------------------------------------------


def test_a_stop_neither_served_nor_listed_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """A stop of the scenario that the plan never mentions is a coverage violation."""
    scenario = _with_extra(two_vans_five_stops)
    assert found(good, scenario) == [("coverage", "", "EXTRA")]
    assert messages(good, scenario) == ["stop EXTRA is neither served nor listed"]


def test_a_stop_listed_as_unassigned_once_is_covered(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """The same extra stop listed once as unassigned is accounted for."""
    plan = dataclasses.replace(good, unassigned=(Unassigned("EXTRA", "too far"),))
    assert found(plan, _with_extra(two_vans_five_stops)) == []


def test_a_stop_listed_twice_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """An unassigned stop listed twice is a coverage violation on that stop."""
    twice = (Unassigned("EXTRA", "too far"), Unassigned("EXTRA", "too far"))
    plan = dataclasses.replace(good, unassigned=twice)
    scenario = _with_extra(two_vans_five_stops)
    assert found(plan, scenario) == [("coverage", "", "EXTRA")]
    assert messages(plan, scenario) == ["stop EXTRA is listed 2 times"]


def test_served_and_unassigned_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A stop served and also listed as unassigned is a coverage violation on that stop."""
    sid = good.routes[0].stop_ids[0]
    broken = dataclasses.replace(good, unassigned=(Unassigned(sid, "x"),))
    assert found(broken, two_vans_five_stops) == [("coverage", "", sid)]
    assert messages(broken, two_vans_five_stops) == [f"stop {sid} is served and also unassigned"]


def test_a_stop_served_twice_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The second van driving a copy of the first van's route serves every stop twice."""
    copy = dataclasses.replace(good.routes[0], van_id="V2")
    broken = dataclasses.replace(good, routes=(good.routes[0], copy))
    assert sorted(good.routes[0].stop_ids) == [s.id for s in two_vans_five_stops.stops]
    assert found(broken, two_vans_five_stops) == [
        ("coverage", "", s.id) for s in two_vans_five_stops.stops
    ]
    assert all(m.endswith("is served 2 times") for m in messages(broken, two_vans_five_stops))


def test_an_unassigned_stop_not_in_the_scenario_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """Listing a stop the scenario does not have is a coverage violation on that id."""
    plan = dataclasses.replace(good, unassigned=(Unassigned("GHOST", "x"),))
    assert found(plan, two_vans_five_stops) == [("coverage", "", "GHOST")]


def test_serving_a_place_that_is_not_a_stop_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """A stop visit at the depot (a place of the scenario, but not a stop) is not a delivery."""
    broken = with_pause(good, 0, len(good.routes[0].visits) - 1, kind="stop")
    assert found(broken, two_vans_five_stops) == [("coverage", "", "D")]
    assert messages(broken, two_vans_five_stops) == ["D is not a stop of the scenario"]


def test_an_empty_charge_at_a_charger_is_accepted(cold_plan: Plan, cold: Scenario) -> None:
    """The control for the inserted visits of these tests: a zero-length, zero-energy charge at
    C1 just before the planned one changes nothing the checker looks at."""
    j = index_of(cold_plan.routes[0], "charge")
    assert found(with_pause(cold_plan, 0, j), cold) == []


# --- routes ---------------------------------------------------------------------------------


def test_unknown_van_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A route for a van that is not in the fleet is a route violation for that van."""
    broken = with_route(good, 0, dataclasses.replace(good.routes[0], van_id="GHOST"))
    assert found(broken, two_vans_five_stops) == [("route", "GHOST", "")]


def test_one_van_two_routes_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The same van cannot drive two routes, even when the second one goes nowhere."""
    van = good.routes[0].van_id
    assert found(_parked(good, van), two_vans_five_stops) == [("route", van, "")]
    assert messages(_parked(good, van), two_vans_five_stops) == [f"van {van} drives 2 routes"]


def test_another_van_may_go_nowhere(good: Plan, two_vans_five_stops: Scenario) -> None:
    """The control for the case above: the idle van's empty round trip is valid."""
    assert found(_parked(good, "V2"), two_vans_five_stops) == []


def test_wrong_vehicle_type_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A route that names another vehicle type than its van's is a route violation."""
    broken = with_route(good, 0, dataclasses.replace(good.routes[0], vehicle_type_id="small"))
    assert found(broken, two_vans_five_stops) == [("route", "V1", "")]


def test_wrong_depot_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A route that names another depot than its van's is a route violation."""
    broken = with_route(good, 0, dataclasses.replace(good.routes[0], depot_id="D2"))
    assert found(broken, two_vans_five_stops) == [("route", "V1", "")]


def test_a_route_must_begin_with_start(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A first visit that is not the start (here a charge at the depot) breaks the route."""
    broken = with_visit(good, 0, 0, kind="charge")
    assert found(broken, two_vans_five_stops) == [("route", "V1", "")]
    assert messages(broken, two_vans_five_stops) == ["a route must begin with start"]


def test_a_route_must_end_with_end(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A last visit that is not the end (here a charge at the depot) breaks the route."""
    broken = with_visit(good, 0, len(good.routes[0].visits) - 1, kind="charge")
    assert found(broken, two_vans_five_stops) == [("route", "V1", "")]


def test_a_route_needs_two_visits(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A lone start visit is no route (and the stops it dropped are then not served)."""
    route = good.routes[0]
    broken = with_route(good, 0, dataclasses.replace(route, visits=route.visits[:1]))
    unserved = [("coverage", "", s.id) for s in two_vans_five_stops.stops]
    assert found(broken, two_vans_five_stops) == [*unserved, ("route", "V1", "")]


def test_a_route_must_start_at_its_depot(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Starting at a stop instead of the van's depot names that stop."""
    broken = with_visit(good, 0, 0, location_id="S1")
    assert found(broken, two_vans_five_stops) == [("route", "V1", "S1")]


def test_a_route_must_end_at_its_depot(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Ending at a stop instead of the van's depot names that stop (not the start)."""
    broken = with_visit(good, 0, len(good.routes[0].visits) - 1, location_id="S1")
    assert found(broken, two_vans_five_stops) == [("route", "V1", "S1")]


@pytest.mark.parametrize("kind", ["start", "end"])
def test_start_or_end_in_the_middle_is_caught(
    good: Plan, two_vans_five_stops: Scenario, kind: str
) -> None:
    """Only stops and charges lie between start and end: a second start or end at the depot
    just before the van is back is a route violation there."""
    broken = with_pause(good, 0, len(good.routes[0].visits) - 1, kind=kind)
    assert found(broken, two_vans_five_stops) == [("route", "V1", "D")]
    assert messages(broken, two_vans_five_stops) == [f"visit kind {kind!r}"]


def test_a_route_that_is_not_one_is_not_replayed(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Once the structure is broken the checker stops there for that route: a wrong time on
    the stray visit adds no travel-time violation to the route violation."""
    route = good.routes[0]
    broken = with_pause(good, 0, len(route.visits) - 1, kind="end")
    broken = with_visit(broken, 0, len(route.visits) - 1, arrival_s=route.end_s - 100)
    assert found(broken, two_vans_five_stops) == [("route", "V1", "D")]


def test_a_charge_at_a_place_not_in_the_scenario_is_caught(cold_plan: Plan, cold: Scenario) -> None:
    """A visit to a location the scenario does not know is a route violation naming it."""
    broken = with_pause(cold_plan, 0, len(cold_plan.routes[0].visits) - 1, location_id="NOWHERE")
    assert found(broken, cold) == [("route", "V1", "NOWHERE")]


def test_a_stop_at_a_place_not_in_the_scenario_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """Serving an unknown place: not a stop of the scenario, and not a place on the map."""
    broken = with_pause(good, 0, len(good.routes[0].visits) - 1, kind="stop", location_id="NOWHERE")
    assert found(broken, two_vans_five_stops) == [
        ("coverage", "", "NOWHERE"),
        ("route", "V1", "NOWHERE"),
    ]


def _with_extra(scenario: Scenario) -> Scenario:
    extra = Stop(id="EXTRA", lat=52.53, lon=13.41)
    return dataclasses.replace(scenario, stops=(*scenario.stops, extra))


def test_checker_shares_no_code_with_the_planner() -> None:
    """The checker's modules import nothing from voltvan.planning (independence by construction)."""
    import ast
    from pathlib import Path

    import voltvan.check

    for path in Path(voltvan.check.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("voltvan.planning"), path
            elif isinstance(node, ast.Import):
                assert all(not a.name.startswith("voltvan.planning") for a in node.names), path
