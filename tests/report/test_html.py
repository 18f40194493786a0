"""The written report: complete, offline, escaped, and extensible by sections."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

import pytest

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.plan import Plan, Unassigned
from voltvan.report import ReportSection, render_report, write_report

# What would make a browser fetch something: an attribute, a CSS url() or an @import.
_FETCH = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
    re.I,
)


def _data(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="vv-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_write_report_returns_the_path_it_wrote(
    small_day: tuple[Plan, Scenario], tmp_path: Path
) -> None:
    """write_report creates missing folders and writes one non-trivial HTML file."""
    plan, scenario = small_day
    out = write_report(plan, scenario, tmp_path / "sub" / "report.html")
    assert out == tmp_path / "sub" / "report.html"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "</html>" in text


def test_every_route_and_unassigned_stop_is_in_the_report(
    small_day: tuple[Plan, Scenario],
) -> None:
    """Each van is in table, legend, chart and map data; each unassigned stop with its reason."""
    plan, scenario = small_day
    html = render_report(plan, scenario)
    data = _data(html)
    assert [r["van"] for r in data["routes"]] == [r.van_id for r in plan.routes]
    for r in plan.routes:
        assert html.count(f'data-van="{r.van_id}"') >= 3  # legend toggle, table row, chart line
    assert len(plan.unassigned) == 2
    for u in plan.unassigned:
        assert f'data-stop="{u.stop_id}"' in html
        assert escape(u.reason) in html
    assert {u["id"] for u in data["unassigned"]} == {u.stop_id for u in plan.unassigned}


def test_the_report_fetches_nothing_from_the_network(small_day: tuple[Plan, Scenario]) -> None:
    """No src/href/url()/@import points at http(s) or a protocol-relative URL."""
    plan, scenario = small_day
    html = render_report(plan, scenario)
    assert _FETCH.search(html) is None, _FETCH.search(html)
    assert "sourceMappingURL" not in html
    assert "<script src" not in html and "<link" not in html


def test_leaflet_is_inlined_with_its_licence_notice(small_day: tuple[Plan, Scenario]) -> None:
    """The vendored Leaflet is inside the page and keeps its copyright header."""
    html = render_report(*small_day)
    assert "Leaflet 1.9.4" in html
    assert "Vladimir Agafonkin" in html


def test_charge_stops_are_marked_on_map_and_chart(small_day: tuple[Plan, Scenario]) -> None:
    """A route with a charge visit gets a charge point on the map and a rising chart segment."""
    plan, scenario = small_day
    charging = [r for r in plan.routes if r.charge_visits]
    assert charging, "fixture must contain a charge stop"
    html = render_report(plan, scenario)
    data = _data(html)
    kinds = [p["kind"] for r in data["routes"] for p in r["points"]]
    assert kinds.count("charge") == sum(len(r.charge_visits) for r in plan.routes)
    assert html.count('class="vv-charge-seg"') == kinds.count("charge")
    used = [c["id"] for c in data["chargers"] if c["used"]]
    assert sorted(used) == sorted({v.location_id for r in charging for v in r.charge_visits})


def test_ids_from_input_files_cannot_inject_markup(small_day: tuple[Plan, Scenario]) -> None:
    """A reason or title with HTML or a closing script tag is escaped, not executed."""
    plan, scenario = small_day
    evil = "<script>alert(1)</script>"
    plan = Plan(
        scenario=plan.scenario,
        routes=plan.routes,
        unassigned=(Unassigned(plan.unassigned[0].stop_id, evil),),
    )
    html = render_report(plan, scenario, title=evil)
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _data(html)  # the JSON block still parses: its closing tag was not forged


def test_extra_sections_appear_in_order(small_day: tuple[Plan, Scenario]) -> None:
    """Sections from other capabilities are added after the tables, with escaped titles."""
    sections = (
        ReportSection("Site power & limit", '<svg id="power"></svg>'),
        ReportSection("Tariff", "<p id='tariff'>t</p>"),
    )
    html = render_report(*small_day, sections=sections)
    assert "Site power &amp; limit" in html
    assert html.index('id="power"') < html.index("id='tariff'")
    assert html.index('id="vv-unassigned"') < html.index('id="power"')


def test_summary_cards_show_totals(small_day: tuple[Plan, Scenario]) -> None:
    """The distance card shows the plan's total kilometres, one decimal."""
    plan, scenario = small_day
    html = render_report(plan, scenario)
    assert f"{plan.distance_m / 1000:,.1f} km" in html
    assert f">{plan.num_stops_served}<" in html


def test_empty_plan_still_renders(small_day: tuple[Plan, Scenario]) -> None:
    """A plan with no routes and no unassigned stops renders with clear empty notes."""
    _, scenario = small_day
    html = render_report(Plan(scenario="empty", routes=()), scenario)
    assert "The plan has no routes." in html
    assert "every stop is on a route" in html


def test_writing_onto_a_folder_is_invalid_input(
    small_day: tuple[Plan, Scenario], tmp_path: Path
) -> None:
    """Giving a folder as the output names the path in an InvalidInput."""
    with pytest.raises(InvalidInput, match=str(tmp_path)):
        write_report(*small_day, tmp_path)


def test_a_route_without_visits_is_invalid_input(small_day: tuple[Plan, Scenario]) -> None:
    """A broken plan (a route with no visits) names the van instead of crashing in the page."""
    plan, scenario = small_day
    broken = Plan(plan.scenario, (replace(plan.routes[0], visits=()), *plan.routes[1:]))
    with pytest.raises(InvalidInput, match=plan.routes[0].van_id):
        render_report(broken, scenario)
