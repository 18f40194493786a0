"""The checker's time rules, one broken at a time: shift and opening hours, travel, order of the
times at a visit, time windows, service and charging time (each just inside and just beyond the
tolerance of one second)."""

from __future__ import annotations

import pytest

from tests.check.edits import (
    found,
    index_of,
    messages,
    with_chargers,
    with_depots,
    with_stop,
    with_vans,
    with_vehicle_type,
    with_visit,
)
from voltvan.domain import Scenario, TimeWindow
from voltvan.plan import Plan

LATE = 19 * 3600.0


@pytest.mark.parametrize(("after_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_leaving_before_the_shift_starts_is_caught(
    good: Plan, two_vans_five_stops: Scenario, after_s: float, broken: bool
) -> None:
    """A shift that starts after the van leaves is a shift violation at its depot."""
    leave_s = good.routes[0].start_s
    scenario = with_vans(two_vans_five_stops, shift=TimeWindow(leave_s + after_s, LATE))
    assert found(good, scenario) == ([("shift", "V1", "D")] if broken else [])
    if broken:
        assert messages(good, scenario)[0].startswith("leaves at")


@pytest.mark.parametrize(("after_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_leaving_before_the_depot_opens_is_caught(
    good: Plan, two_vans_five_stops: Scenario, after_s: float, broken: bool
) -> None:
    """The depot's opening counts as well as the shift (the later of the two)."""
    leave_s = good.routes[0].start_s
    scenario = with_depots(two_vans_five_stops, opening=TimeWindow(leave_s + after_s, LATE))
    assert found(good, scenario) == ([("shift", "V1", "D")] if broken else [])


@pytest.mark.parametrize(("before_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_returning_after_the_shift_is_caught(
    good: Plan, two_vans_five_stops: Scenario, before_s: float, broken: bool
) -> None:
    """A shift that ends before the van is back is a shift violation at its depot."""
    back_s = good.routes[0].end_s
    scenario = with_vans(two_vans_five_stops, shift=TimeWindow(0.0, back_s - before_s))
    assert found(good, scenario) == ([("shift", "V1", "D")] if broken else [])
    if broken:
        assert messages(good, scenario)[0].startswith("returns at")


@pytest.mark.parametrize(("before_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_returning_after_the_depot_closes_is_caught(
    good: Plan, two_vans_five_stops: Scenario, before_s: float, broken: bool
) -> None:
    """The depot's closing counts as well as the shift (the earlier of the two)."""
    back_s = good.routes[0].end_s
    scenario = with_depots(two_vans_five_stops, opening=TimeWindow(0.0, back_s - before_s))
    assert found(good, scenario) == ([("shift", "V1", "D")] if broken else [])


@pytest.mark.parametrize(
    ("shift_s", "broken"), [(-0.5, False), (0.5, False), (-1.5, True), (1.5, True), (-600, True)]
)
def test_impossible_travel_time_is_caught(
    good: Plan, two_vans_five_stops: Scenario, shift_s: float, broken: bool
) -> None:
    """Arriving back earlier (faster than the travel model) or later than the last leg takes is
    a travel-time violation at the depot."""
    j = len(good.routes[0].visits) - 1
    v = good.routes[0].visits[j]
    t = v.arrival_s + shift_s
    plan = with_visit(good, 0, j, arrival_s=t, start_s=t, departure_s=t)
    assert found(plan, two_vans_five_stops) == ([("travel_time", "V1", "D")] if broken else [])


def test_arriving_early_at_a_stop_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """Arriving at a stop ten minutes sooner than the leg takes (and waiting) is caught there."""
    j = index_of(good.routes[0], "stop")
    v = good.routes[0].visits[j]
    broken = with_visit(good, 0, j, arrival_s=v.arrival_s - 600)
    assert found(broken, two_vans_five_stops) == [("travel_time", "V1", v.location_id)]


def test_service_starting_before_arrival_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """A visit whose service starts before the van gets there has its times out of order."""
    j = len(good.routes[0].visits) - 1
    v = good.routes[0].visits[j]
    plan = with_visit(good, 0, j, start_s=v.arrival_s - 2)
    assert found(plan, two_vans_five_stops) == [("travel_time", "V1", "D")]
    assert messages(plan, two_vans_five_stops) == ["times out of order at visit"]


def test_leaving_before_service_starts_is_caught(good: Plan, two_vans_five_stops: Scenario) -> None:
    """A visit the van leaves before its service starts has its times out of order."""
    j = len(good.routes[0].visits) - 1
    v = good.routes[0].visits[j]
    plan = with_visit(good, 0, j, departure_s=v.start_s - 2)
    assert found(plan, two_vans_five_stops) == [("travel_time", "V1", "D")]
    assert messages(plan, two_vans_five_stops) == ["times out of order at visit"]


@pytest.mark.parametrize("field", ["start_s", "departure_s"])
@pytest.mark.parametrize(("early_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_times_out_of_order_by_up_to_a_second_pass(
    good: Plan, two_vans_five_stops: Scenario, field: str, early_s: float, broken: bool
) -> None:
    """Rounding in a plan file is tolerated up to one second: service starting before arrival,
    or leaving before service starts, by that much (at the end visit, where nothing follows)."""
    j = len(good.routes[0].visits) - 1
    v = good.routes[0].visits[j]
    t = v.arrival_s - early_s
    changes = {"start_s": t, "departure_s": t} if field == "start_s" else {"departure_s": t}
    plan = with_visit(good, 0, j, **changes)
    assert found(plan, two_vans_five_stops) == ([("travel_time", "V1", "D")] if broken else [])


@pytest.mark.parametrize(("gap_s", "broken"), [(-0.5, False), (1.0, False), (1.5, True)])
def test_service_after_the_window_is_caught(
    good: Plan, two_vans_five_stops: Scenario, gap_s: float, broken: bool
) -> None:
    """Service starting after the end of the stop's only window is a time-window violation."""
    v = good.routes[0].visits[index_of(good.routes[0], "stop")]
    window = TimeWindow(0.0, v.start_s - gap_s)
    scenario = with_stop(two_vans_five_stops, v.location_id, time_windows=(window,))
    assert found(good, scenario) == ([("time_window", "V1", v.location_id)] if broken else [])


@pytest.mark.parametrize(("gap_s", "broken"), [(-0.5, False), (1.0, False), (1.5, True)])
def test_service_before_the_window_is_caught(
    good: Plan, two_vans_five_stops: Scenario, gap_s: float, broken: bool
) -> None:
    """Service starting before the stop's only window opens is a time-window violation."""
    v = good.routes[0].visits[index_of(good.routes[0], "stop")]
    window = TimeWindow(v.start_s + gap_s, 22 * 3600.0)
    scenario = with_stop(two_vans_five_stops, v.location_id, time_windows=(window,))
    assert found(good, scenario) == ([("time_window", "V1", v.location_id)] if broken else [])


def test_service_in_the_second_window_is_accepted(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """Any one of the stop's windows will do; outside all of them it is one violation."""
    v = good.routes[0].visits[index_of(good.routes[0], "stop")]
    early = TimeWindow(0.0, 3600.0)
    fits = TimeWindow(v.start_s - 60, v.start_s + 60)
    late = TimeWindow(v.start_s + 600, v.start_s + 1200)
    sid = v.location_id
    assert found(good, with_stop(two_vans_five_stops, sid, time_windows=(early, fits))) == []
    scenario = with_stop(two_vans_five_stops, sid, time_windows=(early, late))
    assert found(good, scenario) == [("time_window", "V1", sid)]
    assert "outside 00:00-01:00, " in messages(good, scenario)[0]


@pytest.mark.parametrize(("longer_s", "broken"), [(0.5, False), (1.0, False), (1.5, True)])
def test_short_service_is_caught(
    good: Plan, two_vans_five_stops: Scenario, longer_s: float, broken: bool
) -> None:
    """A stop whose service takes longer than the plan stays there is a service-time violation."""
    v = good.routes[0].visits[index_of(good.routes[0], "stop")]
    service_s = v.departure_s - v.start_s + longer_s
    scenario = with_stop(two_vans_five_stops, v.location_id, service_s=service_s)
    assert found(good, scenario) == ([("service_time", "V1", v.location_id)] if broken else [])


def test_slow_charger_is_caught(cold_plan: Plan, cold: Scenario) -> None:
    """A charger slower than planned cannot deliver the charge in the stop's time."""
    assert found(cold_plan, with_chargers(cold, power_w=10_000.0)) == [("charge_time", "V1", "C1")]


def test_the_van_limits_the_charging_power(cold_plan: Plan, cold: Scenario) -> None:
    """A van that takes less DC power than the charger gives charges at its own limit."""
    scenario = with_vehicle_type(cold, max_dc_power_w=10_000.0)
    assert found(cold_plan, scenario) == [("charge_time", "V1", "C1")]


def test_an_ac_charger_charges_at_the_van_s_ac_limit(cold_plan: Plan, cold: Scenario) -> None:
    """The same charger on AC is limited by the van's onboard charger (11 kW)."""
    assert found(cold_plan, with_chargers(cold, current="AC")) == [("charge_time", "V1", "C1")]


@pytest.mark.parametrize(("extra_s", "broken"), [(0.5, False), (0.95, False), (1.5, True)])
def test_charging_time_has_a_one_second_tolerance(
    cold_plan: Plan, cold: Scenario, extra_s: float, broken: bool
) -> None:
    """Charging takes charge * 3600 / power seconds: a plan a second short of that fails."""
    v = cold_plan.routes[0].visits[index_of(cold_plan.routes[0], "charge")]
    power_w = v.charge_wh * 3600.0 / (v.departure_s - v.start_s + extra_s)
    scenario = with_chargers(cold, power_w=power_w)
    assert found(cold_plan, scenario) == ([("charge_time", "V1", "C1")] if broken else [])
