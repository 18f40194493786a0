"""Opening a store: URLs, the schema version and migrations, accounts (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from voltvan.errors import InvalidInput, VoltvanError
from voltvan.ops import OpsStore, open_ops, resolve_db
from voltvan.ops._schema import SCHEMA_VERSION, schema_version, users
from voltvan.telemetry import hash_token


def test_db_urls(tmp_path: Path) -> None:
    assert resolve_db(None, tmp_path) == f"sqlite:///{tmp_path / 'ops.sqlite'}"
    assert resolve_db("day.sqlite", tmp_path) == "sqlite:///day.sqlite"
    assert resolve_db("postgresql://u@h:5432/d", tmp_path) == "postgresql+psycopg://u@h:5432/d"
    with pytest.raises(InvalidInput, match="unsupported database 'mysql'"):
        resolve_db("mysql://u@h/d", tmp_path)


def test_a_new_store_is_at_the_newest_schema_and_reopens(db_url: str, tmp_path: Path) -> None:
    for _ in range(2):  # the second open finds it migrated and changes nothing
        store = open_ops(db_url, tmp_path)
        with store.engine.connect() as conn:
            assert conn.execute(select(schema_version.c.version)).scalars().all() == [
                SCHEMA_VERSION
            ]
        store.close()


def test_a_database_from_a_newer_voltvan_is_refused(
    db_url: str, store: OpsStore, tmp_path: Path
) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(VoltvanError, match="upgrade voltvan"):
        open_ops(db_url, tmp_path / "data")


def test_an_account_keeps_only_the_hash_of_its_secret(store: OpsStore) -> None:
    secret = store.add_user("drv1", "driver", "V01")
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.secret_hash)).scalar_one()
    assert stored == hash_token(secret) and secret not in stored
    user = store.authenticate(secret)
    assert user is not None and (user.name, user.role, user.van_id) == ("drv1", "driver", "V01")
    assert store.authenticate(secret + "x") is None


def test_a_new_secret_voids_the_old_and_names_are_unique(store: OpsStore) -> None:
    old = store.add_user("disp", "dispatcher")
    with pytest.raises(InvalidInput, match="exists"):
        store.add_user("disp", "dispatcher")
    new = store.add_user("disp", "dispatcher", replace=True)
    assert store.authenticate(old) is None
    found = store.authenticate(new)
    assert found is not None and found.is_dispatcher


@pytest.mark.parametrize(
    ("name", "role", "van", "says"),
    [
        ("d 1", "driver", "V01", "not a name"),
        ("d1", "admin", None, "role must be one of driver, dispatcher"),
        ("d1", "driver", None, "needs the id of the van"),
        ("d1", "dispatcher", "V01", "give no --van"),
    ],
)
def test_bad_accounts_are_refused(
    store: OpsStore, name: str, role: str, van: str | None, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        store.add_user(name, role, van)
    assert store.users() == []
