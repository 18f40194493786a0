"""The checker's load and energy rules, one broken at a time: payload and cargo volume, the
reserve on arrival and after service, chargers, charge amounts, and the state the plan reports."""

from __future__ import annotations

import pytest

from tests.check.edits import (
    found,
    index_of,
    messages,
    with_chargers,
    with_energy_shift,
    with_pause,
    with_vans,
    with_vehicle_type,
    with_visit,
)
from voltvan import energy
from voltvan.domain import Scenario
from voltvan.plan import Plan

BATTERY_WH = 68_000.0  # the large van of two_vans_five_stops


@pytest.mark.parametrize(("less_kg", "broken"), [(0.0, False), (0.01, True)])
def test_payload_over_capacity_is_caught(
    good: Plan, two_vans_five_stops: Scenario, less_kg: float, broken: bool
) -> None:
    """A van type that carries less than the route loads is a capacity violation for the van."""
    load_kg = good.routes[0].visits[0].load_kg
    scenario = with_vehicle_type(two_vans_five_stops, payload_kg=load_kg - less_kg)
    assert found(good, scenario) == ([("capacity", "V1", "")] if broken else [])
    if broken:
        assert messages(good, scenario)[0].startswith(f"load {load_kg:.1f} kg exceeds payload")


@pytest.mark.parametrize(("less_m3", "broken"), [(0.0, False), (0.001, True)])
def test_volume_over_capacity_is_caught(
    good: Plan, two_vans_five_stops: Scenario, less_m3: float, broken: bool
) -> None:
    """A van type with less cargo space than the route's parcels take is a capacity violation."""
    load_m3 = good.routes[0].visits[0].load_m3
    scenario = with_vehicle_type(two_vans_five_stops, volume_m3=load_m3 - less_m3)
    assert found(good, scenario) == ([("capacity", "V1", "")] if broken else [])
    if broken:
        assert "m3 exceeds cargo" in messages(good, scenario)[0]


@pytest.mark.parametrize(("above_wh", "broken"), [(0.5, False), (1.5, True)])
def test_arriving_below_the_reserve_is_caught(
    good: Plan, two_vans_five_stops: Scenario, above_wh: float, broken: bool
) -> None:
    """A reserve just above what the van has when it is back is broken at the depot only."""
    back_wh = good.routes[0].visits[-1].energy_wh
    reserve = (back_wh + above_wh) / BATTERY_WH
    scenario = with_vehicle_type(two_vans_five_stops, reserve_fraction=reserve)
    assert found(good, scenario) == ([("energy_reserve", "V1", "D")] if broken else [])
    if broken:
        assert messages(good, scenario)[0].startswith("arrives with")


def _last_dwell_wh(good: Plan, scenario: Scenario) -> float:
    last = good.routes[0].visits[-2]
    return energy.dwell_energy_wh(
        scenario.fleet.vehicle_types[0].consumption,
        duration_s=last.departure_s - last.start_s,
        ambient_c=scenario.fleet.ambient_c,
    )


@pytest.mark.parametrize(("below_wh", "at_stop"), [(0.5, False), (1.5, True)])
def test_leaving_a_stop_has_a_one_wh_tolerance(
    good: Plan, two_vans_five_stops: Scenario, below_wh: float, at_stop: bool
) -> None:
    """A reserve just above what the van has after serving its last stop: broken there only
    beyond the 1 Wh tolerance (the van is always below it when it is back)."""
    last = good.routes[0].visits[-2]
    after_service_wh = last.energy_wh - _last_dwell_wh(good, two_vans_five_stops)
    reserve = (after_service_wh + below_wh) / BATTERY_WH
    scenario = with_vehicle_type(two_vans_five_stops, reserve_fraction=reserve)
    at_last = [("energy_reserve", "V1", last.location_id)] if at_stop else []
    assert found(good, scenario) == [*at_last, ("energy_reserve", "V1", "D")]


def test_leaving_a_stop_below_the_reserve_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """The van idles through service: a reserve between its energy on arrival at the last stop
    and after serving it is broken when it leaves that stop (and again when it is back)."""
    last = good.routes[0].visits[-2]
    dwell_wh = _last_dwell_wh(good, two_vans_five_stops)
    assert dwell_wh > 10
    reserve = (last.energy_wh - dwell_wh / 2) / BATTERY_WH
    scenario = with_vehicle_type(two_vans_five_stops, reserve_fraction=reserve)
    assert found(good, scenario) == [
        ("energy_reserve", "V1", last.location_id),
        ("energy_reserve", "V1", "D"),
    ]
    assert messages(good, scenario)[0].startswith("leaves with")


def test_charging_where_there_is_no_charger_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """A charge visit at the depot, where the scenario has no charger, is an unknown charger."""
    broken = with_pause(good, 0, len(good.routes[0].visits) - 1)
    assert found(broken, two_vans_five_stops) == [("unknown_charger", "V1", "D")]


