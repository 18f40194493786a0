"""The query surface: an in-memory DuckDB connection with views over the store's Parquet files.

Readers need nothing but the closed Parquet files, so they work while an ingest worker writes.
The views re-list the files at every query, so a long-lived connection sees new batches. Other
modules add their views (derived tables) through :func:`register_view_hook`; analytics, which
sits above the store, registers its derived views when it is imported (``voltvan.telemetry``
imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from voltvan.errors import InvalidInput, NotFound
from voltvan.telemetry.store import _duck

ViewHook = Callable[[_duck.Connection, Path], None]
_HOOKS: list[ViewHook] = []

_EMPTY = {
    "signals_all": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::TIMESTAMPTZ AS ts, NULL::VARCHAR AS name, "
        "NULL::DOUBLE AS value, NULL::VARCHAR AS value_text, NULL::TIMESTAMPTZ AS ingested_at "
        "WHERE false"
    ),
    "rejected": (
        "SELECT NULL::TIMESTAMPTZ AS received_at, NULL::VARCHAR AS source, "
        "NULL::VARCHAR AS topic, NULL::VARCHAR AS vehicle_id, NULL::VARCHAR AS reason, "
        "NULL::VARCHAR AS detail, NULL::VARCHAR AS payload WHERE false"
    ),
    "last_state_all": (
        "SELECT NULL::VARCHAR AS vehicle_id, NULL::VARCHAR AS name, NULL::TIMESTAMPTZ AS ts, "
        "NULL::DOUBLE AS value, NULL::VARCHAR AS value_text, NULL::TIMESTAMPTZ AS ingested_at "
        "WHERE false"
    ),
}
_GLOBS = {
    "signals_all": "signals/date=*/*.parquet",
    "rejected": "rejected/date=*/*.parquet",
    "last_state_all": "state/last_state*.parquet",
}

#: ``signals``: the first ingested row of each key. As a GROUP BY on the key, a filter on
#: vehicle_id, ts or name goes below the dedup, and each value column has its own aggregate, which a
#: query not reading that column drops (``row_number() = 1`` is planned as one aggregate of both
#: columns packed in a struct: 1.3-1.5x the time of the bench's stationary-vans query). The two
#: columns can come from different rows of a key only when these tie on ingested_at, and then one
#: column is null in all of them: a signal's kind decides which one it fills. A null ingested_at
#: ranks last.
_FIRST = "coalesce(ingested_at, 'infinity'::TIMESTAMPTZ)"
_DEDUP = (
    f"SELECT vehicle_id, ts, name, arg_min_null(value, {_FIRST}) AS value, "
    f"arg_min_null(value_text, {_FIRST}) AS value_text "
    "FROM signals_all GROUP BY vehicle_id, ts, name"
)

#: Views every connection has; derived views come on top through the hooks.
RAW_VIEWS = ("signals", "signals_all", "last_state", "rejected", "rejected_counts")


def register_view_hook(hook: ViewHook) -> None:
    """Run ``hook(con, data_dir)`` on every connection :func:`open_query` makes (idempotent)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def _has_files(data_dir: Path, glob: str) -> bool:
    return next(iter(data_dir.glob(glob)), None) is not None


def create_raw_views(con: _duck.Connection, data_dir: Path) -> None:
    """(Re)create the raw views; a view over no files yet is empty but has its columns."""
    for view, glob in _GLOBS.items():
        if _has_files(data_dir, glob):
            path = _duck.sql_string(data_dir.resolve() / glob)
            body = f"SELECT * FROM read_parquet({path}, hive_partitioning = false)"
        else:
            body = _EMPTY[view]
        con.execute(f"CREATE OR REPLACE VIEW {view} AS {body}")
    con.execute(f"CREATE OR REPLACE VIEW signals AS {_DEDUP}")
    con.execute(
        "CREATE OR REPLACE VIEW last_state AS "
        "SELECT vehicle_id, name, max(ts) AS ts, arg_max(value, ts) AS value, "
        "arg_max(value_text, ts) AS value_text FROM last_state_all GROUP BY vehicle_id, name"
    )
    con.execute(
        "CREATE OR REPLACE VIEW rejected_counts AS "
        "SELECT reason, count(*) AS n FROM rejected GROUP BY reason"
    )


def open_query(data_dir: str | Path, *, threads: int | None = None) -> _duck.Connection:
    """A read-only view of a data directory: ``signals``, ``last_state``, ``rejected`` and more.

    Connections are cheap; open one per request or job. Files added later are seen, but a view
    that was empty when opened stays empty until :func:`refresh_views`.
    """
    path = Path(data_dir)
    if not path.is_dir():
        raise NotFound(f"data directory {path} does not exist")
    con = _duck.connect(threads=threads)
    con.execute("SET TimeZone = 'UTC'")
    refresh_views(con, path)
    return con


def refresh_views(con: _duck.Connection, data_dir: Path) -> None:
    """(Re)create every view, the derived ones included."""
    create_raw_views(con, data_dir)
    for hook in _HOOKS:
        hook(con, data_dir)


def read_only_sql(con: _duck.Connection, sql: str, data_dir: Path) -> None:
    """Check that ``sql`` is one SELECT, then lock ``con`` to reading inside ``data_dir``."""
    try:
        kinds = _duck.statement_kinds(con, sql)
    except _duck.DuckError as exc:
        raise InvalidInput(f"SQL does not parse: {str(exc).splitlines()[0]}", field="sql") from None
    if kinds != ["SELECT"]:
        raise InvalidInput(
            f"only one SELECT statement is allowed, got {', '.join(kinds) or 'nothing'}",
            field="sql",
        )
    _duck.lock_down(con, [data_dir])
