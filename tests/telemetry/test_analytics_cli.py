"""The analytics commands end to end: import, derive, reports (table and CSV), bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import data_path
from voltvan.cli import app
from voltvan.errors import InvalidInput

runner = CliRunner()


@pytest.fixture(scope="module")
def twizy_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    log = data_path("real", "rsk-twizy-ev", "Analyzed", "T1", "T1_07_01_2021.csv")
    r = runner.invoke(app, ["import", "rsk-twizy", str(log), "--data", str(data),
                            "--vehicle-id", "twizy-1"])  # fmt: skip
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["derive", "--data", str(data), "--vehicle-type", "twizy"])
    assert r.exit_code == 0, r.output
    return data


def test_import_reports_samples(tmp_path: Path) -> None:
    """The import table lists the file with its 4,535 samples."""
    log = data_path("real", "rsk-twizy-ev", "Analyzed", "T1", "T1_07_01_2021.csv")
    r = runner.invoke(app, ["import", "rsk-twizy", str(log), "--data", str(tmp_path),
                            "--vehicle-id", "tw"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "4,535" in r.output
    assert "rejected 0" in r.output


def test_report_trips_csv(twizy_data: Path) -> None:
    """`report trips --csv` gives one trip of about 39 km at 80-95 Wh/km."""
    r = runner.invoke(app, ["report", "trips", "--data", str(twizy_data), "--csv"])
    assert r.exit_code == 0, r.output
    (row,) = list(csv.DictReader(io.StringIO(r.output)))
    assert row["vehicle"] == "twizy-1"
    assert 37.0 < float(row["km"]) < 41.0
    assert 70.0 < float(row["Wh/km"]) < 100.0


def test_report_energy_with_calibration(twizy_data: Path) -> None:
    """`report energy --calibrate` prints the daily table and the fit error."""
    r = runner.invoke(app, ["report", "energy", "--data", str(twizy_data), "--calibrate",
                            "--vehicle-type", "twizy"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "2021-07-01" in r.output
    assert "mean absolute error" in r.output


def test_unknown_vehicle_type_is_invalid_input(twizy_data: Path) -> None:
    """--vehicle-type bus is refused naming the option and the known types."""
    r = runner.invoke(app, ["derive", "--data", str(twizy_data), "--vehicle-type", "bus"])
    assert isinstance(r.exception, InvalidInput)
    assert r.exception.where.field == "--vehicle-type"
    assert "twizy" in str(r.exception)


def test_report_filters_by_vehicle(twizy_data: Path) -> None:
    """An unknown vehicle gives an empty report, not an error."""
    r = runner.invoke(app, ["report", "charging", "--data", str(twizy_data), "--vehicle", "x"])
    assert r.exit_code == 0
    assert "no rows" in r.output


def test_bad_day_is_invalid_input(twizy_data: Path) -> None:
    """--day 2021-13-01 is refused naming the option."""
    r = runner.invoke(app, ["report", "trips", "--data", str(twizy_data), "--day", "2021-13-01"])
    assert isinstance(r.exception, InvalidInput)
    assert r.exception.where.field == "--day"


def test_missing_log_is_invalid_input(tmp_path: Path) -> None:
    """A log path that does not exist is refused naming the file."""
    r = runner.invoke(app, ["import", "rsk-twizy", str(tmp_path / "nope"), "--data",
                            str(tmp_path), "--vehicle-id", "tw"])  # fmt: skip
    assert isinstance(r.exception, InvalidInput)
    assert "nope" in str(r.exception)


def test_report_alerts_flags_low_soc_against_the_plan(tmp_path: Path) -> None:
    """A van at 30 % at 11:00 with three 12 kWh legs to go raises low_soc_for_route."""
    from datetime import UTC, datetime

    from tests.telemetry.test_alerts import _plan
    from voltvan.telemetry import SOC, SPEED, open_store, write_samples

    data = tmp_path / "data"
    with open_store(data) as store:
        at = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
        write_samples(store, "V1", [(at, {SOC: 30.0, SPEED: 0.0})])
    plan = tmp_path / "plan.json"
    _plan().write_json(plan)
    r = runner.invoke(app, ["report", "alerts", "--data", str(data), "--plan", str(plan),
                            "--now", "2026-03-02T11:00:00+00:00", "--csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    (row,) = list(csv.DictReader(io.StringIO(r.stdout)))
    assert row["alert"] == "low_soc_for_route"
    assert row["severity"] == "critical"
