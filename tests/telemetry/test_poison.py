"""Poison messages: text that parses as JSON but cannot be stored must never stop ingest.

A JSON escape such as ``"\\ud800"`` is pure ASCII on the wire and a lone surrogate once parsed:
it has no UTF-8 encoding, so a dead letter carrying it verbatim made the Parquet write raise,
the MQTT worker exit without acknowledging, and the broker redeliver it forever.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.telemetry.broker import publish, running_broker, start_worker, stop_worker, wait_for
from tests.telemetry.ingest_data import SPEED, T0, batch_message, iso, stored_rows, write_fleet
from voltvan.telemetry import Batch, Context, open_query, open_store, parse_message, topic_for
from voltvan.telemetry.ingest._batch import now_us
from voltvan.web import WebSettings, create_app

LONE = "\\ud800"  # as it travels: a JSON escape, six ASCII characters
FIX = "Vehicle.CurrentLocation.GNSSReceiver.FixType"

# Every place of a message that a string can reach, each carrying a lone surrogate.
X = "@LONE@"
TS = iso(T0)
POISON_SHAPES: dict[str, object] = {
    "ts": {"ts": X, "signals": {}},
    "ts inside samples": {"samples": [{"ts": X, "signals": {SPEED: 1.0}}]},
    "signal name": {"ts": TS, "signals": {f"Vehicle.{X}": 1.0}},
    "string value": {"ts": TS, "signals": {FIX: X}},
    "number as text": {"ts": TS, "signals": {SPEED: X}},
    "message key": {"ts": TS, "signals": {}, X: 1},
    "sample key": {"samples": [{"ts": TS, "signals": {}, X: 1}]},
    "vehicle in body": {"vehicle_id": X, "ts": TS, "signals": {}},
    "sample not an object": {"samples": [X]},
    "samples not a list": {"samples": X},
}
POISONS = {k: json.dumps(v).replace(X, LONE) for k, v in POISON_SHAPES.items()}


def parsed(payload: str) -> Batch:
    out = Batch()
    parse_message(out, Context("mqtt", now_us(), None, "voltvan/v1/vehicles/V5/signals"), payload)
    return out


@pytest.mark.parametrize("where", sorted(POISONS))
def test_a_lone_surrogate_is_rejected_and_the_dead_letter_is_stored(
    where: str, tmp_path: Path
) -> None:
    """The message becomes dead letters whose text is storable, and the write succeeds."""
    batch = parsed(POISONS[where])
    assert batch.num_rows == 0 and batch.rejects, where
    for reject in batch.rejects:
        for text in (reject.detail, reject.payload, reject.topic or "", reject.vehicle_id or ""):
            text.encode("utf-8")  # raises on a lone surrogate
    with open_store(tmp_path) as store:
        result = store.write(batch)
    assert result.rejected == len(batch.rejects)
    con = open_query(tmp_path)
    row = con.execute("SELECT count(*) FROM rejected").fetchone()
    assert row is not None and row[0] == len(batch.rejects)


def test_the_escaped_text_keeps_what_was_sent(tmp_path: Path) -> None:
    """The dead letter shows the offending escape, so whoever reads it can see what came in."""
    batch = parsed(POISONS["message key"])
    assert "\\ud800" in batch.rejects[0].payload


def test_a_poison_message_does_not_fail_another_vans_request(tmp_path: Path) -> None:
    """Over HTTP the poison gets its answer and the other vans' posts are stored and 200."""
    with TestClient(create_app(WebSettings(data_dir=tmp_path))) as client:
        bad = client.post("/v1/vehicles/V5/signals", content=POISONS["ts"].encode())
        good = client.post("/v1/vehicles/V6/signals", content=batch_message(0, 3))
    assert good.status_code == 200, good.text
    assert good.json()["stored"] == 12
    assert bad.status_code in (200, 422), bad.text
    assert stored_rows(tmp_path) == 12
    con = open_query(tmp_path)
    assert con.execute("SELECT reason, n FROM rejected_counts").fetchall() == [("schema", 1)]


def test_valid_non_ascii_text_is_kept_as_it_is() -> None:
    """Only unencodable characters are escaped; ordinary accents and symbols stay."""
    batch = parsed(json.dumps({"ts": TS, "signals": {"Fahrzeug.Geschwindigkeit→": 1.0}}))
    assert "Geschwindigkeit→" in batch.rejects[0].payload


@pytest.mark.mqtt
def test_the_mqtt_worker_survives_a_poison_message(tmp_path: Path) -> None:
    """Through a real broker: the poison is a dead letter, the worker keeps storing after it."""
    fleet = write_fleet(tmp_path, ["V5", "V6"])
    data = tmp_path / "data"
    with running_broker(tmp_path / "broker") as broker:
        worker = start_worker(broker, data, fleet)
        messages = [(topic_for("V5"), POISONS[w].encode()) for w in sorted(POISONS)]
        messages.append((topic_for("V6"), batch_message(0, 3)))
        assert set(publish(broker, messages)) == {0}
        wait_for(lambda: stored_rows(data) >= 12, what="the good message stored")
        wait_for(lambda: rejected_total(data) >= len(POISONS), what="every poison rejected")
        stop_worker(worker)
    assert worker.returncode == 0
    assert stored_rows(data) == 12


def rejected_total(data: Path) -> int:
    if not (data / "rejected").exists():
        return 0
    row = open_query(data).execute("SELECT count(*) FROM rejected").fetchone()
    return 0 if row is None else int(row[0])