def test_energy_charged_where_there_is_no_charger_does_not_count(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """The replay ignores 500 Wh "charged" at the depot: the plan, which did not count them
    either, still matches it, so the unknown charger is the only violation."""
    broken = with_pause(good, 0, len(good.routes[0].visits) - 1, charge_wh=500.0)
    assert found(broken, two_vans_five_stops) == [("unknown_charger", "V1", "D")]


def test_a_negative_charge_is_caught(cold_plan: Plan, cold: Scenario) -> None:
    """Charging a negative amount is an energy-battery violation at the charger."""
    j = index_of(cold_plan.routes[0], "charge")
    broken = with_pause(cold_plan, 0, j, charge_wh=-0.5)
    assert found(broken, cold) == [("energy_battery", "V1", "C1")]
    assert messages(broken, cold) == ["negative charge"]


@pytest.mark.parametrize(("above_wh", "broken"), [(0.5, False), (1.5, True)])
def test_overcharging_is_caught(
    cold_plan: Plan, cold: Scenario, above_wh: float, broken: bool
) -> None:
    """Charging above the battery's capacity is an energy-battery violation at the charger.

    Charger and van take 200 kW here, so the larger charge still fits in the stop's time, and
    the plan reports the larger charge downstream, so that only the battery limit is broken."""
    route = cold_plan.routes[0]
    j = index_of(route, "charge")
    v = route.visits[j]
    battery_wh = cold.fleet.vehicle_types[0].battery_wh
    more_wh = battery_wh + above_wh - (v.energy_wh + v.charge_wh)
    fast = with_vehicle_type(with_chargers(cold, power_w=200_000.0), max_dc_power_w=200_000.0)
    plan = with_visit(cold_plan, 0, j, charge_wh=v.charge_wh + more_wh)
    plan = with_energy_shift(plan, 0, j, more_wh)
    assert found(plan, fast) == ([("energy_battery", "V1", "C1")] if broken else [])


@pytest.mark.parametrize(("off_wh", "broken"), [(130.0, False), (145.0, True), (-145.0, True)])
def test_wrong_reported_energy_is_caught(
    good: Plan, two_vans_five_stops: Scenario, off_wh: float, broken: bool
) -> None:
    """Energy on arrival must match the replay within 1 Wh + 0.2 % of the battery (137 Wh)."""
    j = index_of(good.routes[0], "stop")
    v = good.routes[0].visits[j]
    plan = with_visit(good, 0, j, energy_wh=v.energy_wh + off_wh)
    expected = [("reported_state", "V1", v.location_id)] if broken else []
    assert found(plan, two_vans_five_stops) == expected


@pytest.mark.parametrize(("off", "broken"), [(0.0019, False), (0.0021, True), (-0.0021, True)])
def test_wrong_reported_soc_is_caught(
    good: Plan, two_vans_five_stops: Scenario, off: float, broken: bool
) -> None:
    """The state of charge on arrival must match the replay too, on its own."""
    j = index_of(good.routes[0], "stop")
    v = good.routes[0].visits[j]
    plan = with_visit(good, 0, j, soc=v.soc + off)
    expected = [("reported_state", "V1", v.location_id)] if broken else []
    assert found(plan, two_vans_five_stops) == expected


def test_a_van_that_starts_less_charged_is_caught(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """The replay starts from the van's own start SoC: 99 % instead of the planned 100 % makes
    every reported energy wrong, from the depot on."""
    scenario = with_vans(two_vans_five_stops, start_soc=0.99)
    route = good.routes[0]
    assert found(good, scenario) == [("reported_state", "V1", v.location_id) for v in route.visits]


def test_a_reported_load_off_by_exactly_a_gram_passes(
    good: Plan, two_vans_five_stops: Scenario
) -> None:
    """The weight tolerance is 1 g, inclusive: the empty van back at the depot may report
    0.001 kg (whole-kilogram parcels leave exactly 0 kg in the replay)."""
    end = len(good.routes[0].visits) - 1
    assert good.routes[0].visits[end].load_kg == 0
    assert found(with_visit(good, 0, end, load_kg=0.001), two_vans_five_stops) == []
    broken = with_visit(good, 0, end, load_kg=0.0011)
    assert found(broken, two_vans_five_stops) == [("reported_state", "V1", "D")]


@pytest.mark.parametrize(
    ("field", "off", "broken"),
    [
        ("load_kg", 0.0009, False),
        ("load_kg", 0.0011, True),
        ("load_kg", -0.0011, True),
        ("load_m3", 0.9e-6, False),
        ("load_m3", 1.1e-6, True),
        ("load_m3", -1.1e-6, True),
    ],
)
def test_wrong_reported_load_is_caught(
    good: Plan, two_vans_five_stops: Scenario, field: str, off: float, broken: bool
) -> None:
    """The load on arrival (weight and volume) must match the replay."""
    j = index_of(good.routes[0], "stop")
    v = good.routes[0].visits[j]
    plan = with_visit(good, 0, j, **{field: getattr(v, field) + off})
    expected = [("reported_state", "V1", v.location_id)] if broken else []
    assert found(plan, two_vans_five_stops) == expected
    if broken:
        assert "on board" in messages(plan, two_vans_five_stops)[0]
