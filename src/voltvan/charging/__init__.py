"""Depot charging that follows the plan: schedule (LP on HiGHS), shortfall fixes, OCPP server.

The scheduler reads a :class:`DepotProblem` (built from the fleet, the plan and the vans'
arrivals by :func:`problem_from_plan`) and returns a :class:`Schedule`; the OCPP central system
(:class:`Csms`) applies it to real chargers as transaction profiles and re-plans when the night
goes wrong. :class:`SimChargePoint` stands in for chargers in tests and demos (imported lazily:
it pulls in the ``ocpp`` library). The OCPP side lives in ``voltvan.charging.ocpp``, above the
scheduler; its public names are re-exported here.
"""

from typing import Any

from voltvan.charging._assign import Session as Session
from voltvan.charging._assign import assign_sessions as assign_sessions
from voltvan.charging._build import Arrival as Arrival
from voltvan.charging._build import depot_connectors as depot_connectors
from voltvan.charging._build import parse_clock as parse_clock
from voltvan.charging._build import problem_from_plan as problem_from_plan
from voltvan.charging._build import read_arrivals as read_arrivals
from voltvan.charging._build import read_base_load as read_base_load
from voltvan.charging._check import check_plugs as check_plugs
from voltvan.charging._check import check_schedule as check_schedule
from voltvan.charging._lp_schedule import lower_bound as lower_bound
from voltvan.charging._model import ChargeRequest as ChargeRequest
from voltvan.charging._model import Connector as Connector
from voltvan.charging._model import DepotProblem as DepotProblem
from voltvan.charging._model import Taper as Taper
from voltvan.charging._plugsheet import PlugRow as PlugRow
from voltvan.charging._plugsheet import Replug as Replug
from voltvan.charging._plugsheet import plug_sheet as plug_sheet
from voltvan.charging._plugsheet import plugs_csv as plugs_csv
from voltvan.charging._plugsheet import plugs_html as plugs_html
from voltvan.charging._plugsheet import read_plugs_csv as read_plugs_csv
from voltvan.charging._plugsheet import replugs as replugs
from voltvan.charging._plugsheet import staffed_text as staffed_text
from voltvan.charging._plugsheet import write_plugs_csv as write_plugs_csv
from voltvan.charging._replan import LiveVan as LiveVan
from voltvan.charging._replan import replan as replan
from voltvan.charging._schedule import SCHEDULE_FORMAT_VERSION as SCHEDULE_FORMAT_VERSION
from voltvan.charging._schedule import Schedule as Schedule
from voltvan.charging._schedule import VanPlan as VanPlan
from voltvan.charging._scheduler import SchedulerParams as SchedulerParams
from voltvan.charging._scheduler import schedule_depot as schedule_depot
from voltvan.charging._shortfall import propose_fixes as propose_fixes
from voltvan.charging._tariffs import read_acn_tariff as read_acn_tariff
from voltvan.charging.ocpp import ChargerAccount as ChargerAccount
from voltvan.charging.ocpp import Csms as Csms
from voltvan.charging.ocpp import CsmsConfig as CsmsConfig
from voltvan.charging.ocpp import CsmsStats as CsmsStats
from voltvan.charging.ocpp import CsmsTls as CsmsTls
from voltvan.charging.ocpp import NightResult as NightResult
from voltvan.charging.ocpp import read_csms_config as read_csms_config
from voltvan.charging.ocpp import run_night as run_night
from voltvan.charging.ocpp import simulated_config as simulated_config

__all__ = [
    "SCHEDULE_FORMAT_VERSION",
    "Arrival",
    "ChargeRequest",
    "ChargerAccount",
    "Connector",
    "Csms",
    "CsmsConfig",
    "CsmsStats",
    "CsmsTls",
    "DepotProblem",
    "LiveVan",
    "NightResult",
    "PlugRow",
    "Replug",
    "Schedule",
    "SchedulerParams",
    "Session",
    "SimChargePoint",
    "Taper",
    "VanPlan",
    "assign_sessions",
    "chart_html",
    "chart_svg",
    "check_plugs",
    "check_schedule",
    "depot_connectors",
    "lower_bound",
    "parse_clock",
    "plug_sheet",
    "plugs_csv",
    "plugs_html",
    "problem_from_plan",
    "propose_fixes",
    "read_acn_tariff",
    "read_arrivals",
    "read_base_load",
    "read_csms_config",
    "read_plugs_csv",
    "replan",
    "replugs",
    "run_night",
    "schedule_depot",
    "simulated_config",
    "staffed_text",
    "write_plugs_csv",
]

#: Names that moved out of this package and stay importable from here.
_MOVED = {"chart_html": "charging_chart_html", "chart_svg": "charging_chart_svg"}


def __getattr__(name: str) -> Any:
    if name == "SimChargePoint":
        from voltvan.charging import ocpp

        return ocpp.SimChargePoint
    if name in _MOVED:
        # Drawing a schedule is the report's job (voltvan.report); kept here for old imports.
        import voltvan.report

        return getattr(voltvan.report, _MOVED[name])
    raise AttributeError(name)
