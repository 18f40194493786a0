"""Each row of the charging LP does its job: nights so small that the optimum is known by hand.

Half-hour slots from midnight, so every power in W is twice the energy in Wh of its slot; the
grid side is the battery side / 0.9. Each test makes one kind of row bind (the plugged window,
the site limit, the peak, the connector share, the taper, the need) and asserts the optimum.
"""

from __future__ import annotations

import pytest

from voltvan.charging import ChargeRequest, Connector, DepotProblem
from voltvan.charging._lp import (
    EARLY_TIE_PER_KWH,
    SMOOTHING_PER_KW,
    Window,
    _build,
    shortfall_penalty_per_wh,
    solve_lp,
)
from voltvan.domain import Tariff, TariffPeriod

H = 3600.0
SLOT_S = 1800.0
EFF = 0.9


def _van(vid: str, soc: float, need_wh: float, *, battery_wh: float = 60_000) -> ChargeRequest:
    return ChargeRequest(vid, battery_wh, 0.0, 2 * H, soc, need_wh)


def _night(
    *vans: ChargeRequest,
    prices: tuple[float, ...] = (0.1, 0.1, 0.1, 0.1),
    site_w: float = 100_000,
    base_w: tuple[float, ...] = (),
    demand_per_kw: float = 0.0,
) -> DepotProblem:
    periods = tuple(
        TariffPeriod(k * SLOT_S, (k + 1) * SLOT_S, price) for k, price in enumerate(prices)
    )
    return DepotProblem(
        vans,
        (Connector("CP1", 1, 22_000),),
        site_limit_w=site_w,
        tariff=Tariff(periods, demand_charge_per_kw=demand_per_kw),
        slot_s=SLOT_S,
        efficiency=EFF,
        base_load_w=base_w,
        num_slots=len(prices),
    )


def _stay(rate_w: float = 11_000, start_h: float = 0.0, end_h: float = 2.0) -> Window:
    return Window(start_h * H, end_h * H, rate_w)


def test_the_window_and_its_partly_covered_slots() -> None:
    """Plugged 00:15-01:30 at 7 kW: half of slot 0, all of 1 and 2, none of 3 (no variable)."""
    p = _night(_van("V", 0.1, 30_000))  # needs 24 kWh: far more than 8.75 kWh can come
    w = {"V": _stay(7_000, 0.25, 1.5)}
    res = solve_lp(p, w)
    assert res.power_w["V"] == pytest.approx([3_500, 7_000, 7_000, 0])
    assert res.shortfall_wh["V"] == pytest.approx(24_000 - 8_750)
    assert [k for _, k, _ in _build(p, w, None, None, None, EARLY_TIE_PER_KWH).x_of] == [0, 1, 2]


def test_a_van_that_needs_nothing_or_has_no_window_gets_no_power_variables() -> None:
    full = _van("F", 0.5, 30_000)  # holds what it needs
    p = _night(full, _van("N", 0.1, 30_000), _van("Z", 0.1, 30_000))
    m = _build(p, {"F": _stay(), "Z": _stay(0.0)}, None, None, None, EARLY_TIE_PER_KWH)
    assert m.x_of == []
    assert m.required_wh == {"F": 0.0, "N": 24_000.0, "Z": 24_000.0}
    res = solve_lp(p, {"F": _stay(), "Z": _stay(0.0)})
    assert res.shortfall_wh == pytest.approx({"F": 0.0, "N": 24_000.0, "Z": 24_000.0})


def test_the_need_is_met_and_not_exceeded_even_when_energy_is_free() -> None:
    """3 kWh needed; the first slot costs nothing and could hold 5.5 kWh, and the building's
    20 kW at the end sets the peak whatever the van does: only the need caps the energy."""
    p = _night(_van("V", 0.5, 33_000), prices=(0.0, 0.1, 0.1, 0.1), base_w=(0, 0, 0, 20_000))
    res = solve_lp(p, {"V": _stay(end_h=1.5)})
    assert res.power_w["V"] == pytest.approx([6_000, 0, 0, 0])
    assert res.shortfall_wh["V"] == pytest.approx(0.0)


def test_the_site_limit_is_on_grid_power_after_the_building() -> None:
    """10 kW from the grid, the building takes 2 kW (1 kW in the last slot): the two vans share
    7.2 kW (8.1 kW) of battery power."""
    p = _night(_van("A", 0.1, 50_000), _van("B", 0.1, 50_000), site_w=10_000,
               base_w=(2_000, 2_000, 2_000, 1_000))  # fmt: skip
    res = solve_lp(p, {"A": _stay(), "B": _stay()})
    per_slot = [a + b for a, b in zip(res.power_w["A"], res.power_w["B"], strict=True)]
    assert per_slot == pytest.approx([7_200, 7_200, 7_200, 8_100])
    total_wh = sum(per_slot) * SLOT_S / H
    assert sum(res.shortfall_wh.values()) == pytest.approx(2 * 44_000 - total_wh)


