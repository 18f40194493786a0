"""Plausible wrong answers fail, each with the sentence that points at its mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.academy.helpers import problems_of, solution
from voltvan.academy import lesson

LESSON1_KM_IN_METRES = """
def km_per_van(plan):
    return {r["van_id"]: r["distance_m"] for r in plan["routes"]}

def lowest_return_soc(plan):
    return min(((r["van_id"], r["visits"][-1]["soc"]) for r in plan["routes"]), key=lambda x: x[1])
"""

LESSON1_LOWEST_ENERGY = """
def km_per_van(plan):
    return {r["van_id"]: r["distance_m"] / 1000 for r in plan["routes"]}

def lowest_return_soc(plan):
    r = min(plan["routes"], key=lambda r: r["visits"][-1]["energy_wh"])
    return r["van_id"], r["visits"][-1]["soc"]
"""

LESSON1_ONLY_STOP_LEGS = """
def km_per_van(plan):
    return {
        r["van_id"]: sum(v["distance_from_prev_m"] for v in r["visits"] if v["kind"] == "stop")
        / 1000
        for r in plan["routes"]
    }

def lowest_return_soc(plan):
    return min(((r["van_id"], r["visits"][-1]["soc"]) for r in plan["routes"]), key=lambda x: x[1])
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (LESSON1_KM_IN_METRES, "(the plan's distances are in metres)"),
        (LESSON1_LOWEST_ENERGY, "batteries differ in size: compare SoC"),
        (LESSON1_ONLY_STOP_LEGS, "km_per_van on a freshly planned day: van"),
    ],
    ids=["metres", "lowest-energy", "stop-legs-only"],
)
def test_lesson1_wrong_answers(source: str, expected: str, tmp_path: Path) -> None:
    """Metres for km, least energy for lowest SoC, or the last leg forgotten: each is named."""
    problems = problems_of(lesson(1), source, tmp_path)
    assert problems and expected in problems[0], problems


def _lesson2_variant(tmp_path: Path, old: str, new: str) -> tuple[str, ...]:
    source = solution(lesson(2)).read_text()
    assert old in source
    return problems_of(lesson(2), source.replace(old, new), tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("wheels_j / params.drivetrain_efficiency", "wheels_j", "the drivetrain efficiency"),
        ("auxiliary_power_w(params, ambient_c)", "params.auxiliary_w", "heating and cooling"),
        ("float(air_density_kg_m3(ambient_c))", "1.225", "the air density of the day"),
        ("/ J_PER_WH", "/ J_PER_WH / 1000", "in Wh, not kWh"),
        ("speed_mps**2", "speed_mps", "more than 0.5% apart"),
    ],
    ids=["no-efficiency", "no-hvac", "fixed-density", "kwh", "drag-linear"],
)
def test_lesson2_wrong_answers(old: str, new: str, expected: str, tmp_path: Path) -> None:
    """Each left-out term of the power balance fails, and the grader names the term."""
    problems = _lesson2_variant(tmp_path, old, new)
    assert len(problems) == 1 and expected in problems[0], problems
    assert "voltvan says" in problems[0]


LESSON3_IGNORES_FEASIBILITY = """
def improve_route(instance, route):
    def length(r):
        nodes = [0, *r, 0]
        return sum(instance.distance[a, b] for a, b in zip(nodes, nodes[1:]))
    best, improved = list(route), True
    while improved:
        improved = False
        for i in range(len(best)):
            for j in range(i + 2, len(best) + 1):
                cand = best[:i] + best[i:j][::-1] + best[j:]
                if length(cand) < length(best) - 1e-6:
                    best, improved = cand, True
    return best
"""

LESSON3_DOES_NOTHING = """
def improve_route(instance, route):
    return list(route)
"""

LESSON3_DROPS_STATIONS = """
def improve_route(instance, route):
    return [n for n in route if not instance.is_station(n)]
"""

LESSON3_SORTS_IN_PLACE = """
def improve_route(instance, route):
    route.sort()
    return route
"""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (LESSON3_IGNORES_FEASIBILITY, "after its window closes"),
        (LESSON3_DOES_NOTHING, "left this spoiled route at"),
        (LESSON3_DROPS_STATIONS, "does not visit the same customers and stations"),
        (LESSON3_SORTS_IN_PLACE, "changed the list it was given"),
    ],
    ids=["ignores-feasibility", "does-nothing", "drops-stations", "in-place"],
)
def test_lesson3_wrong_answers(source: str, expected: str, tmp_path: Path) -> None:
    """2-opt on distance alone breaks a time window; no move, lost visits, in-place edits."""
    problems = problems_of(lesson(3), source, tmp_path)
    assert problems and expected in problems[0], problems


LESSON4_PINNED_ONLY = """
from voltvan.charging import schedule_depot

def schedule_with_reservation(problem, late_van, connector_id):
    return schedule_depot(problem, pinned={late_van: connector_id})
"""


def _lesson4_without_base_load() -> str:
    source = solution(lesson(4)).read_text()
    old = "        base_load_w=base,\n"
    assert old in source
    return source.replace(old, "")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (LESSON4_PINNED_ONLY, "uses the reserved connector C2/1"),
        (_lesson4_without_base_load(), "check_schedule says: slot"),
    ],
    ids=["pinned-only", "late-draw-not-counted"],
)
def test_lesson4_wrong_answers(source: str, expected: str, tmp_path: Path) -> None:
    """Pinning the late van lets others use its connector; forgetting its draw breaks the site
    limit (found by voltvan's own check_schedule)."""
    problems = problems_of(lesson(4), source, tmp_path)
    assert problems and expected in problems[0], problems
    if "slot" in expected:
        assert "over the 18000 W limit" in problems[0]
