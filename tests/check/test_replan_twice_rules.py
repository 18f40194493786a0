"""The checker on a day re-planned twice: a route resumes once per re-plan, and its history (all
before its last ``resume``) must be its parent route's first visits, earlier ``resume`` included.
Each case breaks one rule and gets that rule's own violation."""

from __future__ import annotations

import dataclasses

import pytest

from tests.planning.replan_cases import TwiceReplanned, replanned_twice
from voltvan.check import Violation, check_plan
from voltvan.plan import Plan, Route


@pytest.fixture(scope="module")
def twice() -> TwiceReplanned:
    return replanned_twice()


def _check(twice: TwiceReplanned, route: Route) -> list[Violation]:
    plan = twice.third.plan
    routes = tuple(route if r.van_id == route.van_id else r for r in plan.routes)
    changed = dataclasses.replace(plan, routes=routes)
    return check_plan(changed, twice.third.scenario, parent=twice.second.plan).violations


def _resumes(route: Route) -> list[int]:
    return [k for k, v in enumerate(route.visits) if v.kind == "resume"]


def _resumed_twice(plan: Plan) -> Route:
    """A route with two resumes, stops served between them and stops after the last."""
    for r in plan.routes:
        ks = _resumes(r)
        if len(ks) == 2 and r.out_of_service_s is None and ks[1] + 1 < len(r.visits) - 1:
            between = r.visits[ks[0] + 1 : ks[1]]
            if any(v.kind == "stop" for v in between) and r.visits[ks[1] + 1].kind == "stop":
                return r
    raise AssertionError("the day re-planned twice must have a route resumed twice")


def _history_messages(violations: list[Violation]) -> list[str]:
    return [v.message for v in violations if v.kind == "history"]


def test_two_resumes_with_matching_history_are_accepted(twice: TwiceReplanned) -> None:
    route = _resumed_twice(twice.third.plan)
    assert _check(twice, route) == []
    parent = twice.second.plan.route_of(route.van_id)
    last = _resumes(route)[-1]
    assert route.visits[:last] == parent.visits[:last]


def test_a_changed_time_before_the_first_resume(twice: TwiceReplanned) -> None:
    route = _resumed_twice(twice.third.plan)
    k = next(k for k, v in enumerate(route.visits) if v.kind == "stop")
    v = route.visits[k]
    later = dataclasses.replace(v, departure_s=v.departure_s + 60)
    visits = (*route.visits[:k], later, *route.visits[k + 1 :])
    violations = _check(twice, dataclasses.replace(route, visits=visits))
    assert _history_messages(violations) == [
        f"departure_s changed from {v.departure_s:.0f} s to {v.departure_s + 60:.0f} s"
    ]


def test_a_removed_earlier_resume(twice: TwiceReplanned) -> None:
    route = _resumed_twice(twice.third.plan)
    first = _resumes(route)[0]
    visits = (*route.visits[:first], *route.visits[first + 1 :])
    violations = _check(twice, dataclasses.replace(route, visits=visits))
    old, new = route.visits[first], route.visits[first + 1]
    assert _history_messages(violations) == [
        f"visit {new.kind} {new.location_id} replaces the parent's resume {old.location_id}: "
        "what already happened cannot change"
    ]


def test_a_failed_visit_after_the_last_resume(twice: TwiceReplanned) -> None:
    route = _resumed_twice(twice.third.plan)
    k = _resumes(route)[-1] + 1
    visits = list(route.visits)
    visits[k] = dataclasses.replace(visits[k], kind="failed")
    violations = _check(twice, dataclasses.replace(route, visits=tuple(visits)))
    assert [(v.kind, v.location_id, v.message) for v in violations if v.kind == "route"] == [
        (
            "route",
            visits[k].location_id,
            "a failed visit can only be history (before the last resume)",
        )
    ]


def test_a_failed_visit_between_two_resumes_is_history(twice: TwiceReplanned) -> None:
    """A stop served after the first re-plan that the parent still lists as a stop may be
    marked failed (the next re-plan learnt it failed): history, not a structure error."""
    route = _resumed_twice(twice.third.plan)
    first, last = _resumes(route)
    k = next(j for j in range(first + 1, last) if route.visits[j].kind == "stop")
    visits = list(route.visits)
    visits[k] = dataclasses.replace(visits[k], kind="failed")
    violations = _check(twice, dataclasses.replace(route, visits=tuple(visits)))
    assert not [v for v in violations if v.kind in ("route", "history")]
