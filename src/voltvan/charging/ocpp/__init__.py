"""The OCPP central system (CSMS) that applies a depot schedule to chargers, and simulated chargers.

Speaks OCPP 1.6J and 2.0.1 over websockets through the ``ocpp`` library; everything that touches
that library sits in this package, above the scheduler it calls when the night goes wrong.
:class:`SimChargePoint` is imported lazily: it pulls in the ``ocpp`` library at once.
"""

from typing import Any

from voltvan.charging.ocpp._csms import Csms as Csms
from voltvan.charging.ocpp._csms_config import ChargerAccount as ChargerAccount
from voltvan.charging.ocpp._csms_config import CsmsConfig as CsmsConfig
from voltvan.charging.ocpp._csms_config import read_csms_config as read_csms_config
from voltvan.charging.ocpp._csms_stats import CsmsStats as CsmsStats
from voltvan.charging.ocpp._demo import NightResult as NightResult
from voltvan.charging.ocpp._demo import run_night as run_night
from voltvan.charging.ocpp._demo import simulated_config as simulated_config
from voltvan.charging.ocpp._tls import CsmsTls as CsmsTls

__all__ = [
    "ChargerAccount",
    "Csms",
    "CsmsConfig",
    "CsmsStats",
    "CsmsTls",
    "NightResult",
    "SimChargePoint",
    "read_csms_config",
    "run_night",
    "simulated_config",
]


def __getattr__(name: str) -> Any:
    if name == "SimChargePoint":
        from voltvan.charging.ocpp._simcp import SimChargePoint

        return SimChargePoint
    raise AttributeError(name)
