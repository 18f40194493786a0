"""The checker's parcel replay on hand-made routes: what is loaded where, and what capacity sees.

Each route changes one thing against the plain one (start, stops, end), so that the loads and
peaks it expects can only come from the rule under test. Stop S<i> weighs 10 * i kg and takes
0.1 * i m³; the numbers are chosen so that every sum is exact.
"""

from __future__ import annotations

import pytest

from voltvan.check._load import check_capacity, parcel_loading
from voltvan.domain import Stop, Van, VehicleType
from voltvan.plan import Route, Visit, VisitKind

STOPS = {
    f"S{i}": Stop(f"S{i}", 52.5, 13.4, weight_kg=10.0 * i, volume_m3=0.25 * i) for i in (1, 2, 3)
}
VAN = Van("V1", "t", "D")


def _route(
    *kinds: tuple[VisitKind, str], start_kg: float = 0.0, out_of_service_s: float | None = None
) -> Route:
    visits = tuple(
        Visit(kind, place, 52.5, 13.4, 0.0, 0.0, 0.0, start_kg if k == 0 else 0.0, 0.0, 0.0, 0.0)
        for k, (kind, place) in enumerate(kinds)
    )
    return Route("V1", "t", "D", visits, 0.0, 0.0, 0.0, 0.0, out_of_service_s=out_of_service_s)


def _type(payload_kg: float = 1000.0, volume_m3: float = 10.0) -> VehicleType:
    return VehicleType("t", 60_000.0, 2000.0, payload_kg, volume_m3)


START: tuple[VisitKind, str] = ("start", "D")
END: tuple[VisitKind, str] = ("end", "D")


def test_every_parcel_is_loaded_at_the_start() -> None:
    loading = parcel_loading(_route(START, ("stop", "S1"), ("stop", "S3"), END), STOPS)
    assert loading.loaded == {0: (40.0, 1.0)}
    assert loading.on_board_after == {0: (40.0, 1.0)}
    assert list(loading.peaks()) == [(40.0, 1.0)]


def test_a_stop_visited_twice_is_one_parcel() -> None:
    """A failed delivery retried later on the route: its parcel is loaded once."""
    route = _route(START, ("failed", "S2"), ("stop", "S1"), ("stop", "S2"), END)
    assert parcel_loading(route, STOPS).loaded == {0: (30.0, 0.75)}


def test_a_place_that_is_no_stop_carries_nothing() -> None:
    """Coverage reports an unknown stop; the load replay skips it."""
    route = _route(START, ("stop", "S9"), ("stop", "S1"), END)
    assert parcel_loading(route, STOPS).loaded == {0: (10.0, 0.25)}


def test_a_reload_loads_the_stops_after_it() -> None:
    """Each trip's parcels are loaded at its own loading point; capacity sees each trip."""
    route = _route(START, ("stop", "S1"), ("reload", "D"), ("stop", "S2"), ("stop", "S3"), END)
    loading = parcel_loading(route, STOPS)
    assert loading.loaded == {0: (10.0, 0.25), 2: (50.0, 1.25)}
    assert loading.on_board_after == {0: (10.0, 0.25), 2: (50.0, 1.25)}


def test_a_failed_parcel_stays_on_board_past_a_reload() -> None:
    """A delivery that failed is not retried: its parcel is still on board for the next trip."""
    route = _route(START, ("failed", "S1"), ("reload", "D"), ("stop", "S2"), END)
    loading = parcel_loading(route, STOPS)
    assert loading.loaded == {0: (10.0, 0.25), 2: (20.0, 0.5)}
    assert loading.on_board_after == {0: (10.0, 0.25), 2: (30.0, 0.75)}
    assert [v.message for v in check_capacity(loading, VAN, _type(payload_kg=29.0))] == [
        "load 30.0 kg exceeds payload 29.0 kg"
    ]


def test_delivered_parcels_leave_before_the_reload() -> None:
    route = _route(START, ("stop", "S3"), ("reload", "D"), ("stop", "S1"), END)
    loading = parcel_loading(route, STOPS)
    assert loading.on_board_after == {0: (30.0, 0.75), 2: (10.0, 0.25)}


@pytest.mark.parametrize(
    ("history", "start_kg", "loaded_kg"),
    [
        ({"out_of_service_s": 43_200.0}, 60.0, 60.0),  # broken down with parcels for others
        ({"out_of_service_s": 43_200.0}, 5.0, 10.0),  # says less than its own stops: those
        ({}, 60.0, 10.0),  # a plain route loads its own stops, whatever it says
    ],
)
def test_an_out_of_service_route_loads_what_it_says(
    history: dict[str, float], start_kg: float, loaded_kg: float
) -> None:
    route = _route(START, ("stop", "S1"), start_kg=start_kg, **history)
    assert parcel_loading(route, STOPS).loaded[0][0] == loaded_kg


def test_a_resumed_route_loads_what_it_says_at_the_start() -> None:
    route = _route(START, ("stop", "S1"), ("resume", "S1"), ("stop", "S2"), END, start_kg=70.0)
    assert parcel_loading(route, STOPS).loaded == {0: (70.0, 0.75)}


@pytest.mark.parametrize(
    ("payload_kg", "volume_m3", "messages"),
    [
        (40.0, 1.0, []),
        (39.9, 1.0, ["load 40.0 kg exceeds payload 39.9 kg"]),
        (40.0, 0.99, ["load 1.00 m3 exceeds cargo 0.99 m3"]),
        (
            39.0,
            0.5,
            ["load 40.0 kg exceeds payload 39.0 kg", "load 1.00 m3 exceeds cargo 0.50 m3"],
        ),
    ],
)
def test_capacity_checks_weight_and_volume_apart(
    payload_kg: float, volume_m3: float, messages: list[str]
) -> None:
    loading = parcel_loading(_route(START, ("stop", "S1"), ("stop", "S3"), END), STOPS)
    found = check_capacity(loading, VAN, _type(payload_kg, volume_m3))
    assert [v.message for v in found] == messages
    assert {(v.van_id, v.location_id, v.kind) for v in found} <= {("V1", "", "capacity")}
