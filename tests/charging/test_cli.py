"""``voltvan charge`` reads a scenario and a plan, writes a valid schedule and a chart."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from tests.charging.conftest import route
from tests.conftest import data_path
from voltvan.charging import Schedule
from voltvan.charging._check import check_schedule
from voltvan.cli import main
from voltvan.plan import Plan
from voltvan.scenario import generate_scenario, write_scenario


@pytest.fixture
def scenario_and_plan(tmp_path: Path) -> tuple[Path, Path]:
    """A generated 4-van Berlin scenario and a plan of 30 kWh routes leaving 06:00-09:00."""
    scenario = generate_scenario(num_stops=20, num_vans=4, seed=1)
    sdir = write_scenario(scenario, tmp_path / "scenario")
    routes = tuple(
        dataclasses.replace(
            route(van.id, 6 + i, 15, 30_000), vehicle_type_id=van.type_id, depot_id=van.depot_id
        )
        for i, van in enumerate(scenario.fleet.vans)
    )
    plan_path = tmp_path / "plan.json"
    Plan(scenario="gen", routes=routes).write_json(plan_path)
    return sdir, plan_path


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["voltvan", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_charge_writes_a_checked_schedule_and_chart(
    tmp_path: Path,
    scenario_and_plan: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The schedule has the documented fields, passes the checker, and the chart is SVG."""
    sdir, plan = scenario_and_plan
    out = tmp_path / "schedule.json"
    tariff = data_path("real", "acnportal-tou-tariffs", "sce_tou_ev_4_march_2019.json")
    code = _run(
        monkeypatch,
        "charge",
        str(sdir),
        "--plan",
        str(plan),
        "--out",
        str(out),
        "--tariff",
        str(tariff),
        "--tariff-date",
        "2019-07-02",
        "--report",
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["version"] == 1
    for key in ("vans", "slots", "site_limit_w", "cost", "shortfalls"):
        assert key in data
    van = data["vans"][0]
    for key in (
        "vehicle_id",
        "connector_id",
        "plug_in",
        "departure",
        "energy_needed_wh",
        "energy_delivered_wh",
    ):
        assert key in van
    assert {"start", "site_power_w", "price_per_kwh"} <= set(data["slots"][0])
    assert data["currency"] == "USD"
    schedule = Schedule.read_json(out)
    assert check_schedule(schedule.to_problem(), schedule) == []
    assert "<svg" in out.with_suffix(".html").read_text()
    assert "Depot charging tonight" in (tmp_path / "schedule-report.html").read_text()
    assert "vans meeting route energy" in capsys.readouterr().out


def test_charge_report_file_puts_the_report_there(
    tmp_path: Path, scenario_and_plan: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--report-file writes the report at that path (and none beside the schedule)."""
    sdir, plan = scenario_and_plan
    out = tmp_path / "night" / "schedule.json"
    report = tmp_path / "elsewhere" / "charging.html"
    code = _run(
        monkeypatch,
        "charge", str(sdir), "--plan", str(plan), "--out", str(out), "--report-file", str(report),
    )  # fmt: skip
    assert code == 0
    assert "Depot charging tonight" in report.read_text()
    assert not (out.parent / "schedule-report.html").exists()


def test_charge_without_report_writes_no_report(
    tmp_path: Path, scenario_and_plan: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --report only the schedule, its plug sheet and its chart are written."""
    sdir, plan = scenario_and_plan
    out = tmp_path / "night" / "schedule.json"
    code = _run(monkeypatch, "charge", str(sdir), "--plan", str(plan), "--out", str(out))
    assert code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "plugs.csv",
        "schedule.html",
        "schedule.json",
    ]


def test_csms_simulate_needs_only_the_schedule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without chargers.toml, --simulate plays the night on the schedule's chargers."""
    from tests.charging.ocpp_rig import two_van_schedule

    schedule = tmp_path / "schedule.json"
    two_van_schedule().write_json(schedule)
    data = tmp_path / "csms"  # does not exist yet
    code = _run(
        monkeypatch,
        "csms", "--data", str(data), "--simulate", "--schedule", str(schedule),
        "--speed", "20000", "--night-of", "2026-03-02",
    )  # fmt: skip
    assert code == 0
    out = " ".join(capsys.readouterr().out.split())  # the summary may wrap
    summary = re.search(
        r"2 simulated chargers over WebSockets, 2 vans: planned ([\d.]+) kWh, "
        r"metered ([\d.]+) kWh, re-plans 0",
        out,
    )
    assert summary is not None, out
    planned, metered = float(summary[1]), float(summary[2])
    assert planned > 0 and abs(metered - planned) <= 0.01 * planned
    assert (data / "csms-simulated.sqlite").exists()
    assert not (data / "chargers.toml").exists()


def test_csms_simulate_with_a_missing_schedule_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --schedule that does not exist is exit 2 naming that file."""
    missing = tmp_path / "nope.json"
    code = _run(
        monkeypatch, "csms", "--data", str(tmp_path), "--simulate", "--schedule", str(missing)
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "nope.json" in err and "not found" in err


def test_charge_bad_arrivals_is_one_line_exit_2(
    tmp_path: Path,
    scenario_and_plan: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An arrivals file naming an unknown charger ends with exit 2 and names the field."""
    sdir, plan = scenario_and_plan
    arr = tmp_path / "arrivals.csv"
    arr.write_text("vehicle_id,arrival,soc,charger_id\nV001,18:00,0.3,NOPE\n")
    code = _run(
        monkeypatch,
        "charge",
        str(sdir),
        "--plan",
        str(plan),
        "--out",
        str(tmp_path / "s.json"),
        "--arrivals",
        str(arr),
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "charger_id" in err


def test_csms_command_serves_chargers_and_refuses_bad_config(tmp_path: Path) -> None:
    """``voltvan csms`` accepts a known charger over OCPP; a short password is exit 2."""
    import asyncio
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    from tests.charging.ocpp_rig import FastClock, sim, until

    data = tmp_path / "csms"
    data.mkdir()
    (data / "chargers.toml").write_text('[[charger]]\nid = "CP1"\npassword = "short"\n')
    exe = [sys.executable, "-c", "from voltvan.cli import main; main()", "csms"]
    bad = subprocess.run([*exe, "--data", str(data)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "charger[0].password" in bad.stderr
    (data / "chargers.toml").write_text('[[charger]]\nid = "CP1"\npassword = "secret-one"\n')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "csms.log").open("w")  # a file, not a pipe nobody reads: no blocked writes
    proc = subprocess.Popen(
        [*exe, "--data", str(data), "--port", str(port)], stdout=log, stderr=log
    )
    try:
        for _ in range(1200):  # a loaded machine may take long to import; never a timing check
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0 or proc.poll() is not None:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, (tmp_path / "csms.log").read_text()

        async def go() -> None:
            cp = sim("CP1", port, FastClock())
            await cp.connect()
            await until(lambda: cp.online)
            await cp.close()

        asyncio.run(go())
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        log.close()
    assert (data / "csms.sqlite").exists()


def test_charge_plan_with_unknown_van_names_the_plan(
    tmp_path: Path,
    scenario_and_plan: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A route for a van the fleet does not have is exit 2 with the plan file named."""
    sdir, plan = scenario_and_plan
    data = json.loads(plan.read_text())
    data["routes"][0]["van_id"] = "GHOST"
    plan.write_text(json.dumps(data))
    code = _run(
        monkeypatch, "charge", str(sdir), "--plan", str(plan), "--out", str(tmp_path / "s.json")
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "GHOST" in err and "plan.json" in err


def test_csms_without_chargers_file_says_what_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real server with no chargers.toml is exit 2 naming the file and what goes in it."""
    code = _run(monkeypatch, "csms", "--data", str(tmp_path))
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "chargers.toml: file not found" in err and "[[charger]] id, password" in err
