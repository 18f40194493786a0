"""The event a device sends: each rule broken alone, and arbitrary payloads (hypothesis)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from voltvan.ops import EVENT_KINDS, FAIL_REASONS, EventIn, check_day

PHOTO = "sha256:" + "a" * 64


def valid(**change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "stop_id": "S1",
        "kind": "delivered",
        "at": "2026-03-02T10:15:00+01:00",
        "plan_version": 1,
        "photo": PHOTO,
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        EventIn.model_validate(data)
    return str(info.value)


def test_a_valid_delivery_is_read_with_its_time_in_utc() -> None:
    ev = EventIn.model_validate(valid())
    assert ev.at == dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)
    assert ev.at_us == int(ev.at.timestamp()) * 1_000_000
    assert ev.proofs == (PHOTO,)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"stop_id": "S 1"}, "stop id"),
        ({"kind": "teleported"}, "kind"),
        ({"at": "2026-03-02T10:15:00"}, "time zone"),
        ({"plan_version": 0}, "plan_version"),
        ({"photo": "sha256:xyz"}, "photo"),
        ({"photo": None}, "needs its proof"),
        ({"kind": "failed", "photo": None}, "needs a reason"),
        ({"reason": "not_at_home"}, "only a failed event"),
        ({"kind": "failed", "reason": "lost_in_space", "photo": None}, "reason"),
        ({"kind": "failed", "reason": "other", "photo": None}, "needs a note"),
        ({"kind": "undo", "photo": None}, "names the event"),
        ({"kind": "arrived"}, "carries no photo"),
        ({"undoes": str(uuid.uuid4())}, "only an undo"),
        ({"position": {"lat": 91, "lon": 0}}, "lat"),
        ({"note": "x" * 501}, "note"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_each_rule_broken_alone_is_named(change: dict[str, Any], says: str) -> None:
    assert says in error_of(valid(**change))


def test_a_failure_with_a_reason_and_an_undo_with_its_target_are_valid() -> None:
    failed = EventIn.model_validate(valid(kind="failed", reason="refused", photo=None))
    assert failed.reason == "refused"
    undo = EventIn.model_validate(valid(kind="undo", undoes=str(failed.event_id), photo=None))
    assert undo.undoes == failed.event_id


def test_the_fingerprint_changes_with_the_content_not_the_zone_of_the_time() -> None:
    one = valid()
    same_instant = dict(one, at="2026-03-02T09:15:00Z")
    other_note = dict(one, note="left with neighbour")
    fp = EventIn.model_validate(one).fingerprint()
    assert EventIn.model_validate(same_instant).fingerprint() == fp
    assert EventIn.model_validate(other_note).fingerprint() != fp


def test_a_day_is_a_real_date() -> None:
    assert check_day("2026-03-02") == "2026-03-02"
    for bad in ("2026-02-30", "02.03.2026", "2026-3-2"):
        with pytest.raises(ValueError, match=r"date|day"):
            check_day(bad)


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**7),
    st.floats(allow_nan=True),
    st.text(max_size=80),
    st.sampled_from([*EVENT_KINDS, *FAIL_REASONS, PHOTO, str(uuid.uuid4()), "2026-03-02T10:00Z"]),
    st.dictionaries(st.sampled_from(["lat", "lon", "accuracy_m"]), st.floats(), max_size=3),
)
_keys = st.sampled_from(
    [
        "event_id",
        "stop_id",
        "kind",
        "at",
        "plan_version",
        "reason",
        "note",
        "position",
        "photo",
        "signature",
        "undoes",
        "extra",
    ]
)


_SETTINGS = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@_SETTINGS
@given(st.dictionaries(_keys, _values, max_size=12), st.booleans())
def test_any_payload_is_either_refused_cleanly_or_a_consistent_event(
    payload: dict[str, Any], start_valid: bool
) -> None:
    data = {**valid(), **payload} if start_valid else payload
    try:
        ev = EventIn.model_validate(data)
    except ValidationError:
        return  # refused with pydantic's error list (the API turns it into a 422 naming the field)
    assert ev.at.tzinfo is not None and ev.at.utcoffset() == dt.timedelta(0)
    assert ev.plan_version >= 1
    assert (ev.kind == "failed") == (ev.reason is not None)
    assert (ev.kind == "undo") == (ev.undoes is not None)
    if ev.kind == "delivered":
        assert ev.proofs
    if ev.kind in ("arrived", "undo"):
        assert not ev.proofs
    if ev.position is not None:
        assert -90 <= ev.position.lat <= 90 and -180 <= ev.position.lon <= 180


@st.composite
def _valid_payloads(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(EVENT_KINDS))
    data = valid(kind=kind, photo=None)
    data["at"] = draw(
        st.datetimes(
            min_value=dt.datetime(2020, 1, 1),
            max_value=dt.datetime(2040, 1, 1),
            timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))]),
        )
    ).isoformat()
    if kind == "failed":
        data["reason"] = draw(st.sampled_from(FAIL_REASONS))
        data["note"] = "gate locked"
    if kind == "undo":
        data["undoes"] = str(uuid.uuid4())
    if kind == "delivered":
        data[draw(st.sampled_from(["photo", "signature"]))] = PHOTO
    if draw(st.booleans()):
        data["position"] = {
            "lat": draw(st.floats(-90, 90)),
            "lon": draw(st.floats(-180, 180)),
            "accuracy_m": draw(st.floats(0, 1000)),
        }
    return data


@_SETTINGS
@given(_valid_payloads())
def test_every_payload_that_follows_the_rules_is_accepted(payload: dict[str, Any]) -> None:
    ev = EventIn.model_validate(payload)
    assert ev.kind == payload["kind"]
    assert ev.at == dt.datetime.fromisoformat(payload["at"])
