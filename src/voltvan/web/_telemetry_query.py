"""Running a user's SQL over the telemetry views, bounded in rows, memory and time.

The query route lets any reader run their own SELECT: each runs on a fresh connection with one
thread and a memory cap, its rows are capped, and it is interrupted once past its time or once
its client has gone, so that no core stays busy for nobody. The rows are then made JSON-safe.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import math
from collections.abc import Sequence
from typing import Any

from fastapi import Request

from voltvan.errors import Forbidden, InvalidInput
from voltvan.telemetry import open_query, read_only_sql
from voltvan.web._app import app_state
from voltvan.web._telemetry_schemas import QueryAnswer, QueryRequest


async def answer_query(request: Request, body: QueryRequest) -> QueryAnswer:
    """The rows of ``body.sql`` (at most its ``limit``, capped by the settings), or the reason
    the query was refused or cancelled, as the error the client sees."""
    settings = app_state(request).settings
    limit = min(body.limit or settings.max_query_rows, settings.max_query_rows)
    con = open_query(settings.data_dir, threads=1)
    try:
        con.execute(f"SET memory_limit = '{int(settings.query_memory_mb)}MB'")
        read_only_sql(con, body.sql, settings.data_dir)
        job = asyncio.get_running_loop().run_in_executor(None, _fetch, con, body.sql, limit)
        why = await _watch(job, request, settings.query_timeout_s, con.interrupt)
        try:
            columns, rows = await job
        except Exception as exc:  # DuckDB's own error classes; the message is for the user
            if why is not None:
                raise InvalidInput(why, field="sql") from None
            text = str(exc).splitlines()[0]
            if "Permission" in type(exc).__name__:
                raise Forbidden(f"the query may only read the views: {text}") from None
            raise InvalidInput(f"query failed: {text}", field="sql") from None
    finally:
        con.close()
    return QueryAnswer(
        columns=columns, rows=[_jsonable(r) for r in rows[:limit]], truncated=len(rows) > limit
    )


def _fetch(con: Any, sql: str, limit: int) -> tuple[list[str], list[Any]]:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description or []], cursor.fetchmany(limit + 1)


async def _watch(
    job: asyncio.Future[Any], request: Request, timeout_s: float, interrupt: Any
) -> str | None:
    """Wait for ``job``; interrupt it when it runs too long or the client leaves (and say why)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        done, _ = await asyncio.wait({job}, timeout=0.1)
        if done:
            return None
        if asyncio.get_running_loop().time() >= deadline:
            interrupt()
            return f"the query ran past the {timeout_s:g} s limit and was cancelled"
        if await request.is_disconnected():
            interrupt()
            return "the client went away; the query was cancelled"


def _jsonable(row: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for v in row:
        if isinstance(v, dt.datetime | dt.date | dt.time):
            out.append(v.isoformat())
        elif isinstance(v, decimal.Decimal):
            out.append(float(v))
        elif isinstance(v, dt.timedelta):
            out.append(v.total_seconds())
        elif isinstance(v, bytes):
            out.append(v.hex())
        elif isinstance(v, float) and not math.isfinite(v):
            out.append(None)  # JSON has no NaN
        else:
            out.append(v)
    return out
