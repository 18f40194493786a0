"""What happens at the stops: idempotent by the device's event id, refusals kept for audit.

Each event is decided and stored in one write transaction that first locks the stop's status row
(SQLite: the database, by ``BEGIN IMMEDIATE``), so two devices delivering the same stop at once
get one success and one conflict. An event the rules refuse for the stop's state (a late event
for a delivered stop, one for a stop that has moved) is stored with its 409 answer; an event
the sender may not send, or that names unknown things, is not stored at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from voltvan.errors import Conflict, Forbidden, InvalidInput
from voltvan.ops._accounts import User
from voltvan.ops._db import reading, writing
from voltvan.ops._model import MAX_CLOCK_AHEAD_S, UNDO_WINDOW_S, EventIn, iso_from_us
from voltvan.ops._plans import require_version, stop_is_known, van_of
from voltvan.ops._proofs import ProofFiles
from voltvan.ops._schema import events, proofs, stop_status
from voltvan.telemetry import now_us


@dataclass(frozen=True, slots=True)
class Answer:
    """What the device is told: an HTTP status and a JSON body (the same every time it asks)."""

    status_code: int
    body: dict[str, Any]


class _Refused(Exception):
    """A 409 decided inside the transaction: stored with the event, then answered."""


def record_event(
    engine: Engine, files: ProofFiles, user: User, day: str, van_id: str, ev: EventIn
) -> Answer:
    """Decide and store ``ev`` for ``van_id``'s route on ``day``; see the module doc."""
    if user.is_dispatcher:
        raise Forbidden("events are recorded by the van's driver; a dispatcher reads them")
    if user.van_id != van_id:
        raise Forbidden(f"this account drives {user.van_id}, not {van_id}")
    event_id = str(ev.event_id)
    fingerprint = ev.fingerprint()
    seen = _stored_answer(engine, event_id, van_id, fingerprint)
    if seen is not None:
        return seen
    try:
        with writing(engine) as conn:
            return _decide(conn, files, user, day, van_id, ev, fingerprint)
    except IntegrityError:  # the same event id committed by a concurrent request
        seen = _stored_answer(engine, event_id, van_id, fingerprint)
        if seen is None:
            raise
        return seen


def _stored_answer(engine: Engine, event_id: str, van_id: str, fingerprint: str) -> Answer | None:
    with reading(engine) as conn:
        row = conn.execute(
            select(
                events.c.van_id, events.c.fingerprint, events.c.status_code, events.c.answer_json
            ).where(events.c.event_id == event_id)
        ).first()
    if row is None:
        return None
    if row.van_id != van_id or row.fingerprint != fingerprint:
        raise Conflict(f"event id {event_id} was already used for a different event")
    return Answer(int(row.status_code), json.loads(row.answer_json))


def _decide(
    conn: Connection,
    files: ProofFiles,
    user: User,
    day: str,
    van_id: str,
    ev: EventIn,
    fingerprint: str,
) -> Answer:
    received = now_us()
    current = require_version(conn, day)
    _check_input(conn, files, day, ev, current, received)
    row = conn.execute(
        select(stop_status.c.status, stop_status.c.event_id)
        .where(stop_status.c.day == day, stop_status.c.stop_id == ev.stop_id)
        .with_for_update()
    ).one()
    prev_status: str | None = row.status
    values: dict[str, Any] = {}
    try:
        _check_route(conn, day, van_id, ev, current)
        if ev.kind == "undo":
            values = _undo(conn, user, day, ev, row.event_id)
        else:
            if row.status == "delivered":
                raise _Refused(
                    f"stop {ev.stop_id} is already delivered (event {row.event_id}); "
                    f"this {ev.kind} event is kept for audit"
                )
            values = {"status": ev.kind, "reason": ev.reason}
        conn.execute(
            update(stop_status)
            .where(stop_status.c.day == day, stop_status.c.stop_id == ev.stop_id)
            .values(van_id=van_id, event_id=str(ev.event_id), updated_us=received, **values)
        )
        answer = Answer(
            200,
            {
                "event_id": str(ev.event_id),
                "stop_id": ev.stop_id,
                "van_id": van_id,
                "kind": ev.kind,
                "status": values["status"],
                "plan_version": current,
            },
        )
        outcome = "applied"
    except _Refused as refusal:
        answer = Answer(409, Conflict(str(refusal)).to_dict())
        outcome, prev_status = "conflict", None
    conn.execute(
        insert(events).values(
            event_id=str(ev.event_id),
            day=day,
            van_id=van_id,
            stop_id=ev.stop_id,
            kind=ev.kind,
            at_us=ev.at_us,
            received_us=received,
            user_name=user.name,
            plan_version=ev.plan_version,
            reason=ev.reason,
            note=ev.note,
            lat=ev.position.lat if ev.position else None,
            lon=ev.position.lon if ev.position else None,
            accuracy_m=ev.position.accuracy_m if ev.position else None,
            photo=ev.photo,
            signature=ev.signature,
            undoes=str(ev.undoes) if ev.undoes else None,
            fingerprint=fingerprint,
            outcome=outcome,
            prev_status=prev_status,
            status_code=answer.status_code,
            answer_json=json.dumps(answer.body),
        )
    )
    return answer


