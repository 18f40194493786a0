"""The domain model: depots, vehicle types, vans, stops, chargers and the fleet that ties them.

Everything here is plain, immutable data in SI units (m, s, kg, W, Wh, °C), checked where it is
built so that no other layer has to distrust it. Times of day are seconds after midnight of the
service day (``0 <= t < 2 * 86400`` so that night shifts can run past midnight). State of charge
is a fraction in [0, 1]. Files and the API convert at their edges.

Beyond sign and type, every physical quantity must lie in its plausible range
(:mod:`voltvan.ranges`): a finite but absurd value (a van of 1e308 kg) would otherwise pass here
and break the arithmetic of every layer above.

This package imports nothing from voltvan but the errors and the ranges: it is the bottom layer.
"""

from voltvan.domain._fleet import Fleet as Fleet
from voltvan.domain._lookup import index_by_id as index_by_id
from voltvan.domain._places import Charger as Charger
from voltvan.domain._places import ChargerKind as ChargerKind
from voltvan.domain._places import Depot as Depot
from voltvan.domain._places import Stop as Stop
from voltvan.domain._scenario import Scenario as Scenario
from voltvan.domain._scenario import TravelMatrix as TravelMatrix
from voltvan.domain._tariff import Tariff as Tariff
from voltvan.domain._tariff import TariffPeriod as TariffPeriod
from voltvan.domain._time import DAY_S as DAY_S
from voltvan.domain._time import MAX_TIME_S as MAX_TIME_S
from voltvan.domain._time import TimeWindow as TimeWindow
from voltvan.domain._time import format_hhmm as format_hhmm
from voltvan.domain._vehicles import ConsumptionParams as ConsumptionParams
from voltvan.domain._vehicles import CurrentKind as CurrentKind
from voltvan.domain._vehicles import Van as Van
from voltvan.domain._vehicles import VehicleType as VehicleType

__all__ = [
    "DAY_S",
    "MAX_TIME_S",
    "Charger",
    "ChargerKind",
    "ConsumptionParams",
    "CurrentKind",
    "Depot",
    "Fleet",
    "Scenario",
    "Stop",
    "Tariff",
    "TariffPeriod",
    "TimeWindow",
    "TravelMatrix",
    "Van",
    "VehicleType",
    "format_hhmm",
    "index_by_id",
]
