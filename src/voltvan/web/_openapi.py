"""What the OpenAPI document says about errors and tokens, so that it describes every answer.

A client generated from the document (or a tester such as schemathesis) must find each status a
route can give, with the one error shape of :meth:`voltvan.errors.VoltvanError.to_dict`, and
FastAPI's own 422 schema replaced by ours (our handler answers validation errors in our shape).
The telemetry routes of an open server (no tokens file) ask for no token, so its document
declares none there; the operations routes always need an account's secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel, Field
from starlette.routing import Match


class ErrorBody(BaseModel):
    """Every error the API answers, whatever its status."""

    error: str = Field(
        description="the kind: InvalidInput, NotFound, Unauthorized, Forbidden, TooLarge, ..."
    )
    message: str = Field(description="what went wrong, in plain words")
    file: str | None = Field(None, description="the file at fault, when one is")
    line: int | None = Field(None, description="its line")
    field: str | None = Field(None, description="the field or parameter at fault")


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

_WHY = {
    401: "no bearer token, or an unknown one",
    403: "the token is valid but may not do this",
    404: "no such vehicle or data",
    409: "the request conflicts with the state it acts on (a stale version, a used id)",
    413: "the body is over the documented size limit",
    422: "a parameter or the body is not valid",
}


def errors(*statuses: int, why: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can answer ``statuses``, in voltvan's error shape;
    ``why`` says what a status means on this route when the general words are not enough."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description = (why or {}).get(status, _WHY[status])
        entry: dict[str, Any] = {"model": ErrorBody, "description": description}
        if status == 401:
            entry["headers"] = _errors_401_headers()
        out[status] = entry
    return out


def _errors_401_headers() -> dict[str, Any]:
    return {
        "WWW-Authenticate": {
            "description": "always Bearer",
            "required": True,
            "schema": {"type": "string"},
        }
    }


def describe(app: FastAPI, *, open_tags: frozenset[str] = frozenset()) -> None:
    """Finish the document: voltvan's error shape for every 422, a 401 on every route that
    declares the bearer token, and no token on the routes of ``open_tags``.

    Routes declare the scheme so that /docs can send a token; the telemetry routes of an open
    server (no tokens file) check none, and declaring it there would claim a 401 that never
    comes. (A 403 stays: a query may still try to read what it may not.)
    """
    build: Callable[[], dict[str, Any]] = app.openapi

    def finished() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            for ops in doc.get("paths", {}).values():
                for op in ops.values():
                    _finish(op, is_open=bool(open_tags & set(op.get("tags", ()))))
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
            if not any("security" in op for ops in doc["paths"].values() for op in ops.values()):
                doc["components"].pop("securitySchemes", None)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = finished  # type: ignore[method-assign]


def _finish(op: dict[str, Any], *, is_open: bool) -> None:
    responses = op.setdefault("responses", {})
    if "422" in responses:
        responses["422"] = _response(422)
    if is_open:
        op.pop("security", None)
        responses.pop("401", None)
    elif "security" in op:
        responses.setdefault("401", _response(401))


def _response(status: int) -> dict[str, Any]:
    """One error response as the document spells it (what ``errors`` makes FastAPI write)."""
    out: dict[str, Any] = {
        "description": _WHY[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    if status == 401:
        out["headers"] = _errors_401_headers()
    return out


def allowed_methods(request: Request) -> str:
    """The ``Allow`` of a 405: every method some route of the app takes on the request's path.

    Starlette names only the first route that matched the path, which is wrong when one path
    has a route per method (GET and POST of a van's events).
    """
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)
