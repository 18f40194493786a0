"""A generated city day, planned and checked end to end (slow: a real search)."""

from __future__ import annotations

import pytest

from voltvan.check import check_plan
from voltvan.planning import plan_scenario
from voltvan.scenario import Day, generate_scenario


@pytest.mark.slow
@pytest.mark.parametrize("day", ["cold", "mild"])
def test_generated_day_plans_without_violations(day: Day) -> None:
    """150 stops on a cold and a mild day: all served, zero checker violations."""
    scenario = generate_scenario(num_stops=150, num_vans=6, seed=4, day=day)
    plan = plan_scenario(scenario, max_iterations=800, time_limit_s=120, seed=0)
    result = check_plan(plan, scenario)
    assert result.is_feasible, result.violations[:5]
    assert plan.num_stops_served + len(plan.unassigned) == 150
    assert plan.num_stops_served >= 145
