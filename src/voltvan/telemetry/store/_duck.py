"""The one module that imports DuckDB: every telemetry connection is made here.

Connections are in-memory and never attach a database file, so any number of readers and the
writer can work on the same data directory at once: the shared state is nothing but closed
Parquet files (see docs/formats/telemetry.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

Connection = duckdb.DuckDBPyConnection
DuckError = duckdb.Error


def connect(*, threads: int | None = None) -> Connection:
    """A fresh in-memory connection (``threads`` caps DuckDB's worker threads)."""
    con = duckdb.connect(":memory:")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    return con


def sql_string(value: str | Path) -> str:
    """``value`` as a single-quoted SQL literal (for paths in view definitions)."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values: list[str] | list[Path]) -> str:
    return "[" + ", ".join(sql_string(v) for v in values) + "]"


def statement_kinds(con: Connection, sql: str) -> list[str]:
    """The kind (``SELECT``, ``COPY`` ...) of every statement in ``sql``, without running it."""
    return [str(s.type).rsplit(".", 1)[-1] for s in con.extract_statements(sql)]


def lock_down(con: Connection, allowed_dirs: list[Path]) -> None:
    """Forbid any file access outside ``allowed_dirs`` and any later change of settings."""
    dirs = ", ".join(sql_string(str(d.resolve()) + "/") for d in allowed_dirs)
    con.execute(f"SET allowed_directories = [{dirs}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def fetch_arrow(con: Connection, sql: str) -> Any:
    """The result of ``sql`` as a pyarrow Table (no parameters: values go in as literals)."""
    rel = con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or getattr(rel, "arrow")  # noqa: B009 (duckdb 1.x)
    return fetch()
