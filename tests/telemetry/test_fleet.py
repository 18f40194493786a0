"""Fleet ids for ingest (``id`` and ``count`` forms) and the bearer tokens file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.telemetry.ingest_data import FLEET_HEAD
from voltvan.errors import InvalidInput
from voltvan.telemetry import load_fleet_ids, load_tokens


def test_ids_and_counts(tmp_path: Path) -> None:
    """Named vans and counted vans (prefix + number) come out as the scenario reader makes them."""
    (tmp_path / "fleet.toml").write_text(
        FLEET_HEAD + '[[vans]]\nid = "V1"\ntype = "large"\n\n'
        '[[vans]]\ntype = "small"\ncount = 3\n\n[[vans]]\ntype = "large"\ncount = 2\n'
        'id_prefix = "L"\n'
    )
    ids = load_fleet_ids(tmp_path)
    assert "V1" in ids and len(ids) == 6
    assert sum(i.startswith("L") for i in ids) == 2


def test_ids_that_cannot_be_topics_are_refused(tmp_path: Path) -> None:
    """A van id with a slash or a wildcard could break the topic ACL, so it is refused."""
    path = tmp_path / "fleet.toml"
    path.write_text(FLEET_HEAD + '[[vans]]\nid = "a/+"\ntype = "large"\n')
    with pytest.raises(InvalidInput, match="field id"):
        load_fleet_ids(path)


def test_tokens_plain_and_hashed(tmp_path: Path) -> None:
    """A token matches its own van only; a sha256: entry matches the token it hashes."""
    secret = "0123456789abcdef-two"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    path = tmp_path / "tokens.toml"
    path.write_text(
        f'[vehicles]\nV1 = "0123456789abcdef-one"\nV2 = "sha256:{digest}"\n'
        '[readers]\nconsole = "reader-token-0123456"\n'
    )
    tokens = load_tokens(path)
    assert tokens.vehicle_may_post("V1", "0123456789abcdef-one")
    assert not tokens.vehicle_may_post("V2", "0123456789abcdef-one")
    assert tokens.vehicle_may_post("V2", secret)
    assert tokens.is_reader("reader-token-0123456") and not tokens.is_reader(secret)
    assert not tokens.is_open


def test_tokens_file_errors_name_the_field(tmp_path: Path) -> None:
    """Unknown tables and short tokens are refused with the file and field."""
    path = tmp_path / "tokens.toml"
    path.write_text('[admins]\nx = "0123456789abcdef"\n')
    with pytest.raises(InvalidInput, match="field admins"):
        load_tokens(path)
    path.write_text("[vehicles\n")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_tokens(path)
