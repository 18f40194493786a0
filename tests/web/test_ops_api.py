"""The /v1/ops routes: who may do what (401, 403), stale versions (409), bad input (413, 422),
one JSON error shape, and a driver's day end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ops.days import DAY, JPEG, PNG, one_day
from voltvan.ops import MAX_PROOF_BYTES, open_ops
from voltvan.web import WebSettings, create_app

SOC_SIGNAL = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"


@dataclass
class Ops:
    client: TestClient
    dispatcher: dict[str, str]
    v01: dict[str, str]
    v02: dict[str, str]


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def ops(db_url: str, tmp_path: Path) -> Iterator[Ops]:
    store = open_ops(db_url, tmp_path)
    plan, stops = one_day({"V01": ["S1", "S2", "S3"], "V02": ["S4", "S5"]})
    store.publish(DAY, plan, stops, base_version=None, by="disp")
    secrets = (
        store.add_user("disp", "dispatcher"),
        store.add_user("d1", "driver", "V01"),
        store.add_user("d2", "driver", "V02"),
    )
    store.close()
    with TestClient(create_app(WebSettings(data_dir=tmp_path, ops_db=db_url))) as client:
        yield Ops(client, *(auth(s) for s in secrets))


def ev(stop_id: str, kind: str = "delivered", version: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "stop_id": stop_id,
        "kind": kind,
        "at": "2026-03-02T09:15:00Z",
        "plan_version": version,
        **extra,
    }


def upload(ops: Ops, data: bytes = PNG, headers: dict[str, str] | None = None) -> Any:
    return ops.client.post("/v1/ops/proofs", content=data, headers=headers or ops.v01)


def is_error(response: Any, status: int, kind: str, says: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == kind and says in body["message"], body


EVENTS = f"/v1/ops/days/{DAY}/vans/V01/events"
#: Every route, with a body where it takes one: (method, path, json or raw bytes).
ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/v1/ops/me", None),
    ("POST", "/v1/ops/proofs", PNG),
    ("GET", "/v1/ops/proofs/sha256:" + "0" * 64, None),
    ("GET", f"/v1/ops/days/{DAY}", None),
    ("GET", f"/v1/ops/days/{DAY}/plan", None),
    ("POST", f"/v1/ops/days/{DAY}/plans", {"base_version": 1, "plan": {}}),
    ("GET", f"/v1/ops/days/{DAY}/vans/V01/route", None),
    ("GET", f"/v1/ops/days/{DAY}/vans/V01/range", None),
    ("POST", EVENTS, ev("S1", "arrived")),
    ("GET", EVENTS, None),
    ("GET", f"/v1/ops/days/{DAY}/events", None),
    ("GET", f"/v1/ops/live?day={DAY}", None),  # the fleet console's feed
    ("POST", f"/v1/ops/days/{DAY}/replan", {"base_version": 1, "at": "12:00"}),
]


def send(ops: Ops, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    if isinstance(body, bytes):
        return ops.client.request(method, path, content=body, headers=headers)
    return ops.client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_needs_a_known_token(ops: Ops, method: str, path: str, body: Any) -> None:
    for headers in ({}, auth("not-a-secret-of-anyone")):
        r = send(ops, method, path, body, headers)
        is_error(r, 401, "Unauthorized")
        assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", [EVENTS, f"/v1/ops/days/{DAY}/plans"])
def test_without_a_token_a_bad_body_is_401_not_422(ops: Ops, path: str) -> None:
    is_error(ops.client.post(path, json={"nonsense": True}), 401, "Unauthorized")


@pytest.mark.parametrize(
    ("method", "path", "body"), [r for r in ROUTES if r[1] not in ("/v1/ops/me", "/v1/ops/proofs")]
)
def test_the_other_vans_driver_is_forbidden_everywhere_but_their_own(
    ops: Ops, method: str, path: str, body: Any
) -> None:
    is_error(send(ops, method, path, body, ops.v02), 403, "Forbidden")


def test_a_dispatcher_reads_everything_but_does_not_write_a_drivers_events(ops: Ops) -> None:
    for path in (f"/v1/ops/days/{DAY}", f"/v1/ops/days/{DAY}/vans/V02/route", EVENTS):
        assert ops.client.get(path, headers=ops.dispatcher).status_code == 200, path
    photo = upload(ops, headers=ops.dispatcher).json()["proof"]
    r = ops.client.post(EVENTS, json=ev("S1", photo=photo), headers=ops.dispatcher)
    is_error(r, 403, "Forbidden", "recorded by the van's driver")


def test_a_drivers_day_end_to_end(ops: Ops) -> None:
    me = ops.client.get("/v1/ops/me", headers=ops.v01).json()
    assert me == {"name": "d1", "role": "driver", "van_id": "V01"}
    photo = upload(ops).json()
    assert photo["media_type"] == "image/png" and photo["size_bytes"] == len(PNG)
    signature = upload(ops, JPEG).json()["proof"]
    delivered = ev("S1", photo=photo["proof"], signature=signature)
    first = ops.client.post(EVENTS, json=delivered, headers=ops.v01)
    again = ops.client.post(EVENTS, json=delivered, headers=ops.v01)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["status"] == "delivered"
    failed = ev("S2", "failed", reason="refused")
    assert ops.client.post(EVENTS, json=failed, headers=ops.v01).json()["status"] == "failed"
    late = ops.client.post(EVENTS, json=ev("S1", "failed", reason="damaged"), headers=ops.v01)
    is_error(late, 409, "Conflict", "already delivered")
    route = ops.client.get(f"/v1/ops/days/{DAY}/vans/V01/route", headers=ops.v01).json()
    assert route["counts"] == {"planned": 1, "arrived": 0, "delivered": 1, "failed": 1}
    audit = ops.client.get(f"/v1/ops/days/{DAY}/events", headers=ops.dispatcher).json()
    assert [e["outcome"] for e in audit["events"]] == ["applied", "applied", "conflict"]
    assert audit["events"][0]["at"] == "2026-03-02T09:15:00+00:00"
    got = ops.client.get(f"/v1/ops/proofs/{photo['proof']}", headers=ops.dispatcher)
    assert got.content == PNG and got.headers["content-type"] == "image/png"


def test_stale_versions_are_409(ops: Ops) -> None:
    plan = ops.client.get(f"/v1/ops/days/{DAY}/plan", headers=ops.dispatcher).json()
    assert plan["plan_version"] == 1
    moved, _ = one_day({"V01": ["S1", "S3"], "V02": ["S4", "S2", "S5"]})
    body = {"base_version": 1, "plan": moved.to_dict()}
    published = ops.client.post(f"/v1/ops/days/{DAY}/plans", json=body, headers=ops.dispatcher)
    assert published.status_code == 201 and published.json()["plan_version"] == 2
    again = ops.client.post(f"/v1/ops/days/{DAY}/plans", json=body, headers=ops.dispatcher)
    is_error(again, 409, "Conflict", "it is at version 2, this was built on version 1")
    photo = upload(ops).json()["proof"]
    stale = ops.client.post(EVENTS, json=ev("S2", photo=photo, version=1), headers=ops.v01)
    is_error(stale, 409, "Conflict", "in version 2 van V02 has it")
    route = ops.client.get(
        f"/v1/ops/days/{DAY}/vans/V01/route?known_version=1", headers=ops.v01
    ).json()
    assert route["plan_version"] == 2 and route["moved"][0]["to_van"] == "V02"
    assert route["changes"]["removed"] == ["S2"]


def test_an_upload_over_10_mb_is_413_declared_or_streamed(ops: Ops) -> None:
    big = PNG + b"\x00" * MAX_PROOF_BYTES
    declared = upload(ops, big)
    streamed = ops.client.post(
        "/v1/ops/proofs", content=iter([big[:1000], big[1000:]]), headers=ops.v01
    )
    for r in (declared, streamed):
        is_error(r, 413, "TooLarge")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"GIF89a" + b"\x00" * 20, b""])
def test_an_upload_that_is_not_an_image_is_422(ops: Ops, data: bytes) -> None:
    is_error(upload(ops, data), 422, "InvalidInput")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (ev("S99", "arrived"), "stop_id"),
        (ev("S1", "arrived", version=7), "plan_version"),
        (ev("S1", photo="sha256:" + "1" * 64), "photo"),
        (ev("S1", "failed"), None),
        ({**ev("S1", "arrived"), "event_id": "123"}, "event_id"),
    ],
)
def test_bad_events_are_422_naming_the_field(ops: Ops, body: dict[str, Any], field: str) -> None:
    r = ops.client.post(EVENTS, json=body, headers=ops.v01)
    is_error(r, 422, "InvalidInput")
    assert r.json().get("field") == field


def test_a_bad_day_and_an_unknown_plan_are_named(ops: Ops) -> None:
    r = ops.client.get("/v1/ops/days/2026-02-30/vans/V01/route", headers=ops.v01)
    is_error(r, 422, "InvalidInput")
    assert r.json()["field"] == "day"
    r = ops.client.get("/v1/ops/days/2026-03-03/vans/V01/route", headers=ops.v01)
    is_error(r, 404, "NotFound", "no plan is published for 2026-03-03")
    bad = {"base_version": 1, "plan": {"version": 1, "routes": [{"van_id": "V01"}]}}
    r = ops.client.post(f"/v1/ops/days/{DAY}/plans", json=bad, headers=ops.dispatcher)
    is_error(r, 422, "InvalidInput", "not a voltvan plan")


def test_the_openapi_document_declares_the_bearer_token_on_every_ops_route(ops: Ops) -> None:
    doc = ops.client.get("/openapi.json").json()
    operations = [
        op
        for path, item in doc["paths"].items()
        if path.startswith("/v1/ops")
        for op in item.values()
    ]
    assert len(operations) == len(ROUTES)
    assert all(op.get("security") == [{"bearer": []}] for op in operations)


def test_range_follows_the_plan_until_telemetry_reports_the_battery(ops: Ops) -> None:
    """The test day holds 50 kWh at 80 % everywhere (a 62.5 kWh battery); a live 50 % from the
    telemetry API moves every remaining stop to 50 %. A reading of another van, or one older
    than 30 minutes, changes nothing."""
    path = f"/v1/ops/days/{DAY}/vans/V01/range"
    planned = ops.client.get(path, headers=ops.v01).json()
    assert planned["live"] is None and planned["battery_wh"] == pytest.approx(62_500)
    assert [a["soc"] for a in planned["ahead"]] == pytest.approx([0.8] * 4)
    now = dt.datetime.now(dt.UTC)
    for van, percent, ago in (("V02", 10.0, 0), ("V01", 20.0, 3600), ("V01", 50.0, 0)):
        ts = (now - dt.timedelta(seconds=ago)).isoformat()
        sample = {"ts": ts, "signals": {SOC_SIGNAL: percent}}
        r = ops.client.post(f"/v1/vehicles/{van}/signals", json={"samples": [sample]})
        assert r.status_code == 200 and r.json()["stored"] == 1, r.text
        if van == "V01" and ago:
            assert ops.client.get(path, headers=ops.v01).json()["live"] is None
    live = ops.client.get(path, headers=ops.v01).json()
    assert live["live"]["soc"] == pytest.approx(0.5)
    assert [a["location_id"] for a in live["ahead"]] == ["S1", "S2", "S3", "D1"]
    assert [a["soc"] for a in live["ahead"]] == pytest.approx([0.5] * 4)
    assert live["warning"] is None


@pytest.mark.parametrize(
    "path",
    [
        f"/v1/ops/days/{DAY}/plan?version=21947091635847013859328",
        f"/v1/ops/days/{DAY}/plan?version=1000001",
        f"/v1/ops/days/{DAY}/vans/V01/route?known_version=99999999999999999999",
    ],
)
def test_a_version_past_any_database_integer_is_422_not_500(ops: Ops, path: str) -> None:
    """Found by schemathesis: the number reached the database and overflowed its integer."""
    r = ops.client.get(path, headers=ops.dispatcher)
    assert r.status_code == 422, r.text
    assert "version" in r.text
