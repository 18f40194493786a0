"""Inconsistent charging input is refused with an error naming the field."""

from __future__ import annotations

import pytest

from tests.charging.conftest import request
from voltvan.charging import ChargeRequest, Connector, DepotProblem, Taper
from voltvan.errors import InvalidInput


def _field(exc: pytest.ExceptionInfo[InvalidInput]) -> str | None:
    return exc.value.where.field


def test_departure_before_arrival_names_departure() -> None:
    """A van leaving before it arrives is an error on the departure field."""
    with pytest.raises(InvalidInput) as exc:
        request("A", 22, 20, 0.2, 10_000)
    assert _field(exc) == "departure"


def test_negative_power_names_the_field() -> None:
    """Negative van or connector power is refused."""
    with pytest.raises(InvalidInput) as exc:
        ChargeRequest("A", 60_000, 0, 10, 0.5, 1, max_ac_power_w=-1.0)
    assert _field(exc) == "max_ac_power_w"
    with pytest.raises(InvalidInput) as exc2:
        Connector("CP1", 1, -11_000)
    assert _field(exc2) == "power_w"


def test_need_above_battery_names_energy_needed() -> None:
    """A route needing more than the battery holds cannot be charged for."""
    with pytest.raises(InvalidInput) as exc:
        request("A", 18, 30, 0.2, 70_000)
    assert _field(exc) == "energy_needed_wh"
    assert "60000" in str(exc.value)


def test_unknown_charger_id_names_charger_id() -> None:
    """A van pinned to a charger the depot does not have is refused."""
    with pytest.raises(InvalidInput) as exc:
        DepotProblem(
            (request("A", 18, 30, 0.2, 1, charger_id="NOPE"),),
            (Connector("CP1", 1, 11_000),),
            20_000,
        )
    assert _field(exc) == "charger_id"
    assert "NOPE" in str(exc.value)


def test_taper_must_be_concave() -> None:
    """A taper curve that rises again cannot be written as LP constraints."""
    with pytest.raises(InvalidInput):
        Taper(((0.0, 1.0), (0.5, 0.5), (1.0, 1.0)))
    assert Taper().fraction(0.9) == pytest.approx(0.65)


def test_slot_grid_covers_all_stays() -> None:
    """The grid starts at the first arrival (floored to a slot), ends after the last departure."""
    p = DepotProblem((request("A", 18.1, 30.2, 0.2, 1),), (Connector("C", 1, 1e4),), 2e4)
    assert p.grid_start_s == 18 * 3600
    assert p.grid_start_s + p.grid_num_slots * p.slot_s >= 30.2 * 3600
