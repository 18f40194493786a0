"""The fleet console's feed (/v1/ops/live, Server-Sent Events) and page (/console/): dispatchers
only (401, 403), bad input (422), and what the stream says as telemetry, events and plan
versions arrive (a real server: the stream does not end by itself)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from tests.ops.days import DAY, PNG, event, one_day
from tests.telemetry.broker import free_port
from voltvan.ops import OpsStore, open_ops
from voltvan.telemetry import open_store, write_samples
from voltvan.web import WebSettings, create_app

LIVE = f"/v1/ops/live?day={DAY}&tz=Europe/Berlin"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
LAT = "Vehicle.CurrentLocation.Latitude"
LON = "Vehicle.CurrentLocation.Longitude"
AT_NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # telemetry of the plan's day


@dataclass
class Day:
    data: Path
    store: OpsStore
    dispatcher: dict[str, str]
    driver: dict[str, str]


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    store = open_ops(None, tmp_path)
    plan, stops = one_day({"V01": ["S1", "S2", "S3"], "V02": ["S4", "S5"]})
    store.publish(DAY, plan, stops, base_version=None, by="disp")
    d = Day(
        tmp_path,
        store,
        auth(store.add_user("disp", "dispatcher")),
        auth(store.add_user("d1", "driver", "V01")),
    )
    yield d
    store.close()


@pytest.fixture
def client(day: Day) -> Iterator[TestClient]:
    with TestClient(create_app(WebSettings(data_dir=day.data))) as c:
        yield c


def is_error(response: Any, status: int, kind: str, says: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == kind and says in body["message"], body


def test_the_feed_needs_a_dispatchers_token(client: TestClient, day: Day) -> None:
    is_error(client.get(LIVE), 401, "Unauthorized")
    is_error(client.get(LIVE, headers=auth("not-a-secret-of-anyone")), 401, "Unauthorized")
    is_error(client.get(LIVE, headers=day.driver), 403, "Forbidden", "only a dispatcher")


def test_the_feed_refuses_a_bad_day_or_time_zone(client: TestClient, day: Day) -> None:
    h = day.dispatcher
    is_error(client.get(LIVE.replace(DAY, "2026-02-30"), headers=h), 422, "InvalidInput")
    is_error(client.get(LIVE.replace("Europe/Berlin", "Mars/Olympus"), headers=h), 422,
             "InvalidInput", "unknown time zone")  # fmt: skip
    is_error(client.get(LIVE.replace(DAY, "2026-03-03"), headers=h), 404, "NotFound", "no plan")


def test_the_page_and_leaflet_are_served_from_the_package(client: TestClient) -> None:
    page = client.get("/console/")
    assert page.status_code == 200 and "fleet console" in page.text
    files = ("console.js", "chart.js", "feed.js", "console.css", "vendor/leaflet.js",
             "vendor/leaflet.css")  # fmt: skip
    for name in files:
        assert client.get(f"/console/{name}").status_code == 200, name
    assert client.get("/console", follow_redirects=False).headers["location"] == "/console/"
    assert "/v1/ops/live" in client.get("/openapi.json").json()["paths"]


@pytest.fixture
def server(day: Day) -> Iterator[str]:
    app = create_app(WebSettings(data_dir=day.data))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the API server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


class Feed:
    """The events of one open stream, read as they come."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines

    def next(self) -> tuple[str, dict[str, Any]]:
        kind, data = "", ""
        for line in self.lines:
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
            elif line == "" and data:
                return kind, json.loads(data)
        raise AssertionError("the stream ended")

    def until(self, kind: str, test: Any = lambda _d: True) -> dict[str, Any]:
        for _ in range(200):
            got, data = self.next()
            if got == kind and test(data):
                return data
        raise AssertionError(f"no {kind} event")


@pytest.fixture
def feed(server: str, day: Day) -> Iterator[Feed]:
    with (
        httpx.Client(timeout=httpx.Timeout(60.0)) as http,
        http.stream("GET", server + LIVE, headers=day.dispatcher) as r,
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        yield Feed(r.iter_lines())


def test_the_stream_starts_with_the_day(feed: Feed) -> None:
    kind, snap = feed.next()
    assert kind == "snapshot"
    assert (snap["day"], snap["plan_version"], snap["tz"]) == (DAY, 1, "Europe/Berlin")
    assert [r["van_id"] for r in snap["routes"]] == ["V01", "V02"]
    assert [s["id"] for s in snap["routes"][0]["stops"]] == ["S1", "S2", "S3"]
    assert snap["progress"]["V01"]["stops_total"] == 3
    assert snap["statuses"]["V02"] == {"S4": "planned", "S5": "planned"}
    assert snap["live"] == {}


def test_telemetry_moves_a_van(feed: Feed, day: Day) -> None:
    feed.until("snapshot")
    with open_store(day.data, writer_id="test") as store:
        write_samples(store, "V01", [(AT_NINE, {LAT: 52.51, LON: 13.41, SOC: 64.0})])
    vans = feed.until("vans")["vans"]
    assert set(vans) == {"V01"}
    assert (vans["V01"]["lat"], vans["V01"]["lon"], vans["V01"]["soc_pct"]) == (52.51, 13.41, 64.0)
    progress = feed.until("progress")["progress"]["V01"]
    assert progress["soc_source"] == "live"


def test_a_delivery_and_a_new_plan_version_reach_the_console(feed: Feed, day: Day) -> None:
    feed.until("snapshot")
    user = day.store.authenticate(day.driver["Authorization"].split()[1])
    assert user is not None
    photo = day.store.put_proof(user, PNG)["proof"]
    day.store.record(user, DAY, "V01", event("S1", photo=photo))
    update = feed.until("progress", lambda d: d["statuses"]["V01"]["S1"] == "delivered")
    assert update["progress"]["V01"]["stops_done"] == 1
    plan, stops = one_day({"V01": ["S1", "S2"], "V02": ["S4", "S5", "S3"]})
    day.store.publish(DAY, plan, stops, base_version=1, by="disp")
    snap = feed.until("snapshot")
    assert snap["plan_version"] == 2
    assert [s["id"] for s in snap["routes"][1]["stops"]] == ["S4", "S5", "S3"]
