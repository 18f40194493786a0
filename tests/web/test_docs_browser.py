"""/docs in a real browser (Debian chromium, Playwright) that may reach only the voltvan server:
Swagger UI draws every route, and "Authorize" + "Try it out" send the bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.live import serving
from voltvan.telemetry import Tokens
from voltvan.web import WebSettings, create_app

pytestmark = pytest.mark.browser

READER_TOKEN = "reader-token-for-the-docs"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``voltvan serve``'s app with tokens, on a free port of 127.0.0.1, in a thread."""
    tokens = Tokens(vehicles={"V1": "van-token"}, readers={"console": READER_TOKEN})
    app = create_app(WebSettings(data_dir=tmp_path_factory.mktemp("data"), tokens=tokens))
    with serving(app) as url:
        yield url


@pytest.fixture
def docs(chromium: Any, server: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """/docs opened with every request to another origin blocked (and recorded)."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    problems: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(server + "/docs")
    yield page, blocked, problems
    page.close()


def test_swagger_ui_renders_offline(docs: tuple[Any, list[str], list[str]]) -> None:
    """The title and one block per operation appear; nothing was fetched from elsewhere."""
    page, blocked, problems = docs
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert "voltvan" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() == 21  # 7 telemetry, 13 ops, metrics
    assert page.locator(".swagger-ui button.authorize").count() == 1
    assert blocked == []
    assert problems == []


def test_try_it_out_sends_the_authorized_token(docs: tuple[Any, list[str], list[str]]) -> None:
    """Authorize with a reader token, then GET /v1/rejected from the page: 200, not 401."""
    page, blocked, _ = docs
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.locator(".swagger-ui button.authorize").first.click()
    page.locator(".modal-ux input").first.fill(READER_TOKEN)
    page.locator(".modal-ux button.authorize").first.click()
    page.locator(".modal-ux button.btn-done").first.click()
    op = page.locator(".opblock-get", has_text="/v1/rejected").first
    op.locator(".opblock-summary").click()
    op.locator("button.try-out__btn").click()
    with page.expect_response(lambda r: "/v1/rejected" in r.url) as answer:
        op.locator("button.execute").click()
    assert answer.value.status == 200
    assert answer.value.request.headers["authorization"] == f"Bearer {READER_TOKEN}"
    assert blocked == []
