"""Each message rule broken on its own: the exact reason code, scope and dead letter.

Every case starts from a valid message and changes one thing; the test asserts which reason
code comes out, what was kept, and what the dead letter says.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.telemetry.ingest_data import (
    CHARGING,
    FIX,
    LAT,
    NOW_US,
    SOC,
    SPEED,
    T0,
    T0_US,
    V1_TOPIC,
    iso,
    parse,
    reasons,
    sample,
)
from voltvan.telemetry import Batch, Context, add_samples, parse_message, signal_catalog
from voltvan.telemetry.ingest._checks import MAX_DEAD_LETTER_CHARS, MAX_FUTURE_US, MIN_TS_US
from voltvan.telemetry.ingest._parse import MAX_PAYLOAD_BYTES

S = 1_000_000
ODO = "Vehicle.TraveledDistance"  # uint32 in metres
LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"  # uint8 percent, 0..100


def one(ts: str, signals: dict[str, object]) -> dict[str, object]:
    return {"ts": ts, "signals": signals}


# --- enumerations and value types --------------------------------------------------------------


def test_every_allowed_fix_type_is_kept_as_text() -> None:
    """Each value of the signal's allowed set is a row with the text and no number."""
    allowed = signal_catalog()[FIX].allowed
    assert allowed is not None and "THREE_D" in allowed
    out = parse({"samples": [one(iso(T0), {FIX: a}) for a in allowed]})
    assert not out.rejects
    assert out.value_text == list(allowed)
    assert out.value == [None] * len(allowed)


@pytest.mark.parametrize("value", ["three_d", "THREE_D ", "", "FOUR_D"])
def test_a_string_outside_the_allowed_set_is_out_of_range(value: str) -> None:
    """Enums are exact: case, spaces and unknown values are refused, the rest of the sample kept."""
    out = parse(one(iso(T0), {FIX: value, SPEED: 12.0}))
    assert reasons(out) == ["out_of_range"]
    assert out.name == [SPEED] and out.value == [12.0]
    assert json.loads(out.rejects[0].payload) == {"ts": iso(T0), "signals": {FIX: value}}


@pytest.mark.parametrize("value", [3, 3.0, True, None, ["THREE_D"], {"v": "THREE_D"}])
def test_a_string_signal_refuses_other_types(value: object) -> None:
    assert reasons(parse(one(iso(T0), {FIX: value}))) == ["wrong_type"]


@pytest.mark.parametrize("value", ["true", 1, 0, 1.0, None])
def test_a_boolean_signal_takes_only_true_and_false(value: object) -> None:
    assert reasons(parse(one(iso(T0), {CHARGING: value}))) == ["wrong_type"]


def test_booleans_are_stored_as_one_and_zero() -> None:
    """Alone, in a batch, and beside a value that needs the full check."""
    out = parse({"samples": [one(iso(T0), {CHARGING: True}), one(iso(T0), {CHARGING: False})]})
    assert out.value == [1.0, 0.0] and not out.rejects
    out = parse(one(iso(T0), {CHARGING: True, FIX: "NONE", "Vehicle.Warp": 1}))
    assert out.value == [1.0, None] and reasons(out) == ["unknown_signal"]
    out = parse(one(iso(T0), {CHARGING: False, FIX: "NONE"}))
    assert out.value == [0.0, None]


@pytest.mark.parametrize(
    ("name", "value", "kept"),
    [
        (SOC, 0.0, True),
        (SOC, 100.0, True),
        (SOC, 100, True),
        (SOC, -1e-9, False),
        (SOC, 100.000001, False),
        (SOC, 101, False),
        (SOC, -1, False),
        (LIMIT, 0, True),
        (LIMIT, 100, True),
        (LIMIT, 100.0, True),
        (LIMIT, 0.0, True),
        (LIMIT, 101, False),
        (LIMIT, -1, False),
        (LIMIT, 101.0, False),
    ],
)
def test_ranges_include_their_bounds(name: str, value: float, kept: bool) -> None:
    """min and max are allowed values; anything beyond them, by any amount, is out of range."""
    out = parse(one(iso(T0), {name: value, SPEED: 1.0}))
    assert reasons(out) == ([] if kept else ["out_of_range"])
    assert out.value == ([float(value), 1.0] if kept else [1.0])


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_imported_non_finite_numbers_are_out_of_range(value: float) -> None:
    """Imports hand over Python floats, which can be infinite or NaN (JSON cannot)."""
    out = Batch()
    add_samples(out, Context("import", NOW_US), "V1", [(T0, {SPEED: value, SOC: 50.0})])
    assert reasons(out) == ["out_of_range"]
    assert out.name == [SOC]


