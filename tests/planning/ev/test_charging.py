"""Charging-stop labelling on hand-made sequences with known best answers."""

from __future__ import annotations

import math

import pytest

from tests.planning.ev._builders import plane_instance
from voltvan.planning.ev._charging import ChargingPlanner

# D(0,0) -> C1(10,0) -> C2(10,10) -> D: 10 + 10 + 14.14 = 34.14 m, battery 30 Wh.
# S1 sits on the C1-C2 leg (no detour); S2 is far off to the right.
DIAG = math.hypot(10, 10)


def _square(**kw: object) -> ChargingPlanner:
    inst = plane_instance((0, 0), [(10, 0), (10, 10)], [(10, 5), (30, 5)], battery_wh=30, **kw)  # type: ignore[arg-type]
    return ChargingPlanner(inst, 0)


def test_route_that_needs_one_stop_gets_the_zero_detour_station() -> None:
    """The only stop is S1 on the way, and the distance is that of the plain route."""
    ev = _square().evaluate([1, 2])
    assert ev.is_feasible
    assert ev.visits == (1, 3, 2)
    assert ev.distance == pytest.approx(20 + DIAG)


def test_partial_charge_is_just_enough() -> None:
    """At S1 the van has 15 Wh left and needs 5 + 14.14 Wh to get home: it charges 4.14 Wh."""
    ev = _square().evaluate([1, 2])
    assert ev.charge_wh[1] == pytest.approx(5 + DIAG - 15)
    assert ev.charge_wh[0] == 0.0 and ev.charge_wh[2] == 0.0


def test_reserve_is_charged_on_top() -> None:
    """With a 2 Wh reserve the van must reach home with 2 Wh: it charges 2 Wh more."""
    ev = _square(reserve_wh=2.0).evaluate([1, 2])
    assert ev.is_feasible
    assert ev.charge_wh[1] == pytest.approx(5 + DIAG - 15 + 2)


def test_route_within_range_has_no_stop() -> None:
    """Out and back to C1 (20 Wh) fits in the battery: no station is visited."""
    ev = _square().evaluate([1])
    assert ev.visits == (1,)
    assert ev.distance == pytest.approx(20)


def test_charging_time_counts_against_time_windows() -> None:
    """At 360 W the 4.14 Wh stop before C2 takes 41 s; C2 due at t=40 forces the stop after C2."""
    relaxed = _square(station_power_w=360.0, tw=[(0, 1e6), (0, 80.0)]).evaluate([1, 2])
    tight = _square(station_power_w=360.0, tw=[(0, 1e6), (0, 40.0)]).evaluate([1, 2])
    assert relaxed.visits == (1, 3, 2)
    assert tight.is_feasible
    assert tight.visits == (1, 2, 3)
    assert tight.distance > relaxed.distance + 1.0


def test_unreachable_route_is_infeasible() -> None:
    """A client 40 m out with a 30 Wh battery and no station nearby cannot be served."""
    inst = plane_instance((0, 0), [(40, 0)], [(-50, -50)], battery_wh=30)
    assert not ChargingPlanner(inst, 0).evaluate([1]).is_feasible


@pytest.mark.parametrize("name", ["c101", "r102", "rc101", "c103"])
def test_best_known_routes_are_rebuilt_exactly(name: str) -> None:
    """Each best-known route's client order gets stops of exactly the best-known total distance."""
    from tests.conftest import data_path
    from voltvan.benchmarks import read_instance

    inst = read_instance(data_path("bench", "evrptw", "100", f"{name}_21.txt")).instance
    bks = data_path("bench", "evrptw", "bks-evrptwpr.tsv")
    row = next(
        line.split("\t")
        for line in bks.read_text().splitlines()
        if line.split("\t")[0] == name.upper()
    )
    index = {n: i for i, n in enumerate(inst.names)}
    planner = ChargingPlanner(inst, 0)
    routes = [r for r in row[6].split("D0;D0") if r.strip(";D0")]
    total = 0.0
    for route in routes:
        clients = [index[x] for x in route.split(";") if x.startswith("C")]
        ev = planner.evaluate(clients)
        assert ev.is_feasible, route
        total += ev.distance
    assert total == pytest.approx(float(row[2]), rel=1e-6)
