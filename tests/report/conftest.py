"""Fixtures of the report tests."""

from __future__ import annotations

import pytest

from tests.report.plans import city_day
from voltvan.domain import Scenario
from voltvan.plan import Plan


@pytest.fixture
def small_day() -> tuple[Plan, Scenario]:
    """Three vans, 24 stops, at least one charge stop and two unassigned stops."""
    return city_day(3, 24)
