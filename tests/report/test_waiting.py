"""Waiting explained: idle time per van by cause, flagged only when vans sit unused meanwhile."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.report.plans import waiting_day
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.report import render_report
from voltvan.report._view import route_views
from voltvan.report._waiting import (
    duration_text,
    flag_text,
    unused_vans,
    waitings,
    why_text,
)


def test_a_van_early_for_a_late_window_waits_and_is_flagged() -> None:
    """Arriving ~07:10 at a stop that opens at 14:00 is hours of waiting, with a van idle."""
    plan, scenario = waiting_day(late_window_h=14, fleet_vans=2)
    (w,) = waitings(route_views(plan, scenario), scenario)
    s2 = plan.routes[0].visits[2]
    assert w.for_windows_s == pytest.approx(14 * 3600 - s2.arrival_s)
    assert w.for_windows_s > 6 * 3600
    assert w.for_windows_stops == 1
    assert w.for_charger_s == 0
    assert w.longest is not None and (w.longest.location_id, w.longest.number) == ("S2", 2)
    assert w.unused_vans == ("V2",)
    assert w.flagged
    assert "V2" in flag_text(w)
    assert "early at 1 stop, waiting for the time window to open" in why_text(w)


def test_the_flag_is_in_the_report_with_the_unused_van() -> None:
    """The report's waiting table and run sheet carry the warning; the card turns orange."""
    plan, scenario = waiting_day(late_window_h=14, fleet_vans=2)
    html = render_report(plan, scenario)
    assert html.count('class="vv-flagged"') == 1
    assert "Worth a look</th>" in html
    assert "stays unused (V2)" in html
    assert 'class="vv-rs-flag"' in html
    assert 'class="vv-card vv-warn"><div class="vv-k">Waiting' in html


def test_long_waiting_is_not_flagged_when_every_van_is_used() -> None:
    """The same wait with no van left at the depot is explained but not flagged."""
    plan, scenario = waiting_day(late_window_h=14, fleet_vans=1)
    (w,) = waitings(route_views(plan, scenario), scenario)
    assert w.total_s > 6 * 3600
    assert not w.flagged
    html = render_report(plan, scenario)
    assert 'class="vv-flagged"' not in html and 'class="vv-rs-flag"' not in html
    assert "Worth a look" not in html
    assert "early at 1 stop" in html


def test_a_van_that_does_not_wait_is_not_flagged() -> None:
    """A window that is already open on arrival means no waiting, even with a van unused."""
    plan, scenario = waiting_day(late_window_h=7, fleet_vans=2)
    (w,) = waitings(route_views(plan, scenario), scenario)
    assert w.total_s == 0
    assert w.unused_vans == ("V2",)
    assert not w.flagged
    assert why_text(w) == "no waiting"
    assert 'class="vv-flagged"' not in render_report(plan, scenario)


def test_queueing_at_a_charger_is_its_own_cause(small_day: tuple[Plan, Scenario]) -> None:
    """A charge visit that starts after arrival counts as waiting for a free charger."""
    plan, scenario = small_day
    route = next(r for r in plan.routes if r.charge_visits)
    k = next(i for i, v in enumerate(route.visits) if v.kind == "charge")
    v = route.visits[k]
    queued = replace(v, start_s=v.arrival_s + 900, departure_s=v.departure_s + 900)
    route = replace(route, visits=(*route.visits[:k], queued, *route.visits[k + 1 :]))
    views = route_views(Plan(plan.scenario, (route,)), scenario)
    (w,) = waitings(views, scenario)
    assert w.for_charger_s == pytest.approx(900)
    assert w.charging_s == pytest.approx(v.departure_s - v.start_s)
    assert "15 min waiting for a free charger" in why_text(w)
    assert w.total_s == pytest.approx(views[0].waiting_s)


def test_unused_vans_are_those_without_stops(small_day: tuple[Plan, Scenario]) -> None:
    """Every van of the small day has a route; dropping one route leaves that van unused."""
    plan, scenario = small_day
    assert unused_vans(route_views(plan, scenario), scenario) == ()
    fewer = Plan(plan.scenario, plan.routes[1:])
    assert unused_vans(route_views(fewer, scenario), scenario) == (plan.routes[0].van_id,)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 min"), (29, "0 min"), (35 * 60, "35 min"), (3600, "1 h 00 min"), (7500, "2 h 05 min")],
)
def test_durations_read_as_hours_and_minutes(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text
