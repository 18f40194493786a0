"""``voltvan plan --engine spark``: each part one Spark task; clear errors without Spark."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from voltvan.cli import app
from voltvan.domain import Scenario
from voltvan.scenario import write_scenario
from voltvan.spark import SparkMissing

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

runner = CliRunner()


def test_help_names_the_engine_and_the_master() -> None:
    """The CLI reference (generated from --help) documents both options."""
    r = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "120"})
    assert r.exit_code == 0
    assert "--engine" in r.output and "spark" in r.output and "--master" in r.output


def test_master_without_spark_is_refused(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    """--master alone would be silently ignored; it is an error naming the option instead."""
    folder = write_scenario(two_vans_five_stops, tmp_path / "d")
    r = runner.invoke(app, ["plan", str(folder), "--master", "local[2]"])
    assert r.exit_code == 2
    assert "--master needs --engine spark" in r.output


def test_spark_engine_without_pyspark_says_what_to_install(
    tmp_path: Path, two_vans_five_stops: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_scenario(two_vans_five_stops, tmp_path / "d")
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    r = runner.invoke(app, ["plan", str(folder), "--engine", "spark", "--out", str(tmp_path)])
    assert isinstance(r.exception, SparkMissing)
    assert "pip install 'voltvan[spark]'" in str(r.exception)
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.slow
def test_plan_a_one_depot_day_as_one_spark_task(
    tmp_path: Path, two_vans_five_stops: Scenario, spark: SparkSession
) -> None:
    """A day that needs no split is still planned on Spark, as one part; the checker accepts it."""
    folder = write_scenario(two_vans_five_stops, tmp_path / "d")
    out = tmp_path / "out"
    r = runner.invoke(
        app,
        ["plan", str(folder), "--engine", "spark", "--master", "local[2]", "--time-limit", "10",
         "--max-iterations", "100", "--out", str(out)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    plan = json.loads((out / "plan.json").read_text())
    assert [p["depot"] for p in plan["stats"]["parts"]] == ["D"]
    assert plan["stats"]["workers"] == 2
    assert plan["summary"]["stops_served"] == 5
    assert "independent check" in r.output
