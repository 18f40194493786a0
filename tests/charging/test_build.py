"""The problem built from fleet and plan uses plan departures and needs; input files are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from voltvan.charging._build import Arrival, problem_from_plan, read_arrivals, read_base_load
from voltvan.domain import DAY_S, Fleet
from voltvan.errors import InvalidInput
from voltvan.plan import Plan


def test_departure_and_need_come_from_the_plan(small_fleet: Fleet, small_plan: Plan) -> None:
    """Departure is the route start next morning; need is the route's energy incl. reserve."""
    p = problem_from_plan(small_fleet, small_plan, arrivals={"V1": Arrival(17 * 3600, 0.3)})
    r = p.request("V1")
    assert r.departure_s == small_plan.route_of("V1").start_s + DAY_S
    assert r.energy_needed_wh == 50_000
    assert (r.arrival_s, r.soc_arrival) == (17 * 3600, 0.3)
    assert len(p.connectors) == 4 and p.site_limit_w == 30_000


def test_arrival_from_previous_plan(small_fleet: Fleet, small_plan: Plan) -> None:
    """Without an arrivals file, a van arrives when and as its previous route ended."""
    p = problem_from_plan(small_fleet, small_plan, previous_plan=small_plan)
    r = p.request("V2")
    assert r.arrival_s == small_plan.route_of("V2").end_s
    assert r.soc_arrival == pytest.approx(0.2)


def test_arrivals_csv_errors_name_line_and_field(tmp_path: Path) -> None:
    """A bad SoC and an unknown charger id are reported with file, line and field."""
    f = tmp_path / "arrivals.csv"
    f.write_text("vehicle_id,arrival,soc\nV1,18:30,0.2\nV2,19:00,1.7\n")
    with pytest.raises(InvalidInput) as exc:
        read_arrivals(f)
    assert (exc.value.where.line, exc.value.where.field) == (3, "soc")
    f.write_text("vehicle_id,arrival,soc,charger_id\nV1,18:30,0.2,XX\n")
    with pytest.raises(InvalidInput) as exc2:
        read_arrivals(f, charger_ids=["CP1"])
    assert (exc2.value.where.line, exc2.value.where.field) == (2, "charger_id")
    f.write_text("vehicle_id,arrival,soc\nV1,25:15,0.2\n")
    assert read_arrivals(f)["V1"].arrival_s == 25.25 * 3600


def test_base_load_steps_per_slot(tmp_path: Path) -> None:
    """The building load in force at each slot's start is taken; a negative one is refused."""
    f = tmp_path / "base.csv"
    f.write_text("time,power_w\n00:00,2000\n20:00,5000\n")
    load = read_base_load(f, start_s=19 * 3600, slot_s=3600, num_slots=8)
    assert load == [2000, 5000, 5000, 5000, 5000, 2000, 2000, 2000]
    f.write_text("time,power_w\n00:00,-5\n")
    with pytest.raises(InvalidInput) as exc:
        read_base_load(f, start_s=0, slot_s=900, num_slots=2)
    assert exc.value.where.field == "power_w"


def test_unknown_van_in_arrivals(small_fleet: Fleet, small_plan: Plan) -> None:
    """An arrival for a van the fleet does not have is refused."""
    with pytest.raises(InvalidInput) as exc:
        problem_from_plan(small_fleet, small_plan, arrivals={"ZZ": Arrival(0, 0.5)})
    assert exc.value.where.field == "vehicle_id"
