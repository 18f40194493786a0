"""The OpenAPI document names every error a route can answer, in the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.test_docs import PROTECTED
from voltvan.telemetry import MAX_PAYLOAD_BYTES, Tokens
from voltvan.web import WebSettings, create_app

READER = {"Authorization": "Bearer console-reader-token"}
#: The telemetry routes that check a token (the operations routes have accounts of their own).
TELEMETRY = {(m, p) for m, p in PROTECTED if not p.startswith("/v1/ops")}
ERROR = {"$ref": "#/components/schemas/ErrorBody"}


def _client(tmp_path: Path, *, tokens: bool) -> TestClient:
    t = Tokens(vehicles={"V1": "van-one-secret-token"}, readers={"c": "console-reader-token"})
    return TestClient(create_app(WebSettings(data_dir=tmp_path, tokens=t if tokens else Tokens())))


def _responses(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses: dict[str, Any] = doc["paths"][path][method]["responses"]
    return responses


def test_protected_routes_document_401_and_403_in_the_error_shape(tmp_path: Path) -> None:
    """Each route that checks a token lists 401 (with WWW-Authenticate) and 403."""
    doc = _client(tmp_path, tokens=True).get("/openapi.json").json()
    for method, path in TELEMETRY:
        responses = _responses(doc, method, path)
        for status in ("401", "403"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == ERROR, (method, path, status)
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/v1/vehicles/{vehicle_id}/signals", {"404", "413", "422"}),
        ("get", "/v1/vehicles/{vehicle_id}/state", {"404", "422"}),
        ("post", "/v1/query", {"413", "422"}),
    ],
)
def test_routes_document_their_other_errors(
    tmp_path: Path, method: str, path: str, statuses: set[str]
) -> None:
    """404, 413 and 422 where a route can give them, and 422 in our shape, not FastAPI's."""
    doc = _client(tmp_path, tokens=True).get("/openapi.json").json()
    responses = _responses(doc, method, path)
    for status in statuses:
        assert responses[status]["content"]["application/json"]["schema"] == ERROR, status
    assert "HTTPValidationError" not in doc["components"]["schemas"]


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("get", "/v1/ops/me", {"401"}),
        ("post", "/v1/ops/proofs", {"401", "413", "422"}),
        ("get", "/v1/ops/proofs/{proof_id}", {"401", "403", "404", "422"}),
        ("get", "/v1/ops/days/{day}", {"401", "403", "404", "422"}),
        ("get", "/v1/ops/days/{day}/plan", {"401", "403", "404", "422"}),
        ("post", "/v1/ops/days/{day}/plans", {"401", "403", "409", "422"}),
        ("get", "/v1/ops/days/{day}/vans/{van_id}/route", {"401", "403", "404", "422"}),
        ("get", "/v1/ops/days/{day}/vans/{van_id}/range", {"401", "403", "404", "422"}),
        ("post", "/v1/ops/days/{day}/vans/{van_id}/events", {"401", "403", "404", "409", "422"}),
        ("get", "/v1/ops/days/{day}/vans/{van_id}/events", {"401", "403", "422"}),
        ("get", "/v1/ops/days/{day}/events", {"401", "403", "422"}),
        ("post", "/v1/ops/days/{day}/replan", {"401", "403", "404", "409", "422"}),
        ("get", "/v1/ops/live", {"401", "403", "404", "422"}),
    ],
)
def test_operations_routes_document_their_errors_and_token(
    tmp_path: Path, method: str, path: str, statuses: set[str]
) -> None:
    """Every /v1/ops route asks for the bearer token, even on an open server, and lists each
    error it can give in the error shape."""
    doc = _client(tmp_path, tokens=False).get("/openapi.json").json()
    op = doc["paths"][path][method]
    assert op["security"] == [{"bearer": []}]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    errors = {s for s in op["responses"] if s[0] in "45"}
    assert errors == statuses, (method, path)
    for status in statuses:
        assert op["responses"][status]["content"]["application/json"]["schema"] == ERROR


