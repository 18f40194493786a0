"""Overnight charging between simulated days: the depot's schedule, ideal or over OCPP."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.twin.scenes import LAT, LON, QUIET, TRAVEL, scenario, stop
from tests.twin.test_format import check_document
from voltvan.domain import Charger, Scenario
from voltvan.plan import Plan
from voltvan.planning import plan_scenario
from voltvan.twin import simulate, twin_document


def three_vans_far() -> Scenario:
    """Three vans of 40 kWh, six heavy parcels 25 km out (two per van), two depot chargers of
    11 kW: each van comes back with less than the next day needs."""
    base = scenario(
        [stop(f"S{k}", 25.0 + k, kg=450.0) for k in range(6)], vans=3, battery_wh=40_000.0
    )
    depot = tuple(
        Charger(cid, LAT, LON, power_w=11_000.0, kind="depot", current="AC", depot_id="D")
        for cid in ("DC1", "DC2")
    )
    fleet = dataclasses.replace(base.fleet, chargers=depot)
    return dataclasses.replace(base, fleet=fleet)


@pytest.fixture(scope="module")
def far() -> Scenario:
    return three_vans_far()


@pytest.fixture(scope="module")
def far_plan(far: Scenario) -> Plan:
    plan = plan_scenario(far, max_iterations=50)
    assert len(plan.routes) == 3 and not plan.unassigned
    return plan


def test_ideal_night_sets_the_next_days_start(far: Scenario, far_plan: Plan) -> None:
    """The night after day 0 gives each van the schedule's energy; day 1 starts from it."""
    run = simulate(far, far_plan, days=2, params=QUIET, travel=TRAVEL, overnight="ideal")
    night = run.days[0].night
    assert night is not None and run.days[1].night is None
    assert [n.van_id for n in night.vans] == [r.van_id for r in far_plan.routes]
    for n, rec, nxt in zip(night.vans, run.days[0].vans, run.days[1].vans, strict=True):
        assert n.soc_arrival == pytest.approx(rec.trace_wh[-1] / rec.battery_wh)
        assert n.delivered_wh == pytest.approx(n.planned_wh)
        assert n.delivered_wh > 1000.0
        assert nxt.start_soc == pytest.approx(n.start_soc)
        assert n.start_soc == pytest.approx(n.soc_arrival + n.delivered_wh / rec.battery_wh)
    doc = twin_document(run, far_plan, far)
    assert doc["overnight"] == "ideal"
    assert doc["by_day"][0]["night"]["vans"][0]["start_soc"] == round(night.vans[0].start_soc, 4)
    assert doc["by_day"][1]["night"] is None
    check_document(json.loads(json.dumps(doc)))


def test_without_overnight_every_day_starts_from_the_scenario(
    far: Scenario, far_plan: Plan
) -> None:
    """The default keeps days independent: each starts at the vans' start_soc (1.0 here)."""
    run = simulate(far, far_plan, days=2, params=QUIET, travel=TRAVEL)
    assert all(d.night is None for d in run.days)
    assert all(v.start_soc == 1.0 for d in run.days for v in d.vans)


def test_a_broken_depot_charger_leaves_its_vans_low(far: Scenario, far_plan: Plan) -> None:
    """DC1 out of order: the schedule still puts vans on it, and they start day 1 as they came
    back; the vans on DC2 are charged."""
    params = dataclasses.replace(QUIET, out_of_order=("DC1",))
    run = simulate(far, far_plan, days=2, params=params, travel=TRAVEL, overnight="ideal")
    night = run.days[0].night
    assert night is not None
    on = {n.van_id: (n.connector_id or "").split("/")[0] for n in night.vans}
    assert set(on.values()) == {"DC1", "DC2"}
    for n in night.vans:
        if on[n.van_id] == "DC1":
            assert n.delivered_wh == 0.0 and n.start_soc == n.soc_arrival
        else:
            assert n.delivered_wh > 1000.0
    assert run.days[0].out_of_order == ()


@pytest.mark.slow
def test_an_ocpp_night_delivers_what_the_chargers_metered(far: Scenario, far_plan: Plan) -> None:
    """A real CSMS and simulated chargers on localhost: each van gets about the schedule's
    energy (metered in 15-minute steps), and day 1 starts from the metered state of charge."""
    run = simulate(far, far_plan, days=2, params=QUIET, travel=TRAVEL, overnight="ocpp")
    night = run.days[0].night
    assert night is not None and night.mode == "ocpp"
    for n, nxt in zip(night.vans, run.days[1].vans, strict=True):
        assert n.delivered_wh == pytest.approx(n.planned_wh, rel=0.03, abs=100.0)
        assert nxt.start_soc == pytest.approx(n.start_soc)
