"""The FastAPI app factory, its settings and the one JSON error shape.

Nothing happens at import: :func:`create_app` builds a fresh app over a data directory, so tests
run each on their own temporary store. Every error, ours or the framework's, leaves as
``{"error": kind, "message": text, ...}`` (:meth:`voltvan.errors.VoltvanError.to_dict`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from voltvan.errors import Forbidden, InvalidInput, NotFound, Unauthorized, VoltvanError
from voltvan.telemetry import Tokens

if TYPE_CHECKING:
    from voltvan.ops import OpsStore
    from voltvan.telemetry import Store

log = logging.getLogger("voltvan.web")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What one API server serves: a data directory, the fleet and the tokens."""

    data_dir: Path
    fleet: frozenset[str] | None = None
    tokens: Tokens = field(default_factory=Tokens)
    writer_id: str = "http"
    max_query_rows: int = 10_000
    query_timeout_s: float = 30.0
    query_memory_mb: int = 1024
    #: The operations store: a SQLite file or URL, or a PostgreSQL URL (default: SQLite in
    #: ``data_dir``). It opens on the first /v1/ops request.
    ops_db: str | None = None
    #: The scenario folder of the day the ops store serves: re-planning through the API needs
    #: its fleet and stops (``voltvan serve --scenario``).
    scenario_dir: Path | None = None


class AppState:
    """The per-app objects routes share: settings and the group committer of HTTP ingest."""

    def __init__(self, settings: WebSettings) -> None:
        from voltvan.web._commit import GroupCommitter

        self.settings = settings
        # The writer opens on the first POST, so that a read-only server holds no lock.
        self.committer = GroupCommitter(self._open_store)
        self._ops: OpsStore | None = None
        self._ops_lock = threading.Lock()

    def _open_store(self) -> Store:
        from voltvan.telemetry import open_store

        return open_store(self.settings.data_dir, writer_id=self.settings.writer_id)

    def ops(self) -> OpsStore:
        """The operations store, opened (and migrated) by the first request that needs it."""
        with self._ops_lock:
            if self._ops is None:
                from voltvan.ops import open_ops

                self._ops = open_ops(self.settings.ops_db, self.settings.data_dir)
            return self._ops

    def close(self) -> None:
        self.committer.close()
        if self._ops is not None:
            self._ops.close()


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.voltvan
    return state


#: Declares the bearer token in the OpenAPI document, so /docs can send it ("Authorize").
#: Routes that check a token list it in ``dependencies``; the check itself is
#: :func:`require_reader` / :func:`require_vehicle`, which know who may do what.
BEARER = Security(
    HTTPBearer(
        auto_error=False,
        scheme_name="bearer",
        description="A token of the tokens file: a van's token posts and reads its own "
        "signals, a reader's token reads everything. An open server (no tokens) needs none.",
    )
)


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_reader(request: Request, vehicle_id: str | None = None) -> None:
    """Readers (console, analysts) may read everything; a van may read its own state."""
    tokens = app_state(request).settings.tokens
    token = bearer(request)
    if tokens.is_open or tokens.is_reader(token):
        return
    if vehicle_id is not None and tokens.vehicle_may_post(vehicle_id, token):
        return
    if token is None:
        raise Unauthorized("a bearer token is required (Authorization: Bearer <token>)")
    raise Forbidden("this token may not read that")


def require_vehicle(request: Request, vehicle_id: str) -> None:
    """Only the van's own token may post its signals (or any token on an open server)."""
    tokens = app_state(request).settings.tokens
    token = bearer(request)
    if tokens.is_open or tokens.vehicle_may_post(vehicle_id, token):
        return
    if token is None:
        raise Unauthorized("a bearer token is required (Authorization: Bearer <token>)")
    if any(tokens.vehicle_may_post(v, token) for v in tokens.vehicles):
        raise Forbidden(f"this token belongs to another vehicle, not {vehicle_id!r}")
    raise Unauthorized("unknown token")


def _error(exc: VoltvanError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VoltvanError)
    async def _voltvan(_r: Request, exc: VoltvanError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        return _error(InvalidInput(str(first.get("msg", "invalid request")), field=where))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        from voltvan.web._openapi import allowed_methods

        if exc.status_code == 400:  # a body FastAPI could not decode: invalid input, as ours
            return _error(InvalidInput(f"the body cannot be read: {exc.detail}", field="body"))
        kinds: dict[int, type[VoltvanError]] = {
            401: Unauthorized,
            403: Forbidden,
            404: NotFound,
            422: InvalidInput,
        }
        err = kinds.get(exc.status_code, VoltvanError)(str(exc.detail))
        response = _error(err)
        response.status_code = exc.status_code
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:  # RFC 9110: every method of the path, from every route
            response.headers["Allow"] = allowed_methods(request)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_r: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(VoltvanError("internal error; see the server log"))


def create_app(settings: WebSettings) -> FastAPI:
    """A fresh API over ``settings.data_dir`` (telemetry ingest, state and queries)."""
    from voltvan.web._cockpit import mount_cockpit
    from voltvan.web._console import mount_console
    from voltvan.web._metrics import install_metrics
    from voltvan.web._openapi import describe
    from voltvan.web._ops import router as ops_router
    from voltvan.web._replan import router as replan_router
    from voltvan.web._telemetry import router as telemetry_router

    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    # The docs pages load Swagger UI and ReDoc from the package, not from a CDN: they work
    # offline and on a network that reaches only this server.
    app = FastAPIOffline(
        title="voltvan",
        summary="Plan, charge and run fleets of electric delivery vans.",
        version="1",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
    )
    app.state.voltvan = state
    _install_error_handlers(app)
    app.include_router(telemetry_router)
    app.include_router(ops_router)
    app.include_router(replan_router)
    mount_console(app)
    mount_cockpit(app)
    install_metrics(app, guard=require_reader)
    describe(app, open_tags=frozenset({"telemetry", "metrics"} if settings.tokens.is_open else ()))

    @app.get("/healthz", summary="Liveness: the server answers")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
