"""voltvan: plan, charge and run fleets of electric delivery vans."""

from voltvan.domain import (
    Charger as Charger,
)
from voltvan.domain import (
    ConsumptionParams as ConsumptionParams,
)
from voltvan.domain import (
    Depot as Depot,
)
from voltvan.domain import (
    Fleet as Fleet,
)
from voltvan.domain import (
    Scenario as Scenario,
)
from voltvan.domain import (
    Stop as Stop,
)
from voltvan.domain import (
    Tariff as Tariff,
)
from voltvan.domain import (
    TimeWindow as TimeWindow,
)
from voltvan.domain import (
    Van as Van,
)
from voltvan.domain import (
    VehicleType as VehicleType,
)
from voltvan.errors import InvalidInput as InvalidInput
from voltvan.errors import VoltvanError as VoltvanError

__all__ = [
    "Charger",
    "ConsumptionParams",
    "Depot",
    "Fleet",
    "InvalidInput",
    "Scenario",
    "Stop",
    "Tariff",
    "TimeWindow",
    "Van",
    "VehicleType",
    "VoltvanError",
]

__version__ = "0.1.0"
