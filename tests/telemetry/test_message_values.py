"""Value rules the shipped catalog cannot reach through a message, checked on a made-up signal.

The catalog's only string signal is an enumeration, so a lone surrogate in it is refused as an
unknown value before its text is looked at. A free-text string signal (the VSS has many) must
still refuse text that cannot be stored, and keep any other text as sent.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.telemetry.ingest_data import FIX, SPEED, T0, iso, parse, sample
from voltvan.telemetry import Reject, signal_catalog
from voltvan.telemetry.ingest._checks import _check_value, _Invalid

NOTE = dataclasses.replace(signal_catalog()[FIX], name="Vehicle.Driver.Note", allowed=None)


@pytest.mark.parametrize("text", ["", "THREE_D", "Lieferung an Tür 2 ✓", "x" * 1000])
def test_a_free_text_signal_keeps_any_storable_text(text: str) -> None:
    assert _check_value(NOTE, text) == (None, text)


@pytest.mark.parametrize("text", ["\ud800", "ok \udfff", "\udc80abc"])
def test_a_free_text_signal_refuses_a_lone_surrogate(text: str) -> None:
    with pytest.raises(_Invalid) as bad:
        _check_value(NOTE, text)
    assert bad.value.reason == "wrong_type"
    assert bad.value.detail == f"Vehicle.Driver.Note {text!r} is not valid Unicode text"


def test_a_free_text_signal_refuses_other_types() -> None:
    with pytest.raises(_Invalid) as bad:
        _check_value(NOTE, 3)
    assert bad.value.reason == "wrong_type"


def test_a_lone_surrogate_in_an_enumeration_is_out_of_range_and_stored_escaped() -> None:
    """Through a message: the enumeration refuses it, and the dead letter keeps it readable."""
    out = parse(f'{{"ts": "{iso(T0)}", "signals": {{"{FIX}": "\\ud800"}}}}')
    assert [r.reason for r in out.rejects] == ["out_of_range"]
    assert out.rejects[0].payload == f'{{"ts": "{iso(T0)}", "signals": {{"{FIX}": "\\ud800"}}}}'
    assert out.rejects[0].detail == f"{FIX} '\\ud800' is not an allowed value"


def test_a_dead_letter_cannot_be_changed_once_made() -> None:
    """Dead letters are values: frozen, and usable in sets to count distinct ones."""
    out = parse({"ts": iso(T0), "signals": {"Vehicle.Warp": 1.0}})
    (reject,) = out.rejects
    assert isinstance(reject, Reject)
    with pytest.raises(dataclasses.FrozenInstanceError):
        reject.reason = "schema"  # type: ignore[misc]
    assert len({reject, dataclasses.replace(reject)}) == 1


@pytest.mark.parametrize("bad", [3, None, 2.5, True])
def test_a_sample_that_is_a_bare_value_is_refused_alone(bad: object) -> None:
    """A number, null or boolean among the samples is one schema dead letter (it has no
    length, unlike the lists and strings of the rule tests); the samples around it are kept."""
    out = parse({"samples": [sample(0), bad, sample(1)]})
    assert [r.reason for r in out.rejects] == ["schema"]
    assert out.rejects[0].detail == "a sample must be an object"
    assert out.num_rows == 8


def test_samples_whose_signals_are_all_lists_are_refused_each() -> None:
    """Every sample of the batch alike, at a time seen before (the whole-message path), with a
    list where the signals object belongs: each is a schema dead letter."""
    parse(sample(0))
    bad = {"ts": iso(T0), "signals": [SPEED, 1.0]}
    out = parse({"samples": [bad, bad]})
    assert [r.reason for r in out.rejects] == ["schema", "schema"]
    assert out.rejects[0].detail == "a sample needs 'ts' and a 'signals' object"
    assert out.num_rows == 0
