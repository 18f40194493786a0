"""The plug rules of the independent checker: each broken alone gives its own violation."""

from __future__ import annotations

import dataclasses

import pytest

from tests.charging.conftest import NIGHT_TARIFF, H, request
from voltvan.charging import (
    Connector,
    DepotProblem,
    PlugRow,
    Schedule,
    check_plugs,
    plug_sheet,
    schedule_depot,
)


@pytest.fixture(scope="module")
def night() -> tuple[DepotProblem, Schedule]:
    """Three vans on four plugs (each on its own plug all night) and a fourth spare plug."""
    reqs = (
        request("A", 18, 30, 0.2, 30_000),
        request("B", 19, 31, 0.3, 30_000),
        request("C", 20, 31, 0.1, 30_000),
    )
    conns = tuple(Connector(f"CP{j}", 1, 11_000) for j in range(4))
    problem = DepotProblem(reqs, conns, site_limit_w=30_000, tariff=NIGHT_TARIFF)
    schedule = schedule_depot(problem)
    assert check_plugs(problem, schedule) == []
    return problem, schedule


def _with_van(schedule: Schedule, vid: str, **changes: object) -> Schedule:
    vans = tuple(
        dataclasses.replace(v, **changes) if v.vehicle_id == vid else v  # type: ignore[arg-type]
        for v in schedule.vans
    )
    return dataclasses.replace(schedule, vans=vans)


def _spare(schedule: Schedule) -> str:
    used = {v.connector_id for v in schedule.vans}
    return next(c.id for c in schedule.connectors if c.id not in used)


def test_two_vans_on_one_plug_at_once(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    a = schedule.van("A")
    broken = _with_van(schedule, "B", connector_id=a.connector_id)
    assert check_plugs(problem, broken) == [
        f"{a.connector_id}: A and B on the plug at the same time (19:00)"
    ]


def test_a_van_on_two_plugs(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    a = schedule.van("A")
    rows = [*plug_sheet(schedule), PlugRow(_spare(schedule), "A", a.arrival, a.departure)]
    assert a.connector_id is not None
    plugs = ", ".join(sorted([a.connector_id, _spare(schedule)]))
    assert check_plugs(problem, schedule, rows) == [f"A: on 2 plugs ({plugs}), not one"]


def test_a_charging_van_on_no_plug(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    rows = [r for r in plug_sheet(schedule) if r.vehicle_id != "C"]
    assert check_plugs(problem, schedule, rows) == ["C: charges but is on no plug"]


def test_plug_in_before_arrival(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    broken = _with_van(schedule, "B", plug_in=18.5 * H)
    assert check_plugs(problem, broken) == ["B: plugged in at 18:30, before it arrives at 19:00"]


def test_unplug_after_departure(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    broken = _with_van(schedule, "A", plug_out=30.5 * H)
    assert check_plugs(problem, broken) == ["A: unplugged at 06:30, after it leaves at 06:00"]


def test_unplug_before_plug_in(night: tuple[DepotProblem, Schedule]) -> None:
    """Staff may act at any time here (no staffed hours), so only the order is wrong."""
    problem, schedule = night
    broken = _with_van(schedule, "A", plug_in=23 * H, plug_out=22 * H)
    assert check_plugs(problem, broken) == ["A: unplugged before it is plugged in"]


def test_sheet_disagrees_with_the_schedule(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    c = schedule.van("C")
    rows = [
        dataclasses.replace(r, connector_id=_spare(schedule)) if r.vehicle_id == "C" else r
        for r in plug_sheet(schedule)
    ]
    assert check_plugs(problem, schedule, rows) == [
        f"C: the plug sheet has {_spare(schedule)} {c.plug_in:.0f}-{c.plug_out:.0f} s, "
        f"the schedule {c.connector_id} {c.plug_in}-{c.plug_out} s"
    ]


def test_unknown_connector_on_the_sheet(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    a = schedule.van("A")
    rows = [*plug_sheet(schedule), PlugRow("NOPE/1", "A", a.arrival, a.departure)]
    assert check_plugs(problem, schedule, rows) == [
        "A: the plug sheet names unknown connector NOPE/1"
    ]


def test_staff_outside_staffed_hours(night: tuple[DepotProblem, Schedule]) -> None:
    """A van plugged in late at 23:00 when staff are there only 05:00-07:00."""
    problem, schedule = night
    staffed = dataclasses.replace(problem, staffed_s=((5 * H, 7 * H),))
    broken = _with_van(schedule, "C", plug_in=23 * H)
    assert check_plugs(problem, broken) == []
    assert check_plugs(staffed, broken) == [
        "C: plugged in by staff at 23:00, outside the staffed hours"
    ]
    early_out = _with_van(schedule, "C", plug_out=6 * H + 24 * H)
    assert check_plugs(staffed, early_out) == []
