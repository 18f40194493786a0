"""Which database holds the day and how to talk to it: SQLite by default, PostgreSQL in production.

The same SQLAlchemy Core statements run on both. The differences are kept here: SQLite writes
take the database lock when their transaction begins (``BEGIN IMMEDIATE``), so that two writers
never both read and then fail to write; PostgreSQL's row locks do the same for the conditional
updates of the store. SQLite runs in WAL mode with ``synchronous=FULL``: a commit that was
acknowledged survives a power cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from voltvan.errors import InvalidInput

#: The SQLite file of the day, in the data directory, when no ``--db`` is given.
DEFAULT_DB_FILE = "ops.sqlite"

_SCHEMES = {"sqlite", "postgresql", "postgres", "postgresql+psycopg"}


def resolve_db(db: str | None, data_dir: Path) -> str:
    """The SQLAlchemy URL for ``--db``: a URL, a plain path (a SQLite file) or nothing (default)."""
    if db is None or not db.strip():
        return f"sqlite:///{data_dir / DEFAULT_DB_FILE}"
    if "://" not in db:
        return f"sqlite:///{Path(db)}"
    scheme, _, rest = db.partition("://")
    if scheme not in _SCHEMES:
        raise InvalidInput(
            f"unsupported database {scheme!r}: give a SQLite file, sqlite:///FILE or "
            "postgresql://USER@HOST:PORT/DB",
            field="db",
        )
    if scheme.startswith("postgres"):
        return f"postgresql+psycopg://{rest}"
    return db


def shown(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def open_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings each dialect needs (see the module doc)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(f"not a database URL: {url[:80]!r}", field="db") from None
    if parsed.get_backend_name() == "sqlite":
        file = parsed.database
        if not file or file == ":memory:":
            raise InvalidInput("the SQLite database must be a file", field="db")
        Path(file).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30.0, "check_same_thread": False}, pool_size=8
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8)
    raise InvalidInput(f"unsupported database {parsed.drivername!r}", field="db")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred and late).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("voltvan_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed when the block ends, rolled back if it raises."""
    with engine.connect() as conn:
        conn = conn.execution_options(voltvan_write=True)
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction (SQLite: one snapshot; PostgreSQL: read committed)."""
    with engine.connect() as conn, conn.begin():
        yield conn
