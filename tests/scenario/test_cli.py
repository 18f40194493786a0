"""``voltvan scenario generate|check`` via the real entry point: tables, exit codes, one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.scenario.conftest import with_quirk
from tests.scenario.test_read import BAD_INPUTS
from voltvan.cli import _app, main


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.argv", ["voltvan", *argv])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        _app.state.debug = False
    return 0


def test_generate_then_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """generate writes a folder and a summary; check reads it back and reports the same mix."""
    out = tmp_path / "day"
    argv = ["scenario", "generate", "--stops", "120", "--vans", "5", "--seed", "3"]
    assert _run([*argv, "--day", "cold", "--out", str(out)], monkeypatch) == 0
    printed = capsys.readouterr().out
    assert (out / "fleet.toml").is_file() and (out / "stops.csv").is_file()
    assert "120" in printed and "-5 °C" in printed and "3 large, 2 small" in printed
    assert _run(["scenario", "check", str(out)], monkeypatch) == 0
    checked = capsys.readouterr().out
    assert "OK" in checked and "slot 40%" in checked


def test_generate_refuses_too_few_vans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Far too few vans for the stops is one line and exit code 2."""
    argv = ["scenario", "generate", "--stops", "900", "--vans", "2", "--out", str(tmp_path)]
    assert _run(argv, monkeypatch) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "use at least 5 vans" in err[0]  # at most 200 stops a van


@pytest.mark.parametrize(("quirk", "line", "field", "words"), BAD_INPUTS)
def test_check_bad_input_is_one_line_exit_2(
    small_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    quirk: str,
    line: int | None,
    field: str | None,
    words: str,
) -> None:
    """Every bad-input case ends in exit 2 and one line naming file, line and field."""
    target = with_quirk(small_dir, quirk)
    assert _run(["scenario", "check", str(small_dir)], monkeypatch) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    expected = str(target)
    if line is not None:
        expected += f", line {line}"
    if field is not None:
        expected += f", field {field}"
    assert lines[0].startswith(f"InvalidInput: {expected}: ")
    assert words in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


def test_check_missing_folder_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that does not exist is one line and exit 2."""
    assert _run(["scenario", "check", str(tmp_path / "nope")], monkeypatch) == 2
    assert capsys.readouterr().err.strip().endswith("scenario folder not found")


def test_real_command_line_one_line_and_debug_traceback(small_dir: Path) -> None:
    """The installed entry point prints one line (exit 2); with --debug a traceback."""
    with_quirk(small_dir, "stops_tw_reversed.csv")
    cmd = [sys.executable, "-c", "from voltvan.cli import main; main()"]
    plain = subprocess.run(
        [*cmd, "scenario", "check", str(small_dir)], capture_output=True, text=True, check=False
    )
    assert plain.returncode == 2
    assert plain.stderr.strip().splitlines() == [
        f"InvalidInput: {small_dir / 'stops.csv'}, line 4, field tw_end: stop S03: "
        "time window ends before it starts (12:00 > 10:00)"
    ]
    debug = subprocess.run(
        [*cmd, "--debug", "scenario", "check", str(small_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_help_explains_units(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """generate --help documents every option, with the day's temperatures."""
    assert _run(["scenario", "generate", "--help"], monkeypatch) == 0
    text = capsys.readouterr().out
    for option in ("--stops", "--vans", "--seed", "--day", "--out", "--large-share"):
        assert option in text
    assert "cold" in text and "mild" in text
