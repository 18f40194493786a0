"""The day timeline: a row per van on the SoC chart's time axis, waits and charging marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.report._timeline import MIN_WAIT_S, timeline_svg
from voltvan.report._view import route_views


def _rects(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [r for r in svg.iter("rect") if r.get("class") == cls]


def test_one_row_per_van_with_its_charging(small_day: tuple[Plan, Scenario]) -> None:
    """Each route gets a row; each charge visit a charging bar; each long wait a wait bar."""
    plan, scenario = small_day
    svg = ET.fromstring(timeline_svg(route_views(plan, scenario), scenario))
    rows = [g for g in svg.iter("g") if g.get("class") == "vv-tl"]
    assert [g.get("data-van") for g in rows] == [r.van_id for r in plan.routes]
    assert len(_rects(svg, "vv-tl-work")) == len(plan.routes)
    assert len(_rects(svg, "vv-tl-charge")) == sum(len(r.charge_visits) for r in plan.routes)
    waits = sum(1 for r in plan.routes for v in r.visits if v.start_s - v.arrival_s >= MIN_WAIT_S)
    assert len(_rects(svg, "vv-tl-wait")) == waits


def test_bars_lie_inside_the_van_shift(small_day: tuple[Plan, Scenario]) -> None:
    """A route inside its shift draws its work bar inside the dashed shift frame."""
    plan, scenario = small_day
    svg = ET.fromstring(timeline_svg(route_views(plan, scenario), scenario))
    for shift, work in zip(_rects(svg, "vv-tl-shift"), _rects(svg, "vv-tl-work"), strict=True):
        s0, w0 = float(shift.get("x", "0")), float(work.get("x", "0"))
        s1 = s0 + float(shift.get("width", "0"))
        w1 = w0 + float(work.get("width", "0"))
        assert s0 - 0.05 <= w0 <= w1 <= s1 + 0.05
