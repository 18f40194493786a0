"""Reading the derived tables back: filters, fleet facts and the pairing of observed trips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from voltvan.energy import ObservedTrip
from voltvan.errors import InvalidInput
from voltvan.telemetry import (
    DerivedTable,
    capacities,
    check_day,
    day_filter,
    derived_rows,
    fleet_facts,
    match_observed,
    open_query,
)


def test_day_filter_adds_only_what_is_given() -> None:
    """No vehicle and no day: no clause; both: two parameters in order."""
    assert day_filter(None, None, "start_ts") == ("", [])
    where, args = day_filter("V1", "2021-03-29", "start_ts")
    assert "vehicle_id = ?" in where and "CAST(start_ts AS DATE)" in where
    assert args == ["V1", "2021-03-29"]


def test_a_bad_day_names_the_field() -> None:
    """Month 13 is refused with the field ``day`` (the CLI names its option)."""
    with pytest.raises(InvalidInput) as err:
        check_day("2021-13-01")
    assert err.value.where.field == "day"


def test_derived_rows_of_an_empty_store_are_empty(tmp_path: Path) -> None:
    """The derived views exist (empty) before derive ran, so reading gives no rows."""
    tables: tuple[DerivedTable, ...] = ("trips", "stops", "charging_sessions", "daily_energy")
    for table in tables:
        assert derived_rows(open_query(tmp_path), table, day="2021-03-29") == []


def test_fleet_facts_from_a_vehicle_type_and_a_battery() -> None:
    """A catalog type fills battery and mass for the vans given; ``battery_wh`` the rest."""
    facts = fleet_facts(None, "twizy", ["V1"])
    assert facts.battery_wh["V1"] > 0 and facts.mass_kg["V1"] > 0
    caps = capacities(facts, 40_000.0, ["V1", "V2"])
    assert caps == {"V1": facts.battery_wh["V1"], "V2": 40_000.0}
    with pytest.raises(InvalidInput) as err:
        fleet_facts(None, "bus", ["V1"])
    assert err.value.where.field == "vehicle_type"
    with pytest.raises(InvalidInput) as err:
        capacities(facts, 0.0, ["V1"])
    assert err.value.where.field == "battery_wh"


def test_observed_trips_pair_with_their_rows_by_name() -> None:
    """Only trips whose observation exists are paired, each with its own."""
    start = datetime(2021, 3, 29, 8, 5, tzinfo=UTC)
    trips = [
        {"vehicle_id": "V1", "start_ts": start},
        {"vehicle_id": "V2", "start_ts": start},
    ]
    z = np.zeros(2)
    obs = [ObservedTrip(z, z, None, 15.0, 500.0, 100.0, name="V2 2021-03-29 08:05")]
    pairs = match_observed(trips, obs)
    assert [(t["vehicle_id"], o.observed_energy_wh) for t, o in pairs] == [("V2", 100.0)]
