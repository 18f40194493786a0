"""What the OpenAPI document says about errors and tokens, so that it describes every answer.

A client generated from the document (or a tester such as schemathesis) must find each status a
route can give, with the one error shape of :meth:`voltvan.errors.VoltvanError.to_dict`, and
FastAPI's own 422 schema replaced by ours (our handler answers validation errors in our shape).
An open server (no tokens file) asks for no token, so its document declares none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every error the API answers, whatever its status."""

    error: str = Field(
        description="the kind: InvalidInput, NotFound, Unauthorized, Forbidden, TooLarge, ..."
    )
    message: str = Field(description="what went wrong, in plain words")
    file: str | None = Field(None, description="the file at fault, when one is")
    line: int | None = Field(None, description="its line")
    field: str | None = Field(None, description="the field or parameter at fault")


_WHY = {
    401: "no bearer token, or an unknown one",
    403: "the token is valid but may not do this",
    404: "no such vehicle or data",
    413: "the body is over the documented size limit",
    422: "a parameter or the body is not valid",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can answer ``statuses``, in voltvan's error shape."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorBody, "description": _WHY[status]}
        if status == 401:
            entry["headers"] = {
                "WWW-Authenticate": {
                    "description": "always Bearer",
                    "required": True,
                    "schema": {"type": "string"},
                }
            }
        out[status] = entry
    return out


def describe(app: FastAPI, *, needs_token: bool) -> None:
    """Drop the bearer scheme from the document of a server that checks no token.

    The routes declare the scheme (so /docs can send a token); on an open server that would
    claim a 401 that never comes. (A 403 stays: a query may still try to read what it may not.)
    """
    if needs_token:
        return
    build: Callable[[], dict[str, Any]] = app.openapi

    def without_security() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            doc.get("components", {}).pop("securitySchemes", None)
            for ops in doc.get("paths", {}).values():
                for op in ops.values():
                    op.pop("security", None)
                    op.get("responses", {}).pop("401", None)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = without_security  # type: ignore[method-assign]
