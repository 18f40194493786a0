"""``voltvan query`` / ``store`` / ``serve`` / ``ingest``: tables, CSV and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.telemetry.test_store import batch_of
from voltvan.cli import main
from voltvan.telemetry import open_store


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["voltvan", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def data(tmp_path: Path) -> Path:
    with open_store(tmp_path / "data") as store:
        store.write(batch_of(0, 3, vehicle="V1"))
        store.write(batch_of(0, 3, vehicle="V2"))
    return tmp_path / "data"


def test_query_csv(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--csv prints a header and one line per row."""
    sql = "SELECT vehicle_id, count(*) AS n FROM signals GROUP BY 1 ORDER BY 1"
    assert run(monkeypatch, "query", "--data", str(data), "--csv", sql) == 0
    assert capsys.readouterr().out.splitlines() == ["vehicle_id,n", "V1,12", "V2,12"]


def test_query_table(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --csv the result is a Rich table with a row count."""
    assert run(monkeypatch, "query", "--data", str(data), "SELECT * FROM last_state") == 0
    out = capsys.readouterr().out
    assert "vehicle_id" in out and "8 row(s)" in out


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        ("DELETE FROM signals", "only one SELECT"),
        ("SELECT * FROM nowhere", "query failed"),
        ("SELECT 1; SELECT 2", "only one SELECT"),
    ],
)
def test_query_errors_are_one_line(
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sql: str,
    needle: str,
) -> None:
    """Bad SQL ends with exit 2 and one line naming the sql field."""
    assert run(monkeypatch, "query", "--data", str(data), sql) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "field sql" in err


def test_query_missing_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data directory that does not exist is NotFound, exit 2."""
    assert run(monkeypatch, "query", "--data", str(tmp_path / "no"), "SELECT 1") == 2
    assert capsys.readouterr().err.startswith("NotFound")


def test_store_compact_and_retain(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """compact merges the day's two files; retain --days 0 or --derived-days 0 is bad input."""
    assert run(monkeypatch, "store", "compact", "--data", str(data)) == 0
    assert len(list((data / "signals").glob("date=*/*.parquet"))) == 1
    assert run(monkeypatch, "store", "retain", "--data", str(data), "--days", "0") == 2
    assert "--days must be at least 1" in capsys.readouterr().err
    retain = ["store", "retain", "--data", str(data), "--days", "1", "--derived-days", "0"]
    assert run(monkeypatch, *retain) == 2
    assert "--derived-days must be at least 1" in capsys.readouterr().err


def test_ingest_bad_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad broker URL or a missing fleet file are one-line InvalidInput errors."""
    fleet = tmp_path / "fleet.toml"
    fleet.write_text('[[vans]]\nid = "V1"\n')
    args = ["ingest", "--data", str(tmp_path / "d"), "--fleet", str(fleet)]
    assert run(monkeypatch, *args, "--mqtt", "http://x") == 2
    assert "is not an mqtt://HOST:PORT or mqtts://HOST:PORT address" in capsys.readouterr().err
    args[-1] = str(tmp_path / "missing.toml")
    assert run(monkeypatch, *args, "--mqtt", "mqtt://127.0.0.1:1") == 2
    assert "missing.toml: file not found" in capsys.readouterr().err


def test_serve_bad_tokens_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A token that is too short is refused before the server starts, naming the field."""
    tokens = tmp_path / "tokens.toml"
    tokens.write_text('[vehicles]\nV1 = "short"\n')
    args = ["serve", "--data", str(tmp_path / "d"), "--tokens", str(tokens)]
    assert run(monkeypatch, *args) == 2
    assert "field vehicles.V1" in capsys.readouterr().err
