"""The EV routing engine: PyVRP routes plus battery energy, reserve and partial-charging stops.

Feed it an :class:`EvInstance` (matrices; depots, clients, stations) and get an
:class:`EvSolution` whose routes carry the charging stops and the energy charged at each.
"""

from voltvan.planning.ev._deadline import Deadline as Deadline
from voltvan.planning.ev._model import (
    EvInstance as EvInstance,
)
from voltvan.planning.ev._model import (
    EvProgress as EvProgress,
)
from voltvan.planning.ev._model import (
    EvRoute as EvRoute,
)
from voltvan.planning.ev._model import (
    EvSolution as EvSolution,
)
from voltvan.planning.ev._model import (
    EvVehicleType as EvVehicleType,
)
from voltvan.planning.ev._solve import solve_ev as solve_ev

__all__ = [
    "Deadline",
    "EvInstance",
    "EvProgress",
    "EvRoute",
    "EvSolution",
    "EvVehicleType",
    "solve_ev",
]