def test_an_integer_signal_refuses_a_fraction_but_takes_a_whole_float() -> None:
    out = parse({"samples": [one(iso(T0), {ODO: 7.0}), one(iso(T0), {ODO: 7.5})]})
    assert out.value == [7.0] and reasons(out) == ["wrong_type"]


# --- schema: unknown keys and the shapes of a message --------------------------------------------


@pytest.mark.parametrize("extra", [{"Ts": iso(T0)}, {"meta": {}}, {"sample": []}])
def test_unknown_message_keys_reject_the_whole_message(extra: dict[str, object]) -> None:
    """A misspelt or unknown top-level key refuses the message, naming the key."""
    out = parse({**sample(0), **extra})
    assert reasons(out) == ["schema"] and out.num_rows == 0
    assert repr(sorted(extra)) in out.rejects[0].detail


def test_a_matching_vehicle_id_in_the_body_is_accepted() -> None:
    out = parse({"vehicle_id": "V1", **sample(0)})
    assert out.num_rows == 4 and not out.rejects


@pytest.mark.parametrize(
    "message",
    [
        {"samples": [sample(0)], "ts": iso(T0)},
        {"samples": [sample(0)], "signals": {SPEED: 1.0}},
        {"samples": [sample(0)], "ts": iso(T0), "signals": {SPEED: 1.0}},
        {"samples": sample(0)},
        {"samples": None},
    ],
)
def test_samples_come_alone_and_as_a_list(message: dict[str, object]) -> None:
    """``samples`` with a top-level ``ts`` or ``signals``, or not a list, refuses the message."""
    out = parse(message)
    assert reasons(out) == ["schema"] and out.num_rows == 0


@pytest.mark.parametrize("message", [[sample(0)], json.dumps("x"), 3, None, True])
def test_a_message_must_be_an_object(message: object) -> None:
    out = parse(message)
    assert reasons(out) == ["schema"] and out.num_rows == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"signals": {SPEED: 1.0}},
        {"ts": iso(T0)},
        {"ts": iso(T0), "signals": [SPEED, 1.0]},
        {"ts": iso(T0), "signals": {SPEED: 1.0}, "extra": 1},
        {"ts": iso(T0), "values": {SPEED: 1.0}},
        [iso(T0), {SPEED: 1.0}],
        "sample",
    ],
)
def test_a_malformed_sample_is_refused_alone(bad: object) -> None:
    """In a batch, a sample that is not exactly {ts, signals} is one schema dead letter; the
    samples around it are kept."""
    out = parse({"samples": [sample(0), bad, sample(1)]})
    assert reasons(out) == ["schema"] and out.num_rows == 8
    assert out.rejects[0].payload == (bad if isinstance(bad, str) else json.dumps(bad))


def test_an_unknown_sample_key_is_named() -> None:
    """Also when every sample of the batch has the extra key and a ts seen before."""
    assert parse(one(iso(T0), {SPEED: 1.0})).num_rows == 1
    bad = {"ts": iso(T0), "signals": {SPEED: 1.0}, "extra": 1}
    out = parse({"samples": [bad, bad]})
    assert reasons(out) == ["schema", "schema"] and out.num_rows == 0
    assert out.rejects[0].detail == "unexpected sample keys ['extra']"
    missing = parse({"samples": [{"ts": iso(T0)}]})
    assert missing.rejects[0].detail == "a sample needs 'ts' and a 'signals' object"


def test_a_single_sample_without_signals_is_refused() -> None:
    assert reasons(parse({"ts": iso(T0)})) == ["schema"]
    assert reasons(parse({"signals": {SPEED: 1.0}})) == ["schema"]


