"""The twin's drivers and dispatcher on the operations service, over its HTTP API.

Drivers send what the cockpit sends (``arrived``, ``delivered``, ``failed`` with a reason) with
their own accounts, stamped with the simulated day's clock and the plan version they saw; the
dispatcher publishes the day's plan and, with ``--replan``, asks for a re-plan when a van breaks
down or falls far behind, and the vans then follow the new version. Events are sent when a
re-plan needs them and at the end of the day (a device syncing its queue), in order.
"""

from __future__ import annotations

import struct
import tomllib
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput, VoltvanError
from voltvan.ops import details_of
from voltvan.plan import Plan

TIMEOUT_S = 60.0
FAIL_REASON = "not_at_home"
"""Why the twin's deliveries fail: nobody at home (``TwinParams.fail_share``)."""


@dataclass(frozen=True, slots=True)
class OpsTokens:
    """The dispatcher's secret and each van's driver's secret (``voltvan ops user add``)."""

    dispatcher: str
    drivers: dict[str, str]

    @classmethod
    def read(cls, path: Path) -> OpsTokens:
        """A TOML file: ``dispatcher = "..."`` and a ``[drivers]`` table, van id = secret."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput(f"cannot read the ops tokens: {exc}", file=str(path)) from None
        dispatcher = data.get("dispatcher")
        drivers = data.get("drivers", {})
        if not isinstance(dispatcher, str) or not dispatcher:
            raise InvalidInput('needs dispatcher = "<secret>"', file=str(path), field="dispatcher")
        if not isinstance(drivers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in drivers.items()
        ):
            raise InvalidInput("[drivers] maps van ids to secrets", file=str(path), field="drivers")
        return cls(dispatcher, dict(drivers))


class OpsError(VoltvanError):
    """The operations service refused what the twin asked (the answer is in the message)."""

    exit_code = 1


def signature_png(text: str) -> bytes:
    """A valid 1x1 white PNG whose text chunk says whose signature it stands for."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text.encode("utf-8"))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


def hhmmss(t_s: float) -> str:
    """Seconds after midnight as ``HH:MM:SS`` (whole seconds, rounded down)."""
    s = int(t_s)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


@dataclass
class OpsDay:
    """One simulated day on the service: its name, the version the vans follow, what is sent."""

    name: str
    midnight: datetime
    version: int
    sent: dict[str, int] = field(default_factory=dict)
    """Per van, how many of its deliveries went to the service already."""
    refused: int = 0


class OpsClient:
    """A thin client of ``/v1/ops`` for the twin (one HTTP connection pool)."""

    def __init__(self, url: str, tokens: OpsTokens, client: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self.tokens = tokens
        self.http = client or httpx.Client(timeout=TIMEOUT_S)

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, secret: str, body: Any = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {secret}"}
        try:
            return self.http.request(method, self.url + path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise OpsError(f"the operations service at {self.url} did not answer: {exc}") from None

    def open_day(self, name: str, midnight: datetime, plan: Plan, scenario: Scenario) -> OpsDay:
        """Publish ``plan`` as the day's first version, or follow the version already there."""
        r = self._call("GET", f"/v1/ops/days/{name}/plan", self.tokens.dispatcher)
        if r.status_code == 200:
            return OpsDay(name, midnight, int(r.json()["plan_version"]))
        # every stop of the day: a re-plan may give a stop the plan left out to a van
        stops = [details_of(s).model_dump(mode="json") for s in scenario.stops]
        body = {"base_version": None, "plan": plan.to_dict(), "stops": stops}
        r = self._call("POST", f"/v1/ops/days/{name}/plans", self.tokens.dispatcher, body)
        if r.status_code != 201:
            raise OpsError(f"publishing the plan of {name} was refused ({r.status_code}): {r.text}")
        return OpsDay(name, midnight, int(r.json()["plan_version"]))

    def send(self, day: OpsDay, van_id: str, deliveries: list[tuple[float, str, str]]) -> None:
        """Send the van's deliveries not sent yet, as its driver, with the version followed."""
        secret = self.tokens.drivers.get(van_id)
        if secret is None:
            raise OpsError(f"no driver's secret for van {van_id} in the ops tokens")
        start = day.sent.get(van_id, 0)
        for t_s, kind, stop_id in deliveries[start:]:
            body: dict[str, Any] = {
                "event_id": str(uuid.uuid4()),
                "stop_id": stop_id,
                "kind": kind,
                "at": (day.midnight + timedelta(seconds=round(t_s, 3))).isoformat(),
                "plan_version": day.version,
            }
            if kind == "failed":
                body["reason"] = FAIL_REASON
            elif kind == "delivered":
                body["signature"] = self._signature(secret, van_id, stop_id)
            r = self._call("POST", f"/v1/ops/days/{day.name}/vans/{van_id}/events", secret, body)
            if r.status_code == 409:
                day.refused += 1
            elif r.status_code != 200:
                raise OpsError(f"event {kind} at {stop_id} refused ({r.status_code}): {r.text}")
        day.sent[van_id] = len(deliveries)

    def _signature(self, secret: str, van_id: str, stop_id: str) -> str:
        """Upload the customer's signature (a tiny PNG naming the stop) as the cockpit does."""
        r = self.http.post(
            self.url + "/v1/ops/proofs",
            content=signature_png(f"{van_id} {stop_id}"),
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "image/png"},
        )
        if r.status_code != 201:
            raise OpsError(f"the signature for {stop_id} was refused ({r.status_code}): {r.text}")
        proof: str = r.json()["proof"]
        return proof

    def replan(self, day: OpsDay, at_s: float, events: list[dict[str, Any]]) -> Plan:
        """Ask for a re-plan from ``at_s``; the new version becomes the one the vans follow."""
        body = {"base_version": day.version, "at": hhmmss(at_s), "events": events}
        r = self._call("POST", f"/v1/ops/days/{day.name}/replan", self.tokens.dispatcher, body)
        if r.status_code != 201:
            raise OpsError(f"the re-plan at {body['at']} was refused ({r.status_code}): {r.text}")
        day.version = int(r.json()["plan_version"])
        got = self._call(
            "GET", f"/v1/ops/days/{day.name}/plan?version={day.version}", self.tokens.dispatcher
        )
        return Plan.from_dict(got.json()["plan"], source="the operations service")

    def stored(self, day: OpsDay) -> list[dict[str, Any]]:
        """Every event of the day the service holds (the dispatcher's view)."""
        r = self._call("GET", f"/v1/ops/days/{day.name}/events", self.tokens.dispatcher)
        events: list[dict[str, Any]] = r.json()["events"]
        return events
