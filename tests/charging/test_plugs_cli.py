"""``voltvan charge`` writes the plug sheet beside the schedule and prints the re-plug count."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.charging.conftest import route
from voltvan.charging import Schedule, check_plugs, plug_sheet, read_plugs_csv, replugs
from voltvan.charging._plugsheet import by_staff
from voltvan.cli import main
from voltvan.domain import TimeWindow
from voltvan.plan import Plan
from voltvan.report import charging_section
from voltvan.scenario import generate_scenario, read_scenario, write_scenario

H = 3600.0


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["voltvan", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_charge_writes_plug_sheet_and_prints_replugs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seven vans, all back at 18:00, on the depot's four plugs with staff 22:00-02:00: three
    re-plugs (the least: every van past the fourth takes over a plug), all at staffed times."""
    scenario = generate_scenario(num_stops=20, num_vans=7, seed=1)
    fleet = scenario.fleet
    depot = dataclasses.replace(fleet.depots[0], staffed=(TimeWindow(22 * H, 26 * H),))
    chargers = tuple(c for c in fleet.chargers if c.id not in ("DEPOT-AC03", "DEPOT-AC04"))
    fleet = dataclasses.replace(fleet, depots=(depot,), chargers=chargers)
    sdir = write_scenario(dataclasses.replace(scenario, fleet=fleet), tmp_path / "scenario")
    assert read_scenario(sdir).fleet.depots[0].staffed == (TimeWindow(22 * H, 26 * H),)
    routes = tuple(
        dataclasses.replace(
            route(van.id, 6 + i % 3, 15, 30_000), vehicle_type_id=van.type_id, depot_id=depot.id
        )
        for i, van in enumerate(fleet.vans)
    )
    plan = tmp_path / "plan.json"
    Plan(scenario="gen", routes=routes).write_json(plan)
    out = tmp_path / "night" / "schedule.json"
    out.parent.mkdir()
    code = _run(monkeypatch, "charge", str(sdir), "--plan", str(plan), "--out", str(out))
    assert code == 0
    schedule = Schedule.read_json(out)
    rows = read_plugs_csv(out.with_name("plugs.csv"))
    assert rows == plug_sheet(schedule)
    assert check_plugs(schedule.to_problem(), schedule, rows) == []
    visits = replugs(schedule)
    assert len(visits) == 3
    assert all(22 * H <= r.time_s <= 26 * H for r in visits)
    html = out.with_suffix(".html").read_text()
    assert "<h3>Plug sheet</h3><p>3 re-plug(s) by staff · staffed: 22:00-02:00" in html
    assert html.count("<td>staff</td>") == sum(sum(by_staff(schedule, r)) for r in rows)
    section = charging_section(schedule).html
    assert "<h3>Re-plugs</h3>" in section and all(r.vehicle_id in section for r in rows)
    printed = capsys.readouterr().out
    line = next(x for x in printed.splitlines() if "re-plugs by staff" in x)
    assert " 3 (at " in line
    assert "22:00-02:00" in printed
