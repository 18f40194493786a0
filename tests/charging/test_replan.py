"""Re-planning keeps plugged vans in place, drops failed connectors, counts late vans from now."""

from __future__ import annotations

from tests.charging.conftest import H
from voltvan.charging import DepotProblem, schedule_depot
from voltvan.charging._check import check_schedule
from voltvan.charging._replan import LiveVan, profile_periods, replan


def test_fault_moves_power_off_the_failed_connector(three_vans_two_plugs: DepotProblem) -> None:
    """After CP1/1 faults at 23:00 nobody is scheduled on it and the result is still valid."""
    s = schedule_depot(three_vans_two_plugs)
    a = s.van("A")
    assert a.connector_id is not None
    live = {"A": LiveVan(a.connector_id, 10_000.0)}
    new = replan(s, 23 * H, live=live, faulted={a.connector_id})
    assert all(v.connector_id != a.connector_id for v in new.vans)
    assert new.start_s == 23 * H
    assert check_schedule(new.to_problem(), new) == []
    assert new.van("A").soc_arrival == (0.2 * 60_000 + 10_000) / 60_000


def test_late_van_counts_from_now(three_vans_two_plugs: DepotProblem) -> None:
    """A van planned for 20:00 that is still away at 22:00 is scheduled from 22:00 on."""
    s = schedule_depot(three_vans_two_plugs)
    new = replan(s, 22 * H, live={})
    c = new.van("C")
    assert c.arrival == 22 * H
    assert c.plug_in is not None and c.plug_in >= 22 * H


def test_profile_periods_merge_equal_slots(three_vans_two_plugs: DepotProblem) -> None:
    """Profile periods reproduce the van's slot powers and end with a zero limit."""
    s = schedule_depot(three_vans_two_plugs)
    v = s.van("B")
    start, periods = profile_periods(v, s, 19 * H)
    assert start == 19 * H and periods[0][0] == 0.0 and periods[-1][1] == 0.0
    for k in range(s.num_slots):
        t = s.slot_start(k) - start
        if t < 0:
            continue
        limit = [lim for off, lim in periods if off <= t][-1]
        assert abs(limit - v.power_w[k]) <= 0.1
