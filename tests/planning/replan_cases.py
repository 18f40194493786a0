"""A generated day planned once per test run, and events on it, shared by the re-planning tests."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from voltvan.domain import Scenario
from voltvan.plan import Plan, Route
from voltvan.planning import Events, parse_events, plan_scenario
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
