"""The day's vocabulary: stop statuses, failure reasons, roles, and a delivery event from a device.

The event is a pydantic model because it is validated once, at the edge, into a value that the
store trusts: the web API uses it as its request body (so the OpenAPI document shows it) and
tests drive it with arbitrary payloads. Its rules are the ones a driver's device must follow
whatever the stop's state; the rules that depend on the state live in the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Where a stop is in its day. ``moved`` is never stored: a route view shows it for a stop the
#: van had in an earlier plan version and another van has now.
#: Versions are counted from 1 per day; far above any real day, and inside every database's integer.
MAX_PLAN_VERSION = 1_000_000

StopStatus = Literal["planned", "arrived", "delivered", "failed", "moved"]
STOP_STATUSES: tuple[str, ...] = get_args(StopStatus)

#: Why a delivery failed (the driver picks one; ``other`` wants a note).
FailReason = Literal["not_at_home", "no_access", "refused", "damaged", "wrong_address", "other"]
FAIL_REASONS: tuple[str, ...] = get_args(FailReason)

EventKind = Literal["arrived", "delivered", "failed", "undo"]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

Role = Literal["driver", "dispatcher"]
ROLES: tuple[str, ...] = get_args(Role)

#: A delivered or failed event may be undone this long after it (device clocks), by its driver.
UNDO_WINDOW_S = 60.0
#: A device clock this far ahead of the server's is wrong, not early.
MAX_CLOCK_AHEAD_S = 300.0
MAX_NOTE_CHARS = 500

#: A proof (photo or signature) is named by the SHA-256 of its bytes.
PROOF_ID = re.compile(r"^sha256:[0-9a-f]{64}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ProofId = Annotated[str, Field(pattern=PROOF_ID.pattern, description="sha256:<hex> of an upload")]


def check_day(day: str) -> str:
    """A day is an ISO date (``2026-03-02``); it keys the plan versions and the events."""
    if _DAY.fullmatch(day) is None:
        raise ValueError(f"day {day[:40]!r} is not a date YYYY-MM-DD")
    dt.date.fromisoformat(day)  # raises on 2026-02-30
    return day


def is_id(text: str) -> bool:
    """Van, stop and user ids: 1-64 letters, digits, ``_ . : -`` (as telemetry's vehicle ids)."""
    return _ID.fullmatch(text) is not None


class Position(BaseModel):
    """Where the device was (WGS84 degrees, accuracy in metres)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000, allow_inf_nan=False)


class EventIn(BaseModel):
    """One thing that happened at a stop, as the driver's device queued it.

    ``event_id`` is made on the device (a UUID) so that a queue synced twice stores each event
    once. ``plan_version`` is the version the driver saw when acting: an event for a stop that
    has since moved to another van is refused (409) but kept for audit.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: uuid.UUID = Field(description="made by the device; the same id is stored once")
    stop_id: str = Field(min_length=1, max_length=64)
    kind: EventKind
    at: dt.datetime = Field(description="when it happened, with its time zone (device clock)")
    plan_version: int = Field(
        ge=1, le=MAX_PLAN_VERSION, description="the plan version the driver saw"
    )
    reason: FailReason | None = Field(default=None, description="why it failed (kind failed only)")
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)
    position: Position | None = None
    photo: ProofId | None = None
    signature: ProofId | None = None
    undoes: uuid.UUID | None = Field(default=None, description="the event an undo takes back")

    @field_validator("stop_id")
    @classmethod
    def _stop_id(cls, value: str) -> str:
        if not is_id(value):
            raise ValueError("a stop id is 1-64 letters, digits, _ . : -")
        return value

    @field_validator("at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("the time needs its time zone (e.g. 2026-03-02T10:15:00Z)")
        return value.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _kind_rules(self) -> EventIn:
        if (self.kind == "failed") != (self.reason is not None):
            raise ValueError("a failed event needs a reason, and only a failed event has one")
        if self.kind == "failed" and self.reason == "other" and not self.note.strip():
            raise ValueError("reason 'other' needs a note saying what happened")
        if (self.kind == "undo") != (self.undoes is not None):
            raise ValueError("an undo names the event it undoes (undoes), and only an undo does")
        if self.kind == "delivered" and self.photo is None and self.signature is None:
            raise ValueError("a delivery needs its proof: a photo, a signature or both")
        if self.kind != "delivered" and self.kind != "failed" and (self.photo or self.signature):
            raise ValueError(f"a {self.kind} event carries no photo or signature")
        return self

    @property
    def at_us(self) -> int:
        return int(self.at.timestamp() * 1_000_000)

    @property
    def proofs(self) -> tuple[str, ...]:
        return tuple(p for p in (self.photo, self.signature) if p is not None)

    def fingerprint(self) -> str:
        """What the event says, hashed: the same id sent with other content is a conflict."""
        data: dict[str, Any] = self.model_dump(mode="json")
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def iso_from_us(us: int) -> str:
    """An instant as ISO 8601 in UTC (``2026-03-02T10:15:00.123456+00:00``)."""
    return dt.datetime.fromtimestamp(us / 1_000_000, dt.UTC).isoformat()
