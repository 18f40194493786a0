"""Every request is bounded: body size before it is read, query rows, memory and time."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.telemetry.ingest_data import batch_message
from tests.web.live import serving
from voltvan.telemetry import MAX_PAYLOAD_BYTES
from voltvan.web import WebSettings, create_app
from voltvan.web._telemetry_query import _watch

ENDLESS = "SELECT count(*) FROM range(1000000000000)"


def client_for(tmp_path: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(WebSettings(data_dir=tmp_path, **settings)))


def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(tmp_path: Path) -> None:
    big = b"x" * (MAX_PAYLOAD_BYTES + 1)
    with client_for(tmp_path) as client:
        declared = client.post("/v1/vehicles/V1/signals", content=big)
        streamed = client.post("/v1/vehicles/V1/signals", content=iter([big[:1000], big[1000:]]))
        exact = client.post("/v1/vehicles/V1/signals", content=b" " * MAX_PAYLOAD_BYTES)
    for r in (declared, streamed):
        assert r.status_code == 413, r.text
        assert r.json()["error"] == "TooLarge"
    assert exact.status_code == 422  # at the limit it is read, and refused as not JSON


@contextlib.contextmanager
def live_server(tmp_path: Path, **settings: Any) -> Iterator[int]:
    """The API over ``tmp_path`` on a free port of 127.0.0.1, served by uvicorn in a thread."""
    with serving(create_app(WebSettings(data_dir=tmp_path, **settings))) as url:
        yield int(url.rsplit(":", 1)[1])


def test_a_declared_200_mb_body_is_refused_before_it_is_sent(tmp_path: Path) -> None:
    """The answer comes while the client has sent only the headers: nothing was buffered."""
    with live_server(tmp_path) as port, socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(
            b"POST /v1/vehicles/V1/signals HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n"
        )
        s.settimeout(10)
        answer = b""
        while b'"TooLarge"' not in answer and (chunk := s.recv(65536)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"TooLarge"' in answer


def test_a_query_past_its_time_is_cancelled_and_the_server_answers_again(
    tmp_path: Path,
) -> None:
    with client_for(tmp_path, query_timeout_s=0.5) as client:
        client.post("/v1/vehicles/V1/signals", content=batch_message(0, 2))
        slow = client.post("/v1/query", json={"sql": ENDLESS})
        quick = client.post("/v1/query", json={"sql": "SELECT count(*) FROM signals"})
    assert slow.status_code == 422, slow.text
    assert "ran past the 0.5 s limit" in slow.json()["message"]
    assert quick.status_code == 200 and quick.json()["rows"] == [[8]]


def test_a_query_over_its_memory_is_refused(tmp_path: Path) -> None:
    with client_for(tmp_path, query_memory_mb=32) as client:
        client.post("/v1/vehicles/V1/signals", content=batch_message(0, 2))
        r = client.post(
            "/v1/query", json={"sql": "SELECT list(range * 2) FROM range(50000000) GROUP BY ALL"}
        )
    assert r.status_code == 422, r.text
    assert "memory" in r.json()["message"].lower()


class GoneRequest:
    async def is_disconnected(self) -> bool:
        return True


def test_a_query_whose_client_left_is_interrupted() -> None:
    async def go() -> tuple[str | None, int]:
        interrupted: list[int] = []
        never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        why = await _watch(never, GoneRequest(), 60.0, lambda: interrupted.append(1))  # type: ignore[arg-type]
        never.cancel()
        return why, len(interrupted)

    why, calls = asyncio.run(go())
    assert calls == 1 and why is not None and "went away" in why


@pytest.mark.parametrize("limit", [1, 3])
def test_rows_are_capped_and_truncation_is_said(tmp_path: Path, limit: int) -> None:
    with client_for(tmp_path, max_query_rows=3) as client:
        r = client.post("/v1/query", json={"sql": "SELECT * FROM range(10)", "limit": limit})
    assert r.status_code == 200
    assert len(r.json()["rows"]) == limit and r.json()["truncated"] is True
