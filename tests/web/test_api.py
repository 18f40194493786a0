"""The HTTP API: ingest answered after the write, tokens per vehicle, reads and read-only SQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.telemetry.ingest_data import LON, SOC, SPEED, T0, batch_message, iso, stored_rows
from voltvan.telemetry import Tokens
from voltvan.web import WebSettings, create_app

VAN_TOKEN = "van-one-secret-token"
OTHER_TOKEN = "van-two-secret-token"
READER_TOKEN = "console-reader-token"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    tokens = Tokens(
        vehicles={"V1": VAN_TOKEN, "V2": OTHER_TOKEN}, readers={"console": READER_TOKEN}
    )
    settings = WebSettings(data_dir=tmp_path, fleet=frozenset({"V1", "V2"}), tokens=tokens)
    return TestClient(create_app(settings))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_post_batch_is_on_disk_when_answered(client: TestClient, tmp_path: Path) -> None:
    """A 200 answer means the rows are already in the Parquet files."""
    r = client.post("/v1/vehicles/V1/signals", content=batch_message(0, 5), headers=auth(VAN_TOKEN))
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 20 and r.json()["rejected"] == {}
    assert stored_rows(tmp_path) == 20


def test_redelivery_over_http_is_deduplicated(client: TestClient, tmp_path: Path) -> None:
    """Posting the same batch twice stores it once and reports the duplicates."""
    for _ in range(2):
        r = client.post(
            "/v1/vehicles/V1/signals", content=batch_message(0, 3), headers=auth(VAN_TOKEN)
        )
    assert r.json()["stored"] == 0 and r.json()["duplicates"] == 12
    assert stored_rows(tmp_path) == 12


def test_partial_rejects_are_reported_per_reason(client: TestClient) -> None:
    """A sample with one bad signal keeps the rest, and the answer counts the reason."""
    body = {"ts": iso(T0), "signals": {SPEED: 10.0, LON: 1555.6}}
    r = client.post("/v1/vehicles/V1/signals", json=body, headers=auth(VAN_TOKEN))
    assert r.status_code == 200
    assert r.json()["stored"] == 1 and r.json()["rejected"] == {"out_of_range": 1}
    r = client.get("/v1/rejected", headers=auth(READER_TOKEN))
    assert r.json() == {"counts": {"out_of_range": 1}, "total": 1}


def test_state_routes(client: TestClient) -> None:
    """Last state per vehicle and for the fleet; a van may read its own state only."""
    client.post("/v1/vehicles/V1/signals", content=batch_message(0, 3), headers=auth(VAN_TOKEN))
    r = client.get("/v1/vehicles/V1/state", headers=auth(VAN_TOKEN))
    assert r.status_code == 200
    assert r.json()["signals"][SOC]["value"] == pytest.approx(80.0 - 0.02)
    assert client.get("/v1/vehicles/V1/state", headers=auth(OTHER_TOKEN)).status_code == 403
    fleet = client.get("/v1/state", headers=auth(READER_TOKEN)).json()["vehicles"]
    assert set(fleet) == {"V1"}


def test_query_runs_one_select(client: TestClient) -> None:
    """A reader may run a SELECT over the views and gets columns and JSON rows back."""
    client.post("/v1/vehicles/V1/signals", content=batch_message(0, 3), headers=auth(VAN_TOKEN))
    r = client.post(
        "/v1/query",
        json={"sql": "SELECT name, count(*) AS n, min(ts) AS t FROM signals GROUP BY 1 ORDER BY 1"},
        headers=auth(READER_TOKEN),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["name", "n", "t"] and len(body["rows"]) == 4
    assert body["rows"][0][1] == 3 and body["rows"][0][2].startswith("2026-03-02T08:00:00")


def test_query_limit_truncates(client: TestClient) -> None:
    """The answer says when rows were cut at the limit."""
    r = client.post(
        "/v1/query", json={"sql": "SELECT * FROM range(10)", "limit": 3}, headers=auth(READER_TOKEN)
    )
    assert r.json()["truncated"] is True and len(r.json()["rows"]) == 3


def test_every_route_has_an_openapi_summary(client: TestClient) -> None:
    """Each operation in the OpenAPI document carries a summary."""
    spec = client.get("/openapi.json").json()
    ops = [(path, m, op) for path, item in spec["paths"].items() for m, op in item.items()]
    assert len(ops) >= 7
    missing = [f"{m.upper()} {path}" for path, m, op in ops if not op.get("summary")]
    assert missing == []


ERROR_CASES = [
    # (method, url, headers, body, status, kind)
    ("post", "/v1/vehicles/V1/signals", {}, b"{}", 401, "Unauthorized"),
    ("post", "/v1/vehicles/V1/signals", auth("nobody-knows-this"), b"{}", 401, "Unauthorized"),
    ("post", "/v1/vehicles/V1/signals", auth(OTHER_TOKEN), b"{}", 403, "Forbidden"),
    ("post", "/v1/vehicles/V1/signals", auth(VAN_TOKEN), b"{not json", 422, "InvalidInput"),
    ("post", "/v1/vehicles/V1/signals", auth(VAN_TOKEN), b"[1]", 422, "InvalidInput"),
    ("get", "/v1/state", {}, None, 401, "Unauthorized"),
    ("get", "/v1/state", auth(VAN_TOKEN), None, 403, "Forbidden"),
    ("get", "/v1/vehicles/V2/state", auth(READER_TOKEN), None, 404, "NotFound"),
    ("get", "/v1/rejected", {}, None, 401, "Unauthorized"),
    ("post", "/v1/query", auth(READER_TOKEN), {"sql": "DROP VIEW signals"}, 422, "InvalidInput"),
    ("post", "/v1/query", auth(READER_TOKEN), {"sql": "SELEC 1"}, 422, "InvalidInput"),
    ("post", "/v1/query", auth(READER_TOKEN), {"sql": "SELECT * FROM nope"}, 422, "InvalidInput"),
    (
        "post",
        "/v1/query",
        auth(READER_TOKEN),
        {"sql": "SELECT * FROM read_csv('/etc/passwd')"},
        403,
        "Forbidden",
    ),
    ("post", "/v1/query", auth(READER_TOKEN), {"limit": 5}, 422, "InvalidInput"),
    ("post", "/v1/query", auth(READER_TOKEN), b"not json", 422, "InvalidInput"),
    ("get", "/v1/nowhere", {}, None, 404, "NotFound"),
    ("put", "/v1/state", {}, None, 405, "VoltvanError"),
]


@pytest.mark.parametrize(("method", "url", "headers", "body", "status", "kind"), ERROR_CASES)
def test_error_shape(
    client: TestClient,
    method: str,
    url: str,
    headers: dict[str, str],
    body: object,
    status: int,
    kind: str,
) -> None:
    """Every error path answers with its status and the one shape {error, message, ...}."""
    kwargs: dict[str, object] = {"headers": headers}
    if isinstance(body, bytes):
        kwargs["content"] = body
    elif body is not None:
        kwargs["json"] = body
    r = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    data = r.json()
    assert data["error"] == kind and isinstance(data["message"], str) and data["message"]
    assert set(data) <= {"error", "message", "file", "line", "field"}


def test_unknown_vehicle_is_404_and_a_dead_letter(tmp_path: Path) -> None:
    """A vehicle outside the fleet gets 404 and its message is kept as a dead letter."""
    app = create_app(WebSettings(data_dir=tmp_path, fleet=frozenset({"V1"})))
    with TestClient(app) as client:
        r = client.post("/v1/vehicles/V9/signals", content=batch_message(0, 1))
        assert r.status_code == 404 and r.json()["error"] == "NotFound"
        counts = client.get("/v1/rejected").json()["counts"]
    assert counts == {"unknown_vehicle": 1}


def test_open_server_without_tokens_accepts_posts(tmp_path: Path) -> None:
    """With no tokens configured (development), posting needs no header."""
    with TestClient(create_app(WebSettings(data_dir=tmp_path))) as client:
        r = client.post("/v1/vehicles/any-van/signals", content=json.dumps({"samples": []}))
    assert r.status_code == 200 and r.json()["stored"] == 0


def test_catalog_and_health_need_no_token(client: TestClient) -> None:
    """The signal catalog and the liveness route are public."""
    catalog = client.get("/v1/signals").json()
    assert catalog["Vehicle.CurrentLocation.Latitude"]["max"] == 90.0
    assert client.get("/healthz").json() == {"status": "ok"}
