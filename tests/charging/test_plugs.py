"""Plugs with the fewest re-plugs: a van per plug where there are enough, else the fewest
staff visits (proven least by brute force on small nights), only in staffed hours."""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

from tests.charging.conftest import NIGHT_TARIFF, H, request
from voltvan.charging import (
    Connector,
    DepotProblem,
    check_plugs,
    check_schedule,
    plug_sheet,
    read_plugs_csv,
    replugs,
    schedule_depot,
    write_plugs_csv,
)
from voltvan.charging._assign import Session
from voltvan.charging._plugs import plan_plugs
from voltvan.charging._plugsheet import by_staff
from voltvan.charging._staffed import first_staffed, last_staffed


def _night(num_plugs: int, *, staffed: tuple[tuple[float, float], ...] = ()) -> DepotProblem:
    """Seven vans arriving 18:00-21:00 and leaving 06:00-08:00, each needing 30 kWh."""
    reqs = tuple(request(f"V{i}", 18 + i * 0.5, 30 + (i % 3), 0.2, 30_000) for i in range(7))
    conns = tuple(Connector(f"CP{j:02d}", 1, 11_000) for j in range(num_plugs))
    return DepotProblem(reqs, conns, site_limit_w=40_000, tariff=NIGHT_TARIFF, staffed_s=staffed)


def test_enough_plugs_means_no_replug_and_whole_stays() -> None:
    """20 plugs for 7 vans: every van on its own plug from arrival to departure."""
    problem = _night(20)
    schedule = schedule_depot(problem)
    assert check_schedule(problem, schedule) == []
    assert check_plugs(problem, schedule) == []
    assert replugs(schedule) == []
    assert all(v.shortfall_wh == 0 for v in schedule.vans)
    plugs = {v.connector_id for v in schedule.vans}
    assert len(plugs) == 7
    for v in schedule.vans:
        assert (v.plug_in, v.plug_out) == (v.arrival, v.departure)
    assert schedule.stats["replugs_proven"] is True


def test_the_old_packing_needed_replugs_on_the_same_night() -> None:
    """Without the plug step the same night shares plugs (the bug this fixes)."""
    from voltvan.charging import SchedulerParams

    problem = _night(20)
    old = schedule_depot(problem, SchedulerParams(fewest_replugs=False))
    new = schedule_depot(problem)
    assert len(replugs(old)) > 0
    assert new.cost()["total"] <= old.cost()["total"] + 1e-6


def test_tight_night_replugs_are_least_and_in_staffed_hours() -> None:
    """4 plugs for 7 vans that are all there 21:00-06:00: every plug's first van is free and
    each further van is one re-plug, so 3 is the least any schedule can do; with staff only
    22:00-24:00, all three happen then, and every van still gets its energy."""
    problem = _night(4, staffed=((22 * H, 24 * H),))
    schedule = schedule_depot(problem)
    assert check_schedule(problem, schedule) == []
    assert check_plugs(problem, schedule) == []
    visits = replugs(schedule)
    assert len(visits) == 3
    assert all(22 * H <= r.time_s <= 24 * H for r in visits)
    assert all(r.unplug is not None and r.plug_in is not None for r in visits)
    assert all(v.shortfall_wh == 0 for v in schedule.vans)


def test_tight_night_without_staffed_hours_is_least_too() -> None:
    problem = _night(4)
    schedule = schedule_depot(problem)
    assert check_plugs(problem, schedule) == []
    assert len(replugs(schedule)) == 3


def _brute_force(
    cores: dict[str, tuple[float, float]], stays: dict[str, tuple[float, float]], plugs: int
) -> int:
    """Least re-plugs over every way to put the vans on identical plugs (cores in order)."""
    vans = sorted(cores)
    best = len(vans) + 1
    for choice in itertools.product(range(plugs), repeat=len(vans)):
        cost = 0
        ok = True
        for p in range(plugs):
            chain = sorted((v for v, c in zip(vans, choice, strict=True) if c == p), key=cores.get)
            for u, w in itertools.pairwise(chain):
                if cores[u][1] > cores[w][0]:
                    ok = False
                    break
                cost += stays[u][1] > stays[w][0]
            if not ok:
                break
        if ok:
            best = min(best, cost)
    return best


