"""``voltvan ingest --metrics-port``: the worker's counts, served on 127.0.0.1, move with it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.telemetry.broker import (
    free_port,
    publish,
    running_broker,
    start_worker,
    stop_worker,
    wait_for,
)
from tests.telemetry.ingest_data import batch_message, write_fleet
from tests.web.test_metrics import _value
from voltvan.telemetry import topic_for

pytestmark = pytest.mark.mqtt


def test_ingest_metrics_count_messages_rows_and_rejects(tmp_path: Path) -> None:
    """Two messages of a fleet van and one of a stranger: the scrape says so, by reason."""
    fleet = write_fleet(tmp_path, ["V1"])
    data = tmp_path / "data"
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet, "--metrics-port", str(port))
        before = httpx.get(url).text
        assert _value(before, "voltvan_ingest_rows_total", outcome="stored") == 0
        messages = [
            (topic_for("V1"), batch_message(0, 2)),
            (topic_for("V1"), batch_message(2, 2)),
            (topic_for("V9"), batch_message(0, 1)),
        ]
        assert set(publish(broker, messages)) == {0}
        wait_for(
            lambda: "voltvan_ingest_messages_total 3.0" in httpx.get(url).text,
            what="three messages counted",
        )
        text = httpx.get(url).text
        stop_worker(worker)
    assert _value(text, "voltvan_ingest_rows_total", outcome="stored") == 16  # 4 samples x 4
    assert _value(text, "voltvan_ingest_rejects_total", reason="unknown_vehicle") == 1
    assert worker.returncode == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(url, timeout=2)  # gone with the worker
