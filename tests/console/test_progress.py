"""A van's progress against its plan: stops done, minutes behind or ahead, SoC at return."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.console.routes import BATTERY_WH, route
from voltvan.console import LiveSoc, StopState, predicted_return_soc, van_progress

# Planned departures: A 08:15 (30 000 s), B 08:30 (30 900 s), C 08:45 (31 800 s).
A_LEAVES, B_LEAVES = 29_700.0, 30_600.0


def test_nothing_done_before_the_start_is_on_time() -> None:
    p = van_progress(route(), {}, now_s=25_000)
    assert (p.stops_total, p.stops_done, p.next_stop_id) == (3, 0, "A")
    assert p.delay_s == 0.0
    assert p.reached_index == 0


def test_a_van_that_has_not_finished_its_next_stop_is_late_by_the_clock() -> None:
    """Nothing done at 08:45: A was to be left at 08:15, so at least 30 min behind."""
    p = van_progress(route(), {}, now_s=A_LEAVES + 1_800)
    assert p.delay_s == pytest.approx(1_800)


def test_a_stop_done_late_makes_the_van_late_by_that_much() -> None:
    states = {"A": StopState("delivered", A_LEAVES + 600)}
    p = van_progress(route(), states, now_s=A_LEAVES + 700)
    assert p.delay_s == pytest.approx(600)
    assert (p.delivered, p.failed, p.next_stop_id) == (1, 0, "B")


def test_a_stop_done_early_puts_the_van_ahead() -> None:
    states = {"A": StopState("delivered", A_LEAVES - 420), "B": StopState("failed", B_LEAVES - 300)}
    p = van_progress(route(), states, now_s=B_LEAVES - 290)
    assert p.delay_s == pytest.approx(-300)
    assert (p.stops_done, p.failed, p.next_stop_id) == (2, 1, "C")


def test_arrived_moves_the_rest_of_the_route_but_is_not_done() -> None:
    states = {"A": StopState("delivered", A_LEAVES), "B": StopState("arrived")}
    p = van_progress(route(), states, now_s=B_LEAVES - 100)
    assert (p.stops_done, p.arrived, p.reached_index, p.next_stop_id) == (1, 1, 2, "B")


def test_all_done_has_no_next_stop() -> None:
    left = (29_700, 30_600, 31_500)
    states = {s: StopState("delivered", t) for s, t in zip("ABC", left, strict=True)}
    p = van_progress(route(), states, now_s=40_000)
    assert p.next_stop_id is None
    assert p.stops_done == 3
    assert p.delay_s == pytest.approx(0)


def test_return_soc_from_the_live_soc_subtracts_the_legs_after_the_furthest_stop() -> None:
    """At B (reached) with 70 % live, C and the way back take 15 kWh (30 %): 40 % at return;
    the plan said 50 %."""
    states = {"A": StopState("delivered", A_LEAVES), "B": StopState("arrived")}
    p = van_progress(route(), states, now_s=30_400, live=LiveSoc(0.70, 30_400))
    assert p.soc_source == "live"
    assert p.predicted_return_soc == pytest.approx(0.40)
    assert p.planned_return_soc == pytest.approx(0.50)


def test_without_telemetry_the_return_soc_is_the_plans() -> None:
    p = van_progress(route(), {}, now_s=30_000)
    assert (p.soc_source, p.predicted_return_soc) == ("plan", pytest.approx(0.50))


def test_return_soc_counts_what_is_left_after_the_stop_reached() -> None:
    r = route()
    assert predicted_return_soc(r, {}, LiveSoc(1.0, 0)) == pytest.approx(0.50)
    done = {s: StopState("delivered") for s in "ABC"}
    # only the way back (5 kWh) is left
    assert predicted_return_soc(r, done, LiveSoc(0.30, 0)) == pytest.approx(0.20)
    arrived = {"A": StopState("delivered"), "B": StopState("arrived")}
    # at B: C (10 kWh) and the way back (5 kWh) are left
    assert predicted_return_soc(r, arrived, LiveSoc(0.70, 0)) == pytest.approx(0.40)


def test_a_planned_charge_is_added_back_but_never_past_full() -> None:
    """The plan leaves at 60 % (30 kWh) and charges 30 kWh at C (10 -> 40 kWh), back at 70 %.
    A van that left full would reach C with 30 kWh: the charge fills it to 50, not 60."""
    r = route()
    shifted = [replace(v, energy_wh=v.energy_wh - 20_000) for v in r.visits]
    shifted[3] = replace(shifted[3], charge_wh=30_000.0)
    shifted[4] = replace(shifted[4], energy_wh=35_000.0)
    visits = tuple(replace(v, soc=v.energy_wh / BATTERY_WH) for v in shifted)
    charged = replace(r, visits=visits)
    assert predicted_return_soc(charged, {}, LiveSoc(0.60, 0)) == pytest.approx(0.70)
    assert predicted_return_soc(charged, {}, LiveSoc(1.0, 0)) == pytest.approx(0.90)
    assert predicted_return_soc(charged, {}, LiveSoc(0.40, 0)) == pytest.approx(0.70 - 0.20)


def test_a_van_out_of_service_says_since_when() -> None:
    """A re-planned route of a broken-down van ends where it stopped (plan format 2)."""
    assert van_progress(route(), {}, now_s=30_000).out_of_service_s is None
    broken = replace(route(), out_of_service_s=30_000.0)
    assert van_progress(broken, {}, now_s=30_100).to_dict()["out_of_service_s"] == 30_000.0
