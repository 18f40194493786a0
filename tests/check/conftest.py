"""Valid plans for the checker tests: each negative test breaks one of them in one place."""

from __future__ import annotations

import pytest

from tests.planning.cases import cold_far_cluster
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario

ITERS = 200
_PLANS: dict[Scenario, Plan] = {}


def _planned(scenario: Scenario) -> Plan:
    """The planner's plan for ``scenario``, made once per session: plans and scenarios are
    frozen, and a hundred tests break copies of the same two plans."""
    if scenario not in _PLANS:
        _PLANS[scenario] = plan_scenario(scenario, max_iterations=ITERS)
    return _PLANS[scenario]


@pytest.fixture
def good(two_vans_five_stops: Scenario) -> Plan:
    """One van serves the five stops (no charging); the checker accepts it."""
    return _planned(two_vans_five_stops)


@pytest.fixture
def cold() -> Scenario:
    return cold_far_cluster()


@pytest.fixture
def cold_plan(cold: Scenario) -> Plan:
    """One small van that charges once at C1 on the way out; the checker accepts it."""
    return _planned(cold)
