"""The checker's tolerances at their exact bounds: a plan off by exactly the tolerance passes.

The other rule tests break a plan by a little more and a little less than a tolerance; these put
the plan exactly on it, so that a strict comparison turned into a loose one (or back) is caught.
Where the sum of two floats cannot be exact, the scenario is nudged by one unit in the last place
until the checker's own arithmetic lands on the bound.
"""

from __future__ import annotations

import math

import pytest

from tests.check.edits import (
    found,
    index_of,
    with_chargers,
    with_vehicle_type,
    with_visit,
)
from voltvan.domain import Scenario
from voltvan.plan import Plan


def test_arriving_exactly_a_second_off_the_travel_time_passes(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """Back at the depot a second early or late is within the tolerance, to the bound."""
    j = len(good.routes[0].visits) - 1
    v = good.routes[0].visits[j]
    for shift_s in (-1.0, 1.0):
        t = v.arrival_s + shift_s
        assert t - v.arrival_s == shift_s
        plan = with_visit(good, 0, j, arrival_s=t, start_s=t, departure_s=t)
        assert found(plan, two_vans_five_stops) == []


def _power_for(charge_wh: float, need_s: float) -> float:
    """A charger power at which the checker's charge * 3600 / power is exactly ``need_s``."""
    power = charge_wh * 3600.0 / need_s
    for _ in range(64):
        need = charge_wh * 3600.0 / power
        if need == need_s:
            return power
        power = math.nextafter(power, math.inf if need > need_s else -math.inf)
    raise AssertionError(f"no power gives exactly {need_s} s")


def test_charging_exactly_a_second_short_passes(cold_plan: Plan, cold: Scenario) -> None:
    """A charge that needs exactly a second more than the stop allows is tolerated."""
    v = cold_plan.routes[0].visits[index_of(cold_plan.routes[0], "charge")]
    stay_s = v.departure_s - v.start_s
    need_s = stay_s + 1.0
    assert need_s - 1.0 == stay_s
    scenario = with_chargers(cold, power_w=_power_for(v.charge_wh, need_s))
    assert found(cold_plan, scenario) == []


@pytest.mark.parametrize("field", ["payload_kg", "volume_m3"])
def test_a_load_exactly_the_tolerance_over_the_capacity_passes(
    good: Plan, two_vans_five_stops: Scenario, field: str
) -> None:
    """Capacity is exceeded only beyond its tolerance (1e-6 kg or m³), to the bound."""
    start = good.routes[0].visits[0]
    load = start.load_kg if field == "payload_kg" else start.load_m3
    capacity = load - 1e-6
    for _ in range(64):
        if capacity + 1e-6 == load:
            break
        capacity = math.nextafter(capacity, math.inf if capacity + 1e-6 < load else -math.inf)
    assert capacity + 1e-6 == load
    assert found(good, with_vehicle_type(two_vans_five_stops, **{field: capacity})) == []
    over = with_vehicle_type(two_vans_five_stops, **{field: math.nextafter(capacity, 0.0)})
    assert found(good, over) == [("capacity", "V1", "")]