def test_replugs_equal_brute_force_on_random_small_nights() -> None:
    """On random nights of 6 vans and 2-3 plugs the MILP finds the brute-force least."""
    rng = random.Random(7)
    checked = 0
    for _ in range(40):
        n, k = 6, rng.choice((2, 3))
        reqs, sessions, power = [], {}, {}
        slots = 16
        for i in range(n):
            a = rng.randrange(0, slots - 2)
            d = rng.randrange(a + 2, slots + 1)
            c0 = rng.randrange(a, d - 1)
            c1 = rng.randrange(c0 + 1, d + 1)
            vid = f"V{i}"
            reqs.append(request(vid, 18 + a, 18 + d, 0.2, 30_000))
            sessions[vid] = Session(vid, "P0/1", (18 + a) * H, (18 + d) * H)
            power[vid] = [1000.0 if c0 <= s < c1 else 0.0 for s in range(slots)]
        conns = tuple(Connector(f"P{j}", 1, 11_000) for j in range(k))
        problem = DepotProblem(
            tuple(reqs), conns, 40_000, slot_s=H, start_s=18 * H, num_slots=slots
        )
        cores = {}
        for r in reqs:
            used = [s for s, p in enumerate(power[r.vehicle_id]) if p > 0]
            cores[r.vehicle_id] = ((18 + used[0]) * H, (18 + used[-1] + 1) * H)
        stays = {r.vehicle_id: (r.arrival_s, r.departure_s) for r in reqs}
        least = _brute_force(cores, stays, k)
        if least > n:
            continue  # the cores do not fit the plugs at all
        plan = plan_plugs(problem, sessions, power)
        assert plan is not None and plan.proven
        assert not plan.moved
        assert plan.replugs == least
        checked += 1
    assert checked >= 20


def test_plug_sheet_csv_matches_the_schedule(tmp_path: Path) -> None:
    """plugs.csv reads back to the schedule's sessions; its staff columns match the re-plugs."""
    problem = _night(4, staffed=((22 * H, 24 * H),))
    schedule = schedule_depot(problem)
    path = tmp_path / "plugs.csv"
    write_plugs_csv(schedule, path)
    rows = read_plugs_csv(path)
    assert rows == plug_sheet(schedule)
    assert check_plugs(problem, schedule, rows) == []
    lines = path.read_text().splitlines()
    assert lines[0].split(",")[:6] == [
        "connector_id",
        "vehicle_id",
        "plug_in",
        "plug_in_by",
        "plug_out",
        "plug_out_by",
    ]
    staff_in = sum(1 for line in lines[1:] if line.split(",")[3] == "staff")
    assert staff_in == sum(1 for r in replugs(schedule) if r.plug_in is not None)
    for row in rows:
        v = schedule.van(row.vehicle_id)
        assert (row.connector_id, row.plug_in_s, row.plug_out_s) == (
            v.connector_id,
            v.plug_in,
            v.plug_out,
        )
    assert {row.vehicle_id for row in rows if any(by_staff(schedule, row))} == {
        v for r in replugs(schedule) for v in (r.unplug, r.plug_in) if v is not None
    }


def test_first_staffed_wraps_past_midnight() -> None:
    """Staff 22:00-02:00 are there at 01:00 the next night, and next at 22:00 after 03:00."""
    staffed = ((22 * H, 26 * H),)
    assert first_staffed(staffed, 25 * H, 30 * H) == 25 * H
    assert first_staffed(staffed, 27 * H, 50 * H) == 46 * H
    assert first_staffed(staffed, 27 * H, 40 * H) is None
    assert first_staffed((), 27 * H, 28 * H) == 27 * H


def test_staffed_hours_travel_in_the_schedule_json(tmp_path: Path) -> None:
    from voltvan.charging import Schedule

    problem = _night(4, staffed=((22 * H, 24 * H),))
    schedule = schedule_depot(problem)
    schedule.write_json(tmp_path / "s.json")
    back = Schedule.read_json(tmp_path / "s.json")
    assert back.staffed_s == ((22 * H, 24 * H),)
    assert back.to_problem().staffed_s == ((22 * H, 24 * H),)
    assert dataclasses.replace(back, stats=schedule.stats) == schedule


def test_last_staffed_is_the_latest_staffed_instant() -> None:
    staffed = ((22 * H, 26 * H), (5 * H, 7 * H))
    assert last_staffed(staffed, 20 * H, 27 * H) == 26 * H
    assert last_staffed(staffed, 20 * H, 30 * H) == 30 * H
    assert last_staffed(staffed, 20 * H, 28.5 * H) == 26 * H
    assert last_staffed(staffed, 27 * H, 28 * H) is None
    assert last_staffed((), 20 * H, 27 * H) == 27 * H
