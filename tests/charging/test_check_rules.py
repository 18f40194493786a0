"""The schedule checker catches each broken rule: a valid night, broken one rule at a time.

The night is built by hand (no solver), so every number below can be checked on paper: half-hour
slots from 18:00 to 22:00, grid power = battery power / 0.9 plus 1 kW of building load. Each
test breaks one rule and asserts the checker's whole answer: the one violation, naming the van,
the slot or the connector. The tolerance tests pin where "within limits" ends (1 W of power,
1 Wh of energy, 10 Wh between a reported and a real shortfall, a microsecond of plug time).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest

from voltvan.charging import (
    ChargeRequest,
    Connector,
    DepotProblem,
    Schedule,
    VanPlan,
    check_schedule,
)
from voltvan.domain import Tariff

H = 3600.0
SLOT_S = 1800.0
NUM_SLOTS = 8  # 18:00 .. 22:00
BASE_LOAD_W = (1000.0,) * 7 + (25_000.0,)  # the building alone is over the limit at 21:30


def _van(
    vid: str, battery_wh: float, arrive_h: float, soc: float, need_wh: float, **kw: object
) -> ChargeRequest:
    return ChargeRequest(vid, battery_wh, arrive_h * H, 22 * H, soc, need_wh, **kw)  # type: ignore[arg-type]


# Listed D before A on purpose: they share CP1/1 one after the other, and the checker must sort.
REQUESTS = (
    _van("D", 60_000, 19, 0.5, 33_000, ceiling_wh=34_000),  # needs 3 kWh, may take 4 kWh
    _van("A", 60_000, 18, 0.5, 36_000),  # needs 6 kWh
    _van("B", 60_000, 18, 0.2, 21_000, charger_id="CP2"),  # needs 9 kWh, bay at charger CP2
    _van("C", 100_000, 18, 0.9, 95_000),  # needs 5 kWh, already in the taper (65 % at 90 %)
    _van("E", 60_000, 18, 0.5, 32_000),  # needs 2 kWh, gets no plug: a reported shortfall
)
CONNECTORS = (
    Connector("CP1", 1, 7_000),  # slower than the vans (11 kW AC)
    Connector("CP2", 1, 22_000),  # faster than the vans
    Connector("CP2", 2, 22_000),
    Connector("CP3", 1, 11_000),
)


@dataclasses.dataclass(frozen=True)
class Plan:
    connector_id: str | None
    plug_in_h: float | None
    plug_out_h: float | None
    power_w: tuple[float, ...]


# Every van's need met exactly; E is reported short by all of its 2 kWh.
VALID: dict[str, Plan] = {
    "A": Plan("CP1/1", 18, 20, (6000, 6000, 0, 0, 0, 0, 0, 0)),  # 6 kWh
    "D": Plan("CP1/1", 20, 22, (0, 0, 0, 0, 3000, 3000, 0, 0)),  # 3 kWh, after A on the same plug
    "B": Plan("CP2/1", None, None, (0, 0, 6000, 6000, 6000, 0, 0, 0)),  # 9 kWh, the whole stay
    "C": Plan("CP2/2", 18, 22, (5000, 5000, 0, 0, 0, 0, 0, 0)),  # 5 kWh
    "E": Plan(None, None, None, (0.0,) * NUM_SLOTS),
}
E_SHORT = {"E": 2000.0}


@pytest.fixture
def problem() -> DepotProblem:
    return DepotProblem(
        REQUESTS, CONNECTORS, site_limit_w=20_000, efficiency=0.9, slot_s=SLOT_S,
        base_load_w=BASE_LOAD_W,
    )  # fmt: skip


def night(
    problem: DepotProblem,
    changes: Mapping[str, Plan] | None = None,
    shortfalls: Mapping[str, float] = E_SHORT,
    **schedule_fields: object,
) -> Schedule:
    """The valid night with some vans' plans replaced."""
    plans = {**VALID, **(changes or {})}
    vans = []
    for r in problem.requests:
        p = plans[r.vehicle_id]
        vans.append(
            VanPlan(
                vehicle_id=r.vehicle_id,
                connector_id=p.connector_id,
                plug_in=None if p.plug_in_h is None else p.plug_in_h * H,
                plug_out=None if p.plug_out_h is None else p.plug_out_h * H,
                arrival=r.arrival_s,
                departure=r.departure_s,
                soc_arrival=r.soc_arrival,
                battery_wh=r.battery_wh,
                energy_needed_wh=r.energy_needed_wh,
                energy_delivered_wh=sum(p.power_w) * SLOT_S / H,
                shortfall_wh=shortfalls.get(r.vehicle_id, 0.0),
                cap_wh=r.cap_wh,
                max_ac_power_w=r.max_ac_power_w,
                max_dc_power_w=r.max_dc_power_w,
                power_w=p.power_w,
                charger_id=r.charger_id,
            )
        )
    fields: dict[str, object] = {
        "start_s": problem.grid_start_s,
        "slot_s": problem.slot_s,
        "site_limit_w": problem.site_limit_w,
        "efficiency": problem.efficiency,
        "prices_per_kwh": (0.1,) * problem.grid_num_slots,
        "base_load_w": BASE_LOAD_W,
        "vans": tuple(vans),
        "connectors": problem.connectors,
        "tariff": problem.tariff,
        "shortfalls": tuple(
            {"vehicle_id": vid, "shortfall_wh": wh, "reason": "test", "fixes": []}
            for vid, wh in shortfalls.items()
        ),
        **schedule_fields,
    }
    return Schedule(**fields)  # type: ignore[arg-type]


