"""Planning: turn a scenario into feasible EV routes (engine in ``voltvan.planning.ev``).

:func:`plan_scenario` is the city planner: it screens out stops no van can serve, maps the rest
onto the generic EV routing engine, replays every route with the full energy model and repairs
what that replay rejects. :func:`replan` re-plans the rest of a day from a plan and the events
read by :func:`read_events`. The independent check of their output lives in :mod:`voltvan.check`.
"""

from voltvan.planning._events import EVENTS_FORMAT_VERSION as EVENTS_FORMAT_VERSION
from voltvan.planning._events import Events as Events
from voltvan.planning._events import parse_events as parse_events
from voltvan.planning._events import read_events as read_events
from voltvan.planning._origin import RELOAD_S as RELOAD_S
from voltvan.planning._planner import FINISH_SHARE as FINISH_SHARE
from voltvan.planning._planner import MATRIX_DEPART_S as MATRIX_DEPART_S
from voltvan.planning._planner import MIN_RESOLVE_SHARE as MIN_RESOLVE_SHARE
from voltvan.planning._planner import plan_scenario as plan_scenario
from voltvan.planning._reasons import NO_CAPACITY as NO_CAPACITY
from voltvan.planning._reasons import OUT_OF_REACH as OUT_OF_REACH
from voltvan.planning._reasons import OUT_OF_REACH_LOADED as OUT_OF_REACH_LOADED
from voltvan.planning._reasons import TOO_HEAVY as TOO_HEAVY
from voltvan.planning._reasons import WINDOW_IMPOSSIBLE as WINDOW_IMPOSSIBLE
from voltvan.planning._replan import NO_TIME_ON_BOARD as NO_TIME_ON_BOARD
from voltvan.planning._replan import Replan as Replan
from voltvan.planning._replan import replan as replan
from voltvan.planning._replan_metrics import ReplanCounts as ReplanCounts
from voltvan.planning.ev import Deadline as Deadline

__all__ = [
    "EVENTS_FORMAT_VERSION",
    "FINISH_SHARE",
    "MATRIX_DEPART_S",
    "MIN_RESOLVE_SHARE",
    "NO_CAPACITY",
    "NO_TIME_ON_BOARD",
    "OUT_OF_REACH",
    "OUT_OF_REACH_LOADED",
    "RELOAD_S",
    "TOO_HEAVY",
    "WINDOW_IMPOSSIBLE",
    "Deadline",
    "Events",
    "Replan",
    "ReplanCounts",
    "parse_events",
    "plan_scenario",
    "read_events",
    "replan",
]
