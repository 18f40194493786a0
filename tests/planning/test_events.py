"""Bad events files are refused naming the file and the field, one rule at a time (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from voltvan.domain import Scenario
from voltvan.errors import InvalidInput
from voltvan.planning import read_events

NOON_S = 12 * 3600.0

GOOD_STOP = {"id": "NEW1", "lat": 52.52, "lon": 13.41, "tw_start": "13:00", "tw_end": "17:00"}


def _read(tmp_path: Path, scenario: Scenario, data: Any) -> InvalidInput:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        read_events(path, scenario, NOON_S)
    assert str(path) in str(err.value)
    return err.value


def _one(tmp_path: Path, scenario: Scenario, event: dict[str, Any]) -> InvalidInput:
    return _read(tmp_path, scenario, {"version": 1, "events": [event]})


def test_a_good_file_is_read(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    """Every kind of event in one file, read into its kind."""
    path = tmp_path / "events.json"
    events = [
        {"type": "van_out_of_service", "van_id": "V1", "time": "11:40"},
        {"type": "stop_failed", "stop_id": "S1", "time": "10:00", "reason": "refused"},
        {"type": "new_stop", "time": "11:00", "stop": GOOD_STOP},
        {
            "type": "van_position",
            "van_id": "V2",
            "time": "11:58",
            "lat": 52.5,
            "lon": 13.4,
            "soc": 0.5,
        },
        {"type": "delay", "van_id": "V2", "delay_s": 600},
    ]
    path.write_text(json.dumps({"version": 1, "events": events}), encoding="utf-8")
    ev = read_events(path, two_vans_five_stops, NOON_S)
    assert ev.out_of_service[0].parcels_at_depot_s == 11 * 3600 + 40 * 60 + 3600
    assert ev.failed[0].retry is False
    assert ev.new_stops[0].stop.time_windows[0].start_s == 13 * 3600
    assert ev.positions[0].soc == 0.5
    assert ev.delays[0].delay_s == 600


def test_not_json_names_the_line(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _read(tmp_path, two_vans_five_stops, '{"version": 1,\n "events": [oops]}')
    assert err.where.line == 2


def test_wrong_version(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _read(tmp_path, two_vans_five_stops, {"version": 7, "events": []})
    assert err.where.field == "version"


def test_events_must_be_a_list(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _read(tmp_path, two_vans_five_stops, {"version": 1, "events": {}})
    assert err.where.field == "events"


def test_an_event_must_be_an_object(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _read(tmp_path, two_vans_five_stops, {"version": 1, "events": ["delay"]})
    assert err.where.field == "events[0]"


def test_unknown_type(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _one(tmp_path, two_vans_five_stops, {"type": "flat_tyre", "van_id": "V1"})
    assert err.where.field == "events[0].type"


def test_missing_field(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _one(tmp_path, two_vans_five_stops, {"type": "van_out_of_service", "time": "11:00"})
    assert err.where.field == "events[0].van_id"
    assert "missing" in err.message


def test_unknown_van(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _one(tmp_path, two_vans_five_stops, {"type": "delay", "van_id": "V9", "delay_s": 60})
    assert err.where.field == "events[0].van_id"


def test_unknown_stop(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "stop_failed", "stop_id": "S9", "time": "10:00", "reason": "other"}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].stop_id"


def test_bad_time(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "van_out_of_service", "van_id": "V1", "time": "11h40"}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].time"


def test_event_after_the_replan_time(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "van_out_of_service", "van_id": "V1", "time": "12:30"}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].time"
    assert "after the re-plan time" in err.message


def test_parcels_back_before_the_breakdown(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {
        "type": "van_out_of_service",
        "van_id": "V1",
        "time": "11:00",
        "parcels_at_depot": "10:00",
    }
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].parcels_at_depot"


def test_unknown_failure_reason(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "stop_failed", "stop_id": "S1", "time": "10:00", "reason": "dog"}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].reason"


def test_retry_must_be_true_or_false(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "stop_failed", "stop_id": "S1", "time": "10:00", "reason": "other", "retry": 1}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].retry"


def test_new_stop_id_already_used(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "new_stop", "time": "11:00", "stop": {**GOOD_STOP, "id": "S1"}}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].stop.id"


def test_new_stop_window_backwards(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "new_stop", "time": "11:00", "stop": {**GOOD_STOP, "tw_end": "12:00"}}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].stop.tw_end"


def test_new_stop_negative_weight(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "new_stop", "time": "11:00", "stop": {**GOOD_STOP, "weight_kg": -3}}
    err = _one(tmp_path, two_vans_five_stops, event)
    assert err.where.field == "events[0].stop.weight_kg"


def test_position_latitude_not_a_number(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "van_position", "van_id": "V1", "time": "11:00", "lat": "52.5", "lon": 13.4}
    err = _one(tmp_path, two_vans_five_stops, {**event, "soc": 0.5})
    assert err.where.field == "events[0].lat"


def test_position_soc_out_of_range(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "van_position", "van_id": "V1", "time": "11:00", "lat": 52.5, "lon": 13.4}
    err = _one(tmp_path, two_vans_five_stops, {**event, "soc": 45})
    assert err.where.field == "events[0].soc"


def test_negative_delay(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    err = _one(tmp_path, two_vans_five_stops, {"type": "delay", "van_id": "V1", "delay_s": -60})
    assert err.where.field == "events[0].delay_s"


def test_a_van_breaks_down_once(tmp_path: Path, two_vans_five_stops: Scenario) -> None:
    event = {"type": "van_out_of_service", "van_id": "V1", "time": "11:00"}
    data = {"version": 1, "events": [event, {**event, "time": "11:30"}]}
    err = _read(tmp_path, two_vans_five_stops, data)
    assert err.where.field == "events[1].van_id"


def test_the_documented_example_is_valid() -> None:
    """The example in docs/formats/events.md reads without error on a generated day."""
    from voltvan.planning import parse_events
    from voltvan.scenario import generate_scenario

    doc = (Path(__file__).parents[2] / "docs" / "formats" / "events.md").read_text()
    block = doc.split("```json", 1)[1].split("```", 1)[0]
    scenario = generate_scenario(num_stops=150, num_vans=6, seed=4, day="cold")
    ev = parse_events(json.loads(block), scenario, NOON_S)
    kinds = (ev.out_of_service, ev.failed, ev.new_stops, ev.positions, ev.delays)
    assert [len(k) for k in kinds] == [1, 1, 1, 1, 1]