def test_an_empty_batch_gives_nothing() -> None:
    out = parse({"samples": []})
    assert out.num_rows == 0 and not out.rejects


# --- timestamps ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ts", "us"),
    [
        ("2026-03-02T08:00:00Z", T0_US),
        ("2026-03-02T08:00:00.123456Z", T0_US + 123_456),
        ("2026-03-02T08:00:00.5Z", T0_US + 500_000),
        ("2026-03-02T08:00:00.000001+00:00", T0_US + 1),
        ("2026-03-02T10:00:00.25+02:00", T0_US + 250_000),
        ("2026-03-02T02:30:00.75-05:30", T0_US + 750_000),
        ("2026-03-01T23:59:59.999999-08:00", T0_US - 1),
        ("2026-03-02 08:00:01Z", T0_US + S),
    ],
)
def test_timestamps_are_exact_to_the_microsecond_in_any_zone(ts: str, us: int) -> None:
    """Sub-second parts and offsets give the exact UTC microsecond (and again from the cache)."""
    for _ in range(2):
        out = parse(one(ts, {SPEED: 1.0}))
        assert out.ts_us == [us] and not out.rejects


def test_imported_datetimes_keep_their_zone_and_microseconds() -> None:
    out = Batch()
    berlin = timezone(timedelta(hours=1))
    t = datetime(2026, 3, 2, 9, 0, 0, 654_321, tzinfo=berlin)
    add_samples(out, Context("import", NOW_US), "V1", [(t, {SPEED: 1.0})])
    assert out.ts_us == [T0_US + 654_321]


@pytest.mark.parametrize("ts", ["2026-03-02T08:00:00", "2026-03-02", "08:00:00Z", "yesterday", ""])
def test_a_ts_without_zone_or_not_a_time_is_schema(ts: str) -> None:
    assert reasons(parse(one(ts, {SPEED: 1.0}))) == ["schema"]


@pytest.mark.parametrize("ts", [1772438400, 1772438400.0, None, [iso(T0)]])
def test_a_ts_that_is_not_a_string_is_schema(ts: object) -> None:
    out = parse({"samples": [one(iso(T0), {SPEED: 1.0}), {"ts": ts, "signals": {SPEED: 1.0}}]})
    assert reasons(out) == ["schema"] and out.num_rows == 1


@pytest.mark.parametrize(
    ("ts", "kept"),
    [
        ("2000-01-01T00:00:00Z", True),
        ("2000-01-01T01:00:00+01:00", True),
        ("1999-12-31T23:59:59.999999Z", False),
        ("2000-01-01T00:59:59.999999+01:00", False),
        ("1970-01-01T00:00:00Z", False),
        ("1969-12-31T23:59:59.5Z", False),
    ],
)
def test_the_year_2000_bound_is_exact(ts: str, kept: bool) -> None:
    """(Twice: the second time the ts comes from the cache and the whole-message path.)"""
    for _ in range(2):
        out = parse(one(ts, {SPEED: 1.0}))
        assert reasons(out) == ([] if kept else ["ts_before_2000"])
        assert out.ts_us == ([MIN_TS_US] if kept else [])


