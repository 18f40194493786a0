"""Times of day and numbers at the file edge: parsing, formatting, refusing."""

from __future__ import annotations

import pytest

from voltvan.errors import InvalidInput
from voltvan.scenario._units import format_time, kilo_exact, parse_number, parse_time


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("00:00", 0), ("08:30", 30_600), ("24:00", 86_400), ("25:15:30", 90_930), ("7:05", 25_500)],
)
def test_parse_time(text: str, seconds: float) -> None:
    """HH:MM and HH:MM:SS become seconds after midnight, hours past 24 allowed."""
    assert parse_time(text, "tw_start") == seconds


@pytest.mark.parametrize("text", ["9h30", "08:60", "", "noon", "48:01", "-1:00"])
def test_parse_time_refuses(text: str) -> None:
    """Anything else is InvalidInput naming the field."""
    with pytest.raises(InvalidInput) as info:
        parse_time(text, "tw_end")
    assert info.value.where.field == "tw_end"


@pytest.mark.parametrize("t", [0.0, 3600.0, 30_601.0, 30_600.5, 86_399.999, 1e-7, 172_800.0])
def test_format_time_round_trips(t: float) -> None:
    """Formatting then parsing gives back the same float."""
    assert parse_time(format_time(t), "t") == t


@pytest.mark.parametrize("bad", ["1,5", "abc", "nan", "inf", True, None])
def test_parse_number_refuses(bad: object) -> None:
    """Text that is not a finite number, bools and missing values are refused."""
    with pytest.raises(InvalidInput):
        parse_number(bad, "weight_kg")


def test_kilo_exact_only_when_short_and_exact() -> None:
    """kWh are used only where they read back exactly and stay short."""
    assert kilo_exact(64_000.0) == 64.0
    assert kilo_exact(11_300.0) == 11.3
    assert kilo_exact(68_123.4567) is None
