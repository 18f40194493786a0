"""The fleet console's picture of the day: each van's progress against its plan, where it is and
what its battery says now, and the alerts a dispatcher must see.

Pure computations over the plan, the stops' statuses (``voltvan.ops``) and the live telemetry
(``voltvan.telemetry``); the web API streams them to the console page (``docs/operations.md``).
"""

from voltvan.console._alerts import ConsoleParams as ConsoleParams
from voltvan.console._alerts import FleetAlert as FleetAlert
from voltvan.console._alerts import Stillness as Stillness
from voltvan.console._alerts import fleet_alerts as fleet_alerts
from voltvan.console._clock import local_day as local_day
from voltvan.console._clock import seconds_after as seconds_after
from voltvan.console._live import LiveFleet as LiveFleet
from voltvan.console._live import LiveVan as LiveVan
from voltvan.console._progress import LiveSoc as LiveSoc
from voltvan.console._progress import StopState as StopState
from voltvan.console._progress import VanProgress as VanProgress
from voltvan.console._progress import predicted_return_soc as predicted_return_soc
from voltvan.console._progress import van_progress as van_progress
from voltvan.console._watch import DayWatch as DayWatch
from voltvan.console._watch import plan_geometry as plan_geometry

__all__ = [
    "ConsoleParams",
    "DayWatch",
    "FleetAlert",
    "LiveFleet",
    "LiveSoc",
    "LiveVan",
    "Stillness",
    "StopState",
    "VanProgress",
    "fleet_alerts",
    "local_day",
    "plan_geometry",
    "predicted_return_soc",
    "seconds_after",
    "van_progress",
]
