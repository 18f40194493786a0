"""The numbers behind the report: SoC curves, battery size, summary."""

from __future__ import annotations

import pytest

from voltvan.domain import Scenario
from voltvan.plan import Plan, Route, Visit
from voltvan.report._view import (
    PALETTE,
    battery_wh_of,
    route_views,
    soc_curve,
    summarise,
    van_colour,
)


def _visit(kind: str, t: float, soc: float, *, wait: float = 0, stay: float = 0,
           charge_wh: float = 0) -> Visit:  # fmt: skip
    return Visit(kind, f"{kind}{t:.0f}", 52.5, 13.4, t, t + wait, t + wait + stay, 0.0, 0.0,  # type: ignore[arg-type]
                 soc * 10_000, soc, charge_wh=charge_wh)  # fmt: skip


def test_soc_curve_is_flat_at_stops_and_rises_while_charging() -> None:
    """A wait and a service keep the SoC; a 4 kWh charge on a 10 kWh battery adds 40 points."""
    visits = (
        _visit("start", 0, 1.0),
        _visit("stop", 100, 0.9, wait=50, stay=30),
        _visit("charge", 300, 0.5, wait=10, stay=600, charge_wh=4_000),
        _visit("end", 1_000, 0.8),
    )
    curve = soc_curve(visits, 10_000)
    assert [(p.t_s, round(p.soc, 3), p.charging) for p in curve] == [
        (0, 1.0, False),
        (100, 0.9, False),
        (180, 0.9, False),
        (300, 0.5, False),
        (310, 0.5, False),
        (910, 0.9, True),
        (1_000, 0.8, False),
    ]


def test_battery_is_inferred_when_the_scenario_lacks_the_type(
    small_day: tuple[Plan, Scenario],
) -> None:
    """A route of an unknown vehicle type gets energy / SoC as its battery size."""
    plan, scenario = small_day
    r = plan.routes[0]
    known = battery_wh_of(r, scenario)
    stranger = Route("X", "unknown-type", r.depot_id, r.visits, r.distance_m, r.energy_wh,
                     r.charged_wh, r.energy_needed_wh)  # fmt: skip
    assert battery_wh_of(stranger, scenario) == pytest.approx(known)


def test_summary_counts_match_the_plan(small_day: tuple[Plan, Scenario]) -> None:
    """Cards count the plan's stops, charge stops and its lowest SoC van."""
    plan, scenario = small_day
    views = route_views(plan, scenario)
    s = summarise(plan, scenario, views)
    assert s.stops_served == sum(len(r.stop_ids) for r in plan.routes)
    assert s.stops_unassigned == 2
    assert s.num_charges == sum(len(r.charge_visits) for r in plan.routes) >= 1
    lowest = min(plan.routes, key=lambda r: r.min_soc)
    assert s.min_soc_van == lowest.van_id
    assert s.min_soc == pytest.approx(lowest.min_soc)
    assert len({v.colour for v in views}) == len(views)


def test_van_colours_stay_distinct_for_a_large_fleet() -> None:
    """Sixty vans get sixty different colours, the first ones from the fixed palette."""
    colours = [van_colour(i) for i in range(60)]
    assert len(set(colours)) == 60
    assert colours[: len(PALETTE)] == list(PALETTE)


def test_waiting_is_the_time_between_arrival_and_service(small_day: tuple[Plan, Scenario]) -> None:
    """A route's waiting time adds up start minus arrival over its stops, and is not negative."""
    plan, scenario = small_day
    for view in route_views(plan, scenario):
        expected = sum(v.start_s - v.arrival_s for v in view.route.visits if v.kind == "stop")
        assert view.waiting_s == pytest.approx(expected)
        assert view.waiting_s >= 0
    assert any(v.waiting_s > 0 for v in route_views(plan, scenario))
