"""Telemetry routes: HTTP ingest (answered after the durable write), last state, dead letters, SQL.

Reads open a fresh in-memory query connection per request: it costs a few milliseconds and
always sees the newest closed Parquet files, whoever wrote them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import json
import math
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from voltvan.errors import Forbidden, InvalidInput, NotFound, TooLarge
from voltvan.telemetry import (
    MAX_PAYLOAD_BYTES,
    Batch,
    Context,
    Reject,
    now_us,
    open_query,
    parse_message,
    read_only_sql,
    signal_catalog,
)
from voltvan.web._app import BEARER, app_state, require_reader, require_vehicle
from voltvan.web._metrics import metrics_of
from voltvan.web._openapi import errors

router = APIRouter(prefix="/v1", tags=["telemetry"])

#: Reasons that refuse a message as a whole (the answer is an error, not a partial success).
_WHOLE = {"malformed_json": InvalidInput, "schema": InvalidInput, "bad_topic": InvalidInput}

#: A vehicle id, as ``voltvan.telemetry`` accepts it in topics and paths.
VEHICLE_ID = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", description="the van's id")

_SAMPLE = {
    "type": "object",
    "required": ["ts", "signals"],
    "properties": {
        "ts": {"type": "string", "format": "date-time", "description": "RFC 3339 with offset"},
        "signals": {"type": "object", "description": "VSS name: value (see /v1/signals)"},
    },
    "additionalProperties": False,
}
_BATCH = {
    "type": "object",
    "required": ["samples"],
    "properties": {
        "samples": {
            "type": "array",
            "items": {
                "description": "a sample {ts, signals}; each is judged on its own, and one "
                "that is not (or not valid) is counted in the answer's rejected, not refused "
                "with the batch",
            },
        }
    },
    "additionalProperties": False,
}

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [_SAMPLE, _BATCH],
                    "description": "one sample, or a batch of samples; either may also name "
                    "the vehicle_id, which must be the one of the path",
                },
                "example": {
                    "samples": [
                        {
                            "ts": "2026-03-02T08:00:00Z",
                            "signals": {
                                "Vehicle.Speed": 42.0,
                                "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current": 81.5,
                            },
                        }
                    ]
                },
            }
        },
    }
}


class IngestAnswer(BaseModel):
    vehicle_id: str
    stored: int = Field(description="rows written (one per signal value)")
    duplicates: int = Field(description="rows already stored before (redeliveries)")
    rejected: dict[str, int] = Field(description="dead letters per reason code")
    rejects: list[dict[str, str]] = Field(description="the first 20 dead letters")


class QueryRequest(BaseModel):
    sql: str = Field(
        min_length=1, description="one SELECT over the views signals, last_state, rejected, ..."
    )
    limit: int | None = Field(None, ge=1, description="at most this many rows (server caps it)")


#: The query's body is read by :func:`capped_body` (never buffered past the limit), so the
#: document is told its schema here rather than by a parameter.
_QUERY_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": QueryRequest.model_json_schema()}},
    }
}


class QueryAnswer(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


@router.post(
    "/vehicles/{vehicle_id}/signals",
    summary="Ingest one sample or a batch of samples of one vehicle",
    response_model=IngestAnswer,
    openapi_extra=_BODY_DOC,
    dependencies=[BEARER],
    responses=errors(401, 403, 404, 413, 422),
)
async def post_signals(request: Request, vehicle_id: str = VEHICLE_ID) -> IngestAnswer:
    require_vehicle(request, vehicle_id)
    state = app_state(request)
    payload = await capped_body(request, MAX_PAYLOAD_BYTES)
    batch = Batch()
    ctx = Context("http", now_us(), state.settings.fleet, None)
    parse_message(batch, ctx, payload, vehicle_id=vehicle_id)
    result = await asyncio.wrap_future(state.committer.submit(batch))
    counts = dict(batch.reject_counts())
    metrics_of(request).ingested(result.stored, result.duplicates, counts)  # refused ones too
    if batch.num_rows == 0 and len(batch.rejects) == 1:
        reject = batch.rejects[0]
        if reject.reason == "unknown_vehicle":
            raise NotFound(reject.detail)
        if reject.reason in _WHOLE and not _a_sample_of_a_batch(reject, payload):
            raise _WHOLE[reject.reason](f"{reject.reason}: {reject.detail}", field="body")
    return IngestAnswer(
        vehicle_id=vehicle_id,
        stored=result.stored,
        duplicates=result.duplicates,
        rejected=counts,
        rejects=[{"reason": r.reason, "detail": r.detail} for r in batch.rejects[:20]],
    )


@router.get(
    "/vehicles/{vehicle_id}/state",
    summary="Last known value of every signal of a vehicle",
    dependencies=[BEARER],
    responses=errors(401, 403, 404, 422),
)
def vehicle_state(request: Request, vehicle_id: str = VEHICLE_ID) -> dict[str, Any]:
    require_reader(request, vehicle_id)
    rows = _select(
        request,
        "SELECT name, ts, value, value_text FROM last_state WHERE vehicle_id = ? ORDER BY name",
        [vehicle_id],
    )
    if not rows:
        raise NotFound(f"no signals stored for vehicle {vehicle_id!r}")
    return {"vehicle_id": vehicle_id, "signals": {r[0]: _signal(r[1:]) for r in rows}}


@router.get(
    "/state",
    summary="Last known state of every vehicle",
    dependencies=[BEARER],
    responses=errors(401, 403),
)
def fleet_state(request: Request) -> dict[str, Any]:
    require_reader(request)
    rows = _select(
        request,
        "SELECT vehicle_id, name, ts, value, value_text FROM last_state ORDER BY vehicle_id, name",
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(r[0], {})[r[1]] = _signal(r[2:])
    return {"vehicles": out}


@router.get(
    "/rejected",
    summary="Dead-letter counts per reason code",
    dependencies=[BEARER],
    responses=errors(401, 403, 422),
)
def rejected_counts(request: Request, vehicle_id: str | None = None) -> dict[str, Any]:
    require_reader(request)
    sql = "SELECT reason, count(*) FROM rejected"
    params: list[Any] = []
    if vehicle_id is not None:
        sql += " WHERE vehicle_id = ?"
        params.append(vehicle_id)
    counts = {str(r[0]): int(r[1]) for r in _select(request, sql + " GROUP BY reason", params)}
    return {"counts": counts, "total": sum(counts.values())}


@router.get("/signals", summary="The signal catalog: VSS names, types, units and valid ranges")
def catalog() -> dict[str, Any]:
    return {
        name: {"datatype": s.datatype, "unit": s.unit, "min": s.min, "max": s.max}
        for name, s in signal_catalog().items()
    }


@router.post(
    "/query",
    summary="Run one read-only SQL SELECT over the telemetry views",
    dependencies=[BEARER],
    responses=errors(401, 403, 413, 422),
    openapi_extra=_QUERY_DOC,
)
async def query(request: Request) -> QueryAnswer:
    """Bounded like any request: body size, rows (``limit``, capped), memory and time. A query
    past its time, or whose client has gone, is interrupted, so no core stays busy for nobody."""
    require_reader(request)
    try:
        body = QueryRequest.model_validate_json(await capped_body(request, MAX_PAYLOAD_BYTES))
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
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


async def capped_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused (413) by its ``Content-Length`` before reading, and cut off
    while streaming once it passes ``max_bytes``: never buffer a body past the limit."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise InvalidInput("Content-Length is not a number", field="Content-Length") from None
        if size > max_bytes:
            raise TooLarge(f"the body is {size:,} bytes; the limit is {max_bytes:,}")
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"the body is over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _a_sample_of_a_batch(reject: Reject, payload: bytes) -> bool:
    """Whether the one refusal is of a sample inside a well-formed batch.

    A batch's samples are judged one by one, so its refused sample is reported in the answer
    (200) whether it is the only one or not; a single-sample message, or a batch that is not
    one, is refused as a whole. Parsed again only on this rare path, never for good messages.
    """
    if reject.reason != "schema":
        return False
    try:
        message = json.loads(payload)
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(message, dict)
        and isinstance(message.get("samples"), list)
        and not message.keys() - {"samples", "vehicle_id"}
    )


def _select(request: Request, sql: str, params: list[Any] | None = None) -> list[Any]:
    con = open_query(app_state(request).settings.data_dir, threads=1)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _signal(row: Sequence[Any]) -> dict[str, Any]:
    ts, value, text = row
    return {"ts": ts.isoformat(), "value": text if text is not None else value}


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
