"""The checker's waiting rule: a van waiting at a stop for its window draws the parked power.

A plan that is feasible only if waiting were free (as plans counted it before) is reported: its
energy after the wait differs from the replay, and with a reserve between the two the wait breaks
the reserve at the stop, after waiting.
"""

from __future__ import annotations

import pytest

from tests.check.edits import found, messages, with_energy_shift, with_vehicle_type
from tests.planning.cases import cold_wait_for_window
from voltvan import energy
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario

BATTERY_WH = 12_000.0  # the small van of cold_wait_for_window
S2 = 2  # the visit that waits about an hour


@pytest.fixture(scope="module")
def waiting() -> Scenario:
    return cold_wait_for_window()


@pytest.fixture(scope="module")
def wait_plan(waiting: Scenario) -> Plan:
    """D, S1 at 08:00, S2 (waits until 09:30), D; the checker accepts it."""
    return plan_scenario(waiting, max_iterations=100)


def _wait_wh(plan: Plan, scenario: Scenario) -> float:
    v = plan.routes[0].visits[S2]
    return energy.dwell_energy_wh(
        scenario.fleet.vehicle_types[0].consumption,
        duration_s=v.start_s - v.arrival_s,
        ambient_c=scenario.fleet.ambient_c,
    )


def test_the_plan_waits_and_is_accepted(wait_plan: Plan, waiting: Scenario) -> None:
    """The fixture is what the tests below break: a valid plan with an hour's wait at S2."""
    v = wait_plan.routes[0].visits[S2]
    assert v.location_id == "S2" and v.start_s - v.arrival_s > 3000.0
    assert found(wait_plan, waiting) == []


def test_a_plan_that_counts_the_wait_as_free_is_caught(wait_plan: Plan, waiting: Scenario) -> None:
    """Energy reported as if waiting cost nothing: the van is back with less than it says."""
    wait_wh = _wait_wh(wait_plan, waiting)
    free = with_energy_shift(wait_plan, 0, S2, wait_wh)
    assert found(free, waiting) == [("reported_state", "V1", "D")]
    back = wait_plan.routes[0].visits[-1].energy_wh
    assert messages(free, waiting) == [
        f"plan says {back + wait_wh:.0f} Wh on arrival, replay gives {back:.0f} Wh"
    ]


def test_a_reserve_only_met_if_waiting_were_free_is_caught(
    wait_plan: Plan, waiting: Scenario
) -> None:
    """A reserve between the energy after the wait and the energy without it: the reserve is
    broken at S2 after waiting, then after its service and at the depot."""
    s2 = wait_plan.routes[0].visits[S2]
    wait_wh = _wait_wh(wait_plan, waiting)
    reserve_wh = s2.energy_wh - wait_wh / 2
    scenario = with_vehicle_type(waiting, reserve_fraction=reserve_wh / BATTERY_WH)
    assert found(wait_plan, scenario) == [
        ("energy_reserve", "V1", "S2"),
        ("energy_reserve", "V1", "S2"),
        ("energy_reserve", "V1", "D"),
    ]
    wait_min = (s2.start_s - s2.arrival_s) / 60
    assert messages(wait_plan, scenario)[0] == (
        f"has {s2.energy_wh - wait_wh:.0f} Wh after waiting {wait_min:.0f} min, "
        f"below the reserve of {reserve_wh:.0f} Wh"
    )


@pytest.mark.parametrize(("above_wh", "broken"), [(0.5, False), (1.5, True)])
def test_the_wait_rule_has_a_one_wh_tolerance(
    wait_plan: Plan, waiting: Scenario, above_wh: float, broken: bool
) -> None:
    """A reserve just above the energy left after the wait is broken there only beyond the
    1 Wh tolerance (the service after it breaks it anyway)."""
    s2 = wait_plan.routes[0].visits[S2]
    reserve_wh = s2.energy_wh - _wait_wh(wait_plan, waiting) + above_wh
    scenario = with_vehicle_type(waiting, reserve_fraction=reserve_wh / BATTERY_WH)
    waits = [m for m in messages(wait_plan, scenario) if "after waiting" in m]
    assert len(waits) == (1 if broken else 0)
