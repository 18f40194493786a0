"""``voltvan render`` writes the report of a saved plan, and names bad input in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.plans import city_day
from voltvan.cli import main
from voltvan.scenario import write_scenario


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    """Run the entry point; a clean exit (code 0 or None) returns, any other propagates."""
    monkeypatch.setattr("sys.argv", ["voltvan", *args])
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def test_render_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan and its scenario folder on disk give a report naming every van."""
    plan, scenario = city_day(2, 10)
    write_scenario(scenario, tmp_path / "scn")
    plan.write_json(tmp_path / "plan.json")
    out = tmp_path / "r" / "report.html"
    _run(monkeypatch, "render", str(tmp_path / "plan.json"), "-s", str(tmp_path / "scn"),
         "-o", str(out))  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert all(f'data-van="{r.van_id}"' in html for r in plan.routes)
    assert str(out) in capsys.readouterr().out.replace("\n", "")


def test_render_of_a_non_json_plan_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan file that is not JSON gives exit 2 and one line naming the file and line."""
    _, scenario = city_day(2, 10)
    write_scenario(scenario, tmp_path / "scn")
    bad = tmp_path / "plan.json"
    bad.write_text('{"version": 1,\n  "routes": [oops]}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        _run(monkeypatch, "render", str(bad), "--scenario", str(tmp_path / "scn"))
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{bad}, line 2" in err.replace("\n", "")
