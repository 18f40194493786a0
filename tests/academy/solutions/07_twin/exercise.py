"""Reference solution of lesson 7."""

from __future__ import annotations

import dataclasses
from typing import Any

from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.twin import simulate


def stranded_van_days(doc: dict[str, Any]) -> list[tuple[int, str, str]]:
    found = []
    for day in doc["by_day"]:
        for van in day["vans"]:
            if van["stranded_at_s"] is None:
                continue
            where = next(e["location_id"] for e in van["events"] if e["kind"] == "stranded")
            found.append((day["day"], van["van_id"], where))
    return sorted(found)


def _stranded(scenario: Scenario, plan: Plan, soc: float, days: int, seed: int) -> bool:
    vans = tuple(dataclasses.replace(v, start_soc=soc) for v in scenario.fleet.vans)
    at = dataclasses.replace(scenario, fleet=dataclasses.replace(scenario.fleet, vans=vans))
    run = simulate(at, plan, days=days, seed=seed)
    return any(v.stranded_at_s is not None for d in run.days for v in d.vans)


def smallest_safe_start_soc(scenario: Scenario, plan: Plan, *, days: int, seed: int) -> float:
    low, high = 0, 100  # in points; `high` is safe (or nothing is)
    while high - low > 1:
        mid = (low + high) // 2
        if _stranded(scenario, plan, mid / 100, days, seed):
            low = mid
        else:
            high = mid
    return high / 100