def _check_input(
    conn: Connection, files: ProofFiles, day: str, ev: EventIn, current: int, received_us: int
) -> None:
    """Refusals that store nothing: the event names things that do not exist."""
    if ev.plan_version > current:
        raise InvalidInput(
            f"plan version {ev.plan_version} does not exist; {day} is at version {current}",
            field="plan_version",
        )
    if not stop_is_known(conn, day, ev.stop_id):
        raise InvalidInput(f"stop {ev.stop_id} is not a stop of {day}", field="stop_id")
    if ev.at_us > received_us + MAX_CLOCK_AHEAD_S * 1e6:
        raise InvalidInput(
            "the event's time is in the future: is the device clock right?", field="at"
        )
    for name, proof in (("photo", ev.photo), ("signature", ev.signature)):
        if proof is None:
            continue
        known = conn.execute(select(proofs.c.proof_id).where(proofs.c.proof_id == proof)).first()
        if known is None or not files.exists(proof):
            raise InvalidInput(f"{proof} was not uploaded: upload the {name} first", field=name)


def _check_route(conn: Connection, day: str, van_id: str, ev: EventIn, current: int) -> None:
    if van_of(conn, day, current, ev.stop_id) == van_id:
        return
    if van_of(conn, day, ev.plan_version, ev.stop_id) == van_id:
        now = van_of(conn, day, current, ev.stop_id)
        raise _Refused(
            f"stop {ev.stop_id} left van {van_id}'s route after version {ev.plan_version}: "
            f"in version {current} {'van ' + now + ' has it' if now else 'no van has it'}; "
            "the event is kept for audit"
        )
    raise Forbidden(f"stop {ev.stop_id} is not on van {van_id}'s route")


def _undo(
    conn: Connection, user: User, day: str, ev: EventIn, current_event: str | None
) -> dict[str, Any]:
    target = conn.execute(select(events).where(events.c.event_id == str(ev.undoes))).first()
    if target is None or target.day != day or target.stop_id != ev.stop_id:
        raise InvalidInput(f"no event {ev.undoes} at stop {ev.stop_id} to undo", field="undoes")
    if target.user_name != user.name:
        raise Forbidden("only the driver who recorded an event may undo it")
    if target.kind not in ("delivered", "failed") or target.outcome != "applied":
        raise _Refused(f"event {ev.undoes} was not an applied delivery or failure")
    if target.undone_by is not None or current_event != target.event_id:
        raise _Refused(f"event {ev.undoes} is no longer the stop's last word: nothing to undo")
    late_s = (ev.at_us - target.at_us) / 1e6
    if not 0 <= late_s <= UNDO_WINDOW_S:
        raise _Refused(
            f"an undo must follow its event within {UNDO_WINDOW_S:g} s; this one is {late_s:.0f} s"
        )
    conn.execute(
        update(events)
        .where(events.c.event_id == target.event_id)
        .values(undone_by=str(ev.event_id))
    )
    return {"status": target.prev_status or "planned", "reason": None}


def list_events(engine: Engine, day: str, van_id: str | None = None) -> list[dict[str, Any]]:
    """Every stored event of the day (of one van), oldest first, refused ones included."""
    query = select(events).where(events.c.day == day)
    if van_id is not None:
        query = query.where(events.c.van_id == van_id)
    with reading(engine) as conn:
        rows = conn.execute(query.order_by(events.c.received_us, events.c.event_id)).all()
    out = []
    for row in rows:
        item = {
            k: v
            for k, v in row._mapping.items()
            if k not in ("fingerprint", "answer_json", "prev_status")
        }
        item["at"], item["received_at"] = iso_from_us(row.at_us), iso_from_us(row.received_us)
        out.append(item)
    return out


def store_proof(engine: Engine, files: ProofFiles, user: User, data: bytes) -> dict[str, Any]:
    """Write a photo or signature durably, then record it: an event may name it from then on."""
    proof_id, media_type = files.put(data)
    try:
        with writing(engine) as conn:
            have = conn.execute(select(proofs.c.proof_id).where(proofs.c.proof_id == proof_id))
            if have.first() is None:
                conn.execute(
                    insert(proofs).values(
                        proof_id=proof_id,
                        media_type=media_type,
                        size_bytes=len(data),
                        uploaded_by=user.name,
                        uploaded_us=now_us(),
                    )
                )
    except IntegrityError:
        pass  # the same bytes, uploaded at the same moment by another request
    return {"proof": proof_id, "media_type": media_type, "size_bytes": len(data)}
