"""The fleet console: its page (``/console/``, static files of the package, Leaflet from the
report's vendored copy) and its live feed (``GET /v1/ops/live``, Server-Sent Events).

The feed is for dispatchers. A browser's ``EventSource`` cannot send an ``Authorization``
header, so the page reads the stream with ``fetch`` and parses the events itself; the stream
is plain ``text/event-stream`` all the same. Each connection watches the stores on its own:
telemetry every ``POLL_S`` (a ``stat`` per folder while nothing lands), the operations store
every ``OPS_S``, and the clock (minutes behind move on their own) every ``CLOCK_S``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from voltvan.console import DayWatch
from voltvan.web._app import BEARER, app_state
from voltvan.web._openapi import errors
from voltvan.web._ops_auth import dispatcher, ops_store, valid_day

POLL_S = 0.5
OPS_S = 2.0
CLOCK_S = 10.0
KEEPALIVE_S = 15.0

router = APIRouter(prefix="/v1/ops", tags=["operations"], dependencies=[BEARER])


@router.get(
    "/live",
    summary="The fleet console's live feed (dispatchers): Server-Sent Events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        **errors(
            403,
            404,
            422,
            why={
                404: "no plan is published for the day",
                422: "day is not a date, or tz not an IANA time zone name",
            },
        ),
    },
)
async def live(
    request: Request,
    day: Annotated[
        str,
        Query(description="the plan's day, YYYY-MM-DD", json_schema_extra={"format": "date"}),
    ],
    tz: Annotated[
        str, Query(max_length=64, description="the fleet's time zone (IANA), for plan times")
    ] = "UTC",
) -> StreamingResponse:
    """``snapshot`` first (plan, vans, progress, alerts), then ``vans`` as telemetry lands,
    ``progress`` when stops or the clock move it, and a new ``snapshot`` for a new plan
    version."""
    # The account is looked up (and the store opened) off the event loop, as in the sync routes.
    await run_in_threadpool(dispatcher, request)
    store = ops_store(request)
    watch = await run_in_threadpool(
        DayWatch, store, app_state(request).settings.data_dir, valid_day(day), tz
    )
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        _events(request, watch), media_type="text/event-stream", headers=headers
    )


async def _events(request: Request, watch: DayWatch) -> AsyncIterator[str]:
    yield _sse("snapshot", await run_in_threadpool(watch.snapshot))
    last_ops = last_clock = last_sent = time.monotonic()
    while not await request.is_disconnected():
        await asyncio.sleep(POLL_S)
        now = time.monotonic()
        vans = await run_in_threadpool(watch.poll_telemetry)
        if vans is not None:
            yield _sse("vans", vans)
            last_sent = now
        changed = None
        if now - last_ops >= OPS_S:
            last_ops = now
            changed = await run_in_threadpool(watch.refresh_ops)
        if changed == "plan":
            yield _sse("snapshot", await run_in_threadpool(watch.snapshot))
        elif changed or vans is not None or now - last_clock >= CLOCK_S:
            last_clock = now
            yield _sse("progress", await run_in_threadpool(watch.progress))
        elif now - last_sent >= KEEPALIVE_S:
            yield ": keep-alive\n\n"
        else:
            continue
        last_sent = now


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def mount_console(app: FastAPI) -> None:
    """The feed's route and the page's files (``/console/``)."""
    app.include_router(router)
    app.mount(
        "/console/vendor",
        StaticFiles(packages=[("voltvan.report", "static")]),
        name="console-vendor",
    )
    app.mount(
        "/console",
        StaticFiles(packages=[("voltvan.web", "static/console")], html=True),
        name="console",
    )

    @app.get("/console", include_in_schema=False)
    def console_root() -> RedirectResponse:
        return RedirectResponse("/console/")
