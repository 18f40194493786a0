"""Reports read in an 80-column terminal, give the same rows as CSV and JSON, and say what the
data could not give (energy without a battery capacity, alerts without a plan or fleet)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import data_path
from tests.telemetry.analytics_data import T0, Row, rows_from_series
from voltvan.cli import app
from voltvan.errors import InvalidInput
from voltvan.telemetry import BATTERY_POWER, IS_CHARGING, SOC, SPEED, open_store, write_samples

runner = CliRunner()
VOLTVAN = [sys.executable, "-c", "from voltvan.cli import main; main()"]
#: A long id, so that the vehicle column is not the narrowest.
SOC_ONLY_VAN = "van-sends-soc-only-07"
NOW = "2026-03-02T12:00:00+00:00"
REPORTS = {
    "trips": [],
    "energy": [],
    "charging": ["--battery-wh", "60000"],
    "alerts": ["--now", NOW],
}


def _soc_only_day() -> list[Row]:
    """A van sending SoC and speed only: drive 20 min, park 2 h, drive 20 min, charge 1 h."""
    rows: list[Row] = []
    t, soc = T0, 80.0
    for kind, minutes in (("drive", 20), ("park", 120), ("drive", 20), ("charge", 60)):
        n = minutes * 6
        step = {"drive": -4.0, "park": 0.0, "charge": 18.0}[kind] / n
        speed = 40.0 if kind == "drive" else 0.0
        socs = [round(soc + step * i, 2) for i in range(n)]
        rows += rows_from_series(SOC_ONLY_VAN, SOC, socs, start=t, step_s=10)
        rows += rows_from_series(SOC_ONLY_VAN, SPEED, [speed] * n, start=t, step_s=10)
        t, soc = t + timedelta(minutes=minutes), soc + step * n
    return rows


def _charge_with_power() -> list[Row]:
    """V1 parked and charging at 11 kW for an hour, with the charging flag and battery power."""
    start = T0 + timedelta(hours=1)
    n = 360
    soc = [20.0 + 100.0 * 11_000 * 10 * i / 3600.0 / 54_000 for i in range(n)]
    rows = rows_from_series("V1", SOC, soc, start=start, step_s=10)
    rows += rows_from_series("V1", BATTERY_POWER, [11_000.0] * n, start=start, step_s=10)
    rows += rows_from_series("V1", IS_CHARGING, [1.0] * n, start=start, step_s=10)
    rows += rows_from_series("V1", SPEED, [0.0] * n, start=start, step_s=10)
    end = start + timedelta(seconds=n * 10)
    return [*rows, ("V1", end, IS_CHARGING, 0.0), ("V1", end, BATTERY_POWER, 0.0)]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Twizy day (real log) and a synthetic day, derived without any battery capacity."""
    data = tmp_path_factory.mktemp("data")
    log = data_path("real", "rsk-twizy-ev", "Analyzed", "T1", "T1_07_01_2021.csv")
    r = runner.invoke(app, ["import", "rsk-twizy", str(log), "--data", str(data),
                            "--vehicle-id", "twizy-1"])  # fmt: skip
    assert r.exit_code == 0, r.output
    _store(data, [*_soc_only_day(), *_charge_with_power()])
    r = runner.invoke(app, ["derive", "--data", str(data)])
    assert r.exit_code == 0, r.output
    return data


def _store(data: Path, rows: list[Row]) -> None:
    """Store rows as ingest would (so that the vans are in last_state too)."""
    samples: dict[str, dict[datetime, dict[str, object]]] = {}
    for van, ts, name, value in rows:
        samples.setdefault(van, {}).setdefault(ts, {})[name] = (
            value == 1.0 if name == IS_CHARGING else value
        )
    with open_store(data) as store:
        for van, by_ts in samples.items():
            result = write_samples(store, van, sorted(by_ts.items()))
            assert result.stored > 0


