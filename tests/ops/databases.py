"""The databases every operations test runs on: SQLite and PostgreSQL (127.0.0.1:5432, postgres).

One PostgreSQL database per test session, with a unique name, dropped at the end; each test gets
the tables afresh. A PostgreSQL that cannot be reached fails the test: it never skips. A pytest
plugin (tests/conftest.py), so that the ops and the web tests share the one session database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from voltvan.ops._db import open_engine
from voltvan.ops._schema import drop_all

#: The server the tests use; CI and our machines run it on 127.0.0.1:5432 with trust auth.
PG_ADMIN = os.environ.get("VOLTVAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"voltvan_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {PG_ADMIN} is needed (.ci/run starts it): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with no tables yet (the store creates them)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ops.sqlite'}"
        return
    url: str = request.getfixturevalue("pg_url")
    engine = open_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    drop_all(engine)
    engine.dispose()
    yield url
