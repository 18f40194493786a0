"""Stops to depots before a day is planned in parts: each stop once, nearest while there is room."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from voltvan.domain import Scenario
from voltvan.planning import ASSIGN_METHODS, assign_stops
from voltvan.planning._assign import depot_capacity
from voltvan.scenario import generate_metro_scenario
from voltvan.travel import haversine_m

from .cases import two_depots


@pytest.fixture(scope="module")
def metro() -> Scenario:
    """600 stops, 12 vans, 4 depots (seed 2)."""
    return generate_metro_scenario(num_stops=600, num_vans=12, num_depots=4, seed=2)


@pytest.mark.parametrize("method", ASSIGN_METHODS)
def test_every_stop_goes_to_exactly_one_depot(metro: Scenario, method: str) -> None:
    """The lists partition the stops, in the day's order, and no depot is filled past its room."""
    got = assign_stops(metro, method)
    ids = [sid for d in metro.fleet.depots for sid in got[d.id]]
    assert sorted(ids) == sorted(s.id for s in metro.stops)
    order = {s.id: k for k, s in enumerate(metro.stops)}
    stops = {s.id: s for s in metro.stops}
    cap = depot_capacity(metro)
    for k, d in enumerate(metro.fleet.depots):
        assert [order[i] for i in got[d.id]] == sorted(order[i] for i in got[d.id])
        need = np.array([(stops[i].weight_kg, stops[i].volume_m3, stops[i].service_s)
                         for i in got[d.id]]).sum(axis=0)  # fmt: skip
        assert np.all(need <= cap[k] * 1.01)


@pytest.mark.parametrize("method", ASSIGN_METHODS)
def test_with_room_everywhere_each_stop_goes_to_its_nearest_depot(method: str) -> None:
    """Two depots 8 km apart with three stops each and room to spare: each keeps its own."""
    got = assign_stops(two_depots(), method)
    assert got == {"DW": ["DW-1", "DW-2", "DW-3"], "DE": ["DE-1", "DE-2", "DE-3"]}


def test_a_full_depot_passes_stops_to_the_next_nearest() -> None:
    """With room for two stops at DW only, its third (least regret) goes to DE instead."""
    base = two_depots()
    room = depot_capacity(base)
    stops = tuple(
        dataclasses.replace(s, service_s=room[0, 2] / 2.5) if s.id.startswith("DW") else s
        for s in base.stops
    )
    got = assign_stops(dataclasses.replace(base, stops=stops), "nearest")
    assert len(got["DW"]) == 2 and len(got["DE"]) == 4


def test_a_depot_without_vans_gets_no_stops() -> None:
    """Only depots with vans are candidates; the other's stops go to the staffed one."""
    base = two_depots()
    fleet = dataclasses.replace(base.fleet, vans=base.fleet.vans[:1])
    got = assign_stops(dataclasses.replace(base, fleet=fleet), "nearest")
    assert got["DE"] == [] and len(got["DW"]) == 6


def test_transport_is_no_longer_than_nearest(metro: Scenario) -> None:
    """The LP minimises total depot-to-stop distance, so it cannot lose to the greedy rule."""

    def total_m(got: dict[str, list[str]]) -> float:
        stops = {s.id: s for s in metro.stops}
        return sum(
            float(haversine_m(stops[i].lat, stops[i].lon, d.lat, d.lon))
            for d in metro.fleet.depots
            for i in got[d.id]
        )

    nearest = total_m(assign_stops(metro, "nearest"))
    assert total_m(assign_stops(metro, "transport")) <= nearest * 1.001


def test_an_unknown_method_is_refused(metro: Scenario) -> None:
    """A typo in the method is an error, not a silent default."""
    with pytest.raises(ValueError, match="nearest, transport"):
        assign_stops(metro, "closest")
