"""A day re-planned twice: van A breaks down at 11:00, van B at 13:00. Version 3 builds on
version 2: what had happened stays, A stays out of service, B's parcels go to other vans."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.planning.replan_cases import (
    ELEVEN_S,
    ONE_PM_S,
    TwiceReplanned,
    events,
    left_at,
    replanned_twice,
)
from voltvan.check import check_plan
from voltvan.plan import Plan, Route
from voltvan.planning import replan


@pytest.fixture(scope="module")
def twice() -> TwiceReplanned:
    return replanned_twice()


def _after_last_resume(route: Route) -> list[str]:
    if route.out_of_service_s is not None:
        return []
    k = route.resume_index
    return [v.location_id for v in route.visits[(0 if k is None else k + 1) :] if v.kind == "stop"]


def test_version_3_passes_the_checker_against_version_2(twice: TwiceReplanned) -> None:
    plan = twice.third.plan
    check = check_plan(plan, twice.third.scenario, parent=twice.second.plan)
    assert check.is_feasible, check.violations[:5]
    assert plan.revision == twice.second.plan.revision + 1 == 2
    assert plan.parent is not None
    assert plan.parent.revision == 1 and plan.parent.replanned_at_s == ONE_PM_S
    assert max(sum(v.kind == "resume" for v in r.visits) for r in plan.routes) == 2


def test_every_stop_served_once_or_unassigned_with_a_reason(twice: TwiceReplanned) -> None:
    plan = twice.third.plan
    served = Counter(v.location_id for r in plan.routes for v in r.visits if v.kind == "stop")
    unassigned = {u.stop_id: u.reason for u in plan.unassigned}
    assert all(n == 1 for n in served.values())
    assert all(unassigned.values())
    assert not set(served) & set(unassigned)
    assert set(served) | set(unassigned) == {s.id for s in twice.third.scenario.stops}


def test_a_stays_out_of_service_as_it_was(twice: TwiceReplanned) -> None:
    before = twice.second.plan.route_of(twice.a)
    after = twice.third.plan.route_of(twice.a)
    assert before.out_of_service_s == ELEVEN_S
    assert after == before


def test_b_stops_where_it_broke_down_and_others_take_its_parcels(twice: TwiceReplanned) -> None:
    parent, plan = twice.second.plan, twice.third.plan
    before = parent.route_of(twice.b)
    orphans = left_at(before, ONE_PM_S)
    assert orphans, "B must have stops left at 13:00 for this test to mean anything"
    route = plan.route_of(twice.b)
    assert route.out_of_service_s == ONE_PM_S
    assert route.visits == before.visits[: len(route.visits)]
    assert not set(route.stop_ids) & set(orphans)
    taken = {s: r.van_id for r in plan.routes for s in _after_last_resume(r)}
    unassigned = {u.stop_id for u in plan.unassigned}
    assert all(s in taken or s in unassigned for s in orphans)
    assert twice.b not in {taken[s] for s in orphans if s in taken}
    assert sum(1 for s in orphans if s in taken) >= len(orphans) // 2


def test_history_before_13_00_is_kept(twice: TwiceReplanned) -> None:
    """Every stop version 2 had begun serving by 13:00 is served by the same van then."""

    def served(plan: Plan) -> dict[str, tuple[str, float]]:
        return {
            v.location_id: (r.van_id, v.start_s)
            for r in plan.routes
            for v in r.visits
            if v.kind == "stop" and v.start_s <= ONE_PM_S
        }

    assert served(twice.third.plan) == served(twice.second.plan)


def test_a_failure_given_up_in_version_2_stays_unassigned(twice: TwiceReplanned) -> None:
    """Only the new events apply: a delivery that failed before version 2 and was not retried
    keeps its reason in version 3 (its parcel is not at the depot for another van)."""
    scenario, first = twice.scenario, twice.first
    route = next(r for r in first.routes if r.van_id not in (twice.a, twice.b) and r.stop_ids)
    stop = next(v for v in route.visits if v.kind == "stop" and v.start_s <= ELEVEN_S)
    failed = {
        "type": "stop_failed",
        "stop_id": stop.location_id,
        "time": "10:00",
        "reason": "refused",
        "retry": False,
    }
    second = replan(scenario, first, ELEVEN_S, events(scenario, failed, at_s=ELEVEN_S))
    reason = {u.stop_id: u.reason for u in second.plan.unassigned}[stop.location_id]
    third = replan(scenario, second.plan, ONE_PM_S, events(scenario, at_s=ONE_PM_S))
    check = check_plan(third.plan, third.scenario, parent=second.plan)
    assert check.is_feasible, check.violations[:5]
    assert {u.stop_id: u.reason for u in third.plan.unassigned}[stop.location_id] == reason
    assert stop.location_id not in {s for r in third.plan.routes for s in r.stop_ids}
