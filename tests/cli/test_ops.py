"""``voltvan ops publish`` and ``voltvan ops user add``, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ops.days import one_day
from voltvan.cli import app
from voltvan.domain import Scenario
from voltvan.errors import Conflict, InvalidInput
from voltvan.ops import open_ops
from voltvan.scenario import write_scenario

runner = CliRunner()


def test_user_add_prints_the_secret_once_and_stores_its_hash(db_url: str, tmp_path: Path) -> None:
    args = ["ops", "user", "add", "--role", "driver", "--van", "V01", "--db", db_url]
    result = runner.invoke(app, [*args, "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert len(secret) >= 40 and "\n" not in secret
    store = open_ops(db_url, tmp_path)
    try:
        user = store.authenticate(secret)
        assert user is not None and (user.name, user.van_id) == ("driver-V01", "V01")
    finally:
        store.close()
    again = runner.invoke(app, [*args, "--data", str(tmp_path)])
    assert isinstance(again.exception, InvalidInput) and "exists" in str(again.exception)


def test_publish_a_plan_then_the_next_version_on_top_of_it(
    db_url: str, tmp_path: Path, two_vans_five_stops: Scenario
) -> None:
    sc = two_vans_five_stops
    folder = write_scenario(sc, tmp_path / "scenario")
    stops = [s.id for s in sc.stops]
    plan, _ = one_day({sc.fleet.vans[0].id: stops[:3], sc.fleet.vans[1].id: stops[3:]})
    plan_file = tmp_path / "plan.json"
    plan.write_json(plan_file)
    base = ["ops", "publish", str(folder), "--plan", str(plan_file), "--db", db_url]
    base += ["--day", "2026-03-02", "--data", str(tmp_path)]
    first = runner.invoke(app, base)
    assert first.exit_code == 0, first.output
    assert "version 1 of 2026-03-02" in first.stdout
    stale = runner.invoke(app, base)
    assert isinstance(stale.exception, Conflict) and "at version 1" in str(stale.exception)
    second = runner.invoke(app, [*base, "--base-version", "1"])
    assert second.exit_code == 0 and "version 2" in second.stdout
    store = open_ops(db_url, tmp_path)
    try:
        route = store.route("2026-03-02", sc.fleet.vans[0].id)
        first_stop = next(v for v in route["visits"] if v["kind"] == "stop")
        assert first_stop["stop"]["lat"] == sc.stops[0].lat  # details from the scenario
    finally:
        store.close()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"day": []}, "fleet.toml has no date"),
        ({"stop": "NOPE"}, "serves stop NOPE, which the scenario does not have"),
    ],
)
def test_publish_refuses_what_does_not_fit_the_scenario(
    tmp_path: Path, two_vans_five_stops: Scenario, change: dict[str, object], says: str
) -> None:
    sc = two_vans_five_stops
    folder = write_scenario(sc, tmp_path / "scenario")
    plan, _ = one_day({sc.fleet.vans[0].id: [str(change.get("stop", sc.stops[0].id))]})
    plan.write_json(tmp_path / "plan.json")
    args = ["ops", "publish", str(folder), "--plan", str(tmp_path / "plan.json")]
    args += ["--data", str(tmp_path)]
    if "day" not in change:
        args += ["--day", "2026-03-02"]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, InvalidInput), result.output
    assert says in str(result.exception)


def test_serve_refuses_a_database_it_cannot_use_before_it_listens(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--data", str(tmp_path), "--db", "mysql://u@h/d"])
    assert isinstance(result.exception, InvalidInput)
    assert "unsupported database 'mysql'" in str(result.exception)
