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


# --- one rule at a time, at its bounds ------------------------------------------------------------


def test_unknown_van_on_the_sheet(night: tuple[DepotProblem, Schedule]) -> None:
    problem, schedule = night
    rows = [*plug_sheet(schedule), PlugRow(_spare(schedule), "Z", 20 * H, 22 * H)]
    assert check_plugs(problem, schedule, rows) == ["Z: the plug sheet names unknown van"]


def _shared(schedule: Schedule, gap_s: float) -> Schedule:
    """A unplugged at 22:00 and B on A's plug from 22:00 + ``gap_s``."""
    a = schedule.van("A")
    early = _with_van(schedule, "A", plug_out=22 * H)
    return _with_van(early, "B", connector_id=a.connector_id, plug_in=22 * H + gap_s)


@pytest.mark.parametrize(
    ("gap_s", "clash"), [(0.0, False), (-1e-6, False), (3600.0, False), (-0.5, True), (-1.0, True)]
)
def test_one_plug_back_to_back(
    night: tuple[DepotProblem, Schedule], gap_s: float, clash: bool
) -> None:
    """A plug freed at 22:00 may take the next van at 22:00 (within a microsecond), in whatever
    order the sheet lists them; half a second earlier the two overlap."""
    problem, schedule = night
    shared = _shared(schedule, gap_s)
    a = schedule.van("A")
    rows = sorted(plug_sheet(shared), key=lambda r: -r.plug_in_s)  # latest first
    want = [f"{a.connector_id}: A and B on the plug at the same time (22:00)"] if clash else []
    assert check_plugs(problem, shared, rows) == want


def test_a_van_on_no_plug_may_draw_a_watt(night: tuple[DepotProblem, Schedule]) -> None:
    """Up to 1 W (rounding) is no charging; more needs a plug."""
    problem, schedule = night
    rows = [r for r in plug_sheet(schedule) if r.vehicle_id != "C"]
    n = len(schedule.van("C").power_w)
    for watt, want in ((1.0, []), (1.5, ["C: charges but is on no plug"])):
        trickle = _with_van(schedule, "C", power_w=(0.0,) * (n - 1) + (watt,))
        assert check_plugs(problem, trickle, rows) == want


@pytest.mark.parametrize("field", ["plug_in_s", "plug_out_s"])
@pytest.mark.parametrize(("off_s", "agrees"), [(0.5, False), (1.0, False), (1e-7, True)])
def test_sheet_times_must_be_the_schedule_s(
    night: tuple[DepotProblem, Schedule], field: str, off_s: float, agrees: bool
) -> None:
    """Plugged in later or unplugged earlier than the schedule says (within the stay)."""
    problem, schedule = night
    off_s = off_s if field == "plug_in_s" else -off_s
    c = schedule.van("C")
    rows = [
        dataclasses.replace(r, **{field: getattr(r, field) + off_s}) if r.vehicle_id == "C" else r
        for r in plug_sheet(schedule)
    ]
    row = next(r for r in rows if r.vehicle_id == "C")
    want = (
        []
        if agrees
        else [
            f"C: the plug sheet has {c.connector_id} {row.plug_in_s:.0f}-{row.plug_out_s:.0f} s, "
            f"the schedule {c.connector_id} {c.plug_in}-{c.plug_out} s"
        ]
    )
    assert check_plugs(problem, schedule, rows) == want


@pytest.mark.parametrize("field", ["plug_in", "plug_out"])
def test_a_sheet_row_for_a_van_the_schedule_left_unplugged(
    night: tuple[DepotProblem, Schedule], field: str
) -> None:
    problem, schedule = night
    rows = plug_sheet(schedule)
    loose = _with_van(schedule, "A", **{field: None})
    a = schedule.van("A")
    (row,) = (r for r in rows if r.vehicle_id == "A")
    plug_in = None if field == "plug_in" else a.plug_in
    plug_out = None if field == "plug_out" else a.plug_out
    assert check_plugs(problem, loose, rows) == [
        f"A: the plug sheet has {a.connector_id} {row.plug_in_s:.0f}-{row.plug_out_s:.0f} s, "
        f"the schedule {a.connector_id} {plug_in}-{plug_out} s"
    ]


def test_a_sheet_a_microsecond_off_the_schedule_agrees() -> None:
    """The sheet's tolerance is one microsecond, inclusive (exact in floating point near 0 s)."""
    problem = DepotProblem(
        (request("A", 0, 8, 0.5, 10_000),),
        (Connector("CP0", 1, 11_000),),
        site_limit_w=30_000,
        tariff=NIGHT_TARIFF,
    )
    schedule = _with_van(schedule_depot(problem), "A", plug_in=0.0, plug_out=1e-6)
    (row,) = plug_sheet(schedule)
    rows = [dataclasses.replace(row, plug_in_s=1e-6, plug_out_s=2e-6)]
    assert (1e-6 - 0.0, 2e-6 - 1e-6) == (1e-6, 1e-6)
    assert check_plugs(problem, schedule, rows) == []


@pytest.mark.parametrize(
    ("plug_in_h", "plug_out_h", "want"),
    [
        (19 - 1e-6 / H, 31, []),
        (19 - 0.5 / H, 31, ["B: plugged in at 19:00, before it arrives at 19:00"]),
        (19, 31 + 1e-6 / H, []),
        (19, 31 + 0.5 / H, ["B: unplugged at 07:00, after it leaves at 07:00"]),
        (23, 23, []),
    ],
)
def test_plugged_within_the_stay_to_the_bound(
    night: tuple[DepotProblem, Schedule], plug_in_h: float, plug_out_h: float, want: list[str]
) -> None:
    """A microsecond outside the stay is rounding, half a second is not; a zero-length plug-in
    (in and out at the same time) is not out of order."""
    problem, schedule = night
    b = problem.request("B")
    plug_in = b.arrival_s - 1e-6 if plug_in_h == 19 - 1e-6 / H else plug_in_h * H
    plug_out = b.departure_s + 1e-6 if plug_out_h == 31 + 1e-6 / H else plug_out_h * H
    broken = _with_van(schedule, "B", plug_in=plug_in, plug_out=plug_out)
    assert check_plugs(problem, broken) == want


@pytest.mark.parametrize(
    ("plug_in_h", "plug_out_h", "want"),
    [
        (20 + 1 / H, 31, []),
        (20 + 1.5 / H, 31, ["C: plugged in by staff at 20:00, outside the staffed hours"]),
        (20, 31 - 1 / H, []),
        (20, 31 - 1.5 / H, ["C: unplugged by staff at 07:00, outside the staffed hours"]),
        (20, 28, ["C: unplugged by staff at 04:00, outside the staffed hours"]),
    ],
)
def test_staff_act_only_a_second_after_arrival_or_before_departure(
    night: tuple[DepotProblem, Schedule], plug_in_h: float, plug_out_h: float, want: list[str]
) -> None:
    """The driver plugs in on arrival and unplugs on departure (within a second); anything
    later or earlier needs staff, here only 12:00-13:00."""
    problem, schedule = night
    staffed = dataclasses.replace(problem, staffed_s=((12 * H, 13 * H),))
    assert check_plugs(staffed, schedule) == []
    broken = _with_van(schedule, "C", plug_in=plug_in_h * H, plug_out=plug_out_h * H)
    assert check_plugs(staffed, broken) == want
