"""Each thing the twin simulates, shown on a small hand-made day with no randomness left on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.twin.scenes import (
    DEPART_S,
    QUIET,
    SPEED_KMH,
    TRAVEL,
    charger,
    plan,
    route,
    scenario,
    stop,
)
from voltvan.errors import InvalidInput
from voltvan.travel import haversine_m
from voltvan.twin import TwinParams, VanDay, simulate


def _one_day(scn, pl, params: TwinParams = QUIET) -> list[VanDay]:  # type: ignore[no-untyped-def]
    return list(simulate(scn, pl, days=1, seed=1, params=params, travel=TRAVEL).days[0].vans)


def _kinds(vd: VanDay) -> list[str]:
    return [e.kind for e in vd.events]


def test_nobody_at_home_keeps_the_parcel_on_board() -> None:
    """With everyone out, every stop is a failed delivery (still on time), and the van drives
    the whole day with the full load, so it uses more energy than when all are at home."""
    scn = scenario([stop("S1", 3, kg=300), stop("S2", 6, kg=300), stop("S3", 9, kg=300)])
    pl = plan(scn, route(scn, "V1", [("stop", "S1"), ("stop", "S2"), ("stop", "S3")]))
    (out,) = _one_day(scn, pl, replace(QUIET, fail_share=1.0, failed_attempt_s=90.0))
    (home,) = _one_day(scn, pl, replace(QUIET, fail_share=0.0))
    assert (out.failed, out.on_time, out.late) == (3, 3, 0)
    assert _kinds(out) == ["failed_delivery"] * 3
    assert home.failed == 0 and _kinds(home) == []
    assert out.energy_wh > home.energy_wh  # same times (90 s either way), heavier van
    assert out.end_s == pytest.approx(home.end_s)


def test_two_vans_queue_at_a_one_connector_charger() -> None:
    """Two vans reach a one-connector charger together: the second waits while the first
    charges from 30 % to 80 %; with two connectors nobody waits."""
    for connectors, queued in ((1, True), (2, False)):
        scn = scenario([stop("S1", 4), stop("S2", 5)], vans=2, start_soc=0.3,
                       chargers=[charger("C", 2, connectors=connectors)])  # fmt: skip
        pl = plan(
            scn,
            route(scn, "V1", [("charge", "C"), ("stop", "S1")], charge_to_soc=0.8),
            route(scn, "V2", [("charge", "C"), ("stop", "S2")], charge_to_soc=0.8),
        )
        v1, v2 = _one_day(scn, pl)
        if queued:
            first, second = sorted((v1, v2), key=lambda v: v.queue_s)
            charge_s = first.charged_wh * 3600.0 / 50_000.0
            assert first.queue_s == 0.0
            assert second.queue_s == pytest.approx(charge_s, rel=1e-9)
            assert "queued" in _kinds(second)
        else:
            assert v1.queue_s == v2.queue_s == 0.0
            assert "queued" not in _kinds(v1) + _kinds(v2)


def test_a_charger_out_of_order_sends_the_van_to_the_nearest_working_one() -> None:
    """The planned charger is out of order: the van charges at the next one instead."""
    scn = scenario([stop("S1", 8)], start_soc=0.3,
                   chargers=[charger("C1", 3), charger("C2", 5), charger("C3", 12)])  # fmt: skip
    pl = plan(scn, route(scn, "V1", [("charge", "C1"), ("stop", "S1")]))
    run = simulate(scn, pl, days=1, seed=1, params=replace(QUIET, out_of_order=("C1",)),
                   travel=TRAVEL)  # fmt: skip
    (vd,) = run.days[0].vans
    assert run.days[0].out_of_order == ("C1",)
    (ev,) = [e for e in vd.events if e.kind == "charger_out_of_order"]
    assert (ev.location_id, ev.note) == ("C1", "C2")
    assert vd.charged_wh > 0.0
    assert vd.lowest_soc < 0.3  # it drove on to C2 before charging


def test_no_working_charger_left_means_no_charge() -> None:
    scn = scenario([stop("S1", 8)], start_soc=0.5, chargers=[charger("C1", 3)])
    pl = plan(scn, route(scn, "V1", [("charge", "C1"), ("stop", "S1")]))
    (vd,) = _one_day(scn, pl, replace(QUIET, out_of_order=("C1",)))
    assert "no_charger" in _kinds(vd)
    assert vd.charged_wh == 0.0


def test_a_van_strands_when_its_battery_runs_out() -> None:
    """A 2 kWh battery cannot drive 60 km: the van stops on the way, the far stops are missed."""
    scn = scenario([stop("S1", 1), stop("S2", 30), stop("S3", 31)], battery_wh=2_000.0)
    pl = plan(scn, route(scn, "V1", [("stop", "S1"), ("stop", "S2"), ("stop", "S3")]))
    (vd,) = _one_day(scn, pl)
    assert vd.stranded and vd.stranded_at_s is not None
    assert vd.lowest_soc == 0.0
    assert (vd.on_time, vd.missed) == (1, 2)
    assert vd.end_s is None
    (ev,) = [e for e in vd.events if e.kind == "stranded"]
    assert ev.location_id == "S2"
    assert DEPART_S < vd.stranded_at_s < DEPART_S + 30 / SPEED_KMH * 3600


def test_a_stop_reached_after_its_window_is_late_by_the_right_minutes() -> None:
    """Leaving at 08:00 for a stop 10 km away at 36 km/h, a window ending 08:05 is missed by
    the drive time minus five minutes."""
    s = stop("S1", 10, window=(DEPART_S, DEPART_S + 300.0))
    scn = scenario([s])
    pl = plan(scn, route(scn, "V1", [("stop", "S1")]))
    (vd,) = _one_day(scn, pl)
    drive_s = float(haversine_m(scn.fleet.depots[0].lat, scn.fleet.depots[0].lon, s.lat, s.lon))
    drive_s /= SPEED_KMH / 3.6
    assert (vd.on_time, vd.late) == (0, 1)
    assert vd.late_s == [pytest.approx(drive_s - 300.0)]
    assert vd.events[0].kind == "late" and vd.events[0].value == pytest.approx(drive_s - 300.0)


def test_waiting_for_a_window_is_on_time_and_draws_energy() -> None:
    """Early at a stop whose window opens at 10:00, the van waits with the heating on."""
    early = stop("S1", 1, window=(10 * 3600.0, 11 * 3600.0))
    anytime = stop("S1", 1)
    days = []
    for s in (early, anytime):
        scn = scenario([s])
        days.append(_one_day(scn, plan(scn, route(scn, "V1", [("stop", "S1")])))[0])
    waited, direct = days
    assert waited.on_time == 1 and waited.late == 0
    assert waited.energy_wh > direct.energy_wh
    assert waited.end_s is not None and waited.end_s > 10 * 3600.0


def test_back_after_the_shift_is_reported() -> None:
    scn = scenario([stop("S1", 10)], shift=(7 * 3600.0, DEPART_S + 600.0))
    (vd,) = _one_day(scn, plan(scn, route(scn, "V1", [("stop", "S1")])))
    assert vd.over_shift_s > 0.0
    assert _kinds(vd) == ["over_shift"]


def test_a_plan_of_another_scenario_is_refused() -> None:
    scn = scenario([stop("S1", 1)])
    other = scenario([stop("S9", 1)])
    with pytest.raises(InvalidInput, match="S9"):
        simulate(scn, plan(other, route(other, "V1", [("stop", "S9")])), days=1)


def test_an_unknown_charger_out_of_order_is_refused() -> None:
    scn = scenario([stop("S1", 1)])
    with pytest.raises(InvalidInput, match="'X'"):
        simulate(scn, plan(scn, route(scn, "V1", [("stop", "S1")])), days=1,
                 params=TwinParams(out_of_order=("X",)))  # fmt: skip