def power(vid: str, slot: int, watts: float, plan: Plan | None = None) -> dict[str, Plan]:
    """The van's valid plan (or ``plan``) with one slot's power changed."""
    p = plan or VALID[vid]
    values = list(p.power_w)
    values[slot] = watts
    return {vid: dataclasses.replace(p, power_w=tuple(values))}


def plug(vid: str, plug_in_h: float | None, plug_out_h: float | None) -> dict[str, Plan]:
    p = VALID[vid]
    return {vid: dataclasses.replace(p, plug_in_h=plug_in_h, plug_out_h=plug_out_h)}


def with_van(schedule: Schedule, vid: str, **fields: object) -> Schedule:
    """The schedule with fields of one van's plan set exactly (in seconds, not hours)."""
    vans = tuple(
        dataclasses.replace(v, **fields) if v.vehicle_id == vid else v  # type: ignore[arg-type]
        for v in schedule.vans
    )
    return dataclasses.replace(schedule, vans=vans)


def test_the_valid_night_passes(problem: DepotProblem) -> None:
    assert problem.grid_start_s == 18 * H and problem.grid_num_slots == NUM_SLOTS
    assert check_schedule(problem, night(problem)) == []


# ---- the slot grid -------------------------------------------------------------------------------
def test_a_schedule_on_another_slot_grid_is_rejected_whole(problem: DepotProblem) -> None:
    short = night(problem, prices_per_kwh=(0.1,) * 7)
    assert check_schedule(problem, short) == ["slot grid differs: 7 slots from 64800.0"]
    shifted = night(problem, start_s=18 * H + 0.5)
    assert check_schedule(problem, shifted) == ["slot grid differs: 8 slots from 64800.5"]


def test_a_van_with_the_wrong_number_of_slots_is_named(problem: DepotProblem) -> None:
    """Only that error: the van's slots cannot be read, so its other rules are not judged."""
    for values in (VALID["A"].power_w[:7], (*VALID["A"].power_w, 0.0)):
        changes = {"A": dataclasses.replace(VALID["A"], power_w=values)}
        assert check_schedule(problem, night(problem, changes)) == [
            f"A: {len(values)} power values for 8 slots"
        ]


