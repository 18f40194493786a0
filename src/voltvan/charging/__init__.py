"""Depot charging that follows the plan: schedule (LP on HiGHS), shortfall fixes, OCPP server.

The scheduler reads a :class:`DepotProblem` (built from the fleet, the plan and the vans'
arrivals by :func:`problem_from_plan`) and returns a :class:`Schedule`; the OCPP central system
applies it to real chargers as transaction profiles and re-plans when the night goes wrong.
"""

from voltvan.charging._assign import Session as Session
from voltvan.charging._assign import assign_sessions as assign_sessions
from voltvan.charging._model import ChargeRequest as ChargeRequest
from voltvan.charging._model import Connector as Connector
from voltvan.charging._model import DepotProblem as DepotProblem
from voltvan.charging._model import Taper as Taper
from voltvan.charging._schedule import SCHEDULE_FORMAT_VERSION as SCHEDULE_FORMAT_VERSION
from voltvan.charging._schedule import Schedule as Schedule
from voltvan.charging._schedule import VanPlan as VanPlan
from voltvan.charging._scheduler import SchedulerParams as SchedulerParams
from voltvan.charging._scheduler import lower_bound as lower_bound
from voltvan.charging._scheduler import schedule_depot as schedule_depot
