"""Planning: turn a scenario into feasible EV routes (engine in ``voltvan.planning.ev``).

:func:`plan_scenario` is the city planner: it screens out stops no van can serve, maps the rest
onto the generic EV routing engine, replays every route with the full energy model and repairs
what that replay rejects. The independent check of its output lives in :mod:`voltvan.check`.
"""

from voltvan.planning._planner import MATRIX_DEPART_S as MATRIX_DEPART_S
from voltvan.planning._planner import plan_scenario as plan_scenario
from voltvan.planning._reasons import NO_CAPACITY as NO_CAPACITY
from voltvan.planning._reasons import OUT_OF_REACH as OUT_OF_REACH
from voltvan.planning._reasons import OUT_OF_REACH_LOADED as OUT_OF_REACH_LOADED
from voltvan.planning._reasons import TOO_HEAVY as TOO_HEAVY
from voltvan.planning._reasons import WINDOW_IMPOSSIBLE as WINDOW_IMPOSSIBLE

__all__ = [
    "MATRIX_DEPART_S",
    "NO_CAPACITY",
    "OUT_OF_REACH",
    "OUT_OF_REACH_LOADED",
    "TOO_HEAVY",
    "WINDOW_IMPOSSIBLE",
    "plan_scenario",
]
