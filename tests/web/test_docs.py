"""The API's own documentation: /docs and /redoc work offline, and "Authorize" knows the token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from voltvan.telemetry import Tokens
from voltvan.web import WebSettings, create_app

#: The routes that check a bearer token, and the open ones.
PROTECTED = {
    ("post", "/v1/vehicles/{vehicle_id}/signals"),
    ("get", "/v1/vehicles/{vehicle_id}/state"),
    ("get", "/v1/state"),
    ("get", "/v1/rejected"),
    ("post", "/v1/query"),
    ("get", "/metrics"),  # a reader's token (tests/web/test_metrics.py)
    # the live day: every route needs an ops account (tests/web/test_ops_api.py)
    ("get", "/v1/ops/me"),
    ("post", "/v1/ops/proofs"),
    ("get", "/v1/ops/proofs/{proof_id}"),
    ("get", "/v1/ops/days/{day}"),
    ("get", "/v1/ops/days/{day}/plan"),
    ("post", "/v1/ops/days/{day}/plans"),
    ("get", "/v1/ops/days/{day}/vans/{van_id}/route"),
    ("get", "/v1/ops/days/{day}/vans/{van_id}/range"),
    ("post", "/v1/ops/days/{day}/vans/{van_id}/events"),
    ("get", "/v1/ops/days/{day}/vans/{van_id}/events"),
    ("get", "/v1/ops/days/{day}/events"),
    ("get", "/v1/ops/live"),  # the fleet console's feed (tests/web/test_console_feed.py)
    ("post", "/v1/ops/days/{day}/replan"),  # re-planning (tests/web/test_replan_api.py)
}
OPEN = {("get", "/v1/signals"), ("get", "/healthz")}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    tokens = Tokens(vehicles={"V1": "van-token"}, readers={"console": "reader-token"})
    return TestClient(create_app(WebSettings(data_dir=tmp_path, tokens=tokens)))


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|url|spec-url)\s*[=:]\s*["']([^"']+)["']""", html)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_names_no_other_host(client: TestClient, page: str) -> None:
    """The page loads its script, style and icon from this server: no URL with a host in it."""
    r = client.get(page)
    assert r.status_code == 200
    refs = _references(r.text)
    assert len(refs) >= 2, refs  # the script and the OpenAPI document at least
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in refs), refs
    assert "://" not in r.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_assets_are_served(client: TestClient, page: str) -> None:
    """Every script, style sheet and icon the page names is served here, with content."""
    for ref in _references(client.get(page).text):
        r = client.get(ref)
        assert r.status_code == 200, ref
        assert len(r.content) > 0, ref
    js = [ref for ref in _references(client.get(page).text) if ref.endswith(".js")]
    assert js and all(len(client.get(ref).content) > 100_000 for ref in js)  # the real bundle


def test_swagger_ui_asks_no_online_validator(client: TestClient) -> None:
    """Swagger UI would send the document to an online validator; it is switched off."""
    assert '"validatorUrl": null' in client.get("/docs").text


def test_openapi_declares_the_bearer_scheme(client: TestClient) -> None:
    """The document has an HTTP bearer scheme, applied to exactly the routes that check it."""
    doc = client.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearer"]["type"] == "http"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    secured = {
        (method, path)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if op.get("security") == [{"bearer": []}]
    }
    assert secured == PROTECTED
    listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert listed >= OPEN and not OPEN & secured


def test_declaring_the_scheme_changes_no_answer(client: TestClient) -> None:
    """Without a token a protected route still answers 401 in voltvan's error shape; with a
    reader's token it answers; the open catalog needs none."""
    r = client.get("/v1/state")
    assert r.status_code == 401 and r.json()["error"] == "Unauthorized"
    assert client.get("/v1/state", headers={"Authorization": "Bearer reader-token"}).is_success
    assert client.get("/v1/signals").status_code == 200