@pytest.mark.parametrize(("after_us", "kept"), [(0, True), (1, False), (-1, True)])
def test_the_future_bound_is_five_minutes_to_the_microsecond(after_us: int, kept: bool) -> None:
    """A clock up to 5 min ahead of the receiver is tolerated, not a microsecond more."""
    us = NOW_US + MAX_FUTURE_US + after_us
    ts = datetime.fromtimestamp(us // S, UTC).replace(microsecond=us % S).isoformat()
    for _ in range(2):
        out = parse(one(ts, {SPEED: 1.0}))
        assert reasons(out) == ([] if kept else ["ts_in_future"])
        assert out.ts_us == ([us] if kept else [])
    assert MAX_FUTURE_US == 5 * 60 * S


@pytest.mark.parametrize(
    ("bad_ts", "reason"),
    [("1999-12-31T23:59:59Z", "ts_before_2000"), ("2026-03-02T09:06:00Z", "ts_in_future")],
)
def test_one_bad_ts_in_a_batch_of_known_times_rejects_that_sample(bad_ts: str, reason: str) -> None:
    """A batch whose times were all seen before still checks each one: the earliest and the
    latest of the batch, not only the first."""
    good_ts = [iso(T0 + timedelta(seconds=i)) for i in range(3)]
    for ts in [*good_ts, bad_ts]:
        parse(one(ts, {SPEED: 1.0}))
    for order in ([*good_ts, bad_ts], [bad_ts, *good_ts]):
        out = parse({"samples": [one(ts, {SPEED: 1.0}) for ts in order]})
        assert reasons(out) == [reason]
        assert out.ts_us == [T0_US + i * S for i in range(3)]


def test_a_bad_ts_in_a_single_sample_names_the_sample() -> None:
    out = parse(one("2026-03-02T08:00:00", {SPEED: 1.0}))
    assert reasons(out) == ["schema"]
    payload = json.loads(out.rejects[0].payload)
    assert payload == {"ts": "2026-03-02T08:00:00", "signals": {SPEED: 1.0}}


# --- size ------------------------------------------------------------------------------------


def _padded(size: int) -> bytes:
    """A valid one-sample message of exactly ``size`` bytes (JSON allows trailing blanks)."""
    body = json.dumps(sample(0)).encode()
    return body + b" " * (size - len(body))


def test_a_message_of_exactly_the_limit_is_accepted() -> None:
    assert MAX_PAYLOAD_BYTES == 1024 * 1024
    out = parse(_padded(MAX_PAYLOAD_BYTES))
    assert out.num_rows == 4 and not out.rejects


def test_one_byte_over_the_limit_is_refused_whole() -> None:
    """The oversized message is one schema dead letter; its stored text is cut to 64 KiB."""
    out = parse(_padded(MAX_PAYLOAD_BYTES + 1))
    assert reasons(out) == ["schema"] and out.num_rows == 0
    reject = out.rejects[0]
    assert reject.detail == f"message larger than {MAX_PAYLOAD_BYTES} bytes"
    assert reject.payload == _padded(MAX_PAYLOAD_BYTES + 1).decode()[:MAX_DEAD_LETTER_CHARS]
    assert len(reject.payload) == MAX_DEAD_LETTER_CHARS == 64 * 1024


def test_the_limit_counts_bytes_of_text_not_characters() -> None:
    """A message handed over as text is measured in UTF-8 bytes, like the same message sent."""
    head = json.dumps(one(iso(T0), {FIX: "THREE_D"}))[:-2]
    fits = head + "}}" + " " * (MAX_PAYLOAD_BYTES - len(head) - 2)
    assert len(fits.encode()) == MAX_PAYLOAD_BYTES
    assert parse(fits).num_rows == 1
    wide = fits[:-1] + "é"  # one 2-byte character: as many characters, one byte over
    assert len(wide) == MAX_PAYLOAD_BYTES and len(wide.encode()) == MAX_PAYLOAD_BYTES + 1
    assert reasons(parse(wide)) == ["schema"]


# --- what a dead letter records --------------------------------------------------------------


def test_a_dead_letter_records_where_the_message_came_from() -> None:
    out = Batch()
    ctx = Context("mqtt", NOW_US + 7, frozenset({"V1"}), V1_TOPIC)
    parse_message(out, ctx, json.dumps(one(iso(T0), {SPEED: 1e9, LAT: 52.5})))
    (reject,) = out.rejects
    assert (reject.received_at_us, reject.source, reject.topic) == (NOW_US + 7, "mqtt", V1_TOPIC)
    assert (reject.vehicle_id, reject.reason) == ("V1", "out_of_range")
    assert reject.detail == f"{SPEED} 1000000000.0 is outside [-60.0, 300.0] km/h"
    assert json.loads(reject.payload) == {"ts": iso(T0), "signals": {SPEED: 1e9}}
    assert out.name == [LAT]


def test_a_whole_message_dead_letter_keeps_the_text_sent() -> None:
    text = '{"ts": "2026-03-02T08:00:00Z", "signals": {"Vehicle.Speed": 1.0}, "x": 1}'
    out = parse(text.encode())
    assert out.rejects[0].payload == text
    assert out.rejects[0].detail == "unexpected message keys ['x']"


def test_a_dead_letter_keeps_text_as_sent() -> None:
    """Non-ASCII text in a refused value is stored as such, not as JSON escapes."""
    out = parse(one(iso(T0), {FIX: "DREI_D_é"}))
    assert "DREI_D_é" in out.rejects[0].payload


def test_a_bad_topic_is_named_up_to_200_characters() -> None:
    topic = "voltvan/v1/" + "x" * 300
    out = parse(sample(0), topic=topic)
    assert reasons(out) == ["bad_topic"]
    assert out.rejects[0].detail == f"topic {topic[:200]!r} is not a signals topic"


def test_an_unknown_signal_is_named() -> None:
    out = parse(one(iso(T0), {"Vehicle.Warp": 9.0, SPEED: 1.0}))
    assert out.rejects[0].detail == "'Vehicle.Warp' is not in the signal catalog"
    assert out.name == [SPEED]


# --- vehicles: topic, URL and fleet ----------------------------------------------------------


@pytest.mark.parametrize(
    ("vehicle_id", "reason"),
    [("V1", None), ("a" * 64, "unknown_vehicle"), ("a" * 65, "bad_topic"), ("-V1", "bad_topic")],
)
def test_the_url_vehicle_id_is_checked_like_a_topic_level(vehicle_id: str, reason: str) -> None:
    """Over HTTP the vehicle comes from the URL: it must be a valid id and in the fleet."""
    out = Batch()
    ctx = Context("http", NOW_US, frozenset({"V1"}), None)
    parse_message(out, ctx, json.dumps(sample(0)).encode(), vehicle_id=vehicle_id)
    assert reasons(out) == ([] if reason is None else [reason])
    assert out.num_rows == (4 if reason is None else 0)


def test_without_a_fleet_every_valid_vehicle_is_accepted() -> None:
    out = Batch()
    parse_message(out, Context("mqtt", NOW_US, None, "voltvan/v1/vehicles/X9/signals"), b"{}")
    assert reasons(out) == ["schema"]  # the message itself is empty, the vehicle is fine
    out = Batch()
    topic = "voltvan/v1/vehicles/X9/signals"
    parse_message(out, Context("mqtt", NOW_US, None, topic), json.dumps(sample(0)))
    assert out.vehicle_id == ["X9"] * 4


def test_imports_check_the_fleet_once() -> None:
    """An import for a van outside the fleet is one dead letter, whatever the sample count."""
    out = Batch()
    ctx = Context("import", NOW_US, frozenset({"V1"}))
    add_samples(out, ctx, "V7", [(T0, {SPEED: 1.0}), (T0, {SPEED: 2.0})])
    assert reasons(out) == ["unknown_vehicle"] and out.num_rows == 0
    assert out.rejects[0].vehicle_id == "V7" and out.rejects[0].payload == ""


# --- batches ---------------------------------------------------------------------------------


def test_texts_stay_on_their_rows_across_samples() -> None:
    out = parse({"samples": [one(iso(T0), {SPEED: 1.0, FIX: "NONE"})] * 3})
    assert out.value_text == [None, "NONE"] * 3
    assert out.value == [1.0, None] * 3


def test_extending_a_batch_keeps_texts_on_their_rows() -> None:
    """Text values are kept by row number: appended batches shift them past the rows before."""
    first = parse(one(iso(T0), {SPEED: 1.0, FIX: "NONE"}))
    second = parse(one(iso(T0), {SPEED: 2.0, FIX: "THREE_D", "Vehicle.Warp": 1}))
    first.extend(second)
    assert first.value_text == [None, "NONE", None, "THREE_D"]
    assert first.value == [1.0, None, 2.0, None]
    assert first.name == [SPEED, FIX, SPEED, FIX]
    assert len(first.name_code) == 4 and len(set(first.name_code)) == 2
    assert first.ts_us == [T0_US] * 4 and first.vehicle_id == ["V1"] * 4
    assert first.num_text == 2 and first.reject_counts() == {"unknown_signal": 1}
