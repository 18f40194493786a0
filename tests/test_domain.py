"""The domain model refuses impossible data where it is built, naming the field."""

from __future__ import annotations

import pytest

from voltvan.domain import (
    Charger,
    Depot,
    Fleet,
    Scenario,
    Stop,
    Tariff,
    TariffPeriod,
    TimeWindow,
    Van,
    VehicleType,
    format_hhmm,
)
from voltvan.errors import InvalidInput


def test_time_window_ending_before_start_names_field() -> None:
    """A reversed window is refused with the field tw_end and both times in the message."""
    with pytest.raises(InvalidInput) as info:
        TimeWindow(9 * 3600, 8 * 3600)
    assert info.value.where.field == "tw_end"
    assert "09:00 > 08:00" in str(info.value)


def test_stop_windows_are_sorted_and_must_not_overlap() -> None:
    """Windows come back sorted; overlapping ones are refused."""
    s = Stop("S", 52.0, 13.0, time_windows=(TimeWindow(50_000, 60_000), TimeWindow(0, 10_000)))
    assert s.earliest_s == 0 and s.latest_s == 60_000
    with pytest.raises(InvalidInput, match="overlap"):
        Stop("S", 52.0, 13.0, time_windows=(TimeWindow(0, 100), TimeWindow(50, 200)))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lat": 91.0}, "lat"),
        ({"lon": float("nan")}, "lon"),
        ({"weight_kg": -1.0}, "weight_kg"),
        ({"service_s": float("inf")}, "service_s"),
    ],
)
def test_stop_rejects_bad_numbers(kwargs: dict[str, float], field: str) -> None:
    """Out-of-range, negative or non-finite numbers name their field."""
    base: dict[str, float] = {"lat": 52.0, "lon": 13.0}
    base.update(kwargs)
    with pytest.raises(InvalidInput) as info:
        Stop("S1", **base)
    assert info.value.where.field == field


def test_fleet_rejects_unknown_vehicle_type(large_van: VehicleType) -> None:
    """A van of a type that is not declared is refused, listing the known types."""
    with pytest.raises(InvalidInput, match=r"unknown vehicle type 'small'.*known: large"):
        Fleet(
            depots=(Depot("D", 52.0, 13.0),),
            vehicle_types=(large_van,),
            vans=(Van("V1", "small", "D"),),
        )


def test_fleet_rejects_duplicate_ids(large_van: VehicleType) -> None:
    """Two vans with the same id are refused."""
    with pytest.raises(InvalidInput, match="duplicate van id 'V1'"):
        Fleet(
            depots=(Depot("D", 52.0, 13.0),),
            vehicle_types=(large_van,),
            vans=(Van("V1", "large", "D"), Van("V1", "large", "D")),
        )


def test_depot_charger_needs_depot() -> None:
    """A charger of kind depot without a depot id is refused."""
    with pytest.raises(InvalidInput, match="needs depot_id"):
        Charger("C1", 52.0, 13.0, power_w=22_000, kind="depot")


def test_scenario_rejects_id_clash(two_vans_five_stops: Scenario) -> None:
    """A stop may not share its id with the depot."""
    bad = (*two_vans_five_stops.stops, Stop("D", 52.0, 13.0))
    with pytest.raises(InvalidInput, match="both a stop and a depot"):
        Scenario(fleet=two_vans_five_stops.fleet, stops=bad)


def test_reserve_and_location_order(two_vans_five_stops: Scenario) -> None:
    """Reserve energy follows the fraction; locations list depots, stops, chargers in order."""
    vt = two_vans_five_stops.fleet.vehicle_types[0]
    assert vt.reserve_wh == pytest.approx(6_800)
    assert two_vans_five_stops.location_ids()[:2] == ["D", "S1"]


def test_tariff_price_wraps_midnight() -> None:
    """Prices repeat daily; the period that covers the time of day applies."""
    t = Tariff(periods=(TariffPeriod(0, 86_400, 0.30), TariffPeriod(0, 6 * 3600, 0.10)))
    assert t.price_at(3 * 3600) == 0.10
    assert t.price_at(86_400 + 3 * 3600) == 0.10
    assert t.price_at(12 * 3600) == 0.30


def test_format_hhmm_past_midnight() -> None:
    """Times after midnight of the next day keep counting hours."""
    assert format_hhmm(25.5 * 3600) == "25:30"


def test_invalid_input_at_adds_location() -> None:
    """An error raised deep in the model can be placed in a file and line later."""
    err = InvalidInput("bad", field="weight_kg").at(file="stops.csv", line=14)
    assert str(err) == "stops.csv, line 14, field weight_kg: bad"
    assert err.to_dict()["line"] == 14