def test_the_demand_charge_flattens_the_grid_peak_building_included() -> None:
    """3 kWh over two slots at 10 EUR/kW of peak; the building draws 2 kW in the first one.

    The cheapest night evens the grid power out: 2 kW + p0 / 0.9 = p1 / 0.9 with
    p0 + p1 = 6 kW, so p0 = 2.1 kW and p1 = 3.9 kW, though the first slot is cheaper.
    """
    p = _night(_van("V", 0.5, 33_000), prices=(0.10, 0.11), base_w=(2_000, 0), demand_per_kw=10)
    res = solve_lp(p, {"V": _stay(end_h=1.0)})
    assert res.power_w["V"] == pytest.approx([2_100, 3_900])
    peak_w = 2_000 + 2_100 / EFF
    energy = (2_100 * 0.10 + 3_900 * 0.11) * 0.5 / 1000 / EFF
    early = EARLY_TIE_PER_KWH / 1000 * 3_900 * 0.5 * 1 / 2
    peak_cost = (10 + SMOOTHING_PER_KW) / 1000 * peak_w
    assert res.objective == pytest.approx(energy + early + peak_cost, rel=1e-6)


def test_the_building_alone_can_set_the_peak() -> None:
    """The building's 10 kW in slot 2 (no van plugged) is the peak anyway, so the van charges
    all in the cheap first slot; the peak is still paid."""
    p = _night(_van("V", 0.5, 33_000), prices=(0.10, 0.11, 0.1), base_w=(2_000, 0, 10_000),
               demand_per_kw=10)  # fmt: skip
    res = solve_lp(p, {"V": _stay(end_h=1.0)})
    assert res.power_w["V"] == pytest.approx([6_000, 0, 0])
    energy = 6_000 * 0.10 * 0.5 / 1000 / EFF
    assert res.objective == pytest.approx(energy + (10 + SMOOTHING_PER_KW) * 10, rel=1e-6)


def test_without_a_demand_charge_the_energy_price_decides() -> None:
    p = _night(_van("V", 0.5, 33_000), prices=(0.11, 0.10), base_w=(0, 2_000))
    res = solve_lp(p, {"V": _stay(end_h=1.0)})
    assert res.power_w["V"] == pytest.approx([0, 6_000])
    energy = 6_000 * 0.10 * 0.5 / 1000 / EFF
    early = EARLY_TIE_PER_KWH / 1000 * 3_000 * 1 / 2
    peak = SMOOTHING_PER_KW / 1000 * (2_000 + 6_000 / EFF)
    assert res.objective == pytest.approx(energy + early + peak, rel=1e-6)


def test_a_shortfall_costs_the_penalty() -> None:
    p = _night(_van("V", 0.1, 30_000), prices=(0.1, 0.1))
    res = solve_lp(p, {"V": _stay(end_h=1.0)})
    assert res.power_w["V"] == pytest.approx([11_000, 11_000])
    short = 24_000 - 11_000
    energy = 22_000 * 0.5 * 0.1 / 1000 / EFF + EARLY_TIE_PER_KWH / 1000 * 5_500 / 2
    peak = SMOOTHING_PER_KW / 1000 * 11_000 / EFF
    penalty = shortfall_penalty_per_wh(p) * short
    assert res.objective == pytest.approx(energy + peak + penalty, rel=1e-6)


def test_a_real_price_difference_beats_the_charge_early_tie_break() -> None:
    """Equal prices: the first slot. The second cheaper by 0.1 ct/kWh: the second slot. (The
    building's 20 kW in slot 2 sets the peak, so smoothing plays no part.)"""
    for prices, expected in (((0.1, 0.1, 0.1), [6_000, 0, 0]), ((0.101, 0.1, 0.1), [0, 6_000, 0])):
        p = _night(_van("V", 0.5, 33_000), prices=prices, base_w=(0, 0, 20_000))
        assert solve_lp(p, {"V": _stay(end_h=1.0)}).power_w["V"] == pytest.approx(expected)


def test_connector_shares_limit_each_slot() -> None:
    """One connector's worth per slot: a 7 kW van's power counts against 7 kW, an 11 kW van's
    against 11 kW. All to the faster van (more energy per share), the slower gets nothing."""
    p = _night(_van("S", 0.1, 50_000), _van("F", 0.1, 50_000))
    res = solve_lp(p, {"S": _stay(7_000), "F": _stay(11_000)}, occupancy_limit=1)
    assert res.power_w["F"] == pytest.approx([11_000] * 4)
    assert res.power_w["S"] == pytest.approx([0] * 4)
    res = solve_lp(p, {"S": _stay(7_000), "F": _stay(11_000)}, occupancy_limit=2)
    assert res.power_w["S"] == pytest.approx([7_000] * 4)