def test_the_slot_grid_may_start_a_microsecond_off() -> None:
    """At most 1e-6 s between the grid starts (a van arriving at midnight puts the grid at 0)."""
    r = ChargeRequest("M", 60_000, 0.0, 2 * H, 0.5, 30_000)
    midnight = DepotProblem((r,), CONNECTORS, site_limit_w=20_000, slot_s=SLOT_S)
    m = VanPlan("M", None, None, None, 0.0, 2 * H, 0.5, 60_000, 30_000, 0.0, 0.0, 60_000,
                11_000, 50_000, (0.0,) * 4)  # fmt: skip
    s = Schedule(1e-6, SLOT_S, 20_000, 0.93, (0.1,) * 4, (), (m,), CONNECTORS, Tariff())
    assert check_schedule(midnight, s) == []
    assert check_schedule(midnight, dataclasses.replace(s, start_s=2e-6)) == [
        "slot grid differs: 4 slots from 2e-06"
    ]


# ---- power per van ------------------------------------------------------------------------------
def test_power_over_the_connector(problem: DepotProblem) -> None:
    """A is on the 7 kW plug; its own 11 kW limit does not count there."""
    assert check_schedule(problem, night(problem, power("A", 0, 7_001))) == []
    assert check_schedule(problem, night(problem, power("A", 0, 7_002))) == [
        "A: 7002 W in slot 0 exceeds 7000 W allowed"
    ]


def test_power_over_the_van(problem: DepotProblem) -> None:
    """B is on a 22 kW plug, but the van takes at most 11 kW."""
    assert check_schedule(problem, night(problem, power("B", 2, 11_000))) == []
    assert check_schedule(problem, night(problem, power("B", 2, 11_500))) == [
        "B: 11500 W in slot 2 exceeds 11000 W allowed"
    ]


def test_power_over_the_taper(problem: DepotProblem) -> None:
    """C arrives at 90 %, where the taper allows 65 % of 11 kW; over 11 kW is not needed to fail."""
    assert check_schedule(problem, night(problem, power("C", 0, 7_150))) == []
    assert check_schedule(problem, night(problem, power("C", 0, 8_000))) == [
        "C: 8000 W in slot 0 exceeds 7150 W allowed"
    ]


def test_the_taper_follows_the_energy_charged_so_far(problem: DepotProblem) -> None:
    """After 7.15 kW for half an hour C holds 93.575 kWh: 52.49 % of 11 kW in the next slot."""
    first = power("C", 0, 7_150)["C"]
    assert check_schedule(problem, night(problem, power("C", 1, 5_700, first))) == []
    assert check_schedule(problem, night(problem, power("C", 1, 6_000, first))) == [
        "C: 6000 W in slot 1 exceeds 5774 W allowed"
    ]


def test_charging_outside_the_plugged_time(problem: DepotProblem) -> None:
    """Before plug-in, after plug-out, and in a slot only half plugged."""
    late = {**plug("A", 18.5, 20)}
    assert check_schedule(problem, night(problem, late)) == [
        "A: 6000 W in slot 0 exceeds 0 W allowed"
    ]
    half = {**plug("A", 18.25, 20)}
    assert check_schedule(problem, night(problem, half)) == [
        "A: 6000 W in slot 0 exceeds 3500 W allowed"
    ]
    early_out = {**plug("D", 20, 20.5)}
    assert check_schedule(problem, night(problem, early_out)) == [
        "D: 3000 W in slot 5 exceeds 0 W allowed"
    ]


def test_a_van_without_a_plug_cannot_charge(problem: DepotProblem) -> None:
    """E has no connector: any power is a violation (its reported shortfall is kept honest)."""
    assert check_schedule(problem, night(problem, power("E", 0, 2_000), {"E": 1000.0})) == [
        "E: 2000 W in slot 0 exceeds 0 W allowed"
    ]


