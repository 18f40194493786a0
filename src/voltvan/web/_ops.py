"""Operations routes (/v1/ops): plan versions, each van's route, delivery events and their proofs.

A driver reads and writes their own van only; a dispatcher reads everything and publishes plan
versions. Clients that act on a plan send the version they saw: the server answers 409 when the
day has moved on in a way that matters (the rules: ``docs/operations.md``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from voltvan.errors import NotFound
from voltvan.ops import MAX_PLAN_VERSION, MAX_PROOF_BYTES, EventIn, StopDetails, User, sniff_image
from voltvan.plan import Plan
from voltvan.web._app import BEARER, app_state
from voltvan.web._body_limit import capped_body
from voltvan.web._live_soc import live_soc
from voltvan.web._openapi import errors
from voltvan.web._ops_auth import dispatcher, ops_store, ops_user, valid_day, van_reader

router = APIRouter(prefix="/v1/ops", tags=["operations"], dependencies=[BEARER])

Day = Annotated[
    str,
    Path(
        description="the day, YYYY-MM-DD",
        examples=["2026-03-02"],
        json_schema_extra={"format": "date"},
    ),
]
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
VanId = Annotated[str, Path(description="the van's id, as in fleet.toml", max_length=64)]
# Dependencies run before the body is validated: a request without a token is 401, not 422.
AnyUser = Annotated[User, Depends(ops_user)]
Dispatcher = Annotated[User, Depends(dispatcher)]
VanReader = Annotated[User, Depends(van_reader)]


class Me(BaseModel):
    name: str
    role: str
    van_id: str | None


class PublishRequest(BaseModel):
    base_version: int | None = Field(
        ge=1,
        le=MAX_PLAN_VERSION,
        description="the version this plan was built on (null for the day's first): a stale "
        "one is refused with 409",
    )
    plan: dict[str, Any] = Field(description="the plan, in plan.json format")
    stops: list[StopDetails] = Field(
        default_factory=list, description="details of stops the day does not know yet"
    )


class Published(BaseModel):
    day: str
    plan_version: int


class ProofStored(BaseModel):
    proof: str = Field(description="sha256:<hex>: what an event's photo or signature names")
    media_type: str
    size_bytes: int


class EventAnswer(BaseModel):
    event_id: uuid.UUID
    stop_id: str
    van_id: str
    kind: str
    status: str = Field(description="the stop's status after this event")
    plan_version: int = Field(description="the day's current plan version")


@router.get("/me", summary="The account of the bearer token")
def me(user: AnyUser) -> Me:
    return Me(name=user.name, role=user.role, van_id=user.van_id)


@router.post(
    "/proofs",
    summary="Upload a photo or signature (JPEG, PNG or WebP, at most 10 MB), before its event",
    status_code=201,
    responses=errors(413, 422, why={422: "empty, or not a JPEG, PNG or WebP image"}),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in IMAGE_TYPES},
        }
    },
)
async def upload_proof(request: Request, user: AnyUser) -> ProofStored:
    """Answered once the file is durable (fsynced); the same bytes twice are one file."""
    data = await capped_body(request, MAX_PROOF_BYTES)
    stored = await run_in_threadpool(ops_store(request).put_proof, user, data)
    return ProofStored(**stored)


@router.get(
    "/proofs/{proof_id}",
    summary="A stored photo or signature (dispatchers)",
    response_class=FileResponse,
    responses={
        200: {
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in IMAGE_TYPES}
        },
        **errors(403, 404, 422),
    },
)
def get_proof(
    request: Request,
    _user: Dispatcher,
    proof_id: Annotated[str, Path(pattern=r"^sha256:[0-9a-f]{64}$")],
) -> FileResponse:
    files = ops_store(request).files
    if not files.exists(proof_id):
        raise NotFound(f"no proof {proof_id}")
    path = files.path(proof_id)
    with path.open("rb") as fh:
        media_type = sniff_image(fh.read(16))
    return FileResponse(path, media_type=media_type)


@router.get(
    "/days/{day}",
    summary="The day at a glance: versions, stops per van and status",
    responses=errors(403, 404, 422),
)
def day_summary(request: Request, _user: Dispatcher, day: Day) -> dict[str, Any]:
    return ops_store(request).day(valid_day(day))


@router.get(
    "/days/{day}/plan",
    summary="A plan version of the day (the current one by default)",
    responses=errors(403, 404, 422),
)
def day_plan(
    request: Request,
    _user: Dispatcher,
    day: Day,
    version: Annotated[int | None, Query(ge=1, le=MAX_PLAN_VERSION)] = None,
) -> dict[str, Any]:
    number, plan = ops_store(request).plan(valid_day(day), version)
    return {"day": day, "plan_version": number, "plan": plan.to_dict()}


@router.post(
    "/days/{day}/plans",
    summary="Publish the next plan version of the day (dispatchers)",
    status_code=201,
    responses=errors(
        403,
        409,
        422,
        why={
            409: "base_version is not the day's current version: reload it",
            422: "not a plan of docs/formats/plan.md, or a van or stop id it cannot take",
        },
    ),
)
def publish_plan(request: Request, user: Dispatcher, day: Day, body: PublishRequest) -> Published:
    plan = Plan.from_dict(body.plan, source="plan")
    version = ops_store(request).publish(
        valid_day(day), plan, body.stops, base_version=body.base_version, by=user.name
    )
    return Published(day=day, plan_version=version)


@router.get(
    "/days/{day}/vans/{van_id}/route",
    summary="A van's route in the current version, with each stop's details and status",
    responses=errors(403, 404, 422),
)
def van_route(
    request: Request,
    _user: VanReader,
    day: Day,
    van_id: VanId,
    known_version: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_PLAN_VERSION,
            description="the version the device shows: the answer adds what changed",
        ),
    ] = None,
) -> dict[str, Any]:
    return ops_store(request).route(valid_day(day), van_id, known_version)


@router.get(
    "/days/{day}/vans/{van_id}/range",
    summary="Predicted state of charge at each remaining stop and back at the depot",
    responses=errors(403, 404, 422),
)
def van_range(request: Request, _user: VanReader, day: Day, van_id: VanId) -> dict[str, Any]:
    """The plan's profile from the last stop done, shifted by the van's live state of charge
    (telemetry, when recent); a warning and a charger when it dips below the reserve."""
    live = live_soc(app_state(request).settings.data_dir, van_id)
    return ops_store(request).range(valid_day(day), van_id, live)


@router.post(
    "/days/{day}/vans/{van_id}/events",
    summary="Record an event at a stop (the van's driver): arrived, delivered, failed, undo",
    response_model=EventAnswer,
    responses=errors(
        403,
        404,
        409,
        422,
        why={
            403: "not this van's driver (a dispatcher reads events), or a stop of another van",
            409: "refused for the stop's state, or an event id used for another event; kept "
            "for audit",
            422: "a body that breaks the events rules of docs/operations.md (an undo names "
            "the event it undoes, a failure its reason, a proof is uploaded first)",
        },
    ),
)
def post_event(
    request: Request, user: VanReader, day: Day, van_id: VanId, body: EventIn
) -> JSONResponse:
    """Idempotent by ``event_id``: the same event sent again is stored once and gets the same
    answer, 409s included."""
    answer = ops_store(request).record(user, valid_day(day), van_id, body)
    return JSONResponse(answer.body, status_code=answer.status_code)


@router.get(
    "/days/{day}/vans/{van_id}/events",
    summary="A van's events of the day, refused too",
    responses=errors(403, 422),
)
def van_events(request: Request, _user: VanReader, day: Day, van_id: VanId) -> dict[str, Any]:
    return {"events": ops_store(request).events(valid_day(day), van_id)}


@router.get(
    "/days/{day}/events",
    summary="Every event of the day (dispatchers)",
    responses=errors(403, 422),
)
def day_events(request: Request, _user: Dispatcher, day: Day) -> dict[str, Any]:
    return {"events": ops_store(request).events(valid_day(day))}
