"""Real acnportal tariffs are read with their seasons, day masks and demand charges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import data_path
from voltvan.charging._tariffs import read_acn_tariff
from voltvan.errors import InvalidInput


def test_sce_tou_ev_4_summer_weekday() -> None:
    """SCE TOU-EV-4 on a July Tuesday: 0.26668 $/kWh from noon to 18:00, 15.51 $/kW demand."""
    t = read_acn_tariff(
        data_path("real", "acnportal-tou-tariffs", "sce_tou_ev_4_march_2019.json"),
        date=dt.date(2019, 7, 2),
    )
    assert t.price_at(13 * 3600) == pytest.approx(0.26668)
    assert t.price_at(2 * 3600) == pytest.approx(0.05623)
    assert t.price_at(23.5 * 3600) == pytest.approx(0.05623)
    assert t.demand_charge_per_kw == pytest.approx(15.51)
    assert t.currency == "USD"


def test_pge_a10_winter_season_wraps_the_new_year() -> None:
    """PG&E A-10's winter runs November to April: a January day gets the winter prices."""
    t = read_acn_tariff(
        data_path("real", "acnportal-tou-tariffs", "pge_a10_tou_aug_2019.json"),
        date=dt.date(2020, 1, 15),
    )
    assert t.price_at(10 * 3600) == pytest.approx(0.1477)
    assert t.demand_charge_per_kw == pytest.approx(11.66)


def test_every_acnportal_tariff_reads() -> None:
    """All five acnportal files give a tariff on a weekday in each season."""
    folder = data_path("real", "acnportal-tou-tariffs")
    files = sorted(folder.glob("*.json"))
    assert len(files) == 5
    for f in files:
        for day in (dt.date(2019, 1, 8), dt.date(2019, 7, 9)):
            assert read_acn_tariff(f, date=day).periods


def test_mismatched_times_name_the_entry(tmp_path: Path) -> None:
    """A schedule whose times and prices differ in length is refused, naming the entry."""
    f = tmp_path / "bad.json"
    f.write_text(
        '{"schedule": [{"dow_mask": "ALL", "effective_start": "01-01", "effective_end": '
        '"12-31", "times": [0, 8], "tariffs": [0.1], "demand_charge": 0}]}'
    )
    with pytest.raises(InvalidInput) as exc:
        read_acn_tariff(f, date=dt.date(2019, 5, 5))
    assert exc.value.where.field == "schedule[0].times"
