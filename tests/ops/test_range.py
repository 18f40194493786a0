"""Route-aware range: the plan's state of charge ahead, shifted by the live one; short -> warned."""

from __future__ import annotations

import pytest

from voltvan.ops import LiveSoc, range_ahead
from voltvan.plan import Route, Visit

BATTERY_WH = 50_000.0
RESERVE_WH = 5_000.0


def _v(
    kind: str, loc: str, energy_wh: float, *, charge_wh: float = 0.0, lat: float = 52.5
) -> Visit:
    t = 8 * 3600.0
    return Visit(
        kind,  # type: ignore[arg-type]
        loc,
        lat,
        13.4,
        t,
        t,
        t + (1800 if charge_wh else 60),
        0.0,
        0.0,
        energy_wh,
        energy_wh / BATTERY_WH,
        energy_from_prev_wh=2_000.0,
        charge_wh=charge_wh,
    )


def route(*visits: Visit) -> Route:
    """energy_needed_wh as the planner writes it: worst net use plus the reserve."""
    used = visits[0].energy_wh - min(v.energy_wh for v in visits)
    return Route("V01", "vt", "D1", visits, 1000.0, used, 0.0, used + RESERVE_WH)


# start 40 kWh; each leg 2 kWh (energy_from_prev_wh); back at the depot with 32 kWh
DAY = route(
    _v("start", "D1", 40_000),
    _v("stop", "S1", 38_000),
    _v("stop", "S2", 36_000),
    _v("stop", "S3", 34_000),
    _v("end", "D1", 32_000),
)


def test_battery_and_reserve_come_from_the_plan() -> None:
    out = range_ahead(DAY, {}, [], None)
    assert out["battery_wh"] == pytest.approx(BATTERY_WH)
    assert out["reserve_wh"] == pytest.approx(RESERVE_WH)
    assert [a["location_id"] for a in out["ahead"]] == ["S1", "S2", "S3", "D1"]
    assert out["return_soc"] == pytest.approx(32_000 / BATTERY_WH)
    assert out["warning"] is None and out["short_wh"] == 0


def test_done_stops_drop_out_and_live_soc_shifts_what_is_left() -> None:
    """S1 and S2 done; the plan expected 36 kWh leaving S2 (34 on arrival at S3 + the 2 kWh
    leg); the van reports 60 % = 30 kWh, so everything ahead is 6 kWh lower."""
    live = LiveSoc(soc=0.6, at_us=1_772_000_000_000_000)
    out = range_ahead(DAY, {"S1": "delivered", "S2": "failed"}, [], live)
    assert [a["location_id"] for a in out["ahead"]] == ["S3", "D1"]
    assert out["offset_wh"] == pytest.approx(-6_000)
    assert [a["energy_wh"] for a in out["ahead"]] == pytest.approx([28_000, 26_000])
    assert out["live"]["soc"] == 0.6 and out["warning"] is None


def test_a_route_that_runs_below_the_reserve_is_warned_with_the_days_nearest_charger() -> None:
    """Live 25 % = 12.5 kWh where the plan expected 40: the depot arrival would be at
    4.5 kWh, 0.5 kWh under the 5 kWh reserve. The nearer of two chargers is named."""
    far = _v("charge", "CH-far", 20_000, charge_wh=10_000, lat=53.5)
    near = _v("charge", "CH-near", 20_000, charge_wh=11_000, lat=52.51)
    out = range_ahead(DAY, {}, [far, near], LiveSoc(soc=0.25, at_us=0))
    assert out["short_wh"] == pytest.approx(500)
    assert [a["below_reserve"] for a in out["ahead"]] == [False, False, False, True]
    assert "0.5 kWh" in out["warning"] and "before D1" in out["warning"]
    charger = out["charger"]
    assert charger["location_id"] == "CH-near" and charger["planned"] is False
    assert charger["power_w"] == pytest.approx(11_000 / 1800 * 3600)
    assert charger["charge_s"] == pytest.approx(500 / charger["power_w"] * 3600)


def test_a_charge_stop_still_on_the_route_is_the_one_named() -> None:
    with_charge = route(
        _v("start", "D1", 20_000),
        _v("stop", "S1", 10_000),
        _v("charge", "CH1", 6_000, charge_wh=20_000, lat=52.6),
        _v("end", "D1", 24_000),
    )
    assert range_ahead(with_charge, {}, [], None)["reserve_wh"] == pytest.approx(RESERVE_WH)
    out = range_ahead(with_charge, {}, [], LiveSoc(soc=0.2, at_us=0))  # 2 kWh under the plan
    assert out["short_wh"] == pytest.approx(1_000) and "before CH1" in out["warning"]
    assert out["charger"]["location_id"] == "CH1" and out["charger"]["planned"] is True


def test_short_without_any_charger_warns_and_names_none() -> None:
    out = range_ahead(DAY, {}, [], LiveSoc(soc=0.2, at_us=0))
    assert out["warning"] is not None and out["charger"] is None


def test_a_charge_stop_fills_no_further_than_full() -> None:
    """The plan leaves S1 with 8 kWh and charges 20 kWh at CH1; a van leaving S1 at 90 %
    (45 kWh, 37 above its plan) reaches CH1 with 43 kWh and leaves it full (50), not 37 kWh
    over its plan: it is back home with 48 kWh (the last leg, 2 kWh), not a shifted 61."""
    with_charge = route(
        _v("start", "D1", 20_000),
        _v("stop", "S1", 10_000),
        _v("charge", "CH1", 6_000, charge_wh=20_000, lat=52.6),
        _v("end", "D1", 24_000),
    )
    out = range_ahead(with_charge, {"S1": "delivered"}, [], LiveSoc(soc=0.9, at_us=0))
    assert [a["energy_wh"] for a in out["ahead"]] == pytest.approx([43_000, 48_000])


def test_arrived_is_where_the_van_is_and_the_stop_is_still_ahead() -> None:
    """The console's return state of charge uses the same rule: at S2 (arrived, not delivered)
    with 60 % = 30 kWh, S2 itself is ahead at what the battery holds now, then S3 and home."""
    live = LiveSoc(soc=0.6, at_us=0)
    out = range_ahead(DAY, {"S1": "delivered", "S2": "arrived"}, [], live)
    assert [a["location_id"] for a in out["ahead"]] == ["S2", "S3", "D1"]
    assert [a["energy_wh"] for a in out["ahead"]] == pytest.approx([30_000, 28_000, 26_000])
    # arrived at S1 only: S1 done or not, the legs before it are not counted again
    out = range_ahead(DAY, {"S1": "arrived"}, [], LiveSoc(soc=0.76, at_us=0))
    assert [a["location_id"] for a in out["ahead"]] == ["S1", "S2", "S3", "D1"]
    assert out["ahead"][0]["energy_wh"] == pytest.approx(38_000)
    assert out["return_soc"] == pytest.approx(32_000 / BATTERY_WH)
