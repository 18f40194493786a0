"""Grades lesson 7 against the twin itself: its own records of who ran out of battery, and
fresh twin runs at the learner's start charge and one point below it."""

from __future__ import annotations

import dataclasses
import functools
import types
from typing import Any

from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario
from voltvan.scenario import generate_scenario
from voltvan.twin import TwinRun, simulate, twin_document

#: The grader's own day: like the lesson's, but not the same stops.
STOPS, VANS, DAY_SEED, PLAN_ITERATIONS = 60, 3, 5, 300
STRANDED_SOC, STRANDED_DAYS, STRANDED_SEED = 0.6, 8, 2
SEARCH_DAYS, SEARCH_SEED = 10, 4


@functools.cache
def grading_day() -> tuple[Scenario, Plan]:
    scenario = generate_scenario(num_stops=STOPS, num_vans=VANS, seed=DAY_SEED, day="cold")
    plan = plan_scenario(scenario, time_limit_s=60, seed=0, max_iterations=PLAN_ITERATIONS)
    return scenario, plan


def starting_at(scenario: Scenario, soc: float) -> Scenario:
    """The scenario with every van leaving the depot at ``soc``."""
    vans = tuple(dataclasses.replace(v, start_soc=soc) for v in scenario.fleet.vans)
    return dataclasses.replace(scenario, fleet=dataclasses.replace(scenario.fleet, vans=vans))


def stranded_truth(run: TwinRun) -> list[tuple[int, str, str]]:
    """From the twin's records (not from twin.json): day, van and where the battery ran out."""
    found = []
    for day in run.days:
        for van in day.vans:
            if van.stranded_at_s is None:
                continue
            where = next(e.location_id for e in van.events if e.kind == "stranded")
            found.append((day.day, van.van_id, where))
    return sorted(found)


def grade(module: types.ModuleType) -> list[str]:
    return grade_stranded(module) + grade_search(module)


def _call(what: str, fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """The learner's answer, or why there is none yet. Other exceptions pass through:
    ``voltvan academy check`` names the learner's file and line for them."""
    try:
        return fn(*args, **kwargs), []
    except NotImplementedError:
        return None, [f"{what} is not written yet (it still raises NotImplementedError)"]


def grade_stranded(module: types.ModuleType) -> list[str]:
    scenario, plan = grading_day()
    weak = starting_at(scenario, STRANDED_SOC)
    run = simulate(weak, plan, days=STRANDED_DAYS, seed=STRANDED_SEED)
    truth = stranded_truth(run)
    doc = twin_document(run, plan, weak)
    got, problems = _call("stranded_van_days", module.stranded_van_days, doc)
    if problems:
        return problems
    try:
        answer = [(int(d), str(v), str(w)) for d, v, w in got]
    except (TypeError, ValueError):
        return ["stranded_van_days must return a list of (day, van_id, location_id) tuples"]
    problems = []
    if sorted(answer) != answer:
        problems.append("stranded_van_days: order the list by day, then by van id")
    if len(answer) != len(truth):
        problems.append(
            f"stranded_van_days: the twin stranded {len(truth)} van-days "
            f"(summary.stranded_van_days), you listed {len(answer)}"
        )
    where_truth = {(d, v): w for d, v, w in truth}
    for d, v, w in sorted(answer):
        if (d, v) not in where_truth:
            problems.append(f"stranded_van_days: van {v} was not stranded on day {d}")
        elif w != where_truth[(d, v)]:
            problems.append(
                f"stranded_van_days: on day {d} van {v} ran out on the way to (or at) "
                f"{where_truth[(d, v)]}, not {w}: read its 'stranded' event"
            )
    return problems[:5]


def stranded_days(scenario: Scenario, plan: Plan, soc: float) -> int:
    run = simulate(starting_at(scenario, soc), plan, days=SEARCH_DAYS, seed=SEARCH_SEED)
    return len(stranded_truth(run))


def grade_search(module: types.ModuleType) -> list[str]:
    scenario, plan = grading_day()
    got, problems = _call(
        "smallest_safe_start_soc",
        module.smallest_safe_start_soc,
        scenario,
        plan,
        days=SEARCH_DAYS,
        seed=SEARCH_SEED,
    )
    if problems:
        return problems
    if not isinstance(got, (int, float)) or not 0.0 < float(got) <= 1.0:
        return [f"smallest_safe_start_soc must return a fraction in (0, 1], got {got!r}"]
    points = float(got) * 100.0
    if abs(points - round(points)) > 1e-6:
        return [f"smallest_safe_start_soc must return a multiple of 0.01, got {got!r}"]
    soc = round(points) / 100.0
    stranded = stranded_days(scenario, plan, soc)
    if stranded:
        return [
            f"smallest_safe_start_soc: with every van leaving at {soc:.0%} the twin still "
            f"strands {stranded} van-day(s) in {SEARCH_DAYS} days: that is not enough"
        ]
    below = round(soc - 0.01, 2)
    if below > 0 and stranded_days(scenario, plan, below) == 0:
        return [
            f"smallest_safe_start_soc: {below:.0%} is enough too (no van strands), "
            f"so {soc:.0%} is not the smallest"
        ]
    return []
