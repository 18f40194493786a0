"""Telemetry routes: HTTP ingest (answered after the durable write), last state, dead letters, SQL.

Reads open a fresh in-memory query connection per request: it costs a few milliseconds and
always sees the newest closed Parquet files, whoever wrote them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from voltvan.errors import InvalidInput, NotFound
from voltvan.telemetry import (
    MAX_PAYLOAD_BYTES,
    Batch,
    Context,
    Reject,
    now_us,
    open_query,
    parse_message,
    signal_catalog,
)
from voltvan.web._app import BEARER, app_state, require_reader, require_vehicle
from voltvan.web._body_limit import capped_body
from voltvan.web._metrics import metrics_of
from voltvan.web._openapi import errors
from voltvan.web._telemetry_query import answer_query
from voltvan.web._telemetry_schemas import (
    BODY_DOC,
    QUERY_DOC,
    IngestAnswer,
    QueryAnswer,
    QueryRequest,
)

router = APIRouter(prefix="/v1", tags=["telemetry"])

#: Reasons that refuse a message as a whole (the answer is an error, not a partial success).
_WHOLE = {"malformed_json": InvalidInput, "schema": InvalidInput, "bad_topic": InvalidInput}

#: A vehicle id, as ``voltvan.telemetry`` accepts it in topics and paths.
VEHICLE_ID = Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", description="the van's id")


@router.post(
    "/vehicles/{vehicle_id}/signals",
    summary="Ingest one sample or a batch of samples of one vehicle",
    response_model=IngestAnswer,
    openapi_extra=BODY_DOC,
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
    openapi_extra=QUERY_DOC,
)
async def query(request: Request) -> QueryAnswer:
    """Bounded like any request: body size, rows (``limit``, capped), memory and time. A query
    past its time, or whose client has gone, is interrupted, so no core stays busy for nobody."""
    require_reader(request)
    try:
        body = QueryRequest.model_validate_json(await capped_body(request, MAX_PAYLOAD_BYTES))
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    return await answer_query(request, body)


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