def test_negative_power(problem: DepotProblem) -> None:
    assert check_schedule(problem, night(problem, power("B", 7, -1.0))) == []
    assert check_schedule(problem, night(problem, power("B", 7, -2.0))) == [
        "B: negative power in slot 7"
    ]


# ---- plugs -------------------------------------------------------------------------------------
def test_a_pinned_van_on_another_charger(problem: DepotProblem) -> None:
    """B is pinned to charger CP2: its second plug is fine, the free CP3 is not."""
    other_plug = {"B": dataclasses.replace(VALID["B"], connector_id="CP2/2")}
    other_plug["C"] = dataclasses.replace(VALID["C"], connector_id="CP2/1")
    assert check_schedule(problem, night(problem, other_plug)) == []
    wrong = {"B": dataclasses.replace(VALID["B"], connector_id="CP3/1")}
    assert check_schedule(problem, night(problem, wrong)) == ["B: on CP3/1 but pinned to CP2"]


def test_plugged_outside_the_stay(problem: DepotProblem) -> None:
    """A arrives at 18:00 and D leaves at 22:00; plugged in a microsecond early is tolerated."""
    early = night(problem, plug("A", 17.5, 20))
    assert check_schedule(problem, early) == ["A: plugged 63000-72000 outside its stay"]
    half_second = night(problem, plug("A", 18 - 0.5 / H, 20))
    assert check_schedule(problem, half_second) == ["A: plugged 64800-72000 outside its stay"]
    at_tolerance = with_van(night(problem), "A", plug_in=18 * H - 1e-6)
    assert check_schedule(problem, at_tolerance) == []
    late = night(problem, plug("D", 20, 22.5))
    assert check_schedule(problem, late) == ["D: plugged 72000-81000 outside its stay"]
    late_half_second = night(problem, plug("D", 20, 22 + 0.5 / H))
    assert check_schedule(problem, late_half_second) == ["D: plugged 72000-79200 outside its stay"]
    assert check_schedule(problem, with_van(night(problem), "D", plug_out=22 * H + 1e-6)) == []


def test_plugged_out_before_plugged_in(problem: DepotProblem) -> None:
    """A plugged 19:00 to 18:30 (charging nothing, its whole need reported short)."""
    idle = (0.0,) * NUM_SLOTS
    backwards = {"A": Plan("CP1/1", 19, 18.5, idle)}
    short = {**E_SHORT, "A": 6000.0}
    assert check_schedule(problem, night(problem, backwards, short)) == [
        "A: plugged 68400-66600 outside its stay"
    ]
    empty = {"A": Plan("CP1/1", 19, 19, idle)}
    assert check_schedule(problem, night(problem, empty, short)) == []


def test_two_vans_on_one_plug_at_once(problem: DepotProblem) -> None:
    """D plugs into CP1/1 while A is still on it; back to back (and a microsecond over) is fine."""
    overlap = night(problem, plug("D", 19.5, 22))
    assert check_schedule(problem, overlap) == ["CP1/1: A and D plugged in at the same time"]
    half_second = night(problem, plug("D", 20 - 0.5 / H, 22))
    assert check_schedule(problem, half_second) == ["CP1/1: A and D plugged in at the same time"]
    touching = with_van(night(problem), "D", plug_in=20 * H - 1e-6)
    assert check_schedule(problem, touching) == []


def test_a_van_plugged_in_inside_another_vans_session(problem: DepotProblem) -> None:
    """D's whole session lies inside A's (A plugged 18:00-22:00, D 20:00-21:00)."""
    changes = {**plug("A", 18, 22), **plug("D", 20, 21)}
    assert check_schedule(problem, night(problem, changes)) == [
        "CP1/1: A and D plugged in at the same time"
    ]


# ---- energy ------------------------------------------------------------------------------------
def test_energy_above_the_cap(problem: DepotProblem) -> None:
    """D may hold 34 kWh: 33 kWh after its valid night, 1 kWh more fits, 1.0015 kWh does not."""
    assert check_schedule(problem, night(problem, power("D", 6, 2_002))) == []
    assert check_schedule(problem, night(problem, power("D", 6, 2_003))) == [
        "D: holds 34002 Wh, above its cap 34000"
    ]


