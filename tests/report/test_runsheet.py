"""Run sheets, loads and van models: what a dispatcher prints and acts on."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.report.plans import waiting_day
from voltvan.domain import Scenario
from voltvan.plan import Plan
from voltvan.report import render_report
from voltvan.report._runsheet import load_text
from voltvan.report._view import route_views


def _sheet(html: str, van: str) -> str:
    found = re.search(rf'<details class="vv-runsheet" data-van="{van}">(.*?)</details>', html, re.S)
    assert found is not None, f"no run sheet for {van}"
    return found.group(1)


def _numbered_rows(sheet: str) -> list[tuple[int, str]]:
    return [
        (int(n), unescape(stop))
        for stop, n in re.findall(r'<tr data-stop="([^"]*)"><td class="vv-num">(\d+)</td>', sheet)
    ]


def _map_data(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="vv-data">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_run_sheets_follow_plan_json_and_the_map_numbers(
    small_day: tuple[Plan, Scenario], tmp_path: Path
) -> None:
    """Each van's sheet lists its stops in plan.json order, numbered 1..n like the map markers."""
    plan, scenario = small_day
    plan.write_json(tmp_path / "plan.json")
    saved = Plan.read_json(tmp_path / "plan.json")
    html = render_report(saved, scenario)
    data = {r["van"]: r for r in _map_data(html)["routes"]}
    for route in saved.routes:
        sheet = _sheet(html, route.van_id)
        rows = _numbered_rows(sheet)
        assert rows == list(enumerate(route.stop_ids, start=1))
        assert "Leave Berlin Süd (DEPOT)" in sheet and "Back at Berlin Süd (DEPOT)" in sheet
        marked = [(p["seq"], p["id"]) for p in data[route.van_id]["points"] if p["kind"] == "stop"]
        assert marked == rows


def test_charge_stops_are_on_the_sheet_unnumbered(small_day: tuple[Plan, Scenario]) -> None:
    """A charge stop has its row (where, how much, when) but takes no stop number."""
    plan, scenario = small_day
    route = next(r for r in plan.routes if r.charge_visits)
    sheet = _sheet(render_report(plan, scenario), route.van_id)
    charge = route.charge_visits[0]
    assert sheet.count('class="vv-rs-charge"') == len(route.charge_visits)
    assert f"Charge {charge.charge_wh / 1000:.1f} kWh at {charge.location_id}" in sheet
    assert len(_numbered_rows(sheet)) == len(route.stop_ids)


def test_customer_parcels_and_note_columns_come_from_the_scenario(
    small_day: tuple[Plan, Scenario],
) -> None:
    """Stops with a name, address, parcels and note show them; the columns exist only then."""
    plan, scenario = small_day
    bare = _sheet(render_report(plan, scenario), plan.routes[0].van_id)
    assert "Customer" not in bare and "Parcels" not in bare and "Note" not in bare
    first = plan.routes[0].stop_ids[0]
    stops = tuple(
        replace(s, name="Bäckerei <Kunz>", address="Oranienstr. 12", parcels=4, note="back door")
        if s.id == first
        else s
        for s in scenario.stops
    )
    sheet = _sheet(render_report(plan, replace(scenario, stops=stops)), plan.routes[0].van_id)
    assert '<th class="vv-l">Customer</th>' in sheet and "<th>Parcels</th>" in sheet
    assert "<b>Bäckerei &lt;Kunz&gt;</b><br>Oranienstr. 12" in sheet
    assert "<td>4</td>" in sheet and "back door" in sheet
    assert "<dt>Parcels</dt><dd>4</dd>" in sheet


def test_load_at_departure_against_capacity() -> None:
    """300 + 200 kg on a 1,000 kg van is 50 %; 3 m³ of 12 m³ is 25 %."""
    plan, scenario = waiting_day(late_window_h=7, fleet_vans=1)
    route = plan.routes[0]
    start = replace(route.visits[0], load_m3=3.0)
    plan = Plan(plan.scenario, (replace(route, visits=(start, *route.visits[1:])),))
    (view,) = route_views(plan, scenario)
    assert view.load_kg == pytest.approx(500.0)
    assert view.load_share_kg == pytest.approx(0.5)
    assert view.load_share_m3 == pytest.approx(0.25)
    html = render_report(plan, scenario)
    assert "500 kg · 50%" in html  # route table
    assert "3.0 m³ · 25%" in html
    assert "500 kg of 1,000 kg (50%)" in _sheet(html, "V1")
    assert "3.0 m³ of 12.0 m³ (25%)" in _sheet(html, "V1")


def test_load_without_a_known_capacity_shows_the_load_alone() -> None:
    assert load_text(812.4, None, "kg", 0) == "812 kg"
    assert load_text(812.4, 1758.0, "kg", 0) == "812 kg of 1,758 kg (46%)"


def test_the_van_model_is_shown_instead_of_the_type_id(small_day: tuple[Plan, Scenario]) -> None:
    """Vehicle types named in fleet.toml show by name; a type without a name falls back to id."""
    plan, scenario = small_day
    large, small = scenario.fleet.vehicle_types
    fleet = replace(scenario.fleet, vehicle_types=(replace(large, name="Ford E-Transit"), small))
    html = render_report(plan, replace(scenario, fleet=fleet))
    start = html.index('id="vv-routes"')
    table = html[start : html.index("</table>", start)]
    on_large = [r for r in plan.routes if r.vehicle_type_id == "large"]
    on_small = [r for r in plan.routes if r.vehicle_type_id == "small"]
    assert on_large and on_small
    assert table.count('<td class="vv-l">Ford E-Transit</td>') == len(on_large)
    assert table.count('<td class="vv-l">small</td>') == len(on_small)
    assert '<td class="vv-l">large</td>' not in table
    assert f"<b>Van {on_large[0].van_id}</b> · Ford E-Transit" in html
    tooltips = [r["tooltip"] for r in _map_data(html)["routes"]]
    assert any("Ford E-Transit" in t for t in tooltips)


class _Text(HTMLParser):
    """The text a reader sees (and tooltips), without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def test_no_internal_names_reach_the_reader(small_day: tuple[Plan, Scenario]) -> None:
    """The planner's statistics read as words: no snake_case key anywhere a person reads."""
    plan, scenario = small_day
    stats = {
        "runtime_s": 10.0,
        "iterations": 10_754,
        "seed": 0,
        "rounds": 8,
        "engine_feasible": True,
        "matrix_depart_s": 32_400.0,
        "energy_scale": {},
        "time_limit_s": 10.0,
        "max_iterations": None,
        "repaired_stops": 0,
        "reinserted_stops": 0,
        "planning_time_s": 10.05,
    }
    html = render_report(replace(plan, stats=stats), scenario)
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    popups = " ".join(p["popup"] + p["tip"] for r in _map_data(html)["routes"] for p in r["points"])
    for shown in (text, popups):
        assert re.findall(r"\b[a-z]+_[a-z0-9_]+\b", shown) == []
    assert "travel times as for departures at: 09:00" in text
    assert "the route search found the plan feasible: yes" in text
    assert "search steps: 10,754" in text
