"""A generated day planned once per test run, and events on it, shared by the re-planning tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from voltvan.domain import Scenario
from voltvan.plan import Plan, Route
from voltvan.planning import Events, Replan, parse_events, plan_scenario, replan
from voltvan.scenario import generate_scenario

NOON_S = 12 * 3600.0


@lru_cache(maxsize=4)
def planned_day(num_stops: int = 150, num_vans: int = 6, seed: int = 4) -> tuple[Scenario, Plan]:
    """A cold generated day and its plan (deterministic: bounded by iterations)."""
    scenario = generate_scenario(num_stops=num_stops, num_vans=num_vans, seed=seed, day="cold")
    return scenario, plan_scenario(scenario, max_iterations=300, time_limit_s=120, seed=0)


def events(scenario: Scenario, *items: dict[str, Any], at_s: float = NOON_S) -> Events:
    return parse_events({"version": 1, "events": list(items)}, scenario, at_s)


def left_at(route: Route, at_s: float = NOON_S) -> list[str]:
    """Stops the route had not started serving by ``at_s`` (nothing delayed)."""
    return [v.location_id for v in route.visits if v.kind == "stop" and v.start_s > at_s]


def busiest(plan: Plan, at_s: float = NOON_S) -> Route:
    """The route with the most stops left at ``at_s``."""
    return max(plan.routes, key=lambda r: len(left_at(r, at_s)))


@dataclass(frozen=True)
class TwiceReplanned:
    """Van ``a`` breaks down at 11:00 (version 2), van ``b`` at 13:00 (version 3)."""

    scenario: Scenario
    first: Plan
    second: Replan
    third: Replan
    a: str
    b: str


ELEVEN_S = 11 * 3600.0
ONE_PM_S = 13 * 3600.0


@lru_cache(maxsize=1)
def replanned_twice() -> TwiceReplanned:
    """The generated day re-planned at 11:00 and its re-plan re-planned at 13:00.

    Each broken van is the one with most stops left that has served some: it is on the road.
    """
    scenario, first = planned_day()
    a = _on_the_road(first.routes, ELEVEN_S)
    ev = events(
        scenario, {"type": "van_out_of_service", "van_id": a, "time": "11:00"}, at_s=ELEVEN_S
    )
    second = replan(scenario, first, ELEVEN_S, ev)
    b = _on_the_road([r for r in second.plan.routes if r.van_id != a], ONE_PM_S)
    ev = events(
        second.scenario, {"type": "van_out_of_service", "van_id": b, "time": "13:00"}, at_s=ONE_PM_S
    )
    third = replan(second.scenario, second.plan, ONE_PM_S, ev)
    return TwiceReplanned(scenario, first, second, third, a, b)


def _on_the_road(routes: Sequence[Route], at_s: float) -> str:
    served = [r for r in routes if any(v.kind == "stop" and v.start_s <= at_s for v in r.visits)]
    return max(served, key=lambda r: len(left_at(r, at_s))).van_id