def test_every_422_and_every_secured_401_is_in_the_error_shape(tmp_path: Path) -> None:
    """Routes of any router (operations too) get voltvan's shape for 422, and a 401 when they
    declare the bearer token."""
    doc = _client(tmp_path, tokens=True).get("/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            if "422" in responses:
                assert responses["422"]["content"]["application/json"]["schema"] == ERROR
            if "security" in op:
                assert responses["401"]["content"]["application/json"]["schema"] == ERROR, (
                    method,
                    path,
                )


def test_an_open_server_declares_no_token_for_telemetry(tmp_path: Path) -> None:
    """Without tokens no telemetry route answers 401, so the document neither asks for one nor
    lists it there; the operations routes, which always need an account, keep both."""
    doc = _client(tmp_path, tokens=False).get("/openapi.json").json()
    me = doc["paths"]["/v1/ops/me"]["get"]
    assert me["security"] == [{"bearer": []}] and "401" in me["responses"]
    for method, path in TELEMETRY:
        op = doc["paths"][path][method]
        assert "security" not in op and "401" not in op["responses"], (method, path)


def test_an_undeclared_method_is_405_with_allow(tmp_path: Path) -> None:
    """RFC 9110: a 405 says which methods the resource has."""
    r = _client(tmp_path, tokens=False).request("TRACE", "/healthz")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"
    assert r.json()["message"] == "Method Not Allowed"


def test_a_405_names_the_methods_of_every_route_of_the_path(tmp_path: Path) -> None:
    """A path served by a GET route and a POST route allows both, not just the first."""
    path = "/v1/ops/days/2026-03-02/vans/V1/events"
    r = _client(tmp_path, tokens=False).request("PUT", path)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, POST"


def test_a_body_that_cannot_be_decoded_is_422(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 where FastAPI reads JSON (before any dependency runs): invalid
    input in our shape, as every other bad body, not a 400 no route documents."""
    r = _client(tmp_path, tokens=False).post(
        "/v1/ops/days/2026-03-02/plans",
        content=b"\xff\xfe;",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "InvalidInput" and r.json()["field"] == "body"


def test_query_checks_the_token_before_the_body(tmp_path: Path) -> None:
    """No token and a broken body: 401, not a validation error that tells what the body lacks."""
    r = _client(tmp_path, tokens=True).post("/v1/query", content=b"{")
    assert r.status_code == 401 and r.json()["error"] == "Unauthorized"


def test_query_body_is_capped(tmp_path: Path) -> None:
    """A query body over the limit is refused by its declared size, like an ingest body."""
    big = b'{"sql": "' + b" " * MAX_PAYLOAD_BYTES + b'SELECT 1"}'
    r = _client(tmp_path, tokens=True).post("/v1/query", content=big, headers=READER)
    assert r.status_code == 413 and r.json()["error"] == "TooLarge"


def test_query_body_validation_names_the_field(tmp_path: Path) -> None:
    """An empty sql is refused by the model, naming the field."""
    r = _client(tmp_path, tokens=True).post("/v1/query", json={"sql": ""}, headers=READER)
    assert r.status_code == 422 and r.json()["field"] == "sql"


def test_one_bad_sample_of_a_batch_is_a_dead_letter_not_a_refusal(tmp_path: Path) -> None:
    """A batch is judged sample by sample: its only sample refused is reported (200), while
    the same sample sent alone is refused as a whole (422)."""
    client = _client(tmp_path, tokens=False)
    batch = client.post("/v1/vehicles/V1/signals", json={"samples": [{"ts": 5, "signals": {}}]})
    assert batch.status_code == 200, batch.text
    assert batch.json()["rejected"] == {"schema": 1} and batch.json()["stored"] == 0
    alone = client.post("/v1/vehicles/V1/signals", json={"ts": 5, "signals": {}})
    assert alone.status_code == 422 and alone.json()["error"] == "InvalidInput"
    envelope = client.post("/v1/vehicles/V1/signals", json={"samples": 5})
    assert envelope.status_code == 422


def test_a_vehicle_id_that_no_van_can_have_is_422(tmp_path: Path) -> None:
    """The path's vehicle id follows the documented pattern, checked before anything else."""
    r = _client(tmp_path, tokens=False).get("/v1/vehicles/-bad-/state")
    assert r.status_code == 422 and r.json()["field"] == "path.vehicle_id"
