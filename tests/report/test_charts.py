"""The SoC chart SVG: one line per van, reserve lines, hour ticks, charging segments."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.report._charts import soc_chart_svg
from voltvan.report._view import route_views


def test_chart_is_well_formed_with_one_group_per_van(small_day: tuple[Plan, Scenario]) -> None:
    """The SVG parses as XML and holds a group with a polyline for every route, in plan order."""
    plan, scenario = small_day
    svg = ET.fromstring(soc_chart_svg(route_views(plan, scenario)))
    groups = [g for g in svg.iter("g") if g.get("class") == "vv-soc"]
    assert [g.get("data-van") for g in groups] == [r.van_id for r in plan.routes]
    assert all(g.find("polyline") is not None for g in groups)


def test_one_dashed_reserve_line_per_distinct_reserve(small_day: tuple[Plan, Scenario]) -> None:
    """Types with 10 % and 15 % reserve give two labelled reserve lines."""
    plan, scenario = small_day
    views = route_views(plan, scenario)
    assert {v.reserve_fraction for v in views} == {0.10, 0.15}
    svg = soc_chart_svg(views)
    assert svg.count('class="vv-reserve"') == 2
    assert "reserve 10%" in svg and "reserve 15%" in svg


def test_hour_ticks_cover_the_day(small_day: tuple[Plan, Scenario]) -> None:
    """X labels are HH:MM on whole hours from the first departure to the last return."""
    plan, scenario = small_day
    svg = soc_chart_svg(route_views(plan, scenario))
    labels = re.findall(r">(\d\d:\d\d)</text>", svg)
    first = min(r.start_s for r in plan.routes) // 3600
    last = -(-max(r.end_s for r in plan.routes) // 3600)
    assert labels[0] == f"{first:02.0f}:00"
    assert labels[-1] == f"{last:02.0f}:00"
    assert all(label.endswith(":00") for label in labels)


def test_charging_rises_on_the_chart(small_day: tuple[Plan, Scenario]) -> None:
    """Every charging segment ends higher on the chart (smaller y) than it starts."""
    plan, scenario = small_day
    svg = soc_chart_svg(route_views(plan, scenario))
    segs = re.findall(
        r'class="vv-charge-seg" x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"', svg
    )
    assert len(segs) == sum(len(r.charge_visits) for r in plan.routes) >= 1
    assert all(float(y2) < float(y1) for y1, y2 in segs)


def test_empty_plan_gives_an_empty_chart() -> None:
    """No routes still give a valid SVG with axes and no van lines."""
    svg = ET.fromstring(soc_chart_svg([]))
    assert svg.get("id") == "vv-soc-chart"
    assert not [g for g in svg.iter("g") if g.get("class") == "vv-soc"]
