"""Valid plans for the checker tests: each negative test breaks one of them in one place."""

from __future__ import annotations

import pytest

from tests.planning.cases import cold_far_cluster
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario

ITERS = 200


@pytest.fixture
def good(two_vans_five_stops: Scenario) -> Plan:
    """One van serves the five stops (no charging); the checker accepts it."""
    return plan_scenario(two_vans_five_stops, max_iterations=ITERS)


@pytest.fixture
def cold() -> Scenario:
    return cold_far_cluster()


@pytest.fixture
def cold_plan(cold: Scenario) -> Plan:
    """One small van that charges once at C1 on the way out; the checker accepts it."""
    return plan_scenario(cold, max_iterations=ITERS)
