"""solve_ev end to end: benchmark instances checked by the independent checker, and constraints."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import check_evrptw, data_path
from tests.planning.ev._builders import plane_instance
from voltvan.benchmarks import read_instance, write_solution
from voltvan.planning.ev import EvSolution, solve_ev

# Optimal distances of Schneider et al. (2014), Table 3 (full recharge; partial can only be lower).
KNOWN_OPTIMUM = {"c101C5": 257.75, "r104C5": 136.69, "r105C5": 156.08, "rc108C5": 253.93}


def _solve_small(name: str, tmp_path: Path, iterations: int = 300) -> tuple[EvSolution, dict]:
    path = data_path("bench", "evrptw", "small", f"{name}.txt")
    bench = read_instance(path)
    solution = solve_ev(bench.instance, max_iterations=iterations, seed=1)
    out = tmp_path / f"{name}.json"
    write_solution(out, bench.instance, solution)
    return solution, check_evrptw(path, out)


@pytest.mark.parametrize("name", sorted(KNOWN_OPTIMUM))
def test_small_instances_reach_the_known_optimum(name: str, tmp_path: Path) -> None:
    """The checker accepts the solution and its distance is within 1 % of the optimum."""
    solution, check = _solve_small(name, tmp_path)
    assert check["feasible"], check["errors"]
    assert solution.is_feasible
    assert float(check["distance"]) <= KNOWN_OPTIMUM[name] * 1.01  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["c103C15", "r102C15", "rc202C15", "c202C10", "r203C10"])
def test_small_instances_are_feasible_by_the_checker(name: str, tmp_path: Path) -> None:
    """10 and 15 customer instances: every client served, every route drivable."""
    solution, check = _solve_small(name, tmp_path)
    assert check["feasible"], check["errors"]
    assert check["vehicles"] == len(solution.routes)


def test_same_seed_same_solution() -> None:
    """With an iteration limit the search is deterministic."""
    bench = read_instance(data_path("bench", "evrptw", "small", "c101C10.txt"))
    a = solve_ev(bench.instance, max_iterations=100, seed=3)
    b = solve_ev(bench.instance, max_iterations=100, seed=3)
    assert [r.visits for r in a.routes] == [r.visits for r in b.routes]
    assert a.distance == b.distance


def test_capacity_splits_the_clients() -> None:
    """Two clients of 6 units with vans of 10 need two vans."""
    inst = plane_instance((0, 0), [(1, 0), (0, 1)], [], battery_wh=100, demand=[6, 6], capacity=10)
    sol = solve_ev(inst, max_iterations=100)
    assert sol.is_feasible
    assert sorted(len(r.visits) for r in sol.routes) == [1, 1]


def test_shift_end_limits_the_route() -> None:
    """Clients 10 m out in opposite directions take 40 s together; a 30 s shift forces two vans."""
    inst = plane_instance((0, 0), [(10, 0), (-10, 0)], [], battery_wh=100, shift_end_s=30)
    sol = solve_ev(inst, max_iterations=100)
    assert sol.is_feasible and len(sol.routes) == 2


def test_reserve_forces_a_charging_stop() -> None:
    """A 40 Wh round trip fits a 42 Wh battery, but with a 5 Wh reserve it needs a 3 Wh stop."""
    free = solve_ev(
        plane_instance((0, 0), [(20, 0)], [(10, 0)], battery_wh=42.0), max_iterations=50
    )
    held = solve_ev(
        plane_instance((0, 0), [(20, 0)], [(10, 0)], battery_wh=42.0, reserve_wh=5.0),
        max_iterations=50,
    )
    assert free.routes[0].visits == (1,)
    assert held.is_feasible
    assert 2 in held.routes[0].visits  # the station
    assert sum(held.routes[0].charge_wh) == pytest.approx(3.0)


def test_group_visits_exactly_one_alternative() -> None:
    """Of two alternatives of one stop (a group), exactly one is served; nothing is unassigned."""
    inst = plane_instance((0, 0), [(5, 0), (50, 0), (0, 5)], [], battery_wh=1000, groups=((1, 2),))
    sol = solve_ev(inst, max_iterations=100)
    served = {n for r in sol.routes for n in r.visits}
    assert sol.is_feasible
    assert len(served & {1, 2}) == 1
    assert 3 in served
    assert 1 in served  # the near alternative is the cheaper one


def test_unreachable_client_is_listed_unassigned() -> None:
    """A client beyond the battery's reach, with no station, is reported, not dropped."""
    inst = plane_instance((0, 0), [(5, 0), (100, 0)], [], battery_wh=50)
    sol = solve_ev(inst, max_iterations=100)
    assert sol.unassigned == (2,)
    assert not sol.is_feasible


def test_tiny_time_limit_still_returns_a_solution() -> None:
    """Even a budget shorter than building the model yields a (checked) solution, not a crash."""
    inst = plane_instance((0, 0), [(10, 0), (0, 10)], [(5, 5)], battery_wh=30)
    sol = solve_ev(inst, time_limit_s=0.001)
    assert sol.is_feasible
    assert sorted(n for r in sol.routes for n in r.visits if n in (1, 2)) == [1, 2]
