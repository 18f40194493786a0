"""Message parsing and validation: every reason code, the acceptance unit, and a fuzz run."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.telemetry.ingest_data import (
    CHARGING,
    FIX,
    LAT,
    LON,
    SOC,
    SPEED,
    T0,
    T0_US,
    iso,
    parse,
    reasons,
    sample,
)
from voltvan.telemetry import REJECT_REASONS, Batch, topic_for, vehicle_from_topic
from voltvan.telemetry.ingest._checks import MIN_TS_US


def test_single_sample_becomes_one_row_per_signal() -> None:
    """A single-sample message yields one row per signal, stamped with its ts in µs."""
    out = parse(sample(0))
    assert not out.rejects
    assert out.name == [SPEED, SOC, LAT, LON]
    assert out.value == [30.0, 80.0, 52.5, 13.4]
    assert out.ts_us == [T0_US] * 4
    assert out.vehicle_id == ["V1"] * 4


def test_batch_of_samples_is_accepted() -> None:
    """A ``samples`` batch yields the rows of every sample."""
    out = parse({"samples": [sample(i) for i in range(5)]})
    assert out.num_rows == 20 and not out.rejects
    assert out.ts_us == [T0_US + i * 1_000_000 for i in range(5) for _ in range(4)]


def test_booleans_and_enums_are_typed() -> None:
    """A boolean is stored as 1.0, an enum string in value_text with a null value."""
    out = parse({"ts": iso(T0), "signals": {CHARGING: True, FIX: "THREE_D"}})
    rows = dict(zip(out.name, zip(out.value, out.value_text, strict=True), strict=True))
    assert rows[CHARGING] == (1.0, None)
    assert rows[FIX] == (None, "THREE_D")


def test_each_reason_code_is_produced() -> None:
    """Each kind of bad input maps to its own reason code and nothing reaches the rows."""
    future = iso(T0 + timedelta(hours=2))
    cases = {
        "malformed_json": b'{"ts": ',
        "schema": [1, 2],
        "unknown_signal": {"ts": iso(T0), "signals": {"Vehicle.Warp": 9.0}},
        "wrong_type": {"ts": iso(T0), "signals": {SPEED: "fast"}},
        "out_of_range": {"ts": iso(T0), "signals": {LON: 1555.6}},
        "ts_in_future": {"ts": future, "signals": {SPEED: 1.0}},
        "ts_before_2000": {"ts": "1999-12-31T23:59:59Z", "signals": {SPEED: 1.0}},
    }
    for reason, payload in cases.items():
        out = parse(payload)
        assert reasons(out) == [reason], reason
        assert out.num_rows == 0, reason
    assert reasons(parse(sample(0), topic=topic_for("V9"))) == ["unknown_vehicle"]
    assert reasons(parse(sample(0), topic="voltvan/v1/vehicles/V1/other")) == ["bad_topic"]
    body = {"vehicle_id": "V2", **sample(0)}
    assert reasons(parse(body)) == ["bad_topic"]
    produced = {*cases, "unknown_vehicle", "bad_topic"}
    assert produced == set(REJECT_REASONS)


def test_one_bad_signal_keeps_the_rest_of_its_sample() -> None:
    """A faulty GPS longitude is refused alone; speed and SoC of the same second are kept."""
    s = sample(0)
    s["signals"][LON] = 1555.6  # type: ignore[index]
    out = parse(s)
    assert out.num_rows == 3 and LON not in out.name
    assert reasons(out) == ["out_of_range"]
    assert "1555.6" in out.rejects[0].payload


def test_a_bad_ts_rejects_only_that_sample() -> None:
    """In a batch, a sample without a time zone is refused; the others are kept."""
    bad = {"ts": "2026-03-02T08:00:05", "signals": {SPEED: 1.0}}
    out = parse({"samples": [sample(0), bad, sample(1)]})
    assert out.num_rows == 8 and reasons(out) == ["schema"]


def test_integer_signal_refuses_fractions_and_bool_is_not_a_number() -> None:
    """An odometer (uint32) of 1.5 m is the wrong type, and so is ``true`` as a speed."""
    out = parse({"ts": iso(T0), "signals": {"Vehicle.TraveledDistance": 1.5, SPEED: True}})
    assert sorted(reasons(out)) == ["wrong_type", "wrong_type"]


def test_huge_integers_and_nan_do_not_crash() -> None:
    """10**400 is out of range, and NaN (not JSON) makes the message malformed."""
    head = '{"ts": "2026-03-02T08:00:00Z", "signals": {"Vehicle.Speed": '
    assert reasons(parse(head + "1" + "0" * 400 + "}}")) == ["out_of_range"]
    assert reasons(parse(head + "NaN}}")) == ["malformed_json"]


def test_topic_parsing() -> None:
    """Only ``voltvan/v1/vehicles/<id>/signals`` names a vehicle; wildcards never do."""
    assert vehicle_from_topic(topic_for("van-07")) == "van-07"
    assert vehicle_from_topic("voltvan/v1/vehicles/+/signals") is None
    assert vehicle_from_topic("voltvan/v1/vehicles/a/b/signals") is None


def _check_whole(out: Batch) -> None:
    n = out.num_rows
    cols = (out.vehicle_id, out.name, out.value, out.value_text)
    assert all(len(c) == n for c in cols)
    for value, text in zip(out.value, out.value_text, strict=True):
        assert (value is None) != (text is None)
    assert all(t >= MIN_TS_US for t in out.ts_us)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes_never_crash(payload: bytes) -> None:
    """Random bytes never raise and never leave a partial row."""
    out = parse(payload)
    _check_whole(out)
    assert out.num_rows == 0 or payload.strip().startswith(b"{")


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)
_names = st.sampled_from([SPEED, SOC, LAT, LON, CHARGING, FIX, "Vehicle.Warp", ""])
_ts = st.one_of(
    st.just(iso(T0)),
    st.datetimes(timezones=st.just(T0.tzinfo)).map(lambda d: d.isoformat()),
    st.text(max_size=12),
    st.integers(),
)
_sample = st.fixed_dictionaries({"ts": _ts, "signals": st.dictionaries(_names, _values)})
_message = st.one_of(_sample, st.fixed_dictionaries({"samples": st.lists(_sample, max_size=4)}))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_message)
def test_fuzz_near_valid_messages(message: dict[str, object]) -> None:
    """Near-valid messages: every signal value becomes exactly one row or one dead letter."""
    out = parse(message)
    _check_whole(out)
    samples = message.get("samples", [message])
    assert isinstance(samples, list)
    values = sum(len(s["signals"]) for s in samples)
    bad_ts = sum(1 for r in out.rejects if r.reason in {"schema", "ts_before_2000", "ts_in_future"})
    assert out.num_rows + len(out.rejects) <= values + bad_ts
    if not bad_ts:
        assert out.num_rows + len(out.rejects) == values


ODO = "Vehicle.TraveledDistance"  # uint32 in metres


def test_shape_fast_path_still_checks_every_value() -> None:
    """After a valid sample cached its shape, same-shaped samples with bad values are refused."""
    good = {SPEED: 10.0, ODO: 5, CHARGING: True}
    bad = [
        ({SPEED: 1e9, ODO: 5, CHARGING: True}, "out_of_range"),
        ({SPEED: 10.0, ODO: 2**40, CHARGING: False}, "out_of_range"),
        ({SPEED: 10.0, ODO: -1, CHARGING: False}, "out_of_range"),
        ({SPEED: 10.0, ODO: 5.5, CHARGING: False}, "wrong_type"),
        ({SPEED: True, ODO: 5, CHARGING: False}, "wrong_type"),
        ({SPEED: 10.0, ODO: 5, CHARGING: 1}, "wrong_type"),
    ]
    for signals, reason in bad:
        out = parse(
            {"samples": [{"ts": iso(T0), "signals": good}, {"ts": iso(T0), "signals": signals}]}
        )
        assert reasons(out) == [reason], signals
        assert out.num_rows == 5
    ok = parse({"ts": iso(T0), "signals": good})
    assert ok.value == [10.0, 5.0, 1.0] and ok.value_text == [None, None, None]


def _reference(signals: dict[str, object]) -> tuple[list[tuple[str, object]], list[str]]:
    """Rows and reasons by the full per-value check alone (no fast path)."""
    from voltvan.telemetry.ingest._checks import _check_value, _Invalid
    from voltvan.telemetry.ingest._signals import signal_catalog

    rows: list[tuple[str, object]] = []
    bad: list[str] = []
    for name, raw in signals.items():
        sig = signal_catalog().get(name)
        if sig is None:
            bad.append("unknown_signal")
            continue
        try:
            value, text = _check_value(sig, raw)
        except _Invalid as exc:
            bad.append(exc.reason)
            continue
        rows.append((name, text if text is not None else value))
    return rows, bad


def _assert_same_as_full_check(samples: list[dict[str, object]]) -> None:
    """One message of ``samples`` gives the rows and dead letters of the per-value check."""
    out = parse({"samples": [{"ts": iso(T0), "signals": s} for s in samples]})
    want_rows = [r for s in samples for r in _reference(s)[0]]
    want_bad = [b for s in samples for b in _reference(s)[1]]
    got = [
        (n, t if t is not None else v)
        for n, v, t in zip(out.name, out.value, out.value_text, strict=True)
    ]
    assert got == want_rows
    assert reasons(out) == want_bad


_value = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.sampled_from(["THREE_D", "x", ""]),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.dictionaries(st.sampled_from([SPEED, SOC, ODO, CHARGING, FIX, LAT]), _value),
             min_size=1, max_size=4)
)  # fmt: skip
def test_fast_paths_agree_with_the_full_check(samples: list[dict[str, object]]) -> None:
    """Whatever the values, the fast paths accept and refuse exactly what the full check does."""
    _assert_same_as_full_check(samples)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from([SPEED, SOC, ODO, CHARGING, LAT]), min_size=1, max_size=5,
             unique=True),
    st.data(),
)  # fmt: skip
def test_whole_message_path_agrees_with_the_full_check(
    names: list[str], data: st.DataObject
) -> None:
    """Samples sharing one shape take the whole-message path; whatever their values, it keeps
    and refuses exactly what the per-value check does (one bad value sends the message to it)."""
    count = data.draw(st.integers(1, 6))
    samples = [{n: data.draw(_value) for n in names} for _ in range(count)]
    parse({"ts": iso(T0), "signals": {SPEED: 1.0}})  # the ts is known: the fast path applies
    _assert_same_as_full_check(samples)
