"""``voltvan tokens add``: a token printed once, only its hash stored, usable by the server."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.cli.test_telemetry import run
from voltvan.errors import InvalidInput
from voltvan.telemetry import add_token, hash_token, load_tokens


def test_added_token_is_stored_as_its_hash_and_accepted(tmp_path: Path) -> None:
    """The file holds sha256:<hex> of the token, never the token; the server's check accepts it."""
    path = tmp_path / "tokens.toml"
    van = add_token(path, "vehicles", "V001")
    reader = add_token(path, "readers", "console")
    text = path.read_text()
    assert van not in text and reader not in text
    tokens = load_tokens(path)
    assert tokens.vehicles == {"V001": hash_token(van)}
    assert tokens.vehicle_may_post("V001", van)
    assert not tokens.vehicle_may_post("V001", reader)
    assert tokens.is_reader(reader) and not tokens.is_reader(van)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_adding_keeps_every_entry_already_there(tmp_path: Path) -> None:
    """Plain and hashed entries written by hand survive the rewrite, ids with dots included."""
    path = tmp_path / "tokens.toml"
    path.write_text(
        '[vehicles]\nV1 = "a-long-random-token-for-V1"\n"van.2" = "another-long-token-of-van2"\n'
        '[readers]\nconsole = "sha256:' + "ab" * 32 + '"\n'
    )
    add_token(path, "vehicles", "V3")
    tokens = load_tokens(path)
    assert tokens.vehicles["V1"] == "a-long-random-token-for-V1"
    assert tokens.vehicles["van.2"] == "another-long-token-of-van2"
    assert tokens.readers == {"console": "sha256:" + "ab" * 32}
    assert set(tokens.vehicles) == {"V1", "van.2", "V3"}


def test_a_second_token_for_a_name_needs_replace(tmp_path: Path) -> None:
    """Without --replace an existing name is refused; with it the old token stops working."""
    path = tmp_path / "tokens.toml"
    old = add_token(path, "vehicles", "V001")
    with pytest.raises(InvalidInput) as info:
        add_token(path, "vehicles", "V001")
    assert info.value.where.field == "vehicles.V001" and "already has a token" in str(info.value)
    new = add_token(path, "vehicles", "V001", replace=True)
    tokens = load_tokens(path)
    assert tokens.vehicle_may_post("V001", new) and not tokens.vehicle_may_post("V001", old)


def test_a_name_that_cannot_be_a_vehicle_id_is_refused(tmp_path: Path) -> None:
    """A van id with a slash (an MQTT topic level) is refused and nothing is written."""
    path = tmp_path / "tokens.toml"
    with pytest.raises(InvalidInput, match="not a name"):
        add_token(path, "vehicles", "V/1")
    assert not path.exists()


def test_cli_prints_only_the_token_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """stdout is the token alone (TOKEN=$(voltvan tokens add ...)); the note goes to stderr."""
    path = tmp_path / "tokens.toml"
    assert run(monkeypatch, "tokens", "add", "--tokens", str(path), "--vehicle", "V001") == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert out == token + "\n" and len(token) >= 16
    assert load_tokens(path).vehicle_may_post("V001", token)
    assert "cannot be shown again" in " ".join(err.split())


@pytest.mark.parametrize(
    "choice", [[], ["--vehicle", "V001", "--reader", "console"]], ids=["none", "both"]
)
def test_cli_needs_exactly_one_of_vehicle_or_reader(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    choice: list[str],
) -> None:
    """Neither or both of --vehicle/--reader is exit 2 with one plain line."""
    path = tmp_path / "tokens.toml"
    assert run(monkeypatch, "tokens", "add", "--tokens", str(path), *choice) == 2
    assert "exactly one of --vehicle ID or --reader NAME" in capsys.readouterr().err
    assert not path.exists()


def test_cli_existing_name_is_exit_2_naming_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second add for the same reader names the tokens file and readers.<name>."""
    path = tmp_path / "tokens.toml"
    assert run(monkeypatch, "tokens", "add", "--tokens", str(path), "--reader", "console") == 0
    capsys.readouterr()
    assert run(monkeypatch, "tokens", "add", "--tokens", str(path), "--reader", "console") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "tokens.toml" in err and "readers.console" in err


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    """A tokens file the admin made group-readable stays so after a token is added."""
    path = tmp_path / "tokens.toml"
    path.write_text('[vehicles]\nV1 = "a-long-random-token-for-V1"\n')
    path.chmod(0o640)
    add_token(path, "vehicles", "V2")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert set(load_tokens(path).vehicles) == {"V1", "V2"}
