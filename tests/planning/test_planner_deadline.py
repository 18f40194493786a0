"""The planner's time limit is a total: re-solves get what is left, not a fresh share of it.

The clock is fake: each solve "spends" what the test says, so nothing here measures time.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.planning.ev.test_deadline import FakeClock
from voltvan.check import check_plan
from voltvan.planning import FINISH_SHARE, MIN_RESOLVE_SHARE, Deadline, plan_scenario
from voltvan.planning.ev import EvSolution, solve_ev

from .cases import cold_far_cluster

ITERS = 200


def _short_of_energy(inst: Any, sol: EvSolution) -> EvSolution:
    """The engine's routes without their charging stops: the replay finds them short."""
    stripped = tuple(
        dataclasses.replace(
            r,
            visits=tuple(n for n in r.visits if not inst.is_station(n)),
            charge_wh=tuple(
                c for n, c in zip(r.visits, r.charge_wh, strict=True) if not inst.is_station(n)
            ),
        )
        for r in sol.routes
    )
    return dataclasses.replace(sol, routes=stripped, is_feasible=True)


@pytest.mark.parametrize("spent", [[6.0, 3.5], [1.0, 1.0, 1.0]])
def test_every_solve_gets_what_is_left(monkeypatch: pytest.MonkeyPatch, spent: list[float]) -> None:
    """Each solve is given the time left less the finishing reserve; a re-solve that would have
    less than its minimum share is skipped, and the plan is still repaired to feasibility."""
    from voltvan.planning import _planner

    clock = FakeClock()
    limit = 10.0
    given: list[float] = []

    def spends(*args: Any, **kwargs: Any) -> EvSolution:
        given.append(kwargs["deadline"].remaining_s())
        sol = solve_ev(*args, **kwargs)
        clock.advance(spent[len(given) - 1])
        return _short_of_energy(args[0], sol)

    monkeypatch.setattr(_planner, "solve_ev", spends)
    scenario = cold_far_cluster()
    plan = plan_scenario(
        scenario, deadline=Deadline(limit, clock=clock), max_iterations=ITERS, time_limit_s=99
    )
    expected = []
    left = limit
    for s in spent:
        expected.append(left - FINISH_SHARE * limit)
        left -= s
    assert given == pytest.approx(expected)
    assert len(given) == len(spent)
    if left < MIN_RESOLVE_SHARE * limit:
        assert plan.stats["resolve_skipped"] == "no time left"
    assert plan.stats["planning_time_s"] == pytest.approx(sum(spent))
    assert plan.stats["time_limit_s"] == limit  # the deadline's, not the ignored time_limit_s
    assert check_plan(plan, scenario).is_feasible
