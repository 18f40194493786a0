"""``voltvan twin`` writes twin.json and the report, and names bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.plans import city_day
from voltvan.cli import main
from voltvan.scenario import write_scenario


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setattr("sys.argv", ["voltvan", *args])
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


@pytest.fixture
def day_on_disk(tmp_path: Path) -> tuple[Path, Path]:
    plan, scenario = city_day(2, 10)
    write_scenario(scenario, tmp_path / "scn")
    plan.write_json(tmp_path / "plan.json")
    return tmp_path / "scn", tmp_path / "plan.json"


def test_twin_writes_json_and_report(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day_on_disk: tuple[Path, Path],
) -> None:
    scn, plan = day_on_disk
    out = tmp_path / "twin"
    _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--days", "3", "--seed", "4",
         "--out", str(out), "--fail-share", "0.2", "--colder", "5")  # fmt: skip
    doc = json.loads((out / "twin.json").read_text(encoding="utf-8"))
    assert doc["days"] == 3 and doc["seed"] == 4
    assert doc["params"]["fail_share"] == 0.2 and doc["params"]["ambient_offset_c"] == -5.0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert all(f"<h3>{v['van_id']}" in html for v in doc["vans"])
    assert "http://" not in html and "https://" not in html
    assert "on time" in capsys.readouterr().out


def test_twin_with_an_unknown_charger_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day_on_disk: tuple[Path, Path],
) -> None:
    scn, plan = day_on_disk
    with pytest.raises(SystemExit) as info:
        _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--out-of-order", "NOPE",
             "--out", str(tmp_path / "t"))  # fmt: skip
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "'NOPE'" in err and "out_of_order" in err and len(err.splitlines()) == 1


def test_twin_of_a_plan_for_another_scenario_names_the_plan_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day_on_disk: tuple[Path, Path],
) -> None:
    """A plan that visits stops the scenario lacks: exit 2, one line naming the plan file."""
    scn, _ = day_on_disk
    other, _ = city_day(3, 24)
    other.write_json(tmp_path / "other.json")
    with pytest.raises(SystemExit) as info:
        _run(monkeypatch, "twin", str(scn), "--plan", str(tmp_path / "other.json"),
             "--out", str(tmp_path / "t"))  # fmt: skip
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert str(tmp_path / "other.json") in err.replace("\n", "") and "plan of this scenario" in err


def test_twin_overnight_ideal_records_the_nights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day_on_disk: tuple[Path, Path]
) -> None:
    """--overnight ideal: one night between two days, and day 1 starts from its state of charge."""
    scn, plan = day_on_disk
    out = tmp_path / "twin"
    _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--days", "2", "--out", str(out),
         "--overnight", "ideal")  # fmt: skip
    doc = json.loads((out / "twin.json").read_text(encoding="utf-8"))
    assert doc["overnight"] == "ideal"
    night = doc["by_day"][0]["night"]
    assert night["mode"] == "ideal" and doc["by_day"][1]["night"] is None
    start = {v["van_id"]: v["start_soc"] for v in doc["by_day"][1]["vans"]}
    assert {n["van_id"]: n["start_soc"] for n in night["vans"]} == start


def test_twin_overnight_must_be_ocpp_or_ideal(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day_on_disk: tuple[Path, Path],
) -> None:
    scn, plan = day_on_disk
    with pytest.raises(SystemExit) as info:
        _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--overnight", "solar",
             "--out", str(tmp_path / "t"))  # fmt: skip
    assert info.value.code == 2
    assert "--overnight" in capsys.readouterr().err


def test_twin_breakdown_stops_the_van_and_replan_needs_ops(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    day_on_disk: tuple[Path, Path],
) -> None:
    """--breakdown V@HH:MM breaks the van down on every day; --replan without --ops is refused."""
    scn, plan = day_on_disk
    first = json.loads(plan.read_text(encoding="utf-8"))["routes"][0]
    van, mid_s = first["van_id"], (first["start_s"] + first["end_s"]) / 2
    at = f"{int(mid_s // 3600):02d}:{int(mid_s // 60 % 60):02d}"
    out = tmp_path / "twin"
    _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--days", "2", "--out", str(out),
         "--breakdown", f"{van}@{at}")  # fmt: skip
    doc = json.loads((out / "twin.json").read_text(encoding="utf-8"))
    assert doc["params"]["breakdowns"] == [[van, int(mid_s // 60) * 60.0]]
    for day in doc["by_day"]:
        vd = next(v for v in day["vans"] if v["van_id"] == van)
        assert vd["broken_at_s"] == int(mid_s // 60) * 60.0 and vd["end_s"] is None
        assert any(e["kind"] == "breakdown" for e in vd["events"])
    with pytest.raises(SystemExit) as info:
        _run(monkeypatch, "twin", str(scn), "--plan", str(plan), "--replan",
             "--out", str(tmp_path / "t"))  # fmt: skip
    assert info.value.code == 2
    assert "--ops" in capsys.readouterr().err