def test_energy_short_without_a_reported_shortfall(problem: DepotProblem) -> None:
    """A gets 5 kWh of its 6 kWh: only a matching report (within 10 Wh) makes that valid."""
    short_a = power("A", 1, 4_000)
    assert check_schedule(problem, night(problem, short_a)) == ["A: 1000 Wh short, reported 0 Wh"]
    wrong = {**E_SHORT, "A": 500.0}
    assert check_schedule(problem, night(problem, short_a, wrong)) == [
        "A: 1000 Wh short, reported 500 Wh"
    ]
    for reported in (990.0, 1000.0, 1010.0):
        assert check_schedule(problem, night(problem, short_a, {**E_SHORT, "A": reported})) == []


def test_small_shortfalls_within_the_report_tolerance(problem: DepotProblem) -> None:
    """Short by 1 Wh or 10 Wh unreported is tolerated; by 10.5 Wh it is not."""
    for watts, errors in (
        (5_998.0, []),
        (5_980.0, []),
        (5_979.0, ["A: 10 Wh short, reported 0 Wh"]),  # 10.5 Wh, rounded in the message
    ):
        assert check_schedule(problem, night(problem, power("A", 1, watts))) == errors


def test_a_reported_shortfall_that_did_not_happen(problem: DepotProblem) -> None:
    """E reported short by 2 kWh but charged on a plug after all (the report lies)."""
    plugged = {"E": Plan("CP3/1", 18, 22, (4000, 0, 0, 0, 0, 0, 0, 0))}
    assert check_schedule(problem, night(problem, plugged)) == ["E: 0 Wh short, reported 2000 Wh"]
    assert check_schedule(problem, night(problem, plugged, {})) == []
    assert check_schedule(problem, night(problem, plugged, {"E": 10.0})) == []
    assert check_schedule(problem, night(problem, plugged, {"E": 10.5})) == [
        "E: 0 Wh short, reported 10 Wh"
    ]


# ---- the site ----------------------------------------------------------------------------------
def test_site_limit_counts_grid_power_through_the_efficiency(problem: DepotProblem) -> None:
    """18:00-19:00: 11 kW into the batteries is 12.2 kW from the grid, plus 1 kW of building.

    Under a 13 kW limit that is over; battery power alone (12 kW) or times the efficiency
    (10.9 kW) would pass.
    """
    tight = dataclasses.replace(problem, site_limit_w=13_000)
    assert check_schedule(tight, night(tight)) == [
        "slot 0: site draws 13222 W over the 13000 W limit",
        "slot 1: site draws 13222 W over the 13000 W limit",
    ]


def test_site_limit_tolerance(problem: DepotProblem) -> None:
    """With a lossless charger the site draws exactly 12 kW at 18:00: 1 W over is tolerated."""
    lossless = dataclasses.replace(problem, efficiency=1.0, site_limit_w=11_999)
    assert check_schedule(lossless, night(lossless)) == []
    tighter = dataclasses.replace(lossless, site_limit_w=11_998)
    assert check_schedule(tighter, night(tighter)) == [
        "slot 0: site draws 12000 W over the 11998 W limit",
        "slot 1: site draws 12000 W over the 11998 W limit",
    ]


def test_the_building_alone_over_the_limit_is_not_the_schedules_fault(
    problem: DepotProblem,
) -> None:
    """At 21:30 the building takes 25 kW of the 20 kW: charging on top of it is the violation."""
    assert check_schedule(problem, night(problem, power("B", 7, 0.9))) == []  # +1 W from the grid
    assert check_schedule(problem, night(problem, power("B", 7, 2.0))) == [
        "slot 7: site draws 25002 W over the 20000 W limit"
    ]
