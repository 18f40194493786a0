"""What energy costs: a time-of-use tariff of daily periods and an optional demand charge.

Kept apart from the chargers because the tariff belongs to the fleet's grid connection, not to
a charging point: the depot schedule prices every slot of the night by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from voltvan.domain._checks import _require
from voltvan.domain._time import DAY_S, TimeWindow
from voltvan.ranges import check_range


@dataclass(frozen=True, slots=True)
class TariffPeriod:
    """Energy price in a span of the day (seconds after midnight, repeating daily)."""

    start_s: float
    end_s: float
    price_per_kwh: float

    def __post_init__(self) -> None:
        check_range(self.price_per_kwh, "price_per_kwh", owner="tariff period")
        TimeWindow(self.start_s, self.end_s)


@dataclass(frozen=True, slots=True)
class Tariff:
    """A time-of-use tariff with an optional demand charge on the peak power of the period."""

    periods: tuple[TariffPeriod, ...] = (TariffPeriod(0.0, DAY_S, 0.25),)
    demand_charge_per_kw: float = 0.0
    currency: str = "EUR"

    def __post_init__(self) -> None:
        check_range(self.demand_charge_per_kw, "demand_charge_per_kw", owner="tariff")
        _require(len(self.periods) > 0, "tariff needs at least one period", "periods")

    def price_at(self, t_s: float) -> float:
        """Price per kWh at a time of day (wraps at midnight); the last matching period wins."""
        tod = t_s % DAY_S
        price = self.periods[0].price_per_kwh
        for p in self.periods:
            if p.start_s <= tod < p.end_s:
                price = p.price_per_kwh
        return price
