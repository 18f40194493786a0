"""EvLocalSearch: the ejection-pool route elimination (checked independently) and its bounds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import check_evrptw, data_path
from voltvan.benchmarks import read_instance, write_solution
from voltvan.planning.ev import Deadline, EvSolution
from voltvan.planning.ev._charging import ChargingPlanner
from voltvan.planning.ev._model import EvRoute
from voltvan.planning.ev._prices import fleet_weight_for
from voltvan.planning.ev._search import EvLocalSearch


def _singletons(name: str) -> tuple[Path, EvLocalSearch]:
    path = data_path("bench", "evrptw", "small", f"{name}.txt")
    inst = read_instance(path).instance
    planners = [ChargingPlanner(inst, v) for v in range(len(inst.vehicle_types))]
    search = EvLocalSearch(
        inst, planners, seed=3, deadline=None, fleet_weight=fleet_weight_for(inst)
    )
    routes = []
    for c in inst.clients:
        ev = planners[0].evaluate([c])
        assert ev.is_feasible
        routes.append((0, [c], ev))
    search.load(routes)
    return path, search


def test_reduce_fleet_empties_routes_and_stays_feasible(tmp_path: Path) -> None:
    """From one van per client, route elimination alone leaves far fewer vans, checker-feasible."""
    path, search = _singletons("r105C5")
    before = len(search.routes)
    removed = search.reduce_fleet(max_attempts=8, max_steps=30)
    assert removed > 0
    assert len(search.routes) == before - removed <= before // 2
    inst = search.inst
    routes = tuple(
        EvRoute(v, ev.visits, ev.charge_wh)
        for v, ev in zip(search.vtypes, search.evals, strict=True)
    )
    distance = sum(ev.distance for ev in search.evals)
    out = tmp_path / "r105C5.json"
    write_solution(out, inst, EvSolution(routes, (), distance, distance, True, {}))
    result = check_evrptw(path, out)
    assert result["feasible"], result["errors"]
    assert result["vehicles"] == len(search.routes)
    served = sorted(c for r in search.routes for c in r)
    assert served == sorted(inst.clients)


def test_reduce_fleet_is_deterministic_without_deadline() -> None:
    """Same seed, no deadline: the same routes come out."""
    _, a = _singletons("c101C5")
    _, b = _singletons("c101C5")
    a.reduce_fleet(max_attempts=3, max_steps=20)
    b.reduce_fleet(max_attempts=3, max_steps=20)
    assert a.routes == b.routes


def test_round_counts_bound_the_phases_even_with_a_deadline() -> None:
    """Given counts, a far deadline changes nothing: the same routes as with no deadline at all."""
    _, timed = _singletons("c101C5")
    _, untimed = _singletons("c101C5")
    timed.deadline = Deadline(3600.0)
    for search in (timed, untimed):
        search.reduce_fleet(max_attempts=3, max_steps=20)
        search.perturb(max_rounds=2)
    assert timed.routes == untimed.routes


def test_a_phase_without_count_or_deadline_is_refused() -> None:
    """No count and no deadline would never end: refused up front."""
    _, search = _singletons("c101C5")
    with pytest.raises(ValueError, match="count or a deadline"):
        search.perturb(max_rounds=None)
    with pytest.raises(ValueError, match="count or a deadline"):
        search.reduce_fleet(max_attempts=None)
