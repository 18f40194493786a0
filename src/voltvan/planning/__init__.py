"""Planning: turn a scenario into feasible EV routes (engine in ``voltvan.planning.ev``).

:func:`plan_day` plans a retailer's whole day: stops to depots, big depots cut into sectors, the
parts planned by :func:`plan_scenario` in parallel processes (or as Spark tasks,
:class:`SparkExecutor`) and stitched into one plan.
:func:`plan_scenario` is the city planner: it screens out stops no van can serve, maps the rest
onto the generic EV routing engine, replays every route with the full energy model and repairs
what that replay rejects. :func:`replan` re-plans the rest of a day from a plan and the events
read by :func:`read_events`. The independent check of their output lives in :mod:`voltvan.check`.
"""

from voltvan.planning._assign import ASSIGN_METHODS as ASSIGN_METHODS
from voltvan.planning._assign import assign_stops as assign_stops
from voltvan.planning._day import ENGINES as ENGINES
from voltvan.planning._day import MAX_STOPS_PER_SOLVE as MAX_STOPS_PER_SOLVE
from voltvan.planning._day import NO_VANS as NO_VANS
from voltvan.planning._day import DayProgress as DayProgress
from voltvan.planning._day import needs_split as needs_split
from voltvan.planning._day import plan_day as plan_day
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
from voltvan.planning._reasons import NOT_PLACED_IN_TIME as NOT_PLACED_IN_TIME
from voltvan.planning._reasons import OUT_OF_REACH as OUT_OF_REACH
from voltvan.planning._reasons import OUT_OF_REACH_LOADED as OUT_OF_REACH_LOADED
from voltvan.planning._reasons import TOO_HEAVY as TOO_HEAVY
from voltvan.planning._reasons import WINDOW_IMPOSSIBLE as WINDOW_IMPOSSIBLE
from voltvan.planning._replan import Replan as Replan
from voltvan.planning._replan import replan as replan
from voltvan.planning._replan_metrics import ReplanCounts as ReplanCounts
from voltvan.planning._replan_state import NO_TIME_ON_BOARD as NO_TIME_ON_BOARD
from voltvan.planning._spark_executor import SparkExecutor as SparkExecutor
from voltvan.planning._spark_executor import SparkTaskFailed as SparkTaskFailed
from voltvan.planning._split import Part as Part
from voltvan.planning._split import split_day as split_day
from voltvan.planning.ev import Deadline as Deadline

__all__ = [
    "ASSIGN_METHODS",
    "ENGINES",
    "EVENTS_FORMAT_VERSION",
    "FINISH_SHARE",
    "MATRIX_DEPART_S",
    "MAX_STOPS_PER_SOLVE",
    "MIN_RESOLVE_SHARE",
    "NOT_PLACED_IN_TIME",
    "NO_CAPACITY",
    "NO_TIME_ON_BOARD",
    "NO_VANS",
    "OUT_OF_REACH",
    "OUT_OF_REACH_LOADED",
    "RELOAD_S",
    "TOO_HEAVY",
    "WINDOW_IMPOSSIBLE",
    "DayProgress",
    "Deadline",
    "Events",
    "Part",
    "Replan",
    "ReplanCounts",
    "SparkExecutor",
    "SparkTaskFailed",
    "assign_stops",
    "needs_split",
    "parse_events",
    "plan_day",
    "plan_scenario",
    "read_events",
    "replan",
    "split_day",
]