def test_the_taper_follows_the_energy_already_charged() -> None:
    """From 75 % of 60 kWh at 11 kW: full power to 80 %, then 3.8 - 3.5 soc of it per slot.

    Three slots cannot fill the battery, so the most energy is the answer: the taper's limit
    in each slot, reached from the energy of all the slots before."""
    v = _van("V", 0.75, 60_000)
    res = solve_lp(_night(v, prices=(0.1, 0.1, 0.1)), {"V": _stay(end_h=1.5)})
    energy, expected = 45_000.0, []
    for _ in range(3):
        p_w = 11_000 * v.taper.fraction(energy / 60_000)
        expected.append(p_w)
        energy += p_w * 0.5
    assert expected[0] == 11_000 and expected[1] < 11_000  # the taper binds from slot 1 on
    assert res.power_w["V"] == pytest.approx(expected)
    assert res.shortfall_wh["V"] == pytest.approx(60_000 - energy)


def test_below_the_taper_a_full_battery_is_not_slowed() -> None:
    """From 10 % to 80 % of a 60 kWh battery stays on the flat part: full power throughout."""
    res = solve_lp(_night(_van("V", 0.1, 48_000)), {"V": _stay()})
    assert res.power_w["V"] == pytest.approx([11_000] * 4)


def test_a_van_that_stays_below_the_taper_gets_no_taper_rows() -> None:
    """Up to 2/3 of the battery the taper cannot bind: no running-energy variables, no rows.

    The van beside it, filling up to 100 %, gets them (one per slot after the first)."""
    p = _night(_van("L", 0.1, 40_000), _van("F", 0.75, 60_000))
    w = {"L": _stay(), "F": _stay()}
    low = _build(p, {"L": w["L"]}, None, None, None, EARLY_TIE_PER_KWH)
    assert low.a_eq is None
    assert len(low.cost) == 4 + 2 + 1  # power per slot, a shortfall per van, the peak
    both = _build(p, w, None, None, None, EARLY_TIE_PER_KWH)
    assert both.a_eq is not None and both.a_eq.shape == (3, 4 + 4 + 2 + 3 + 1)


def test_the_smallest_need_and_the_smallest_rate_still_charge() -> None:
    """1 Wh of need gets its variables; so does a window at 1 W."""
    p = _night(_van("V", 0.5, 30_001), _van("W", 0.1, 30_000), prices=(0.1, 0.1))
    res = solve_lp(p, {"V": _stay(end_h=1.0), "W": _stay(1.0, end_h=1.0)})
    assert res.shortfall_wh["V"] == pytest.approx(0.0, abs=1e-6)
    assert sum(res.power_w["V"]) == pytest.approx(2.0)
    assert res.power_w["W"] == pytest.approx([1.0, 1.0])


def test_the_charge_early_term_grows_over_the_night() -> None:
    """Free energy, the peak set by the building: the objective is the tie-break alone (at 1 EUR
    per kWh over the whole night here), plus the peak's smoothing price."""
    p = _night(_van("V", 0.5, 33_000), prices=(0.0, 0.0, 0.0), base_w=(0, 0, 20_000))
    res = solve_lp(p, {"V": _stay(11_000, 0.5, 1.0)}, early_per_kwh=1.0)  # slot 1 only
    assert res.power_w["V"] == pytest.approx([0, 6_000, 0])
    early = 1.0 / 1000 * 1 / 3 * 3_000
    assert res.objective == pytest.approx(early + SMOOTHING_PER_KW * 20, rel=1e-9)


def test_shortfall_weights_choose_who_is_met() -> None:
    """8 kWh for two needs of 6 kWh: the van with the larger weight is met, the other gets the
    remaining 2 kWh (a weight below the default 1 loses to it)."""
    p = _night(_van("A", 0.5, 36_000), _van("B", 0.5, 36_000), site_w=4_000 / 0.9)
    w = {"A": _stay(), "B": _stay()}
    for heavy, light in (("A", "B"), ("B", "A")):
        res = solve_lp(p, w, shortfall_weights={heavy: 2.0})
        assert res.shortfall_wh[heavy] == pytest.approx(0.0, abs=1e-6)
        assert res.shortfall_wh[light] == pytest.approx(4_000)
    res = solve_lp(p, w, shortfall_weights={"B": 0.5})
    assert res.shortfall_wh == pytest.approx({"A": 0.0, "B": 4_000}, abs=1e-6)


def test_early_weights_decide_who_charges_first() -> None:
    """The site carries one van at a time; the van with the larger weight goes first.

    The tie-break is raised to 1 ct/kWh over the night so that it clears the solver's
    tolerances by far in this tiny night (at its default the order is left to the solver)."""
    p = _night(_van("A", 0.5, 33_000), _van("B", 0.5, 33_000), site_w=6_000 / 0.9,
               prices=(0.1, 0.1))  # fmt: skip
    w = {"A": _stay(end_h=1.0), "B": _stay(end_h=1.0)}
    res = solve_lp(p, w, early_weights={"B": 3.0}, early_per_kwh=0.01)
    assert (res.power_w["A"], res.power_w["B"]) == (
        pytest.approx([0, 6e3]),
        pytest.approx([6e3, 0]),
    )
    res = solve_lp(
        p, w, early_weights={"B": 0.5}, early_per_kwh=0.01
    )  # below the default 1: A goes first
    assert (res.power_w["A"], res.power_w["B"]) == (
        pytest.approx([6e3, 0]),
        pytest.approx([0, 6e3]),
    )
