"""The ``voltvan`` entry point turns voltvan errors into one plain line and an exit code."""

from __future__ import annotations

import pytest
import typer

from voltvan.cli import _app, main
from voltvan.errors import InvalidInput


@pytest.fixture
def failing_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attach a throw-away command that raises an InvalidInput with a file and line."""

    sub = typer.Typer()

    @sub.command("explode")
    def _explode() -> None:
        raise InvalidInput("'abc' is not a time", file="stops.csv", line=14, field="tw_end")

    _app.app.add_typer(sub, name="selftest")
    yield
    _app.app.registered_groups.pop()
    _app.state.debug = False


def test_invalid_input_is_one_line_exit_2(
    failing_command: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad input ends with exit code 2 and one line naming file, line and field, no traceback."""
    monkeypatch.setattr("sys.argv", ["voltvan", "selftest", "explode"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [
        "InvalidInput: stops.csv, line 14, field tw_end: 'abc' is not a time"
    ]
    assert "Traceback" not in err


def test_debug_shows_the_traceback(failing_command: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --debug the original exception propagates, so its traceback is shown."""
    monkeypatch.setattr("sys.argv", ["voltvan", "--debug", "selftest", "explode"])
    with pytest.raises(InvalidInput):
        main()


def test_unknown_command_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped command is a usage error (exit 2), not a crash."""
    monkeypatch.setattr("sys.argv", ["voltvan", "no-such-command"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert "No such command" in capsys.readouterr().err
