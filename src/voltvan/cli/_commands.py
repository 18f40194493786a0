"""Attaches every capability's commands to the app, in the order ``voltvan --help`` lists them.

Each module decorates ``app`` when imported; the order here is the order of a fleet's day:
make a scenario, plan it, look at it, charge for it, then run and analyse the vans.
"""

from __future__ import annotations

import importlib

COMMAND_MODULES = (
    "_scenario",  # scenario generate|check
    "_plan",  # plan, demo
    "_replan",  # replan
    "_report_plan",  # render
    "_solve",  # solve (benchmark instances)
    "_charge",  # charge
    "_csms",  # csms
    "_chargers",  # charger add
    "_twin",  # twin
    "_ingest",  # ingest
    "_telemetry",  # serve, query, store
    "_tokens",  # tokens add
    "_ops",  # ops publish|user
    "_analytics",  # import, derive
    "_reports",  # report (the group the next four add to)
    "_report_trips",  # report trips
    "_report_energy",  # report energy
    "_report_charging",  # report charging
    "_report_alerts",  # report alerts
    "_academy",  # academy list|start|check
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"voltvan.cli.{_name}")
