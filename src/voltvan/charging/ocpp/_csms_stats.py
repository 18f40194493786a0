"""What the central system counts for its metrics, read from the OCPP frames on the wire.

Counting the frames as they pass (a thin wrapper around each charger's WebSocket) keeps the
handlers free of bookkeeping and counts what the library answers on its own too: every CALLERROR
sent is a rejected frame, by its OCPP error code (``FormatViolation``, ``PropertyConstraint
Violation``, ``NotImplemented``...). A transaction counts as started when the charger reports it
(``StartTransaction``, or a 2.0.1 ``TransactionEvent`` of type ``Started``), whatever the answer.
"""

from __future__ import annotations

import collections
import dataclasses
import json
from typing import Any

_CALL, _CALLERROR = 2, 4


@dataclasses.dataclass(slots=True)
class CsmsStats:
    """Running totals since the server started; read by the metrics endpoint at each scrape."""

    transactions_started: int = 0
    transactions_stopped: int = 0
    meter_values: int = 0
    profile_pushes: int = 0
    rejected_frames: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )
    refused_connections: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )

    def received(self, frame: object) -> None:
        message = _decode(frame)
        if message is None or message[0] != _CALL or len(message) < 4:
            return
        action, payload = message[2], message[3]
        if not isinstance(payload, dict):
            return
        if action == "StartTransaction":
            self.transactions_started += 1
        elif action == "StopTransaction":
            self.transactions_stopped += 1
        elif action == "TransactionEvent":
            event = payload.get("eventType")
            self.transactions_started += event == "Started"
            self.transactions_stopped += event == "Ended"
        if action in ("MeterValues", "TransactionEvent"):
            samples = payload.get("meterValue")
            self.meter_values += len(samples) if isinstance(samples, list) else 0

    def sent(self, frame: object) -> None:
        message = _decode(frame)
        if message is None:
            return
        if message[0] == _CALLERROR and len(message) > 2:
            self.rejected_frames[str(message[2])] += 1
        elif message[0] == _CALL and len(message) > 2 and message[2] == "SetChargingProfile":
            self.profile_pushes += 1


def _decode(frame: object) -> list[Any] | None:
    if not isinstance(frame, str):
        return None
    try:
        message = json.loads(frame)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, list) or not message or not isinstance(message[0], int):
        return None
    return message


class CountingConnection:
    """A charger's WebSocket that tells ``stats`` about each frame it carries."""

    def __init__(self, connection: Any, stats: CsmsStats) -> None:
        self._connection = connection
        self._stats = stats

    async def recv(self) -> Any:
        frame = await self._connection.recv()
        self._stats.received(frame)
        return frame

    async def send(self, frame: Any) -> None:
        self._stats.sent(frame)
        await self._connection.send(frame)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)
