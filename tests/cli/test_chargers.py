"""``voltvan charger add``: the password is printed once, the file keeps its hash and comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_telemetry import run
from voltvan.charging import read_csms_config
from voltvan.charging.ocpp._csms_auth import basic_auth_ok
from voltvan.passwords import is_password_hash


def basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_charger_add_prints_the_password_once_and_stores_its_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "csms"
    data.mkdir()
    (data / "chargers.toml").write_text("# depot east\n[csms]\nheartbeat_s = 30\n")
    assert run(monkeypatch, "charger", "add", "--data", str(data), "--id", "CP1") == 0
    password = capsys.readouterr().out.strip()
    assert run(monkeypatch, "charger", "add", "--data", str(data), "--id", "CP2",
               "--connectors", "2") == 0  # fmt: skip
    text = (data / "chargers.toml").read_text()
    assert text.startswith("# depot east\n") and password not in text
    config = read_csms_config(data / "chargers.toml")
    assert config.heartbeat_s == 30 and config.chargers["CP2"].connectors == 2
    stored = config.chargers["CP1"].basic_auth_password()
    assert is_password_hash(stored) and 16 <= len(password) <= 40
    assert basic_auth_ok(basic("CP1", password), "CP1", stored)
    assert not basic_auth_ok(basic("CP1", password + "x"), "CP1", stored)


def test_charger_add_refuses_a_charger_that_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, "charger", "add", "--data", str(tmp_path), "--id", "CP1") == 0
    before = (tmp_path / "chargers.toml").read_text()
    assert run(monkeypatch, "charger", "add", "--data", str(tmp_path), "--id", "CP1") == 2
    assert "already there" in capsys.readouterr().err
    assert (tmp_path / "chargers.toml").read_text() == before
    assert run(monkeypatch, "charger", "add", "--data", str(tmp_path), "--id", "a b") == 2


def test_charger_add_keeps_a_profile3_file_with_passwordless_chargers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A charger known only by its certificate does not stop the next one being added."""
    path = tmp_path / "chargers.toml"
    path.write_text('[[charger]]\nid = "CP1"\n')
    assert run(monkeypatch, "charger", "add", "--data", str(tmp_path), "--id", "CP2") == 0
    config = read_csms_config(path, client_certificates=True)
    assert config.chargers["CP1"].password is None
    assert is_password_hash(config.chargers["CP2"].basic_auth_password())
    assert run(monkeypatch, "charger", "add", "--data", str(tmp_path), "--id", "CP1") == 2
    assert "already there" in capsys.readouterr().err


def test_a_malformed_hash_in_the_file_names_the_field(tmp_path: Path) -> None:
    from voltvan.errors import InvalidInput

    path = tmp_path / "chargers.toml"
    path.write_text('[[charger]]\nid = "CP1"\npassword = "scrypt$14$8$1$c2FsdA==$aGFzaA=="\n')
    with pytest.raises(InvalidInput) as exc:
        read_csms_config(path)
    assert exc.value.where.field == "charger[0].password" and "32 bytes" in str(exc.value)