def _narrow(*args: str) -> str:
    """The command's output in an 80-column terminal."""
    env = {**os.environ, "COLUMNS": "80"}
    run = subprocess.run([*VOLTVAN, *args], capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def _machine(*args: str) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """The rows of ``args`` as CSV and as JSON."""
    r = runner.invoke(app, [*args, "--csv"])
    assert r.exit_code == 0, r.output
    as_csv = list(csv.DictReader(io.StringIO(r.stdout)))
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return as_csv, json.loads(r.stdout)


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_report_fits_80_columns_and_shows_every_row(data: Path, report: str) -> None:
    """No line is wider than 80, no cell is cut short (…), and every row is in the table."""
    args = ["report", report, "--data", str(data), *REPORTS[report]]
    out = _narrow(*args)
    lines = out.splitlines()
    assert max(len(x) for x in lines) <= 80, "\n".join(x for x in lines if len(x) > 80)
    assert "…" not in out
    rows, _ = _machine(*args)
    assert rows, f"report {report} has no rows to show"
    key = "alert" if report == "alerts" else "vehicle"
    first_table = lines[: next(i for i, x in enumerate(lines) if x.startswith("└"))]
    starts = [x.removeprefix("│ ").split(" ")[0] for x in first_table if x.startswith("│ ")]
    assert [s for s in starts if s] == [r[key] for r in rows]


def test_narrow_trips_table_says_which_columns_it_left_out(data: Path) -> None:
    """At 80 columns the trips table leaves out the least important columns, and says so."""
    out = " ".join(_narrow("report", "trips", "--data", str(data)).split())
    left_out = out.split("not shown at 80 columns: ")[1].split(" (see --csv")[0].split(", ")
    assert {"gps faults", "km from", "driving min"} <= set(left_out)
    assert not {"vehicle", "start", "km", "kWh", "Wh/km"} & set(left_out)
    assert "Wh/km" in out


def test_query_fits_80_columns(data: Path) -> None:
    """`voltvan query` of a wide row (every signal column) still fits 80 columns."""
    out = _narrow("query", "SELECT * FROM signals ORDER BY ts LIMIT 3", "--data", str(data))
    assert max(len(x) for x in out.splitlines()) <= 80
    assert "…" not in out and "3 row(s)" in out


@pytest.mark.parametrize(
    "args",
    [
        *(["report", name, *extra] for name, extra in sorted(REPORTS.items())),
        ["query", "SELECT vehicle_id, name, ts, value FROM last_state ORDER BY ALL"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_csv_and_json_give_the_same_rows(data: Path, args: list[str]) -> None:
    """--csv and --json: the same columns, the same rows, the same values (NULL as empty/null)."""
    rows, records = _machine(*args, "--data", str(data))
    assert len(rows) == len(records) > 0
    for row, record in zip(rows, records, strict=True):
        assert list(row) == list(record)
        assert row == {k: "" if v is None else str(v) for k, v in record.items()}


def test_csv_and_json_together_are_refused(data: Path) -> None:
    """Only one machine format at a time; the error names the option."""
    r = runner.invoke(app, ["report", "trips", "--data", str(data), "--csv", "--json"])
    assert isinstance(r.exception, InvalidInput)
    assert r.exception.where.field == "--json"


def _said(text: str) -> str:
    return " ".join(text.split())


def test_derive_without_fleet_says_energy_needs_the_capacity(tmp_path: Path, data: Path) -> None:
    """Without a capacity, derive names the vans whose energy it left blank and what to give."""
    _store(tmp_path, _soc_only_day())
    r = runner.invoke(app, ["derive", "--data", str(tmp_path)])
    assert r.exit_code == 0, r.output
    said = _said(r.output)
    assert "energy (kWh, Wh/km) left blank" in said
    assert f"sessions of {SOC_ONLY_VAN}: energy is the SoC drop" in said
    assert "--fleet" in said and "--battery-wh" in said


def test_derive_with_a_capacity_has_nothing_to_say(tmp_path: Path) -> None:
    """With --battery-wh the energy is computed, and derive adds no note."""
    _store(tmp_path, _soc_only_day())
    r = runner.invoke(app, ["derive", "--data", str(tmp_path), "--battery-wh", "40000"])
    assert r.exit_code == 0, r.output
    assert "note:" not in r.output
    rows, _ = _machine("report", "trips", "--data", str(tmp_path))
    assert rows and all(float(row["kWh"]) > 0 for row in rows)


@pytest.mark.parametrize("report", ["trips", "energy", "charging"])
def test_report_explains_blank_energy(data: Path, report: str) -> None:
    """Reports say why kWh is blank (no capacity at derive time) and name the van; with
    --csv the note goes to stderr, so stdout stays parseable."""
    r = runner.invoke(app, ["report", report, "--data", str(data)])
    assert r.exit_code == 0, r.output
    said = _said(r.stdout)
    assert "kWh and Wh/km are blank" in said and SOC_ONLY_VAN in said
    assert "--fleet" in said
    r = runner.invoke(app, ["report", report, "--data", str(data), "--csv"])
    assert "kWh and Wh/km are blank" in _said(r.stderr)
    assert "note:" not in r.stdout


def test_report_charging_explains_missing_state_of_health(data: Path) -> None:
    """Without capacities there is no SoH table, and the report says what it needs."""
    r = runner.invoke(app, ["report", "charging", "--data", str(data)])
    assert "no state of health for V1" in _said(r.stdout)
    assert "Battery state of health" not in r.stdout
    r = runner.invoke(app, ["report", "charging", "--data", str(data), "--battery-wh", "60000"])
    assert "Battery state of health" in r.stdout
    assert "no state of health" not in r.stdout


def test_report_alerts_says_which_alerts_it_could_not_judge(data: Path) -> None:
    """Without --plan and --fleet, alerts says it skipped the low-SoC and consumption checks."""
    r = runner.invoke(app, ["report", "alerts", "--data", str(data), "--now", NOW])
    assert r.exit_code == 0, r.output
    said = _said(r.stdout)
    assert "no low-SoC alerts" in said and "give --plan" in said
    assert "no high-consumption alerts" in said and "--fleet or --vehicle-type" in said
    assert "long_stop" in said
