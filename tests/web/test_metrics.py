"""/metrics: the counters move with the requests, ingest rows and dead letters they count."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.telemetry.broker import free_port, wait_port
from voltvan.telemetry import Tokens
from voltvan.web import JsonFormatter, WebSettings, create_app, serve_ingest_metrics

SAMPLE = {"ts": "2026-03-02T08:00:00Z", "signals": {"Vehicle.Speed": 4.0, "Vehicle.Nope": 1}}
SIGNALS = "/v1/vehicles/{vehicle_id}/signals"
REQUESTS = "voltvan_http_requests_total"


def _value(text: str, name: str, **labels: str) -> float:
    """One sample of the exposition text (0 when the series is not there yet)."""
    for line in text.splitlines():
        m = re.fullmatch(r"(\w+)\{(.*)\} (\S+)", line)
        if m is None or m.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        if found == labels:
            return float(m.group(3))
    return 0.0


def test_requests_rows_and_rejects_are_counted(tmp_path: Path) -> None:
    """A post with one good and one unknown signal, twice, and a 404: each counted once where
    it belongs, by route template (never the raw path) and status."""
    client = TestClient(create_app(WebSettings(data_dir=tmp_path)))
    before = client.get("/metrics").text
    assert _value(before, "voltvan_ingest_rows_total", outcome="stored") == 0
    for _ in range(2):
        assert client.post("/v1/vehicles/V1/signals", json=SAMPLE).status_code == 200
    assert client.get("/nowhere").status_code == 404
    text = client.get("/metrics").text
    assert _value(text, "voltvan_http_requests_total", route=SIGNALS, method="POST", status="200")
    assert (
        _value(text, "voltvan_http_requests_total", route=SIGNALS, method="POST", status="200") == 2
    )
    assert _value(
        text, "voltvan_http_requests_total", route="unmatched", method="GET", status="404"
    )
    assert _value(text, "voltvan_ingest_rows_total", outcome="stored") == 1
    assert _value(text, "voltvan_ingest_rows_total", outcome="duplicate") == 1
    assert _value(text, "voltvan_ingest_rejects_total", reason="unknown_signal") == 2
    count = "voltvan_http_request_duration_seconds_count"
    assert _value(text, count, route=SIGNALS, method="POST") == 2
    assert "V1" not in text  # no series per van


def test_a_whole_refusal_is_counted_as_a_dead_letter(tmp_path: Path) -> None:
    """A message refused with 422 still left a dead letter: the reject counter says so."""
    client = TestClient(create_app(WebSettings(data_dir=tmp_path)))
    assert client.post("/v1/vehicles/V1/signals", content=b"{not json").status_code == 422
    text = client.get("/metrics").text
    assert _value(text, "voltvan_ingest_rejects_total", reason="malformed_json") == 1
    assert _value(text, REQUESTS, route=SIGNALS, method="POST", status="422") == 1


def test_metrics_need_a_readers_token_when_there_are_tokens(tmp_path: Path) -> None:
    """Like every read of the API: 401 without a token, 403 for a van's, 200 for a reader's."""
    tokens = Tokens(vehicles={"V1": "van-one-secret-token"}, readers={"p": "prometheus-token-1"})
    client = TestClient(create_app(WebSettings(data_dir=tmp_path, tokens=tokens)))
    assert client.get("/metrics").status_code == 401
    van = client.get("/metrics", headers={"Authorization": "Bearer van-one-secret-token"})
    assert van.status_code == 403
    ok = client.get("/metrics", headers={"Authorization": "Bearer prometheus-token-1"})
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")


def test_each_app_counts_its_own(tmp_path: Path) -> None:
    """Two apps in one process (as in these tests) never share counts."""
    a = TestClient(create_app(WebSettings(data_dir=tmp_path / "a")))
    b = TestClient(create_app(WebSettings(data_dir=tmp_path / "b")))
    a.get("/healthz")
    text = b.get("/metrics").text
    assert not _value(
        text, "voltvan_http_requests_total", route="/healthz", method="GET", status="200"
    )


def test_every_request_is_logged_with_its_fields(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One record per request on voltvan.web.access, with route, status and duration."""
    client = TestClient(create_app(WebSettings(data_dir=tmp_path)))
    with caplog.at_level(logging.INFO, logger="voltvan.web.access"):
        client.get("/v1/vehicles/V9/state")
    [record] = [r for r in caplog.records if r.name == "voltvan.web.access"]
    assert record.__dict__["route"] == "/v1/vehicles/{vehicle_id}/state"
    assert record.__dict__["path"] == "/v1/vehicles/V9/state"
    assert record.__dict__["status"] == 404
    assert record.__dict__["duration_ms"] >= 0
    json.dumps({k: record.__dict__[k] for k in ("route", "path", "status", "duration_ms")})


def test_json_formatter_writes_one_object_with_the_extra_fields() -> None:
    """A record with extra fields and a traceback becomes one line of JSON holding them all."""
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed %s", ("x",), sys.exc_info(),
            extra={"route": "/v1/state", "status": 500},
        )  # fmt: skip
    line = JsonFormatter().format(record)
    assert "\n" not in line
    out = json.loads(line)
    assert out["message"] == "failed x" and out["level"] == "error"
    assert out["route"] == "/v1/state" and out["status"] == 500
    assert "ValueError: boom" in out["exception"]


def test_serve_log_json_logs_each_request_as_json(tmp_path: Path) -> None:
    """voltvan serve --log-json: the request shows up on stderr as JSON with its fields."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as fh:
        server = subprocess.Popen(
            [sys.executable, "-c", "from voltvan.cli import main; main()", "serve",
             "--data", str(tmp_path / "data"), "--port", str(port), "--log-json"],
            stdout=fh, stderr=fh,
        )  # fmt: skip
        try:
            wait_port(port, timeout_s=60)
            assert httpx.get(f"http://127.0.0.1:{port}/v1/vehicles/V1/state").status_code == 404
        finally:
            server.terminate()
            server.wait(timeout=30)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [r for r in records if r["logger"] == "voltvan.web.access"]
    assert access, log.read_text()
    assert access[0]["route"] == "/v1/vehicles/{vehicle_id}/state" and access[0]["status"] == 404
    assert not [line for line in log.read_text().splitlines() if not line.startswith("{")]


def test_an_ingest_workers_totals_are_served_on_localhost() -> None:
    """serve_ingest_metrics reads the worker's totals at each scrape: they move as it works."""
    totals = SimpleNamespace(
        messages=0, stored=0, duplicates=0, flushes=0, connects=1, parse_s=0.0, write_s=0.0,
        rejected=Counter(),
    )  # fmt: skip
    port = free_port()
    stop = serve_ingest_metrics(lambda: totals, port)  # type: ignore[arg-type, return-value]
    try:
        first = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert _value(first, "voltvan_ingest_rows_total", outcome="stored") == 0
        totals.messages, totals.stored, totals.flushes = 3, 40, 1
        totals.rejected.update({"out_of_range": 2})
        text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    finally:
        stop()
    assert _value(text, "voltvan_ingest_rows_total", outcome="stored") == 40
    assert _value(text, "voltvan_ingest_rejects_total", reason="out_of_range") == 2
    assert "voltvan_ingest_messages_total 3.0" in text
    assert "voltvan_ingest_connects_total 1.0" in text
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)  # stopped
